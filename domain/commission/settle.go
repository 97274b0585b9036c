package commission

import (
	"cmp"
	"slices"

	"github.com/dealpilot/dealpilot/domain"
)

// Settle turns computed months into statements: a month in closed (by
// period name) is shown as it was frozen; each month not closed gets the
// adjustments of the closed months whose first open month it is; then
// draws are applied in order, what is owed carried from month to month
// (from owed before the first month; a closed month's own figures are
// kept and carried). months is Compute's result, oldest first.
func Settle(months []Month, closed map[string]Month, owed int64) []Month {
	out := make([]Month, len(months))
	for i, m := range months {
		if c, ok := closed[m.Period.Name]; ok {
			c.Closed = true
			out[i] = c
			owed = c.Draw.OwedAfter
			continue
		}
		m.Lines = append(slices.Clip(m.Lines), adjustments(months, out, closed, i)...)
		m.Earned = sum(m.Lines)
		var draw Draw
		if m.Term != nil {
			draw = m.Term.Plan.Draw
		}
		m.Draw = settleDraw(m.Earned, owed, draw)
		owed = m.Draw.OwedAfter
		out[i] = m
	}
	return out
}

// settleDraw applies a month's draw: net is what it earned less what was
// owed; it pays at least the draw.
func settleDraw(earned, owed int64, d Draw) DrawStep {
	net := earned - owed
	s := DrawStep{Draw: d.Amount, Recoverable: d.Recoverable, OwedBefore: owed, Pay: max(d.Amount, net, 0)}
	if d.Recoverable {
		s.OwedAfter = s.Pay - net
	} else {
		s.OwedAfter = max(-net, 0)
	}
	// The month's pay is its earnings less what they took back plus what
	// the draw advanced.
	s.Recovered = min(owed, max(earned-s.Pay, 0))
	s.Advance = max(s.Pay-max(earned, 0), 0)
	return s
}

// adjustments returns the lines month i pays for closed months before it
// whose first month not closed is i: per deal (0 for a period's lines),
// what a fresh computation finds less what the closed month froze and less
// the adjustments for it frozen in later closed months.
func adjustments(months, settled []Month, closed map[string]Month, i int) []Line {
	var out []Line
	for c := i - 1; c >= 0; c-- {
		frozen, ok := closed[months[c].Period.Name]
		if !ok {
			break // month c is open: the closed months before it are its to adjust
		}
		now := byDeal(months[c].Lines, "")
		was := byDeal(frozen.Lines, "")
		for k := c + 1; k < i; k++ {
			for d, v := range byDeal(settled[k].Lines, months[c].Period.Name) {
				was[d] += v
			}
		}
		var deals []domain.DealID
		for d := range now {
			deals = append(deals, d)
		}
		for d := range was {
			if _, ok := now[d]; !ok {
				deals = append(deals, d)
			}
		}
		slices.SortFunc(deals, func(a, b domain.DealID) int { return cmp.Compare(a, b) })
		for _, d := range deals {
			if diff := now[d] - was[d]; diff != 0 {
				out = append(out, Line{Kind: KindAdjustment, Deal: d, On: months[c].Period.Last(), Of: months[c].Period.Name,
					Was: was[d], Paid: now[d], Amount: diff, Factor: Unit})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Line) int { return cmp.Compare(a.Of, b.Of) })
	return out
}

// byDeal sums lines by deal. With of empty it sums a month's own lines
// (adjustments excluded); with of a month's name, only the adjustments of
// that month.
func byDeal(ls []Line, of string) map[domain.DealID]int64 {
	m := map[domain.DealID]int64{}
	for _, l := range ls {
		if (of == "") != (l.Kind != KindAdjustment) || of != "" && l.Of != of {
			continue
		}
		m[l.Deal] += l.Amount
	}
	return m
}

// Close returns the statement to keep for a closed month: m as shown, marked
// closed. Settle then shows it instead of any later computation.
func Close(m Month) Month {
	m.Closed = true
	return m
}
