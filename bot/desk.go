package bot

// The deal desk: /deal discount and the card's Request discount button (the
// request form), the request posted in the deal-desk channel and decided by
// its buttons or by replies in its thread, /deal plan (the mutual action
// plan), /deal approvals, /deal withdraw, the expiry job, and the job that
// brings pending requests' approvers in line with the configuration. The
// rules are domain/desk's; this file loads their input, stores the outcome
// and says it.
//
// A decision is checked and recorded in one store transaction
// (SaveDeskDecision runs desk.DecisionForm.Apply, CheckTurn and Decide, on
// the request as stored),
// so two approvers deciding at the same moment record exactly one
// decision: the second sees the first's and is answered with the request's
// state. Messages (the thread reply, the root message's update, DMs) are
// sent only after that commit.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// Deal-desk forms.
const (
	FormDiscount    FormKind = "desk_request"
	FormDeskComment FormKind = "desk_comment"
	FormPlan        FormKind = "desk_plan"
)

// Button action ids of a request message. Their value is
// "<request id>:<revision>:<step>", the turn the button was drawn for, so a
// click on a message that moved on is answered with where it is now.
const (
	ActionDeskApprove = "desk_approve"
	ActionDeskReject  = "desk_reject"
	ActionDeskChanges = "desk_changes"
)

func isDeskAction(id string) bool {
	return id == ActionDeskApprove || id == ActionDeskReject || id == ActionDeskChanges
}

// DeskRequestView is a request as its message in the deal-desk channel
// shows it: the deal, the discount, the chain and, while it is pending, the
// buttons. Times are shown in Zone.
type DeskRequestView struct {
	Request *desk.Request
	Deal    *domain.Deal
	Plan    desk.Plan
	Zone    *time.Location
}

// DeskApprovals lists the requests waiting on the caller, oldest first.
type DeskApprovals struct {
	Items []DeskApproval
	Zone  *time.Location
}

// DeskApproval is one request waiting on the caller.
type DeskApproval struct {
	Request *desk.Request
	Deal    *domain.Deal
	Thread  desk.Thread
}

func (DeskRequestView) isReply() {}
func (DeskApprovals) isReply()   {}

// deskPolicy is config's deal_desk as the rules take it.
func (b *Bot) deskPolicy() desk.Policy {
	dd := b.cfg.DealDesk
	p := desk.Policy{
		Roles:            map[desk.Role][]domain.UserID{},
		RequirePlanAbove: dd.RequirePlanAbove,
		ExpireAfterDays:  dd.ExpireAfterDays,
	}
	for r, us := range dd.Roles {
		p.Roles[desk.Role(r)] = slices.Clone(us)
	}
	roles := func(rs []string) []desk.Role {
		out := make([]desk.Role, len(rs))
		for i, r := range rs {
			out[i] = desk.Role(r)
		}
		return out
	}
	for _, band := range dd.Bands {
		p.Bands = append(p.Bands, desk.Band{UpTo: band.UpTo, Approvals: roles(band.Approvals)})
	}
	p.NonStandard = desk.DefaultNonStandard(p.Roles)
	for t, rs := range dd.NonStandardTerms {
		p.NonStandard[desk.Term(t)] = roles(rs)
	}
	return p
}

// managerOf is the manager who approves rep's requests ("" for none).
func (b *Bot) managerOf(rep domain.UserID) domain.UserID { return desk.ManagerOf(b.cfg, rep) }

// reresolve gives a pending request's steps the approvers the current
// configuration names (see desk.Request.Reresolve) and returns what changed.
func (b *Bot) reresolve(r *desk.Request) []desk.StepChange {
	return r.Reresolve(b.deskPolicy(), b.managerOf(r.Requester))
}

// current is a copy of r with its approvers as the configuration names
// them now, for reading: who may decide, who is listed, what a message
// shows.
func (b *Bot) current(r *desk.Request) *desk.Request {
	c := r.Clone()
	b.reresolve(c)
	return c
}

// inZone shows the desk.Moment arguments of a user-facing error in tz.
func inZone(err error, tz *time.Location) error {
	return domain.MapErrors(err, func(e *domain.Error) *domain.Error {
		c := *e
		c.Args = slices.Clone(e.Args)
		for i, a := range c.Args {
			if m, ok := a.(desk.Moment); ok {
				c.Args[i] = desk.Moment(time.Time(m).In(tz))
			}
		}
		return &c
	})
}

// errMsgs is a user-facing error as messages, for replies the bot sends
// itself (an ephemeral answer to a thread reply).
func errMsgs(err error) ([]Msg, bool) {
	es, ok := domain.ErrorsOf(err)
	if !ok {
		return nil, false
	}
	out := make([]Msg, len(es))
	for i, e := range es {
		out[i] = Msg{Key: e.Key, Args: e.Args}
	}
	return out, true
}

// --- the request form -------------------------------------------------------

// formRef is what the request form carries besides the deal: the request
// it revises (0 for a new one) and the figures its preview shows (the
// discount and terms, and the list amount the net amount was worked out
// on), so a request is sent only as previewed. The live preview rewrites
// them each time it shows new figures.
type formRef struct {
	Request uint64 `json:"r,omitempty"`
	BP      int    `json:"p,omitempty"`
	Terms   string `json:"t,omitempty"`
	Amount  int64  `json:"a,omitempty"`
}

// shows reports whether the form's preview shows these figures.
func (f formRef) shows(bp int, terms []desk.Term, amount int64) bool {
	return f.BP == bp && f.Terms == joinTerms(terms) && f.Amount == amount
}

func (f formRef) String() string {
	raw, _ := json.Marshal(f)
	return string(raw)
}

func parseFormRef(s string) formRef {
	var f formRef
	_ = json.Unmarshal([]byte(s), &f)
	return f
}

// dealDiscount answers /deal discount D-12 [pct]: the request form, or the
// revision form when the deal's request was sent back to the caller.
func (b *Bot) dealDiscount(ctx context.Context, c Caller, args string) (Reply, error) {
	words := strings.Fields(args)
	if len(words) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "deskbot.discount_usage")
	}
	bp := 0
	if len(words) > 1 {
		if v, err := desk.ParsePercent(words[len(words)-1], b.cfg.Locale); err == nil {
			bp, words = v, words[:len(words)-1]
		} else if _, isRef := domain.ParseRef(words[0]); isRef && len(words) == 2 {
			return nil, err
		}
	}
	d, cands, err := b.find(ctx, c, strings.Join(words, " "), scopeEditable)
	if err != nil || cands != nil {
		return cands, err
	}
	return b.discountForm(ctx, c, d, bp)
}

// discountForm opens the request form on d, after checking the caller may
// ask and no request on d is already waiting.
func (b *Bot) discountForm(ctx context.Context, c Caller, d *domain.Deal, bp int) (Reply, error) {
	if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
		return nil, err
	}
	if d.Status != domain.Open {
		return nil, domain.Errorf(domain.EINVALID, "deskbot.deal_closed", d.ID.Ref(), d.Status)
	}
	reqs, err := b.store.DeskRequests(ctx, d.ID, true)
	if err != nil {
		return nil, err
	}
	var revise *desk.Request
	for _, p := range reqs {
		r := p.Request
		switch {
		case r.Status == desk.StatusPending && b.unposted(ctx, r, p.Thread):
			// Never seen by an approver: the new request replaces it.
		case r.Status == desk.StatusPending:
			return nil, domain.Errorf(domain.ECONFLICT, "deskbot.already_pending", d.ID.Ref(), r.ID, domain.Percent(r.DiscountBP), r.Waiting())
		case r.Status == desk.StatusChangesRequested && r.Requester == c.User:
			revise = r
		}
	}
	plan, err := b.store.Plan(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	v := Values{}
	ref := formRef{BP: bp, Amount: d.Amount}
	if revise != nil {
		ref.Request = revise.ID
		if bp == 0 {
			bp, ref.BP = revise.DiscountBP, revise.DiscountBP
		}
		v[desk.FieldJustification] = revise.Justification
		v[desk.FieldCompetitor] = revise.Competitor
		v[desk.FieldOtherTerms] = revise.OtherTerms
		v[desk.FieldTerms] = joinTerms(revise.Terms)
		ref.Terms = v[desk.FieldTerms]
	}
	if bp > 0 {
		v[desk.FieldDiscount] = i18n.FormatBP(b.cfg.Locale, bp)
	}
	return OpenForm{Form: b.requestForm(c, d, plan, v, ref, revise)}, nil
}

func joinTerms(ts []desk.Term) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// requestForm is the request modal with values v, and above its inputs
// the notes, the list amount, and for the previewed discount the net
// amount and the approvals it needs. The discount and the terms are Live:
// the preview follows them as the rep types (ChangeDiscount).
func (b *Bot) requestForm(c Caller, d *domain.Deal, plan desk.Plan, v Values, ref formRef, revise *desk.Request, notes ...Msg) Form {
	termOpts := make([]Option, len(desk.Terms))
	for i, t := range desk.Terms {
		termOpts[i] = Option{Value: string(t), Label: M("desk.term." + string(t))}
	}
	title := M("deskbot.form.title", d.ID.Ref())
	if revise != nil {
		title = M("deskbot.form.title_revise", d.ID.Ref())
	}
	return Form{
		Kind: FormDiscount, Title: title, Submit: M("deskbot.form.submit"),
		Meta:  FormMeta{Deal: d.ID, Version: d.Version, Channel: c.Channel, Ref: ref.String()},
		Intro: Notice{Msgs: append(notes, b.preview(d, plan, ref, revise)...)},
		Inputs: []Input{
			{Field: desk.FieldDiscount, Kind: TextInput, Label: M("desk.field.discount"), Placeholder: M("deskbot.form.discount_placeholder"),
				Initial: v[desk.FieldDiscount], MaxLen: 32, Live: true},
			{Field: desk.FieldJustification, Kind: LongTextInput, Label: M("desk.field.justification"),
				Initial: v[desk.FieldJustification], MaxLen: domain.MaxTextLen},
			{Field: desk.FieldCompetitor, Kind: TextInput, Label: M("desk.field.competitor"), Optional: true,
				Initial: v[desk.FieldCompetitor], MaxLen: domain.MaxNameLen},
			{Field: desk.FieldTerms, Kind: CheckboxesInput, Label: M("desk.field.terms"), Optional: true,
				Options: termOpts, Initial: v[desk.FieldTerms], Live: true},
			{Field: desk.FieldOtherTerms, Kind: TextInput, Label: M("desk.field.other_terms"), Optional: true,
				Hint: M("deskbot.form.other_hint"), Initial: v[desk.FieldOtherTerms], MaxLen: desk.MaxOtherTermsLen},
		},
	}
}

// preview is what the form shows before it is sent: the list amount, and
// the net amount and approvals of the discount typed (or every band's when
// none was typed yet).
func (b *Bot) preview(d *domain.Deal, plan desk.Plan, ref formRef, revise *desk.Request) []Msg {
	p := b.deskPolicy()
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: d.Currency} }
	msgs := []Msg{}
	if revise != nil {
		if dec, ok := revise.LastDecision(); ok {
			msgs = append(msgs, M("deskbot.form.changes_asked", dec.By, dec.Comment))
		}
	}
	msgs = append(msgs, M("deskbot.form.list", Bold(d.ID.Ref()), d.Name, Bold(money(d.Amount))))
	if ref.BP > 0 {
		msgs = append(msgs, M("deskbot.form.net", domain.Percent(ref.BP), Bold(money(desk.NetAmount(d.Amount, ref.BP))), money(desk.Cost(d.Amount, ref.BP))))
		steps := desk.Chain(p, ref.BP, desk.ReadTerms(ref.Terms), b.managerOf(d.Owner))
		if len(steps) == 0 {
			msgs = append(msgs, M("deskbot.form.no_approval"))
		} else {
			msgs = append(msgs, M("deskbot.form.chain", chainMsg(steps)))
		}
		if desk.RequiresPlan(p, ref.BP) && len(plan.Milestones) == 0 {
			msgs = append(msgs, M("deskbot.form.plan_needed", domain.Percent(p.RequirePlanAbove*100), d.ID.Ref()))
		}
		msgs = append(msgs, M("deskbot.form.check"))
		return msgs
	}
	prev := 0
	for _, band := range p.Bands {
		var who Msg
		if len(band.Approvals) == 0 {
			who = M("deskbot.form.band_free")
		} else {
			who = M("raw", rolesText(band.Approvals))
		}
		msgs = append(msgs, M("deskbot.form.band", domain.Percent(prev*100), domain.Percent(band.UpTo*100), who))
		prev = band.UpTo
	}
	msgs = append(msgs, M("deskbot.form.preview_next"))
	return msgs
}

func rolesText(rs []desk.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, " → ")
}

// maxChainShown is how many steps a chain message names; a longer chain
// (more roles than any team has) ends with "…".
const maxChainShown = 6

// chainMsg is "manager (@claire) → vp (@valerie)" as a message argument.
func chainMsg(steps []desk.Step) Msg {
	n := min(len(steps), maxChainShown)
	args := make([]any, n)
	for i, s := range steps[:n] {
		args[i] = M("deskbot.chain_step", string(s.Role), desk.Users(s.Approvers))
	}
	key := "deskbot.chain." + strconv.Itoa(n)
	if len(steps) > n {
		key += "_more"
	}
	return Msg{Key: key, Args: args}
}

// ChangeDiscount answers the request form while the rep types the
// discount or ticks terms: the same form, previewing the net amount and
// approvals of what it holds now and remembering those figures as the
// ones shown. A discount that does not read as a percentage (yet) is said
// in the preview, never refused: the rep is still typing.
func (b *Bot) ChangeDiscount(ctx context.Context, c Caller, meta FormMeta, v Values) (Form, error) {
	ref := parseFormRef(meta.Ref)
	d, err := b.store.Deal(ctx, meta.Deal)
	if err != nil {
		return Form{}, err
	}
	if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
		return Form{}, err
	}
	plan, err := b.store.Plan(ctx, d.ID)
	if err != nil {
		return Form{}, err
	}
	revise, err := b.revised(ctx, ref, d, c)
	if err != nil {
		return Form{}, err
	}
	ref.Terms, ref.Amount, ref.BP = joinTerms(desk.ReadTerms(v[desk.FieldTerms])), d.Amount, 0
	var notes []Msg
	if typed := strings.TrimSpace(v[desk.FieldDiscount]); typed != "" {
		bp, err := desk.ParsePercent(typed, b.cfg.Locale)
		if err != nil {
			msgs, ok := errMsgs(err)
			if !ok {
				return Form{}, err
			}
			notes = msgs
		} else {
			ref.BP = bp
		}
	}
	f := b.requestForm(c, d, plan, v, ref, revise, notes...)
	f.Meta.Version = meta.Version // still the version it was opened on
	return f, nil
}

// revised is the request a form on deal d revises (nil for a new one). The
// request id comes from the form's metadata: a request of another deal, or
// of another rep, is refused, so that no form can move a request to
// another deal or show someone else's.
func (b *Bot) revised(ctx context.Context, ref formRef, d *domain.Deal, c Caller) (*desk.Request, error) {
	if ref.Request == 0 {
		return nil, nil
	}
	r, _, err := b.store.DeskRequest(ctx, ref.Request)
	if err != nil {
		return nil, err
	}
	if err := desk.CheckRevises(r, d.ID, c.User); err != nil {
		return nil, err
	}
	return r, nil
}

// SubmitDiscount answers the request form: figures other than those its
// preview shows (the rep changed them after the last preview) are shown
// first, with their net amount and approvals; otherwise the request is
// created (or the sent-back one revised) and posted.
func (b *Bot) SubmitDiscount(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	ref := parseFormRef(meta.Ref)
	f := desk.RequestForm{
		Submission: domain.Submission{Values: v, Opened: meta.Version, By: c.User},
		Deal:       meta.Deal, Revises: ref.Request,
		Org: b.cfg, Locale: b.cfg.Locale, Policy: b.deskPolicy(), Manager: b.managerOf(c.User),
	}
	bp, terms, err := f.Figures()
	if err != nil {
		return nil, err
	}
	d, err := b.store.Deal(ctx, meta.Deal)
	if err != nil {
		return nil, err
	}
	if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
		return nil, err
	}
	if f.Plan, err = b.store.Plan(ctx, d.ID); err != nil {
		return nil, err
	}
	if !ref.shows(bp, terms, d.Amount) {
		if d.Version != meta.Version {
			// The deal changed since the form was opened: say who
			// changed what rather than show new figures as the rep's.
			return nil, b.openedConflict(ctx, meta, d)
		}
		// Show what this discount costs and who must approve it before
		// sending anything.
		revise, err := b.revised(ctx, ref, d, c)
		if err != nil {
			return nil, err
		}
		note := M("deskbot.form.changed")
		if ref.BP == 0 {
			note = M("deskbot.form.confirm")
		}
		ref.BP, ref.Terms, ref.Amount = bp, joinTerms(terms), d.Amount
		return OpenForm{Form: b.requestForm(c, d, f.Plan, v, ref, revise, note)}, nil
	}
	// Sent as previewed: the request (or revision) is the store's to make,
	// by f.Apply in its transaction, on the deal as stored.
	f.Now = b.clock.Now()
	var r *desk.Request
	var th desk.Thread
	revised := ref.Request != 0
	again := false // a revision submitted again: the first answer, nothing posted twice
	if revised {
		r, th, again, err = b.store.SaveDeskRequestForm(ctx, f, submissionKey(key, v))
	} else {
		var replace []uint64
		if replace, err = b.unpostedOf(ctx, d.ID); err == nil {
			r, _, _, err = b.store.SaveDeskRequestForm(ctx, f, key, replace...)
		}
		if err == nil {
			b.forgetPosts(ctx, replace)
		}
	}
	if err != nil {
		return nil, inZone(err, b.Zone(c))
	}
	// This run posts it (below): the first tick's recovery of requests a
	// stopped run never posted leaves it alone.
	b.publishing.Store(r.ID, true)
	if !again {
		b.dmsPending(ctx, r)
		if revised && th.Posted() {
			// Owed to the thread: the first tick after a stop says it.
			_, _ = b.store.PostMarker(ctx, deskRevKey(r.ID, r.Revision), newMarker)
		}
	}
	var note Msg
	switch {
	case r.AutoApproved():
		note = M("deskbot.sent.auto", r.ID, d.ID.Ref(), domain.Percent(r.DiscountBP), domain.Money{Minor: r.NetAmount, Currency: r.Currency})
	case revised:
		note = M("deskbot.sent.revised", r.ID, d.ID.Ref(), r.Revision, r.Waiting(), string(r.Steps[r.Current].Role))
	default:
		note = M("deskbot.sent", r.ID, d.ID.Ref(), domain.Percent(r.DiscountBP), r.Waiting(), string(r.Steps[r.Current].Role))
	}
	post := Post{Run: func(ctx context.Context, m Messenger) error {
		if revised && th.Posted() {
			_ = b.sayRevision(ctx, m, r, th)
			return nil
		}
		_ = b.publish(ctx, m, r, c.User) // a refusal is recorded, told and retried
		return nil
	}}
	if again {
		return Notice{Msgs: []Msg{note}}, nil
	}
	return WithPosts{Reply: Notice{Msgs: []Msg{note}}, Posts: []Post{post}}, nil
}

// unpostedOf lists the pending requests of a deal that no channel would
// take (see unposted): a new request replaces them, and the store withdraws
// them in the new request's transaction.
func (b *Bot) unpostedOf(ctx context.Context, deal domain.DealID) ([]uint64, error) {
	reqs, err := b.store.DeskRequests(ctx, deal, true)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	for _, p := range reqs {
		if p.Request.Status == desk.StatusPending && b.unposted(ctx, p.Request, p.Thread) {
			ids = append(ids, p.Request.ID)
		}
	}
	return ids, nil
}

// forgetPosts stops retrying the posts of requests replaced by a new one.
func (b *Bot) forgetPosts(ctx context.Context, ids []uint64) {
	for _, id := range ids {
		if r, _, err := b.store.DeskRequest(ctx, id); err == nil && r.Status == desk.StatusWithdrawn {
			_ = b.store.ForgetPost(ctx, deskPostKey(id))
		}
	}
}

// view is a request's message as of now.
func (b *Bot) view(ctx context.Context, r *desk.Request) (DeskRequestView, error) {
	d, err := b.store.Deal(ctx, r.Deal)
	if err != nil {
		return DeskRequestView{}, err
	}
	plan, err := b.store.Plan(ctx, r.Deal)
	if err != nil {
		return DeskRequestView{}, err
	}
	return DeskRequestView{Request: b.current(r), Deal: d, Plan: plan, Zone: b.cfg.Location}, nil
}

// publish posts a new request in the deal-desk channel and remembers its
// thread; with no channel configured, the current step's approvers get it
// by DM. A post the channel refuses is recorded (retried when the bot is
// invited, or on the next tick) and actor is told what to do.
func (b *Bot) publish(ctx context.Context, m Messenger, r *desk.Request, actor domain.UserID) error {
	v, err := b.view(ctx, r)
	if err != nil {
		return err
	}
	ch := b.cfg.DealDesk.Channel
	if ch == "" {
		for _, u := range r.Waiting() {
			_ = b.dmApprover(ctx, m, r, u, v)
		}
		return nil
	}
	key := deskPostKey(r.ID)
	p, err := b.store.Post(ctx, key)
	if err != nil {
		return err
	}
	ts := ""
	if len(p.Parts) > 0 && p.Channel == ch {
		ts = p.Parts[0] // posted, but its thread was not recorded
	}
	if ts == "" {
		mctx, err := b.marked(ctx, key)
		if err != nil {
			return err
		}
		if ts, err = m.Post(mctx, ch, "", v); err != nil {
			return b.postFailed(ctx, m, key, ch, actor, err)
		}
		if err := b.store.PostedPart(ctx, key, ch, 0, ts); err != nil {
			return err
		}
	}
	th := desk.Thread{Channel: ch, Ref: ts}
	if err := b.store.SetDeskThread(ctx, r.ID, th); err != nil {
		return err
	}
	// The thread is the record now; a failure recorded before is cleared.
	if err := b.store.ForgetPost(ctx, key); err != nil {
		return err
	}
	// A decision taken between the post and the thread's record could not
	// update the message: show the request as it stands now.
	if cur, _, err := b.store.DeskRequest(ctx, r.ID); err == nil {
		b.refresh(ctx, m, cur, th)
	}
	return nil
}

// dmsPending records, before the rep hears the request was sent, that
// each approver of r's turn is owed its DM when the deal desk has no
// channel: there is no thread to tell a request DMed from one a stopped
// run never sent, so the first tick after a start DMs the approvers
// whose record is still there (unpostedAtStart). dmApprover forgets it
// once the DM is out.
func (b *Bot) dmsPending(ctx context.Context, r *desk.Request) {
	if b.cfg.DealDesk.Channel != "" {
		return
	}
	for _, u := range r.Waiting() {
		_, _ = b.store.PostMarker(ctx, deskDMKey(r.ID, r.Revision, u), newMarker)
	}
}

// dmApprover sends request r's message v to approver u by DM, carrying its
// record's marker: when a stopped run's attempt may have gone out, the DM
// conversation is read for it before anything is sent again (see marked).
// Once out, the record is forgotten; a refusal is not retried (as any DM),
// an uncertain attempt is recorded for the next tick.
func (b *Bot) dmApprover(ctx context.Context, m Messenger, r *desk.Request, u domain.UserID, v Reply) error {
	return b.sendOwed(ctx, deskDMKey(r.ID, r.Revision, u), "", u, func(mctx context.Context) error { return m.DM(mctx, u, v) })
}

// sendOwed sends what record key owes (to channel, or to actor by DM)
// with send, carrying the record's marker (marked): once out the record is
// forgotten, and so is it after a refusal (not retried, as any DM); an
// uncertain attempt is recorded for the next tick.
func (b *Bot) sendOwed(ctx context.Context, key, channel string, actor domain.UserID, send func(context.Context) error) error {
	mctx, err := b.marked(ctx, key)
	if err != nil {
		return err
	}
	if err := send(mctx); err != nil {
		if ReasonOf(err) == PostUncertain {
			_, _ = b.store.PostFailed(ctx, key, channel, actor, string(PostUncertain), err.Error())
			return err
		}
		_ = b.store.ForgetPost(ctx, key)
		return err
	}
	return b.store.ForgetPost(ctx, key)
}

// sayRevision refreshes revision r's message in its thread th and says the
// revision there, once: the reply carries the marker of its record
// (deskRevKey, written before the rep heard it was sent), so a retry after
// a stop reads the thread for it before saying it again. Once said, the
// record is forgotten; an uncertain attempt is recorded for the next tick.
func (b *Bot) sayRevision(ctx context.Context, m Messenger, r *desk.Request, th desk.Thread) error {
	b.refresh(ctx, m, r, th)
	said := Announcement{Msgs: []Msg{M("deskbot.thread.revised", r.Requester, r.Revision, domain.Percent(r.DiscountBP), r.Waiting(), string(r.Steps[r.Current].Role))}}
	return b.sendOwed(ctx, deskRevKey(r.ID, r.Revision), th.Channel, "", func(mctx context.Context) error {
		_, err := m.Post(mctx, th.Channel, th.Ref, said)
		return err
	})
}

// refresh updates a request's root message to its current state.
func (b *Bot) refresh(ctx context.Context, m Messenger, r *desk.Request, th desk.Thread) {
	if !th.Posted() {
		return
	}
	if v, err := b.view(ctx, r); err == nil {
		_ = m.Update(ctx, th.Channel, th.Ref, v)
	}
}

// threadSay replies in a request's thread (or, unposted, says nothing).
func (b *Bot) threadSay(ctx context.Context, m Messenger, r *desk.Request, th desk.Thread, msgs ...Msg) {
	if !th.Posted() {
		return
	}
	_, _ = m.Post(ctx, th.Channel, th.Ref, Announcement{Msgs: msgs})
}

// --- deciding ---------------------------------------------------------------

// turn is the request and turn a button or comment form is about.
type turn struct {
	id        uint64
	rev, step int
	verdict   desk.Verdict
}

func parseTurn(s string) (turn, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 3 {
		return turn{}, false
	}
	id, err1 := strconv.ParseUint(parts[0], 10, 64)
	rev, err2 := strconv.Atoi(parts[1])
	step, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || id == 0 {
		return turn{}, false
	}
	t := turn{id: id, rev: rev, step: step}
	if len(parts) > 3 {
		t.verdict = desk.Verdict(parts[3])
	}
	return t, true
}

func (t turn) String() string {
	s := fmt.Sprintf("%d:%d:%d", t.id, t.rev, t.step)
	if t.verdict != "" {
		s += ":" + string(t.verdict)
	}
	return s
}

// TurnValue is the value of a request message's buttons.
func TurnValue(r *desk.Request) string {
	return turn{id: r.ID, rev: r.Revision, step: r.Current}.String()
}

// deskAction answers a request message's button: Approve decides at once;
// Reject and Request changes open a form for the reason, once the clicker
// is known to be allowed to decide.
func (b *Bot) deskAction(ctx context.Context, c Caller, actionID, value string) (Reply, error) {
	t, ok := parseTurn(value)
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "deskbot.bad_button")
	}
	switch actionID {
	case ActionDeskApprove:
		return b.decide(ctx, c, t, desk.Approve, "", "")
	case ActionDeskReject:
		t.verdict = desk.Reject
	case ActionDeskChanges:
		t.verdict = desk.Changes
	}
	r, _, err := b.store.DeskRequest(ctx, t.id)
	if err != nil {
		return nil, err
	}
	// Would this user's decision be taken? Try it on a copy, with a
	// placeholder reason, before asking them to type one.
	trial := b.current(r)
	if err := trial.CheckTurn(t.rev, t.step); err != nil {
		return nil, inZone(err, b.Zone(c))
	}
	if err := trial.Decide(c.User, t.verdict, "-", b.clock.Now()); err != nil {
		return nil, inZone(err, b.Zone(c))
	}
	label := M("deskbot.comment.reason")
	title := M("deskbot.comment.title_reject", r.ID)
	if t.verdict == desk.Changes {
		label, title = M("deskbot.comment.changes"), M("deskbot.comment.title_changes", r.ID)
	}
	return OpenForm{Form: Form{
		Kind: FormDeskComment, Title: title, Submit: M("deskbot.comment.submit"),
		Meta:   FormMeta{Deal: r.Deal, Channel: c.Channel, Ref: t.String()},
		Inputs: []Input{{Field: desk.FieldComment, Kind: LongTextInput, Label: label, MaxLen: domain.MaxTextLen}},
	}}, nil
}

// SubmitDeskComment records a rejection or a request for changes with its
// reason.
func (b *Bot) SubmitDeskComment(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	t, ok := parseTurn(meta.Ref)
	if !ok || !t.verdict.Valid() {
		return nil, domain.Errorf(domain.EINVALID, "deskbot.bad_button")
	}
	return b.decide(ctx, c, t, t.verdict, v[desk.FieldComment], submissionKey(key, v))
}

// decide records c.User's verdict on the request's turn t (t.rev 0: the
// current turn, as a thread reply decides) and says it: a thread reply, the
// root message updated, the rep told when the request leaves pending. A
// decision made in a form carries its submission key: the same submission
// again (a double submit, a redelivery) gets the first answer and
// announces nothing twice.
func (b *Bot) decide(ctx context.Context, c Caller, t turn, verdict desk.Verdict, comment, key string) (Reply, error) {
	f := desk.DecisionForm{
		By: c.User, Verdict: verdict, Comment: comment, Revision: t.rev, Step: t.step,
		Policy: b.deskPolicy(), Org: b.cfg, Now: b.clock.Now(),
	}
	r, th, changes, again, err := b.store.SaveDeskDecision(ctx, t.id, f, key)
	if err != nil {
		return nil, inZone(err, b.Zone(c))
	}
	if again {
		return Notice{Msgs: []Msg{M("deskbot.decided."+string(verdict), r.ID)}}, nil
	}
	dec, _ := r.LastDecision()
	post := Post{Run: func(ctx context.Context, m Messenger) error {
		if len(changes) > 0 {
			b.threadSay(ctx, m, r, th, approversChanged(changes)...)
		}
		b.announce(ctx, m, r, th, dec)
		return nil
	}}
	return WithPosts{Reply: Notice{Msgs: []Msg{M("deskbot.decided."+string(verdict), r.ID)}}, Posts: []Post{post}}, nil
}

// announce says a decision: in the thread, on the root message, to the rep
// when the request left pending, and to the next approvers when it was not
// posted in a channel.
func (b *Bot) announce(ctx context.Context, m Messenger, r *desk.Request, th desk.Thread, dec desk.Decision) {
	if !th.Posted() {
		// Posted a moment ago: its thread may be recorded by now.
		if _, t, err := b.store.DeskRequest(ctx, r.ID); err == nil {
			th = t
		}
	}
	b.refresh(ctx, m, r, th)
	var line Msg
	// Each line says where the chain stands now.
	n := len(r.Steps)
	switch {
	case dec.Verdict == desk.Approve && r.Status == desk.StatusPending:
		line = M("deskbot.thread.step_approved", dec.By, dec.Step+1, n, string(dec.Role), commentMsg(dec.Comment),
			b.current(r).Waiting(), string(r.Steps[r.Current].Role), r.Current+1, n)
	case dec.Verdict == desk.Approve:
		line = M("deskbot.thread.approved", dec.By, dec.Step+1, n, string(dec.Role), commentMsg(dec.Comment), domain.Percent(r.DiscountBP)).WithIcon(IconApproved)
	case dec.Verdict == desk.Reject:
		line = M("deskbot.thread.rejected", dec.By, dec.Step+1, n, string(dec.Role), dec.Comment).WithIcon(IconRejected)
	default:
		line = M("deskbot.thread.changes", dec.By, dec.Step+1, n, string(dec.Role), dec.Comment, r.Requester).WithIcon(IconChangesRequested)
	}
	b.threadSay(ctx, m, r, th, line)
	d, err := b.store.Deal(ctx, r.Deal)
	if err != nil {
		return
	}
	net := domain.Money{Minor: r.NetAmount, Currency: r.Currency}
	switch r.Status {
	case desk.StatusApproved:
		_ = m.DM(ctx, r.Requester, Notice{Msgs: []Msg{M("deskbot.dm.approved", domain.Percent(r.DiscountBP), d.ID.Ref(), d.Name, dec.By, net)}})
	case desk.StatusRejected:
		_ = m.DM(ctx, r.Requester, Notice{Msgs: []Msg{M("deskbot.dm.rejected", domain.Percent(r.DiscountBP), d.ID.Ref(), d.Name, dec.By, dec.Comment)}})
	case desk.StatusChangesRequested:
		_ = m.DM(ctx, r.Requester, Notice{Msgs: []Msg{M("deskbot.dm.changes", domain.Percent(r.DiscountBP), d.ID.Ref(), d.Name, dec.By, dec.Comment, d.ID.Ref())}})
	case desk.StatusPending:
		if !th.Posted() {
			if v, err := b.view(ctx, r); err == nil {
				for _, u := range r.Waiting() {
					_ = m.DM(ctx, u, v)
				}
			}
		}
	}
}

// commentMsg is an optional comment after a sentence: ": looks fine", or
// nothing.
func commentMsg(c string) Msg {
	if c == "" {
		return M("raw", "")
	}
	return M("deskbot.comment_suffix", c)
}

// ThreadReply reads a message posted in a thread: in a request's thread,
// "approve [comment]", "reject <reason>" or "changes <what>" decide as the
// buttons do. Anything else is conversation and ignored. A refusal is shown
// to its author only. A decision's announcements are returned as work for
// the transport to do, as any answer's are (see Post).
func (b *Bot) ThreadReply(ctx context.Context, m Messenger, c Caller, channel, threadRef, text string) ([]Post, error) {
	verdict, comment, ok := desk.ParseReply(text)
	hesitant := false
	if !ok {
		if _, hesitant = desk.Hesitant(text); !hesitant {
			return nil, nil
		}
	}
	r, _, err := b.store.DeskRequestByThread(ctx, channel, threadRef)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if hesitant {
		// A question or a sentence that starts with a decision word: the
		// approver it waits on is told how to decide, nobody else is.
		if b.current(r).ApproverWaiting(c.User) {
			return nil, m.Ephemeral(ctx, channel, threadRef, c.User, Notice{Msgs: []Msg{M("deskbot.reply.not_taken")}})
		}
		return nil, nil
	}
	reply, err := b.decide(ctx, c, turn{id: r.ID}, verdict, comment, "")
	if err != nil {
		msgs, ok := errMsgs(err)
		if !ok {
			return nil, err
		}
		return nil, m.Ephemeral(ctx, channel, threadRef, c.User, Notice{Msgs: msgs})
	}
	if w, ok := reply.(WithPosts); ok {
		return w.Posts, nil
	}
	return nil, nil
}

// --- expiry -----------------------------------------------------------------

// errNotDue says a request is not past its expiry after all.
var errNotDue = errors.New("desk: not due")

// deskJobs expires requests left undecided past expire_after_days, and
// brings pending requests' approvers in line with the configuration.
func (b *Bot) deskJobs() []Job {
	return []Job{{Name: "desk_expire", Run: b.expireRequests}, {Name: "desk_approvers", Run: b.syncApprovers}}
}

// errUnchanged says a request's approvers are already the configuration's.
var errUnchanged = errors.New("desk: approvers unchanged")

// syncApprovers records, for every pending request whose approvers the
// configuration changed (a manager replaced, a role given to someone
// else), who holds each step now; the request's message is updated, its
// thread says what changed, and the current step's new approvers are told
// by DM. Deciding re-resolves approvers too, so nobody removed could
// decide in between.
func (b *Bot) syncApprovers(ctx context.Context, m Messenger, _ time.Time) error {
	open, err := b.store.DeskRequests(ctx, 0, true)
	if err != nil {
		return err
	}
	for _, p := range open {
		if p.Request.Status != desk.StatusPending || !changed(b.current(p.Request), p.Request) {
			continue
		}
		var changes []desk.StepChange
		var before desk.Users
		r, th, err := b.store.UpdateDeskRequest(ctx, p.Request.ID, 0, func(x *desk.Request) error {
			before = x.Waiting()
			if changes = b.reresolve(x); len(changes) == 0 {
				return errUnchanged
			}
			return nil
		})
		if errors.Is(err, errUnchanged) || domain.ErrorCode(err) == domain.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		b.refresh(ctx, m, r, th)
		b.threadSay(ctx, m, r, th, approversChanged(changes)...)
		v, err := b.view(ctx, r)
		if err != nil {
			return err
		}
		for _, u := range r.Waiting() {
			if !slices.Contains(before, u) {
				_ = m.DM(ctx, u, v)
			}
		}
	}
	return nil
}

// changed reports whether two versions of a request name different approvers.
func changed(a, b *desk.Request) bool {
	if len(a.Steps) != len(b.Steps) {
		return true
	}
	for i := range a.Steps {
		if !slices.Equal(a.Steps[i].Approvers, b.Steps[i].Approvers) {
			return true
		}
	}
	return false
}

// approversChanged is the thread's note of approvers changed by the
// configuration, one line per step.
func approversChanged(changes []desk.StepChange) []Msg {
	msgs := make([]Msg, len(changes))
	for i, c := range changes {
		msgs[i] = M("deskbot.thread.approvers_changed", c.Step+1, string(c.Role), c.After, c.Before).WithIcon(IconPeople)
	}
	return msgs
}

func (b *Bot) expireRequests(ctx context.Context, m Messenger, now time.Time) error {
	open, err := b.store.DeskRequests(ctx, 0, true)
	if err != nil {
		return err
	}
	for _, p := range open {
		if p.Request.Status != desk.StatusPending || now.Before(p.Request.ExpiresAt) {
			continue
		}
		var waiting desk.Users
		r, th, err := b.store.UpdateDeskRequest(ctx, p.Request.ID, 0, func(x *desk.Request) error {
			waiting = b.current(x).Waiting()
			if !x.Expire(now) {
				return errNotDue
			}
			return nil
		})
		if errors.Is(err, errNotDue) {
			continue
		}
		if err != nil {
			return err
		}
		d, err := b.store.Deal(ctx, r.Deal)
		if err != nil && domain.ErrorCode(err) != domain.EDAMAGED {
			return err
		}
		b.refresh(ctx, m, r, th)
		b.threadSay(ctx, m, r, th, M("deskbot.thread.expired", b.cfg.DealDesk.ExpireAfterDays, r.Requester).WithIcon(IconExpired))
		if d == nil {
			continue // a deal record that cannot be read (the store logged it): no DM can name it
		}
		_ = m.DM(ctx, r.Requester, Notice{Msgs: []Msg{M("deskbot.dm.expired", domain.Percent(r.DiscountBP), d.ID.Ref(), d.Name, b.cfg.DealDesk.ExpireAfterDays, d.ID.Ref())}})
		for _, u := range waiting {
			_ = m.DM(ctx, u, Notice{Msgs: []Msg{M("deskbot.dm.expired_approver", r.ID, domain.Percent(r.DiscountBP), d.ID.Ref(), d.Name, r.Requester)}})
		}
	}
	return nil
}

// --- /deal withdraw ---------------------------------------------------------

// dealWithdraw answers /deal withdraw D-12: the caller's open request on
// the deal (pending, or sent back for changes) is withdrawn, its message in
// the deal-desk channel shows it, and its thread says so.
func (b *Bot) dealWithdraw(ctx context.Context, c Caller, args string) (Reply, error) {
	if strings.TrimSpace(args) == "" {
		return nil, domain.Errorf(domain.EINVALID, "deskbot.withdraw_usage")
	}
	d, cands, err := b.find(ctx, c, args, scopeEditable)
	if err != nil || cands != nil {
		return cands, err
	}
	open, err := b.store.DeskRequests(ctx, d.ID, true)
	if err != nil {
		return nil, err
	}
	var mine, others *desk.Request
	for _, p := range open {
		if p.Request.Requester == c.User {
			mine = p.Request
		} else {
			others = p.Request
		}
	}
	switch {
	case mine == nil && others != nil:
		return nil, domain.Errorf(domain.EFORBIDDEN, "desk.withdraw_not_yours", desk.Users{others.Requester})
	case mine == nil:
		return nil, domain.Errorf(domain.ENOTFOUND, "deskbot.withdraw_none", d.ID.Ref())
	}
	var waiting desk.Users
	r, th, err := b.store.UpdateDeskRequest(ctx, mine.ID, 0, func(x *desk.Request) error {
		waiting = b.current(x).Waiting()
		return x.Withdraw(c.User, b.clock.Now())
	})
	if err != nil {
		return nil, inZone(err, b.Zone(c))
	}
	if !th.Posted() {
		_ = b.store.ForgetPost(ctx, deskPostKey(r.ID)) // never to be posted now
	}
	post := Post{Run: func(ctx context.Context, m Messenger) error {
		b.refresh(ctx, m, r, th)
		b.threadSay(ctx, m, r, th, M("deskbot.thread.withdrawn", r.Requester, domain.Percent(r.DiscountBP)).WithIcon(IconWithdrawn))
		if !th.Posted() { // the approvers got it by DM: tell them there
			for _, u := range waiting {
				_ = m.DM(ctx, u, Notice{Msgs: []Msg{M("deskbot.dm.withdrawn", r.ID, domain.Percent(r.DiscountBP), d.ID.Ref(), d.Name, r.Requester)}})
			}
		}
		return nil
	}}
	return WithPosts{Reply: Notice{Msgs: []Msg{M("deskbot.withdrawn", r.ID, d.ID.Ref(), domain.Percent(r.DiscountBP))}}, Posts: []Post{post}}, nil
}

// --- /deal approvals --------------------------------------------------------

// dealApprovals lists the requests waiting on the caller, oldest first.
func (b *Bot) dealApprovals(ctx context.Context, c Caller, _ string) (Reply, error) {
	open, err := b.store.DeskRequests(ctx, 0, true)
	if err != nil {
		return nil, err
	}
	now := b.clock.Now()
	threads := map[uint64]desk.Thread{}
	var reqs []*desk.Request
	for _, p := range open {
		if now.Before(p.Request.ExpiresAt) {
			reqs = append(reqs, b.current(p.Request))
			threads[p.Request.ID] = p.Thread
		}
	}
	out := DeskApprovals{Zone: b.Zone(c)}
	for _, r := range desk.Pending(reqs, c.User) {
		d, err := b.store.Deal(ctx, r.Deal)
		if domain.ErrorCode(err) == domain.EDAMAGED {
			continue // the store logged it; the other requests still show
		}
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, DeskApproval{Request: r, Deal: d, Thread: threads[r.ID]})
	}
	return out, nil
}

// --- mutual action plans ----------------------------------------------------

// dealPlan opens the plan form of a deal: one milestone per line.
func (b *Bot) dealPlan(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeEditable)
	if err != nil || cands != nil {
		return cands, err
	}
	if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
		return nil, err
	}
	plan, version, err := b.store.PlanVersion(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	return OpenForm{Form: Form{
		Kind: FormPlan, Title: M("deskbot.plan.title", d.ID.Ref()), Submit: M("deskbot.plan.submit"),
		Meta: FormMeta{Deal: d.ID, Version: version, Channel: c.Channel},
		Inputs: []Input{{Field: desk.FieldPlan, Kind: LongTextInput, Label: M("desk.field.plan"), Optional: true,
			Hint: M("deskbot.plan.hint"), Placeholder: M("deskbot.plan.placeholder"),
			Initial: desk.FormatPlan(plan), MaxLen: maxPlanText}},
	}}, nil
}

// maxPlanText is what a multiline input holds in Slack.
const maxPlanText = 3000

// SubmitPlan saves the plan form, on the plan's version it was opened on
// (meta.Version: a save since, by anyone, refuses it) and once per
// submission (key).
func (b *Bot) SubmitPlan(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	f := desk.PlanForm{
		Submission: domain.Submission{Values: v, Opened: meta.Version, By: c.User},
		Deal:       meta.Deal, Org: b.cfg, Locale: b.cfg.Locale, Now: b.Now(c),
	}
	plan, d, err := b.store.SavePlanForm(ctx, f, submissionKey(key, v))
	if err != nil {
		return nil, err
	}
	done, total := plan.Progress()
	return b.card(ctx, c, d, []Msg{M("deskbot.plan.saved", d.ID.Ref(), total, done)})
}

// openedConflict is why a form opened on meta.Version of d cannot be
// used: the refusal of domain.CheckOpened, naming each change since.
func (b *Bot) openedConflict(ctx context.Context, meta FormMeta, d *domain.Deal) error {
	hist, err := b.store.History(ctx, d.ID)
	if err != nil {
		return err
	}
	return domain.CheckOpened(meta.Version, d, hist)
}
