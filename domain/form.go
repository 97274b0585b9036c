package domain

import (
	"slices"
	"strings"
)

// FormRules is what a submitted form is held to beyond the deal's own rules
// (Deal.Validate): who may change deals (Org), the pipeline's stages, and
// how amounts are written (Locale) and in which currency.
type FormRules struct {
	Org      Org
	Stages   Stages
	Locale   Locale
	Currency string
	// Attrs are the segment attributes a form may set (issue 21).
	Attrs []AttrRule
}

// AttrRule is a segment attribute a form may set and its allowed values,
// as the configuration's segments: lists them.
type AttrRule struct {
	Name   string
	Values []string
}

// ClearAttr is the value of an attribute's select that clears it.
const ClearAttr = "-"

// applyAttrs sets on d the attributes of rules that the form holds (an
// input of the form AttrField(name)): a value matched whatever its case
// and spaces and saved as configured, ClearAttr or blank clears it, any
// other value is refused with the allowed ones.
func applyAttrs(d *Deal, v map[Field]string, rules []AttrRule) Errors {
	var es Errors
	key := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	for _, r := range rules {
		f := AttrField(r.Name)
		s, shown := v[f]
		if !shown {
			continue
		}
		s = strings.TrimSpace(s)
		if s == "" || s == ClearAttr {
			d.SetAttr(r.Name, "")
			continue
		}
		i := slices.IndexFunc(r.Values, func(x string) bool { return key(x) == key(s) })
		if i < 0 {
			es = append(es, FieldErrorf(f, "segment.unknown_value", s, f, strings.Join(r.Values, ", ")))
			continue
		}
		d.SetAttr(r.Name, r.Values[i])
	}
	return es
}

// Submission is one submitted form: its values by field (text as typed,
// dates as YYYY-MM-DD, selects as the chosen option's value; empty or
// absent when left blank), the version of the deal it was opened on (0 for
// a form about no deal yet), who submitted it, and their today.
type Submission struct {
	Values map[Field]string
	Opened uint64
	By     UserID
	Today  Date
}

// DealForm is a submitted form about an existing deal, as the store
// applies it: once, in the write transaction that saves what it returns.
type DealForm interface {
	// Apply returns the deal as the form leaves cur (the deal as stored
	// now, which Apply does not change), or why nothing may be saved.
	// history reads cur's history, oldest first; it is asked only when cur
	// changed since the form was opened, to name each change.
	Apply(cur *Deal, history func() ([]HistoryEntry, error)) (*Deal, error)
}

// UpdateForm is the update form submitted: every field of the deal at once.
type UpdateForm struct {
	Submission
	Rules FormRules
}

// Apply holds the update form to, in this order (each refusal ends it):
//   - what the form says by itself: an amount that is not one, a stage the
//     pipeline does not have, a deal type, contract term or recurring value
//     that cannot be read (every such field error together: the rest
//     is checked against what they say, so only once they can be read);
//   - the version it was opened on (CheckOpened: any change since, by
//     anyone, is a *Conflict naming each, since saving every field the
//     form shows would revert it);
//   - who may change the deal (CanEdit), and that it is still open;
//   - the deal as the form leaves it: a close date it moves into the past,
//     the stage's entry criteria and a dated next step not past
//     (Stages.CheckOpenDeal), Validate; every field error together, the
//     first of each field only, so a form shows one message per input.
//
// The stage moves as a quick stage move does (Stages.Move); a category
// changed in the form wins over the one the stage brings.
func (f UpdateForm) Apply(cur *Deal, history func() ([]HistoryEntry, error)) (*Deal, error) {
	v, r := f.Values, f.Rules
	var es Errors
	amount, err := ParseAmount(v[FieldAmount], r.Locale, r.Currency)
	if err != nil {
		es = es.add(err)
	}
	st, ok := r.Stages.Lookup(v[FieldStage])
	if !ok {
		es = append(es, FieldErrorf(FieldStage, "stage.unknown", v[FieldStage], r.Stages.Names()))
	}
	contract, cerr := readContract(v, r)
	es = append(es, cerr...)
	if len(es) > 0 {
		return nil, es
	}
	closeDate, _ := ParseISODate(v[FieldCloseDate])
	due, _ := ParseISODate(v[FieldNextStepDue])

	x, err := f.editable(f.Rules.Org, cur, history)
	if err != nil {
		return nil, err
	}
	if x.Status != Open {
		return nil, Errorf(EINVALID, "deal.closed", x.ID.Ref(), x.Status)
	}
	if closeDate != x.CloseDate && closeDate.Before(f.Today) {
		es = append(es, FieldErrorf(FieldCloseDate, "deal.close_date_past", closeDate))
	}
	// A category the rep changed in the form wins; one left as it was
	// follows the stage like a quick stage move does.
	chosen, picked := ParseCategory(v[FieldCategory])
	picked = picked && chosen != x.Category
	r.Stages.Move(x, st)
	if picked {
		x.Category = chosen
	}
	x.Amount, x.CloseDate = amount, closeDate
	x.Need = strings.TrimSpace(v[FieldNeed])
	x.DecisionMakers = strings.TrimSpace(v[FieldDecisionMakers])
	x.Budget = strings.TrimSpace(v[FieldBudget])
	x.Timeline = strings.TrimSpace(v[FieldTimeline])
	x.Risk = strings.TrimSpace(v[FieldRisk])
	x.NextStep = strings.TrimSpace(v[FieldNextStep])
	x.NextStepDue = due
	contract.apply(x)
	es = es.add(applyAttrs(x, v, r.Attrs).Err())
	es = es.add(r.Stages.CheckOpenDeal(x, f.Today))
	es = es.add(x.Validate())
	if err := es.firstOfEach().Err(); err != nil {
		return nil, err
	}
	return x, nil
}

// NextStepForm is the next-step form submitted: the next step and its due
// date, nothing else.
type NextStepForm struct {
	Submission
	Rules FormRules
}

// Apply holds the next-step form to, in this order: a next step written,
// with a due date that is not past (every such field error together); the
// version it was opened on (CheckOpened); who may change the deal
// (CanEdit); Validate.
func (f NextStepForm) Apply(cur *Deal, history func() ([]HistoryEntry, error)) (*Deal, error) {
	text := strings.TrimSpace(f.Values[FieldNextStep])
	due, _ := ParseISODate(f.Values[FieldNextStepDue])
	var es Errors
	if text == "" {
		es = append(es, FieldErrorf(FieldNextStep, "deal.next_step_required"))
	}
	if due.IsZero() {
		es = append(es, FieldErrorf(FieldNextStepDue, "deal.next_step_needs_due"))
	} else if due.Before(f.Today) {
		es = append(es, FieldErrorf(FieldNextStepDue, "deal.next_step_due_past", due))
	}
	if len(es) > 0 {
		return nil, es
	}
	x, err := f.editable(f.Rules.Org, cur, history)
	if err != nil {
		return nil, err
	}
	x.NextStep, x.NextStepDue = text, due
	if err := x.Validate(); err != nil {
		return nil, err
	}
	return x, nil
}

// editable is a copy of cur to change, once the form is held to the
// version it was opened on (CheckOpened) and its submitter to CanEdit.
func (s Submission) editable(org Org, cur *Deal, history func() ([]HistoryEntry, error)) (*Deal, error) {
	var hist []HistoryEntry
	if s.Opened != 0 && s.Opened < cur.Version {
		var err error
		if hist, err = history(); err != nil {
			return nil, err
		}
	}
	if err := CheckOpened(s.Opened, cur, hist); err != nil {
		return nil, err
	}
	if err := CanEdit(org, s.By, cur); err != nil {
		return nil, err
	}
	x := *cur // Deal holds only values
	return &x, nil
}

// NewDealForm is the new-deal form submitted: a deal its submitter will
// own, in the rules' currency. Opened is not used: there is no deal yet.
type NewDealForm struct {
	Submission
	Rules FormRules
}

// Stage is the stage the form chose: the first one when it names none the
// pipeline has. Its form holds the inputs the stage requires.
func (f NewDealForm) Stage() StageDef {
	if st, ok := f.Rules.Stages.Lookup(f.Values[FieldStage]); ok {
		return st
	}
	return f.Rules.Stages[0]
}

// Apply is the deal the form creates, as the store applies it: once, in
// the write transaction that saves what it returns. It holds the form to,
// in this order:
//   - who may own deals (CanOwn): a refusal ends it;
//   - an amount given and readable, a close date not past, Validate,
//     one-line names, the chosen stage's entry criteria and a dated next
//     step not past (Stages.CheckOpenDeal): every field error together
//     (Errors), the first of each field only, so a form shows one message
//     per input.
//
// The category is the stage's unless the form chose one.
func (f NewDealForm) Apply() (*Deal, error) {
	if err := CanOwn(f.Rules.Org, f.By); err != nil {
		return nil, err
	}
	v, r := f.Values, f.Rules
	st := f.Stage()
	d := &Deal{
		Name:     strings.TrimSpace(v[FieldName]),
		Account:  strings.TrimSpace(v[FieldAccount]),
		Owner:    f.By,
		Currency: r.Currency,
		Status:   Open,
		Stage:    st.Name,
		Category: st.Category,
		NextStep: strings.TrimSpace(v[FieldNextStep]),
		// The qualification fields the chosen stage's form holds.
		Need:           strings.TrimSpace(v[FieldNeed]),
		DecisionMakers: strings.TrimSpace(v[FieldDecisionMakers]),
		Budget:         strings.TrimSpace(v[FieldBudget]),
		Timeline:       strings.TrimSpace(v[FieldTimeline]),
		Risk:           strings.TrimSpace(v[FieldRisk]),
	}
	var es Errors
	if s := strings.TrimSpace(v[FieldAmount]); s != "" {
		amount, err := ParseAmount(s, r.Locale, r.Currency)
		es = es.add(err)
		d.Amount = amount
	} else {
		es = append(es, FieldErrorf(FieldAmount, "deal.required", FieldAmount))
	}
	d.CloseDate, _ = ParseISODate(v[FieldCloseDate])
	d.NextStepDue, _ = ParseISODate(v[FieldNextStepDue])
	if cat, ok := ParseCategory(v[FieldCategory]); ok {
		d.Category = cat
	}
	contract, cerr := readContract(v, r)
	es = append(es, cerr...)
	contract.apply(d)
	if !d.CloseDate.IsZero() && d.CloseDate.Before(f.Today) {
		es = append(es, FieldErrorf(FieldCloseDate, "deal.close_date_past", d.CloseDate))
	}
	es = es.add(applyAttrs(d, v, r.Attrs).Err())
	es = es.add(d.Validate())
	for _, f := range []Field{FieldName, FieldAccount} {
		if e := CheckOneLine(f, d.Get(f)); e != nil {
			es = append(es, e)
		}
	}
	es = es.add(r.Stages.CheckOpenDeal(d, f.Today))
	if err := es.firstOfEach().Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// contract is what a form says of a deal's contract: its type, term and
// recurring value, each only when the form holds its input (a form opened
// before they existed leaves them as they are).
type contract struct {
	typ              DealType
	term             int
	recurring        int64
	hasType, hasTerm bool
	hasRecurring     bool
}

// readContract reads the contract inputs of v; each one that cannot be
// read is a field error of its own input. A type left blank is none.
func readContract(v map[Field]string, r FormRules) (contract, Errors) {
	var c contract
	var es Errors
	if s, ok := v[FieldType]; ok {
		c.hasType = true
		if s = strings.TrimSpace(s); s != "" {
			t, ok := ParseDealType(s)
			if !ok {
				es = append(es, FieldErrorf(FieldType, "deal.bad_type", s))
			}
			c.typ = t
		}
	}
	if s, ok := v[FieldTerm]; ok {
		c.hasTerm = true
		n, err := ParseTermMonths(s)
		es = es.add(err)
		c.term = n
	}
	if s, ok := v[FieldRecurring]; ok {
		c.hasRecurring = true
		n, err := ParseRecurring(s, r.Locale, r.Currency)
		es = es.add(err)
		c.recurring = n
	}
	return c, es
}

func (c contract) apply(d *Deal) {
	if c.hasType {
		d.Type = c.typ
	}
	if c.hasTerm {
		d.TermMonths = c.term
	}
	if c.hasRecurring {
		d.Recurring = c.recurring
	}
}
