package coaching_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// TestMergedPartsCountLikeOnePass: the deals counted in parts, each part
// frozen and merged, give exactly the reports of one count of them all
// (team and reps, every comparison period, stalled and talks included),
// whatever the parts' size, and a part merged into two counts serves both.
func TestMergedPartsCountLikeOnePass(t *testing.T) {
	in := benchInput(3000)
	p := coaching.Period{From: domain.DateOf(benchNow).AddDays(-89), To: domain.DateOf(benchNow)}
	prev, yearBefore := coaching.Comparisons(p)
	cmp := []coaching.Period{prev, yearBefore}
	for _, teamOnly := range []bool{false, true} {
		want := coaching.NewKPICount(in, p, cmp, benchNow)
		if teamOnly {
			want.TeamOnly()
		}
		want.Add(in.Deals)
		wantReports := want.Reports()
		for _, size := range []int{1, 7, 1024, 3000} {
			var parts []*coaching.KPICount
			for from := 0; from < len(in.Deals); from += size {
				// A part is counted at another instant of the same day.
				part := coaching.NewKPICount(in, p, cmp, benchNow.Add(-time.Duration(from)*time.Second))
				if teamOnly {
					part.TeamOnly()
				}
				part.Add(in.Deals[from:min(from+size, len(in.Deals))])
				part.Freeze()
				parts = append(parts, part)
			}
			for round := range 2 { // the same parts, merged twice
				got := coaching.NewKPICount(in, p, cmp, benchNow)
				if teamOnly {
					got.TeamOnly()
				}
				for _, part := range parts {
					got.Merge(part)
				}
				if r := got.Reports(); !reflect.DeepEqual(r, wantReports) {
					t.Fatalf("teamOnly %v, parts of %d, round %d: merged reports differ\n got %+v\nwant %+v", teamOnly, size, round, r[0].Team, wantReports[0].Team)
				}
			}
		}
		if wantReports[0].Team.Stalled == 0 || len(wantReports[0].Team.Talks) == 0 || wantReports[0].Team.Cycles == 0 {
			t.Fatalf("the fixture shows no stalled deal, talk or cycle: %+v", wantReports[0].Team)
		}
	}
}

// TestMergeRefusesAPartNotFrozen: a part's stays are read sorted, so one
// not frozen would give wrong stall limits; Merge says so at once.
func TestMergeRefusesAPartNotFrozen(t *testing.T) {
	in := benchInput(10)
	p := coaching.Period{From: domain.DateOf(benchNow).AddDays(-89), To: domain.DateOf(benchNow)}
	part := coaching.NewKPICount(in, p, nil, benchNow)
	part.Add(in.Deals)
	defer func() {
		if recover() == nil {
			t.Fatal("Merge took a part that was not frozen")
		}
	}()
	coaching.NewKPICount(in, p, nil, benchNow).Merge(part)
}
