package forecast

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Kind is the length of a period.
type Kind int8

// Period kinds.
const (
	Month Kind = iota + 1
	Quarter
	Year
)

// String returns "month", "quarter" or "year", the words config uses.
func (k Kind) String() string {
	switch k {
	case Month:
		return "month"
	case Quarter:
		return "quarter"
	case Year:
		return "year"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// parseKind accepts the words String returns.
func parseKind(s string) (Kind, bool) {
	switch s {
	case "month":
		return Month, true
	case "quarter":
		return Quarter, true
	case "year":
		return Year, true
	}
	return 0, false
}

// Period is a fiscal month, quarter or year: the days from Start up to, but
// not including, End. Half-open periods chain without gaps (a period's End is
// the next one's Start); Last gives the inclusive last day for display.
type Period struct {
	Name  string // "2026-11", "2026-Q4" or "FY2026"
	Kind  Kind
	Start domain.Date // first day
	End   domain.Date // the day after the last day
}

// String returns the period's name.
func (p Period) String() string { return p.Name }

// IsZero reports whether p is unset.
func (p Period) IsZero() bool { return p.Name == "" }

// Last returns the period's last day.
func (p Period) Last() domain.Date { return p.End.AddDays(-1) }

// Contains reports whether d is one of the period's days.
func (p Period) Contains(d domain.Date) bool {
	return !d.Before(p.Start) && d.Before(p.End)
}

// span is a period as two sortable day numbers, for the hot loops.
type span struct{ start, end int }

func spanOf(p Period) span { return span{dayKey(p.Start), dayKey(p.End)} }

func (s span) contains(d domain.Date) bool {
	k := dayKey(d)
	return k >= s.start && k < s.end
}

// dayKey maps a date to an int that sorts like the date: 20261231.
func dayKey(d domain.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// Months returns the calendar months that make up the period, in order
// (one for a month, three for a quarter, twelve for a year).
func (p Period) Months() []Period {
	var ms []Period
	for d := p.Start; d.Before(p.End); d = domain.NewDate(d.Year, d.Month+1, 1) {
		ms = append(ms, monthOf(d))
	}
	return ms
}

// Calendar is a company's fiscal calendar.
//
// The fiscal year starts on the first day of FiscalYearStart (January when
// zero) and is named after the calendar year in which it ends: with
// FiscalYearStart October, FY2027 runs from 2026-10-01 to 2027-09-30 and its
// first quarter, 2027-Q1, is October to December 2026. With a January start
// the fiscal year is the calendar year. Months are named by their calendar
// year and month ("2026-11" is always November 2026), never by fiscal month
// number, so a month's name does not depend on the calendar.
//
// Location is the company's time zone (UTC when nil): it decides which day,
// and so which period and week, an instant falls in.
type Calendar struct {
	FiscalYearStart time.Month
	Location        *time.Location
}

func (c Calendar) start() time.Month {
	if c.FiscalYearStart < time.January || c.FiscalYearStart > time.December {
		return time.January
	}
	return c.FiscalYearStart
}

func (c Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Today returns the day t falls on in the company's time zone.
func (c Calendar) Today(t time.Time) domain.Date { return domain.DateOf(t.In(c.loc())) }

// Week returns the ISO week t falls in, in the company's time zone.
func (c Calendar) Week(t time.Time) string { return ISOWeek(c.Today(t)) }

// Current returns the fiscal quarter that now falls in, in the company's
// time zone: the period a forecast is about unless one is named.
func (c Calendar) Current(now time.Time) Period { return c.Quarter(c.Today(now)) }

// Period returns the period of the given kind that contains d.
func (c Calendar) Period(k Kind, d domain.Date) Period {
	switch k {
	case Month:
		return c.Month(d)
	case Year:
		return c.Year(d)
	}
	return c.Quarter(d)
}

// Month returns the calendar month that contains d.
func (c Calendar) Month(d domain.Date) Period { return monthOf(d) }

func monthOf(d domain.Date) Period {
	return Period{
		Name:  fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)),
		Kind:  Month,
		Start: domain.Date{Year: d.Year, Month: d.Month, Day: 1},
		End:   domain.NewDate(d.Year, d.Month+1, 1),
	}
}

// fiscal returns the name of the fiscal year d falls in and d's fiscal
// month, 0 for the first month of the fiscal year to 11 for the last.
func (c Calendar) fiscal(d domain.Date) (fy, fm int) {
	s := c.start()
	fm = (int(d.Month) - int(s) + 12) % 12
	startYear := d.Year
	if d.Month < s {
		startYear--
	}
	return c.yearName(startYear), fm
}

// yearName names the fiscal year that starts in startYear: the calendar
// year of its last month.
func (c Calendar) yearName(startYear int) int {
	if c.start() == time.January {
		return startYear
	}
	return startYear + 1
}

// startYear is the calendar year in which fiscal year fy starts.
func (c Calendar) startYear(fy int) int {
	if c.start() == time.January {
		return fy
	}
	return fy - 1
}

// Quarter returns the fiscal quarter that contains d.
func (c Calendar) Quarter(d domain.Date) Period {
	fy, fm := c.fiscal(d)
	return c.quarter(fy, fm/3+1)
}

func (c Calendar) quarter(fy, q int) Period {
	sy, s := c.startYear(fy), c.start()
	return Period{
		Name:  fmt.Sprintf("%04d-Q%d", fy, q),
		Kind:  Quarter,
		Start: domain.NewDate(sy, s+time.Month(3*(q-1)), 1),
		End:   domain.NewDate(sy, s+time.Month(3*q), 1),
	}
}

// Year returns the fiscal year that contains d.
func (c Calendar) Year(d domain.Date) Period {
	fy, _ := c.fiscal(d)
	return c.year(fy)
}

func (c Calendar) year(fy int) Period {
	sy, s := c.startYear(fy), c.start()
	return Period{
		Name:  fmt.Sprintf("FY%04d", fy),
		Kind:  Year,
		Start: domain.NewDate(sy, s, 1),
		End:   domain.NewDate(sy+1, s, 1),
	}
}

// Quarters returns the fiscal quarters of a fiscal year, in order. Any
// other period has none.
func (c Calendar) Quarters(p Period) []Period {
	if p.Kind != Year {
		return nil
	}
	fy, _ := c.fiscal(p.Start)
	qs := make([]Period, 4)
	for i := range qs {
		qs[i] = c.quarter(fy, i+1)
	}
	return qs
}

// Next returns the period of the same kind that follows p.
func (c Calendar) Next(p Period) Period { return c.Period(p.Kind, p.End) }

// Prev returns the period of the same kind that precedes p.
func (c Calendar) Prev(p Period) Period { return c.Period(p.Kind, p.Start.AddDays(-1)) }

// ParsePeriod reads a period's name: "2026-11" (a month), "2026-Q4" (a
// fiscal quarter) or "FY2026" (a fiscal year), in any case and with
// surrounding spaces. Years run from 1 to 9999.
func (c Calendar) ParsePeriod(s string) (Period, error) {
	p, ok := c.parsePeriod(s)
	if !ok {
		return Period{}, domain.Errorf(domain.EINVALID, "forecast.bad_period", s)
	}
	return p, nil
}

func (c Calendar) parsePeriod(s string) (Period, bool) {
	t := strings.ToUpper(strings.TrimSpace(s))
	bad := func() (Period, bool) { return Period{}, false }
	if rest, ok := strings.CutPrefix(t, "FY"); ok {
		y, ok := digits(rest, 4)
		if !ok || y < 1 {
			return bad()
		}
		return c.year(y), true
	}
	ys, rest, ok := strings.Cut(t, "-")
	y, yok := digits(ys, 4)
	if !ok || !yok || y < 1 {
		return bad()
	}
	if q, ok := strings.CutPrefix(rest, "Q"); ok {
		n, ok := digits(q, 1)
		if !ok || n < 1 || n > 4 {
			return bad()
		}
		return c.quarter(y, n), true
	}
	m, ok := digits(rest, 2)
	if !ok || m < 1 || m > 12 {
		return bad()
	}
	return monthOf(domain.Date{Year: y, Month: time.Month(m), Day: 1}), true
}

// digits parses exactly n ASCII digits.
func digits(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// ISOWeek names the ISO 8601 week d falls in, e.g. "2026-W48". Weeks start
// on Monday and belong to the year of their Thursday, so 2027-01-01 is in
// 2026-W53. The names sort in time order.
func ISOWeek(d domain.Date) string {
	y, w := d.Time(time.UTC).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
