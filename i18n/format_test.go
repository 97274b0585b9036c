package i18n

import (
	"strings"
	"testing"
	"time"
)

// nb makes expectations readable: "_" stands for U+202F and "~" for U+00A0.
func nb(s string) string {
	return strings.NewReplacer("_", FrenchThousandsSep, "~", FrenchSymbolSep).Replace(s)
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		name     string
		loc      Locale
		minor    int64
		currency string
		want     string
	}{
		{"EnWhole", EN, 4_800_000, "EUR", "€48,000"},
		{"EnCents", EN, 4_800_050, "EUR", "€48,000.50"},
		{"EnSmall", EN, 5, "EUR", "€0.05"},
		{"EnZero", EN, 0, "EUR", "€0"},
		{"EnUSD", EN, 120_000, "USD", "$1,200"},
		{"EnNegative", EN, -500, "EUR", "-€5"},
		{"EnNegativeCents", EN, -550, "EUR", "-€5.50"},
		{"EnLetterSymbol", EN, 4_800_000, "CHF", "CHF 48,000"},
		{"EnJPY", EN, 1_200_000, "JPY", "¥1,200,000"},
		{"EnTND", EN, 1_500, "TND", "TND 1.500"},
		{"EnUnknownCurrency", EN, 100, "XYZ", "XYZ 1"},
		{"EnMillions", EN, 123_456_789_01, "GBP", "£123,456,789.01"},
		{"FrWhole", FR, 4_800_000, "EUR", nb("48_000~€")},
		{"FrCents", FR, 4_800_050, "EUR", nb("48_000,50~€")},
		{"FrSmall", FR, 99, "EUR", nb("0,99~€")},
		{"FrNegative", FR, -500, "EUR", nb("-5~€")},
		{"FrCHF", FR, 120_000, "CHF", nb("1_200~CHF")},
		{"FrXOF", FR, 2_500_000, "XOF", nb("2_500_000~XOF")},
		{"FrTND", FR, 1_234_567, "TND", nb("1_234,567~TND")},
		{"MinInt64", EN, -9223372036854775808, "EUR", "-€92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatAmount(tt.loc, tt.minor, tt.currency); got != tt.want {
				t.Errorf("FormatAmount(%s, %d, %s) = %q, want %q", tt.loc, tt.minor, tt.currency, got, tt.want)
			}
		})
	}
}

func TestFormatNumberAndPercent(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"EnNumber", FormatNumber(EN, 1234567), "1,234,567"},
		{"EnSmallNumber", FormatNumber(EN, 999), "999"},
		{"EnNegativeNumber", FormatNumber(EN, -1000), "-1,000"},
		{"FrNumber", FormatNumber(FR, 1234567), nb("1_234_567")},
		{"FrThousand", FormatNumber(FR, 1000), nb("1_000")},
		{"EnPercent", FormatPercent(EN, 25), "25%"},
		{"FrPercent", FormatPercent(FR, 25), "25\u202f%"},
		{"FrBigPercent", FormatPercent(FR, 1500), nb("1_500") + "\u202f%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		name      string
		loc       Locale
		y         int
		m         time.Month
		d         int
		want      string
		wantShort string
	}{
		{"EnDecember", EN, 2026, time.December, 15, "Dec 15, 2026", "Tue 15 Dec"},
		{"EnFirst", EN, 2027, time.January, 1, "Jan 1, 2027", "Fri 1 Jan"},
		{"FrDecember", FR, 2026, time.December, 15, "15 déc. 2026", "mar. 15 déc."},
		{"FrFirst", FR, 2027, time.January, 1, "1er janv. 2027", "ven. 1er janv."},
		{"FrAugust", FR, 2026, time.August, 3, "3 août 2026", "lun. 3 août"},
		{"FrMarch", FR, 2026, time.March, 31, "31 mars 2026", "mar. 31 mars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.loc, tt.y, tt.m, tt.d); got != tt.want {
				t.Errorf("FormatDate = %q, want %q", got, tt.want)
			}
			if got := FormatDateShort(tt.loc, tt.y, tt.m, tt.d); got != tt.wantShort {
				t.Errorf("FormatDateShort = %q, want %q", got, tt.wantShort)
			}
		})
	}
}
