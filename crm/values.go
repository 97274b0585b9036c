package crm

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dealpilot/dealpilot/domain"
)

// The values of a CRM file are read strictly: an amount becomes integer minor
// units (never a float), a date a calendar day; what cannot be read exactly is
// a problem named with its line, never a guess.

// DateOrder says how a file writes its day-month dates: 03/04/2026 is the
// 3rd of April (DMY) or March the 4th (MDY).
type DateOrder string

// Date orders. "" is not known yet.
const (
	DMY DateOrder = "dmy"
	MDY DateOrder = "mdy"
)

// ParseDateOrder reads a --dates value.
func ParseDateOrder(s string) (DateOrder, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "dmy", "dd/mm/yyyy":
		return DMY, true
	case "mdy", "mm/dd/yyyy":
		return MDY, true
	}
	return "", false
}

// isSpace reports the spaces found inside numbers: plain, no-break and
// narrow no-break (French thousands), and around cells.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' }

func trim(s string) string { return strings.TrimFunc(s, isSpace) }

// parseAmount reads an amount cell into minor units of its currency. cur is
// the currency the row's currency column gives; a symbol or code in the
// cell must agree with it, and names the currency when cur is empty;
// fallback (the configured currency) applies when neither says. It returns
// the currency used.
func parseAmount(s, cur, fallback string) (int64, string, error) {
	s = trim(s)
	if s == "" {
		return 0, cur, nil
	}
	if strings.ContainsAny(s, "eE") && strings.ContainsAny(s, "+-") && strings.IndexFunc(s, unicode.IsDigit) == 0 {
		return 0, "", errValue("crm.amount.scientific", s)
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, trim(s[1:len(s)-1])
	}
	isNum := func(r rune) bool { return unicode.IsDigit(r) || r == '-' || r == '+' }
	start := strings.IndexFunc(s, isNum)
	if start < 0 {
		return 0, "", errValue("crm.amount.not_amount", s)
	}
	end := strings.LastIndexFunc(s, unicode.IsDigit) + 1
	marker := trim(s[:start]) + trim(s[end:])
	body := s[start:end]
	if strings.HasPrefix(body, "-") {
		neg, body = true, body[1:]
	} else if strings.HasPrefix(body, "+") {
		body = body[1:]
	}
	if strings.HasPrefix(marker, "-") || strings.HasSuffix(marker, "-") {
		neg, marker = true, strings.Trim(marker, "-")
	}
	if marker != "" {
		code, err := markerCurrency(marker, cur)
		if err != nil {
			if _, known := markerCurrencyAny(marker); !known {
				return 0, "", errValue("crm.amount.not_digits", s)
			}
			return 0, "", err
		}
		cur = code
	}
	if neg {
		return 0, "", errValue("crm.amount.negative", s)
	}
	if cur == "" {
		cur = fallback
	}
	if cur == "" {
		return 0, "", errValue("crm.amount.no_currency", s)
	}
	c := domain.CurrencyOf(cur)
	whole, frac, err := splitAmount(body, c.Exponent)
	if err != nil {
		return 0, "", errValue("crm.amount.unreadable", s, err)
	}
	if len(frac) > c.Exponent {
		if strings.Trim(frac[c.Exponent:], "0") != "" {
			return 0, "", errValue("crm.amount.decimals", s, len(frac), c.Code, c.Exponent)
		}
		frac = frac[:c.Exponent]
	}
	frac += strings.Repeat("0", c.Exponent-len(frac))
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return 0, cur, nil
	}
	if len(digits) > 18 {
		return 0, "", errValue("crm.amount.too_large", s)
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v > domain.MaxAmountMinor {
		return 0, "", errValue("crm.amount.too_large", s)
	}
	return v, cur, nil
}

// splitAmount splits the digits of an amount at its decimal separator.
// Spaces and apostrophes only group thousands. Of '.' and ',', the last is
// the decimal separator when both appear; one that appears several times
// groups; a single one followed by exactly three digits groups too (1,500
// is fifteen hundred, as Excel's exports mean it) unless the currency has
// three decimals or the number starts with 0 (0,500).
func splitAmount(body string, exponent int) (whole, frac string, err error) {
	var b strings.Builder
	lastDot, lastComma, dots, commas := -1, -1, 0, 0
	for i, r := range body {
		switch {
		case r >= '0' && r <= '9':
		case r == '.':
			lastDot, dots = i, dots+1
		case r == ',':
			lastComma, commas = i, commas+1
		case isSpace(r) || r == '\'' || r == '\u2019':
		default:
			return "", "", errValue("crm.amount.bad_char", r)
		}
	}
	dec := -1
	switch {
	case dots > 0 && commas > 0:
		dec = max(lastDot, lastComma)
		if (dec == lastDot && dots > 1) || (dec == lastComma && commas > 1) {
			return "", "", errValue("crm.amount.two_decimal_separators")
		}
	case dots == 1 || commas == 1:
		dec = max(lastDot, lastComma)
		after := len(body) - dec - 1
		if after == 3 && exponent != 3 && !strings.HasPrefix(body, "0") {
			dec = -1
		}
	}
	for i, r := range body {
		if r >= '0' && r <= '9' {
			if dec >= 0 && i > dec {
				frac += string(r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	whole = b.String()
	if whole == "" && frac == "" {
		return "", "", errValue("crm.amount.no_digits")
	}
	if err := checkGroups(body, dec); err != nil {
		return "", "", err
	}
	return whole, frac, nil
}

// checkGroups refuses grouping that is not by threes (12,34,567 in an
// export is a broken cell, not an Indian lakh for us to guess).
func checkGroups(body string, dec int) error {
	w := body
	if dec >= 0 {
		w = body[:dec]
	}
	groups := strings.FieldsFunc(w, func(r rune) bool {
		return r == '.' || r == ',' || isSpace(r) || r == '\'' || r == '\u2019'
	})
	for i, g := range groups {
		if i > 0 && len(g) != 3 || i == 0 && len(groups) > 1 && (len(g) > 3 || len(g) == 0) {
			return errValue("crm.amount.grouping")
		}
	}
	return nil
}

// markerCurrency resolves the currency symbol or code written in an amount
// cell. With cur known, the marker must be one of its ways of writing;
// without, it must name exactly one currency by its code or symbol.
func markerCurrency(marker, cur string) (string, error) {
	m := strings.ToUpper(marker)
	if cur != "" {
		c := domain.CurrencyOf(cur)
		if m == c.Code || marker == c.Symbol {
			return cur, nil
		}
		for _, a := range c.Aliases {
			if strings.EqualFold(a, marker) {
				return cur, nil
			}
		}
		return "", errValue("crm.currency.mismatch", marker, cur)
	}
	if c, ok := domain.LookupCurrency(m); ok {
		return c.Code, nil
	}
	for _, c := range domain.Currencies() {
		if c.Symbol == marker {
			return c.Code, nil
		}
	}
	return "", errValue("crm.currency.unknown_symbol", marker)
}

// markerCurrencyAny reports whether marker writes some currency.
func markerCurrencyAny(marker string) (string, bool) {
	if code, err := markerCurrency(marker, ""); err == nil {
		return code, true
	}
	for _, c := range domain.Currencies() {
		for _, a := range c.Aliases {
			if strings.EqualFold(a, marker) {
				return c.Code, true
			}
		}
	}
	return "", false
}

// parseCurrency reads a currency column: an ISO 4217 code (any case) or a
// symbol that names one currency.
func parseCurrency(s string) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if c, ok := domain.LookupCurrency(strings.ToUpper(s)); ok {
		return c.Code, nil
	}
	if isCode(s) {
		return s, nil // an ISO code outside dealpilot's table: kept, two decimals
	}
	code, err := markerCurrency(s, "")
	if err != nil {
		return "", errValue("crm.currency.not_iso", s)
	}
	return code, nil
}

// dayMonth is a date written with its day and month in an order to find:
// a/b/year.
type dayMonth struct {
	a, b, year int
}

// splitDate reads a date's shape: ISO (2026-12-31, with or without a time
// and offset, as Salesforce's API writes datetimes) gives the date; a
// slashed or dotted date gives its two leading numbers to order; an Excel
// serial number (XLSX cells) gives the date.
func splitDate(s string, xlsx bool) (d domain.Date, dm dayMonth, slashed bool, err error) {
	s = trim(s)
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if d, err := domain.ParseISODate(s[:10]); err == nil {
			if rest := s[10:]; rest == "" || validTime(rest) {
				return d, dayMonth{}, false, nil
			}
		}
		return domain.Date{}, dayMonth{}, false, errValue("crm.date.not_date", s)
	}
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 2958466 {
			// Excel's day 1 is 1900-01-01, and it counts a 29 February 1900
			// that never was: serials from 61 on are one day ahead.
			t := time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
			return domain.DateOf(t), dayMonth{}, false, nil
		}
	}
	datePart := s
	if i := strings.IndexAny(s, " T"); i > 0 {
		datePart = s[:i]
		if !validClock(trim(s[i+1:])) {
			return domain.Date{}, dayMonth{}, false, errValue("crm.date.not_date", s)
		}
	}
	parts := strings.FieldsFunc(datePart, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || strings.Count(datePart, "/")+strings.Count(datePart, ".")+strings.Count(datePart, "-") != 2 {
		return domain.Date{}, dayMonth{}, false, errValue("crm.date.not_date_hint", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || len(p) > 4 {
			return domain.Date{}, dayMonth{}, false, errValue("crm.date.not_date", s)
		}
		n[i] = v
	}
	switch len(parts[2]) {
	case 4:
	case 2:
		n[2] += 2000
	default:
		return domain.Date{}, dayMonth{}, false, errValue("crm.date.no_year", s)
	}
	if n[0] < 1 || n[1] < 1 || n[0] > 31 || n[1] > 31 || (n[0] > 12 && n[1] > 12) {
		return domain.Date{}, dayMonth{}, false, errValue("crm.date.not_date", s)
	}
	return domain.Date{}, dayMonth{n[0], n[1], n[2]}, true, nil
}

// validTime accepts what follows an ISO date: a time, with seconds,
// fractions and an offset or Z, after "T" or a space.
func validTime(rest string) bool {
	if rest[0] != 'T' && rest[0] != ' ' {
		return false
	}
	for _, layout := range []string{"15:04:05.999999999Z07:00", "15:04:05.999999999Z0700", "15:04:05.999999999", "15:04"} {
		if _, err := time.Parse(layout, rest[1:]); err == nil {
			return true
		}
	}
	return false
}

// validClock accepts a report's time after a day-month date: 14:30,
// 14:30:05, 2:30 PM.
func validClock(s string) bool {
	for _, layout := range []string{"15:04", "15:04:05", "3:04 PM", "3:04:05 PM", "3:04 pm", "3:04:05 pm"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// resolve gives the date of a day-month shape in order.
func (dm dayMonth) resolve(o DateOrder) (domain.Date, error) {
	day, month := dm.a, dm.b
	if o == MDY {
		day, month = dm.b, dm.a
	}
	if month > 12 {
		return domain.Date{}, errValue("crm.date.not_month", month, o.Layout())
	}
	d := domain.NewDate(dm.year, time.Month(month), day)
	if d.Day != day {
		return domain.Date{}, errValue("crm.date.no_day", day, monthName(month), dm.year)
	}
	return d, nil
}

// Layout is how the order is written for people: dd/mm/yyyy or mm/dd/yyyy.
func (o DateOrder) Layout() string {
	if o == MDY {
		return "mm/dd/yyyy"
	}
	return "dd/mm/yyyy"
}

// formulaStart reports whether a text cell starts as a spreadsheet formula
// would: '=', '+', '@', a '-' not starting a number, or a tab or carriage
// return hiding one. Such a cell is refused, not imported: it would run in
// the spreadsheet of whoever exports it again.
func formulaStart(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return true
	case '-':
		return len(s) > 1 && !(s[1] >= '0' && s[1] <= '9') && s[1] != ' '
	}
	return false
}

// neutralisedStarts are the characters after which an exporter's leading
// apostrophe marks a cell as text: the formula starts of OWASP's CSV
// injection guidance, which dealpilot's own export neutralises this way
// (export.Neutralise writes "+33 renewal" as '+33 renewal).
const neutralisedStarts = "=+-@\t\r"

// unquoteText drops the apostrophe an exporter put before a formula start
// to keep a spreadsheet from running the cell: it returns the text as it was
// typed, and marked is true. Any other cell, an apostrophe before anything
// else included ("'til Friday"), is returned as it is, marked false.
func unquoteText(s string) (text string, marked bool) {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(neutralisedStarts, s[1]) >= 0 {
		return s[1:], true
	}
	return s, false
}

// quotedFormula reports whether a text that came marked by an apostrophe
// (unquoteText) is still refused: the same refusal as an unmarked cell
// (formulaStart, after the spaces trim drops), so "=HYPERLINK(…)" and
// "@SUM(…)" stay out however they are written, except a '+' before a digit or
// a space, which the apostrophe shows is text ("+33 renewal", a phone
// number), as a '-' before one already is.
func quotedFormula(s string) bool {
	s = trim(s)
	if len(s) > 1 && s[0] == '+' && (s[1] == ' ' || s[1] >= '0' && s[1] <= '9') {
		return false
	}
	return formulaStart(s)
}

// isCode reports whether s is shaped as an ISO 4217 code: three capitals.
func isCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
