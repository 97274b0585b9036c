package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// byKeyword splits "Send proposal by fri" into the text and the date words.
var byKeyword = regexp.MustCompile(`(?i)^(.*?)\s+(?:by|before|due|pour|avant|d'ici|le)\s+(\S.*)$`)

func (b *Bot) dealNext(ctx context.Context, c Caller, args string) (Reply, error) {
	now := b.Now(c)
	parse := func(rest string) (string, domain.Date, error) {
		m := byKeyword.FindStringSubmatch(rest)
		if m == nil {
			return "", domain.Date{}, domain.Errorf(domain.EINVALID, "deal.next_usage")
		}
		due, err := domain.ParseDateField(domain.FieldNextStepDue, m[2], b.cfg.Locale, now)
		return strings.TrimSpace(m[1]), due, err
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	text, due, err := parse(rest)
	if err != nil {
		return nil, err
	}
	if due.Before(b.Today(c)) {
		return nil, domain.FieldErrorf(domain.FieldNextStepDue, "deal.next_step_due_past", due)
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		x.NextStep, x.NextStepDue = text, due
		return nil
	})
}

// nextStepForm asks only for the next step and its due date.
func (b *Bot) nextStepForm(c Caller, d *domain.Deal) Form {
	return Form{
		Kind: FormNextStep, Title: M("form.next.title", d.ID.Ref()), Submit: M("form.update.submit"),
		Meta: FormMeta{Deal: d.ID, Version: d.Version, Channel: c.Channel},
		Inputs: []Input{
			{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), MaxLen: domain.MaxTextLen},
			{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue)},
		},
	}
}

// SubmitNextStep saves the next-step modal as SubmitUpdate saves the
// update modal, held to domain.NextStepForm's rules.
func (b *Bot) SubmitNextStep(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	return b.submitForm(ctx, c, meta, key, v, domain.NextStepForm{Submission: b.submission(c, meta, v), Rules: b.formRules()})
}
