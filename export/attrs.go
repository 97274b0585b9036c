package export

import (
	"context"
	"slices"

	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
)

// ownDealsTable is the deals in dealpilot's own columns, then one column
// per segment attribute (issue 21) any deal carries, headed attr.<name>
// as history names it and as dealpilot import reads it back. The export
// reads the file alone, not the configuration: the attributes are those
// the deals hold, in name order.
func ownDealsTable(ctx context.Context, src Source, name func(domain.UserID) string) (Table, error) {
	deals, err := allDeals(ctx, src)
	if err != nil {
		return Table{}, err
	}
	attrs := attrNames(deals)
	header := slices.Clone(dealColumns)
	for _, n := range attrs {
		header = append(header, string(domain.AttrField(n)))
	}
	return Table{Name: "Deals", Header: header, Rows: func(row func([]Cell) error) error {
		for _, d := range deals {
			cells := dealRow(d, name)
			for _, n := range attrs {
				cells = append(cells, T(d.Attributes.Get(n)))
			}
			if err := row(cells); err != nil {
				return err
			}
		}
		return nil
	}}, nil
}

// attrNames are the segment attributes any of deals carries, in name order.
func attrNames(deals []*domain.Deal) []string {
	var attrs []string
	for _, d := range deals {
		for _, n := range d.Attributes.Names() {
			if !slices.Contains(attrs, n) {
				attrs = append(attrs, n)
			}
		}
	}
	slices.Sort(attrs)
	return attrs
}

// crmDealsTable is the deals in a CRM's import columns (set), then one
// column per segment attribute the deals carry, in name order, headed by
// the attribute's name: a custom property to map in the CRM's import, and
// the header import: attributes: maps to read the file back (attr.<name>
// where the name is already one of the CRM's headers).
func crmDealsTable(ctx context.Context, src Source, set columnSet, name func(domain.UserID) string) (Table, error) {
	deals, err := allDeals(ctx, src)
	if err != nil {
		return Table{}, err
	}
	attrs := attrNames(deals)
	header := slices.Clone(set.header())
	for _, n := range attrs {
		h := n
		if slices.ContainsFunc(header, func(x string) bool { return crm.NormHeader(x) == crm.NormHeader(n) }) {
			h = string(domain.AttrField(n))
		}
		header = append(header, h)
	}
	return Table{Name: "Deals", Header: header, Rows: func(row func([]Cell) error) error {
		for _, d := range deals {
			cells := set.row(d, name)
			for _, n := range attrs {
				cells = append(cells, T(d.Attributes.Get(n)))
			}
			if err := row(cells); err != nil {
				return err
			}
		}
		return nil
	}}, nil
}
