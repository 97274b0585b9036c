package coaching_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// TestCycleLeavesOutUnknownCreation: a deal imported from a CRM export
// without its creation date (Deal.CreatedUnknown) was created when its
// close was learnt, a cycle of 0 days that is no cycle at all: it counts in
// the won and lost figures, not in the cycle's median and mean (nor in its
// trend point when it is the period's only win).
func TestCycleLeavesOutUnknownCreation(t *testing.T) {
	q := period(t, "2027-01-01", "2027-03-31")
	now := at(t, "2027-03-31 18:00")
	unknown := func(d *domain.Deal) { d.CreatedUnknown = true }
	// Known cycles: D1 01-05 → 02-04 30 days, D2 01-10 → 03-01 50 days.
	d1 := spec{id: 1, owner: anna, eur: 10_000, steps: [][2]string{{"2027-01-05", "Qualification"}}, end: domain.Won, endAt: "2027-02-04"}
	d2 := spec{id: 2, owner: anna, eur: 20_000, steps: [][2]string{{"2027-01-10", "Qualification"}}, end: domain.Won, endAt: "2027-03-01"}
	// Imported won and lost on their close days, created then.
	i3 := spec{id: 3, owner: bruno, eur: 5_000, steps: [][2]string{{"2027-02-10", "Closing"}}, end: domain.Won, endAt: "2027-02-10", tweak: unknown}
	i4 := spec{id: 4, owner: bruno, eur: 6_000, steps: [][2]string{{"2027-02-11", "Closing"}}, end: domain.Won, endAt: "2027-02-11", tweak: unknown}
	i5 := spec{id: 5, owner: bruno, eur: 7_000, steps: [][2]string{{"2027-02-12", "Closing"}}, end: domain.Lost, endAt: "2027-02-12", tweak: unknown}
	tests := []struct {
		name         string
		specs        []spec
		won, lost    int
		cycles       int
		median, mean float64
		wonAmount    int64
		trendHas     bool
	}{
		// Without the rule: 0 0 30 50, median 15, mean 20.
		{name: "KnownAndUnknown", specs: []spec{d1, d2, i3, i4, i5}, won: 4, lost: 1, cycles: 2, median: 40, mean: 40, wonAmount: 4_100_000, trendHas: true},
		{name: "KnownOnly", specs: []spec{d1, d2}, won: 2, cycles: 2, median: 40, mean: 40, wonAmount: 3_000_000, trendHas: true},
		{name: "UnknownOnly", specs: []spec{i3, i4, i5}, won: 2, lost: 1, cycles: 0, median: 0, mean: 0, wonAmount: 1_100_000, trendHas: false},
		// Known 0-day cycles stay: a deal won the day it was created.
		{name: "KnownSameDay", specs: []spec{{id: 6, owner: anna, eur: 1_000, steps: [][2]string{{"2027-02-10", "Closing"}}, end: domain.Won, endAt: "2027-02-10"}},
			won: 1, cycles: 1, median: 0, mean: 0, wonAmount: 100_000, trendHas: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := coaching.KPIs(build(t, tt.specs...), q, now).Team
			if m.Won != tt.won || m.Lost != tt.lost || m.WonAmount != tt.wonAmount {
				t.Errorf("won %d lost %d amount %d, want %d %d %d", m.Won, m.Lost, m.WonAmount, tt.won, tt.lost, tt.wonAmount)
			}
			if m.Cycles != tt.cycles || m.CycleMedianDays != tt.median || m.CycleMeanDays != tt.mean {
				t.Errorf("cycles %d median %v mean %v, want %d %v %v", m.Cycles, m.CycleMedianDays, m.CycleMeanDays, tt.cycles, tt.median, tt.mean)
			}
			// Compared with a period that has a known cycle, the cycle's
			// trend has a point now only when a cycle is known.
			prev := coaching.Metrics{Won: 1, Cycles: 1, CycleMedianDays: 20, Conversion: m.Conversion}
			var cycle *coaching.Trend
			for _, tr := range coaching.Trends([3]coaching.Metrics{m, prev, {Conversion: m.Conversion}}, [3]coaching.SlipRate{}) {
				if tr.Figure == coaching.FigureCycle {
					cycle = &tr
				}
			}
			if has := cycle != nil && cycle.Points[0].Has; has != tt.trendHas {
				t.Errorf("the cycle's trend has a point now: %v, want %v", has, tt.trendHas)
			}
		})
	}
}
