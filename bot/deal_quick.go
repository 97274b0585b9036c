package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

func (b *Bot) dealStage(ctx context.Context, c Caller, args string) (Reply, error) {
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, ok := b.cfg.Stages.Lookup(rest); return ok })
	if err != nil || cands != nil {
		return cands, err
	}
	st, ok := b.cfg.Stages.Lookup(rest)
	if !ok {
		return nil, domain.FieldErrorf(domain.FieldStage, "stage.unknown", rest, b.cfg.Stages.Names())
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		if x.Status != domain.Open {
			return domain.Errorf(domain.EINVALID, "deal.closed", x.ID.Ref(), x.Status)
		}
		b.cfg.Stages.Move(x, st)
		return st.Summary(st.CheckEntry(x))
	})
}

func (b *Bot) dealAmount(ctx context.Context, c Caller, args string) (Reply, error) {
	parse := func(rest string) (int64, error) { return domain.ParseAmount(rest, b.cfg.Locale, b.cfg.Currency) }
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	amount, err := parse(rest)
	if err != nil {
		return nil, err
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.Amount = amount; return nil })
}

func (b *Bot) dealClose(ctx context.Context, c Caller, args string) (Reply, error) {
	now := b.Now(c)
	parse := func(rest string) (domain.Date, error) {
		return domain.ParseDateField(domain.FieldCloseDate, rest, b.cfg.Locale, now)
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	date, err := parse(rest)
	if err != nil {
		return nil, err
	}
	if date.Before(b.Today(c)) {
		return nil, domain.FieldErrorf(domain.FieldCloseDate, "deal.close_date_past", date)
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.CloseDate = date; return nil })
}

// dealCategory returns the handler of /deal commit, bestcase, upside…
func (b *Bot) dealCategory(cat domain.Category) Handler {
	return func(ctx context.Context, c Caller, args string) (Reply, error) {
		d, cands, err := b.find(ctx, c, args, scopeEditable)
		if err != nil || cands != nil {
			return cands, err
		}
		return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.Category = cat; return nil })
	}
}

func (b *Bot) dealWon(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeEditable)
	if err != nil || cands != nil {
		return cands, err
	}
	today := b.Today(c)
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		if x.Status == domain.Won {
			return domain.Errorf(domain.EINVALID, "deal.already", x.ID.Ref(), x.Status)
		}
		x.Status, x.LossReason, x.Competitor, x.CloseDate = domain.Won, "", "", today
		return nil
	})
}

func (b *Bot) dealLost(ctx context.Context, c Caller, args string) (Reply, error) {
	d, reason, cands, err := b.findThen(ctx, c, args, scopeEditable, func(string) bool { return true })
	if _, isRef := domain.ParseRef(strings.TrimSpace(args)); isRef || (err == nil && cands == nil && strings.TrimSpace(reason) == "") {
		return nil, domain.FieldErrorf(domain.FieldLossReason, "deal.lost_usage", strings.Join(b.cfg.LossReasons, ", "))
	}
	if err != nil || cands != nil {
		return cands, err
	}
	reason, competitor, err := splitCompetitor(reason)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, domain.FieldErrorf(domain.FieldLossReason, "deal.lost_usage", strings.Join(b.cfg.LossReasons, ", "))
	}
	reason = domain.MatchLossReason(b.cfg.LossReasons, reason)
	today := b.Today(c)
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		if x.Status == domain.Lost {
			return domain.Errorf(domain.EINVALID, "deal.already", x.ID.Ref(), x.Status)
		}
		x.Status, x.LossReason, x.Competitor, x.CloseDate = domain.Lost, reason, competitor, today
		return nil
	})
}

// competitorWord marks the competitor who won a lost deal in /deal lost's
// text ("price competitor: Acme"); the French word is understood in any
// locale, with or without the space French puts before a colon.
var competitorWord = regexp.MustCompile(`(?i)(^|\s)(competitor|concurrent)\s*:`)

// splitCompetitor splits what follows the deal in /deal lost into the
// reason and the competitor (empty when not given), both trimmed, the
// competitor's inner spaces collapsed. A marker with no name after it is
// refused with a message saying so rather than ignored.
func splitCompetitor(text string) (reason, competitor string, err error) {
	loc := competitorWord.FindStringSubmatchIndex(text)
	if loc == nil {
		return strings.TrimSpace(text), "", nil
	}
	reason = strings.TrimSpace(text[:loc[0]])
	competitor = strings.Join(strings.Fields(text[loc[1]:]), " ")
	if competitor == "" {
		return "", "", domain.FieldErrorf(domain.FieldCompetitor, "deal.competitor_usage")
	}
	// Its length is Deal.Validate's to check, as for every field.
	return reason, competitor, nil
}

func (b *Bot) dealOwner(ctx context.Context, c Caller, args string) (Reply, error) {
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, ok := c.Mentioned(rest); return ok })
	if err != nil || cands != nil {
		return cands, err
	}
	owner, ok := c.Mentioned(rest)
	if !ok {
		return nil, domain.FieldErrorf(domain.FieldOwner, "deal.owner_usage")
	}
	if !b.cfg.Knows(owner) {
		return nil, domain.FieldErrorf(domain.FieldOwner, "deal.owner_unknown", owner)
	}
	updated, changes, err := b.store.UpdateDeal(ctx, d.ID, 0, c.User, func(x *domain.Deal) error {
		if err := domain.CanReassign(b.cfg, c.User, x); err != nil {
			return err
		}
		x.HandOver(owner) // the old owner's share of a split goes with the deal
		return nil
	})
	if err != nil {
		return nil, err
	}
	return Card{Deal: updated, Today: b.Today(c), Note: b.changeMsgs(updated, changes), Segments: b.cardSegments(updated)}, nil
}
