package domain_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestNetOf: list less an approved discount, rounded half up to the cent;
// no discount (0, or a negative one, which no approval makes) leaves the
// list amount, and one above 100 % takes all of it, never more.
func TestNetOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		list int64
		bp   int
		want int64
	}{
		{"None", 9_991_000, 0, 9_991_000},
		{"Negative", 9_991_000, -2500, 9_991_000},
		{"D-4 25%", 9_991_000, 2500, 7_493_250},
		{"HalfUp", 3_333_300, 1250, 2_916_637}, // 416,662.5 off → 416,663
		{"All", 9_991_000, 10_000, 0},
		{"AboveAll", 9_991_000, 12_500, 0},
		{"MaxAmountAboveAll", domain.MaxAmountMinor, 20_000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.NetOf(tc.list, tc.bp); got != tc.want {
				t.Errorf("NetOf(%d, %d) = %d, want %d", tc.list, tc.bp, got, tc.want)
			}
			d := domain.Deal{Amount: tc.list, Discount: tc.bp}
			if got := d.NetAmount(); got != tc.want {
				t.Errorf("NetAmount = %d, want %d", got, tc.want)
			}
		})
	}
}
