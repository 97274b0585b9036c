package i18n

import (
	"errors"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// What i18n writes, domain reads back: an amount or a date shown in a
// message or prefilled in a form can be pasted back as typed input.

var roundTripAmounts = []int64{0, 1, 5, 50, 99, 100, 999, 1_000, 1_050, 12_345, 100_000, 123_456, 4_800_000, 4_800_050,
	99_999_999, 100_000_000, 123_456_789, 1_000_000_000_000, domain.MaxAmountMinor - 1, domain.MaxAmountMinor}

// wed is Wednesday 2026-11-18, 08:00 in Nouméa.
var wed = time.Date(2026, time.November, 18, 8, 0, 0, 0, time.FixedZone("Pacific/Noumea", 11*3600))

func TestAmountRoundTrip(t *testing.T) {
	for _, loc := range []Locale{EN, FR} {
		for _, cur := range []string{"EUR", "USD", "CHF", "JPY", "TND", "XOF", "CAD", "XYZ"} {
			for _, v := range roundTripAmounts {
				for _, s := range []string{FormatAmount(loc, v, cur), FormatAmountInput(v, cur, loc)} {
					got, err := domain.ParseAmount(s, loc, cur)
					if err != nil || got != v {
						t.Errorf("%s %s: %d formats as %q, which parses as %d, %v", loc, cur, v, s, got, err)
					}
				}
			}
		}
	}
}

func TestFormatAmountInput(t *testing.T) {
	tests := []struct {
		name     string
		minor    int64
		currency string
		loc      Locale
		want     string
	}{
		{"En", 4_800_050, "EUR", EN, "48,000.50"},
		{"EnWhole", 4_800_000, "EUR", EN, "48,000"},
		{"Fr", 4_800_050, "EUR", FR, "48 000,50"},
		{"FrJPY", 1_200_000, "JPY", FR, "1 200 000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatAmountInput(tt.minor, tt.currency, tt.loc); got != tt.want {
				t.Errorf("FormatAmountInput = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDateRoundTrip(t *testing.T) {
	start := domain.NewDate(2026, time.January, 1)
	for _, loc := range []Locale{EN, FR} {
		for i := 0; i < 800; i++ {
			d := start.AddDays(i)
			for _, s := range []string{FormatDay(loc, d), d.String()} {
				if got, err := domain.ParseDate(s, loc, wed); err != nil || got != d {
					t.Errorf("%s: %s formats as %q, which parses as %s, %v", loc, d, s, got, err)
				}
			}
			// The short form has no year: it reads back within the year ahead.
			today := domain.DateOf(wed)
			if !d.Before(today) && d.Before(today.AddDays(365)) {
				if got, err := domain.ParseDate(FormatDayShort(loc, d), loc, wed); err != nil || got != d {
					t.Errorf("%s: %s formats short as %q, which parses as %s, %v", loc, d, FormatDayShort(loc, d), got, err)
				}
			}
		}
	}
}

// FuzzAmountReadsBack: any amount in range, written in either locale and
// any currency, as a message shows it and as a form is prefilled with it,
// reads back as itself.
func FuzzAmountReadsBack(f *testing.F) {
	for _, v := range roundTripAmounts {
		f.Add(v, false, uint8(0))
		f.Add(v, true, uint8(3))
	}
	currencies := []string{"EUR", "USD", "JPY", "TND", "CHF", "CAD", "XOF", "XYZ"}
	f.Fuzz(func(t *testing.T, v int64, fr bool, c uint8) {
		if v < 0 || v > domain.MaxAmountMinor {
			return
		}
		loc, cur := EN, currencies[int(c)%len(currencies)]
		if fr {
			loc = FR
		}
		for _, out := range []string{FormatAmount(loc, v, cur), FormatAmountInput(v, cur, loc)} {
			if back, err := domain.ParseAmount(out, loc, cur); err != nil || back != v {
				t.Fatalf("%d %s formatted %q, read back as %d, %v", v, cur, out, back, err)
			}
		}
	})
}

// FuzzDateReadsBack: any date of the years around now, written in either
// locale, reads back as itself.
func FuzzDateReadsBack(f *testing.F) {
	f.Add(int16(0), false)
	f.Add(int16(400), true)
	f.Fuzz(func(t *testing.T, days int16, fr bool) {
		loc, d := EN, domain.DateOf(wed).AddDays(int(days))
		if fr {
			loc = FR
		}
		if back, err := domain.ParseDate(FormatDay(loc, d), loc, wed); err != nil || back != d {
			t.Fatalf("%s formatted %q, read back as %s, %v", d, FormatDay(loc, d), back, err)
		}
	})
}

// The messages of domain's parse errors, as users read them.

func TestParseAmountMessage(t *testing.T) {
	_, err := domain.ParseAmount("12kk", EN, "EUR")
	if got, want := ErrorMessage(EN, err), "Amount: '12kk' is not an amount; try 12000 or 12k"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	_, err = domain.ParseAmount("12kk", FR, "EUR")
	if got, want := ErrorMessage(FR, err), "Montant : « 12kk » n'est pas un montant ; essayez 12000 ou 12k"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestParseDateMessages(t *testing.T) {
	_, err := domain.ParseDate("someday", EN, wed)
	if got, want := ErrorMessage(EN, err), "Date: 'someday' is not a date; try 2026-12-15, tomorrow, fri or in 2 weeks"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	_, err = domain.ParseDateField(domain.FieldCloseDate, "someday", FR, wed)
	var e *domain.Error
	if !errors.As(err, &e) || e.Field != domain.FieldCloseDate {
		t.Fatalf("ParseDateField error = %#v, want one on %s", err, domain.FieldCloseDate)
	}
	if got, want := Message(FR, e), "Date de signature : « someday » n'est pas une date ; essayez 15/12/2026, demain, vendredi ou dans 2 semaines"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}
