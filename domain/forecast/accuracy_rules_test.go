package forecast_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestBiasOf(t *testing.T) {
	tests := []struct {
		name string
		errs []int
		want forecast.Bias
	}{
		{"None", nil, forecast.BiasUnknown},
		{"OnePeriod", []int{5000}, forecast.BiasUnknown},
		{"ExactlyRight", []int{0, 0}, forecast.BiasAccurate},
		{"WithinTolerance", []int{499, -499, 0}, forecast.BiasAccurate},
		{"AtTolerance/Over", []int{500, 0}, forecast.BiasOver},
		{"AtTolerance/Under", []int{-500, 0}, forecast.BiasUnder},
		{"Over", []int{1200, 800, 300, 100}, forecast.BiasOver},
		{"Under", []int{-2500, -2000, -1000}, forecast.BiasUnder},
		{"Mixed", []int{1200, 800, -300, 100}, forecast.BiasMixed},
		{"Mixed/SmallOpposite", []int{2500, -1}, forecast.BiasMixed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := forecast.BiasOf(tc.errs); got != tc.want {
				t.Errorf("BiasOf(%v) = %s, want %s", tc.errs, got, tc.want)
			}
		})
	}
}

func TestM1Day(t *testing.T) {
	cal := forecast.Calendar{FiscalYearStart: time.October}
	tests := []struct{ period, want string }{
		{"2027-Q1", "2026-12-01"}, // Oct–Dec 2026: one month before 2027-01-01
		{"2027-02", "2027-02-22"}, // a month: its last week (Feb 22–28)
		{"2028-02", "2028-02-23"}, // leap February: its last seven days, Feb 23–29
		{"2026-12", "2026-12-25"},
		{"FY2027", "2027-09-01"},
	}
	for _, tc := range tests {
		t.Run(tc.period, func(t *testing.T) {
			p, err := cal.ParsePeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			if got := forecast.M1Day(p); got != day(tc.want) {
				t.Errorf("M1Day(%s) = %s, want %s", tc.period, got, tc.want)
			}
		})
	}
}

func TestClosedPeriods(t *testing.T) {
	cal := forecast.Calendar{FiscalYearStart: time.October}
	names := func(ps []forecast.Period) (out []string) {
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	if got, want := names(cal.ClosedPeriods(forecast.Month, day("2027-01-31"), 4)), []string{"2026-09", "2026-10", "2026-11", "2026-12"}; !reflect.DeepEqual(got, want) {
		t.Errorf("months = %v, want %v", got, want)
	}
	// Fiscal quarters from October: 2027-Q2 is Jan–Mar 2027.
	if got, want := names(cal.ClosedPeriods(forecast.Quarter, day("2027-01-01"), 4)), []string{"2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("quarters = %v, want %v", got, want)
	}
}

// TestAccuracyRules: the edge cases of the signed error, one rep (ana of
// the h1 fixture's team) and one month, 2027-04, won 30,000.
func TestAccuracyRules(t *testing.T) {
	org := hOrg(t)
	p, _ := hCal.ParsePeriod("2027-04")
	final := hDealsAt(utcAt("2027-07-05", 8))
	snaps := hSnaps()
	call := func(period, date string, hour int, euros int64) forecast.Call {
		at := utcAt(date, hour)
		return forecast.Call{User: hAna, Period: period, Week: hCal.Week(at), At: at, Commit: eur(euros), BestCase: eur(euros)}
	}
	type want struct {
		has    bool
		called int64
		err    int
		unmeas bool
	}
	tests := []struct {
		name          string
		calls         []forecast.Call
		deals         []*domain.Deal
		start, m1     want
		startAt, m1At string // the points' weeks
	}{
		{"NoCall", nil, final, want{}, want{}, "2027-W14", "2027-W17"},
		{"ExactlyRight", []forecast.Call{call("2027-04", "2027-04-05", 9, 30_000)}, final,
			want{true, eur(30_000), 0, false}, want{true, eur(30_000), 0, false}, "2027-W14", "2027-W17"},
		{"Sandbagging", []forecast.Call{call("2027-04", "2027-04-05", 9, 24_000)}, final,
			want{true, eur(24_000), -2000, false}, want{true, eur(24_000), -2000, false}, "2027-W14", "2027-W17"},
		// Nothing won in April (A4 lost): a call of 0 is right, any other
		// cannot be measured (no error; kept out of the bias label).
		{"NothingWon", []forecast.Call{call("2027-04", "2027-04-05", 9, 5_000), call("2027-04", "2027-04-26", 9, 0)},
			lostA4(final), want{true, eur(5_000), 0, true}, want{true, 0, 0, false}, "2027-W14", "2027-W17"},
		// Made on the month's last day at 23:00: still a forecast; made on
		// May 1st (same ISO week as April 26): after the fact, ignored.
		{"CallAfterEnd", []forecast.Call{call("2027-04", "2027-04-05", 9, 33_000), call("2027-04", "2027-05-01", 9, 30_000)}, final,
			want{true, eur(33_000), 1000, false}, want{true, eur(33_000), 1000, false}, "2027-W14", "2027-W17"},
		{"CallOnLastDay", []forecast.Call{call("2027-04", "2027-04-05", 9, 33_000), call("2027-04", "2027-04-30", 23, 30_000)}, final,
			want{true, eur(33_000), 1000, false}, want{true, eur(30_000), 0, false}, "2027-W14", "2027-W17"},
		// A call for the quarter or another month is not April's.
		{"OtherPeriod", []forecast.Call{call("2027-Q2", "2027-04-05", 9, 30_000), call("2027-05", "2027-04-26", 9, 30_000)}, final,
			want{}, want{}, "2027-W14", "2027-W17"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := org.Accuracy(p, org.Rollup(p, tc.deals), tc.calls, snaps)
			l := repLine(r, hAna)()
			for _, c := range []struct {
				point, week string
				w           want
			}{{forecast.PointStart, tc.startAt, tc.start}, {forecast.PointM1, tc.m1At, tc.m1}} {
				a, ok := l.Point(c.point)
				if !ok {
					t.Fatalf("no %s point", c.point)
				}
				if a.Week != c.week || a.HasCall != c.w.has || a.Called != c.w.called || a.ErrorBP != c.w.err || a.Unmeasurable != c.w.unmeas {
					t.Errorf("%s: week %s call %v %d error %d unmeasurable %v; want week %s call %v %d error %d unmeasurable %v",
						c.point, a.Week, a.HasCall, a.Called, a.ErrorBP, a.Unmeasurable, c.week, c.w.has, c.w.called, c.w.err, c.w.unmeas)
				}
			}
		})
	}
}

func lostA4(ds []*domain.Deal) []*domain.Deal {
	out := make([]*domain.Deal, len(ds))
	for i, d := range ds {
		c := *d
		if c.ID == 4 {
			c.Status = lost
		}
		out[i] = &c
	}
	return out
}

// TestAccuracyHistoryGaps: a rep in only some reports gets empty cells
// where absent; a period with neither snapshot nor call is left out.
func TestAccuracyHistoryGaps(t *testing.T) {
	a := func(e int) *forecast.Accuracy {
		return &forecast.Accuracy{Point: forecast.PointStart, HasCall: true, ErrorBP: e}
	}
	reports := []*forecast.AccuracyReport{
		{Period: "2027-03", Reps: []forecast.AccuracyLine{{User: hAna, Team: "North", Actual: 5,
			Points: []forecast.Accuracy{{Point: forecast.PointStart, HasCall: true, ErrorBP: 800}}}}},
		{Period: "2027-04", Reps: []forecast.AccuracyLine{
			{User: hAna, Team: "North", Actual: 7, Points: []forecast.Accuracy{{Point: forecast.PointStart, HasCall: true, ErrorBP: 600}}},
			{User: hCy, Team: "North", Actual: 9, Points: []forecast.Accuracy{{Point: forecast.PointStart, HasCall: true, ErrorBP: -700}}}}},
	}
	h := forecast.History(forecast.Month, reports)
	ana, _ := h.Rep(hAna)
	cy, _ := h.Rep(hCy)
	if !reflect.DeepEqual(ana.Cells, []forecast.AccuracyCell{{Period: "2027-03", Actual: 5, Start: a(800)}, {Period: "2027-04", Actual: 7, Start: a(600)}}) || ana.StartBias != forecast.BiasOver {
		t.Errorf("ana = %+v", ana)
	}
	if !reflect.DeepEqual(cy.Cells, []forecast.AccuracyCell{{Period: "2027-03"}, {Period: "2027-04", Actual: 9, Start: a(-700)}}) || cy.StartBias != forecast.BiasUnknown {
		t.Errorf("cy = %+v", cy)
	}

	// Nothing at all forecast: no period.
	org := hOrg(t)
	if got := org.AccuracyHistory(forecast.Month, day("2027-07-05"), nil, nil, nil); len(got.Periods) != 0 || len(got.Reps) != 0 {
		t.Errorf("history of nothing = %+v", got)
	}
	// Only a call for May, made in May: May alone.
	at := utcAt("2027-05-03", 9)
	c := forecast.Call{User: hAna, Period: "2027-05", Week: hCal.Week(at), At: at, Commit: eur(1)}
	if got := org.AccuracyHistory(forecast.Month, day("2027-07-05"), nil, []forecast.Call{c}, nil).Periods; !reflect.DeepEqual(got, []string{"2027-05"}) {
		t.Errorf("periods = %v, want [2027-05]", got)
	}
	// The same call made after May: May was not forecast.
	c.At = utcAt("2027-06-01", 9)
	if got := org.AccuracyHistory(forecast.Month, day("2027-07-05"), nil, []forecast.Call{c}, nil).Periods; len(got) != 0 {
		t.Errorf("periods = %v, want none", got)
	}
}
