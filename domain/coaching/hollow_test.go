package coaching_test

import (
	"reflect"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

func TestHollowWins(t *testing.T) {
	p := period(t, "2027-01-01", "2027-03-31")
	won := func(id domain.DealID, owner domain.UserID, eur int64, at string) spec {
		return spec{id: id, owner: owner, eur: eur, steps: [][2]string{{"2026-12-01", "Negotiation"}}, end: domain.Won, endAt: at}
	}
	with := func(s spec, f func(*spec)) spec { f(&s); return s }
	noBudget := func(d *domain.Deal) { d.Budget = "" }
	for _, c := range []struct {
		name  string
		deals []spec
		team  coaching.Scorecard
	}{
		{"NothingWon", []spec{
			{id: 1, owner: anna, eur: 10_000, steps: [][2]string{{"2027-01-05", "Demo"}}, end: domain.Lost, endAt: "2027-02-01"},
			won(2, anna, 10_000, "2026-12-31 23:59"), // won the day before the period
		}, coaching.Scorecard{}},
		// At the threshold is not above it.
		{"DiscountAtThreshold", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) { s.disc.ApprovedBP = 2500 }),
		}, coaching.Scorecard{Won: 1, WonAmount: 750_000}},
		{"DiscountAboveThreshold", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) { s.disc.ApprovedBP = 2501 }),
			won(2, anna, 30_000, "2027-02-10"),
		}, coaching.Scorecard{Won: 2, WonAmount: 749_900 + 3_000_000, Discount: 749_900, Any: 749_900, DiscountBP: 2000, AnyBP: 2000}},
		// Amounts whose share × 10,000 passes int64: exact (domain.ShareBP).
		{"HugeAmounts", []spec{
			with(won(1, anna, domain.MaxAmountMinor/100, "2027-01-10"), func(s *spec) { s.disc.NonStandardTerms = true }),
			with(won(2, anna, domain.MaxAmountMinor/100, "2027-01-11"), func(s *spec) { s.disc.NonStandardTerms = true }),
			won(3, anna, domain.MaxAmountMinor/100, "2027-02-10"),
		}, coaching.Scorecard{Won: 3, WonAmount: 3 * domain.MaxAmountMinor, Terms: 2 * domain.MaxAmountMinor, Any: 2 * domain.MaxAmountMinor, TermsBP: 6667, AnyBP: 6667}},
		{"NonStandardTerms", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) { s.disc.NonStandardTerms = true }),
			won(2, anna, 20_000, "2027-02-10"),
		}, coaching.Scorecard{Won: 2, WonAmount: 3_000_000, Terms: 1_000_000, Any: 1_000_000, TermsBP: 3333, AnyBP: 3333}},
		// The budget was filled in after the win: it was missing at the win.
		{"QualifiedAfterTheWin", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) {
				s.later = []domain.HistoryEntry{{At: when(t, "2027-01-12"), Field: domain.FieldBudget, Old: "", New: "yes"}}
			}),
			won(2, anna, 10_000, "2027-02-10"),
		}, coaching.Scorecard{Won: 2, WonAmount: 2_000_000, Unqualified: 1_000_000, Any: 1_000_000, UnqualifiedBP: 5000, AnyBP: 5000}},
		// Emptied after the win: it was there at the win.
		{"EmptiedAfterTheWin", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) {
				s.later = []domain.HistoryEntry{{At: when(t, "2027-01-12"), Field: domain.FieldBudget, Old: "yes", New: ""}}
				s.tweak = noBudget
			}),
		}, coaching.Scorecard{Won: 1, WonAmount: 1_000_000}},
		// Filled before the win, in the same minute as nothing else.
		{"QualifiedBeforeTheWin", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) {
				s.later = []domain.HistoryEntry{{At: when(t, "2027-01-09"), Field: domain.FieldTimeline, Old: "", New: "Q2"}}
			}),
		}, coaching.Scorecard{Won: 1, WonAmount: 1_000_000}},
		{"StillUnqualified", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) { s.tweak = noBudget }),
		}, coaching.Scorecard{Won: 1, WonAmount: 1_000_000, Unqualified: 1_000_000, Any: 1_000_000, UnqualifiedBP: 10_000, AnyBP: 10_000}},
		// Three causes on one deal: it counts once in Any.
		{"ThreeCausesOneDeal", []spec{
			with(won(1, anna, 10_000, "2027-01-10"), func(s *spec) {
				s.disc = coaching.DiscountInfo{ApprovedBP: 3000, NonStandardTerms: true}
				s.tweak = noBudget
			}),
			won(2, anna, 7_000, "2027-03-31 23:59"),
		}, coaching.Scorecard{Won: 2, WonAmount: 1_400_000, Discount: 700_000, Terms: 700_000, Unqualified: 700_000, Any: 700_000,
			DiscountBP: 5000, TermsBP: 5000, UnqualifiedBP: 5000, AnyBP: 5000}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := build(t, c.deals...)
			team, reps := coaching.HollowWins(in, p)
			if !reflect.DeepEqual(team, c.team) {
				t.Errorf("team = %+v\nwant   %+v", team, c.team)
			}
			if want := c.team; len(reps) != 1 || (func() bool { want.Rep = anna; return !reflect.DeepEqual(reps[0], want) })() {
				t.Errorf("reps = %+v, want anna's = the team's", reps)
			}
		})
	}
}

// TestHollowWinsPerRep: each rep's shares are of their own won revenue, by
// the deal's owner now; a rep who won nothing has a scorecard of zeros.
func TestHollowWinsPerRep(t *testing.T) {
	in := build(t,
		spec{id: 1, owner: anna, eur: 10_000, steps: [][2]string{{"2027-01-04", "Proposal"}}, end: domain.Won, endAt: "2027-02-01", disc: coaching.DiscountInfo{ApprovedBP: 3000}},
		spec{id: 2, owner: anna, eur: 3_000, steps: [][2]string{{"2027-01-04", "Proposal"}}, end: domain.Won, endAt: "2027-02-02"},
		spec{id: 3, owner: bruno, eur: 8_000, steps: [][2]string{{"2027-01-04", "Proposal"}}},
	)
	team, reps := coaching.HollowWins(in, period(t, "2027-01-01", "2027-03-31"))
	// anna: 7,000 net hollow of 7,000 + 3,000 = 70 %; team the same.
	wantAnna := coaching.Scorecard{Rep: anna, Won: 2, WonAmount: 1_000_000, Discount: 700_000, Any: 700_000, DiscountBP: 7000, AnyBP: 7000}
	if want := []coaching.Scorecard{wantAnna, {Rep: bruno}}; !reflect.DeepEqual(reps, want) {
		t.Errorf("reps = %+v\nwant %+v", reps, want)
	}
	wantAnna.Rep = ""
	if team != wantAnna {
		t.Errorf("team = %+v", team)
	}
}
