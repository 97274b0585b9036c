package i18n

import (
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// How each locale writes numbers:
//
//	        thousands   decimal   amount          percent   date            short date
//	en      ,           .         €48,000.50      25%       Dec 15, 2026    Tue 15 Dec
//	fr      U+202F      ,         48 000,50 €     25 %      15 déc. 2026    mar. 15 déc.
//
// French groups thousands with U+202F NARROW NO-BREAK SPACE, as the French
// typographic convention (and CLDR) does, so a number never breaks across
// lines in Slack; the currency symbol and the percent sign follow the number
// after U+00A0 NO-BREAK SPACE and U+202F respectively. domain.ParseAmount
// accepts both, the ordinary space and U+2009 THIN SPACE as thousands
// separators, so what is shown can be pasted back.
//
// Whole amounts show no decimals ("€48,000"); any other amount shows all the
// currency's decimals ("€48,000.50", never "€48,000.5").
const (
	FrenchThousandsSep = "\u202f" // between groups of digits in French
	FrenchSymbolSep    = "\u00a0" // between a French amount and its currency symbol
	FrenchPercentSep   = "\u202f" // between a French number and %
)

// separators returns loc's thousands separator and decimal mark.
func separators(loc Locale) (thousands, decimal string) {
	if loc == FR {
		return FrenchThousandsSep, ","
	}
	return ",", "."
}

// FormatNumber writes a whole number with loc's thousands separator:
// "1,234,567" in English, "1 234 567" (U+202F) in French.
func FormatNumber(loc Locale, n int64) string {
	th, _ := separators(loc)
	u, neg := absUint(n)
	s := group(strconv.FormatUint(u, 10), th)
	if neg {
		return "-" + s
	}
	return s
}

// FormatPercent writes a whole percentage: "25%" in English, "25 %" in French.
func FormatPercent(loc Locale, pct int) string {
	if loc == FR {
		return FormatNumber(loc, int64(pct)) + FrenchPercentSep + "%"
	}
	return FormatNumber(loc, int64(pct)) + "%"
}

// FormatAmount writes minor units of currency the way loc writes money:
// "€48,000", "€48,000.50", "CHF 1,200", "-€5" in English; "48 000 €",
// "48 000,50 €", "1 200 CHF" in French. Whole amounts show no decimals;
// others show as many as the currency has (two for EUR, three for TND).
func FormatAmount(loc Locale, minor int64, currency string) string {
	c := domain.CurrencyOf(currency)
	num, neg := fixed(loc, minor, c.Exponent, true)
	sign := ""
	if neg {
		sign = "-"
	}
	if loc == FR {
		return sign + num + FrenchSymbolSep + c.Symbol
	}
	if isLetter(c.Symbol) {
		return sign + c.Symbol + " " + num
	}
	return sign + c.Symbol + num
}

// FormatMinor writes minor units as a plain decimal number in loc, without
// currency: "48,000.50" or "48 000,50". Whole amounts show no decimals.
func FormatMinor(loc Locale, minor int64, currency string) string {
	num, neg := fixed(loc, minor, domain.CurrencyOf(currency).Exponent, true)
	if neg {
		return "-" + num
	}
	return num
}

// fixed writes |minor| with exp decimals and loc's separators, dropping the
// decimals when they are all zero and trimWhole is set.
func fixed(loc Locale, minor int64, exp int, trimWhole bool) (s string, neg bool) {
	th, dec := separators(loc)
	u, neg := absUint(minor)
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-exp], digits[len(digits)-exp:]
	s = group(whole, th)
	if frac != "" && !(trimWhole && strings.Trim(frac, "0") == "") {
		s += dec + frac
	}
	return s, neg
}

// group inserts sep between groups of three digits, from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// absUint returns |n| without overflowing on math.MinInt64.
func absUint(n int64) (uint64, bool) {
	if n < 0 {
		return ^uint64(n) + 1, true
	}
	return uint64(n), false
}

func isLetter(s string) bool {
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return true
		}
	}
	return false
}

var (
	monthsEN   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsFR   = [...]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}
	weekdaysEN = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	weekdaysFR = [...]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."}
)

// MonthAbbr returns the short name of m in loc: "Dec", "déc.".
func MonthAbbr(loc Locale, m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	if loc == FR {
		return monthsFR[m-1]
	}
	return monthsEN[m-1]
}

var (
	monthNamesFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// MonthName returns the full name of m in loc: "December", "décembre".
func MonthName(loc Locale, m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	if loc == FR {
		return monthNamesFR[m-1]
	}
	return m.String()
}

// WeekdayAbbr returns the short name of wd in loc: "Tue", "mar.".
func WeekdayAbbr(loc Locale, wd time.Weekday) string {
	if wd < time.Sunday || wd > time.Saturday {
		return strconv.Itoa(int(wd))
	}
	if loc == FR {
		return weekdaysFR[wd]
	}
	return weekdaysEN[wd]
}

// FormatDate writes a calendar day with its year: "Dec 15, 2026" in English,
// "15 déc. 2026" (and "1er déc. 2026" for the first) in French.
// domain.ParseDate reads both back.
func FormatDate(loc Locale, y int, m time.Month, d int) string {
	if loc == FR {
		return frenchDay(d) + " " + MonthAbbr(loc, m) + " " + strconv.Itoa(y)
	}
	return MonthAbbr(loc, m) + " " + strconv.Itoa(d) + ", " + strconv.Itoa(y)
}

// FormatDateShort writes a day of the coming weeks, with its weekday and
// without its year: "Tue 15 Dec" in English, "mar. 15 déc." in French.
func FormatDateShort(loc Locale, y int, m time.Month, d int) string {
	wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()
	day := strconv.Itoa(d)
	if loc == FR {
		day = frenchDay(d)
	}
	return WeekdayAbbr(loc, wd) + " " + day + " " + MonthAbbr(loc, m)
}

// frenchDay writes the day of the month the French way: "1er", "2", … "31".
func frenchDay(d int) string {
	if d == 1 {
		return "1er"
	}
	return strconv.Itoa(d)
}
