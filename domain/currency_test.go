package domain

import (
	"strings"
	"testing"
)

func TestCurrencyTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Currencies() {
		if len(c.Code) != 3 || strings.ToUpper(c.Code) != c.Code {
			t.Errorf("%q is not an ISO 4217 code", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("%s is listed twice", c.Code)
		}
		seen[c.Code] = true
		if c.Exponent < 0 || c.Exponent > 3 || c.Symbol == "" {
			t.Errorf("%s: exponent %d, symbol %q", c.Code, c.Exponent, c.Symbol)
		}
	}
	for code, exp := range map[string]int{"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "JPY": 0, "KRW": 0, "TND": 3, "XOF": 0} {
		if c, ok := LookupCurrency(code); !ok || c.Exponent != exp {
			t.Errorf("LookupCurrency(%s) = %+v, %v; want exponent %d", code, c, ok, exp)
		}
	}
	if c := CurrencyOf("XYZ"); c.Exponent != 2 || c.Symbol != "XYZ" {
		t.Errorf("CurrencyOf(XYZ) = %+v, want the default", c)
	}
}
