package forecast_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestRollupNetAmount recomputes the demo's D-4 case (testdata/net_d4.txt,
// each step by hand): once a discount is approved, every rollup figure
// counts the net amount, through Rollup (deals), Builder (the store's
// forecast fields) and RollupSnapshot (a digest's snapshot) alike.
func TestRollupNetAmount(t *testing.T) {
	const rep = domain.UserID("U0REP")
	c := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	org, err := forecast.NewOrg(c, "EUR", domain.DefaultStages(),
		[]forecast.Team{{Name: "Sample", Manager: "U0MGR", Members: []domain.UserID{rep}}},
		[]forecast.Quota{{User: rep, Period: "2027-Q1", Amount: 20_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	q1, err := c.ParsePeriod("2027-Q1")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		won, commit, upside, pipeline, weighted, gap int64
		attainment, coverage                         int
	}
	tests := []struct {
		name     string
		list     int64
		discount int
		status   domain.Status
		want     want
	}{
		{"1. open upside at Demo, 25% approved", 9_991_000, 2500, domain.Open,
			want{upside: 7_493_250, pipeline: 7_493_250, weighted: 2_997_300, gap: 20_000_000, coverage: 3747}},
		{"2. no discount: rejected, withdrawn or expired", 9_991_000, 0, domain.Open,
			want{upside: 9_991_000, pipeline: 9_991_000, weighted: 3_996_400, gap: 20_000_000, coverage: 4996}},
		{"3. won, 25% approved after the win", 9_991_000, 2500, domain.Won,
			want{won: 7_493_250, commit: 7_493_250, gap: 12_506_750, attainment: 3747}},
		{"4. revision approved: 20% replaces 25%", 9_991_000, 2000, domain.Open,
			want{upside: 7_992_800, pipeline: 7_992_800, weighted: 3_197_120, gap: 20_000_000, coverage: 3996}},
		{"5. odd cents", 9_991_001, 2500, domain.Open,
			want{upside: 7_493_251, pipeline: 7_493_251, weighted: 2_997_300, gap: 20_000_000, coverage: 3747}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &domain.Deal{ID: 4, Name: "D-4", Owner: rep, Amount: tc.list, Currency: "EUR", Stage: "Demo",
				Category: domain.Upside, CloseDate: domain.NewDate(2027, 2, 15), Status: tc.status, Discount: tc.discount}
			snap := forecast.TakeSnapshot(c, time.Date(2027, 2, 1, 8, 0, 0, 0, time.UTC), []*domain.Deal{d}, q1.Start)
			b := org.NewBuilder(q1)
			b.Add(&snap.Deals[0])
			for path, r := range map[string]*forecast.Rollup{
				"Rollup": org.Rollup(q1, []*domain.Deal{d}), "Builder": b.Finish(), "RollupSnapshot": org.RollupSnapshot(q1, &snap),
			} {
				l, ok := r.Rep(rep)
				if !ok {
					t.Fatalf("%s: no line for %s", path, rep)
				}
				got := want{won: l.Won, commit: l.Commit, upside: l.Upside, pipeline: l.Pipeline, weighted: l.Weighted,
					gap: l.Gap, attainment: l.AttainmentBP, coverage: l.CoverageBP}
				if got != tc.want || l.BestCase != l.Commit {
					t.Errorf("%s:\n got %+v (best case %d)\nwant %+v", path, got, l.BestCase, tc.want)
				}
				if r.Company.Pipeline != l.Pipeline || r.Company.Won != l.Won || r.Company.Weighted != l.Weighted {
					t.Errorf("%s: company line %+v differs from the rep's", path, r.Company)
				}
			}
		})
	}
}

// TestCompareNetAmount: the digest's lists speak in net amounts too
// (testdata/net_d4.txt): a discount approved between two snapshots is an
// amount down of its cost, a deal won with a discount is listed at net, and
// a discount equal in both weeks moves nothing.
func TestCompareNetAmount(t *testing.T) {
	c := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	q1, err := c.ParsePeriod("2027-Q1")
	if err != nil {
		t.Fatal(err)
	}
	d4 := func(bp int, st domain.Status) forecast.SnapshotDeal {
		return forecast.SnapshotDeal{ID: 4, Owner: "U0REP", Amount: 9_991_000, Discount: bp, Currency: "EUR", Stage: "Demo",
			Category: domain.Upside, CloseDate: domain.NewDate(2027, 2, 15), Status: st}
	}
	type item struct {
		list         string
		amount, prev int64
		delta        int64
	}
	tests := []struct {
		name      string
		prev, cur forecast.SnapshotDeal
		want      []item
	}{
		// 99,910.00 → 74,932.50: down 24,977.50.
		{"25% approved during the week", d4(0, domain.Open), d4(2500, domain.Open),
			[]item{{"AmountDown", 7_493_250, 9_991_000, -2_497_750}}},
		// 74,932.50 → 79,928.00: up 4,995.50.
		{"revision 20% replaces 25%", d4(2500, domain.Open), d4(2000, domain.Open),
			[]item{{"AmountUp", 7_992_800, 7_493_250, 499_550}}},
		{"same discount both weeks", d4(2500, domain.Open), d4(2500, domain.Open), nil},
		{"won with 25% on it", d4(2500, domain.Open), d4(2500, domain.Won),
			[]item{{"Won", 7_493_250, 7_493_250, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch := forecast.Compare(forecast.Snapshot{Week: "2027-W05", Deals: []forecast.SnapshotDeal{tc.prev}},
				forecast.Snapshot{Week: "2027-W06", Deals: []forecast.SnapshotDeal{tc.cur}}, q1)
			var got []item
			for name, l := range map[string][]forecast.Item{"New": ch.New, "Won": ch.Won, "Lost": ch.Lost, "Reopened": ch.Reopened,
				"Slipped": ch.Slipped, "PulledIn": ch.PulledIn, "AmountUp": ch.AmountUp, "AmountDown": ch.AmountDown,
				"CategoryMoves": ch.CategoryMoves, "Reassigned": ch.Reassigned, "Gone": ch.Gone} {
				for _, it := range l {
					got = append(got, item{name, it.Amount, it.OldAmount, it.Delta})
				}
			}
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
