package domain

import (
	"math"
	"strings"
	"testing"
)

// TestDecimal: exact, signed, padded below one unit, at int64's edges.
func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		name string
		v    int64
		exp  int
		want string
	}{
		{"Cents", 7493250, 2, "74932.50"},
		{"LessThanOne", 5, 2, "0.05"},
		{"Negative", -5, 2, "-0.05"},
		{"NegativeUnits", -1250, 2, "-12.50"},
		{"NoMinorUnit", 1200, 0, "1200"},
		{"NegativeNoMinorUnit", -7, 0, "-7"},
		{"ThreeDecimals", 1234, 3, "1.234"},
		{"ThreeDecimalsBelowOne", 5, 3, "0.005"},
		{"Zero", 0, 2, "0.00"},
		{"Max", math.MaxInt64, 2, "92233720368547758.07"},
		{"Min", math.MinInt64, 2, "-92233720368547758.08"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Decimal(c.v, c.exp); got != c.want {
				t.Errorf("Decimal(%d, %d) = %q, want %q", c.v, c.exp, got, c.want)
			}
		})
	}
}

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
