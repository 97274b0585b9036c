package crm

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// Layout says which cell of a row holds which column: the header set a file
// was recognised as (or a mapping file's), and what was left unread.
type Layout struct {
	Set     HeaderSet
	Width   int            // cells in the header row
	Index   map[Column]int // cell of each column present
	Headers map[Column]string
	Ignored []string // headers read as no column (custom CRM properties)
	Names   []string // the header row as written
}

// Cell returns the cell of c in rec ("" when the file has no such column or
// the row is short).
func (l *Layout) Cell(rec []string, c Column) string {
	i, ok := l.Index[c]
	if !ok || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// Recognise finds which CRM export header is: the known set whose required
// headers are all there and which names most of the others. With a mapping,
// the mapping decides. The error lists what was found and how to go on.
func Recognise(header []string, m *Mapping) (*Layout, error) {
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = NormHeader(h)
	}
	if m != nil {
		return layoutOf(m.set(), header, norm)
	}
	var best *Layout
	for _, s := range HeaderSets {
		l, err := layoutOf(s, header, norm)
		if errors.Is(err, errDuplicate) {
			return nil, err
		}
		if err != nil {
			continue
		}
		if best == nil || len(l.Index) > len(best.Index) {
			best = l
		}
	}
	if best == nil {
		shown := header
		if len(shown) > 12 {
			shown = shown[:12]
		}
		return nil, fileErrorf(1, "crm.file.unknown_headers", quotedList(shown))
	}
	return best, nil
}

func layoutOf(s HeaderSet, header, norm []string) (*Layout, error) {
	l := &Layout{Set: s, Width: len(header), Index: map[Column]int{}, Headers: map[Column]string{}, Names: header}
	used := make([]bool, len(header))
	for _, h := range s.Headers {
		for _, name := range append([]string{h.Name}, h.Aliases...) {
			i := slices.Index(norm, NormHeader(name))
			if i < 0 {
				continue
			}
			if j := slices.Index(norm[i+1:], norm[i]); j >= 0 {
				return nil, fmt.Errorf("%w", &duplicateError{fileErrorf(1, "crm.file.duplicate_header", header[i], i+1, i+j+2)})
			}
			l.Index[h.Column] = i
			l.Headers[h.Column] = header[i]
			used[i] = true
			break
		}
	}
	var missing []string
	for _, c := range s.Required {
		if _, ok := l.Index[c]; !ok {
			h, _ := s.Header(c)
			missing = append(missing, h.Name)
		}
	}
	if len(missing) > 0 {
		return nil, fileErrorf(1, "crm.file.missing_columns", quotedList(missing))
	}
	for i, h := range header {
		if !used[i] && strings.TrimSpace(h) != "" {
			l.Ignored = append(l.Ignored, h)
		}
	}
	return l, nil
}

// errDuplicate marks a header set that matched but names a column twice:
// that, not "unknown headers", is what the user must hear.
var errDuplicate = errors.New("duplicate header")

type duplicateError struct{ *FileError }

func (e *duplicateError) Is(target error) bool { return target == errDuplicate }
func (e *duplicateError) Unwrap() error        { return e.FileError }

// quotedList is quoteList in a message: quoted as its language quotes.
type quotedList []string

func (q quotedList) Localize(loc i18n.Locale) string {
	s := make([]string, len(q))
	for i, v := range q {
		s[i] = i18n.T(loc, "crm.report.quoted", v)
	}
	return strings.Join(s, ", ")
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// Mapping is a generic file's layout: for each column, the header that holds
// it. It is read from a mapping file, YAML with one line per column:
//
//	# dealpilot import mapping
//	external_id: Ref
//	name: Opportunity
//	account: Customer
//	owner: Sales rep (email)
//	amount: Value
//	currency: Currency
//	stage: Phase
//	close_date: Expected close
//	attr.industry: Sector
//
// external_id, name and stage are required; the other columns are optional
// (the names are those of Column). attr.<name> maps a segment attribute of
// the configuration (issue 21) to its column, as import: attributes: does
// for a CRM's file.
type Mapping struct {
	Columns map[Column]string
	Attrs   map[string]string // attribute name -> header
}

// ParseMapping reads a mapping file; every problem is named with its line.
func ParseMapping(data []byte) (*Mapping, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("mapping file: %v", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("mapping file: expected lines \"column: header\" (for example \"name: Opportunity\")")
	}
	root := doc.Content[0]
	m := &Mapping{Columns: map[Column]string{}}
	var errs []string
	seen := map[string]string{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		c := Column(k.Value)
		attr, isAttr := domain.Field(k.Value).Attr()
		switch {
		case isAttr && !domain.ValidAttrName(attr):
			errs = append(errs, fmt.Sprintf("line %d: %q is not an attribute name (attr. then lower case letters, digits and _)", k.Line, k.Value))
			continue
		case !isAttr && !slices.Contains(AllColumns, c):
			errs = append(errs, fmt.Sprintf("line %d: %q is not a column; the columns are %s, and attr.<attribute> for a segment attribute", k.Line, k.Value, columnNames()))
			continue
		}
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			errs = append(errs, fmt.Sprintf("line %d: %s needs the header text of its column", k.Line, k.Value))
			continue
		}
		_, dupCol := m.Columns[c]
		_, dupAttr := m.Attrs[attr]
		if (!isAttr && dupCol) || (isAttr && dupAttr) {
			errs = append(errs, fmt.Sprintf("line %d: %s is given twice", k.Line, k.Value))
			continue
		}
		if other, dup := seen[NormHeader(v.Value)]; dup {
			errs = append(errs, fmt.Sprintf("line %d: header %q is already %s", k.Line, v.Value, other))
			continue
		}
		seen[NormHeader(v.Value)] = k.Value
		if isAttr {
			if m.Attrs == nil {
				m.Attrs = map[string]string{}
			}
			m.Attrs[attr] = v.Value
			continue
		}
		m.Columns[c] = v.Value
	}
	for _, c := range []Column{ColExternalID, ColName, ColStage} {
		if _, ok := m.Columns[c]; !ok && len(errs) == 0 {
			errs = append(errs, fmt.Sprintf("%s is required (the header of the column holding it)", c))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("mapping file: %s", strings.Join(errs, "; "))
	}
	return m, nil
}

func columnNames() string {
	names := make([]string, len(AllColumns))
	for i, c := range AllColumns {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

func (m *Mapping) set() HeaderSet {
	s := HeaderSet{ID: "mapping", Format: Generic, Lang: "en", Required: []Column{ColExternalID, ColName, ColStage}, Attrs: m.Attrs}
	for _, c := range AllColumns {
		if h, ok := m.Columns[c]; ok {
			s.Headers = append(s.Headers, Header{Column: c, Name: h})
		}
	}
	return s
}
