package domain_test

import (
	"math"
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestShareBP: one share, half up, on 128 bits: amounts whose part × 10,000
// passes int64 (above 9.2 × 10^14 minor units) are exact.
func TestShareBP(t *testing.T) {
	const max = domain.MaxAmountMinor // 10^15 minor units
	tests := []struct {
		name        string
		part, whole int64
		want        int
	}{
		{"Third", 1, 3, 3333},
		{"TwoThirds", 2, 3, 6667},
		{"HalfPointUp", 1, 20_000, 1}, // 0.5 bp → 1
		{"BelowHalf", 1, 20_001, 0},
		{"All", 7, 7, 10_000},
		{"NothingOfSomething", 0, 5, 0},
		{"NothingAtAll", 0, 0, 0},
		{"NegativeWhole", 1, -5, 0},
		{"MorePartThanWhole", 6, 5, 10_000},
		{"HugeThird", max, 3 * max, 3333}, // max × 10,000 = 10^19 > MaxInt64
		{"HugeHalf", math.MaxInt64 / 2, math.MaxInt64 - 1, 5000},
		{"HugeTiny", 1, math.MaxInt64, 0},
		{"HugeAlmostAll", math.MaxInt64 - 1, math.MaxInt64, 10_000},
		{"HugeSlip", 4 * max, 9 * max, 4444}, // 4/9 = 4444.44
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.ShareBP(tc.part, tc.whole); got != tc.want {
				t.Errorf("ShareBP(%d, %d) = %d, want %d", tc.part, tc.whole, got, tc.want)
			}
		})
	}
}

// TestSharesBP: a breakdown's shares add up to exactly 10,000 (largest
// remainder), where rounding each on its own gives 9,999 or 10,001.
func TestSharesBP(t *testing.T) {
	const max = domain.MaxAmountMinor
	tests := []struct {
		name  string
		parts []int64
		want  []int
	}{
		{"ThreeThirds", []int64{1, 1, 1}, []int{3334, 3333, 3333}},                          // rounded each: 9999
		{"SixSixths", []int64{1, 1, 1, 1, 1, 1}, []int{1667, 1667, 1667, 1667, 1666, 1666}}, // rounded each: 10002
		{"LargestRemainderWins", []int64{5_000, 12_000, 25_000}, []int{1191, 2857, 5952}},   // .48 .14 .38
		{"TieToTheFirst", []int64{10, 40, 10}, []int{1667, 6667, 1666}},                     // rounded each: 10001
		{"ZeroRowsStayZero", []int64{0, 3, 0, 1}, []int{0, 7500, 0, 2500}},
		{"Nothing", []int64{0, 0}, []int{0, 0}},
		{"Empty", nil, []int{}},
		{"One", []int64{42}, []int{10_000}},
		{"Huge", []int64{max, max, max}, []int{3334, 3333, 3333}},
		{"SumPastInt64", []int64{math.MaxInt64, math.MaxInt64, math.MaxInt64 / 2}, []int{4000, 4000, 2000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := domain.SharesBP(tc.parts)
			if !slices.Equal(got, tc.want) {
				t.Errorf("SharesBP(%v) = %v, want %v", tc.parts, got, tc.want)
			}
			sum := 0
			for _, s := range got {
				sum += s
			}
			if some := slices.ContainsFunc(tc.parts, func(p int64) bool { return p > 0 }); some && sum != 10_000 {
				t.Errorf("the shares add up to %d", sum)
			}
		})
	}
}
