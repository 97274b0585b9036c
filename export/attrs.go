package export

import (
	"context"
	"slices"

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
	var attrs []string
	for _, d := range deals {
		for _, n := range d.Attributes.Names() {
			if !slices.Contains(attrs, n) {
				attrs = append(attrs, n)
			}
		}
	}
	slices.Sort(attrs)
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
