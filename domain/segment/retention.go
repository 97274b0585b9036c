package segment

import (
	"cmp"
	"slices"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// AccountValue is the value of attribute attr an account stands in for
// retention: the one remembered on the account (a nil a: none), else the
// one its deals carry, the deal won last first (then the latest closed,
// then the highest id), so a customer counts once, under one value.
func AccountValue(attr string, a *domain.Account, deals []*domain.Deal) string {
	if a != nil && a.Attributes[attr] != "" {
		return a.Attributes[attr]
	}
	var best *domain.Deal
	for _, d := range deals {
		if d.Attributes.Get(attr) == "" {
			continue
		}
		if best == nil || later(d, best) {
			best = d
		}
	}
	if best == nil {
		return NotSet
	}
	return best.Attributes.Get(attr)
}

// later reports whether d comes before o in AccountValue's order.
func later(d, o *domain.Deal) bool {
	dw, ow := d.Status == domain.Won, o.Status == domain.Won
	if dw != ow {
		return dw
	}
	return cmp.Or(d.CloseDate.Compare(o.CloseDate), cmp.Compare(d.ID, o.ID)) > 0
}

// Retain sets the retention of t's period (domain/retention.Measure) on
// each row, the accounts of in grouped by their value of t's attribute
// (AccountValue), and on the total, every account. A value that only an
// account carries (none of the deals) gets a row of its own, listed or not
// as schema says, in Table.Rows' order. in.Deals are the scope's deals, of
// any status.
func Retain(t *Table, schema Schema, in retention.Input) {
	p := retention.Period{From: t.Period.From, To: t.Period.To}
	byAccount := map[string][]*domain.Deal{}
	for _, d := range in.Deals {
		if k := domain.AccountKey(d.Account); k != "" {
			byAccount[k] = append(byAccount[k], d)
		}
	}
	byValue := map[string][]*domain.Deal{}
	for k, deals := range byAccount {
		v := AccountValue(t.Attribute, in.Accounts[k], deals)
		byValue[v] = append(byValue[v], deals...)
	}
	a, _ := schema.Attr(t.Attribute)
	for v := range byValue {
		if !slices.ContainsFunc(t.Rows, func(r Row) bool { return r.Value == v }) {
			r := Row{Value: v, Listed: v != NotSet && slices.Contains(a.Values, v), TooFew: true}
			for _, c := range t.Total.Metrics.Conversion {
				r.Metrics.Conversion = append(r.Metrics.Conversion, coaching.Conversion{Stage: c.Stage})
			}
			t.Rows = append(t.Rows, r)
		}
	}
	slices.SortStableFunc(t.Rows, func(x, y Row) int { return rowOrder(a, x, y) })
	measure := func(deals []*domain.Deal) retention.Figures {
		slices.SortFunc(deals, func(x, y *domain.Deal) int { return cmp.Compare(x.ID, y.ID) })
		return retention.Measure(retention.Input{Deals: deals, Accounts: in.Accounts, Currency: in.Currency}, p)
	}
	for i := range t.Rows {
		t.Rows[i].Retention = measure(byValue[t.Rows[i].Value])
	}
	t.Total.Retention = measure(slices.Clone(in.Deals))
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
