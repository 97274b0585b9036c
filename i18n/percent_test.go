package i18n

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestFormatBP: every way a ratio is written, worked out by hand.
func TestFormatBP(t *testing.T) {
	for _, c := range []struct {
		name   string
		bp     int
		en, fr string
	}{
		{"Zero", 0, "0%", "0\u202f%"},
		{"Whole", 1000, "10%", "10\u202f%"},
		{"OneDecimal", 1250, "12.5%", "12,5\u202f%"},
		{"TwoDecimals", 1001, "10.01%", "10,01\u202f%"},
		{"LeadingZeroOfTheFraction", 5, "0.05%", "0,05\u202f%"},
		{"Hundred", 10_000, "100%", "100\u202f%"},
		{"NegativeWhole", -300, "-3%", "-3\u202f%"},
		{"NegativeDecimal", -1250, "-12.5%", "-12,5\u202f%"},
		{"WholeThousandsGrouped", 125_000, "1,250%", "1\u202f250\u202f%"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FormatBP(EN, c.bp); got != c.en {
				t.Errorf("FormatBP(EN, %d) = %q, want %q", c.bp, got, c.en)
			}
			if got := FormatBP(FR, c.bp); got != c.fr {
				t.Errorf("FormatBP(FR, %d) = %q, want %q", c.bp, got, c.fr)
			}
			if got := Localize(EN, domain.Percent(c.bp)); got != c.en {
				t.Errorf("domain.Percent(%d) = %q, want %q", c.bp, got, c.en)
			}
		})
	}
}

// TestRoundBP: half away from zero, both signs, two units.
func TestRoundBP(t *testing.T) {
	for _, c := range []struct {
		name           string
		bp, unit, want int
		whole          string
	}{
		{"Down", 1249, 100, 12, "12%"},
		{"HalfUp", 1250, 100, 13, "13%"},
		{"HalfAwayFromZero", -1250, 100, -13, "-13%"},
		{"NegativeDown", -1249, 100, -12, "-12%"},
		{"Tenths", 24_499, 1000, 24, ""},
		{"TenthsHalf", 24_500, 1000, 25, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := RoundBP(c.bp, c.unit); got != c.want {
				t.Errorf("RoundBP(%d, %d) = %d, want %d", c.bp, c.unit, got, c.want)
			}
			if c.whole != "" {
				if got := FormatWholeBP(EN, c.bp); got != c.whole {
					t.Errorf("FormatWholeBP(EN, %d) = %q, want %q", c.bp, got, c.whole)
				}
			}
		})
	}
}
