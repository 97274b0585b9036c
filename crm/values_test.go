package crm

import (
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name     string
		in, cur  string
		fallback string
		want     int64
		wantCur  string
		err      string
	}{
		{"Plain", "12000", "EUR", "", 1200000, "EUR", ""},
		{"DotDecimal", "12000.5", "EUR", "", 1200050, "EUR", ""},
		{"CommaDecimal", "12000,50", "EUR", "", 1200050, "EUR", ""},
		{"ThousandsComma", "12,000.00", "USD", "", 1200000, "USD", ""},
		{"ThousandsDotDecimalComma", "1.234.567,89", "EUR", "", 123456789, "EUR", ""},
		{"FrenchSpaces", "12\u202f345,60 €", "EUR", "", 1234560, "EUR", ""},
		{"NoBreakSpace", "12\u00a0345", "EUR", "", 1234500, "EUR", ""},
		{"SwissApostrophe", "CHF 1'234.50", "", "", 123450, "CHF", ""},
		{"SymbolNamesCurrency", "$1,500", "", "", 150000, "USD", ""},
		{"SymbolAgreesWithColumn", "$1,500", "CAD", "", 150000, "CAD", ""},
		{"CodePrefix", "EUR 12,000.00", "", "", 1200000, "EUR", ""},
		{"SingleGroupIsThousands", "1,500", "EUR", "", 150000, "EUR", ""},
		{"LeadingZeroIsDecimal", "0,500", "EUR", "", 50, "EUR", ""},
		{"ThreeDecimalCurrency", "1.500", "KWD", "", 1500, "KWD", ""},
		{"TrailingZerosBeyondExponent", "12000.000000", "EUR", "", 1200000, "EUR", ""},
		{"ZeroDecimalCurrency", "1,500,000", "JPY", "", 1500000, "JPY", ""},
		{"Empty", "", "EUR", "", 0, "EUR", ""},
		{"ErrTooManyDecimals", "12.34", "JPY", "", 0, "", "decimals"},
		{"ErrCentsOfCents", "12.3456", "EUR", "", 0, "", "has 4 decimals"},
		{"ErrNegative", "-500", "EUR", "", 0, "", "negative"},
		{"ErrParenthesesNegative", "(500)", "EUR", "", 0, "", "negative"},
		{"ErrOtherCurrency", "£500", "EUR", "", 0, "", "row's currency is EUR"},
		{"ErrUnknownSymbol", "500 zorkmids", "", "", 0, "", "is not an amount"},
		{"ErrNoCurrency", "500", "", "", 0, "", "names no currency"},
		{"FallbackCurrency", "500", "", "EUR", 50000, "EUR", ""},
		{"SymbolBeatsFallback", "$500", "", "EUR", 50000, "USD", ""},
		{"ErrScientific", "1.2E+05", "EUR", "", 0, "", "scientific"},
		{"ErrIrregularGroups", "12,34,567", "EUR", "", 0, "", "irregular"},
		{"ErrWords", "about 20k", "EUR", "", 0, "", "is not an amount"},
		{"ErrTwoDecimalSeps", "1.234,5,6", "EUR", "", 0, "", "two decimal"},
		{"ErrHuge", "99999999999999999999", "EUR", "", 0, "", "too large"},
		{"ErrAboveMax", "10000000000000000", "EUR", "", 0, "", "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cur, err := parseAmount(tt.in, tt.cur, tt.fallback)
			if strings.HasPrefix(tt.name, "Err") {
				if err == nil {
					t.Fatalf("parseAmount(%q) = %d %s, want an error", tt.in, got, cur)
				}
				if !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %q does not say %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want || cur != tt.wantCur {
				t.Errorf("parseAmount(%q, %q) = %d %q %v; want %d %q", tt.in, tt.cur, got, cur, err, tt.want, tt.wantCur)
			}
		})
	}
}

func TestSplitDate(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		xlsx  bool
		order DateOrder
		want  string
		bad   bool
	}{
		{"ISO", "2026-12-31", false, "", "2026-12-31", false},
		{"SalesforceOffset", "2026-03-15T23:30:00.000-0800", false, "", "2026-03-15", false},
		{"SalesforceZ", "2026-03-15T09:30:00.000Z", false, "", "2026-03-15", false},
		{"RFC3339", "2026-03-15T09:30:00+01:00", false, "", "2026-03-15", false},
		{"ISOWithMinutes", "2026-03-15 09:30", false, "", "2026-03-15", false},
		{"DMY", "31/12/2026", false, DMY, "2026-12-31", false},
		{"MDY", "12/31/2026", false, MDY, "2026-12-31", false},
		{"DottedDMY", "03.04.2026", false, DMY, "2026-04-03", false},
		{"AmbiguousAsMDY", "03/04/2026", false, MDY, "2026-03-04", false},
		{"TwoDigitYear", "12/31/26", false, MDY, "2026-12-31", false},
		{"ReportTime", "12/31/2026 2:30 PM", false, MDY, "2026-12-31", false},
		{"ExcelSerial", "46387", true, "", "2026-12-31", false},
		{"ErrSerialInCSV", "46387", false, "", "", true},
		{"ErrFeb30", "2026-02-30", false, "", "", true},
		{"ErrDay31InApril", "31/04/2026", false, DMY, "", true},
		{"ErrBothAbove12", "13/13/2026", false, DMY, "", true},
		{"ErrMonthAbove12", "12/31/2026", false, DMY, "", true},
		{"ErrWords", "next week", false, "", "", true},
		{"ErrTrailingJunk", "2026-12-31xyz", false, "", "", true},
		{"ErrThreeDigitYear", "12/31/202", false, MDY, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dm, slashed, err := splitDate(tt.in, tt.xlsx)
			if err == nil && slashed {
				got, err = dm.resolve(tt.order)
			}
			if tt.bad {
				if err == nil {
					t.Errorf("splitDate(%q) = %s, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("splitDate(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormulaStart(t *testing.T) {
	for in, want := range map[string]bool{
		`=HYPERLINK("http://x","click")`: true,
		"+33 1 23":                       true,
		"@SUM(A1)":                       true,
		"-cmd|' /C calc'!A0":             true,
		"\t=1+1":                         true,
		"-5":                             false,
		"- pending":                      false,
		"Acme = good":                    false,
		"":                               false,
	} {
		if got := formulaStart(in); got != want {
			t.Errorf("formulaStart(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseCurrency(t *testing.T) {
	for in, want := range map[string]string{"eur": "EUR", "USD": "USD", "€": "EUR", "XYZ": "XYZ", "": ""} {
		if got, err := parseCurrency(in); err != nil || got != want {
			t.Errorf("parseCurrency(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := parseCurrency("euros please"); err == nil {
		t.Error("parseCurrency accepted a sentence")
	}
}
