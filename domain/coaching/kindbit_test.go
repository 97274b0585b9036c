package coaching

import "testing"

// TestKindBit: each kind's bit is 1 << its index in Kinds, the order
// stalledAndTalks reads the bits back in; no other word has one.
func TestKindBit(t *testing.T) {
	seen := uint8(0)
	for i, k := range Kinds {
		if got := kindBit(k); got != 1<<i {
			t.Errorf("kindBit(%s) = %08b; want %08b", k, got, uint8(1)<<i)
		}
		seen |= kindBit(k)
	}
	if seen != 0xff || len(Kinds) != 8 {
		t.Errorf("the kinds' bits %08b for %d kinds; want one bit each, 8 kinds in a byte", seen, len(Kinds))
	}
	for _, k := range []Kind{"", "stalled ", "Stalled", "other"} {
		if got := kindBit(k); got != 0 {
			t.Errorf("kindBit(%q) = %08b; want 0", k, got)
		}
	}
}
