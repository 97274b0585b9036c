package domain

import (
	"strings"
)

// StageDef is one stage of the sales process: its win probability (percent),
// the forecast category a deal entering it defaults to, and its entry
// criteria: the fields a deal must have filled in to be in it.
type StageDef struct {
	Name        string
	Probability int
	Category    Category
	Requires    []Field
}

// Stages is the ordered sales process, from first contact to signature.
type Stages []StageDef

// DefaultStages is the six-stage process used when config names none.
func DefaultStages() Stages {
	return Stages{
		{Name: "Qualification", Probability: 10, Category: Pipeline, Requires: []Field{FieldNextStep}},
		{Name: "Discovery", Probability: 20, Category: Pipeline, Requires: []Field{FieldNeed, FieldNextStep}},
		{Name: "Demo", Probability: 40, Category: Upside, Requires: []Field{FieldNeed, FieldDecisionMakers, FieldNextStep}},
		{Name: "Proposal", Probability: 60, Category: BestCase, Requires: []Field{FieldNeed, FieldDecisionMakers, FieldBudget, FieldTimeline, FieldNextStep}},
		{Name: "Negotiation", Probability: 80, Category: Commit, Requires: []Field{FieldNeed, FieldDecisionMakers, FieldBudget, FieldTimeline, FieldRisk, FieldNextStep}},
		{Name: "Closing", Probability: 90, Category: Commit, Requires: []Field{FieldNeed, FieldDecisionMakers, FieldBudget, FieldTimeline, FieldRisk, FieldNextStep}},
	}
}

// Index returns the position of the named stage (case-insensitive), or -1.
func (s Stages) Index(name string) int {
	name = strings.TrimSpace(name) // once, not once a stage: the KPIs ask for every stage entry of every deal
	for i, st := range s {
		if strings.EqualFold(st.Name, name) {
			return i
		}
	}
	return -1
}

// Lookup finds a stage by what a user typed: its exact name, any case, or an
// unambiguous prefix ("prop" for Proposal).
func (s Stages) Lookup(typed string) (StageDef, bool) {
	typed = strings.TrimSpace(typed)
	if i := s.Index(typed); i >= 0 {
		return s[i], true
	}
	if typed == "" {
		return StageDef{}, false
	}
	found := -1
	for i, st := range s {
		if strings.HasPrefix(strings.ToLower(st.Name), strings.ToLower(typed)) {
			if found >= 0 {
				return StageDef{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return StageDef{}, false
	}
	return s[found], true
}

// Validate checks a stage list from config: at least one stage, unique
// non-empty names, probabilities 0-100, known categories and fields.
func (s Stages) Validate() error {
	var es Errors
	if len(s) == 0 {
		es = append(es, Errorf(EINVALID, "stages.empty"))
	}
	seen := map[string]bool{}
	for _, st := range s {
		key := strings.ToLower(st.Name)
		switch {
		case strings.TrimSpace(st.Name) == "":
			es = append(es, Errorf(EINVALID, "stages.unnamed"))
		case seen[key]:
			es = append(es, Errorf(EINVALID, "stages.duplicate", st.Name))
		}
		seen[key] = true
		if st.Probability < 0 || st.Probability > 100 {
			es = append(es, Errorf(EINVALID, "stages.bad_probability", st.Name, st.Probability))
		}
		if _, ok := ParseCategory(string(st.Category)); !ok {
			es = append(es, Errorf(EINVALID, "stages.bad_category", st.Name, string(st.Category)))
		}
		for _, f := range st.Requires {
			if !isQualificationField(f) {
				es = append(es, Errorf(EINVALID, "stages.bad_field", st.Name, string(f)))
			}
		}
	}
	return es.Err()
}

func isQualificationField(f Field) bool {
	for _, q := range QualificationFields {
		if q == f {
			return true
		}
	}
	return false
}

// CheckEntry returns one error per field the stage requires that d leaves
// empty ("Proposal needs Budget"), each keyed by its field so a form shows it
// next to the right input.
func (st StageDef) CheckEntry(d *Deal) Errors {
	var es Errors
	for _, f := range st.Requires {
		if strings.TrimSpace(d.Get(f)) == "" {
			es = append(es, FieldErrorf(f, "stage.needs", st.Name, f))
		}
	}
	return es
}

// CheckOpenDeal holds an open deal to the pipeline's rules on the day today
// (in the user's time zone): its stage exists, the stage's entry criteria are
// met, and it has a next step whose due date is not in the past.
// Won and lost deals are not held to them.
func (s Stages) CheckOpenDeal(d *Deal, today Date) error {
	if d.Status != Open {
		return nil
	}
	st, ok := s.Lookup(d.Stage)
	if !ok || !strings.EqualFold(st.Name, d.Stage) {
		return Errors{FieldErrorf(FieldStage, "stage.unknown", d.Stage, s.Names())}
	}
	es := st.CheckEntry(d)
	if strings.TrimSpace(d.NextStep) == "" && !hasField(es, FieldNextStep) {
		es = append(es, FieldErrorf(FieldNextStep, "deal.next_step_required"))
	}
	switch {
	case d.NextStepDue.IsZero():
		es = append(es, FieldErrorf(FieldNextStepDue, "deal.next_step_needs_due"))
	case d.NextStepDue.Before(today):
		es = append(es, FieldErrorf(FieldNextStepDue, "deal.next_step_due_past", d.NextStepDue))
	}
	return es.Err()
}

func hasField(es Errors, f Field) bool {
	for _, e := range es {
		if e.Field == f {
			return true
		}
	}
	return false
}

// Names lists the stages' names in order, comma-separated, for messages
// that say which stages there are.
func (s Stages) Names() string {
	names := make([]string, len(s))
	for i, st := range s {
		names[i] = st.Name
	}
	return strings.Join(names, ", ")
}

// Move puts d in stage st. Its forecast category follows the new stage's
// default unless the rep had chosen a category other than the old stage's
// default, which is kept.
func (s Stages) Move(d *Deal, st StageDef) {
	if old, ok := s.Lookup(d.Stage); !ok || d.Category == old.Category {
		d.Category = st.Category
	}
	d.Stage = st.Name
}

// MatchLossReason maps what a rep typed onto one of the configured loss
// reasons when it names one (its whole name in any case, or a prefix of at
// least three letters: "compet" is "competitor"); anything else is kept as
// free text.
func MatchLossReason(reasons []string, typed string) string {
	typed = strings.TrimSpace(typed)
	low := strings.ToLower(typed)
	for _, r := range reasons {
		if strings.EqualFold(r, typed) || (len(low) >= 3 && strings.HasPrefix(strings.ToLower(r), low)) {
			return r
		}
	}
	return typed
}

// FieldList is a list of fields as a message argument ("Need, Budget").
type FieldList []Field

// Summary folds a stage's entry errors into one message naming every
// missing field ("Proposal needs Need, Budget."), for answers that are one
// line of text rather than a form with an error on each input.
func (st StageDef) Summary(es Errors) error {
	if len(es) == 0 {
		return nil
	}
	fields := make(FieldList, len(es))
	for i, e := range es {
		fields[i] = e.Field
	}
	return FieldErrorf(FieldStage, "stage.needs", st.Name, fields)
}
