package domain

import "math/bits"

// ShareBP is part ÷ whole in basis points, rounded half up, computed on 128
// bits so that no amount overflows (part × 10,000 does past 9.2 × 10^14
// minor units): 0 when whole or part is not above 0, 10,000 when part is
// whole or more. Every share of an amount (losses, hollow wins, slippage)
// is this one arithmetic.
func ShareBP(part, whole int64) int {
	switch {
	case whole <= 0 || part <= 0:
		return 0
	case part >= whole:
		return 10_000
	}
	q, rem := shareFloor(part, whole)
	if rem >= uint64(whole)-rem {
		q++
	}
	return int(q)
}

// shareFloor is ⌊part × 10,000 ÷ whole⌋ and its remainder, for
// 0 ≤ part ≤ whole, whole > 0 (the quotient is at most 10,000).
func shareFloor(part, whole int64) (q, rem uint64) {
	hi, lo := bits.Mul64(uint64(part), 10_000)
	return bits.Div64(hi, lo, uint64(whole))
}

// SharesBP are the shares of parts in their sum, in basis points, that add
// up to exactly 10,000 (largest remainder): each share is floored, then the
// points still missing go one each to the parts with the largest
// remainders, ties to the earlier part. Rounding each share on its own may
// leave a column at 9,999 or 10,001. Parts not above 0 get 0; all 0 when
// nothing is above 0. Computed on 128 bits, as ShareBP.
func SharesBP(parts []int64) []int {
	out := make([]int, len(parts))
	var whole uint64
	for _, p := range parts {
		if p > 0 {
			sum, carry := bits.Add64(whole, uint64(p), 0)
			if carry != 0 || sum > 1<<63-1 {
				return sharesScaled(parts)
			}
			whole = sum
		}
	}
	if whole == 0 {
		return out
	}
	rems := make([]uint64, len(parts))
	left := 10_000
	for i, p := range parts {
		if p <= 0 {
			continue
		}
		q, rem := shareFloor(p, int64(whole))
		out[i], rems[i] = int(q), rem
		left -= int(q)
	}
	for ; left > 0; left-- {
		best := -1
		for i, p := range parts {
			if p > 0 && (best < 0 || rems[i] > rems[best]) {
				best = i
			}
		}
		out[best]++
		rems[best] = 0
	}
	return out
}

// sharesScaled is SharesBP for parts whose sum passes int64: each halved
// until it fits (a share is kept within a point of its exact value).
func sharesScaled(parts []int64) []int {
	half := make([]int64, len(parts))
	for i, p := range parts {
		half[i] = p / 2
	}
	return SharesBP(half)
}
