package bot

import (
	"context"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

func (b *Bot) dealShow(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeAll)
	if err != nil || cands != nil {
		return cands, err
	}
	return b.card(ctx, c, d, nil)
}

func (b *Bot) card(ctx context.Context, c Caller, d *domain.Deal, note []Msg) (Reply, error) {
	last, err := b.store.LastChange(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	card := Card{Deal: d, Today: b.Today(c), Note: note, LastChange: last, Segments: b.cardSegments(d)}
	if card.Plan, err = b.store.Plan(ctx, d.ID); err != nil {
		return nil, err
	}
	return card, nil
}

func (b *Bot) dealHistory(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeAll)
	if err != nil || cands != nil {
		return cands, err
	}
	return b.history(ctx, c, d)
}

func (b *Bot) history(ctx context.Context, c Caller, d *domain.Deal) (Reply, error) {
	hist, err := b.store.History(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	return HistoryList{Deal: d, Entries: hist, TZ: b.Zone(c)}, nil
}

// dealList lists open deals: the caller's, or another user's (managers and
// admins), filtered by stage or category.
func (b *Bot) dealList(ctx context.Context, c Caller, args string) (Reply, error) {
	f := domain.DealFilter{Owners: []domain.UserID{c.User}, Status: domain.Open}
	whose := c.User
	var filterWord string
	for _, tok := range strings.Fields(args) {
		if u, ok := c.Mentioned(tok); ok {
			whose = u
			continue
		}
		if st, ok := b.cfg.Stages.Lookup(tok); ok {
			f.Stage, filterWord = st.Name, st.Name
			continue
		}
		if cat, ok := domain.ParseCategory(tok); ok {
			f.Category, filterWord = cat, tok
			continue
		}
		return nil, domain.Errorf(domain.EINVALID, "list.usage", tok, b.cfg.Stages.Names())
	}
	if err := b.sight(c.User).Check(domain.Read{Path: domain.ReadList, Owner: whose}); err != nil {
		return nil, err
	}
	f.Owners, f.Limit = []domain.UserID{whose}, ListShown
	deals, total, err := b.store.DealPage(ctx, f)
	if err != nil {
		return nil, err
	}
	title := M("list.mine", total)
	empty := M("list.mine_empty")
	if whose != c.User {
		title, empty = M("list.theirs", whose, total), M("list.theirs_empty", whose)
	}
	if filterWord != "" {
		title = M("list.filtered", title, filterWord)
	}
	return DealList{Title: title, Empty: empty, Deals: deals, Total: total}, nil
}
