package forecast_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// callOutcome is what CallForm.Apply answered in one comparable string:
// "ok", each field error as field:key in order, or an error's code and key.
func callOutcome(err error) string {
	var es domain.Errors
	var e *domain.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &es):
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = string(e.Field) + ":" + e.Key
		}
		return strings.Join(parts, " ")
	case errors.As(err, &e):
		return e.Code + " " + e.Key
	}
	return "error " + err.Error()
}

// TestCallForm holds the call form to each rule in the order Apply says:
// every row also breaks every rule after its own, so a guard removed, or
// moved later, fails its row.
func TestCallForm(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	cal := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	teams := []forecast.Team{
		{Name: "France", Manager: mgr1, Members: []domain.UserID{alice, bob}},
		{Name: "Benelux", Manager: mgr2, Members: []domain.UserID{david}},
	}
	// Alice's month call for November stands at €150.
	standing := []forecast.Call{{User: alice, Period: "2026-11", Week: "2026-W46", At: now.Add(-7 * 24 * time.Hour), Commit: 15_000, BestCase: 15_000}}
	type amounts struct{ commit, best, month string }
	tests := []struct {
		name         string
		by           domain.UserID
		period, team string
		month        string
		a            amounts
		want         string
		wantMonth    int64 // the month call's commit; 0 for none
	}{
		{name: "ErrPeriodFirst", by: frank, period: "2026-Q9", team: "France", month: "2027-01", a: amounts{"", "lots", "x"},
			want: "invalid forecast.bad_period"},
		{name: "ErrNotTheTeamsManager", by: alice, period: "2026-Q4", team: "France", month: "2027-01", a: amounts{"", "lots", "x"},
			want: "forbidden forecast.call_not_manager"},
		{name: "ErrAnotherTeamsManager", by: mgr1, period: "2026-Q4", team: "Benelux", a: amounts{"100", "200", ""},
			want: "forbidden forecast.call_not_manager"},
		{name: "ErrNoSuchTeam", by: mgr1, period: "2026-Q4", team: "Nordics", a: amounts{"100", "200", ""},
			want: "forbidden forecast.call_not_manager"},
		{name: "ErrNoTeam", by: frank, period: "2026-Q4", month: "2027-01", a: amounts{"", "lots", "x"},
			want: "forbidden forecast.call_no_team"},
		{name: "ErrMonthOutsideTheQuarter", by: alice, period: "2026-Q4", month: "2027-01", a: amounts{"", "lots", "x"},
			want: "invalid forecast.call_incomplete"},
		{name: "ErrMonthBeforeTheQuarter", by: alice, period: "2026-Q4", month: "2026-09", a: amounts{"100", "200", "50"},
			want: "invalid forecast.call_incomplete"},
		{name: "ErrMonthNotAMonth", by: alice, period: "2026-Q4", month: "2026-Q4", a: amounts{"100", "50", ""},
			want: "invalid forecast.call_incomplete"},
		{name: "ErrEveryAmount", by: alice, period: "2026-Q4", month: "2026-11", a: amounts{"", "lots", "x"},
			want: "commit:forecast.call_required best_case:parse.amount month_commit:parse.amount"},
		{name: "ErrAmountsBeforeTheMonth", by: alice, period: "2026-Q4", month: "2027-01", a: amounts{"", "lots", ""},
			want: "commit:forecast.call_required best_case:parse.amount"},
		{name: "ErrMonthAboveQuarter", by: alice, period: "2026-Q4", month: "2026-11", a: amounts{"100", "50", "150"},
			want: "month_commit:forecast.month_above_quarter"},
		{name: "ErrStandingMonthCallAbove", by: alice, period: "2026-Q4", month: "2026-11", a: amounts{"100", "50", ""},
			want: "month_commit:forecast.month_call_stands"},
		{name: "ErrBestBelowCommit", by: alice, period: "2026-Q4", a: amounts{"100", "50", ""},
			want: "best_case:forecast.call_best_below_commit"},
		{name: "OK", by: alice, period: "2026-Q4", month: "2026-11", a: amounts{"200", "300", "150"}, want: "ok", wantMonth: 15_000},
		{name: "OKStandingMonthCallBelow", by: alice, period: "2026-Q4", month: "2026-11", a: amounts{"200", "300", ""}, want: "ok"},
		{name: "OKAnothersStandingCall", by: bob, period: "2026-Q4", month: "2026-11", a: amounts{"100", "300", " "}, want: "ok"},
		{name: "OKTeamCall", by: mgr1, period: "2026-q4", team: " france", a: amounts{"100", "300", ""}, want: "ok"},
		{name: "OKMonthCall", by: bob, period: "2026-11", a: amounts{"100", "300", ""}, want: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := forecast.CallForm{
				Submission: domain.Submission{By: tt.by, Values: map[domain.Field]string{
					forecast.FieldCommit: tt.a.commit, forecast.FieldBestCase: tt.a.best, forecast.FieldMonthCommit: tt.a.month,
					forecast.FieldComment: "  Two renewals  ",
				}},
				Period: tt.period, Team: tt.team, Month: tt.month, Teams: teams, Calendar: cal, Locale: i18n.EN, Currency: "EUR",
			}
			call, month, err := f.Apply(now, func(period string) ([]forecast.Call, error) {
				if period != "2026-11" {
					t.Errorf("calls of %s read; the month is 2026-11", period)
				}
				return standing, nil
			})
			if got := callOutcome(err); got != tt.want {
				t.Fatalf("Apply = %s; want %s", got, tt.want)
			}
			if err != nil {
				if month != nil || call != (forecast.Call{}) {
					t.Errorf("a refusal returned calls %+v %+v", call, month)
				}
				return
			}
			p, _ := cal.ParsePeriod(tt.period)
			want := forecast.Call{User: tt.by, Team: tt.team, Period: p.Name, Week: "2026-W48", At: now,
				Comment: "Two renewals", Commit: amount(tt.a.commit), BestCase: amount(tt.a.best)}
			if call != want {
				t.Errorf("call %+v; want %+v", call, want)
			}
			switch {
			case tt.wantMonth == 0 && month != nil:
				t.Errorf("a month call %+v; want none", month)
			case tt.wantMonth != 0 && (month == nil || *month != forecast.Call{User: tt.by, Team: tt.team, Period: tt.month,
				Week: "2026-W48", At: now, Commit: tt.wantMonth, BestCase: tt.wantMonth}):
				t.Errorf("month call %+v; want %s at %d", month, tt.month, tt.wantMonth)
			}
		})
	}
}

// amount is s whole euros in cents.
func amount(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n * 100
}

// TestCallFormReadsStandingCallsOnlyWhenItMust: the calls as stored are
// read for a month left empty, and only then; failing to read them refuses.
func TestCallFormReadsStandingCallsOnlyWhenItMust(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	broken := errors.New("calls unreadable")
	read := 0
	calls := func(string) ([]forecast.Call, error) { read++; return nil, broken }
	f := forecast.CallForm{
		Submission: domain.Submission{By: alice, Values: map[domain.Field]string{forecast.FieldCommit: "100", forecast.FieldBestCase: "200", forecast.FieldMonthCommit: "50"}},
		Period:     "2026-Q4", Month: "2026-11", Teams: []forecast.Team{{Name: "France", Manager: mgr1, Members: []domain.UserID{alice}}},
		Calendar: forecast.Calendar{Location: time.UTC}, Locale: i18n.EN, Currency: "EUR",
	}
	if _, _, err := f.Apply(now, calls); err != nil || read != 0 {
		t.Fatalf("month given: %v, calls read %d times", err, read)
	}
	f.Values[forecast.FieldMonthCommit] = ""
	if _, _, err := f.Apply(now, calls); !errors.Is(err, broken) || read != 1 {
		t.Fatalf("month left empty: %v, calls read %d times; want the reader's error", err, read)
	}
}
