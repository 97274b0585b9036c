package commission_test

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestRules checks each rule alone: the worked examples combine them.
func TestRules(t *testing.T) {
	q1 := months("2026-01", 3)
	jan := func(amount int64) commission.Sale {
		return commission.Sale{Deal: 1, Amount: amount, ClosedOn: day("2026-01-10")}
	}
	cases := []struct {
		name  string
		plan  commission.Plan
		quota int64
		sales []commission.Sale
		month int   // index in q1
		want  int64 // earned
		kinds string
	}{
		{name: "RoundHalfUp", plan: commission.Plan{Rate: 250}, sales: []commission.Sale{jan(2)}, want: 0, kinds: "tier"},        // 2 cents × 2.5 % = 0.05 cent → 0
		{name: "RoundHalfUpAtHalf", plan: commission.Plan{Rate: 2500}, sales: []commission.Sale{jan(2)}, want: 1, kinds: "tier"}, // 2 cents × 25 % = 0.5 cent → 1
		{name: "SplitRoundsCredit", plan: commission.Plan{Rate: 10000}, sales: []commission.Sale{{Deal: 1, Amount: 3, Split: 5000, ClosedOn: day("2026-01-10")}}, want: 2, kinds: "tier"},
		{name: "BoundaryInLowerTier", plan: commission.Plan{Tiers: tiers356}, quota: eur(500_000),
			sales: []commission.Sale{jan(eur(300_000))}, want: eur(9_000), kinds: "tier"},
		{name: "OneCentAboveCutsIntoNextTier", plan: commission.Plan{Tiers: tiers356}, quota: eur(500_000),
			sales: []commission.Sale{jan(eur(300_000) + 100)}, want: eur(9_000) + 5, kinds: "tier tier"},
		{name: "RetroactiveAtBoundaryStaysLower", plan: commission.Plan{Tiers: tiers356, Mode: commission.Retroactive}, quota: eur(500_000),
			sales: []commission.Sale{jan(eur(500_000))}, want: eur(25_000), kinds: "tier"},
		{name: "Decelerator", plan: commission.Plan{Rate: 1000, Decelerator: &commission.Factor{At: 5000, Factor: 5000}}, quota: eur(100_000),
			sales: []commission.Sale{jan(eur(80_000))}, want: eur(2_500 + 3_000), kinds: "tier tier"},
		{name: "Accelerators", plan: commission.Plan{Rate: 1000, Accelerators: []commission.Factor{{At: 10000, Factor: 15000}, {At: 15000, Factor: 20000}}}, quota: eur(100_000),
			sales: []commission.Sale{jan(eur(200_000))}, want: eur(10_000 + 7_500 + 10_000), kinds: "tier tier tier"},
		{name: "TypeRate", plan: commission.Plan{Rate: 1000, TypeRates: map[commission.DealType]int{commission.Renewal: 200}},
			sales: []commission.Sale{{Deal: 1, Amount: eur(50_000), Type: commission.Renewal, ClosedOn: day("2026-01-10")}}, want: eur(1_000), kinds: "type_rate"},
		{name: "TypeRateCountsInAttainment", plan: commission.Plan{Tiers: []commission.Tier{{UpTo: 5000, Rate: 100}, {Rate: 300}}, TypeRates: map[commission.DealType]int{commission.Renewal: 200}}, quota: eur(100_000),
			sales: []commission.Sale{{Deal: 1, Amount: eur(60_000), Type: commission.Renewal, ClosedOn: day("2026-01-10")}, {Deal: 2, Amount: eur(10_000), ClosedOn: day("2026-01-11")}},
			want:  eur(1_200 + 300), kinds: "type_rate tier"},
		{name: "SpiffShareOfSplit", plan: commission.Plan{Spiffs: []commission.Spiff{{Name: "Q1 push", Amount: eur(500), Type: commission.New, MinAmount: eur(10_000)}}},
			sales: []commission.Sale{{Deal: 1, Amount: eur(20_000), Split: 6000, ClosedOn: day("2026-01-10")}}, want: eur(300), kinds: "tier spiff"},
		{name: "SpiffNotMatched", plan: commission.Plan{Spiffs: []commission.Spiff{{Name: "Big", Amount: eur(500), MinAmount: eur(50_000)}}},
			sales: []commission.Sale{jan(eur(20_000))}, want: 0, kinds: "tier"},
		{name: "NoQuotaPaysFirstTier", plan: commission.Plan{Tiers: tiers356}, sales: []commission.Sale{jan(eur(600_000))}, want: eur(18_000), kinds: "tier"},
		{name: "ClawbackDefaultWindow", plan: commission.Plan{Rate: 1000},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-10"), ChurnedOn: day("2026-03-01")}}, month: 2, want: -eur(1_000), kinds: "clawback"},
		{name: "ClawbackOutsideWindow", plan: commission.Plan{Rate: 1000, Clawback: commission.Clawback{Days: 30}},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-01"), ChurnedOn: day("2026-03-01")}}, month: 2, want: 0, kinds: ""},
		{name: "ClawbackRoundsAwayFromZero", plan: commission.Plan{Rate: 10000, Clawback: commission.Clawback{Days: 4, Recovery: commission.ProRata}},
			sales: []commission.Sale{{Deal: 1, Amount: 3, ClosedOn: day("2026-01-01"), ChurnedOn: day("2026-01-03")}}, want: 3 - 2, kinds: "tier clawback"}, // −3 × 2/4 = −1.5 → −2
		{name: "ClawbackProRataByDays", plan: commission.Plan{Rate: 1000, Clawback: commission.Clawback{Recovery: commission.ProRata}},
			sales: []commission.Sale{{Deal: 1, Amount: eur(9_000), ClosedOn: day("2026-01-01"), ChurnedOn: day("2026-01-31")}}, want: eur(900) - eur(600), kinds: "tier clawback"},
		// A third of €30,000 ARR lost: −€1,000 × 10,000/30,000 = −€333.333… → −€333.33.
		{name: "DowngradeShareOfPaid", plan: commission.Plan{Rate: 1000},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-10"),
				Downgrades: []commission.Downgrade{{On: day("2026-03-01"), Lost: eur(10_000), ARR: eur(30_000)}}}}, month: 2, want: -eur(333) - 33, kinds: "clawback"},
		{name: "DowngradeOutsideWindow", plan: commission.Plan{Rate: 1000, Clawback: commission.Clawback{Days: 30}},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-01"),
				Downgrades: []commission.Downgrade{{On: day("2026-03-01"), Lost: eur(1_000), ARR: eur(10_000)}}}}, month: 2, want: 0, kinds: ""},
		{name: "DowngradeBeforeTheWinIgnored", plan: commission.Plan{Rate: 1000},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-10"),
				Downgrades: []commission.Downgrade{{On: day("2026-01-09"), Lost: eur(1_000), ARR: eur(10_000)}}}}, want: eur(1_000), kinds: "tier"},
		// Half lost, then the rest: −€500, then all that still stands, −€500: never more than the €1,000 paid.
		{name: "DowngradeThenChurnRecoverWhatWasPaid", plan: commission.Plan{Rate: 1000},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-10"), ChurnedOn: day("2026-03-05"),
				Downgrades: []commission.Downgrade{{On: day("2026-03-01"), Lost: eur(5_000), ARR: eur(10_000)}}}}, month: 2, want: -eur(1_000), kinds: "clawback clawback"},
		{name: "DowngradeAfterChurnIgnored", plan: commission.Plan{Rate: 1000},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-10"), ChurnedOn: day("2026-03-01"),
				Downgrades: []commission.Downgrade{{On: day("2026-03-05"), Lost: eur(5_000), ARR: eur(10_000)}}}}, month: 2, want: -eur(1_000), kinds: "clawback"},
		{name: "ProRataNothingUnservedNoLine", plan: commission.Plan{Rate: 1000, Clawback: commission.Clawback{Recovery: commission.ProRata}},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), TermMonths: 1, ClosedOn: day("2026-01-10"), ChurnedOn: day("2026-02-10")}}, month: 1, want: 0, kinds: ""},
		{name: "DowngradeMoreThanARRIgnored", plan: commission.Plan{Rate: 1000},
			sales: []commission.Sale{{Deal: 1, Amount: eur(10_000), ClosedOn: day("2026-01-10"),
				Downgrades: []commission.Downgrade{{On: day("2026-03-01"), Lost: eur(20_000), ARR: eur(10_000)}}}}, month: 2, want: 0, kinds: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.plan.Validate(); err != nil {
				t.Fatalf("plan refused: %v", err)
			}
			ms := statements(forecast.Quarter, c.plan, c.quota, q1, c.sales...)
			m := ms[c.month]
			if m.Earned != c.want {
				t.Errorf("earned %s, want %s; lines %+v", money(m.Earned), money(c.want), m.Lines)
			}
			var kinds []string
			for _, l := range m.Lines {
				kinds = append(kinds, string(l.Kind))
			}
			if got := strings.Join(kinds, " "); got != c.kinds {
				t.Errorf("lines %q, want %q", got, c.kinds)
			}
		})
	}
}

func TestNext(t *testing.T) {
	plan := commission.Plan{Rate: 1000, Accelerators: []commission.Factor{{At: 10000, Factor: 15000}}, CapPayout: eur(50_000)}
	ms := statements(forecast.Quarter, plan, eur(100_000), months("2026-01", 1),
		commission.Sale{Deal: 1, Amount: eur(90_000), ClosedOn: day("2026-01-10")})
	n := ms[0].Next
	if n.Rate != 1000 || n.Factor != commission.Unit || n.ToNext != eur(10_000) || n.What != commission.ChangeAccelerator || n.NextFactor != 15000 || n.At != 10000 {
		t.Errorf("next = %+v, want 10 %% now, €10,000 more reaches 100 %%: accelerator ×1.5", n)
	}
	if n.CapLeft != eur(41_000) {
		t.Errorf("cap left %s, want 41000.00", money(n.CapLeft))
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		plan commission.Plan
		want string
	}{
		{"RateAndTiers", commission.Plan{Rate: 100, Tiers: tiers356}, "rate or tiers"},
		{"LastTierBounded", commission.Plan{Tiers: []commission.Tier{{UpTo: 5000, Rate: 100}, {UpTo: 9000, Rate: 200}}}, "last tier"},
		{"TiersNotAscending", commission.Plan{Tiers: []commission.Tier{{UpTo: 5000, Rate: 100}, {UpTo: 4000, Rate: 200}, {Rate: 300}}}, "above the tier before"},
		{"RetroactiveRatesDown", commission.Plan{Mode: commission.Retroactive, Tiers: []commission.Tier{{UpTo: 5000, Rate: 300}, {Rate: 200}}}, "cannot go down"},
		{"TrueUpRetroactive", commission.Plan{Mode: commission.Retroactive, Rate: 100, TrueUp: true}, "true_up"},
		{"DeceleratorAboveOne", commission.Plan{Rate: 100, Decelerator: &commission.Factor{At: 5000, Factor: 12000}}, "decelerator"},
		{"AcceleratorBelowOne", commission.Plan{Rate: 100, Accelerators: []commission.Factor{{At: 10000, Factor: 9000}}}, "accelerator 1"},
		{"AcceleratorBelowDecelerator", commission.Plan{Rate: 100, Decelerator: &commission.Factor{At: 5000, Factor: 5000}, Accelerators: []commission.Factor{{At: 4000, Factor: 15000}}}, "below the decelerator"},
		{"UnknownType", commission.Plan{Rate: 100, TypeRates: map[commission.DealType]int{"upsell": 100}}, "upsell"},
		{"SpiffWithoutName", commission.Plan{Spiffs: []commission.Spiff{{Amount: 1}}}, "needs a name"},
		{"SpiffWithoutAmount", commission.Plan{Spiffs: []commission.Spiff{{Name: "x"}}}, "above 0"},
		{"BadRecovery", commission.Plan{Clawback: commission.Clawback{Recovery: "half"}}, "half"},
		{"NegativeDraw", commission.Plan{Draw: commission.Draw{Amount: -1}}, "draw"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.plan.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want an error saying %q", err, c.want)
			}
		})
	}
}
