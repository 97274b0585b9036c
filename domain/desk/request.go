package desk

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// Status is where a request is in its lifecycle (see the package comment).
type Status string

// Request statuses. Pending and ChangesRequested are open; the others are
// final.
const (
	StatusPending          Status = "pending"
	StatusApproved         Status = "approved"
	StatusRejected         Status = "rejected"
	StatusChangesRequested Status = "changes_requested"
	StatusExpired          Status = "expired"
	StatusWithdrawn        Status = "withdrawn"
)

// Final reports whether nothing more can happen to a request in status s.
func (s Status) Final() bool {
	switch s {
	case StatusApproved, StatusRejected, StatusExpired, StatusWithdrawn:
		return true
	}
	return false
}

// Verdict is an approver's decision on a step.
type Verdict string

// Verdicts.
const (
	Approve Verdict = "approve" // the step is approved; the next one starts, or the request is approved
	Reject  Verdict = "reject"  // the request ends, rejected; a reason is required
	Changes Verdict = "changes" // the request goes back to the rep; what to change is required
)

// Valid reports whether v is one of the three verdicts.
func (v Verdict) Valid() bool { return v == Approve || v == Reject || v == Changes }

// Decision is one approver's verdict on one step of one revision.
type Decision struct {
	Revision int
	Step     int // index in Request.Steps of that revision
	Role     Role
	By       domain.UserID
	At       time.Time
	Verdict  Verdict
	Comment  string
}

// Limits on what users may type.
const (
	MaxOtherTermsLen = 300 // the "other" non-standard terms
)

// Draft is what a rep submits: the request form's content, and the deal's
// figures and plan at the time.
type Draft struct {
	Deal          domain.DealID
	Requester     domain.UserID
	DiscountBP    int
	ListAmount    int64  // the deal's amount, minor units of Currency
	Currency      string // ISO 4217
	Justification string
	Competitor    string
	Terms         []Term
	OtherTerms    string // required with TermOther, refused without it
	Plan          Plan   // the deal's mutual action plan; required above Policy.RequirePlanAbove
	// DealVersion is the deal's version the form was opened on: the store
	// refuses the request (or revision) on any other.
	DealVersion uint64
}

// Request is a discount request and everything decided on it.
type Request struct {
	ID            uint64 // given by the store; 0 until saved
	Deal          domain.DealID
	Requester     domain.UserID
	DiscountBP    int
	ListAmount    int64 // minor units of Currency
	NetAmount     int64 // ListAmount less Cost(ListAmount, DiscountBP)
	Currency      string
	Justification string
	Competitor    string
	Terms         []Term // in the order of Terms, each once
	OtherTerms    string
	Steps         []Step // this revision's chain; none when approved at once
	Current       int    // index of the step waiting for a decision; len(Steps) once approved
	Status        Status
	Decisions     []Decision // every decision of every revision, oldest first
	Revision      int        // 1 for the first submission, +1 for each revision
	CreatedAt     time.Time  // first submission
	SubmittedAt   time.Time  // this revision's submission
	ExpiresAt     time.Time  // this revision expires then if still pending
	ClosedAt      time.Time  // when it left pending (approved, rejected, sent back, expired, withdrawn); zero while pending
	ClosedBy      domain.UserID
	Version       uint64 // the store's optimistic concurrency counter; never changed here
	DealVersion   uint64 // the deal's version this revision was made on (0 in older requests)
}

// defaultExpireAfterDays is used when a policy has no valid expiry.
const defaultExpireAfterDays = 14

// NewRequest checks a draft against policy and returns the pending request
// submitted at now, with its chain for a requester whose team manager is
// manager (empty when the requester has no team). A request whose chain has
// no step is approved at once (Status approved, no decision, ClosedAt now).
//
// It checks that the discount is above 0 and at most 100 %, the
// justification is given, texts are within their limits, the list amount is
// positive and the currency a code, the terms are known, other terms are
// described exactly when TermOther is ticked, a plan exists when the
// discount needs one (RequiresPlan), and every step has an approver other
// than the requester; every problem is returned at once as domain.Errors.
//
// NetAmount is computed in integer minor units: the cost is rounded half up
// to the minor unit (see Cost), so a 12.5 % discount on 999.99 € costs
// 125.00 € (124.99875 rounded) and nets 874.99 €.
func NewRequest(p Policy, d Draft, manager domain.UserID, now time.Time) (*Request, error) {
	if d.Deal == 0 || d.Requester == "" {
		return nil, errors.New("desk: a request needs a deal and a requester")
	}
	terms, es := checkDraft(p, &d)
	var steps []Step
	if len(es) == 0 { // a chain of an invalid discount would only add noise
		steps = Chain(p, d.DiscountBP, terms, manager)
		missing := false
		for _, s := range steps {
			if len(eligible(s.Approvers, d.Requester)) > 0 {
				continue
			}
			missing = true
			if s.Role == RoleManager && manager == "" {
				es = append(es, domain.Errorf(domain.EINVALID, "desk.no_manager"))
			} else {
				es = append(es, domain.Errorf(domain.EINVALID, "desk.no_approver", string(s.Role)))
			}
		}
		if i := unfillable(steps, d.Requester); !missing && i >= 0 {
			es = append(es, domain.Errorf(domain.EINVALID, "desk.no_distinct_approver",
				i+1, string(steps[i].Role), eligible(steps[i].Approvers, d.Requester)))
		}
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	days := p.ExpireAfterDays
	if days < 1 || days > MaxExpireAfterDays {
		days = defaultExpireAfterDays
	}
	r := &Request{
		Deal:          d.Deal,
		Requester:     d.Requester,
		DiscountBP:    d.DiscountBP,
		ListAmount:    d.ListAmount,
		NetAmount:     NetAmount(d.ListAmount, d.DiscountBP),
		Currency:      d.Currency,
		Justification: strings.TrimSpace(d.Justification),
		Competitor:    strings.TrimSpace(d.Competitor),
		Terms:         terms,
		OtherTerms:    strings.TrimSpace(d.OtherTerms),
		Steps:         steps,
		Status:        StatusPending,
		Revision:      1,
		CreatedAt:     now,
		SubmittedAt:   now,
		ExpiresAt:     now.AddDate(0, 0, days),
		DealVersion:   d.DealVersion,
	}
	if len(steps) == 0 {
		r.Status, r.ClosedAt = StatusApproved, now
	}
	return r, nil
}

// checkDraft returns the draft's terms in canonical order and its problems.
func checkDraft(p Policy, d *Draft) ([]Term, domain.Errors) {
	var es domain.Errors
	add := func(f domain.Field, key string, args ...any) { es = append(es, domain.FieldErrorf(f, key, args...)) }
	tooLong := func(f domain.Field, s string, max int) {
		if utf8.RuneCountInString(s) > max {
			add(f, "desk.too_long", Label(f), max)
		}
	}

	switch {
	case d.DiscountBP <= 0:
		add(FieldDiscount, "desk.discount_zero")
	case d.DiscountBP > MaxBP:
		add(FieldDiscount, "desk.discount_too_big", domain.Percent(d.DiscountBP))
	}
	if strings.TrimSpace(d.Justification) == "" {
		add(FieldJustification, "desk.justification_required")
	}
	tooLong(FieldJustification, d.Justification, domain.MaxTextLen)
	tooLong(FieldCompetitor, d.Competitor, domain.MaxNameLen)

	switch {
	case d.ListAmount <= 0:
		add(domain.FieldAmount, "desk.no_amount", d.Deal.Ref())
	case d.ListAmount > domain.MaxAmountMinor:
		add(domain.FieldAmount, "deal.amount_too_big")
	}
	if len(d.Currency) != 3 || strings.ToUpper(d.Currency) != d.Currency {
		add(domain.FieldCurrency, "deal.bad_currency", d.Currency)
	}

	var terms []Term
	for _, t := range d.Terms {
		if !t.Valid() {
			add(FieldTerms, "desk.unknown_term", domain.Clip(string(t), 40))
		}
	}
	for _, t := range Terms {
		if slices.Contains(d.Terms, t) {
			terms = append(terms, t)
		}
	}
	other := strings.TrimSpace(d.OtherTerms)
	switch {
	case slices.Contains(terms, TermOther) && other == "":
		add(FieldOtherTerms, "desk.other_terms_required")
	case !slices.Contains(terms, TermOther) && other != "":
		add(FieldOtherTerms, "desk.other_terms_unticked")
	}
	tooLong(FieldOtherTerms, d.OtherTerms, MaxOtherTermsLen)

	if d.DiscountBP > 0 && RequiresPlan(p, d.DiscountBP) && len(d.Plan.Milestones) == 0 {
		add(FieldPlan, "desk.plan_required", domain.Percent(p.RequirePlanAbove*100), d.Deal.Ref())
	}
	return terms, es
}

// Label is a form field's name as a message argument ("desk.field.<name>"
// in the catalogue).
type Label domain.Field

// eligible returns the approvers other than the requester, who can never
// decide on their own request.
func eligible(approvers []domain.UserID, requester domain.UserID) Users {
	var us Users
	for _, u := range approvers {
		if u != requester {
			us = append(us, u)
		}
	}
	return us
}

// unfillable returns the first step that cannot get an approver of its own
// when every step must be approved by a different person other than the
// requester, or -1 when the chain can be filled. Chains are a few steps
// long: a search of every assignment is cheap.
func unfillable(steps []Step, requester domain.UserID) int {
	used := map[domain.UserID]bool{}
	var fill func(steps []Step) bool
	fill = func(steps []Step) bool {
		if len(steps) == 0 {
			return true
		}
		for _, u := range eligible(steps[0].Approvers, requester) {
			if used[u] {
				continue
			}
			used[u] = true
			ok := fill(steps[1:])
			used[u] = false
			if ok {
				return true
			}
		}
		return false
	}
	for n := 1; n <= len(steps); n++ {
		if !fill(steps[:n]) {
			return n - 1
		}
	}
	return -1
}

// Cost returns what the discount takes off the list amount.
func (r *Request) Cost() int64 { return r.ListAmount - r.NetAmount }

// AutoApproved reports whether the request was approved at once because its
// chain had no step.
func (r *Request) AutoApproved() bool { return r.Status == StatusApproved && len(r.Steps) == 0 }

// Waiting returns who may decide now: the current step's approvers other
// than the requester and than whoever approved an earlier step of this
// revision. None unless the request is pending.
func (r *Request) Waiting() Users {
	if r.Status != StatusPending || r.Current >= len(r.Steps) {
		return nil
	}
	var us Users
	for _, u := range eligible(r.Steps[r.Current].Approvers, r.Requester) {
		if _, done := r.approvedStep(u); !done {
			us = append(us, u)
		}
	}
	return us
}

// approvedStep returns the step of the current revision that user
// approved, if any.
func (r *Request) approvedStep(user domain.UserID) (Decision, bool) {
	for _, d := range r.Decisions {
		if d.Revision == r.Revision && d.By == user && d.Verdict == Approve {
			return d, true
		}
	}
	return Decision{}, false
}

// StepChange is a step whose approvers changed when the request was
// resolved again from the configuration.
type StepChange struct {
	Step          int // index in Steps
	Role          Role
	Before, After Users
}

// Reresolve gives each step of a pending request the approvers who hold its
// role in p now, manager being the requester's team manager now (empty for
// none), keeping the chain's roles and order and leaving the steps already
// decided as they were; it returns the steps whose
// approvers changed, in order (none for a request that is not pending). A
// manager removed from the configuration so loses the right to decide and
// their successor gains it.
func (r *Request) Reresolve(p Policy, manager domain.UserID) []StepChange {
	if r.Status != StatusPending {
		return nil
	}
	var out []StepChange
	for i, s := range r.Steps {
		if i < r.Current {
			continue // decided: who held it then is history
		}
		now := p.Holders(s.Role, manager)
		if slices.Equal(now, s.Approvers) {
			continue
		}
		out = append(out, StepChange{Step: i, Role: s.Role, Before: Users(slices.Clone(s.Approvers)), After: Users(slices.Clone(now))})
		r.Steps[i].Approvers = now
	}
	return out
}

// ApproverWaiting reports whether the request is pending and user may decide
// its current step.
func (r *Request) ApproverWaiting(user domain.UserID) bool {
	return user != "" && slices.Contains(r.Waiting(), user)
}

// WaitingSince returns when the current step started waiting: the previous
// step's approval, or the revision's submission.
func (r *Request) WaitingSince() time.Time {
	if d, ok := r.StepDecision(r.Current - 1); ok {
		return d.At
	}
	return r.SubmittedAt
}

// StepDecision returns the decision taken on step i of the current revision.
func (r *Request) StepDecision(i int) (Decision, bool) {
	for j := len(r.Decisions) - 1; j >= 0; j-- {
		d := r.Decisions[j]
		if d.Revision == r.Revision && d.Step == i {
			return d, true
		}
	}
	return Decision{}, false
}

// LastDecision returns the most recent decision of any revision.
func (r *Request) LastDecision() (Decision, bool) {
	if len(r.Decisions) == 0 {
		return Decision{}, false
	}
	return r.Decisions[len(r.Decisions)-1], true
}

// Pending returns the requests waiting on user's decision, the one waiting
// longest first (by WaitingSince, then ID), for /deal approvals. A request
// past its expiry that has not been expired yet is still listed; run Expire
// first to leave it out.
func Pending(requests []*Request, user domain.UserID) []*Request {
	var out []*Request
	for _, r := range requests {
		if r != nil && r.ApproverWaiting(user) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].WaitingSince(), out[j].WaitingSince()
		if !a.Equal(b) {
			return a.Before(b)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Decide records by's verdict on the current step at now.
//
//   - Approve moves to the next step, or approves the request after the
//     last one; Reject ends it; Changes sends it back to the requester, who
//     may Revise it. Reject needs a reason and Changes needs what to change
//     (EINVALID on FieldComment); an approval's comment is optional.
//   - A request no longer pending (or past ExpiresAt) answers ECONFLICT with
//     its state: "already approved by @X on …".
//   - The requester may never decide, even holding the step's role
//     (EFORBIDDEN).
//   - Only the current step's approvers may decide (EFORBIDDEN naming who
//     can). An approver of a step already decided, such as the second of
//     two managers clicking at the same moment, gets ECONFLICT naming who
//     decided it and when.
//
// On error r is unchanged.
func (r *Request) Decide(by domain.UserID, verdict Verdict, comment string, now time.Time) error {
	if !verdict.Valid() {
		return domain.Errorf(domain.EINVALID, "desk.bad_verdict", domain.Clip(string(verdict), 20))
	}
	if r.Status != StatusPending {
		return r.stateError()
	}
	if !now.Before(r.ExpiresAt) {
		return domain.Errorf(domain.ECONFLICT, "desk.state.expired", Moment(r.ExpiresAt))
	}
	if r.Current >= len(r.Steps) { // a pending request always has a current step
		return errors.New("desk: pending request without a current step")
	}
	step := r.Steps[r.Current]
	waiting := r.Waiting()
	if by == r.Requester {
		if verdict == Approve && slices.Contains(step.Approvers, by) {
			return domain.Errorf(domain.EFORBIDDEN, "desk.self_approval", string(step.Role), waiting)
		}
		return domain.Errorf(domain.EFORBIDDEN, "desk.self_decision", waiting)
	}
	if !slices.Contains(step.Approvers, by) {
		return r.notYourTurn(by)
	}
	if d, done := r.approvedStep(by); done {
		return domain.Errorf(domain.EFORBIDDEN, "desk.two_steps", d.Step+1, string(d.Role), r.Current+1, string(step.Role), waiting)
	}
	comment = strings.TrimSpace(comment)
	switch {
	case verdict == Reject && comment == "":
		return domain.FieldErrorf(FieldComment, "desk.reason_required")
	case verdict == Changes && comment == "":
		return domain.FieldErrorf(FieldComment, "desk.changes_required")
	case utf8.RuneCountInString(comment) > domain.MaxTextLen:
		return domain.FieldErrorf(FieldComment, "desk.too_long", Label(FieldComment), domain.MaxTextLen)
	}

	r.Decisions = append(r.Decisions, Decision{
		Revision: r.Revision, Step: r.Current, Role: step.Role,
		By: by, At: now, Verdict: verdict, Comment: comment,
	})
	switch verdict {
	case Approve:
		r.Current++
		if r.Current == len(r.Steps) {
			r.close(StatusApproved, by, now)
		}
	case Reject:
		r.close(StatusRejected, by, now)
	case Changes:
		r.close(StatusChangesRequested, by, now)
	}
	return nil
}

func (r *Request) close(s Status, by domain.UserID, at time.Time) {
	r.Status, r.ClosedBy, r.ClosedAt = s, by, at
}

// notYourTurn explains to by, who is not an approver of the current step,
// why they cannot decide.
func (r *Request) notYourTurn(by domain.UserID) error {
	step, waiting := r.Steps[r.Current], r.Waiting()
	for i := r.Current - 1; i >= 0; i-- {
		if slices.Contains(r.Steps[i].Approvers, by) {
			return r.stepDone(i)
		}
	}
	for i := r.Current + 1; i < len(r.Steps); i++ {
		if slices.Contains(r.Steps[i].Approvers, by) {
			return domain.Errorf(domain.EFORBIDDEN, "desk.not_yet", i+1, string(r.Steps[i].Role), waiting, string(step.Role))
		}
	}
	return domain.Errorf(domain.EFORBIDDEN, "desk.not_approver", waiting, string(step.Role), r.Current+1, len(r.Steps))
}

// stepDone is the ECONFLICT for a step i already decided in this revision.
func (r *Request) stepDone(i int) error {
	d, ok := r.StepDecision(i)
	if !ok {
		return r.moved()
	}
	return domain.Errorf(domain.ECONFLICT, "desk.state.step_done",
		i+1, string(d.Role), Users{d.By}, Moment(d.At), r.Waiting(), string(r.Steps[r.Current].Role))
}

func (r *Request) moved() error {
	return domain.Errorf(domain.ECONFLICT, "desk.state.moved", r.Revision, r.Waiting(), string(r.Steps[r.Current].Role))
}

// stateError is the ECONFLICT answering any decision on a request that is
// no longer pending: what happened to it, who did it and when.
func (r *Request) stateError() error {
	c := func(key string, args ...any) error { return domain.Errorf(domain.ECONFLICT, key, args...) }
	switch r.Status {
	case StatusApproved:
		if len(r.Steps) == 0 {
			return c("desk.state.auto_approved", Moment(r.ClosedAt))
		}
		return c("desk.state.approved", Users{r.ClosedBy}, Moment(r.ClosedAt))
	case StatusRejected:
		return c("desk.state.rejected", Users{r.ClosedBy}, Moment(r.ClosedAt), r.lastComment())
	case StatusChangesRequested:
		return c("desk.state.changes", Users{r.ClosedBy}, Moment(r.ClosedAt), r.lastComment(), Users{r.Requester})
	case StatusExpired:
		return c("desk.state.expired", Moment(r.ExpiresAt))
	case StatusWithdrawn:
		return c("desk.state.withdrawn", Users{r.ClosedBy}, Moment(r.ClosedAt))
	}
	return errors.New("desk: request in unknown status " + string(r.Status))
}

func (r *Request) lastComment() string {
	if d, ok := r.LastDecision(); ok {
		return d.Comment
	}
	return ""
}

// CheckTurn returns nil when the request is still pending at revision and
// step, else an ECONFLICT describing where it is now. A button carries the
// revision and step it was drawn for, and the bot checks them before Decide,
// so that a double click never approves a second step its author also holds.
func (r *Request) CheckTurn(revision, step int) error {
	switch {
	case r.Status != StatusPending:
		return r.stateError()
	case revision == r.Revision && step == r.Current:
		return nil
	case revision == r.Revision && step >= 0 && step < r.Current:
		return r.stepDone(step)
	}
	return r.moved()
}

// Expire ends the request as expired when it is still pending at now and now
// is at or after ExpiresAt; it reports whether it did, so the caller tells
// the requester and Waiting approvers (call Waiting before Expire). ClosedAt
// is ExpiresAt, when it expired, however late this runs.
func (r *Request) Expire(now time.Time) bool {
	if r.Status != StatusPending || now.Before(r.ExpiresAt) {
		return false
	}
	r.close(StatusExpired, "", r.ExpiresAt)
	return true
}

// Withdraw ends an open request (pending or sent back for changes) at the
// requester's wish. Only the requester may withdraw (EFORBIDDEN); a final
// request answers ECONFLICT with its state. On error r is unchanged.
func (r *Request) Withdraw(by domain.UserID, now time.Time) error {
	if by != r.Requester {
		return domain.Errorf(domain.EFORBIDDEN, "desk.withdraw_not_yours", Users{r.Requester})
	}
	if r.Status.Final() {
		return r.stateError()
	}
	r.close(StatusWithdrawn, by, now)
	return nil
}

// Clone is a copy of r whose slices are its own, so changes to the copy
// never reach r.
func (r *Request) Clone() *Request {
	c := *r
	c.Terms = append([]Term(nil), r.Terms...)
	c.Decisions = append([]Decision(nil), r.Decisions...)
	c.Steps = nil
	for _, s := range r.Steps {
		c.Steps = append(c.Steps, Step{Role: s.Role, Approvers: append([]domain.UserID(nil), s.Approvers...)})
	}
	return &c
}

// Revise resubmits a request sent back for changes with the draft's new
// content, at now: the chain is worked out again from policy (the discount
// or terms may have changed) and starts from its first step, Revision goes
// up by one, ExpiresAt restarts, and every earlier decision is kept. The
// draft's Deal and Requester are ignored: a revision stays on the same deal
// and with the same rep. Only the requester may revise (EFORBIDDEN), only a
// request in changes_requested (ECONFLICT otherwise); the draft is checked
// as NewRequest checks it. A revised request whose chain has no step is
// approved at once. On error r is unchanged.
func (r *Request) Revise(by domain.UserID, d Draft, p Policy, manager domain.UserID, now time.Time) error {
	if by != r.Requester {
		return domain.Errorf(domain.EFORBIDDEN, "desk.revise_not_yours", Users{r.Requester})
	}
	switch r.Status {
	case StatusChangesRequested:
	case StatusPending:
		return domain.Errorf(domain.ECONFLICT, "desk.revise_pending", r.Waiting())
	default:
		return r.stateError()
	}
	d.Deal, d.Requester = r.Deal, r.Requester
	nr, err := NewRequest(p, d, manager, now)
	if err != nil {
		return err
	}
	nr.ID, nr.Version, nr.CreatedAt = r.ID, r.Version, r.CreatedAt
	nr.Revision = r.Revision + 1
	nr.Decisions = r.Decisions
	*r = *nr
	return nil
}
