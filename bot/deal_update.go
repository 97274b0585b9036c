package bot

import (
	"context"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
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
			return OpenForm{Form: b.updateForm(c, d)}, nil
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
func (b *Bot) updateForm(c Caller, d *domain.Deal) Form {
	long := func(f domain.Field) Input {
		return Input{Field: f, Kind: LongTextInput, Label: label(f), Optional: true, Initial: d.Get(f), MaxLen: domain.MaxTextLen}
	}
	return Form{
		Kind: FormUpdateDeal, Title: M("form.update.title", d.ID.Ref()), Submit: M("form.update.submit"),
		Meta: FormMeta{Deal: d.ID, Version: d.Version, Channel: c.Channel},
		Inputs: []Input{
			{Field: domain.FieldStage, Kind: SelectInput, Label: label(domain.FieldStage), Options: b.stageOptions(), Initial: d.Stage},
			{Field: domain.FieldAmount, Kind: TextInput, Label: label(domain.FieldAmount), Initial: domain.FormatAmountInput(d.Amount, d.Currency, b.cfg.Locale), MaxLen: 40},
			{Field: domain.FieldCloseDate, Kind: DateInput, Label: label(domain.FieldCloseDate), Initial: d.CloseDate.String()},
			{Field: domain.FieldCategory, Kind: SelectInput, Label: label(domain.FieldCategory), Options: categoryOptions(), Initial: string(d.Category)},
			long(domain.FieldNeed), long(domain.FieldDecisionMakers), long(domain.FieldBudget), long(domain.FieldTimeline), long(domain.FieldRisk),
			{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), Initial: d.NextStep, MaxLen: domain.MaxTextLen},
			{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue), Initial: d.NextStepDue.String()},
		},
	}
}

// SubmitUpdate applies the update modal: every field at once, held to the
// stage's entry criteria and a dated next step, on the version the modal
// was opened on and once per submission (key).
func (b *Bot) SubmitUpdate(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	today := b.Today(c)
	var es domain.Errors
	amount, err := domain.ParseAmount(v[domain.FieldAmount], b.cfg.Locale, b.cfg.Currency)
	if err != nil {
		es = appendErr(es, err)
	}
	st, ok := b.cfg.Stages.Lookup(v[domain.FieldStage])
	if !ok {
		es = append(es, domain.FieldErrorf(domain.FieldStage, "stage.unknown", v[domain.FieldStage], stageNames(b.cfg.Stages)))
	}
	closeDate, _ := domain.ParseISODate(v[domain.FieldCloseDate])
	due, _ := domain.ParseISODate(v[domain.FieldNextStepDue])
	if len(es) > 0 {
		return nil, es
	}
	// A later change, the caller's own included, refuses the form: it
	// holds every field as it was, so saving it would revert that change.
	// The same submission again is recognised by its key, not by who made
	// the last change.
	return b.changeOpened(ctx, c, meta, key, v, b.applyUpdate(v, st, amount, closeDate, due, today))
}

func (b *Bot) applyUpdate(v Values, st domain.StageDef, amount int64, closeDate, due, today domain.Date) func(*domain.Deal) error {
	return func(x *domain.Deal) error {
		var es domain.Errors
		if x.Status != domain.Open {
			return domain.Errorf(domain.EINVALID, "deal.closed", x.ID.Ref(), x.Status)
		}
		if closeDate != x.CloseDate && closeDate.Before(today) {
			es = append(es, domain.FieldErrorf(domain.FieldCloseDate, "deal.close_date_past", closeDate))
		}
		// A category the rep changed in the form wins; one left as it was
		// follows the stage like a quick stage move does.
		chosen, picked := domain.ParseCategory(v[domain.FieldCategory])
		picked = picked && chosen != x.Category
		b.cfg.Stages.Move(x, st)
		if picked {
			x.Category = chosen
		}
		x.Amount, x.CloseDate = amount, closeDate
		x.Need = strings.TrimSpace(v[domain.FieldNeed])
		x.DecisionMakers = strings.TrimSpace(v[domain.FieldDecisionMakers])
		x.Budget = strings.TrimSpace(v[domain.FieldBudget])
		x.Timeline = strings.TrimSpace(v[domain.FieldTimeline])
		x.Risk = strings.TrimSpace(v[domain.FieldRisk])
		x.NextStep = strings.TrimSpace(v[domain.FieldNextStep])
		x.NextStepDue = due
		if err := b.cfg.Stages.CheckOpenDeal(x, today); err != nil {
			es = appendErr(es, err)
		}
		if err := x.Validate(); err != nil {
			es = appendErr(es, err)
		}
		return dedupeFieldErrors(es).Err()
	}
}
