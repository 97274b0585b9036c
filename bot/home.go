package bot

import (
	"context"

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
	// The store orders them (next step due before today, or none, first;
	// then by close date) and decodes only the first HomeShown.
	today := b.Today(c)
	deals, total, err := b.store.HomeDeals(ctx, c.User, today, HomeShown)
	if err != nil {
		return nil, err
	}
	renewals, err := b.renewalsDue(ctx, c.User, today, HomeRenewalsShown)
	if err != nil {
		return nil, err
	}
	return Home{User: c.User, Today: today, Deals: deals, Total: total, Renewals: renewals}, nil
}
