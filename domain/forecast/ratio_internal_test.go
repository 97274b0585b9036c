package forecast

import (
	"math"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

func TestRatioBP(t *testing.T) {
	tests := []struct {
		name     string
		num, den int64
		want     int
	}{
		{"Zero", 0, 7, 0},
		{"ZeroDen", 5, 0, 0},
		{"Exact", 1, 4, 2500},
		{"Half/Up", 1, 20000, 1},         // 0.5 bp → 1
		{"BelowHalf", 1, 20001, 0},       // 0.49998 bp → 0
		{"Negative/Half", -1, 20000, -1}, // away from zero
		{"Negative/Den", 1, -4, -2500},
		{"Thirds", 2, 3, 6667},
		{"Big", domain.MaxAmountMinor * 9, domain.MaxAmountMinor, 90000},
		// num × 10000 overflows int64 but not 128 bits.
		{"WideProduct", math.MaxInt64, math.MaxInt64 - 1, 10000},
		{"Clamp", math.MaxInt64, 1, math.MaxInt},
		{"ClampNegative", math.MinInt64, 1, math.MinInt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ratioBP(tc.num, tc.den); got != tc.want {
				t.Errorf("ratioBP(%d, %d) = %d, want %d", tc.num, tc.den, got, tc.want)
			}
		})
	}
}

func TestErrorBP(t *testing.T) {
	tests := []struct {
		name             string
		forecast, actual int64
		want             int
	}{
		{"Exact", 100, 100, 0},
		{"Over", 150, 100, 5000},
		{"Under", 50, 100, -5000},
		{"NothingWonNothingCalled", 0, 0, 0},
		{"NothingWon", 10, 0, 0}, // a call or a bottom-up is Unmeasurable there (Accuracy): never +10000
		{"CalledNothing", 0, 100, -10000},
		{"Double", 300, 100, 20000},
		{"Under/HalfAwayFromZero", 1, 20000, -10000}, // −19999/20000 = −9999.5 bp → −10000
		{"Under/Third", 2, 3, -3333},                 // −1/3 → −3333.3 bp
		{"Over/Third", 4, 3, 3333},
		{"Under/Half", 19999, 20000, -1}, // −1/20000 = −0.5 bp → −1, away from zero
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorBP(tc.forecast, tc.actual); got != tc.want {
				t.Errorf("errorBP(%d, %d) = %d, want %d", tc.forecast, tc.actual, got, tc.want)
			}
		})
	}
}
