package bot

import (
	"context"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// A deal's contract: its type (new, expansion, renewal), term in months
// and recurring value (ARR), set in the new-deal and update forms and by
// /deal type, /deal term and /deal arr, shown on the deal card.

// contractInputs are the forms' optional inputs of the deal's contract,
// prefilled from d (nil for a new deal).
func (b *Bot) contractInputs(d *domain.Deal) []Input {
	types := make([]Option, len(domain.DealTypes))
	for i, t := range domain.DealTypes {
		types[i] = Option{Value: string(t), Label: M("deal_type." + string(t))}
	}
	var typ, term, arr string
	if d != nil {
		typ = string(d.Type)
		if d.TermMonths > 0 {
			term = d.Get(domain.FieldTerm)
		}
		if d.Recurring > 0 {
			arr = i18n.FormatAmountInput(d.Recurring, d.Currency, b.cfg.Locale)
		}
	}
	return []Input{
		{Field: domain.FieldType, Kind: SelectInput, Label: label(domain.FieldType), Options: types, Optional: true, Initial: typ},
		{Field: domain.FieldTerm, Kind: TextInput, Label: label(domain.FieldTerm), Optional: true, Initial: term, MaxLen: 20,
			Placeholder: M("form.term.placeholder")},
		{Field: domain.FieldRecurring, Kind: TextInput, Label: label(domain.FieldRecurring), Optional: true, Initial: arr, MaxLen: 40,
			Placeholder: M("form.recurring.placeholder")},
	}
}

// ContractMsg is the deal card's line about its contract ("Renewal · 12
// months · ARR €24,000 (MRR €2,000)"); false when the deal says nothing
// of its contract.
func ContractMsg(d *domain.Deal) (Msg, bool) {
	if d.Type == "" && d.TermMonths == 0 && d.Recurring == 0 {
		return Msg{}, false
	}
	term := any("—")
	if d.TermMonths > 0 {
		term = domain.Months(d.TermMonths)
	}
	if d.Recurring <= 0 {
		return M("card.contract", d.Type, term), true
	}
	return M("card.contract_arr", d.Type, term, domain.Money{Minor: d.Recurring, Currency: d.Currency},
		domain.Money{Minor: d.Recurring / 12, Currency: d.Currency}), true
}

// dealType is /deal type D-12 renewal.
func (b *Bot) dealType(ctx context.Context, c Caller, args string) (Reply, error) {
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, ok := domain.ParseDealType(rest); return ok })
	if err != nil || cands != nil {
		return cands, err
	}
	t, ok := domain.ParseDealType(rest)
	if !ok {
		return nil, domain.FieldErrorf(domain.FieldType, "deal.bad_type", domain.Clip(rest, quotedQuery))
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.Type = t; return nil })
}

// dealTerm is /deal term D-12 24 (months; "2y" too).
func (b *Bot) dealTerm(ctx context.Context, c Caller, args string) (Reply, error) {
	parse := func(rest string) (int, error) {
		if rest == "" {
			return 0, domain.FieldErrorf(domain.FieldTerm, "deal.bad_term", rest, domain.MaxTermMonths)
		}
		return domain.ParseTermMonths(rest)
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	n, err := parse(rest)
	if err != nil {
		return nil, err
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.TermMonths = n; return nil })
}

// dealARR is /deal arr D-12 24k: the recurring value.
func (b *Bot) dealARR(ctx context.Context, c Caller, args string) (Reply, error) {
	parse := func(rest string) (int64, error) {
		if rest == "" {
			return 0, domain.FieldErrorf(domain.FieldRecurring, "deal.bad_recurring", rest)
		}
		return domain.ParseRecurring(rest, b.cfg.Locale, b.cfg.Currency)
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	n, err := parse(rest)
	if err != nil {
		return nil, err
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.Recurring = n; return nil })
}
