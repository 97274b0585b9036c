package report

import (
	"encoding/json"

	"github.com/dealpilot/dealpilot/domain"
)

// Units writes an amount in minor units as a decimal number of the
// currency's units, exactly (integer arithmetic only, never a float):
// 7493250 EUR is "74932.50", -5 EUR "-0.05", 1200 JPY "1200", 1234 TND
// (three decimals) "1.234". CSV and JSON carry amounts this way, beside the
// currency's code.
func Units(minor int64, currency string) string {
	return domain.Decimal(minor, domain.CurrencyOf(currency).Exponent)
}

// unitsJSON is Units as a JSON number: exact in the file, as written.
func unitsJSON(minor int64, currency string) json.Number { return json.Number(Units(minor, currency)) }

func unitsJSONPtr(minor int64, currency string) *json.Number {
	n := unitsJSON(minor, currency)
	return &n
}
