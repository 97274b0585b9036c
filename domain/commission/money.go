package commission

import "math/big"

// scale returns round(v × n₁ × n₂ × … / den), rounded once, half away from
// zero. The product is taken in big arithmetic: an amount of 10¹⁵ minor
// units times a rate and a factor overflows int64, and the result, at most
// a few times v, does not.
func scale(v int64, den int64, nums ...int64) int64 {
	p := big.NewInt(v)
	for _, n := range nums {
		p.Mul(p, big.NewInt(n))
	}
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(p, d, new(big.Int))
	// |r| ≥ den/2 rounds away from zero: compare 2|r| with den.
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(d) >= 0 {
		if p.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

// pct returns round(v × bp / 10 000): a rate or a split of an amount.
func pct(v int64, bp int) int64 { return scale(v, Unit, int64(bp)) }

// rated returns round(base × rate × factor / 10⁸): one line's amount.
func rated(base int64, rate, factor int) int64 {
	return scale(base, Unit*Unit, int64(rate), int64(factor))
}
