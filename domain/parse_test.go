package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		loc      Locale
		currency string
		want     int64
	}{
		{"Plain", "48000", EN, "EUR", 4_800_000},
		{"KiloLower", "48k", EN, "EUR", 4_800_000},
		{"KiloUpper", "48K", EN, "EUR", 4_800_000},
		{"KiloSpaced", "48 k", FR, "EUR", 4_800_000},
		{"SpaceGroups", "48 000", EN, "EUR", 4_800_000},
		{"SpaceGroupsFr", "48 000", FR, "EUR", 4_800_000},
		{"EnGroupsAndCents", "48,000.50", EN, "EUR", 4_800_050},
		{"EnStyleUnderFr", "48,000.50", FR, "EUR", 4_800_050},
		{"EuroStyleUnderEn", "48.000,50", EN, "EUR", 4_800_050},
		{"SymbolBefore", "€48k", EN, "EUR", 4_800_000},
		{"SymbolAfter", "48k€", FR, "EUR", 4_800_000},
		{"SymbolAfterSpaced", "48 k€", FR, "EUR", 4_800_000},
		{"CodeBefore", "EUR 48k", EN, "EUR", 4_800_000},
		{"CodeLowerAfter", "48k eur", EN, "EUR", 4_800_000},
		{"Euros", "48000 euros", FR, "EUR", 4_800_000},
		{"MegaDot", "1.2M", EN, "EUR", 120_000_000},
		{"MegaDotFr", "1.2M", FR, "EUR", 120_000_000},
		{"MegaCommaFr", "1,2M", FR, "EUR", 120_000_000},
		{"MegaCommaEn", "1,2M", EN, "EUR", 120_000_000},
		{"MegaLower", "2m", EN, "EUR", 200_000_000},
		{"FrCents", "48 000,50", FR, "EUR", 4_800_050},
		{"FrNBSP", "48\u00a0000,50", FR, "EUR", 4_800_050},
		{"FrNarrowNBSP", "48\u202f000,50\u00a0€", FR, "EUR", 4_800_050},
		{"ThinSpace", "1\u2009000", FR, "EUR", 100_000},
		{"SwissApostrophe", "48'000", FR, "CHF", 4_800_000},
		{"HalfKilo", "12.5k", EN, "EUR", 1_250_000},
		{"HalfKiloFr", "12,5k", FR, "EUR", 1_250_000},
		{"LeadingDecimal", ".5k", EN, "EUR", 50_000},
		{"EnComma3IsThousands", "48,000", EN, "EUR", 4_800_000},
		{"EnManyCommas", "1,000,000", EN, "EUR", 100_000_000},
		{"FrDotGroups", "1.000.000", FR, "EUR", 100_000_000},
		{"FrLoneDotThousands", "48.000", FR, "EUR", 4_800_000},
		{"FrCommaKilo", "1,200k", FR, "EUR", 120_000},
		{"EnCommaKilo", "1,200k", EN, "EUR", 120_000_000},
		{"EnDecimal", "0.50", EN, "EUR", 50},
		{"FrDecimal", "0,5", FR, "EUR", 50},
		{"Zero", "0", EN, "EUR", 0},
		{"LeadingZeros", "007", EN, "EUR", 700},
		{"JPY", "¥1,200", EN, "JPY", 1_200},
		{"JPYKilo", "1.5k", EN, "JPY", 1_500},
		{"TNDEn", "1.500", EN, "TND", 1_500},
		{"TNDFr", "1,500 DT", FR, "TND", 1_500},
		{"DollarForCAD", "$10k", EN, "CAD", 1_000_000},
		{"CADSymbol", "CA$10k", EN, "CAD", 1_000_000},
		{"CHFAfter", "48 000 CHF", FR, "CHF", 4_800_000},
		{"FCFA", "2 500 000 FCFA", FR, "XOF", 2_500_000},
		{"Max", "10000000000000", EN, "EUR", MaxAmountMinor},
		{"SurroundingSpace", "  48k  ", EN, "EUR", 4_800_000},
		{"UnknownCurrency", "XYZ 12", EN, "XYZ", 1_200},
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
		loc      Locale
		currency string
		key      string
	}{
		{"DoubleKilo", "12kk", EN, "EUR", "parse.amount"},
		{"Empty", "", EN, "EUR", "parse.amount_empty"},
		{"Blank", " \u00a0", FR, "EUR", "parse.amount_empty"},
		{"Words", "lots", EN, "EUR", "parse.amount"},
		{"Negative", "-5", EN, "EUR", "parse.amount_negative"},
		{"NegativeSymbol", "-€5k", EN, "EUR", "parse.amount_negative"},
		{"NegativeAfterSymbol", "€-5", EN, "EUR", "parse.amount_negative"},
		{"UnicodeMinus", "−5 €", FR, "EUR", "parse.amount_negative"},
		{"TwoSigns", "-€-5", EN, "EUR", "parse.amount"},
		{"Overflow", "99999999999999999999999", EN, "EUR", "parse.amount_too_big"},
		{"AboveMax", "10000000000001", EN, "EUR", "parse.amount_too_big"},
		{"HugeMega", "9999999999M", EN, "EUR", "parse.amount_too_big"},
		{"TooManyDecimals", "48.505", EN, "EUR", "parse.amount_decimals"},
		{"TooManyDecimalsFr", "48,505", FR, "EUR", "parse.amount_decimals"},
		{"ThreeDecimalsEn", "1.200", EN, "EUR", "parse.amount_decimals"},
		{"DecimalYen", "12.5", EN, "JPY", "parse.amount_decimals"},
		{"KiloTooPrecise", "1.234567k", EN, "EUR", "parse.amount_decimals"},
		{"Dollar", "$48k", EN, "EUR", "parse.amount_currency"},
		{"DollarAfter", "48k $", EN, "EUR", "parse.amount_currency"},
		{"PoundInFr", "48 000 £", FR, "EUR", "parse.amount_currency"},
		{"OtherCode", "USD 48k", EN, "EUR", "parse.amount_currency"},
		{"EuroForUSD", "€48k", EN, "USD", "parse.amount_currency"},
		{"OursAndForeign", "€48k$", EN, "EUR", "parse.amount_currency"},
		{"AmbiguousFrDot", "1.500k", FR, "EUR", "parse.amount_ambiguous"},
		{"BadGroups", "4 8000", EN, "EUR", "parse.amount"},
		{"IndianGroups", "1,00,000", EN, "EUR", "parse.amount"},
		{"MixedGroups", "1,000.000,000", EN, "EUR", "parse.amount"},
		{"TwoDecimalMarks", "1.000.000,5,0", FR, "EUR", "parse.amount"},
		{"DoubleSeparator", "1,,000", EN, "EUR", "parse.amount"},
		{"TrailingMark", "48.", EN, "EUR", "parse.amount"},
		{"OnlyMark", ".", EN, "EUR", "parse.amount"},
		{"OnlyKilo", "k", EN, "EUR", "parse.amount"},
		{"OnlySymbol", "€", EN, "EUR", "parse.amount"},
		{"TwoSymbols", "€48k€", EN, "EUR", "parse.amount"},
		{"Plus", "+5", EN, "EUR", "parse.amount"},
		{"Exponent", "1e6", EN, "EUR", "parse.amount"},
		{"Hex", "0x10", EN, "EUR", "parse.amount"},
		{"LeadingZeroGroup", "0,500", EN, "EUR", "parse.amount_decimals"},
		{"TooLong", strings.Repeat("1", 100), EN, "EUR", "parse.amount"},
		{"InvalidUTF8", "48\xff", EN, "EUR", "parse.amount"},
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
		loc  Locale
		now  time.Time
		want string
	}{
		{"ISO", "2026-12-15", EN, wed, "2026-12-15"},
		{"ISOSlashes", "2026/12/15", FR, wed, "2026-12-15"},
		{"Today", "today", EN, wed, "2026-11-18"},
		{"TodayCaps", " Today ", EN, wed, "2026-11-18"},
		{"Tomorrow", "tomorrow", EN, wed, "2026-11-19"},
		{"Yesterday", "yesterday", EN, wed, "2026-11-17"},
		{"Demain", "demain", FR, wed, "2026-11-19"},
		{"DemainUnderEn", "demain", EN, wed, "2026-11-19"},
		{"Aujourdhui", "aujourd'hui", FR, wed, "2026-11-18"},
		{"AujourdhuiCurly", "Aujourd’hui", FR, wed, "2026-11-18"},
		{"ApresDemain", "après-demain", FR, wed, "2026-11-20"},
		{"Fri", "fri", EN, wed, "2026-11-20"},
		{"Friday", "Friday", EN, wed, "2026-11-20"},
		{"NextFriday", "next friday", EN, wed, "2026-11-20"},
		{"FridayOnFriday", "fri", EN, wed.AddDate(0, 0, 2), "2026-11-27"},
		{"ThisFridayOnFriday", "this friday", EN, wed.AddDate(0, 0, 2), "2026-11-20"},
		{"Wed", "wed", EN, wed, "2026-11-25"},
		{"Mon", "mon", EN, wed, "2026-11-23"},
		{"Vendredi", "vendredi", FR, wed, "2026-11-20"},
		{"Ven", "ven.", FR, wed, "2026-11-20"},
		{"VendrediProchain", "vendredi prochain", FR, wed, "2026-11-20"},
		{"CeVendredi", "ce vendredi", FR, wed, "2026-11-20"},
		{"Mardi", "mar", FR, wed, "2026-11-24"},
		{"NextWeek", "next week", EN, wed, "2026-11-23"},
		{"SemaineProchaine", "la semaine prochaine", FR, wed, "2026-11-23"},
		{"In2Weeks", "in 2 weeks", EN, wed, "2026-12-02"},
		{"In3Days", "in 3 days", EN, wed, "2026-11-21"},
		{"InADay", "in a day", EN, wed, "2026-11-19"},
		{"In1Month", "in 1 month", EN, wed, "2026-12-18"},
		{"MonthClamps", "in 1 month", EN, time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC), "2027-02-28"},
		{"MonthLeap", "in 1 month", EN, time.Date(2028, 1, 31, 12, 0, 0, 0, time.UTC), "2028-02-29"},
		{"TwoWeeksBare", "2 weeks", EN, wed, "2026-12-02"},
		{"Dans2Semaines", "dans 2 semaines", FR, wed, "2026-12-02"},
		{"DansUnMois", "dans un mois", FR, wed, "2026-12-18"},
		{"Dans3Jours", "dans 3 jours", FR, wed, "2026-11-21"},
		{"EOM", "eom", EN, wed, "2026-11-30"},
		{"EndOfMonth", "end of month", EN, wed, "2026-11-30"},
		{"EndOfFebLeap", "eom", EN, time.Date(2028, 2, 3, 0, 0, 0, 0, time.UTC), "2028-02-29"},
		{"FinDuMois", "fin du mois", FR, wed, "2026-11-30"},
		{"EOQ", "eoq", EN, wed, "2026-12-31"},
		{"EOQFirst", "eoq", EN, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "2026-03-31"},
		{"EOQSecond", "end of quarter", EN, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "2026-06-30"},
		{"EOQThird", "fin du trimestre", FR, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), "2026-09-30"},
		{"EOY", "eoy", EN, wed, "2026-12-31"},
		{"FinDAnnee", "fin d'année", FR, wed, "2026-12-31"},
		{"FrDayMonth", "15/12", FR, wed, "2026-12-15"},
		{"EnMonthDay", "12/15", EN, wed, "2026-12-15"},
		{"FrDayMonthAmbiguous", "05/06", FR, wed, "2027-06-05"},
		{"EnMonthDayAmbiguous", "05/06", EN, wed, "2027-05-06"},
		{"EnDayFirstFallback", "15/12", EN, wed, "2026-12-15"},
		{"PastDayMonthIsNextYear", "15/01", FR, wed, "2027-01-15"},
		{"TodayDayMonth", "18/11", FR, wed, "2026-11-18"},
		{"LeapDayNextOccurrence", "29/02", FR, wed, "2028-02-29"},
		{"FrFull", "15/12/2026", FR, wed, "2026-12-15"},
		{"FrPastWithYear", "15/01/2026", FR, wed, "2026-01-15"},
		{"FrDots", "15.12.26", FR, wed, "2026-12-15"},
		{"EnFull", "12/15/2026", EN, wed, "2026-12-15"},
		{"EnFormatted", "Dec 15, 2026", EN, wed, "2026-12-15"},
		{"FrFormatted", "15 déc. 2026", FR, wed, "2026-12-15"},
		{"FrFirst", "1er janv. 2027", FR, wed, "2027-01-01"},
		{"FrLongMonth", "15 décembre", FR, wed, "2026-12-15"},
		{"EnOrdinal", "December 15th", EN, wed, "2026-12-15"},
		{"DayMonthName", "3 aug", EN, wed, "2027-08-03"},
		{"MarchNotTuesday", "15 mar", EN, wed, "2027-03-15"},
		{"ShortEn", "Tue 15 Dec", EN, wed, "2026-12-15"},
		{"ShortFr", "mar. 15 déc.", FR, wed, "2026-12-15"},
		{"LongEn", "Tuesday, December 15, 2026", EN, wed, "2026-12-15"},
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
		loc  Locale
	}{
		{"Someday", "someday", EN},
		{"Empty", "", EN},
		{"Blank", "   ", FR},
		{"NoSuchDay", "2026-02-30", EN},
		{"NoSuchDayFr", "31/04", FR},
		{"BadMonth", "15/13", FR},
		{"BothBad", "13/13", EN},
		{"WrongWeekday", "Mon 15 Dec 2026", EN},
		{"YearTooFar", "3000-01-01", EN},
		{"YearTooOld", "1899-12-31", EN},
		{"TooFarAhead", "in 99999 days", EN},
		{"ThreeDigitPart", "123/12", FR},
		{"MixedSeparators", "15/12-2026", FR},
		{"ThreeDigitYear", "15/12/202", FR},
		{"NegativeDays", "in -3 days", EN},
		{"UnknownUnit", "in 3 fortnights", EN},
		{"NextNext", "next next friday", EN},
		{"BareNumber", "15", EN},
		{"MonthAlone", "december", EN},
		{"DayTooBig", "Dec 32", EN},
		{"InvalidUTF8", "\xffdemain", FR},
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
