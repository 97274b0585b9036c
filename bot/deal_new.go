package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// mayCreate reports whether user may own deals: anyone when the config names
// no teams (a first install), else members, managers and admins.
func (b *Bot) mayCreate(user domain.UserID) bool {
	return len(b.cfg.Teams) == 0 || b.cfg.Knows(user)
}

func (b *Bot) dealNew(_ context.Context, c Caller, _ string) (Reply, error) {
	if !b.mayCreate(c.User) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "deal.unknown_user")
	}
	return OpenForm{Form: b.newDealForm(c, b.cfg.Stages[0])}, nil
}

// newDealForm is the new-deal form for a deal entering stage st: the
// inputs every deal has, and between the forecast category and the next
// step the qualification fields st requires (its config requires:), so
// that whatever stage is chosen, the form holds all it needs. Stage is
// live: choosing another one shows that stage's form (ChangeNewDeal).
func (b *Bot) newDealForm(c Caller, st domain.StageDef) Form {
	stages := make([]Option, len(b.cfg.Stages))
	for i, s := range b.cfg.Stages {
		stages[i] = Option{Value: s.Name, Label: M("raw", s.Name)}
	}
	cats := make([]Option, len(domain.Categories))
	for i, cat := range domain.Categories {
		cats[i] = Option{Value: string(cat), Label: M("category." + string(cat))}
	}
	label := func(f domain.Field) Msg { return M("field." + string(f)) }
	inputs := []Input{
		{Field: domain.FieldName, Kind: TextInput, Label: label(domain.FieldName), MaxLen: domain.MaxNameLen},
		{Field: domain.FieldAccount, Kind: TextInput, Label: label(domain.FieldAccount), MaxLen: domain.MaxNameLen},
		{Field: domain.FieldAmount, Kind: TextInput, Label: label(domain.FieldAmount), Placeholder: M("form.amount.placeholder"), MaxLen: 40},
		{Field: domain.FieldCloseDate, Kind: DateInput, Label: label(domain.FieldCloseDate)},
		{Field: domain.FieldStage, Kind: SelectInput, Label: label(domain.FieldStage), Options: stages, Initial: st.Name,
			Hint: M("form.stage.hint"), Live: true},
		{Field: domain.FieldCategory, Kind: SelectInput, Label: label(domain.FieldCategory), Options: cats, Optional: true, Hint: M("form.category.hint")},
	}
	for _, f := range domain.QualificationFields {
		if f != domain.FieldNextStep && slices.Contains(st.Requires, f) {
			inputs = append(inputs, Input{Field: f, Kind: LongTextInput, Label: label(f), MaxLen: domain.MaxTextLen})
		}
	}
	inputs = append(inputs,
		Input{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), MaxLen: domain.MaxTextLen},
		Input{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue)},
	)
	return Form{
		Kind:   FormNewDeal,
		Title:  M("form.new_deal.title"),
		Submit: M("form.new_deal.submit"),
		Meta:   FormMeta{Channel: c.Channel},
		Inputs: inputs,
	}
}

// ChangeNewDeal answers a stage chosen in the new-deal form with the form
// of that stage: the same inputs, plus or minus the qualification fields
// the stage requires. The transport keeps what was typed in the inputs
// both forms hold. A stage the config does not know (a forged payload)
// gets the first stage's form; the submission refuses it anyway.
func (b *Bot) ChangeNewDeal(_ context.Context, c Caller, _ FormMeta, v Values) (Form, error) {
	st, ok := b.cfg.Stages.Lookup(v[domain.FieldStage])
	if !ok || !strings.EqualFold(st.Name, strings.TrimSpace(v[domain.FieldStage])) {
		st = b.cfg.Stages[0]
	}
	return b.newDealForm(c, st), nil
}

// SubmitNewDeal validates a submitted new-deal form and creates the deal.
// Invalid input returns domain.Errors keyed by field and stores nothing.
// key makes a retried submission create nothing twice.
func (b *Bot) SubmitNewDeal(ctx context.Context, c Caller, _ FormMeta, v Values, key string) (Reply, error) {
	if !b.mayCreate(c.User) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "deal.unknown_user")
	}
	d := &domain.Deal{
		Name:     strings.TrimSpace(v[domain.FieldName]),
		Account:  strings.TrimSpace(v[domain.FieldAccount]),
		Owner:    c.User,
		Currency: b.cfg.Currency,
		Status:   domain.Open,
		NextStep: strings.TrimSpace(v[domain.FieldNextStep]),
		// The qualification fields the chosen stage's form holds.
		Need:           strings.TrimSpace(v[domain.FieldNeed]),
		DecisionMakers: strings.TrimSpace(v[domain.FieldDecisionMakers]),
		Budget:         strings.TrimSpace(v[domain.FieldBudget]),
		Timeline:       strings.TrimSpace(v[domain.FieldTimeline]),
		Risk:           strings.TrimSpace(v[domain.FieldRisk]),
	}
	var es domain.Errors
	add := func(err error) {
		if err == nil {
			return
		}
		var list domain.Errors
		var one *domain.Error
		switch {
		case asErrors(err, &list):
			es = append(es, list...)
		case asError(err, &one):
			es = append(es, one)
		default:
			es = append(es, domain.FieldErrorf(domain.FieldName, "error.internal"))
		}
	}
	if s := strings.TrimSpace(v[domain.FieldAmount]); s != "" {
		amount, err := domain.ParseAmount(s, b.cfg.Locale, b.cfg.Currency)
		add(err)
		d.Amount = amount
	} else {
		es = append(es, domain.FieldErrorf(domain.FieldAmount, "deal.required", domain.FieldAmount))
	}
	d.CloseDate, _ = domain.ParseISODate(v[domain.FieldCloseDate])
	d.NextStepDue, _ = domain.ParseISODate(v[domain.FieldNextStepDue])
	st, ok := b.cfg.Stages.Lookup(v[domain.FieldStage])
	if !ok {
		st = b.cfg.Stages[0]
	}
	d.Stage = st.Name
	d.Category = st.Category
	if cat, ok := domain.ParseCategory(v[domain.FieldCategory]); ok {
		d.Category = cat
	}
	today := b.Today(c)
	if !d.CloseDate.IsZero() && d.CloseDate.Before(today) {
		es = append(es, domain.FieldErrorf(domain.FieldCloseDate, "deal.close_date_past", d.CloseDate))
	}
	if err := d.Validate(); err != nil {
		add(err)
	}
	for _, f := range []domain.Field{domain.FieldName, domain.FieldAccount} {
		if e := domain.CheckOneLine(f, d.Get(f)); e != nil {
			es = append(es, e)
		}
	}
	if err := b.cfg.Stages.CheckOpenDeal(d, today); err != nil {
		add(err)
	}
	// A form without an input the stage requires (the stage was chosen but
	// its form never came: the update was lost or the rep was quicker) is
	// answered with that stage's form, what was typed kept, rather than
	// with "Discovery needs Need." and nowhere to write it; once nothing
	// else is wrong, so that the errors of what the form holds are said
	// first, next to their inputs.
	if onlyUnshown(es, v, st) {
		return OpenForm{Form: b.newDealForm(c, st)}, nil
	}
	if es = dedupeFieldErrors(es); len(es) > 0 {
		return nil, es
	}
	created, err := b.store.CreateDeal(ctx, d, c.User, key)
	if err != nil {
		return nil, err
	}
	return Created{Deal: created}, nil
}

// onlyUnshown reports whether every error of es is about a field stage st
// requires that the submitted form did not hold (v has no value for it,
// not even an empty one), and there is one: the stage's form has them all.
func onlyUnshown(es domain.Errors, v Values, st domain.StageDef) bool {
	for _, e := range es {
		if _, shown := v[e.Field]; shown || !slices.Contains(st.Requires, e.Field) {
			return false
		}
	}
	return len(es) > 0
}

// dedupeFieldErrors keeps the first error of each field, so a form shows one
// clear message per input.
func dedupeFieldErrors(es domain.Errors) domain.Errors {
	seen := map[domain.Field]bool{}
	out := es[:0]
	for _, e := range es {
		if seen[e.Field] {
			continue
		}
		seen[e.Field] = true
		out = append(out, e)
	}
	return out
}
