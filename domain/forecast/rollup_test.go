package forecast_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestRollupRules(t *testing.T) {
	stages := domain.Stages{
		{Name: "Early", Probability: 15, Category: domain.Pipeline},
		{Name: "Late", Probability: 50, Category: domain.Commit},
	}
	q := period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01")
	deal := func(amount int64, stage string, cat domain.Category, closeDate string, st domain.Status) *domain.Deal {
		return &domain.Deal{ID: 1, Owner: "A", Amount: amount, Currency: "EUR", Stage: stage, Category: cat, CloseDate: day(closeDate), Status: st}
	}
	tests := []struct {
		name   string
		quota  []forecast.Quota
		deals  []*domain.Deal
		want   forecast.Line
		attOK  bool
		covOK  bool
		others int
	}{
		{"Empty", nil, nil, forecast.Line{User: "A", Team: "T"}, false, false, 0},
		// 1 × 15% = 0.15 and 3 × 15% = 0.45: 0.60 → 1 on the sum; each
		// rounded alone would give 0 + 0 = 0.
		{"WeightedSumsFirst", nil, []*domain.Deal{
			deal(1, "Early", domain.Pipeline, "2026-10-01", domain.Open),
			deal(3, "Early", domain.Pipeline, "2026-12-31", domain.Open),
		}, forecast.Line{User: "A", Team: "T", Pipeline: 4, Weighted: 1, OpenDeals: 2}, false, false, 0},
		// 1 × 50% = 0.5 → 1 (half away from zero).
		{"WeightedHalf", nil, []*domain.Deal{deal(1, "Late", domain.Pipeline, "2026-11-01", domain.Open)},
			forecast.Line{User: "A", Team: "T", Pipeline: 1, Weighted: 1, OpenDeals: 1}, false, false, 0},
		// Stage names match in any case; an unknown stage weighs 0%.
		{"StageLookup", nil, []*domain.Deal{
			deal(100, "late", domain.Pipeline, "2026-11-01", domain.Open),
			deal(100, "Gone", domain.Pipeline, "2026-11-01", domain.Open),
		}, forecast.Line{User: "A", Team: "T", Pipeline: 200, Weighted: 50, OpenDeals: 2}, false, false, 0},
		// Boundaries: 2026-09-30 and 2027-01-01 are outside; lost and
		// omitted deals count nowhere; a won omitted deal is still won.
		{"Boundaries", nil, []*domain.Deal{
			deal(1, "Late", domain.Commit, "2026-09-30", domain.Won),
			deal(2, "Late", domain.Commit, "2027-01-01", domain.Open),
			deal(4, "Late", domain.Commit, "2026-11-01", domain.Lost),
			deal(8, "Late", domain.Omitted, "2026-11-01", domain.Open),
			deal(16, "Late", domain.Omitted, "2026-10-01", domain.Won),
		}, forecast.Line{User: "A", Team: "T", Won: 16, Commit: 16, BestCase: 16, WonDeals: 1}, false, false, 0},
		// A quota set to 0: it applies (HasQuota) but ratios mean nothing.
		{"ZeroQuota", []forecast.Quota{{User: "A", Period: "quarter"}}, []*domain.Deal{deal(10, "Late", domain.Commit, "2026-11-01", domain.Won)},
			forecast.Line{User: "A", Team: "T", Won: 10, Commit: 10, BestCase: 10, WonDeals: 1, HasQuota: true, GapRaw: -10}, false, false, 0},
		// Exactly at quota: attainment 100%, nothing left, no coverage.
		{"AtQuota", []forecast.Quota{{User: "A", Period: "2026-Q4", Amount: 10}}, []*domain.Deal{
			deal(10, "Late", domain.Commit, "2026-11-01", domain.Won),
			deal(5, "Late", domain.Commit, "2026-11-01", domain.Open),
		}, forecast.Line{User: "A", Team: "T", Won: 10, Commit: 15, BestCase: 15, Pipeline: 5, Weighted: 3, WonDeals: 1, OpenDeals: 1,
			Quota: 10, HasQuota: true, AttainmentBP: 10000}, true, false, 0},
		// Nothing won, nothing open: attainment 0%, coverage 0x but defined.
		{"NothingYet", []forecast.Quota{{User: "A", Period: "2026-Q4", Amount: 10}}, nil,
			forecast.Line{User: "A", Team: "T", Quota: 10, HasQuota: true, GapRaw: 10, Gap: 10}, true, true, 0},
		// Another owner's deal goes to Others, and only to the company line.
		{"Other", nil, []*domain.Deal{{ID: 2, Owner: "X", Amount: 7, Currency: "EUR", Stage: "Late", Category: domain.Upside, CloseDate: day("2026-11-01"), Status: domain.Open}},
			forecast.Line{User: "A", Team: "T"}, false, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org, err := forecast.NewOrg(forecast.Calendar{}, "EUR", stages,
				[]forecast.Team{{Name: "T", Members: []domain.UserID{"A"}}}, tc.quota)
			if err != nil {
				t.Fatal(err)
			}
			r := org.Rollup(q, tc.deals)
			got, _ := r.Rep("A")
			if got != tc.want {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
			if _, ok := got.Attainment(); ok != tc.attOK {
				t.Errorf("Attainment ok = %v, want %v", ok, tc.attOK)
			}
			if _, ok := got.Coverage(); ok != tc.covOK {
				t.Errorf("Coverage ok = %v, want %v", ok, tc.covOK)
			}
			if len(r.Others) != tc.others {
				t.Errorf("Others = %+v", r.Others)
			}
			if tc.others == 0 && r.Company.Pipeline != got.Pipeline {
				t.Errorf("company pipeline %d differs from the only rep's %d", r.Company.Pipeline, got.Pipeline)
			}
		})
	}
	t.Run("AnyCurrency", func(t *testing.T) {
		org, err := forecast.NewOrg(forecast.Calendar{}, "", stages, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		d := deal(5, "Late", domain.Commit, "2026-11-01", domain.Won)
		d.Currency = "USD"
		r := org.Rollup(q, []*domain.Deal{d})
		if r.Company.Won != 5 || len(r.Skipped) != 0 {
			t.Errorf("company %+v, skipped %v", r.Company, r.Skipped)
		}
	})
}
