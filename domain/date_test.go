package domain_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestDateTextRoundTrips: a date is written as text only when it reads
// back as the same date.
func TestDateTextRoundTrips(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    domain.Date
		ok   bool
	}{
		{"Zero", domain.Date{}, true},
		{"YearZero", domain.NewDate(0, 1, 1), true},
		{"Ordinary", domain.NewDate(2026, 12, 6), true},
		{"LastYear", domain.NewDate(9999, 12, 31), true},
		{"ZeroPlusDays", domain.Date{}.AddDays(5), false},
		{"YearMinusOne", domain.NewDate(-1, 12, 7), false},
		{"PastYear9999", domain.NewDate(10000, 1, 1), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.d.MarshalText()
			if (err == nil) != tt.ok {
				t.Fatalf("MarshalText(%v) = %q, %v; want ok %v", tt.d, b, err, tt.ok)
			}
			if err != nil {
				return
			}
			var back domain.Date
			if err := back.UnmarshalText(b); err != nil || back != tt.d {
				t.Fatalf("read back %q as %v, %v; want %v", b, back, err, tt.d)
			}
		})
	}
}
