package bot

import (
	"context"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

func (b *Bot) dealUpdate(ctx context.Context, c Caller, args string) (Reply, error) {
	// The picker is a read path: someone unknown gets the refusal, not a form.
	if err := b.sight(c.User).Check(domain.Read{Path: domain.ReadPicker, Owner: c.User}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(args) != "" {
		d, _, err := b.find(ctx, c, args, scopeEditable)
		if err == nil && d != nil {
			if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
				return nil, err
			}
			return OpenForm{Form: b.updateForm(ctx, c, d)}, nil
		}
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
	}
	return OpenForm{Form: b.pickForm(c, args)}, nil
}

func (b *Bot) stageOptions() []Option {
	opts := make([]Option, len(b.cfg.Stages))
	for i, st := range b.cfg.Stages {
		opts[i] = Option{Value: st.Name, Label: M("raw", st.Name)}
	}
	return opts
}

func categoryOptions() []Option {
	opts := make([]Option, len(domain.Categories))
	for i, cat := range domain.Categories {
		opts[i] = Option{Value: string(cat), Label: M("category." + string(cat))}
	}
	return opts
}

func label(f domain.Field) Msg { return M("field." + string(f)) }

// updateForm is the update modal, prefilled with the deal as it is.
func (b *Bot) updateForm(ctx context.Context, c Caller, d *domain.Deal) Form {
	long := func(f domain.Field) Input {
		return Input{Field: f, Kind: LongTextInput, Label: label(f), Optional: true, Initial: d.Get(f), MaxLen: domain.MaxTextLen}
	}
	f := Form{
		Kind: FormUpdateDeal, Title: M("form.update.title", d.ID.Ref()), Submit: M("form.update.submit"),
		Meta: FormMeta{Deal: d.ID, Version: d.Version, Channel: c.Channel},
		Inputs: []Input{
			{Field: domain.FieldStage, Kind: SelectInput, Label: label(domain.FieldStage), Options: b.stageOptions(), Initial: d.Stage},
			{Field: domain.FieldAmount, Kind: TextInput, Label: label(domain.FieldAmount), Initial: i18n.FormatAmountInput(d.Amount, d.Currency, b.cfg.Locale), MaxLen: 40},
			{Field: domain.FieldCloseDate, Kind: DateInput, Label: label(domain.FieldCloseDate), Initial: d.CloseDate.String()},
			{Field: domain.FieldCategory, Kind: SelectInput, Label: label(domain.FieldCategory), Options: categoryOptions(), Initial: string(d.Category)},
			long(domain.FieldNeed), long(domain.FieldDecisionMakers), long(domain.FieldBudget), long(domain.FieldTimeline), long(domain.FieldRisk),
			{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), Initial: d.NextStep, MaxLen: domain.MaxTextLen},
			{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue), Initial: d.NextStepDue.String()},
		},
	}
	// The contract's inputs after the forecast category (deal_contract.go).
	f.Inputs = append(f.Inputs[:4], append(b.contractInputs(d), f.Inputs[4:]...)...)
	f.Inputs = append(f.Inputs, b.attrInputs(ctx, d.Account, d.Attributes)...) // segments (segment.go)
	return f
}

// SubmitUpdate saves the update modal: the store applies it, once per
// submission (key), in the transaction that saves it (domain.UpdateForm
// holds it to every rule: the version it was opened on, who may edit, each
// field); the answer is the deal's new state, or the refusal.
func (b *Bot) SubmitUpdate(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	reply, err := b.submitForm(ctx, c, meta, key, v, domain.UpdateForm{Submission: b.submission(c, meta, v), Rules: b.formRules()})
	if err == nil {
		b.rememberDealAttrs(ctx, reply) // segments (segment.go)
	}
	return reply, err
}
