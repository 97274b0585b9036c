package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

func (b *Bot) dealNew(_ context.Context, c Caller, _ string) (Reply, error) {
	if err := domain.CanOwn(directory{b.cfg}, c.User); err != nil {
		return nil, err
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
	inputs = append(inputs, b.contractInputs(nil)...) // type, term, recurring value (deal_contract.go)
	for _, f := range domain.QualificationFields {
		if f != domain.FieldNextStep && slices.Contains(st.Requires, f) {
			inputs = append(inputs, Input{Field: f, Kind: LongTextInput, Label: label(f), MaxLen: domain.MaxTextLen})
		}
	}
	inputs = append(inputs,
		Input{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), MaxLen: domain.MaxTextLen},
		Input{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue)},
	)
	// Segments (segment.go): left blank, the account's remembered values.
	inputs = append(inputs, b.attrInputs(context.Background(), "", domain.Attrs{})...)
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

// SubmitNewDeal creates the deal a submitted new-deal form describes: the
// store applies the domain.NewDealForm (who may own deals, every field
// error) once, in its write transaction, once per key (a retried
// submission creates nothing twice). Invalid input returns domain.Errors
// keyed by field and stores nothing.
func (b *Bot) SubmitNewDeal(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	v = b.accountDefaults(ctx, v) // segments (segment.go)
	f := domain.NewDealForm{Submission: b.submission(c, meta, v), Rules: b.formRules()}
	created, err := b.store.CreateDealForm(ctx, f, key)
	// A form without an input the stage requires (the stage was chosen but
	// its form never came: the update was lost or the rep was quicker) is
	// answered with that stage's form, what was typed kept, rather than
	// with "Discovery needs Need." and nowhere to write it; once nothing
	// else is wrong, so that the errors of what the form holds are said
	// first, next to their inputs.
	if es, ok := domain.ErrorsOf(err); ok && onlyUnshown(es, v, f.Stage()) {
		return OpenForm{Form: b.newDealForm(c, f.Stage())}, nil
	}
	if err != nil {
		return nil, err
	}
	b.rememberAttrs(ctx, created.Account, created.Attributes.Map())
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
