package segment

import (
	"cmp"
	"slices"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// AccountValue is the value of attribute attr an account stands in for
// retention: the one remembered on the account (a nil a: none), else the
// one its deals carry, the deal won last first (then the latest closed,
// then the highest id), so a customer counts once, under one value.
func AccountValue(attr string, a *domain.Account, deals []*domain.Deal) string {
	var best valueSource
	for _, d := range deals {
		if src := sourceOf(d, d.Attributes.Get(attr)); src.after(best) {
			best = src
		}
	}
	return accountValue(attr, a, best)
}

// accountValue is AccountValue of the account a whose best deal carrying
// attr is best.
func accountValue(attr string, a *domain.Account, best valueSource) string {
	if a != nil && a.Attributes[attr] != "" {
		return a.Attributes[attr]
	}
	return best.value // NotSet when none carries it
}

// Retain sets the retention of t's period (domain/retention.Measure) on
// each row, the accounts of in grouped by their value of t's attribute
// (AccountValue), and on the total, every account. A value that only an
// account carries (none of the deals) gets a row of its own, listed or not
// as schema says, in Table.Rows' order. in.Deals are the scope's deals, of
// any status. It is a Count's retention (Count.Table) of in.Deals.
func Retain(t *Table, schema Schema, in retention.Input) {
	c := &Count{schema: schema, attr: t.Attribute, accounts: map[string]valueSource{}}
	var won []domain.Deal
	for _, d := range in.Deals {
		won = c.addRetention(d, d.Attributes.Get(t.Attribute), won)
	}
	c.won = [][]domain.Deal{won}
	c.retain(t, in.Accounts, in.Currency)
}

// rowOrder is Table.Rows' order: the configured values in the
// configuration's order, then the others by name, then NotSet.
func rowOrder(a Attribute, x, y Row) int {
	rank := func(r Row) (int, string) {
		if r.Value == NotSet {
			return len(a.Values) + 1, ""
		}
		if i := slices.Index(a.Values, r.Value); i >= 0 {
			return i, ""
		}
		return len(a.Values), r.Value
	}
	xi, xs := rank(x)
	yi, ys := rank(y)
	return cmp.Or(cmp.Compare(xi, yi), cmp.Compare(xs, ys))
}
