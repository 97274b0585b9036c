package forecast_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func period(name string, k forecast.Kind, start, end string) forecast.Period {
	return forecast.Period{Name: name, Kind: k, Start: day(start), End: day(end)}
}

func TestCalendarPeriods(t *testing.T) {
	tests := []struct {
		name    string
		fys     time.Month
		date    string
		quarter forecast.Period
		year    forecast.Period
	}{
		{"Jan/FirstDay", time.January, "2026-01-01",
			period("2026-Q1", forecast.Quarter, "2026-01-01", "2026-04-01"),
			period("FY2026", forecast.Year, "2026-01-01", "2027-01-01")},
		{"Jan/Q4", time.January, "2026-11-15",
			period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01"),
			period("FY2026", forecast.Year, "2026-01-01", "2027-01-01")},
		{"Jan/LastDay", time.January, "2026-12-31",
			period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01"),
			period("FY2026", forecast.Year, "2026-01-01", "2027-01-01")},
		{"Zero/IsJanuary", 0, "2026-05-05",
			period("2026-Q2", forecast.Quarter, "2026-04-01", "2026-07-01"),
			period("FY2026", forecast.Year, "2026-01-01", "2027-01-01")},
		// April start: FY2027 = 2026-04-01 … 2027-03-31, named by the year it ends.
		{"Apr/FirstDay", time.April, "2026-04-01",
			period("2027-Q1", forecast.Quarter, "2026-04-01", "2026-07-01"),
			period("FY2027", forecast.Year, "2026-04-01", "2027-04-01")},
		{"Apr/DayBefore", time.April, "2026-03-31",
			period("2026-Q4", forecast.Quarter, "2026-01-01", "2026-04-01"),
			period("FY2026", forecast.Year, "2025-04-01", "2026-04-01")},
		{"Apr/December", time.April, "2026-12-15",
			period("2027-Q3", forecast.Quarter, "2026-10-01", "2027-01-01"),
			period("FY2027", forecast.Year, "2026-04-01", "2027-04-01")},
		{"Apr/February", time.April, "2027-02-28",
			period("2027-Q4", forecast.Quarter, "2027-01-01", "2027-04-01"),
			period("FY2027", forecast.Year, "2026-04-01", "2027-04-01")},
		// October start: FY2027 = 2026-10-01 … 2027-09-30.
		{"Oct/FirstDay", time.October, "2026-10-01",
			period("2027-Q1", forecast.Quarter, "2026-10-01", "2027-01-01"),
			period("FY2027", forecast.Year, "2026-10-01", "2027-10-01")},
		{"Oct/DayBefore", time.October, "2026-09-30",
			period("2026-Q4", forecast.Quarter, "2026-07-01", "2026-10-01"),
			period("FY2026", forecast.Year, "2025-10-01", "2026-10-01")},
		{"Oct/NewYear", time.October, "2027-01-01",
			period("2027-Q2", forecast.Quarter, "2027-01-01", "2027-04-01"),
			period("FY2027", forecast.Year, "2026-10-01", "2027-10-01")},
		{"Oct/LeapDay", time.October, "2028-02-29",
			period("2028-Q2", forecast.Quarter, "2028-01-01", "2028-04-01"),
			period("FY2028", forecast.Year, "2027-10-01", "2028-10-01")},
		// A start that does not line up with calendar quarters.
		{"Feb/January", time.February, "2027-01-31",
			period("2027-Q4", forecast.Quarter, "2026-11-01", "2027-02-01"),
			period("FY2027", forecast.Year, "2026-02-01", "2027-02-01")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := forecast.Calendar{FiscalYearStart: tc.fys}
			d := day(tc.date)
			if got := c.Quarter(d); got != tc.quarter {
				t.Errorf("Quarter(%s) = %+v, want %+v", d, got, tc.quarter)
			}
			if got := c.Year(d); got != tc.year {
				t.Errorf("Year(%s) = %+v, want %+v", d, got, tc.year)
			}
			m := c.Month(d)
			if m.Name != tc.date[:7] || m.Kind != forecast.Month || !m.Contains(d) {
				t.Errorf("Month(%s) = %+v", d, m)
			}
			for _, p := range []forecast.Period{tc.quarter, tc.year} {
				got, err := c.ParsePeriod(p.Name)
				if err != nil || got != p {
					t.Errorf("ParsePeriod(%q) = %+v, %v, want %+v", p.Name, got, err, p)
				}
			}
		})
	}
}

func TestCalendarNextPrev(t *testing.T) {
	oct := forecast.Calendar{FiscalYearStart: time.October}
	jan := forecast.Calendar{}
	tests := []struct {
		name       string
		cal        forecast.Calendar
		p          string
		prev, next forecast.Period
	}{
		{"Oct/Q4", oct, "2027-Q4",
			period("2027-Q3", forecast.Quarter, "2027-04-01", "2027-07-01"),
			period("2028-Q1", forecast.Quarter, "2027-10-01", "2028-01-01")},
		{"Oct/Q1", oct, "2027-Q1",
			period("2026-Q4", forecast.Quarter, "2026-07-01", "2026-10-01"),
			period("2027-Q2", forecast.Quarter, "2027-01-01", "2027-04-01")},
		{"Oct/Year", oct, "FY2027",
			period("FY2026", forecast.Year, "2025-10-01", "2026-10-01"),
			period("FY2028", forecast.Year, "2027-10-01", "2028-10-01")},
		{"Jan/December", jan, "2026-12",
			period("2026-11", forecast.Month, "2026-11-01", "2026-12-01"),
			period("2027-01", forecast.Month, "2027-01-01", "2027-02-01")},
		{"Jan/January", jan, "2026-01",
			period("2025-12", forecast.Month, "2025-12-01", "2026-01-01"),
			period("2026-02", forecast.Month, "2026-02-01", "2026-03-01")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.cal.ParsePeriod(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.cal.Prev(p); got != tc.prev {
				t.Errorf("Prev = %+v, want %+v", got, tc.prev)
			}
			if got := tc.cal.Next(p); got != tc.next {
				t.Errorf("Next = %+v, want %+v", got, tc.next)
			}
		})
	}
}

// TestCalendarTiles checks, for every fiscal start and every day of three
// years, that the day's periods contain it, parse back from their names,
// and chain: Next(Prev(p)) is p and Prev's End is p's Start.
func TestCalendarTiles(t *testing.T) {
	for fys := time.January; fys <= time.December; fys++ {
		c := forecast.Calendar{FiscalYearStart: fys}
		for d := day("2025-01-01"); d.Before(day("2028-01-01")); d = d.AddDays(1) {
			for _, k := range []forecast.Kind{forecast.Month, forecast.Quarter, forecast.Year} {
				p := c.Period(k, d)
				if !p.Contains(d) || p.Kind != k {
					t.Fatalf("fys %d: Period(%v, %s) = %+v", fys, k, d, p)
				}
				if back, err := c.ParsePeriod(p.Name); err != nil || back != p {
					t.Fatalf("fys %d: ParsePeriod(%q) = %+v, %v, want %+v", fys, p.Name, back, err, p)
				}
				prev := c.Prev(p)
				if prev.End != p.Start || c.Next(prev) != p {
					t.Fatalf("fys %d: %s does not chain with %s", fys, p.Name, prev.Name)
				}
			}
		}
		// A fiscal year's quarters tile it; its months are twelve.
		y := c.Year(day("2026-06-15"))
		qs := c.Quarters(y)
		if len(qs) != 4 || qs[0].Start != y.Start || qs[3].End != y.End || len(y.Months()) != 12 {
			t.Errorf("fys %d: quarters of %s: %+v", fys, y.Name, qs)
		}
		for i := 1; i < len(qs); i++ {
			if qs[i-1].End != qs[i].Start {
				t.Errorf("fys %d: %s and %s do not chain", fys, qs[i-1].Name, qs[i].Name)
			}
		}
	}
}

func TestPeriodDays(t *testing.T) {
	p := period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01")
	tests := []struct {
		date string
		in   bool
	}{
		{"2026-09-30", false},
		{"2026-10-01", true},
		{"2026-12-31", true},
		{"2027-01-01", false},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if got := p.Contains(day(tc.date)); got != tc.in {
				t.Errorf("Contains = %v, want %v", got, tc.in)
			}
		})
	}
	t.Run("Last", func(t *testing.T) {
		if got := p.Last(); got != day("2026-12-31") {
			t.Errorf("Last = %s", got)
		}
	})
	t.Run("Months", func(t *testing.T) {
		var names []string
		for _, m := range p.Months() {
			names = append(names, m.Name)
		}
		if got := len(names); got != 3 || names[0] != "2026-10" || names[2] != "2026-12" {
			t.Errorf("Months = %v", names)
		}
	})
}

func TestParsePeriod(t *testing.T) {
	c := forecast.Calendar{FiscalYearStart: time.October}
	ok := []struct {
		in   string
		want forecast.Period
	}{
		{"2026-11", period("2026-11", forecast.Month, "2026-11-01", "2026-12-01")},
		{" 2026-q4 ", period("2026-Q4", forecast.Quarter, "2026-07-01", "2026-10-01")},
		{"fy2027", period("FY2027", forecast.Year, "2026-10-01", "2027-10-01")},
	}
	for _, tc := range ok {
		t.Run("OK/"+tc.in, func(t *testing.T) {
			got, err := c.ParsePeriod(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("ParsePeriod(%q) = %+v, %v, want %+v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"", "2026", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-1", "26-Q1",
		"2026Q4", "2026-Q", "FY26", "FY", "0000-01", "2026-Q4x", "Q4 2026", "２０２６-01"} {
		t.Run("Bad/"+in, func(t *testing.T) {
			_, err := c.ParsePeriod(in)
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("ParsePeriod(%q) err = %v, want EINVALID", in, err)
			}
		})
	}
}

func TestCalendarCurrent(t *testing.T) {
	tests := []struct {
		name    string
		loc     *time.Location
		now     time.Time
		quarter string
		week    string
	}{
		// 23:30 UTC on New Year's Eve is already 2027 in Paris (UTC+1).
		{"EastOfUTC", cet, time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "2027-Q1", "2026-W53"},
		{"UTC", nil, time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "2026-Q4", "2026-W53"},
		// 05:00 UTC on New Year's Day is still 2026 in Honolulu (UTC−10).
		{"WestOfUTC", time.FixedZone("HST", -10*3600), time.Date(2027, 1, 1, 5, 0, 0, 0, time.UTC), "2026-Q4", "2026-W53"},
		{"Monday", cet, time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), "2026-Q4", "2026-W48"},
		{"Sunday", nil, time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), "2026-Q4", "2026-W47"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := forecast.Calendar{FiscalYearStart: time.January, Location: tc.loc}
			if got := c.Current(tc.now).Name; got != tc.quarter {
				t.Errorf("Current = %s, want %s", got, tc.quarter)
			}
			if got := c.Week(tc.now); got != tc.week {
				t.Errorf("Week = %s, want %s", got, tc.week)
			}
		})
	}
}

func TestISOWeek(t *testing.T) {
	tests := []struct{ date, want string }{
		{"2026-11-23", "2026-W48"},
		{"2026-11-29", "2026-W48"}, // Sunday ends the week
		{"2027-01-01", "2026-W53"}, // 2026 has 53 ISO weeks
		{"2024-12-30", "2025-W01"}, // a Monday in December can open next year's first week
		{"2026-01-05", "2026-W02"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			if got := forecast.ISOWeek(day(tc.date)); got != tc.want {
				t.Errorf("ISOWeek = %s, want %s", got, tc.want)
			}
		})
	}
}
