package bot

import (
	"context"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// SubmitCall saves a submitted call, and the month's a quarter's form also
// asked, and says what changed since the previous one. Every rule of the
// form is forecast.CallForm's, applied by the store in its transaction.
func (b *Bot) SubmitCall(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	f := forecast.CallForm{
		Submission: domain.Submission{Values: v, By: c.User},
		Period:     meta.Period, Team: meta.Team, Month: meta.Month, Teams: b.callTeams(),
		Calendar: b.Calendar(), Locale: b.cfg.Locale, Currency: b.cfg.Currency,
	}
	saved, prev, hadPrev, month, err := b.store.SaveCallForm(ctx, f, key)
	if err != nil {
		return nil, err
	}
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: b.cfg.Currency} }
	msgs := []Msg{M("forecast.call_saved", saved.Period, money(saved.Commit), money(saved.BestCase))}
	if meta.Team != "" {
		msgs[0] = M("forecast.call_saved_team", meta.Team, saved.Period, money(saved.Commit), money(saved.BestCase))
	}
	if hadPrev {
		diff := forecast.CallDiff(prev, saved)
		if len(diff) == 0 {
			msgs = append(msgs, M("forecast.call_same", domain.DateOf(prev.At.In(b.cfg.Location))))
		} else {
			msgs = append(msgs, M("forecast.call_changed", domain.DateOf(prev.At.In(b.cfg.Location))))
			for _, ch := range diff {
				switch ch.Field {
				case forecast.FieldComment:
					msgs = append(msgs, M("forecast.call_change_comment", ch.OldText, ch.NewText))
				default:
					msgs = append(msgs, M("forecast.call_change", M("forecast.field."+string(ch.Field)), money(ch.Old), money(ch.New), signed(money(ch.Delta))))
				}
			}
		}
	}
	if month != nil {
		ms := *month
		if meta.Team != "" {
			msgs = append(msgs, M("forecast.call_saved_month_team", meta.Team, ms.Period, money(ms.Commit)))
		} else {
			msgs = append(msgs, M("forecast.call_saved_month", ms.Period, money(ms.Commit)))
		}
	}
	return Notice{Msgs: msgs}, nil
}

// signed shows a change with its sign: "+€5,000" or "-€5,000".
type signedMoney struct{ domain.Money }

func signed(m domain.Money) signedMoney { return signedMoney{m} }

func (s signedMoney) Localize(loc i18n.Locale) string {
	if s.Minor > 0 {
		return "+" + i18n.Localize(loc, s.Money)
	}
	return i18n.Localize(loc, s.Money)
}

// callTeams are the configured teams as the call form holds its
// submitter to them: a team's manager, and its members as listed.
func (b *Bot) callTeams() []forecast.Team {
	teams := make([]forecast.Team, len(b.cfg.Teams))
	for i, t := range b.cfg.Teams {
		teams[i] = forecast.Team{Name: t.Name, Manager: t.Manager, Members: t.Members}
	}
	return teams
}
