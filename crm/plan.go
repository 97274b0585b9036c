package crm

import (
	"github.com/dealpilot/dealpilot/domain"
	"slices"
)

// Action is what an import does with one row.
type Action string

// Actions, as the dry-run report names them.
const (
	Create    Action = "create"
	Update    Action = "update"
	Unchanged Action = "unchanged"
	Conflict  Action = "conflict" // changed in dealpilot and in the file: dealpilot's kept
	Invalid   Action = "invalid"
	Skip      Action = "skip" // left out on purpose (Mapped.Skip says why)
)

// Existing is a deal an earlier import created, found by its external id,
// with the values that import wrote (Base): what the CRM said then.
type Existing struct {
	Deal *domain.Deal
	Base map[domain.Field]string
}

// FieldConflict is a field both dealpilot and the file changed since the
// last import, to different values.
type FieldConflict struct {
	Field  domain.Field
	Ours   string // the deal's value in dealpilot
	Theirs string // the file's
}

// Outcome is the plan for one row.
type Outcome struct {
	Action    Action
	Mapped    *Mapped
	Existing  *domain.Deal    // the deal found by external id; nil for a new one
	Deal      *domain.Deal    // the deal as it will be (Create, Update, Conflict)
	Changes   []domain.Change // what an update changes
	Conflicts []FieldConflict
	Err       error // the deal as it would be breaks a rule of domain (Deal.Validate)
}

// Plan decides what to do with a mapped row given the deal an earlier
// import made of it (nil when none). The file wins a field when dealpilot
// has not changed it since the last import; a field both changed is a
// conflict, kept as dealpilot has it unless preferFile.
func Plan(m *Mapped, ex *Existing, preferFile bool) Outcome {
	o := Outcome{Mapped: m}
	if m.Skip != "" && len(m.Problems) == 0 {
		o.Action = Skip
		return o
	}
	if len(m.Problems) > 0 {
		o.Action = Invalid
		return o
	}
	if ex == nil {
		d := m.Deal
		d.ExternalID = m.ExternalID
		if d.Currency == "" {
			o.Action = Invalid
			o.Mapped.Problems = append(o.Mapped.Problems, Problem{Key: "crm.amount.no_column"})
			return o
		}
		o.Deal, o.Action = &d, Create
		if err := d.Validate(); err != nil {
			o.Action, o.Err = Invalid, err
		}
		return o
	}
	o.Existing = ex.Deal
	next := *ex.Deal
	for _, f := range m.Fields {
		theirs, ours := m.Deal.Get(f), ex.Deal.Get(f)
		if theirs == ours {
			continue
		}
		base, known := ex.Base[f]
		if known && theirs == base {
			continue // the file still says what it said: dealpilot's change stands
		}
		if known && ours != base && !preferFile {
			o.Conflicts = append(o.Conflicts, FieldConflict{Field: f, Ours: ours, Theirs: theirs})
			continue
		}
		copyField(&next, &m.Deal, f)
		if f == domain.FieldNextStep {
			copyField(&next, &m.Deal, domain.FieldNextStepDue)
		}
	}
	o.Changes = domain.Diff(ex.Deal, &next)
	switch {
	case len(o.Conflicts) > 0:
		o.Action = Conflict
	case len(o.Changes) == 0:
		o.Action = Unchanged
		return o
	default:
		o.Action = Update
	}
	o.Deal = &next
	if len(o.Changes) > 0 {
		if err := next.Validate(); err != nil {
			o.Action, o.Err = Invalid, err
		}
	}
	return o
}

// Base is what the file says of the fields it sets, kept as the next
// import's base.
func (m *Mapped) Base() map[domain.Field]string {
	b := make(map[domain.Field]string, len(m.Fields))
	for _, f := range m.Fields {
		b[f] = m.Deal.Get(f)
	}
	return b
}

// copyField sets field f of d to src's.
func copyField(d, src *domain.Deal, f domain.Field) {
	if name, ok := f.Attr(); ok {
		d.SetAttr(name, src.Attributes.Get(name))
		return
	}
	switch f {
	case domain.FieldName:
		d.Name = src.Name
	case domain.FieldAccount:
		d.Account = src.Account
	case domain.FieldOwner:
		d.Owner = src.Owner
	case domain.FieldAmount:
		d.Amount = src.Amount
	case domain.FieldCurrency:
		d.Currency = src.Currency
	case domain.FieldStage:
		d.Stage = src.Stage
	case domain.FieldCategory:
		d.Category = src.Category
	case domain.FieldCloseDate:
		d.CloseDate = src.CloseDate
	case domain.FieldNextStep:
		d.NextStep = src.NextStep
	case domain.FieldNextStepDue:
		d.NextStepDue = src.NextStepDue
	case domain.FieldStatus:
		d.Status = src.Status
	case domain.FieldLossReason:
		d.LossReason = src.LossReason
	case domain.FieldNeed:
		d.Need = src.Need
	case domain.FieldDecisionMakers:
		d.DecisionMakers = src.DecisionMakers
	case domain.FieldBudget:
		d.Budget = src.Budget
	case domain.FieldTimeline:
		d.Timeline = src.Timeline
	case domain.FieldRisk:
		d.Risk = src.Risk
	case domain.FieldCompetitor:
		d.Competitor = src.Competitor
	case domain.FieldType:
		d.Type = src.Type
	case domain.FieldTerm:
		d.TermMonths = src.TermMonths
	case domain.FieldRecurring:
		d.Recurring = src.Recurring
	case domain.FieldSplits:
		d.Splits = slices.Clone(src.Splits)
	}
}

// importedFields are the fields an import may set, for tests to check
// copyField covers them.
var importedFields = []domain.Field{
	domain.FieldName, domain.FieldAccount, domain.FieldOwner, domain.FieldAmount, domain.FieldCurrency,
	domain.FieldStage, domain.FieldCategory, domain.FieldCloseDate, domain.FieldNextStep,
	domain.FieldNextStepDue, domain.FieldStatus, domain.FieldLossReason,
	domain.FieldNeed, domain.FieldDecisionMakers, domain.FieldBudget, domain.FieldTimeline, domain.FieldRisk,
	domain.FieldCompetitor, domain.FieldType, domain.FieldTerm, domain.FieldRecurring, domain.FieldSplits,
}
