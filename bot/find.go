package bot

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// quotedQuery is how much of a lookup that found nothing the answer quotes.
const quotedQuery = 59

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

// owners returns whose deals a lookup searches: those the caller may read
// (domain.CanRead's rule), and of those only the ones they may change for
// scopeEditable.
func (b *Bot) owners(c Caller, sight domain.Sight, s scope) ([]domain.UserID, error) {
	readable, err := sight.Filter()
	if err != nil || s == scopeAll {
		return readable, err
	}
	return within(b.cfg.VisibleOwners(c.User), readable), nil
}

// within returns the owners of some that are in of (nil: everyone; a nil
// some is everyone too).
func within(some, of []domain.UserID) []domain.UserID {
	switch {
	case of == nil:
		return some
	case some == nil:
		return of
	}
	out := []domain.UserID{}
	for _, u := range some {
		if slices.Contains(of, u) {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return []domain.UserID{""} // nobody's: an empty list would mean everyone's
	}
	return out
}

// path is the read path a lookup serves, for the rule.
func (s scope) path() domain.ReadPath {
	if s == scopeAll {
		return domain.ReadShow
	}
	return domain.ReadPicker
}

// find resolves what a user typed to designate one deal: "D-12", "12", or
// words of its name or account. Several matches give a Candidates reply to
// show instead; none is ENOTFOUND.
func (b *Bot) find(ctx context.Context, c Caller, typed string, s scope) (*domain.Deal, Reply, error) {
	typed = strings.TrimSpace(typed)
	// Deals are the team's business: someone the configuration does not
	// know (a guest, another department) reads none of them, and is told
	// so before anything is looked up.
	sight := b.sight(c.User)
	readable, err := sight.Filter()
	if err != nil {
		return nil, nil, err
	}
	if typed == "" {
		return nil, nil, domain.Errorf(domain.EINVALID, "deal.which")
	}
	if id, ok := domain.ParseRef(typed); ok {
		d, err := b.store.Deal(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		// A deal the caller may not read does not exist for them.
		if err := sight.Check(domain.Read{Path: s.path(), Deal: d.ID, Owner: d.Owner}); err != nil {
			return nil, nil, err
		}
		return d, nil, nil
	}
	if err := checkQuery(typed, "deal.query_too_long"); err != nil {
		return nil, nil, err
	}
	words := strings.Fields(typed)
	owners, err := b.owners(c, sight, s)
	if err != nil {
		return nil, nil, err
	}
	deals, err := b.store.Deals(ctx, domain.DealFilter{Owners: owners, Words: words, Limit: 200})
	if err != nil {
		return nil, nil, err
	}
	if len(deals) == 0 && s == scopeEditable {
		// Not among the caller's own: say so precisely if the caller can
		// read it (a teammate's), never if it is another team's.
		if others, err := b.store.Deals(ctx, domain.DealFilter{Owners: readable, Words: words, Limit: 2}); err == nil && len(others) > 0 {
			deals = others
		}
	}
	switch len(deals) {
	case 0:
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "deal.no_match", domain.Clip(typed, quotedQuery))
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
		firstErr = domain.Errorf(domain.ENOTFOUND, "deal.no_match", domain.Clip(tokens[0], quotedQuery))
	}
	return nil, "", nil, firstErr
}
