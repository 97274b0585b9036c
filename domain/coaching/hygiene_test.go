package coaching_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// TestHygiene: an open deal is healthy when it meets its stage's criteria,
// its next step is dated and not overdue, and its close date is not past;
// each cause is counted on its own. Every deal starts as healthy() (on
// 2026-03-10: Demo's criteria met, next step due 03-12, closing 04-30) and
// is then changed as the row says. Hand-computed rates: 11/20 = 5500,
// 0/20 = 0, 1/2 = 5000, 2/3 = 6666.7 → 6667.
func TestHygiene(t *testing.T) {
	now := at(t, "2026-03-10 09:00")
	overdue := func(in *coaching.DealInput) { in.Deal.NextStepDue = date(t, "2026-03-09") }
	same := func(n int, f func(*coaching.DealInput)) []func(*coaching.DealInput) {
		fs := make([]func(*coaching.DealInput), n)
		for i := range fs {
			fs[i] = f
		}
		return fs
	}
	keep := func(*coaching.DealInput) {}
	type counts struct{ open, healthy, bp, missing, overdue, closePast int }
	tests := []struct {
		name  string
		deals []func(*coaching.DealInput)
		want  counts
	}{
		{"NoneOpen", nil, counts{}},
		{"AllClosed", same(2, func(in *coaching.DealInput) { in.Deal.Status = domain.Won }), counts{}},
		// The demo: 9 of 20 open deals overdue was shown as 100 %.
		{"NineOfTwentyOverdue", append(same(9, overdue), same(11, keep)...), counts{20, 11, 5500, 0, 9, 0}},
		{"AllOverdue", same(20, overdue), counts{20, 0, 0, 0, 20, 0}},
		{"DueTodayIsNotOverdue", same(1, func(in *coaching.DealInput) { in.Deal.NextStepDue = date(t, "2026-03-10") }), counts{1, 1, 10000, 0, 0, 0}},
		{"UndatedNextStep", same(1, func(in *coaching.DealInput) { in.Deal.NextStepDue = domain.Date{} }), counts{1, 0, 0, 0, 1, 0}},
		{"NoNextStepIsMissingCriteria", same(1, func(in *coaching.DealInput) { in.Deal.NextStep, in.Deal.NextStepDue = "", domain.Date{} }), counts{1, 0, 0, 1, 0, 0}},
		{"CriteriaMissing", same(1, func(in *coaching.DealInput) { in.Deal.DecisionMakers = "" }), counts{1, 0, 0, 1, 0, 0}},
		{"UnknownStage", same(1, func(in *coaching.DealInput) { in.Deal.Stage = "Pilot" }), counts{1, 0, 0, 1, 0, 0}},
		{"ClosePast", same(1, func(in *coaching.DealInput) { in.Deal.CloseDate = date(t, "2026-03-09") }), counts{1, 0, 0, 0, 0, 1}},
		{"ClosingTodayIsNotPast", same(1, func(in *coaching.DealInput) { in.Deal.CloseDate = date(t, "2026-03-10") }), counts{1, 1, 10000, 0, 0, 0}},
		{"ThreeCausesOneDeal", []func(*coaching.DealInput){keep, func(in *coaching.DealInput) {
			in.Deal.Need = ""
			in.Deal.NextStepDue = date(t, "2026-03-01")
			in.Deal.CloseDate = date(t, "2026-03-01")
		}}, counts{2, 1, 5000, 1, 1, 1}},
		{"ClosedDealsIgnored", []func(*coaching.DealInput){keep, keep, overdue, func(in *coaching.DealInput) { in.Deal.Status, in.Deal.LossReason = domain.Lost, "price"; overdue(in) }},
			counts{3, 2, 6667, 0, 1, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var deals []coaching.DealInput
			for i, f := range tc.deals {
				in := healthy(t)
				in.Deal.ID = domain.DealID(i + 1)
				f(&in)
				deals = append(deals, in)
			}
			m := coaching.KPIs(coaching.Input{Settings: coaching.DefaultSettings(), Deals: deals}, q1, now).Team
			got := counts{m.Open, m.Healthy, m.HygieneBP, m.MissingCriteria, m.OverdueNextSteps, m.PastCloseDates}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestHygieneStageWithoutNextStep: a configured stage that does not list the
// next step still needs one to be healthy (the guide asks every stage for a
// dated next action); the deal counts under missing criteria.
func TestHygieneStageWithoutNextStep(t *testing.T) {
	s := coaching.DefaultSettings()
	s.Stages = domain.Stages{{Name: "Demo", Probability: 40, Category: domain.Upside}}
	in := healthy(t)
	in.Deal.NextStep, in.Deal.NextStepDue = "", domain.Date{}
	m := coaching.KPIs(coaching.Input{Settings: s, Deals: []coaching.DealInput{in}}, q1, at(t, "2026-03-10 09:00")).Team
	if m.Healthy != 0 || m.MissingCriteria != 1 || m.OverdueNextSteps != 0 {
		t.Errorf("healthy %d, missing %d, overdue %d; want 0, 1, 0", m.Healthy, m.MissingCriteria, m.OverdueNextSteps)
	}
}
