package desk

import (
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// PlanForm is the plan form submitted: a deal's mutual action plan, one
// milestone per line (ParsePlan). The store applies it once, in the write
// transaction that saves what it returns.
type PlanForm struct {
	// Values[FieldPlan] is the plan as written; Opened is the plan's
	// version the form was opened on (StoredPlan.Version); By submitted
	// it. Today is not used.
	domain.Submission
	Deal   domain.DealID
	Org    domain.Org
	Locale domain.Locale
	Now    time.Time // in By's time zone: what "fri" is read from
}

// StoredPlan is a deal's plan as stored when a form is submitted: its
// version (1 for a plan never saved, one more with each save), and who
// saved it last and when (empty for none).
type StoredPlan struct {
	Plan    Plan
	Version uint64
	By      domain.UserID
	At      time.Time
}

// Apply returns the plan the form saves on deal (as stored, with its plan
// cur), or why nothing may be saved. In this order, each refusal ending
// it:
//   - who may change the deal (domain.CanEdit);
//   - the plan as written (ParsePlan: every line's problem together);
//   - the plan's version it was opened on: none, or one the plan never
//     had, is EINVALID form.no_version; a save since, by anyone, is a
//     *domain.Conflict naming who saved which plan and when, since saving
//     this one would undo it.
func (f PlanForm) Apply(deal *domain.Deal, cur StoredPlan) (Plan, error) {
	if err := domain.CanEdit(f.Org, f.By, deal); err != nil {
		return Plan{}, err
	}
	p, err := ParsePlan(f.Values[FieldPlan], f.Locale, f.Now)
	if err != nil {
		return Plan{}, err
	}
	switch {
	case f.Opened == 0 || f.Opened > cur.Version:
		return Plan{}, domain.Errorf(domain.EINVALID, "form.no_version", deal.ID.Ref())
	case f.Opened < cur.Version:
		change := domain.HistoryEntry{Deal: deal.ID, At: cur.At, By: cur.By, Field: FieldPlan, New: cur.Plan.summary()}
		return Plan{}, &domain.Conflict{Deal: deal.ID, By: cur.By, At: cur.At, Currency: deal.Currency, Changes: []domain.HistoryEntry{change}}
	}
	return p, nil
}

// summary is a plan in one line, for a conflict to say what was saved.
func (p Plan) summary() string {
	parts := make([]string, len(p.Milestones))
	for i, m := range p.Milestones {
		parts[i] = m.Due.String() + " " + m.What
		if m.Done {
			parts[i] += " ✓"
		}
	}
	return strings.Join(parts, "; ")
}

// FormatPlan writes a plan as the plan form reads it, one milestone per
// line: "2026-12-01 | customer | Security review | done".
func FormatPlan(p Plan) string {
	lines := make([]string, len(p.Milestones))
	for i, m := range p.Milestones {
		lines[i] = m.Due.String() + " | " + string(m.Side) + " | " + m.What
		if m.Done {
			lines[i] += " | done"
		}
	}
	return strings.Join(lines, "\n")
}

// ParsePlan reads the plan form: one milestone per non-blank line, "due |
// side | what [| done]", the due date as the deal fields take dates
// (2026-12-01, or words such as "fri" relative to now), the side ours or
// customer (or nous, client…), and "done" (or "x", "fait") to mark it
// done. Every problem is returned at once, each naming its line; more
// than MaxMilestones lines is refused as a whole.
func ParsePlan(text string, loc domain.Locale, now time.Time) (Plan, error) {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > MaxMilestones {
		return Plan{}, Plan{Milestones: make([]Milestone, len(lines))}.Validate()
	}
	var p Plan
	var es domain.Errors
	for i, l := range lines {
		n := i + 1
		parts := strings.Split(l, "|")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		if len(parts) < 3 || len(parts) > 4 {
			es = append(es, domain.FieldErrorf(FieldPlan, "deskbot.plan.line", n))
			continue
		}
		due, err := domain.ParseDateField(FieldPlan, parts[0], loc, now)
		if err != nil {
			es = append(es, domain.FieldErrorf(FieldPlan, "deskbot.plan.date", n, parts[0]))
		}
		side, ok := ParseSide(parts[1])
		if !ok {
			es = append(es, domain.FieldErrorf(FieldPlan, "desk.milestone_side", n))
		}
		done := false
		if len(parts) == 4 {
			switch strings.ToLower(parts[3]) {
			case "done", "x", "yes", "fait", "oui":
				done = true
			case "", "todo", "no", "non", "à faire":
			default:
				es = append(es, domain.FieldErrorf(FieldPlan, "deskbot.plan.done", n, parts[3]))
			}
		}
		p.Milestones = append(p.Milestones, Milestone{What: parts[2], Side: side, Due: due, Done: done})
	}
	if len(es) > 0 {
		return Plan{}, es
	}
	if err := p.Validate(); err != nil {
		return Plan{}, err
	}
	return p, nil
}
