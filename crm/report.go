package crm

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// Report writes what an import does (or, dry, would do), line by line: one
// line per row of the file, then the totals. Amounts are exact: units with
// the currency's decimals and its code.
type Report struct {
	W io.Writer
	// Explain words a domain error (a deal that breaks a rule); the
	// command gives the catalogue's text.
	Explain func(error) string
	Counts  map[Action]int
	// Problems lists, for --skip-invalid, the invalid lines.
	Invalid []int
	// Locale is the language of the lines of invalid rows and conflicts
	// (what the bot's summary shows): English when zero, as dealpilot
	// import writes every line.
	Locale i18n.Locale
	// Attrs are the rules' segment attributes: their columns are
	// imported, not "not imported".
	Attrs []AttrMap
	// Chat is a report a person reads in a chat, where dealpilot import's
	// flags are not theirs to give: a conflict says dealpilot's value is
	// kept, without --prefer-file.
	Chat bool
}

// Header describes the file as it was read.
func (r *Report) Header(name string, f *File) {
	r.Counts = map[Action]int{}
	how := string(f.Encoding)
	if f.Delimiter != 0 {
		how += ", " + delimName(f.Delimiter) + " delimited"
	}
	fmt.Fprintf(r.W, "%s: %s (%s), %s, %d rows\n", name, formatName(f.Layout.Set), f.Layout.Set.ID, how, f.Rows)
	if f.DateNote != "" {
		fmt.Fprintln(r.W, f.DateNote)
	}
	ignored, attrs := r.attrColumns(f.Layout)
	if len(attrs) > 0 {
		fmt.Fprintf(r.W, "segment attributes: %s\n", strings.Join(attrs, ", "))
	}
	if len(ignored) > 0 {
		fmt.Fprintf(r.W, "columns not imported: %s\n", quoteList(ignored))
	}
}

// attrColumns splits the headers read as no column: those of a segment
// attribute (as "industry from \"Industry\""), the others.
func (r *Report) attrColumns(l *Layout) (ignored, attrs []string) {
	for _, h := range l.Ignored {
		i := slices.IndexFunc(r.Attrs, func(a AttrMap) bool { col := a.column(l); return col != "" && NormHeader(col) == NormHeader(h) })
		if i < 0 {
			ignored = append(ignored, h)
			continue
		}
		attrs = append(attrs, fmt.Sprintf("%s from %q", r.Attrs[i].Name, h))
	}
	return ignored, attrs
}

func formatName(s HeaderSet) string {
	switch s.Format {
	case HubSpot:
		return "HubSpot deal export"
	case Salesforce:
		return "Salesforce opportunity export"
	case Pipedrive:
		return "Pipedrive deal export"
	case Dealpilot:
		return "dealpilot deal export"
	}
	return "file read with the mapping file"
}

func delimName(r rune) string {
	switch r {
	case '\t':
		return "tab"
	case ';':
		return "';'"
	}
	return "','"
}

// Outcome writes one row's line.
func (r *Report) Outcome(o Outcome) {
	r.Counts[o.Action]++
	m := o.Mapped
	var b strings.Builder
	loc := r.Locale
	b.WriteString(i18n.T(loc, "crm.report.line", m.Line, i18n.T(loc, "crm.action."+string(o.Action))))
	switch o.Action {
	case Invalid:
		r.Invalid = append(r.Invalid, m.Line)
		var why []string
		for _, p := range m.Problems {
			why = append(why, p.Text(loc))
		}
		if o.Err != nil {
			why = append(why, r.explain(o.Err))
		}
		fmt.Fprintf(&b, "%s", strings.Join(why, "; "))
	case Create:
		d := o.Deal
		fmt.Fprintf(&b, "%q (%s): %s, %s, %s, closes %s, owner %s", d.Name, d.ExternalID, d.Account, d.Stage, Amount(d.Amount, d.Currency), d.CloseDate, d.Owner)
		if d.Status != domain.Open {
			fmt.Fprintf(&b, ", %s", d.Status)
			if d.Status == domain.Lost {
				fmt.Fprintf(&b, " (%s)", d.LossReason)
			}
		}
		for _, n := range d.Attributes.Names() {
			fmt.Fprintf(&b, ", %s %s", n, d.Attributes.Get(n))
		}
	case Unchanged:
		fmt.Fprintf(&b, "%s %s", o.Existing.ID.Ref(), i18n.T(loc, "crm.report.quoted", o.Existing.Name))
	case Skip:
		fmt.Fprintf(&b, "%q: %s", m.Deal.Name, m.Skip)
	case Update, Conflict:
		fmt.Fprintf(&b, "%s %s", o.Existing.ID.Ref(), i18n.T(loc, "crm.report.quoted", o.Existing.Name))
		if len(o.Changes) > 0 {
			var cs []string
			for _, c := range o.Changes {
				cs = append(cs, fmt.Sprintf("%s %s → %s", fieldName(loc, c.Field), fieldText(loc, o.Existing, c.Field, c.Old), fieldText(loc, o.Deal, c.Field, c.New)))
			}
			fmt.Fprintf(&b, ": %s", strings.Join(cs, "; "))
		}
		for _, c := range o.Conflicts {
			key := "crm.report.conflict"
			if r.Chat {
				key = "crm.report.conflict_kept"
			}
			b.WriteString(i18n.T(loc, key,
				fieldName(loc, c.Field), fieldText(loc, o.Existing, c.Field, c.Ours), fieldText(loc, &m.Deal, c.Field, c.Theirs)))
		}
	}
	for _, n := range m.Notes {
		if o.Action != Invalid {
			fmt.Fprintf(&b, " [%s]", n.Message(loc))
		}
	}
	fmt.Fprintln(r.W, strings.TrimRight(b.String(), " "))
}

func (r *Report) explain(err error) string {
	if r.Explain != nil {
		return r.Explain(err)
	}
	return err.Error()
}

// Summary writes the totals.
func (r *Report) Summary() {
	var parts []string
	for _, a := range []Action{Create, Update, Unchanged, Conflict, Skip, Invalid} {
		if n := r.Counts[a]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, a))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no rows")
	}
	fmt.Fprintf(r.W, "total: %s\n", strings.Join(parts, ", "))
}

// fieldName names a field in a line: its name in English ("close_date", as
// the configuration and exports write it), its label in other languages.
func fieldName(loc i18n.Locale, f domain.Field) string {
	if loc == i18n.FR {
		return strings.ToLower(i18n.T(loc, "field."+string(f)))
	}
	return string(f)
}

// fieldText shows a field's text form as people read it in loc: amounts in
// units (in English exactly as Amount writes them).
func fieldText(loc i18n.Locale, d *domain.Deal, f domain.Field, v string) string {
	if v == "" {
		return i18n.T(loc, "crm.report.empty_value")
	}
	if f == domain.FieldAmount {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if loc == i18n.FR {
				return i18n.FormatAmount(loc, n, d.Currency)
			}
			return Amount(n, d.Currency)
		}
	}
	return i18n.T(loc, "crm.report.quoted", v)
}

// Amount writes minor units as currency units with the currency's
// decimals and its code: 1200050 EUR is "12000.50 EUR". It is exact, and is
// what CSV exports write too.
func Amount(minor int64, currency string) string {
	c := domain.CurrencyOf(currency)
	s := strconv.FormatInt(minor, 10)
	if c.Exponent > 0 {
		if len(s) <= c.Exponent {
			s = strings.Repeat("0", c.Exponent-len(s)+1) + s
		}
		s = s[:len(s)-c.Exponent] + "." + s[len(s)-c.Exponent:]
	}
	return s + " " + currency
}
