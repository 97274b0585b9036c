package domain

import (
	"testing"
	"time"
)

var fuzzCurrencies = []string{"EUR", "USD", "JPY", "TND", "CHF", "CAD", "XOF", "XYZ"}

func fuzzLocale(fr bool) Locale {
	if fr {
		return FR
	}
	return EN
}

// FuzzParseAmount checks that ParseAmount never panics, returns either a
// value or a *domain.Error in range. That what i18n writes reads back is
// i18n's FuzzAmountReadsBack.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"48000", "48k", "48 000,50", "48,000.50", "€48k", "48k€", "EUR 48k", "1.2M", "1,2M",
		"12.5k", "12kk", "-5", "$48k", "1.500k", "48\u202f000,50\u00a0€", ".5k", "1,00,000", "99999999999999999999"} {
		f.Add(s, false, uint8(0))
		f.Add(s, true, uint8(0))
	}
	f.Add("¥1,200", false, uint8(2))
	f.Add("1,500 DT", true, uint8(3))
	f.Fuzz(func(t *testing.T, s string, fr bool, c uint8) {
		loc, cur := fuzzLocale(fr), fuzzCurrencies[int(c)%len(fuzzCurrencies)]
		v, err := ParseAmount(s, loc, cur)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ParseAmount(%q) returned %T %v, want *Error", s, err, err)
			}
			return
		}
		if v < 0 || v > MaxAmountMinor {
			t.Fatalf("ParseAmount(%q) = %d, out of range", s, v)
		}
	})
}

// FuzzParseDate checks that ParseDate never panics, returns either a date or
// a *domain.Error, and that every date it accepts reads back from its ISO
// form (from what i18n writes: i18n's FuzzDateReadsBack).
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-15", "today", "tomorrow", "fri", "next friday", "vendredi prochain", "in 2 weeks",
		"dans 3 jours", "in 1 month", "eom", "eoq", "fin du mois", "15/12", "12/15", "15/12/2026", "15.12.26",
		"Dec 15, 2026", "15 déc. 2026", "1er janv. 2027", "mar. 15 déc.", "aujourd'hui", "someday", "29/02"} {
		f.Add(s, false, int16(0))
		f.Add(s, true, int16(40))
	}
	base := time.Date(2026, time.November, 18, 8, 0, 0, 0, time.FixedZone("Pacific/Noumea", 11*3600))
	f.Fuzz(func(t *testing.T, s string, fr bool, offset int16) {
		loc, now := fuzzLocale(fr), base.AddDate(0, 0, int(offset))
		d, err := ParseDate(s, loc, now)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ParseDate(%q) returned %T %v, want *Error", s, err, err)
			}
			return
		}
		if d.Year < minYear || d.Year > maxYear || d != NewDate(d.Year, d.Month, d.Day) {
			t.Fatalf("ParseDate(%q) = %#v, not a valid date in range", s, d)
		}
		if back, err := ParseDate(d.String(), loc, now); err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %s, read back from %s as %s, %v", s, d, d.String(), back, err)
		}
	})
}
