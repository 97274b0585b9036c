package report

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Units writes an amount in minor units as a decimal number of the
// currency's units, exactly (integer arithmetic only, never a float):
// 7493250 EUR is "74932.50", -5 EUR "-0.05", 1200 JPY "1200", 1234 TND
// (three decimals) "1.234". CSV and JSON carry amounts this way, beside the
// currency's code.
func Units(minor int64, currency string) string {
	exp := domain.CurrencyOf(currency).Exponent
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-(minor + 1)) + 1 // also right for math.MinInt64
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

// unitsJSON is Units as a JSON number: exact in the file, as written.
func unitsJSON(minor int64, currency string) json.Number { return json.Number(Units(minor, currency)) }

func unitsJSONPtr(minor int64, currency string) *json.Number {
	n := unitsJSON(minor, currency)
	return &n
}
