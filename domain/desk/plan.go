package desk

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// Side says whose milestone it is.
type Side string

// Sides of a mutual action plan.
const (
	Ours     Side = "ours"     // the seller's team does it
	Customer Side = "customer" // the customer does it
)

// Valid reports whether s is Ours or Customer.
func (s Side) Valid() bool { return s == Ours || s == Customer }

// ParseSide reads a side as typed or chosen in either language: "ours",
// "us", "we", "nous"; "customer", "client", "them", "eux".
func ParseSide(s string) (Side, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ours", "our", "us", "we", "nous", "vendeur":
		return Ours, true
	case "customer", "client", "them", "theirs", "eux":
		return Customer, true
	}
	return "", false
}

// Milestone is one step of a mutual action plan.
type Milestone struct {
	What string
	Side Side
	Due  domain.Date
	Done bool
}

// Plan is a deal's mutual action plan: what each side does, and by when,
// until signature.
type Plan struct {
	Milestones []Milestone
}

// Limits of a plan, so that one plan cannot bloat the file or break a Slack
// message.
const (
	MaxMilestones   = 50
	MaxMilestoneLen = 300 // characters of a milestone's What
)

// Validate checks a plan: at most MaxMilestones milestones, each with a
// What of at most MaxMilestoneLen characters, a side and a due date. A plan
// with too many milestones gets that one error (not one per milestone);
// otherwise every problem is returned at once, each naming its milestone by
// its position from 1. Errors are on FieldPlan.
func (p Plan) Validate() error {
	if n := len(p.Milestones); n > MaxMilestones {
		return domain.Errors{domain.FieldErrorf(FieldPlan, "desk.plan_too_many", Number(n), MaxMilestones)}
	}
	var es domain.Errors
	add := func(key string, args ...any) { es = append(es, domain.FieldErrorf(FieldPlan, key, args...)) }
	for i, m := range p.Milestones {
		n := i + 1
		switch {
		case strings.TrimSpace(m.What) == "":
			add("desk.milestone_what", n)
		case utf8.RuneCountInString(m.What) > MaxMilestoneLen:
			add("desk.milestone_too_long", n, MaxMilestoneLen)
		}
		if !m.Side.Valid() {
			add("desk.milestone_side", n)
		}
		if m.Due.IsZero() {
			add("desk.milestone_due", n)
		}
	}
	return es.Err()
}

// Progress returns how many milestones are done, and how many there are.
func (p Plan) Progress() (done, total int) {
	for _, m := range p.Milestones {
		if m.Done {
			done++
		}
	}
	return done, len(p.Milestones)
}

// Sorted returns the milestones by due date, milestones due the same day in
// the plan's order; p is not changed.
func (p Plan) Sorted() []Milestone {
	ms := slices.Clone(p.Milestones)
	slices.SortStableFunc(ms, func(a, b Milestone) int { return a.Due.Compare(b.Due) })
	return ms
}
