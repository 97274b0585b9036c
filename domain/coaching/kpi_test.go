package coaching_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// Every expected value below is derived by hand from the fixture's table
// (fixture_test.go). Periods are cut in Paris: D5's win (03-31 23:30 UTC) is
// on Apr 1, outside Q1; D6's loss (2025-12-31 23:30 UTC) is on Jan 1, inside.

// Conversion: the deals whose first entry into a stage falls in Q1, and of
// them those that later entered a later stage or were won.
//
//	Q:  entered D1 D2 D7 D8 D9 D11 D12 D13 D14 D15 D17 D19 D20 (13; D3 D5 D6 D10
//	    D16 D18 entered in 2025, D4 was created in Di); moved on: all but D9
//	    (lost), D15, D17 → 10.                                     10/13 = 7692.3 → 7692
//	Di: entered D1 D2 D4 D5 D7 D8 D11 D12 D13 D14 D19 D20 (12); not moved on:
//	    D12, D20 → 10.                                             10/12 = 8333.3 → 8333
//	De: entered D1 D2 D7 D8 D11 D13 D14 D18 D19 (9); moved on: D1 D2 D8 D11 D13
//	    (D7 lost, D14 D18 D19 still there) → 5.                    5/9 = 5555.6 → 5556
//	P:  entered D1 D2 D3 D4 D8 D11 D13 D16 (8); all but D11 → 7 (D4 won from P).
//	                                                               7/8 = 8750
//	N:  entered D1 D2 D3 D5 D8 D13 D16 (7); moved on: D1 D3 D16 (to C), D2 D5
//	    (won; D5's win is after Q1 but the cohort is followed) → 5.  5/7 = 7142.9 → 7143
//	C:  entered D1 D3 D16 (3); won: D1 D3 → 2.                     2/3 = 6666.7 → 6667
//
// Anna's deals: D1 D2 D5 D6 D7 D9 D11 D12 D15 D16 D19 D20.
//
//	Q:  D1 D2 D7 D9 D11 D12 D15 D19 D20 (9) → not D9 D15 → 7     7/9 = 7777.8 → 7778
//	Di: D1 D2 D5 D7 D11 D12 D19 D20 (8) → not D12 D20 → 6         6/8 = 7500
//	De: D1 D2 D7 D11 D19 (5) → D1 D2 D11 → 3                      3/5 = 6000
//	P:  D1 D2 D11 D16 (4) → not D11 → 3                           3/4 = 7500
//	N:  D1 D2 D5 D16 (4) → 4                                      10000
//	C:  D1 D16 (2) → D1 → 1                                       5000
//
// Bruno's deals: D3 D4 D8 D10 D13 D14 D17 D18.
//
//	Q:  D8 D13 D14 D17 (4) → not D17 → 3                          7500
//	Di: D4 D8 D13 D14 (4) → 4                                     10000
//	De: D8 D13 D14 D18 (4) → D8 D13 → 2                           5000
//	P:  D3 D4 D8 D13 (4) → 4                                      10000
//	N:  D3 D8 D13 (3) → D3 → 1                                    3333.3 → 3333
//	C:  D3 (1) → 1                                                10000
func conv(rows ...[3]int) []coaching.Conversion {
	names := []string{"Qualification", "Discovery", "Demo", "Proposal", "Negotiation", "Closing"}
	out := make([]coaching.Conversion, len(rows))
	for i, r := range rows {
		out[i] = coaching.Conversion{Stage: names[i], Entered: r[0], Advanced: r[1], RateBP: r[2]}
	}
	return out
}

// losses fills in, stage by stage, what became of the deals that entered
// and did not move on: {lost, still open, loss rate in bp}. The figures are
// worked out by hand in testdata/leak_q1.txt.
func losses(c []coaching.Conversion, rows ...[3]int) []coaching.Conversion {
	for i, r := range rows {
		c[i].Lost, c[i].Open, c[i].LossBP = r[0], r[1], r[2]
	}
	return c
}

func perStage(rows ...[2]int64) []coaching.StageCount {
	names := []string{"Qualification", "Discovery", "Demo", "Proposal", "Negotiation", "Closing"}
	out := make([]coaching.StageCount, len(rows))
	for i, r := range rows {
		out[i] = coaching.StageCount{Stage: names[i], Deals: int(r[0]), Amount: r[1] * 100}
	}
	return out
}

func talk(id domain.DealID, owner domain.UserID, eur, weight int64, why ...coaching.Kind) coaching.Talk {
	return coaching.Talk{Deal: id, Owner: owner, Amount: eur * 100, Score: eur * 100 * weight, Reasons: why}
}

func TestKPIs(t *testing.T) {
	const (
		overdue  = coaching.KindOverdue
		noStep   = coaching.KindNoNextStep
		stalled  = coaching.KindStalled
		past     = coaching.KindClosePast
		missing  = coaching.KindMissing
		pushed   = coaching.KindPushed
		discount = coaching.KindDiscountQual
	)
	// Talks: open deals, score = amount × Σ weights (stalled 3, close date
	// past 3, overdue 2, no next step 2, pushed 2, discount 2, missing 1):
	//
	//	D13 €80k × (missing 1 + pushed 2) = 240k
	//	D12 €35k × (overdue 2 + stalled 3) = 175k
	//	D14 €22k × (no step 2 + past 3 + discount 2) = 154k
	//	D18 €50k × stalled 3 = 150k
	//	D16 €45k × pushed 2 = 90k
	//	D20 €28k × stalled 3 = 84k
	//	D19 €12k × missing 1 = 12k
	//	D11 D15 D17: no signal. D5's hollow win is not an open deal.
	d13 := talk(13, bruno, 80_000, 3, missing, pushed)
	d12 := talk(12, anna, 35_000, 5, overdue, stalled)
	d14 := talk(14, bruno, 22_000, 7, noStep, past, discount)
	d18 := talk(18, bruno, 50_000, 3, stalled)
	d16 := talk(16, anna, 45_000, 2, pushed)
	d20 := talk(20, anna, 28_000, 3, stalled)

	want := coaching.Report{
		Period: q1,
		Team: coaching.Metrics{
			// Won in Q1: D1 D2 D3 D4 (D5 is Apr 1, D10 in 2025); lost: D6 (Jan 1
			// in Paris) D7 D8 D9. 4/8.
			Won: 4, Lost: 4, WinRateBP: 5000,
			Conversion: losses(conv([3]int{13, 10, 7692}, [3]int{12, 10, 8333}, [3]int{9, 5, 5556},
				[3]int{8, 7, 8750}, [3]int{7, 5, 7143}, [3]int{3, 2, 6667}),
				[3]int{1, 2, 909}, [3]int{0, 2, 0}, [3]int{1, 3, 1667}, [3]int{0, 1, 0}, [3]int{1, 1, 1667}, [3]int{0, 1, 0}),
			// Net of the approved discounts (testdata/net_won.txt):
			// D1 10k − 10 % = 9k, D2 20k − 30 % = 14k, D3 30k (none),
			// D4 15k − 20 % = 12k; 9k + 14k + 30k + 12k = 65k; ÷ 4 = 16,250.
			WonAmount: 6_500_000, AvgWonAmount: 1_625_000,
			// D1 01-05→02-06 32, D2 01-12→02-20 39, D3 2025-12-01→03-02
			// 31+31+28+1 = 91, D4 02-02→03-16 28+14 = 42. Sorted 32 39 42 91:
			// median (39+42)/2 = 40.5; mean 204/4 = 51.
			CycleMedianDays: 40.5, CycleMeanDays: 51, Cycles: 4,
			// D1 10 %, D2 30 %, D3 0, D4 20 %: 6000 bp / 4 = 1500.
			AvgDiscountBP: 1500,
			// Open: D11–D20. Q D15 9k D17 7k; Di D12 35k D20 28k; De D14 22k
			// D18 50k D19 12k; P D11 60k; N D13 80k; C D16 45k.
			Open:     10,
			PerStage: perStage([2]int64{2, 16_000}, [2]int64{2, 63_000}, [2]int64{3, 84_000}, [2]int64{1, 60_000}, [2]int64{1, 80_000}, [2]int64{1, 45_000}),
			// D12, D18, D20 (see TestFixtureNudges).
			Stalled: 3,
			// Hygiene (definition of issue 14, recomputed by hand in
			// testdata/hygiene_fixture.md): missing criteria D13 (risk), D14
			// (next step), D19 (decision makers); overdue next step D12 (due
			// 03-27); past close date D14 (03-31). Healthy D11 D15 D16 D17 D18
			// D20: 6/10. (Before issue 14 only the criteria counted: 7/10.)
			Healthy: 6, HygieneBP: 6000, MissingCriteria: 3, OverdueNextSteps: 1, PastCloseDates: 1,
			Talks: []coaching.Talk{d13, d12, d14},
		},
		Reps: []coaching.RepMetrics{
			{Rep: anna, Metrics: coaching.Metrics{
				// Won D1 D2; lost D6 D7 D9: 2/5.
				Won: 2, Lost: 3, WinRateBP: 4000,
				Conversion: losses(conv([3]int{9, 7, 7778}, [3]int{8, 6, 7500}, [3]int{5, 3, 6000},
					[3]int{4, 3, 7500}, [3]int{4, 4, 10000}, [3]int{2, 1, 5000}),
					[3]int{1, 1, 1250}, [3]int{0, 2, 0}, [3]int{1, 1, 2500}, [3]int{0, 1, 0}, [3]int{0, 0, 0}, [3]int{0, 1, 0}),
				// Net: 9k + 14k = 23k, ÷ 2 = 11.5k. Cycles 32, 39: median = mean = 35.5.
				WonAmount: 2_300_000, AvgWonAmount: 1_150_000,
				CycleMedianDays: 35.5, CycleMeanDays: 35.5, Cycles: 2,
				// (10 % + 30 %) / 2 = 20 %.
				AvgDiscountBP: 2000,
				// Open D11 D12 D15 D16 D19 D20.
				Open:     6,
				PerStage: perStage([2]int64{1, 9_000}, [2]int64{2, 63_000}, [2]int64{1, 12_000}, [2]int64{1, 60_000}, [2]int64{0, 0}, [2]int64{1, 45_000}),
				Stalled:  2, // D12, D20
				// Missing criteria D19; overdue next step D12. Healthy D11 D15
				// D16 D20: 4/6 = 6666.7 → 6667 (was 5/6 before issue 14).
				Healthy: 4, HygieneBP: 6667, MissingCriteria: 1, OverdueNextSteps: 1,
				Talks: []coaching.Talk{d12, d16, d20}, // 175k, 90k, 84k; D19's 12k is fourth
			}},
			{Rep: bruno, Metrics: coaching.Metrics{
				// Won D3 D4; lost D8: 2/3 = 6666.7 → 6667.
				Won: 2, Lost: 1, WinRateBP: 6667,
				Conversion: losses(conv([3]int{4, 3, 7500}, [3]int{4, 4, 10000}, [3]int{4, 2, 5000},
					[3]int{4, 4, 10000}, [3]int{3, 1, 3333}, [3]int{1, 1, 10000}),
					[3]int{0, 1, 0}, [3]int{0, 0, 0}, [3]int{0, 2, 0}, [3]int{0, 0, 0}, [3]int{1, 1, 5000}, [3]int{0, 0, 0}),
				// Net: 30k + 12k = 42k, ÷ 2 = 21k. Cycles 91, 42: median = mean = 66.5.
				WonAmount: 4_200_000, AvgWonAmount: 2_100_000,
				CycleMedianDays: 66.5, CycleMeanDays: 66.5, Cycles: 2,
				// (0 + 20 %) / 2 = 10 %.
				AvgDiscountBP: 1000,
				// Open D13 D14 D17 D18.
				Open:     4,
				PerStage: perStage([2]int64{1, 7_000}, [2]int64{0, 0}, [2]int64{2, 72_000}, [2]int64{0, 0}, [2]int64{1, 80_000}, [2]int64{0, 0}),
				Stalled:  1, // D18
				// Missing criteria D13 D14; past close date D14. Healthy D17,
				// D18: 2/4 (unchanged by issue 14).
				Healthy: 2, HygieneBP: 5000, MissingCriteria: 2, PastCloseDates: 1,
				Talks: []coaching.Talk{d13, d14, d18}, // 240k, 154k, 150k
			}},
		},
	}

	got := coaching.KPIs(fixture(t), q1, reportAt)
	if !reflect.DeepEqual(got.Period, want.Period) {
		t.Errorf("period = %v, want %v", got.Period, want.Period)
	}
	t.Run("Team", func(t *testing.T) { diffMetrics(t, got.Team, want.Team) })
	if len(got.Reps) != len(want.Reps) {
		t.Fatalf("%d reps, want %d", len(got.Reps), len(want.Reps))
	}
	for i, w := range want.Reps {
		t.Run(string(w.Rep), func(t *testing.T) {
			if got.Reps[i].Rep != w.Rep {
				t.Fatalf("rep %d = %s, want %s", i, got.Reps[i].Rep, w.Rep)
			}
			diffMetrics(t, got.Reps[i].Metrics, w.Metrics)
		})
	}
	// A team's /pipeline counts the team's figures alone: the same, and
	// no rep's.
	t.Run("TeamOnly", func(t *testing.T) {
		k := coaching.NewKPICount(fixture(t), q1, nil, reportAt)
		k.TeamOnly()
		k.Add(fixture(t).Deals)
		r := k.Reports()[0]
		if len(r.Reps) != 0 {
			t.Errorf("%d reps' figures; want none", len(r.Reps))
		}
		diffMetrics(t, r.Team, want.Team)
	})
}

// diffMetrics reports each field of Metrics that differs, by name.
func diffMetrics(t *testing.T, got, want coaching.Metrics) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s = %+v,\nwant %+v", g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

func TestKPIsEmpty(t *testing.T) {
	r := coaching.KPIs(coaching.Input{Settings: coaching.DefaultSettings()}, q1, reportAt)
	if r.Team.WinRateBP != 0 || r.Team.HygieneBP != 0 || r.Team.CycleMedianDays != 0 || len(r.Reps) != 0 || len(r.Team.Conversion) != 6 {
		t.Errorf("empty report = %+v", r)
	}
}

// TestTalksTieBreak: equal scores go to the larger amount, then the
// smaller id.
func TestTalksTieBreak(t *testing.T) {
	now := at(t, "2026-03-10 09:00")
	var deals []coaching.DealInput
	for _, x := range []struct {
		id     domain.DealID
		amount int64
		noStep bool // weight 2, else missing need (weight 1)
	}{{1, 1_000_000, true}, {2, 2_000_000, false}, {3, 1_000_000, true}, {4, 500_000, true}} {
		in := healthy(t)
		in.Deal.ID, in.Deal.Amount = x.id, x.amount
		if x.noStep {
			in.Deal.NextStep = ""
		} else {
			in.Deal.Need = ""
		}
		deals = append(deals, in)
	}
	// Scores: D1 2M, D2 2M, D3 2M, D4 1M. D2 has the largest amount; D1
	// before D3 by id.
	r := coaching.KPIs(coaching.Input{Settings: coaching.DefaultSettings(), Deals: deals}, q1, now)
	var got []string
	for _, tk := range r.Team.Talks {
		got = append(got, fmt.Sprintf("%s:%d", tk.Deal.Ref(), tk.Score))
	}
	if want := "[D-2:2000000 D-1:2000000 D-3:2000000]"; fmt.Sprint(got) != want {
		t.Errorf("talks = %v, want %v", got, want)
	}
}

// TestFixtureLeak: the stage each report names as the leak, worked out in
// testdata/leak_q1.txt.
func TestFixtureLeak(t *testing.T) {
	r := coaching.KPIs(fixture(t), q1, reportAt)
	for _, c := range []struct {
		name   string
		m      coaching.Metrics
		stage  int
		enough bool
	}{
		{"team", r.Team, 2, true},            // Demo: 1/6 ties Negotiation, earlier stage
		{"anna", r.Reps[0].Metrics, 0, true}, // Qualification 1/8; Demo's 1/4 has 4 exits
		{"bruno", r.Reps[1].Metrics, -1, false},
	} {
		if st, ok := c.m.Leak(); st != c.stage || ok != c.enough {
			t.Errorf("%s: Leak() = %d, %v; want %d, %v", c.name, st, ok, c.stage, c.enough)
		}
	}
}

// TestLeak: which stage the leak line names, from a stage table.
func TestLeak(t *testing.T) {
	row := func(adv, lost int) coaching.Conversion {
		c := coaching.Conversion{Entered: adv + lost, Advanced: adv, Lost: lost}
		if adv+lost > 0 {
			c.LossBP = (lost*20000 + adv + lost) / (2 * (adv + lost))
		}
		return c
	}
	for _, c := range []struct {
		name   string
		rows   []coaching.Conversion
		stage  int
		enough bool
	}{
		{"no deals", nil, -1, false},
		{"too few exits everywhere", []coaching.Conversion{row(2, 2), row(0, 4)}, -1, false},
		{"open deals are not exits", []coaching.Conversion{{Entered: 9, Advanced: 1, Open: 8}, row(3, 2)}, 1, true},
		{"exactly five exits count", []coaching.Conversion{row(4, 1), row(0, 4)}, 0, true},
		{"highest rate, not most losses", []coaching.Conversion{row(20, 4), row(3, 2)}, 1, true},
		{"a high rate on few exits is not named", []coaching.Conversion{row(9, 1), row(1, 3)}, 0, true},
		{"enough exits, no loss", []coaching.Conversion{row(5, 0), row(7, 0)}, -1, true},
		{"tie on rate: more losses", []coaching.Conversion{row(4, 1), row(8, 2)}, 1, true},
		{"tie on rate and losses: earlier stage", []coaching.Conversion{row(5, 1), row(5, 1)}, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if st, ok := (coaching.Metrics{Conversion: c.rows}).Leak(); st != c.stage || ok != c.enough {
				t.Errorf("Leak() = %d, %v; want %d, %v", st, ok, c.stage, c.enough)
			}
		})
	}
}

// TestLossCohort: what becomes of a stage's cohort, edge cases first.
func TestLossCohort(t *testing.T) {
	// A deal created in Demo on 01-10; then the steps given. Q1 report.
	type ev struct{ at, field, old, new string }
	for _, c := range []struct {
		name           string
		evs            []ev
		status         domain.Status
		demo, proposal [3]int // Demo and Proposal: advanced, lost, open
	}{
		{"lost in the stage it entered", []ev{{"2026-01-20", "status", "open", "lost"}}, domain.Lost, [3]int{0, 1, 0}, [3]int{}},
		{"still open: neither advanced nor lost", nil, domain.Open, [3]int{0, 0, 1}, [3]int{}},
		{"advanced, then lost in the next stage", []ev{{"2026-01-15", "stage", "Demo", "Proposal"}, {"2026-01-20", "status", "open", "lost"}}, domain.Lost, [3]int{1, 0, 0}, [3]int{0, 1, 0}},
		{"won without a later stage: advanced", []ev{{"2026-01-20", "status", "open", "won"}}, domain.Won, [3]int{1, 0, 0}, [3]int{}},
		{"lost, reopened: open", []ev{{"2026-01-20", "status", "open", "lost"}, {"2026-02-01", "status", "lost", "open"}}, domain.Open, [3]int{0, 0, 1}, [3]int{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := healthy(t)
			in.Deal.Stage, in.Deal.Status = "Demo", c.status
			in.Deal.CreatedAt = at(t, "2026-01-10 10:00")
			in.History = []domain.HistoryEntry{
				change(in.Deal.ID, in.Deal.CreatedAt, domain.FieldStage, "", "Demo"),
				change(in.Deal.ID, in.Deal.CreatedAt, domain.FieldStatus, "", "open"),
			}
			for _, e := range c.evs {
				in.History = append(in.History, change(in.Deal.ID, at(t, e.at+" 10:00"), domain.Field(e.field), e.old, e.new))
				if e.field == "stage" {
					in.Deal.Stage = e.new
				}
			}
			m := coaching.KPIs(coaching.Input{Settings: coaching.DefaultSettings(), Deals: []coaching.DealInput{in}}, q1, reportAt).Team
			for _, x := range []struct {
				i    int
				want [3]int
			}{{2, c.demo}, {3, c.proposal}} {
				g := m.Conversion[x.i]
				if got := [3]int{g.Advanced, g.Lost, g.Open}; got != x.want {
					t.Errorf("%s advanced, lost, open = %v, want %v", g.Stage, got, x.want)
				}
			}
		})
	}
}
