package domain

// maxDiscountBP is 100 % in basis points.
const maxDiscountBP = 10_000

// DiscountCost returns what a discount of bp basis points takes off list
// (minor units): list × bp / 10 000 rounded half up to the minor unit, in
// integer arithmetic only, without overflow for any list up to
// MaxAmountMinor and bp up to 100 %. The deal desk's desk.Cost is this.
func DiscountCost(list int64, bp int) int64 {
	q, r := list/maxDiscountBP, list%maxDiscountBP
	return q*int64(bp) + (r*int64(bp)+maxDiscountBP/2)/maxDiscountBP
}

// NetAmount is the deal's amount less its approved discount: what the
// customer pays. It equals Amount when no discount was approved. Every
// figure a customer pays into (rollups, weighted pipeline, won, attainment,
// average won deal, win announcements, reports) reads it, never Amount.
func (d *Deal) NetAmount() int64 { return NetOf(d.Amount, d.Discount) }

// NetOf is list less an approved discount of bp basis points: the one
// formula behind Deal.NetAmount, for the records that carry a deal's
// amount and discount without the deal (forecast.SnapshotDeal). A
// discount of 0 or less leaves list; one above 100 % takes all of it.
func NetOf(list int64, bp int) int64 {
	if bp <= 0 {
		return list
	}
	return list - DiscountCost(list, min(bp, maxDiscountBP))
}

// Percent is a ratio in basis points as a message argument (a discount, a
// win rate, a share); the i18n package writes it ("12.5%", "12,5 %").
type Percent int
