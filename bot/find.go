package bot

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// maxRefWords bounds how many words may designate a deal. Names are a few
// words; without a bound, a long text would make findThen try every split
// of it against the index (quadratic in its length).
const maxRefWords = 8

// maxQueryRunes bounds the length of what the deal picker and a lookup by
// words search for: every word is a prefix scan of the word index and a
// check of each deal it finds, so an unbounded query costs the bot
// seconds and hundreds of megabytes at 100,000 deals (BENCHMARKS.md).
const maxQueryRunes = 80

// checkQuery refuses, with a message saying the limits, a search longer
// than maxQueryRunes or than maxRefWords words.
func checkQuery(q string, key string) error {
	if utf8.RuneCountInString(q) > maxQueryRunes || len(strings.Fields(q)) > maxRefWords {
		return domain.Errorf(domain.EINVALID, key, maxRefWords, maxQueryRunes)
	}
	return nil
}

// scope is whose deals a lookup searches.
type scope int

const (
	scopeEditable scope = iota // the caller's, their teams' for a manager, all for an admin
	scopeAll                   // everyone's (reading is open to the whole team)
)

func (b *Bot) owners(c Caller, s scope) []domain.UserID {
	if s == scopeAll {
		return nil
	}
	return b.cfg.VisibleOwners(c.User)
}

// find resolves what a user typed to designate one deal: "D-12", "12", or
// words of its name or account. Several matches give a Candidates reply to
// show instead; none is ENOTFOUND.
func (b *Bot) find(ctx context.Context, c Caller, typed string, s scope) (*domain.Deal, Reply, error) {
	typed = strings.TrimSpace(typed)
	// Deals are the team's business: someone the configuration does not
	// know (a guest, another department) reads none of them.
	if !b.mayCreate(c.User) {
		return nil, nil, domain.Errorf(domain.EFORBIDDEN, "deal.unknown_user")
	}
	if typed == "" {
		return nil, nil, domain.Errorf(domain.EINVALID, "deal.which")
	}
	if id, ok := domain.ParseRef(typed); ok {
		d, err := b.store.Deal(ctx, id)
		return d, nil, err
	}
	if err := checkQuery(typed, "deal.query_too_long"); err != nil {
		return nil, nil, err
	}
	words := strings.Fields(typed)
	deals, err := b.store.Deals(ctx, domain.DealFilter{Owners: b.owners(c, s), Words: words, Limit: 200})
	if err != nil {
		return nil, nil, err
	}
	if len(deals) == 0 && s == scopeEditable {
		// Not among the caller's own: say so precisely if it exists elsewhere.
		if others, err := b.store.Deals(ctx, domain.DealFilter{Words: strings.Fields(typed), Limit: 2}); err == nil && len(others) > 0 {
			deals = others
		}
	}
	switch len(deals) {
	case 0:
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "deal.no_match", clip(typed))
	case 1:
		return deals[0], nil, nil
	}
	if d, ok := domain.MatchRef(typed, deals); ok {
		return d, nil, nil
	}
	return nil, Candidates{Words: typed, Deals: domain.RankDeals(typed, deals, 10)}, nil
}

// findThen splits "REF VALUE…" where the deal may be designated by several
// words: it tries the longest run of leading words that names a deal and
// leaves a value that parses (ok(rest) is true). A leading ref ("D-12")
// is always the deal.
func (b *Bot) findThen(ctx context.Context, c Caller, args string, s scope, ok func(rest string) bool) (*domain.Deal, string, Reply, error) {
	tokens := strings.Fields(args)
	if len(tokens) == 0 {
		return nil, "", nil, domain.Errorf(domain.EINVALID, "deal.which")
	}
	if _, isRef := domain.ParseRef(tokens[0]); isRef {
		d, reply, err := b.find(ctx, c, tokens[0], s)
		return d, strings.Join(tokens[1:], " "), reply, err
	}
	var firstErr error
	for i := min(len(tokens)-1, maxRefWords); i >= 1; i-- {
		rest := strings.Join(tokens[i:], " ")
		if !ok(rest) {
			continue
		}
		d, reply, err := b.find(ctx, c, strings.Join(tokens[:i], " "), s)
		if err == nil {
			return d, rest, reply, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = domain.Errorf(domain.ENOTFOUND, "deal.no_match", clip(tokens[0]))
	}
	return nil, "", nil, firstErr
}

// clip shortens what a user typed for quoting it back in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
