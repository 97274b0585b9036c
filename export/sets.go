package export

import (
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
)

// Targets are the CRMs whose import a deals export can be written for
// (--for): crm.Formats, the formats `dealpilot import` reads.
var Targets = func() []string {
	out := make([]string, len(crm.Formats))
	for i, f := range crm.Formats {
		out[i] = string(f)
	}
	return out
}()

// columnSet is one way of writing deals: its header and a deal's row.
type columnSet struct {
	names []string
	cells func(d *domain.Deal, name func(domain.UserID) string) []Cell
}

func (s columnSet) header() []string { return s.names }

func (s columnSet) row(d *domain.Deal, name func(domain.UserID) string) []Cell {
	return s.cells(d, name)
}

// targetSet returns the column set of target ("" for dealpilot's own).
func targetSet(target string, stages domain.Stages) (columnSet, bool) {
	if target == "" {
		return columnSet{names: dealColumns, cells: dealRow}, true
	}
	return crmSet(crm.Format(target), stages)
}
