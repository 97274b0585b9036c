package bot

import (
	"context"
	"slices"

	"github.com/dealpilot/dealpilot/domain"
)

// Home is the caller's App Home: open deals, overdue next steps first, then
// by close date.
func (b *Bot) Home(ctx context.Context, c Caller) (Reply, error) {
	if err := b.sight(c.User).Check(domain.Read{Path: domain.ReadHome, Owner: c.User}); err != nil {
		if es, ok := domain.ErrorsOf(err); ok && len(es) == 1 {
			e := es[0]
			// Home is a view, not an answer: the refusal is shown in it.
			return Home{User: c.User, Today: b.Today(c), Refusal: M(e.Key, e.Args...)}, nil
		}
		return nil, err
	}
	deals, err := b.store.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{c.User}, Status: domain.Open})
	if err != nil {
		return nil, err
	}
	today := b.Today(c)
	slices.SortStableFunc(deals, func(x, y *domain.Deal) int {
		ox, oy := x.NextStepDue.Before(today), y.NextStepDue.Before(today)
		if ox != oy {
			if ox {
				return -1
			}
			return 1
		}
		return x.CloseDate.Compare(y.CloseDate)
	})
	return Home{User: c.User, Today: today, Deals: deals}, nil
}
