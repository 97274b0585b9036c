package sample

import "github.com/dealpilot/dealpilot/domain/coaching"

// Conversion is the sample stages (Discovery, Qualification, Proposal,
// Negotiation) with each one's {entered, advanced, conversion in bp}, in
// order; stages without a row are empty.
func Conversion(rates ...[3]int) []coaching.Conversion {
	names := []string{"Discovery", "Qualification", "Proposal", "Negotiation"}
	out := make([]coaching.Conversion, len(names))
	for i, n := range names {
		out[i].Stage = n
		if i < len(rates) {
			out[i].Entered, out[i].Advanced, out[i].RateBP = rates[i][0], rates[i][1], rates[i][2]
		}
	}
	return out
}

// WithLosses sets each stage's {lost, open, loss rate in bp}.
func WithLosses(c []coaching.Conversion, rows ...[3]int) []coaching.Conversion {
	for i, r := range rows {
		c[i].Lost, c[i].Open, c[i].LossBP = r[0], r[1], r[2]
	}
	return c
}

// PipelineMetrics are a team's /pipeline figures, the same for the Slack
// renderer's goldens and the terminal report's tests.
func PipelineMetrics() coaching.Metrics {
	return coaching.Metrics{
		Won: 3, Lost: 2, WinRateBP: 6000,
		// Lost, still open: Discovery 2, 2 (2 of 8 exits, 25 %), Qualification
		// 1, 1 (1 of 5, 20 %), Proposal 2, 1 (2 of 3, 66.67 %: too few exits
		// to be named). The leak line names Discovery.
		Conversion: WithLosses(Conversion([3]int{10, 6, 6000}, [3]int{6, 4, 6667}, [3]int{4, 1, 2500}, [3]int{1, 1, 10000}),
			[3]int{2, 2, 2500}, [3]int{1, 1, 2000}, [3]int{2, 1, 6667}),
		WonAmount: 12_000_000, AvgWonAmount: 4_000_000,
		CycleMedianDays: 42, CycleMeanDays: 47.5, Cycles: 3,
		AvgDiscountBP: 1250,
		Open:          7, Stalled: 2, Healthy: 5, HygieneBP: 7143, OverdueNextSteps: 1, PastCloseDates: 1, MissingCriteria: 1,
		PerStage: []coaching.StageCount{{Stage: "Discovery", Deals: 3, Amount: 6_000_000}, {Stage: "Qualification", Deals: 2, Amount: 5_500_000}, {Stage: "Proposal", Deals: 1, Amount: 4_800_000}, {Stage: "Negotiation", Deals: 1, Amount: 2_000_000}},
	}
}
