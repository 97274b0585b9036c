package crm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// AttrMap is a segment attribute (issue 21) read from a file's column: the
// column's header (import: attributes:, "" when none is mapped) and the
// values the configuration allows.
type AttrMap struct {
	Name   string
	Header string
	Values []string
}

// column is the header of a's column in l's files: dealpilot's own export
// writes each attribute as attr.<name> (domain.AttrField), a CRM's file
// has the mapped header.
func (a AttrMap) column(l *Layout) string {
	if l.Set.Format == Dealpilot {
		return string(domain.AttrField(a.Name))
	}
	if h, ok := l.Set.Attrs[a.Name]; ok {
		return h // a mapping file's attr.<name>: header
	}
	return a.Header
}

// CheckMapping refuses a mapping file (l's set) that maps an attribute the
// configuration does not have (rl.Attrs): its column would be dropped
// without a word. The error names the attributes there are.
func (rl *Rules) CheckMapping(l *Layout) error {
	var unknown []string
	for name := range l.Set.Attrs {
		if !slices.ContainsFunc(rl.Attrs, func(a AttrMap) bool { return a.Name == name }) {
			unknown = append(unknown, string(domain.AttrField(name)))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	names := make([]string, len(rl.Attrs))
	for i, a := range rl.Attrs {
		names[i] = a.Name
	}
	if len(names) == 0 {
		return fmt.Errorf("mapping file: %s: the configuration has no segments:", strings.Join(unknown, ", "))
	}
	return fmt.Errorf("mapping file: %s: not an attribute of segments: (%s)", strings.Join(unknown, ", "), strings.Join(names, ", "))
}

// mapAttrs sets the deal's attributes from their columns: a value matched
// whatever its case and spaces and kept as configured, an empty cell says
// the deal has none, any other value is a problem naming the allowed ones.
// A column the file lacks leaves the attribute alone.
func (rl *Rules) mapAttrs(l *Layout, r *Record, m *Mapped) {
	if r.cells == nil {
		return
	}
	for _, a := range rl.Attrs {
		col := a.column(l)
		i := slices.IndexFunc(l.Names, func(h string) bool { return NormHeader(h) == NormHeader(col) })
		if col == "" || i < 0 || i >= len(r.cells) {
			continue
		}
		v := trim(r.cells[i])
		if v == "" {
			m.Deal.SetAttr(a.Name, "")
			m.Fields = append(m.Fields, domain.AttrField(a.Name))
			continue
		}
		j := slices.IndexFunc(a.Values, func(x string) bool { return NormHeader(x) == NormHeader(v) })
		if j < 0 {
			m.Problems = append(m.Problems, Problem{Column: Column(domain.AttrField(a.Name)), Header: l.Names[i],
				Key: "crm.attribute.unknown", Args: []any{a.Name, clip(v), a.Name, strings.Join(a.Values, ", ")}})
			continue
		}
		m.Deal.SetAttr(a.Name, a.Values[j])
		m.Fields = append(m.Fields, domain.AttrField(a.Name))
	}
}
