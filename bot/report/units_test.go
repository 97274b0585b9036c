package report

import (
	"math"
	"testing"
)

func TestUnits(t *testing.T) {
	for _, tt := range []struct {
		minor    int64
		currency string
		want     string
	}{
		{7_493_250, "EUR", "74932.50"}, // the demo's D-4 net: 99,910.00 − 25 %
		{0, "EUR", "0.00"},
		{5, "EUR", "0.05"},
		{-5, "EUR", "-0.05"},
		{-123_456, "EUR", "-1234.56"},
		{100, "USD", "1.00"},
		{1_200, "JPY", "1200"},
		{-7, "JPY", "-7"},
		{1_234, "TND", "1.234"},
		{5, "TND", "0.005"},
		{math.MaxInt64, "EUR", "92233720368547758.07"},
		{math.MinInt64, "EUR", "-92233720368547758.08"},
	} {
		if got := Units(tt.minor, tt.currency); got != tt.want {
			t.Errorf("Units(%d, %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
	}
}
