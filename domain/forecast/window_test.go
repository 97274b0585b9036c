package forecast_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestParseWindow is the one period syntax of every command and report.
// Each expected window is written by hand from the calendar.
func TestParseWindow(t *testing.T) {
	const wed = "2026-11-25" // a Wednesday of the calendar's Q4, FY2027's Q1 with an October start
	tests := []struct {
		name     string
		fys      time.Month
		today    string
		typed    string
		want     string // canonical name
		from, to string
		days     int
	}{
		// A January fiscal year: the calendar year.
		{"Jan/Quarter", time.January, wed, "2026-Q4", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		{"Jan/QuarterLowerCase", time.January, wed, " 2026-q4 ", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		{"Jan/Month", time.January, wed, "2026-11", "2026-11", "2026-11-01", "2026-11-30", 0},
		{"Jan/Year", time.January, wed, "2026", "FY2026", "2026-01-01", "2026-12-31", 0},
		{"Jan/FYYear", time.January, wed, "fy2026", "FY2026", "2026-01-01", "2026-12-31", 0},
		{"Jan/ThisQuarter", time.January, wed, "this-quarter", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		{"Jan/ThisQuarterMixedCase", time.January, wed, "This-Quarter", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		{"Jan/ThisMonth", time.January, wed, "this-month", "2026-11", "2026-11-01", "2026-11-30", 0},
		{"Jan/ThisYear", time.January, wed, "this-year", "FY2026", "2026-01-01", "2026-12-31", 0},
		{"Jan/LastQuarter", time.January, wed, "last-quarter", "2026-Q3", "2026-07-01", "2026-09-30", 0},
		{"Jan/LastMonth", time.January, wed, "last-month", "2026-10", "2026-10-01", "2026-10-31", 0},
		{"Jan/LastYear", time.January, wed, "last-year", "FY2025", "2025-01-01", "2025-12-31", 0},
		{"Jan/LastMonthInJanuary", time.January, "2027-01-15", "last-month", "2026-12", "2026-12-01", "2026-12-31", 0},
		{"Jan/LastQuarterInJanuary", time.January, "2027-01-15", "last-quarter", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		// The older words are aliases of this-…, in English and French.
		{"Alias/Month", time.January, wed, "month", "2026-11", "2026-11-01", "2026-11-30", 0},
		{"Alias/Mois", time.January, wed, "mois", "2026-11", "2026-11-01", "2026-11-30", 0},
		{"Alias/Quarter", time.January, wed, "quarter", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		{"Alias/Trimestre", time.January, wed, "trimestre", "2026-Q4", "2026-10-01", "2026-12-31", 0},
		{"Alias/Year", time.January, wed, "year", "FY2026", "2026-01-01", "2026-12-31", 0},
		{"Alias/Annee", time.January, wed, "année", "FY2026", "2026-01-01", "2026-12-31", 0},
		{"Alias/AnneeWithoutAccent", time.January, wed, "annee", "FY2026", "2026-01-01", "2026-12-31", 0},
		// Days ending today, today included: 90d from 25 Nov is 89 days back,
		// 24 to 1 Nov, 31 to 1 Oct, 30 to 1 Sep, 4 to 28 Aug; 12w (84 days) is 83 back, 3 Sep.
		{"Days/90d", time.January, wed, "90d", "90d", "2026-08-28", "2026-11-25", 90},
		{"Days/30d", time.January, wed, "30d", "30d", "2026-10-27", "2026-11-25", 30},
		{"Days/30j", time.January, wed, "30j", "30d", "2026-10-27", "2026-11-25", 30},
		{"Days/OneDay", time.January, wed, "1d", "1d", "2026-11-25", "2026-11-25", 1},
		{"Days/Weeks", time.January, wed, "2w", "14d", "2026-11-12", "2026-11-25", 14},
		{"Days/12Weeks", time.January, wed, "12w", "84d", "2026-09-03", "2026-11-25", 84},
		{"Days/FrenchWeeks", time.January, wed, "2 semaines", "14d", "2026-11-12", "2026-11-25", 14},
		{"Days/DaysWord", time.January, wed, "7 days", "7d", "2026-11-19", "2026-11-25", 7},
		// 2028 is a leap year: 29 Feb counts.
		{"Days/AcrossLeapDay", time.January, "2028-03-01", "3d", "3d", "2028-02-28", "2028-03-01", 3},
		{"Days/AcrossFebNoLeap", time.January, "2027-03-01", "3d", "3d", "2027-02-27", "2027-03-01", 3},
		{"Leap/February", time.January, wed, "2028-02", "2028-02", "2028-02-01", "2028-02-29", 0},
		{"Leap/FebruaryNoLeap", time.January, wed, "2027-02", "2027-02", "2027-02-01", "2027-02-28", 0},
		{"Leap/ThisMonthOnLeapDay", time.January, "2028-02-29", "this-month", "2028-02", "2028-02-01", "2028-02-29", 0},
		{"Leap/1900IsNot", time.January, wed, "1900-02", "1900-02", "1900-02-01", "1900-02-28", 0},
		{"Leap/2000Is", time.January, wed, "2000-02", "2000-02", "2000-02-01", "2000-02-29", 0},
		// An October fiscal year: FY2027 runs 2026-10-01 to 2027-09-30, its Q1
		// is October to December 2026; months keep their calendar names.
		{"Oct/ThisQuarter", time.October, wed, "this-quarter", "2027-Q1", "2026-10-01", "2026-12-31", 0},
		{"Oct/ThisYear", time.October, wed, "this-year", "FY2027", "2026-10-01", "2027-09-30", 0},
		{"Oct/Year", time.October, wed, "2027", "FY2027", "2026-10-01", "2027-09-30", 0},
		{"Oct/Quarter2", time.October, wed, "2027-Q2", "2027-Q2", "2027-01-01", "2027-03-31", 0},
		{"Oct/Quarter4", time.October, wed, "2027-Q4", "2027-Q4", "2027-07-01", "2027-09-30", 0},
		{"Oct/LastQuarter", time.October, wed, "last-quarter", "2026-Q4", "2026-07-01", "2026-09-30", 0},
		{"Oct/LastYear", time.October, wed, "last-year", "FY2026", "2025-10-01", "2026-09-30", 0},
		{"Oct/Month", time.October, wed, "2026-11", "2026-11", "2026-11-01", "2026-11-30", 0},
		{"Oct/QuarterHoldingLeapDay", time.October, wed, "2028-Q2", "2028-Q2", "2028-01-01", "2028-03-31", 0},
		{"Oct/ThisQuarterOnLeapDay", time.October, "2028-02-29", "quarter", "2028-Q2", "2028-01-01", "2028-03-31", 0},
		// An April fiscal year: FY2027 runs 2026-04-01 to 2027-03-31.
		{"Apr/Year", time.April, wed, "year", "FY2027", "2026-04-01", "2027-03-31", 0},
		{"Apr/ThisQuarter", time.April, wed, "this-quarter", "2027-Q3", "2026-10-01", "2026-12-31", 0},
		{"Apr/LastYearOnLeapDay", time.April, "2028-02-29", "last-year", "FY2027", "2026-04-01", "2027-03-31", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := forecast.Calendar{FiscalYearStart: tt.fys}
			w, err := c.ParseWindow(tt.typed, day(tt.today))
			if err != nil {
				t.Fatalf("ParseWindow(%q): %v", tt.typed, err)
			}
			if w.Name != tt.want || w.From != day(tt.from) || w.To != day(tt.to) || w.Days != tt.days {
				t.Errorf("ParseWindow(%q) = %s %v..%v (%d days); want %s %s..%s (%d days)", tt.typed, w.Name, w.From, w.To, w.Days, tt.want, tt.from, tt.to, tt.days)
			}
			if w.Fiscal() != (tt.days == 0) {
				t.Errorf("Fiscal() = %v", w.Fiscal())
			}
			if w.Fiscal() && (w.Period.Start != w.From || w.Period.Last() != w.To || w.Period.Name != w.Name) {
				t.Errorf("period %+v does not match the window %+v", w.Period, w)
			}
		})
	}
}

// TestParseWindowRefuses: anything else gets one message naming every
// accepted form, in English and French.
func TestParseWindowRefuses(t *testing.T) {
	c := forecast.Calendar{FiscalYearStart: time.October}
	for _, typed := range []string{"", "lately", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-1", "26-11", "0000",
		"FY26", "FY0000", "next-quarter", "this quarter", "-90d", "0d", "3661d", "523w", "90", "q4", "2026 Q4", "1.5d"} {
		t.Run(typed, func(t *testing.T) {
			w, err := c.ParseWindow(typed, day("2026-11-25"))
			if err == nil {
				t.Fatalf("ParseWindow(%q) = %+v; want a refusal", typed, w)
			}
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("code %s", domain.ErrorCode(err))
			}
			en, fr := i18n.ErrorMessage(i18n.EN, err), i18n.ErrorMessage(i18n.FR, err)
			for _, msg := range []string{en, fr} {
				for _, form := range []string{"2026-Q4", "2026-11", "2026,", "90d", "this-quarter", "last-month"} {
					if !strings.Contains(msg, form) {
						t.Errorf("%q does not name %s", msg, form)
					}
				}
			}
			if !strings.Contains(en, "'"+strings.TrimSpace(typed)+"'") {
				t.Errorf("%q does not quote what was typed", en)
			}
		})
	}
	// The longest accepted: 3660 days, 522 weeks.
	for _, typed := range []string{"3660d", "522w"} {
		if _, err := c.ParseWindow(typed, day("2026-11-25")); err != nil {
			t.Errorf("ParseWindow(%q): %v", typed, err)
		}
	}
}

// TestWindowSoFar: a period still running ends today; one not begun is
// refused; a past one is whole.
func TestWindowSoFar(t *testing.T) {
	c := forecast.Calendar{}
	today := day("2026-11-25")
	tests := []struct {
		typed    string
		ok       bool
		from, to string
	}{
		{"this-quarter", true, "2026-10-01", "2026-11-25"},
		{"2026-Q3", true, "2026-07-01", "2026-09-30"},
		{"2026-11", true, "2026-11-01", "2026-11-25"},
		{"90d", true, "2026-08-28", "2026-11-25"},
		{"2026-12", false, "", ""},
		{"2027", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			w, err := c.ParseWindow(tt.typed, today)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := w.SoFar(today)
			if ok != tt.ok || (ok && (got.From != day(tt.from) || got.To != day(tt.to))) {
				t.Errorf("SoFar = %v..%v, %v; want %s..%s, %v", got.From, got.To, ok, tt.from, tt.to, tt.ok)
			}
		})
	}
}

// TestParseFiscal: what is kept per fiscal period (the forecast, quotas,
// calls) takes the fiscal forms of the one syntax; a number of days, and
// anything else, is refused quoting what was typed (12w, not 84d) and
// naming only the forms it accepts, in English and French.
func TestParseFiscal(t *testing.T) {
	c := forecast.Calendar{FiscalYearStart: time.January}
	today := day("2026-11-25")
	for _, tt := range []struct{ typed, want string }{
		{"2026-Q4", "2026-Q4"}, {"2026-11", "2026-11"}, {"2026", "FY2026"}, {"this-quarter", "2026-Q4"},
		{"last-month", "2026-10"}, {"last-year", "FY2025"}, {" Quarter ", "2026-Q4"},
	} {
		p, err := c.ParseFiscal(tt.typed, today)
		if err != nil || p.Name != tt.want {
			t.Errorf("ParseFiscal(%q) = %s, %v; want %s", tt.typed, p.Name, err, tt.want)
		}
	}
	for _, tt := range []struct{ typed, quoted, en, fr string }{
		{"12w", "12w", "is a number of days", "est un nombre de jours"},
		{" 90d ", "90d", "is a number of days", "est un nombre de jours"},
		{"2 semaines", "2 semaines", "is a number of days", "est un nombre de jours"},
		{"30j", "30j", "is a number of days", "est un nombre de jours"},
		{"2026-Q9", "2026-Q9", "is not a period", "n'est pas une période"},
		{"lately", "lately", "is not a period", "n'est pas une période"},
	} {
		t.Run(tt.typed, func(t *testing.T) {
			_, err := c.ParseFiscal(tt.typed, today)
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("ParseFiscal(%q): %v; want EINVALID", tt.typed, err)
			}
			en, fr := i18n.ErrorMessage(i18n.EN, err), i18n.ErrorMessage(i18n.FR, err)
			if !strings.HasPrefix(en, "'"+tt.quoted+"' "+tt.en) || !strings.HasPrefix(fr, "« "+tt.quoted+" » "+tt.fr) {
				t.Errorf("ParseFiscal(%q):\n%s\n%s\nwant them to quote %q as typed", tt.typed, en, fr, tt.quoted)
			}
			for _, msg := range []string{en, fr} {
				for _, form := range strings.Split(forecast.FiscalForms, ", ") {
					if !strings.Contains(msg, form) {
						t.Errorf("%q does not name %s", msg, form)
					}
				}
				for _, days := range []string{"90d", "12w", "30j"} {
					if days != tt.quoted && strings.Contains(msg, days) {
						t.Errorf("%q offers %s, which a forecast refuses", msg, days)
					}
				}
			}
		})
	}
}
