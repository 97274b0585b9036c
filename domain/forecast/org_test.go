package forecast_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestQuotas(t *testing.T) {
	c := forecast.Calendar{FiscalYearStart: time.April}
	rep := func(u string) domain.UserID { return domain.UserID(u) }
	org, err := forecast.NewOrg(c, "EUR", domain.DefaultStages(), []forecast.Team{
		{Name: "North", Manager: "M1", Members: []domain.UserID{"QUARTER", "MONTHS", "SOME", "NONE"}},
		{Name: "South", Manager: "M2", Members: []domain.UserID{"EVERY", "OVERRIDE", "YEAR"}},
		{Name: "Empty", Manager: "M3", Members: []domain.UserID{"NOBODY"}},
	}, []forecast.Quota{
		// FY2027 starts 2026-04-01: 2027-Q3 is October to December 2026.
		{User: "QUARTER", Period: "2027-Q3", Amount: 90_000},
		{User: "MONTHS", Period: "2026-10", Amount: 10_000},
		{User: "MONTHS", Period: "2026-11", Amount: 20_000},
		{User: "MONTHS", Period: "2026-12", Amount: 30_000},
		{User: "SOME", Period: "2026-11", Amount: 5_000},
		{User: "EVERY", Period: "month", Amount: 1_000},
		{User: "OVERRIDE", Period: "Quarter", Amount: 50_000},
		{User: "OVERRIDE", Period: "2027-q3", Amount: 70_000},
		{User: "YEAR", Period: "FY2027", Amount: 400_000},
		{Team: "south", Period: "2026-10", Amount: 100_000},
		{Team: "South", Period: "2026-12", Amount: 200_000},
	})
	if err != nil {
		t.Fatal(err)
	}
	parse := func(s string) forecast.Period {
		p, err := c.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name   string
		user   domain.UserID
		team   string
		period string
		want   int64
		ok     bool
	}{
		{"Named", rep("QUARTER"), "", "2027-Q3", 90_000, true},
		{"NamedOtherQuarter", rep("QUARTER"), "", "2027-Q4", 0, false},
		// A quarter's quota is never split into months.
		{"QuarterNotSplit", rep("QUARTER"), "", "2026-11", 0, false},
		// Its months add up to a quarter: 10,000 + 20,000 + 30,000.
		{"MonthsRollUp", rep("MONTHS"), "", "2027-Q3", 60_000, true},
		{"Month", rep("MONTHS"), "", "2026-12", 30_000, true},
		// Only November is set: the quarter is November's alone.
		{"SomeMonths", rep("SOME"), "", "2027-Q3", 5_000, true},
		{"None", rep("NONE"), "", "2027-Q3", 0, false},
		// Every month 1,000: a quarter is 3,000, a year 4 × 3,000.
		{"EveryMonth", rep("EVERY"), "", "2026-05", 1_000, true},
		{"EveryMonthQuarter", rep("EVERY"), "", "2027-Q1", 3_000, true},
		{"EveryMonthYear", rep("EVERY"), "", "FY2027", 12_000, true},
		// A named quarter beats "every quarter".
		{"Override", rep("OVERRIDE"), "", "2027-Q3", 70_000, true},
		{"EveryQuarter", rep("OVERRIDE"), "", "2027-Q4", 50_000, true},
		// A year's quotas come from its quarters: 50,000 × 3 + 70,000.
		{"EveryQuarterYear", rep("OVERRIDE"), "", "FY2027", 220_000, true},
		{"YearNotSplit", rep("YEAR"), "", "2027-Q3", 0, false},
		{"Year", rep("YEAR"), "", "fy2027", 400_000, true},
		// North has no quota: its members' 90,000 + 60,000 + 5,000.
		{"TeamSum", "", "North", "2027-Q3", 155_000, true},
		{"TeamSumMonth", "", "North", "2026-11", 20_000 + 5_000, true},
		// South has its own months (Oct 100,000 + Dec 200,000), which win
		// over its members' quotas.
		{"TeamOwn", "", "South", "2027-Q3", 300_000, true},
		// South has no November quota of its own: its members'
		// (EVERY 1,000; OVERRIDE and YEAR none for a month).
		{"TeamOwnMissingMonth", "", "south", "2026-11", 1_000, true},
		{"TeamNone", "", "Empty", "2027-Q3", 0, false},
		{"TeamUnknown", "", "West", "2027-Q3", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got int64
			var ok bool
			if tc.team != "" {
				got, ok = org.TeamQuota(tc.team, parse(tc.period))
			} else {
				got, ok = org.RepQuota(tc.user, parse(tc.period))
			}
			if got != tc.want || ok != tc.ok {
				t.Errorf("quota = %d, %v, want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestNewOrgErrors(t *testing.T) {
	two := []forecast.Team{
		{Name: "North", Manager: "M1", Members: []domain.UserID{"A", "B"}},
		{Name: "South", Manager: "M2", Members: []domain.UserID{"C"}},
	}
	tests := []struct {
		name   string
		teams  []forecast.Team
		quotas []forecast.Quota
		key    string
	}{
		{"TeamUnnamed", []forecast.Team{{Name: " "}}, nil, "forecast.team_unnamed"},
		{"TeamDuplicate", append(two, forecast.Team{Name: "north"}), nil, "forecast.team_duplicate"},
		{"MemberTwice", append(two, forecast.Team{Name: "East", Members: []domain.UserID{"B"}}), nil, "forecast.member_twice"},
		{"QuotaNobody", two, []forecast.Quota{{Period: "quarter", Amount: 1}}, "forecast.quota_whose"},
		{"QuotaBoth", two, []forecast.Quota{{User: "A", Team: "North", Period: "quarter", Amount: 1}}, "forecast.quota_whose"},
		{"QuotaTeamUnknown", two, []forecast.Quota{{Team: "West", Period: "quarter", Amount: 1}}, "forecast.quota_team_unknown"},
		{"QuotaNegative", two, []forecast.Quota{{User: "A", Period: "quarter", Amount: -1}}, "forecast.quota_amount"},
		{"QuotaTooBig", two, []forecast.Quota{{User: "A", Period: "quarter", Amount: domain.MaxAmountMinor + 1}}, "forecast.quota_amount"},
		{"QuotaBadPeriod", two, []forecast.Quota{{User: "A", Period: "week", Amount: 1}}, "forecast.bad_period"},
		{"QuotaDuplicateKind", two, []forecast.Quota{{User: "A", Period: "quarter", Amount: 1}, {User: "A", Period: "QUARTER", Amount: 2}}, "forecast.quota_duplicate"},
		{"QuotaDuplicateNamed", two, []forecast.Quota{{Team: "North", Period: "2026-q4", Amount: 1}, {Team: "NORTH", Period: "2026-Q4", Amount: 2}}, "forecast.quota_duplicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := forecast.NewOrg(forecast.Calendar{}, "EUR", domain.DefaultStages(), tc.teams, tc.quotas)
			es, ok := err.(domain.Errors)
			if !ok || len(es) != 1 || es[0].Key != tc.key || domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("err = %#v, want one %s", err, tc.key)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		o, err := forecast.NewOrg(forecast.Calendar{}, "", nil, two, []forecast.Quota{{User: "Z", Period: "year", Amount: 0}})
		if err != nil {
			t.Fatal(err)
		}
		if tm, ok := o.TeamOf("C"); !ok || tm.Name != "South" {
			t.Errorf("TeamOf(C) = %v, %v", tm, ok)
		}
		if _, ok := o.TeamOf("M1"); ok {
			t.Error("a manager who is not a member has no team")
		}
	})
}
