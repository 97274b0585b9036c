package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/i18n"
)

// commissionWinPosts DMs each person a won deal credits what it earned them
// (its lines of their statement for the win's month) and what their next
// deal pays, when a plan covers that month; a win in another currency,
// that it is not paid (statements have no exchange rates); without plans,
// nothing.
func (b *Bot) commissionWinPosts(d *domain.Deal) []Post {
	if len(b.cfg.Commissions) == 0 {
		return nil
	}
	won := *d
	return []Post{{Run: func(ctx context.Context, m Messenger) error {
		month := b.Calendar().Month(won.CloseDate)
		cur := b.cfg.Currency
		money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: cur} }
		var errs []error
		for _, cr := range won.Credits() {
			if _, _, ok := b.cfg.CommissionFor(cr.User, won.CloseDate); !ok {
				continue
			}
			if won.Currency != cur { // statements have no exchange rates: say so rather than "€0"
				send, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
				err := m.DM(send, cr.User, Notice{Msgs: []Msg{M("commission.won_other_currency", won.ID.Ref(), Bold(won.Name), won.Currency, cur).WithIcon(IconWon)}})
				cancel()
				if err != nil {
					errs = append(errs, fmt.Errorf("commission DM to %s: %w", cr.User, err))
				}
				continue
			}
			st, err := b.statements(ctx, []domain.UserID{cr.User}, month)
			if err != nil {
				return err
			}
			ms := st[cr.User]
			last := ms[len(ms)-1]
			var lines []Msg
			var earned int64
			for _, l := range last.Lines {
				if l.Deal == won.ID && l.Kind != commission.KindAdjustment {
					earned += l.Amount
					lines = append(lines, M("commission.line", won.ID.Ref(), ruleText{l, cur}, money(l.Amount)))
				}
			}
			msgs := append([]Msg{M("commission.won_dm", won.ID.Ref(), Bold(won.Name), money(earned)).WithIcon(IconWon)}, lines...)
			if last.Term != nil {
				msgs = append(msgs, M("raw", nextText{last.Next, cur}))
			}
			send, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
			err = m.DM(send, cr.User, Notice{Msgs: msgs})
			cancel()
			if err != nil {
				errs = append(errs, fmt.Errorf("commission DM to %s: %w", cr.User, err))
			}
		}
		return errors.Join(errs...)
	}}}
}

// factorText is a multiplier (basis points of a rate) as a message argument.
type factorText int

func (f factorText) Localize(loc i18n.Locale) string { return i18n.FormatFactor(loc, int(f)) }

// nearBP is how close to an accelerator or a cap a rep is "near": within
// 10 % of their quota's credit (or 10 % of the payout cap left).
const nearBP = 1000

// commissionSummary is the Monday summary's commission part for a team:
// what the month costs so far, and the sellers near an accelerator or a
// cap. Empty without plans.
func (b *Bot) commissionSummaryLines(ctx context.Context, sellers []domain.UserID, today domain.Date) ([]Msg, error) {
	if len(b.cfg.Commissions) == 0 {
		return nil, nil
	}
	month := b.Calendar().Month(today)
	st, err := b.statements(ctx, sellers, month)
	if err != nil {
		return nil, err
	}
	cur := b.cfg.Currency
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: cur} }
	var cost int64
	var near []Msg
	for _, u := range sellers {
		m := st[u][len(st[u])-1]
		cost += m.Draw.Pay
		if m.Term == nil {
			continue
		}
		n := m.Next
		isNear := m.Term.Quota > 0 && n.ToNext > 0 && n.ToNext <= m.Term.Quota*nearBP/commission.Unit
		switch {
		case isNear && n.What == commission.ChangeAccelerator:
			near = append(near, M("commission.near_accel", u, money(n.ToNext), domain.Percent(n.At), factorText(n.NextFactor)))
		case isNear && n.What == commission.ChangeCap:
			near = append(near, M("commission.near_cap_att", u, money(n.ToNext), domain.Percent(n.At)))
		case n.What == commission.ChangeCap && n.ToNext == 0:
			near = append(near, M("commission.at_cap", u))
		}
		if limit := m.Term.Plan.CapPayout; limit > 0 && n.CapLeft >= 0 && n.CapLeft <= limit*nearBP/commission.Unit {
			near = append(near, M("commission.near_cap", u, money(n.CapLeft)))
		}
	}
	return append([]Msg{M("commission.summary_cost", month.Name, money(cost))}, near...), nil
}
