package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/i18n"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		loc      i18n.Locale
		currency string
		want     int64
	}{
		{"Plain", "48000", i18n.EN, "EUR", 4_800_000},
		{"KiloLower", "48k", i18n.EN, "EUR", 4_800_000},
		{"KiloUpper", "48K", i18n.EN, "EUR", 4_800_000},
		{"KiloSpaced", "48 k", i18n.FR, "EUR", 4_800_000},
		{"SpaceGroups", "48 000", i18n.EN, "EUR", 4_800_000},
		{"SpaceGroupsFr", "48 000", i18n.FR, "EUR", 4_800_000},
		{"EnGroupsAndCents", "48,000.50", i18n.EN, "EUR", 4_800_050},
		{"EnStyleUnderFr", "48,000.50", i18n.FR, "EUR", 4_800_050},
		{"EuroStyleUnderEn", "48.000,50", i18n.EN, "EUR", 4_800_050},
		{"SymbolBefore", "€48k", i18n.EN, "EUR", 4_800_000},
		{"SymbolAfter", "48k€", i18n.FR, "EUR", 4_800_000},
		{"SymbolAfterSpaced", "48 k€", i18n.FR, "EUR", 4_800_000},
		{"CodeBefore", "EUR 48k", i18n.EN, "EUR", 4_800_000},
		{"CodeLowerAfter", "48k eur", i18n.EN, "EUR", 4_800_000},
		{"Euros", "48000 euros", i18n.FR, "EUR", 4_800_000},
		{"MegaDot", "1.2M", i18n.EN, "EUR", 120_000_000},
		{"MegaDotFr", "1.2M", i18n.FR, "EUR", 120_000_000},
		{"MegaCommaFr", "1,2M", i18n.FR, "EUR", 120_000_000},
		{"MegaCommaEn", "1,2M", i18n.EN, "EUR", 120_000_000},
		{"MegaLower", "2m", i18n.EN, "EUR", 200_000_000},
		{"FrCents", "48 000,50", i18n.FR, "EUR", 4_800_050},
		{"FrNBSP", "48\u00a0000,50", i18n.FR, "EUR", 4_800_050},
		{"FrNarrowNBSP", "48\u202f000,50\u00a0€", i18n.FR, "EUR", 4_800_050},
		{"ThinSpace", "1\u2009000", i18n.FR, "EUR", 100_000},
		{"SwissApostrophe", "48'000", i18n.FR, "CHF", 4_800_000},
		{"HalfKilo", "12.5k", i18n.EN, "EUR", 1_250_000},
		{"HalfKiloFr", "12,5k", i18n.FR, "EUR", 1_250_000},
		{"LeadingDecimal", ".5k", i18n.EN, "EUR", 50_000},
		{"EnComma3IsThousands", "48,000", i18n.EN, "EUR", 4_800_000},
		{"EnManyCommas", "1,000,000", i18n.EN, "EUR", 100_000_000},
		{"FrDotGroups", "1.000.000", i18n.FR, "EUR", 100_000_000},
		{"FrLoneDotThousands", "48.000", i18n.FR, "EUR", 4_800_000},
		{"FrCommaKilo", "1,200k", i18n.FR, "EUR", 120_000},
		{"EnCommaKilo", "1,200k", i18n.EN, "EUR", 120_000_000},
		{"EnDecimal", "0.50", i18n.EN, "EUR", 50},
		{"FrDecimal", "0,5", i18n.FR, "EUR", 50},
		{"Zero", "0", i18n.EN, "EUR", 0},
		{"LeadingZeros", "007", i18n.EN, "EUR", 700},
		{"JPY", "¥1,200", i18n.EN, "JPY", 1_200},
		{"JPYKilo", "1.5k", i18n.EN, "JPY", 1_500},
		{"TNDEn", "1.500", i18n.EN, "TND", 1_500},
		{"TNDFr", "1,500 DT", i18n.FR, "TND", 1_500},
		{"DollarForCAD", "$10k", i18n.EN, "CAD", 1_000_000},
		{"CADSymbol", "CA$10k", i18n.EN, "CAD", 1_000_000},
		{"CHFAfter", "48 000 CHF", i18n.FR, "CHF", 4_800_000},
		{"FCFA", "2 500 000 FCFA", i18n.FR, "XOF", 2_500_000},
		{"Max", "10000000000000", i18n.EN, "EUR", MaxAmountMinor},
		{"SurroundingSpace", "  48k  ", i18n.EN, "EUR", 4_800_000},
		{"UnknownCurrency", "XYZ 12", i18n.EN, "XYZ", 1_200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in, tt.loc, tt.currency)
			if err != nil || got != tt.want {
				t.Errorf("ParseAmount(%q, %s, %s) = %d, %v; want %d", tt.in, tt.loc, tt.currency, got, err, tt.want)
			}
		})
	}
}

func TestParseAmountErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		loc      i18n.Locale
		currency string
		key      string
	}{
		{"DoubleKilo", "12kk", i18n.EN, "EUR", "parse.amount"},
		{"Empty", "", i18n.EN, "EUR", "parse.amount_empty"},
		{"Blank", " \u00a0", i18n.FR, "EUR", "parse.amount_empty"},
		{"Words", "lots", i18n.EN, "EUR", "parse.amount"},
		{"Negative", "-5", i18n.EN, "EUR", "parse.amount_negative"},
		{"NegativeSymbol", "-€5k", i18n.EN, "EUR", "parse.amount_negative"},
		{"NegativeAfterSymbol", "€-5", i18n.EN, "EUR", "parse.amount_negative"},
		{"UnicodeMinus", "−5 €", i18n.FR, "EUR", "parse.amount_negative"},
		{"TwoSigns", "-€-5", i18n.EN, "EUR", "parse.amount"},
		{"Overflow", "99999999999999999999999", i18n.EN, "EUR", "parse.amount_too_big"},
		{"AboveMax", "10000000000001", i18n.EN, "EUR", "parse.amount_too_big"},
		{"HugeMega", "9999999999M", i18n.EN, "EUR", "parse.amount_too_big"},
		{"TooManyDecimals", "48.505", i18n.EN, "EUR", "parse.amount_decimals"},
		{"TooManyDecimalsFr", "48,505", i18n.FR, "EUR", "parse.amount_decimals"},
		{"ThreeDecimalsEn", "1.200", i18n.EN, "EUR", "parse.amount_decimals"},
		{"DecimalYen", "12.5", i18n.EN, "JPY", "parse.amount_decimals"},
		{"KiloTooPrecise", "1.234567k", i18n.EN, "EUR", "parse.amount_decimals"},
		{"Dollar", "$48k", i18n.EN, "EUR", "parse.amount_currency"},
		{"DollarAfter", "48k $", i18n.EN, "EUR", "parse.amount_currency"},
		{"PoundInFr", "48 000 £", i18n.FR, "EUR", "parse.amount_currency"},
		{"OtherCode", "USD 48k", i18n.EN, "EUR", "parse.amount_currency"},
		{"EuroForUSD", "€48k", i18n.EN, "USD", "parse.amount_currency"},
		{"OursAndForeign", "€48k$", i18n.EN, "EUR", "parse.amount_currency"},
		{"AmbiguousFrDot", "1.500k", i18n.FR, "EUR", "parse.amount_ambiguous"},
		{"BadGroups", "4 8000", i18n.EN, "EUR", "parse.amount"},
		{"IndianGroups", "1,00,000", i18n.EN, "EUR", "parse.amount"},
		{"MixedGroups", "1,000.000,000", i18n.EN, "EUR", "parse.amount"},
		{"TwoDecimalMarks", "1.000.000,5,0", i18n.FR, "EUR", "parse.amount"},
		{"DoubleSeparator", "1,,000", i18n.EN, "EUR", "parse.amount"},
		{"TrailingMark", "48.", i18n.EN, "EUR", "parse.amount"},
		{"OnlyMark", ".", i18n.EN, "EUR", "parse.amount"},
		{"OnlyKilo", "k", i18n.EN, "EUR", "parse.amount"},
		{"OnlySymbol", "€", i18n.EN, "EUR", "parse.amount"},
		{"TwoSymbols", "€48k€", i18n.EN, "EUR", "parse.amount"},
		{"Plus", "+5", i18n.EN, "EUR", "parse.amount"},
		{"Exponent", "1e6", i18n.EN, "EUR", "parse.amount"},
		{"Hex", "0x10", i18n.EN, "EUR", "parse.amount"},
		{"LeadingZeroGroup", "0,500", i18n.EN, "EUR", "parse.amount_decimals"},
		{"TooLong", strings.Repeat("1", 100), i18n.EN, "EUR", "parse.amount"},
		{"InvalidUTF8", "48\xff", i18n.EN, "EUR", "parse.amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in, tt.loc, tt.currency)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseAmount(%q) = %d, %v; want a *domain.Error %s", tt.in, got, err, tt.key)
			}
			if e.Key != tt.key || e.Code != EINVALID || e.Field != FieldAmount {
				t.Errorf("ParseAmount(%q): error %s/%s/%s (%v), want %s/%s/%s", tt.in, e.Code, e.Field, e.Key, e, EINVALID, FieldAmount, tt.key)
			}
			for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
				if msg := e.Message(loc); strings.Contains(msg, "%!") || msg == e.Key {
					t.Errorf("%s message is broken: %q", loc, msg)
				}
			}
		})
	}
}

func TestParseAmountMessage(t *testing.T) {
	_, err := ParseAmount("12kk", i18n.EN, "EUR")
	if got, want := err.Error(), "Amount: '12kk' is not an amount; try 12000 or 12k"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	_, err = ParseAmount("12kk", i18n.FR, "EUR")
	if got, want := ErrorMessage(i18n.FR, err), "Montant : « 12kk » n'est pas un montant ; essayez 12000 ou 12k"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// amountSamples are minor-unit values for round trips.
var amountSamples = []int64{0, 1, 5, 50, 99, 100, 999, 1_000, 1_050, 12_345, 100_000, 123_456, 4_800_000, 4_800_050,
	99_999_999, 100_000_000, 123_456_789, 1_000_000_000_000, MaxAmountMinor - 1, MaxAmountMinor}

func TestAmountRoundTrip(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for _, cur := range []string{"EUR", "USD", "CHF", "JPY", "TND", "XOF", "CAD", "XYZ"} {
			for _, v := range amountSamples {
				for _, s := range []string{i18n.FormatAmount(loc, v, cur), FormatAmountInput(v, cur, loc)} {
					got, err := ParseAmount(s, loc, cur)
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
		loc      i18n.Locale
		want     string
	}{
		{"En", 4_800_050, "EUR", i18n.EN, "48,000.50"},
		{"EnWhole", 4_800_000, "EUR", i18n.EN, "48,000"},
		{"Fr", 4_800_050, "EUR", i18n.FR, "48 000,50"},
		{"FrJPY", 1_200_000, "JPY", i18n.FR, "1 200 000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatAmountInput(tt.minor, tt.currency, tt.loc); got != tt.want {
				t.Errorf("FormatAmountInput = %q, want %q", got, tt.want)
			}
		})
	}
}

// wed is Wednesday 2026-11-18, 08:00 in Nouméa: still Tuesday in UTC, so a
// parser that resolved "today" anywhere but in now's zone would fail.
var wed = time.Date(2026, time.November, 18, 8, 0, 0, 0, time.FixedZone("Pacific/Noumea", 11*3600))

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		loc  i18n.Locale
		now  time.Time
		want string
	}{
		{"ISO", "2026-12-15", i18n.EN, wed, "2026-12-15"},
		{"ISOSlashes", "2026/12/15", i18n.FR, wed, "2026-12-15"},
		{"Today", "today", i18n.EN, wed, "2026-11-18"},
		{"TodayCaps", " Today ", i18n.EN, wed, "2026-11-18"},
		{"Tomorrow", "tomorrow", i18n.EN, wed, "2026-11-19"},
		{"Yesterday", "yesterday", i18n.EN, wed, "2026-11-17"},
		{"Demain", "demain", i18n.FR, wed, "2026-11-19"},
		{"DemainUnderEn", "demain", i18n.EN, wed, "2026-11-19"},
		{"Aujourdhui", "aujourd'hui", i18n.FR, wed, "2026-11-18"},
		{"AujourdhuiCurly", "Aujourd’hui", i18n.FR, wed, "2026-11-18"},
		{"ApresDemain", "après-demain", i18n.FR, wed, "2026-11-20"},
		{"Fri", "fri", i18n.EN, wed, "2026-11-20"},
		{"Friday", "Friday", i18n.EN, wed, "2026-11-20"},
		{"NextFriday", "next friday", i18n.EN, wed, "2026-11-20"},
		{"FridayOnFriday", "fri", i18n.EN, wed.AddDate(0, 0, 2), "2026-11-27"},
		{"ThisFridayOnFriday", "this friday", i18n.EN, wed.AddDate(0, 0, 2), "2026-11-20"},
		{"Wed", "wed", i18n.EN, wed, "2026-11-25"},
		{"Mon", "mon", i18n.EN, wed, "2026-11-23"},
		{"Vendredi", "vendredi", i18n.FR, wed, "2026-11-20"},
		{"Ven", "ven.", i18n.FR, wed, "2026-11-20"},
		{"VendrediProchain", "vendredi prochain", i18n.FR, wed, "2026-11-20"},
		{"CeVendredi", "ce vendredi", i18n.FR, wed, "2026-11-20"},
		{"Mardi", "mar", i18n.FR, wed, "2026-11-24"},
		{"NextWeek", "next week", i18n.EN, wed, "2026-11-23"},
		{"SemaineProchaine", "la semaine prochaine", i18n.FR, wed, "2026-11-23"},
		{"In2Weeks", "in 2 weeks", i18n.EN, wed, "2026-12-02"},
		{"In3Days", "in 3 days", i18n.EN, wed, "2026-11-21"},
		{"InADay", "in a day", i18n.EN, wed, "2026-11-19"},
		{"In1Month", "in 1 month", i18n.EN, wed, "2026-12-18"},
		{"MonthClamps", "in 1 month", i18n.EN, time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC), "2027-02-28"},
		{"MonthLeap", "in 1 month", i18n.EN, time.Date(2028, 1, 31, 12, 0, 0, 0, time.UTC), "2028-02-29"},
		{"TwoWeeksBare", "2 weeks", i18n.EN, wed, "2026-12-02"},
		{"Dans2Semaines", "dans 2 semaines", i18n.FR, wed, "2026-12-02"},
		{"DansUnMois", "dans un mois", i18n.FR, wed, "2026-12-18"},
		{"Dans3Jours", "dans 3 jours", i18n.FR, wed, "2026-11-21"},
		{"EOM", "eom", i18n.EN, wed, "2026-11-30"},
		{"EndOfMonth", "end of month", i18n.EN, wed, "2026-11-30"},
		{"EndOfFebLeap", "eom", i18n.EN, time.Date(2028, 2, 3, 0, 0, 0, 0, time.UTC), "2028-02-29"},
		{"FinDuMois", "fin du mois", i18n.FR, wed, "2026-11-30"},
		{"EOQ", "eoq", i18n.EN, wed, "2026-12-31"},
		{"EOQFirst", "eoq", i18n.EN, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "2026-03-31"},
		{"EOQSecond", "end of quarter", i18n.EN, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "2026-06-30"},
		{"EOQThird", "fin du trimestre", i18n.FR, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), "2026-09-30"},
		{"EOY", "eoy", i18n.EN, wed, "2026-12-31"},
		{"FinDAnnee", "fin d'année", i18n.FR, wed, "2026-12-31"},
		{"FrDayMonth", "15/12", i18n.FR, wed, "2026-12-15"},
		{"EnMonthDay", "12/15", i18n.EN, wed, "2026-12-15"},
		{"FrDayMonthAmbiguous", "05/06", i18n.FR, wed, "2027-06-05"},
		{"EnMonthDayAmbiguous", "05/06", i18n.EN, wed, "2027-05-06"},
		{"EnDayFirstFallback", "15/12", i18n.EN, wed, "2026-12-15"},
		{"PastDayMonthIsNextYear", "15/01", i18n.FR, wed, "2027-01-15"},
		{"TodayDayMonth", "18/11", i18n.FR, wed, "2026-11-18"},
		{"LeapDayNextOccurrence", "29/02", i18n.FR, wed, "2028-02-29"},
		{"FrFull", "15/12/2026", i18n.FR, wed, "2026-12-15"},
		{"FrPastWithYear", "15/01/2026", i18n.FR, wed, "2026-01-15"},
		{"FrDots", "15.12.26", i18n.FR, wed, "2026-12-15"},
		{"EnFull", "12/15/2026", i18n.EN, wed, "2026-12-15"},
		{"EnFormatted", "Dec 15, 2026", i18n.EN, wed, "2026-12-15"},
		{"FrFormatted", "15 déc. 2026", i18n.FR, wed, "2026-12-15"},
		{"FrFirst", "1er janv. 2027", i18n.FR, wed, "2027-01-01"},
		{"FrLongMonth", "15 décembre", i18n.FR, wed, "2026-12-15"},
		{"EnOrdinal", "December 15th", i18n.EN, wed, "2026-12-15"},
		{"DayMonthName", "3 aug", i18n.EN, wed, "2027-08-03"},
		{"MarchNotTuesday", "15 mar", i18n.EN, wed, "2027-03-15"},
		{"ShortEn", "Tue 15 Dec", i18n.EN, wed, "2026-12-15"},
		{"ShortFr", "mar. 15 déc.", i18n.FR, wed, "2026-12-15"},
		{"LongEn", "Tuesday, December 15, 2026", i18n.EN, wed, "2026-12-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.loc, tt.now)
			if err != nil || got.String() != tt.want {
				t.Errorf("ParseDate(%q, %s, %s) = %s, %v; want %s", tt.in, tt.loc, tt.now, got, err, tt.want)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		loc  i18n.Locale
	}{
		{"Someday", "someday", i18n.EN},
		{"Empty", "", i18n.EN},
		{"Blank", "   ", i18n.FR},
		{"NoSuchDay", "2026-02-30", i18n.EN},
		{"NoSuchDayFr", "31/04", i18n.FR},
		{"BadMonth", "15/13", i18n.FR},
		{"BothBad", "13/13", i18n.EN},
		{"WrongWeekday", "Mon 15 Dec 2026", i18n.EN},
		{"YearTooFar", "3000-01-01", i18n.EN},
		{"YearTooOld", "1899-12-31", i18n.EN},
		{"TooFarAhead", "in 99999 days", i18n.EN},
		{"ThreeDigitPart", "123/12", i18n.FR},
		{"MixedSeparators", "15/12-2026", i18n.FR},
		{"ThreeDigitYear", "15/12/202", i18n.FR},
		{"NegativeDays", "in -3 days", i18n.EN},
		{"UnknownUnit", "in 3 fortnights", i18n.EN},
		{"NextNext", "next next friday", i18n.EN},
		{"BareNumber", "15", i18n.EN},
		{"MonthAlone", "december", i18n.EN},
		{"DayTooBig", "Dec 32", i18n.EN},
		{"InvalidUTF8", "\xffdemain", i18n.FR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.loc, wed)
			var e *Error
			if !errors.As(err, &e) || e.Key != "parse.date" || e.Code != EINVALID {
				t.Fatalf("ParseDate(%q) = %s, %v; want a parse.date error", tt.in, got, err)
			}
		})
	}
}

func TestParseDateMessages(t *testing.T) {
	_, err := ParseDate("someday", i18n.EN, wed)
	if got, want := err.Error(), "Date: 'someday' is not a date; try 2026-12-15, tomorrow, fri or in 2 weeks"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	_, err = ParseDateField(FieldCloseDate, "someday", i18n.FR, wed)
	var e *Error
	if !errors.As(err, &e) || e.Field != FieldCloseDate {
		t.Fatalf("ParseDateField error = %#v, want one on %s", err, FieldCloseDate)
	}
	if got, want := e.Message(i18n.FR), "Date de signature : « someday » n'est pas une date ; essayez 15/12/2026, demain, vendredi ou dans 2 semaines"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestDateRoundTrip(t *testing.T) {
	start := NewDate(2026, time.January, 1)
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for i := 0; i < 800; i++ {
			d := start.AddDays(i)
			for _, s := range []string{d.Format(loc), d.String()} {
				if got, err := ParseDate(s, loc, wed); err != nil || got != d {
					t.Errorf("%s: %s formats as %q, which parses as %s, %v", loc, d, s, got, err)
				}
			}
			// The short form has no year: it reads back within the year ahead.
			today := DateOf(wed)
			if !d.Before(today) && d.Before(today.AddDays(365)) {
				if got, err := ParseDate(d.FormatShort(loc), loc, wed); err != nil || got != d {
					t.Errorf("%s: %s formats short as %q, which parses as %s, %v", loc, d, d.FormatShort(loc), got, err)
				}
			}
		}
	}
}
