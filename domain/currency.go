package domain

// The currencies are rules: which codes exist, how many digits their minor
// unit has (an amount is stored in it), and what people type for them;
// ParseAmount reads with them and the i18n package writes with them.

import (
	"strconv"
	"strings"
)

// Decimal writes v / 10^exp exactly, with exp digits after the point, in
// integer arithmetic only (never a float), as files and programs read
// numbers: Decimal(7493250, 2) is "74932.50" (an amount in cents),
// Decimal(-5, 2) "-0.05", Decimal(1200, 0) "1200". People read amounts as
// the i18n package writes them, in their locale.
func Decimal(v int64, exp int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-(v + 1)) + 1 // also right for math.MinInt64
	}
	s := strconv.FormatUint(u, 10)
	if exp > 0 {
		if len(s) <= exp {
			s = strings.Repeat("0", exp-len(s)+1) + s
		}
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Currency is an ISO 4217 currency as dealpilot writes and reads it.
type Currency struct {
	Code     string   // ISO 4217 code, e.g. "EUR"
	Exponent int      // digits of the minor unit: 2 for EUR (cents), 0 for JPY, 3 for TND
	Symbol   string   // how amounts show it; the code itself when no symbol is unambiguous
	Aliases  []string // other markers people type for it: "$" for CAD, "euros", "FCFA"
}

// currencies is the table of known currencies. Symbols follow CLDR's English
// short symbols where they are unambiguous ("€", "£", "CA$"); aliases are
// what people type, and may be shared ("$", "kr", "FCFA").
var currencies = []Currency{
	{"EUR", 2, "€", []string{"euros", "euro"}},
	{"USD", 2, "$", []string{"US$"}},
	{"GBP", 2, "£", nil},
	{"CHF", 2, "CHF", nil},
	{"JPY", 0, "¥", []string{"円"}},
	{"CNY", 2, "CN¥", []string{"元", "RMB"}},
	{"KRW", 0, "₩", nil},
	{"INR", 2, "₹", nil},
	{"CAD", 2, "CA$", []string{"$", "C$"}},
	{"AUD", 2, "A$", []string{"$", "AU$"}},
	{"NZD", 2, "NZ$", []string{"$"}},
	{"SGD", 2, "SGD", []string{"$", "S$"}},
	{"HKD", 2, "HK$", []string{"$"}},
	{"MXN", 2, "MX$", []string{"$"}},
	{"BRL", 2, "R$", nil},
	{"SEK", 2, "SEK", []string{"kr"}},
	{"NOK", 2, "NOK", []string{"kr"}},
	{"DKK", 2, "DKK", []string{"kr"}},
	{"ISK", 0, "ISK", []string{"kr"}},
	{"PLN", 2, "PLN", []string{"zł"}},
	{"CZK", 2, "CZK", []string{"Kč"}},
	{"HUF", 2, "HUF", []string{"Ft"}},
	{"RON", 2, "RON", []string{"lei"}},
	{"TRY", 2, "₺", nil},
	{"ILS", 2, "₪", nil},
	{"ZAR", 2, "ZAR", nil},
	{"AED", 2, "AED", nil},
	{"SAR", 2, "SAR", nil},
	{"QAR", 2, "QAR", nil},
	{"KWD", 3, "KWD", nil},
	{"BHD", 3, "BHD", nil},
	{"OMR", 3, "OMR", nil},
	{"JOD", 3, "JOD", nil},
	{"MAD", 2, "MAD", []string{"DH"}},
	{"DZD", 2, "DZD", []string{"DA"}},
	{"TND", 3, "TND", []string{"DT"}},
	{"XOF", 0, "XOF", []string{"FCFA", "CFA"}},
	{"XAF", 0, "XAF", []string{"FCFA", "CFA"}},
	{"XPF", 0, "XPF", []string{"CFP"}},
	{"CLP", 0, "CLP", nil},
	{"COP", 2, "COP", nil},
	{"VND", 0, "₫", nil},
	{"IDR", 2, "IDR", []string{"Rp"}},
}

// LookupCurrency returns the currency with the given ISO 4217 code.
func LookupCurrency(code string) (Currency, bool) {
	for _, c := range currencies {
		if c.Code == code {
			return c, true
		}
	}
	return Currency{}, false
}

// CurrencyOf is LookupCurrency with a fallback: an unknown code is written as
// itself with two decimals, so an amount is never lost for want of a table row.
func CurrencyOf(code string) Currency {
	if c, ok := LookupCurrency(code); ok {
		return c
	}
	return Currency{Code: code, Exponent: 2, Symbol: code}
}

// Currencies lists every known currency, in table order.
func Currencies() []Currency {
	out := make([]Currency, len(currencies))
	copy(out, currencies)
	return out
}
