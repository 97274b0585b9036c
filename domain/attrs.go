package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Attrs is a deal's segment values, name → value: an immutable,
// comparable value, so that a copy of a deal (the store's, a form's) never
// shares what the other changes. The zero Attrs has none.
// With returns a changed copy.
type Attrs struct {
	// enc is name NUL value NUL … sorted by name; names and values
	// hold no NUL (AttrsOf drops a pair that does).
	enc string
}

// AttrsOf makes Attrs of m; empty names or values are left out.
func AttrsOf(m map[string]string) Attrs {
	var a Attrs
	for k, v := range m {
		a = a.With(k, v)
	}
	return a
}

func (a Attrs) pairs() [][2]string {
	if a.enc == "" {
		return nil
	}
	parts := strings.Split(a.enc, "\x00")
	out := make([][2]string, 0, len(parts)/2)
	for i := 0; i+1 < len(parts); i += 2 {
		out = append(out, [2]string{parts[i], parts[i+1]})
	}
	return out
}

// Get is the value of name, "" when not set. It reads the encoding in
// place, allocating nothing: /pipeline segments asks it of every deal.
func (a Attrs) Get(name string) string {
	for rest := a.enc; rest != ""; {
		n, after, _ := strings.Cut(rest, "\x00")
		v, next, _ := strings.Cut(after, "\x00")
		if n == name {
			return v
		}
		rest = next
	}
	return ""
}

// With is a with name set to value, or removed when value is empty.
func (a Attrs) With(name, value string) Attrs {
	if name == "" || strings.ContainsRune(name, 0) || strings.ContainsRune(value, 0) {
		return a
	}
	ps := slices.DeleteFunc(a.pairs(), func(p [2]string) bool { return p[0] == name })
	if value != "" {
		ps = append(ps, [2]string{name, value})
	}
	slices.SortFunc(ps, func(x, y [2]string) int { return strings.Compare(x[0], y[0]) })
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(p[0])
		b.WriteByte(0)
		b.WriteString(p[1])
	}
	return Attrs{enc: b.String()}
}

// Names lists the names set, sorted.
func (a Attrs) Names() []string {
	var out []string
	for _, p := range a.pairs() {
		out = append(out, p[0])
	}
	return out
}

// Len is how many are set.
func (a Attrs) Len() int { return len(a.pairs()) }

// Map is a as a map, nil when none is set (the store's record).
func (a Attrs) Map() map[string]string {
	ps := a.pairs()
	if len(ps) == 0 {
		return nil
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p[0]] = p[1]
	}
	return m
}

// Encoded is a's encoding: each name and its value, NUL after each but
// the last, pairs sorted by name (strictly: no name twice), no name or
// value empty or holding a NUL; "" when none is set. It is what a compact
// copy of a deal (the store's pipeline digest) keeps, to give back with
// AttrsFromEncoded without rebuilding pairs.
func (a Attrs) Encoded() string { return a.enc }

// AttrsFromEncoded is the Attrs whose encoding (Encoded) is s, without a
// copy; an error when s is not such an encoding (odd count of parts, an
// empty name or value, names not in strictly increasing order).
func AttrsFromEncoded(s string) (Attrs, error) {
	if s == "" {
		return Attrs{}, nil
	}
	prev := "" // a name sorts after it unless empty
	for rest := s; ; {
		name, after, _ := strings.Cut(rest, "\x00")
		value, next, more := strings.Cut(after, "\x00")
		if value == "" {
			return Attrs{}, fmt.Errorf("attributes %q: a name without a value", s)
		}
		if name <= prev { // an empty name too
			return Attrs{}, fmt.Errorf("attributes %q: name %q after %q, not in order", s, name, prev)
		}
		if !more {
			return Attrs{enc: s}, nil
		}
		prev, rest = name, next
	}
}
