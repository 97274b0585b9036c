package desk_test

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

func TestParsePercent(t *testing.T) {
	tests := []struct {
		name string
		in   string
		loc  i18n.Locale
		want int    // basis points
		err  string // error key
	}{
		{"OK", "12.5", i18n.EN, 1250, ""},
		{"FrenchComma", "12,5", i18n.FR, 1250, ""},
		{"CommaInEnglish", "12,5", i18n.EN, 1250, ""},
		{"DotInFrench", "12.5", i18n.FR, 1250, ""},
		{"PercentSign", "12.5%", i18n.EN, 1250, ""},
		{"FrenchSpacedSign", "12,5 %", i18n.FR, 1250, ""},
		{"FrenchNarrowSpace", "12,5\u202f%", i18n.FR, 1250, ""},
		{"NoBreakSpace", "12,5\u00a0%", i18n.FR, 1250, ""},
		{"Whole", " 10 ", i18n.EN, 1000, ""},
		{"TwoDecimals", "10.01", i18n.EN, 1001, ""},
		{"Small", "0.75", i18n.EN, 75, ""},
		{"NoWholePart", ",5", i18n.FR, 50, ""},
		{"Hundred", "100", i18n.EN, 10000, ""},
		{"Zero", "0", i18n.EN, 0, ""},
		{"LeadingZeros", "007", i18n.EN, 700, ""},
		{"ErrEmpty", "  ", i18n.EN, 0, "desk.percent_empty"},
		{"ErrWord", "ten", i18n.EN, 0, "desk.percent"},
		{"ErrThreeDecimals", "12.345", i18n.EN, 0, "desk.percent_decimals"},
		{"ErrThousandsLooking", "1,000", i18n.EN, 0, "desk.percent_decimals"},
		{"ErrAbove100", "100.01", i18n.EN, 0, "desk.percent_range"},
		{"ErrHuge", "99999999999", i18n.EN, 0, "desk.percent_range"},
		{"ErrNegative", "-5", i18n.EN, 0, "desk.percent_range"},
		{"ErrPlus", "+5", i18n.EN, 0, "desk.percent"},
		{"ErrStrayMark", "12.", i18n.EN, 0, "desk.percent"},
		{"ErrTwoMarks", "12.5.1", i18n.EN, 0, "desk.percent"},
		{"ErrSpaceInside", "1 0", i18n.EN, 0, "desk.percent"},
		{"ErrSignOnly", "%", i18n.EN, 0, "desk.percent"},
		{"ErrTooLong", strings.Repeat("1", 40), i18n.EN, 0, "desk.percent"},
		{"ErrInvalidUTF8", "1\xff", i18n.EN, 0, "desk.percent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := desk.ParsePercent(tt.in, tt.loc)
			if tt.err != "" {
				e := checkErr(t, err, "invalid", tt.err)
				if e.Field != desk.FieldDiscount {
					t.Errorf("field = %q, want %q", e.Field, desk.FieldDiscount)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParsePercent(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		name   string
		bp     int
		en, fr string
	}{
		{"Whole", 1000, "10%", "10\u202f%"},
		{"OneDecimal", 1250, "12.5%", "12,5\u202f%"},
		{"TwoDecimals", 1001, "10.01%", "10,01\u202f%"},
		{"Small", 5, "0.05%", "0,05\u202f%"},
		{"Hundred", 10000, "100%", "100\u202f%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for loc, want := range map[i18n.Locale]string{i18n.EN: tt.en, i18n.FR: tt.fr} {
				got := i18n.FormatBP(loc, tt.bp)
				if got != want {
					t.Errorf("FormatPercent(%s, %d) = %q, want %q", loc, tt.bp, got, want)
				}
				if back, err := desk.ParsePercent(got, loc); err != nil || back != tt.bp {
					t.Errorf("ParsePercent(%q) = %d, %v; want %d", got, back, err, tt.bp)
				}
			}
		})
	}
}

func TestCost(t *testing.T) {
	tests := []struct {
		name      string
		list      int64
		bp        int
		cost, net int64
	}{
		{"OK", 4_800_000, 1500, 720_000, 4_080_000},
		{"RoundsHalfUp", 99_999, 1250, 12_500, 87_499}, // 124.99875 € → 125.00 €
		{"ExactHalf", 2, 2500, 1, 1},                   // 0.5 cent → 1 cent
		{"BelowHalf", 1, 4999, 0, 1},
		{"Everything", 4_800_000, 10000, 4_800_000, 0},
		{"NoOverflowAtMax", 1_000_000_000_000_000, 9999, 999_900_000_000_000, 100_000_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, n := desk.Cost(tt.list, tt.bp), desk.NetAmount(tt.list, tt.bp); c != tt.cost || n != tt.net {
				t.Fatalf("Cost, NetAmount(%d, %d) = %d, %d; want %d, %d", tt.list, tt.bp, c, n, tt.cost, tt.net)
			}
		})
	}
}
