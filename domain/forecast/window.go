package forecast

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Window is the days a command or report reads, as one period syntax names
// them everywhere (/forecast, /pipeline, /pipeline losses, every
// `dealpilot report`): a fiscal period (Period set), or a number of days
// ending today (Days set). From and To are its first and last day.
type Window struct {
	Name   string // canonical: "2026-Q4", "2026-11", "FY2026" or "90d"
	Period Period // the fiscal month, quarter or year; zero for a number of days
	Days   int    // the number of days ending today; 0 for a fiscal period
	From   domain.Date
	To     domain.Date
}

// Fiscal reports whether w is a fiscal month, quarter or year (the only
// windows a forecast, its quotas and calls are kept for).
func (w Window) Fiscal() bool { return !w.Period.IsZero() }

// SoFar returns w's days up to today: a period still running ends today.
// It reports false when w has not begun by today.
func (w Window) SoFar(today domain.Date) (Window, bool) {
	if w.From.After(today) {
		return w, false
	}
	if w.To.After(today) {
		w.To = today
	}
	return w, true
}

// PeriodForms is what ParseWindow accepts, in the words of the message
// that refuses anything else.
const PeriodForms = "2026-Q4, 2026-11, 2026, 90d, 12w, this-quarter, this-month, this-year, last-quarter, last-month, last-year"

// FiscalForms is what ParseFiscal accepts (a forecast, its quotas and
// calls are kept per fiscal period), in the words of its refusals.
const FiscalForms = "2026-Q4, 2026-11, 2026, this-quarter, this-month, this-year, last-quarter, last-month, last-year"

// ParseFiscal reads a fiscal period in the one syntax (ParseWindow), for
// what is kept per fiscal period (the forecast, quotas, calls). A number
// of days is refused with period.not_fiscal, anything else with
// period.bad_fiscal; both quote what was typed, as typed ("12w", not
// "84d"), and name only the forms accepted here.
func (c Calendar) ParseFiscal(s string, today domain.Date) (Period, error) {
	typed := strings.TrimSpace(s)
	w, ok := c.parseWindow(s, today)
	if !ok {
		return Period{}, domain.Errorf(domain.EINVALID, "period.bad_fiscal", typed, FiscalForms)
	}
	if !w.Fiscal() {
		return Period{}, domain.Errorf(domain.EINVALID, "period.not_fiscal", typed, FiscalForms)
	}
	return w.Period, nil
}

// windowDays matches a number of days or weeks: "90d", "12w", "6 weeks",
// "30j", "2 semaines".
var windowDays = regexp.MustCompile(`^(\d{1,4})\s*(d|days?|j|jours?|w|weeks?|s|sem|semaines?)$`)

// ParseWindow reads a period in the one syntax every command and report
// takes, in any case and with surrounding spaces:
//
//	2026-Q4              a fiscal quarter (by fiscal_year_start)
//	2026-11              a calendar month
//	2026, FY2026         a fiscal year, named by the calendar year it ends in
//	90d, 12w, 30j, 2s    the number of days (or weeks) ending today
//	this-quarter, this-month, this-year   the fiscal period holding today
//	last-quarter, last-month, last-year   the one before it
//
// The older words stay as aliases: month, quarter, year (French mois,
// trimestre, année) for this-month, this-quarter, this-year. Anything
// else is refused with an EINVALID error naming the accepted forms.
func (c Calendar) ParseWindow(s string, today domain.Date) (Window, error) {
	w, ok := c.parseWindow(s, today)
	if !ok {
		return Window{}, domain.Errorf(domain.EINVALID, "period.bad", strings.TrimSpace(s), PeriodForms)
	}
	return w, nil
}

func (c Calendar) parseWindow(s string, today domain.Date) (Window, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	fiscal := func(p Period) (Window, bool) {
		return Window{Name: p.Name, Period: p, From: p.Start, To: p.Last()}, true
	}
	switch t {
	case "this-month", "month", "mois":
		return fiscal(c.Month(today))
	case "this-quarter", "quarter", "trimestre":
		return fiscal(c.Quarter(today))
	case "this-year", "year", "année", "annee":
		return fiscal(c.Year(today))
	case "last-month":
		return fiscal(c.Prev(c.Month(today)))
	case "last-quarter":
		return fiscal(c.Prev(c.Quarter(today)))
	case "last-year":
		return fiscal(c.Prev(c.Year(today)))
	}
	if m := windowDays.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		if u := m[2]; u[0] == 'w' || u[0] == 's' {
			n *= 7
		}
		if n < 1 || n > 3660 {
			return Window{}, false
		}
		return Window{Name: strconv.Itoa(n) + "d", Days: n, From: today.AddDays(1 - n), To: today}, true
	}
	if y, ok := digits(t, 4); ok {
		if y < 1 {
			return Window{}, false
		}
		return fiscal(c.year(y))
	}
	if p, ok := c.parsePeriod(t); ok {
		return fiscal(p)
	}
	return Window{}, false
}
