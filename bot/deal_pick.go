package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

func (b *Bot) pickForm(c Caller, query string) Form {
	return Form{
		Kind: FormPickDeal, Title: M("form.pick.title"), Submit: M("form.pick.submit"),
		Meta: FormMeta{Channel: c.Channel},
		Inputs: []Input{{Field: PickField, Kind: DealPicker, Label: M("form.pick.label"),
			Placeholder: M("form.pick.placeholder"), Initial: strings.TrimSpace(query)}},
	}
}

// SubmitPick answers the deal picker: the chosen deal's update form.
func (b *Bot) SubmitPick(ctx context.Context, c Caller, _ FormMeta, v Values, _ string) (Reply, error) {
	id, err := strconv.ParseUint(v[PickField], 10, 64)
	if err != nil {
		return nil, domain.FieldErrorf(PickField, "form.pick.required")
	}
	d, err := b.store.Deal(ctx, domain.DealID(id))
	if err != nil {
		return nil, err
	}
	if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
		return nil, err
	}
	return OpenForm{Form: b.updateForm(ctx, c, d)}, nil
}

// PickShown is how many deals the picker shows at most (Slack's limit on an
// external select's options).
const PickShown = 100

// pickWalk bounds the picker's search: the deals it ranks (and eight times
// as many index keys walked for each word typed). A search within owners walks their
// own matches; an admin's, over every deal of the company, reads at most
// this many, so a keystroke costs the same at a thousand deals or a million.
const pickWalk = 500

// SuggestDeals answers the deal picker as the user types: the caller's deals
// first, then their teams' for a manager (everyone's for an admin), best
// matches first, at most PickShown. A query of more than maxRefWords words or
// maxQueryRunes characters is an EINVALID error whose message (short enough
// for a picker option) says so. more is true when the words match more
// deals than the search reads (pickWalk): the deals are the best of those
// read, and the picker says to type more.
func (b *Bot) SuggestDeals(ctx context.Context, c Caller, query string) (deals []*domain.Deal, more bool, err error) {
	sight := b.sight(c.User)
	owners, err := b.owners(c, sight, scopeEditable)
	if err != nil {
		return nil, false, err // someone unknown
	}
	// A query beyond the bounds is refused before any read: the picker
	// asks again at every keystroke.
	if err := checkQuery(query, "pick.query_too_long"); err != nil {
		return nil, false, err
	}
	f := domain.DealFilter{Owners: owners, Words: strings.Fields(query), Status: domain.Open, Limit: pickWalk}
	if id, ok := domain.ParseRef(query); ok {
		if d, err := b.store.Deal(ctx, id); err == nil && domain.CanEdit(b.cfg, c.User, d) == nil &&
			sight.Check(domain.Read{Path: domain.ReadPicker, Deal: d.ID, Owner: d.Owner}) == nil {
			return []*domain.Deal{d}, false, nil
		}
	}
	deals, more, err = b.store.SearchDeals(ctx, f, pickWalk)
	if err != nil {
		return nil, false, err
	}
	ranked := domain.RankDeals(query, deals, 0)
	// The caller's own deals come first, keeping the ranking within each group.
	slices.SortStableFunc(ranked, func(x, y *domain.Deal) int {
		return boolRank(x.Owner == c.User) - boolRank(y.Owner == c.User)
	})
	if len(ranked) > PickShown {
		ranked = ranked[:PickShown]
	}
	return ranked, more, nil
}

func boolRank(mine bool) int {
	if mine {
		return 0
	}
	return 1
}
