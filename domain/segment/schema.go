package segment

import (
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Attribute is one segment attribute and the values a deal may take, in the
// configuration's order.
type Attribute struct {
	Name   string
	Values []string
}

// Schema is the configured attributes, in the configuration's order.
type Schema []Attribute

// Key is how values and names compare: case and surrounding or repeated
// spaces do not matter ("Retail ", "retail").
func Key(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Attr is the attribute named name, whatever its case.
func (s Schema) Attr(name string) (Attribute, bool) {
	k := Key(name)
	for _, a := range s {
		if a.Name == k {
			return a, true
		}
	}
	return Attribute{}, false
}

// Names lists the attributes' names.
func (s Schema) Names() []string {
	out := make([]string, len(s))
	for i, a := range s {
		out[i] = a.Name
	}
	return out
}

// Value is the allowed value v stands for, spelt as configured.
func (a Attribute) Value(v string) (string, bool) {
	k := Key(v)
	for _, x := range a.Values {
		if Key(x) == k {
			return x, true
		}
	}
	return "", false
}

// Resolve reads an attribute and a value as a person typed them: the
// attribute as named and the value as configured, or an error that lists
// what is allowed (no segments configured; an unknown attribute, with the
// attributes; a value not allowed, with the attribute's values). An empty
// value clears the attribute.
func (s Schema) Resolve(name, value string) (string, string, error) {
	if len(s) == 0 {
		return "", "", domain.Errorf(domain.EINVALID, "segment.none")
	}
	a, ok := s.Attr(name)
	if !ok {
		return "", "", domain.Errorf(domain.EINVALID, "segment.unknown_attribute", strings.TrimSpace(name), strings.Join(s.Names(), ", "))
	}
	if strings.TrimSpace(value) == "" {
		return a.Name, "", nil
	}
	v, ok := a.Value(value)
	if !ok {
		return "", "", domain.FieldErrorf(domain.AttrField(a.Name), "segment.unknown_value",
			strings.TrimSpace(value), domain.AttrField(a.Name), strings.Join(a.Values, ", "))
	}
	return a.Name, v, nil
}

// ICP is the ideal customer profile: for each attribute it names, in the
// configuration's order, the values that fit.
type ICP []ICPAttr

// ICPAttr is one attribute of the ICP and its fitting values; Line is
// where the configuration writes it (0: unknown), for the review to say
// which line to change.
type ICPAttr struct {
	Name   string
	Values []string
	Line   int
}

// Attr is the ICP's entry for the attribute name.
func (p ICP) Attr(name string) (ICPAttr, bool) {
	for _, a := range p {
		if a.Name == name {
			return a, true
		}
	}
	return ICPAttr{}, false
}

// Fits reports whether the ICP lists value for the attribute.
func (a ICPAttr) Fits(value string) bool {
	k := Key(value)
	return k != "" && slices.ContainsFunc(a.Values, func(v string) bool { return Key(v) == k })
}

// Class is how a deal stands against the ICP.
type Class int

// Classes.
const (
	Unknown Class = iota // some ICP attribute not set, none set against it
	Fit                  // every ICP attribute set to a fitting value
	Unfit                // at least one set to a value the ICP does not list
)

// Score is how a deal fits the ICP.
type Score struct {
	Matched int      // ICP attributes set to a fitting value
	Total   int      // attributes the ICP names
	Against []string // ICP attributes set to a value that does not fit, in ICP order
	Missing []string // ICP attributes not set, in ICP order
}

// BP is Matched ÷ Total in basis points; 0 for an empty ICP.
func (s Score) BP() int {
	if s.Total == 0 {
		return 0
	}
	return (2*s.Matched*10_000 + s.Total) / (2 * s.Total)
}

// Class is the deal's class: Fit, Unfit or Unknown.
func (s Score) Class() Class {
	switch {
	case len(s.Against) > 0:
		return Unfit
	case s.Total > 0 && s.Matched == s.Total:
		return Fit
	}
	return Unknown
}

// Score scores a deal's attributes against the ICP.
func (p ICP) Score(attrs domain.Attrs) Score {
	s := Score{Total: len(p)}
	for _, a := range p {
		v := attrs.Get(a.Name)
		switch {
		case strings.TrimSpace(v) == "":
			s.Missing = append(s.Missing, a.Name)
		case a.Fits(v):
			s.Matched++
		default:
			s.Against = append(s.Against, a.Name)
		}
	}
	return s
}
