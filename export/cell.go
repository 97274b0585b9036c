// Package export writes dealpilot's deals, their history, the deal desk's
// discount requests and the weekly forecast snapshots as tables: CSV (UTF-8,
// RFC 4180) or XLSX, in dealpilot's own columns or in the column set a CRM's
// import recognises (HubSpot, Salesforce, Pipedrive). It reads domain values
// through Source (store.DB implements it) and knows nothing of bbolt.
//
// Two rules hold for every writer. Amounts are exact: integer minor units
// written as a decimal number of currency units with a dot (7493250 EUR is
// 74932.50), never through a float in CSV. And a text cell that a
// spreadsheet would read as a formula is neutralised (Neutralise), while a
// number stays a number: see Cell.
package export

import (
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Kind is what a cell holds, which decides how each format writes it.
type Kind uint8

const (
	// Text is free text, possibly typed by a user: neutralised.
	Text Kind = iota
	// Number is a decimal number dealpilot computed from an integer
	// ("-12.50", "1200"): written as a number, never neutralised, since its
	// leading "-" is a sign and no user typed it.
	Number
)

// Cell is one value of a row.
type Cell struct {
	Kind Kind
	// V is the text, or for a Number its exact decimal form.
	V string
	// Decimals is a Number's digits after the point (the XLSX number format).
	Decimals int
}

// T is a text cell.
func T(s string) Cell { return Cell{Kind: Text, V: s} }

// Amount is an amount in minor units of currency as a Number of currency
// units (7493250 EUR is 74932.50, 1200 JPY is 1200, 1234 TND is 1.234).
func Amount(minor int64, currency string) Cell {
	exp := domain.CurrencyOf(currency).Exponent
	return Cell{Kind: Number, V: domain.Decimal(minor, exp), Decimals: exp}
}

// Int is a whole Number.
func Int(n int64) Cell { return Cell{Kind: Number, V: strconv.FormatInt(n, 10)} }

// Percent is basis points as a Number of percent with two decimals (1250 is
// 12.50).
func Percent(bp int) Cell { return Cell{Kind: Number, V: domain.Decimal(int64(bp), 2), Decimals: 2} }

// formulaStarts are the first characters that make a spreadsheet (Excel,
// LibreOffice, Google Sheets) read a cell as a formula or a DDE call, as
// OWASP's CSV injection guidance lists them: = + - @, and tab and carriage
// return, which some applications strip before looking at the next one.
const formulaStarts = "=+-@\t\r"

// Neutralise returns s so that no spreadsheet evaluates it: when it starts
// with one of formulaStarts, it gets a leading apostrophe, so spreadsheets
// read it as text ("=HYPERLINK(…)" is written '=HYPERLINK(…)), as OWASP
// advises. Any other text is unchanged. An importer should drop an
// apostrophe followed by one of formulaStarts, so a round trip keeps the
// name.
func Neutralise(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// text is the cell as written: a Text neutralised, a Number as it is.
func (c Cell) text() string {
	if c.Kind == Text {
		return Neutralise(c.V)
	}
	return c.V
}
