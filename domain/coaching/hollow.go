package coaching

import (
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Scorecard is the sales guide's "victoires creuses" for one rep (or a
// team): how much of the net revenue won in a period was won in a way that
// does not last.
//
// The deals counted are those won in the period (their last status entry,
// as in Metrics), by their owner now, at their net amount
// (domain.Deal.NetAmount). A won deal is hollow for each cause it meets:
//   - Discount: its approved discount (DiscountInfo.ApprovedBP) is above
//     Settings.HollowWinBP, the hollow-win DM's level (config
//     nudges.hollow_win_discount); HollowWinDays does not apply, the
//     period does;
//   - Terms: the deal desk approved non-standard terms on it
//     (DiscountInfo.NonStandardTerms);
//   - Unqualified: a field of Settings.DiscountQualification was empty at
//     the win: its value then is the deal's value now with every later
//     history entry of that field undone (its Old value).
//
// Each cause's amount is the net amount of the deals meeting it; Any is the
// net amount of the deals meeting at least one, a deal counting once. The
// shares are those amounts ÷ WonAmount in basis points, rounded; all 0 when
// nothing was won (Won is 0: no share to show).
type Scorecard struct {
	Rep                                       domain.UserID // empty for the team
	Won                                       int
	WonAmount                                 int64
	Discount, Terms, Unqualified, Any         int64
	DiscountBP, TermsBP, UnqualifiedBP, AnyBP int
}

// HollowWins is the scorecard of period p for the team (every deal of in)
// and for each rep owning a deal of in, by user id; days are cut in
// Settings.Location.
func HollowWins(in Input, p Period) (team Scorecard, reps []Scorecard) {
	s := &in.Settings
	loc := s.location()
	byRep := map[domain.UserID]*Scorecard{}
	for i := range in.Deals {
		di := &in.Deals[i]
		d := di.Deal
		r := byRep[d.Owner]
		if r == nil {
			r = &Scorecard{Rep: d.Owner}
			byRep[d.Owner] = r
		}
		if d.Status != domain.Won {
			continue
		}
		wonAt := lastClose(di)
		if !p.Contains(domain.DateOf(wonAt.In(loc))) {
			continue
		}
		net := d.NetAmount()
		disc := di.Discount.ApprovedBP > s.HollowWinBP
		terms := di.Discount.NonStandardTerms
		unq := false
		for _, f := range s.DiscountQualification {
			if strings.TrimSpace(valueAt(di, f, wonAt)) == "" {
				unq = true
				break
			}
		}
		for _, c := range [2]*Scorecard{&team, r} {
			c.Won++
			c.WonAmount += net
			if disc {
				c.Discount += net
			}
			if terms {
				c.Terms += net
			}
			if unq {
				c.Unqualified += net
			}
			if disc || terms || unq {
				c.Any += net
			}
		}
	}
	team.finish()
	reps = make([]Scorecard, 0, len(byRep))
	for _, r := range byRep {
		r.finish()
		reps = append(reps, *r)
	}
	slices.SortFunc(reps, func(a, b Scorecard) int { return strings.Compare(string(a.Rep), string(b.Rep)) })
	return team, reps
}

func (c *Scorecard) finish() {
	if c.WonAmount <= 0 {
		return
	}
	share := func(v int64) int { return domain.ShareBP(v, c.WonAmount) }
	c.DiscountBP, c.TermsBP, c.UnqualifiedBP, c.AnyBP = share(c.Discount), share(c.Terms), share(c.Unqualified), share(c.Any)
}

// lastClose is when a closed deal was last won or lost: its last status
// entry to won or lost, else its last update (scan's rule).
func lastClose(di *DealInput) time.Time {
	for i := len(di.History) - 1; i >= 0; i-- {
		e := &di.History[i]
		if e.Field == domain.FieldStatus {
			if st := domain.Status(e.New); st == domain.Won || st == domain.Lost {
				return e.At
			}
		}
	}
	return di.Deal.UpdatedAt
}

// valueAt is field f of the deal as it was at instant t: its value now with
// the entries of f made after t undone, newest first.
func valueAt(di *DealInput, f domain.Field, t time.Time) string {
	v := di.Deal.Get(f)
	for i := len(di.History) - 1; i >= 0; i-- {
		e := &di.History[i]
		if !e.At.After(t) {
			break
		}
		if e.Field == f {
			v = e.Old
		}
	}
	return v
}
