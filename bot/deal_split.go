package bot

import (
	"context"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// dealSplit credits people with a deal: /deal split D-12 @alice 60 @bruno 40
// [overlay @sam 10], or /deal split D-12 clear (the owner alone, 100 %).
// Splits change who is paid, so only the owner's manager or an admin may set
// them (domain.CanSplit); the owner is told who can. The revenue splits must
// credit the owner and sum to 100 %; each change is kept in history.
func (b *Bot) dealSplit(ctx context.Context, c Caller, args string) (Reply, error) {
	parse := func(rest string) ([]domain.Split, error) { return b.parseSplits(c, rest) }
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	ss, err := parse(rest)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		if !b.cfg.Knows(s.User) {
			return nil, domain.FieldErrorf(domain.FieldSplits, "deal.owner_unknown", s.User)
		}
	}
	updated, changes, err := b.store.UpdateDeal(ctx, d.ID, 0, c.User, func(x *domain.Deal) error {
		if err := domain.CanSplit(b.cfg, c.User, x); err != nil {
			return err
		}
		if err := domain.CanCreditSelf(b.cfg, c.User, ss); err != nil {
			return err
		}
		if err := domain.SplitsCreditOwner(x.Owner, ss); err != nil {
			return err
		}
		x.Splits = ss
		return x.Validate()
	})
	if err != nil {
		return nil, err
	}
	return Card{Deal: updated, Today: b.Today(c), Note: b.changeMsgs(updated, changes)}, nil
}

// parseSplits reads "@alice 60 @bruno 40 overlay @sam 10" (a mention and
// its share, as many as needed; after the word overlay, overlay splits),
// or "clear" for none. A share is a percentage with up to two decimals
// ("60", "33.33", "12,5 %").
func (b *Bot) parseSplits(c Caller, text string) ([]domain.Split, error) {
	usage := domain.FieldErrorf(domain.FieldSplits, "split.usage")
	words := strings.Fields(text)
	if len(words) == 1 && (strings.EqualFold(words[0], "clear") || strings.EqualFold(words[0], "none") || strings.EqualFold(words[0], "aucun")) {
		return nil, nil
	}
	var out []domain.Split
	overlay := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.EqualFold(w, "overlay") {
			if overlay {
				return nil, usage
			}
			overlay = true
			continue
		}
		u, ok := c.Mentioned(w)
		if !ok || i+1 >= len(words) {
			return nil, usage
		}
		share := words[i+1]
		if i+2 < len(words) && words[i+2] == "%" {
			share += "%"
			i++
		}
		bp, err := desk.ParsePercent(share, b.cfg.Locale)
		if err != nil {
			return nil, domain.FieldErrorf(domain.FieldSplits, "split.share", u, domain.Clip(share, 20))
		}
		out = append(out, domain.Split{User: u, Share: bp, Overlay: overlay})
		i++
	}
	if len(out) == 0 {
		return nil, usage
	}
	return out, domain.ValidateSplits("", out)
}
