package forecast_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestCallValidate(t *testing.T) {
	ok := forecast.Call{User: alice, Period: "2026-Q4", Week: "2026-W48", Commit: 100, BestCase: 150}
	tests := []struct {
		name   string
		change func(*forecast.Call)
		fields []domain.Field // the fields the errors are about, in order; nil: valid
	}{
		{"OK", func(*forecast.Call) {}, nil},
		{"OK/Zero", func(c *forecast.Call) { c.Commit, c.BestCase = 0, 0 }, nil},
		{"OK/Equal", func(c *forecast.Call) { c.BestCase = c.Commit }, nil},
		{"ErrNegative", func(c *forecast.Call) { c.Commit = -1 }, []domain.Field{forecast.FieldCommit}},
		{"ErrTooBig", func(c *forecast.Call) { c.BestCase = domain.MaxAmountMinor + 1 }, []domain.Field{forecast.FieldBestCase}},
		{"ErrBestBelowCommit", func(c *forecast.Call) { c.BestCase = 99 }, []domain.Field{forecast.FieldBestCase}},
		{"ErrComment", func(c *forecast.Call) { c.Comment = strings.Repeat("é", domain.MaxTextLen+1) }, []domain.Field{forecast.FieldComment}},
		{"ErrIncomplete", func(c *forecast.Call) { c.Week = "" }, []domain.Field{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := c.Validate()
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			es, isErrs := err.(domain.Errors)
			if !isErrs || len(es) != len(tc.fields) {
				t.Fatalf("Validate() = %#v, want errors on %v", err, tc.fields)
			}
			for i, e := range es {
				if e.Field != tc.fields[i] {
					t.Errorf("error %d on %q, want %q", i, e.Field, tc.fields[i])
				}
			}
		})
	}
}

func TestCallDiff(t *testing.T) {
	base := forecast.Call{Commit: 100, BestCase: 200, Comment: "as before"}
	tests := []struct {
		name   string
		change func(*forecast.Call)
		want   []forecast.CallChange
	}{
		{"Same", func(*forecast.Call) {}, nil},
		{"OnlySpaces", func(c *forecast.Call) { c.Comment = " as before\n" }, nil},
		{"Commit", func(c *forecast.Call) { c.Commit = 150 },
			[]forecast.CallChange{{Field: forecast.FieldCommit, Old: 100, New: 150, Delta: 50}}},
		{"BestCase", func(c *forecast.Call) { c.BestCase = 120 },
			[]forecast.CallChange{{Field: forecast.FieldBestCase, Old: 200, New: 120, Delta: -80}}},
		{"Comment", func(c *forecast.Call) { c.Comment = "" },
			[]forecast.CallChange{{Field: forecast.FieldComment, OldText: "as before"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := base
			tc.change(&n)
			got := forecast.CallDiff(base, n)
			if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
				t.Errorf("CallDiff = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestLatestCall(t *testing.T) {
	at := func(d string) time.Time { return day(d).Time(time.UTC) }
	calls := []forecast.Call{
		{User: alice, Period: "2026-Q4", Week: "2026-W47", At: at("2026-11-16"), Commit: 1},
		{User: alice, Period: "2026-Q4", Week: "2026-W49", At: at("2026-11-30"), Commit: 3},
		{User: alice, Period: "2026-Q4", Week: "2026-W48", At: at("2026-11-23"), Commit: 2},
		{User: alice, Period: "2027-Q1", Week: "2026-W48", At: at("2026-11-24"), Commit: 9},
		{User: bob, Period: "2026-Q4", Week: "2026-W48", At: at("2026-11-25"), Commit: 8},
		// A manager's call for the team is not their own call.
		{User: mgr1, Team: "France", Period: "2026-Q4", Week: "2026-W48", At: at("2026-11-23"), Commit: 100},
		{User: mgr1, Period: "2026-Q4", Week: "2026-W48", At: at("2026-11-23"), Commit: 5},
	}
	tests := []struct {
		name   string
		user   domain.UserID
		team   string
		week   string
		commit int64
		ok     bool
	}{
		{"Before", alice, "", "2026-W46", 0, false},
		{"ThatWeek", alice, "", "2026-W47", 1, true},
		{"Latest", alice, "", "2026-W48", 2, true},
		{"CarriedForward", alice, "", "2026-W52", 3, true},
		{"Now", alice, "", "", 3, true},
		{"Other", bob, "", "2026-W48", 8, true},
		{"Team", "", "france", "2026-W48", 100, true},
		{"ManagerOwn", mgr1, "", "2026-W48", 5, true},
		{"Nobody", chloe, "", "", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := forecast.LatestCall(calls, tc.user, tc.team, "2026-Q4", tc.week)
			if ok != tc.ok || c.Commit != tc.commit {
				t.Errorf("LatestCall = %d, %v, want %d, %v", c.Commit, ok, tc.commit, tc.ok)
			}
		})
	}
}

// TestFixtureDealsValid: the fixture's deals are deals the bot could store.
func TestFixtureDealsValid(t *testing.T) {
	for name, rows := range map[string][]row{"week40": week40, "week41": week41, "week49": week49, "week50": week50, "final": final} {
		for _, d := range deals(rows) {
			if err := d.Validate(); err != nil {
				t.Errorf("%s: %s: %v", name, d, err)
			}
		}
	}
}

// TestMonthCall: the month call a quarter's form makes beside its call.
func TestMonthCall(t *testing.T) {
	cal := forecast.Calendar{FiscalYearStart: time.January}
	nov := cal.Month(domain.NewDate(2026, 11, 15))
	q := forecast.Call{User: "U1", Period: "2026-Q4", Week: "2026-W47", At: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC), Commit: 100_000_00, BestCase: 150_000_00}
	tests := []struct {
		name   string
		call   forecast.Call
		month  forecast.Period
		commit int64
		key    string // the refusal's message key, "" when accepted
	}{
		{"Accepted", q, nov, 40_000_00, ""},
		{"Zero", q, nov, 0, ""},
		{"EqualToTheQuarter", q, nov, 100_000_00, ""},
		{"AboveTheQuarter", q, nov, 100_000_01, "forecast.month_above_quarter"},
		{"Negative", q, nov, -1, "forecast.call_negative"},
		{"TooBig", forecast.Call{Period: "2026-Q4", Commit: domain.MaxAmountMinor + 5}, nov, domain.MaxAmountMinor + 1, "deal.amount_too_big"},
		{"NotAMonth", q, cal.Quarter(domain.NewDate(2026, 11, 15)), 1, "forecast.call_incomplete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := forecast.MonthCall(tc.call, tc.month, tc.commit)
			if tc.key != "" {
				var e *domain.Error
				if !errors.As(err, &e) || e.Key != tc.key {
					t.Fatalf("err = %v, want %s", err, tc.key)
				}
				if tc.key != "forecast.call_incomplete" && e.Field != forecast.FieldMonthCommit {
					t.Errorf("the refusal is on %q, want the month's field", e.Field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := forecast.Call{User: "U1", Period: "2026-11", Week: q.Week, At: q.At, Commit: tc.commit, BestCase: tc.commit}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestKeepMonthCall: a quarter's call submitted with the month field empty
// makes no month call, so the month call already made still counts; it is
// refused when that call sits above the quarter's new commit, naming the
// month call on the month's field.
func TestKeepMonthCall(t *testing.T) {
	cal := forecast.Calendar{FiscalYearStart: time.January}
	nov := cal.Month(domain.NewDate(2026, 11, 15))
	q := forecast.Call{User: "U1", Period: "2026-Q4", Commit: 30_000_00, BestCase: 150_000_00}
	standing := forecast.Call{User: "U1", Period: "2026-11", Commit: 40_000_00, BestCase: 40_000_00}
	tests := []struct {
		name     string
		standing forecast.Call
		had      bool
		refused  bool
	}{
		{"NoMonthCallYet", forecast.Call{}, false, false},
		{"StandingBelowTheQuarter", forecast.Call{Period: "2026-11", Commit: 29_999_99}, true, false},
		{"StandingEqualToTheQuarter", forecast.Call{Period: "2026-11", Commit: 30_000_00}, true, false},
		{"StandingAboveTheQuarter", standing, true, true},
		{"StandingAboveByOneCent", forecast.Call{Period: "2026-11", Commit: 30_000_01}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := forecast.KeepMonthCall(q, nov, tc.standing, tc.had, "EUR")
			if !tc.refused {
				if err != nil {
					t.Fatalf("err = %v, want accepted", err)
				}
				return
			}
			var e *domain.Error
			if !errors.As(err, &e) || e.Key != "forecast.month_call_stands" || e.Field != forecast.FieldMonthCommit {
				t.Fatalf("err = %v, want forecast.month_call_stands on the month's field", err)
			}
			if e.Args[0] != "2026-11" || e.Args[1] != (domain.Money{Minor: tc.standing.Commit, Currency: "EUR"}) || e.Args[2] != "2026-Q4" {
				t.Errorf("args = %v, want the month, its standing commit and the quarter", e.Args)
			}
		})
	}
}
