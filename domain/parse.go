package domain

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file reads amounts and dates as reps type them, in either language,
// and writes them back in a form that reads again to the same value.

const maxInputLen = 64 // longer input is refused before it is looked at

// ParseAmount reads an amount typed in loc and returns it in minor units of
// currency (cents for EUR). It uses integer arithmetic only.
//
// It accepts plain numbers ("48000"), thousands separators (comma, dot,
// space, U+00A0, U+202F, U+2009, apostrophe: "48,000", "48 000", "48'000"),
// decimals ("48,000.50"; "48 000,50" in French), the multipliers k and M
// ("48k", "1.2M", "1,2M", "12.5k") and currency's code or symbol before or
// after the number ("€48k", "48k€", "EUR 48k", "48 000 €").
//
// How a lone "." or "," is read: the locale's decimal mark ("." in English,
// "," in French) is always a decimal mark, so "1,200k" is 1,200 in French and
// "48.505" is refused in English (too many decimals); the English thousands
// separator "," is a thousands separator when three digits follow it
// ("48,000"), else a decimal mark ("1,2M"); a "." in French is whichever
// reading is valid ("48.000" is 48000, "1.2M" is 1.2 million) and refused when
// both are ("1.500k"). With both marks present the last one is the decimal
// mark ("48.000,50"); next to space separators the mark is decimal.
//
// Failures are *Error values on FieldAmount: empty, not a number ("12kk"),
// negative, over MaxAmountMinor, more decimals than the currency and
// multiplier allow, another currency's symbol or code ("$48k" when the
// currency is EUR), and ambiguous separators.
func ParseAmount(s string, loc Locale, currency string) (int64, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, FieldErrorf(FieldAmount, "parse.amount_empty")
	}
	quoted := Clip(in, quoteMax)
	bad := func() error { return FieldErrorf(FieldAmount, "parse.amount", quoted) }
	if len(in) > maxInputLen || !utf8.ValidString(in) {
		return 0, bad()
	}
	cur := CurrencyOf(currency)

	// Sign and currency marker, in either order: "-€5", "€-5", "-5 €".
	body, neg := trimSign(in)
	body, ours, foreign := trimMarker(body, cur)
	if foreign {
		return 0, FieldErrorf(FieldAmount, "parse.amount_currency", quoted, cur.Code)
	}
	if ours {
		if b, n := trimSign(body); n {
			if neg {
				return 0, bad()
			}
			body, neg = b, true
		}
		if _, _, foreign := trimMarker(body, cur); foreign {
			return 0, FieldErrorf(FieldAmount, "parse.amount_currency", quoted, cur.Code)
		}
	}

	// Multiplier.
	mult := 0
	if r, size := utf8.DecodeLastRuneInString(body); size > 0 {
		switch r {
		case 'k', 'K':
			mult = 3
		case 'm', 'M':
			mult = 6
		}
		if mult > 0 {
			body = strings.TrimRightFunc(body[:len(body)-size], unicode.IsSpace)
		}
	}
	if body == "" {
		return 0, bad()
	}

	whole, frac, err := splitNumber(body, loc, cur.Exponent+mult)
	switch err {
	case nil:
	case errDecimals:
		return 0, FieldErrorf(FieldAmount, "parse.amount_decimals", quoted, cur.Code)
	case errAmbiguous:
		return 0, FieldErrorf(FieldAmount, "parse.amount_ambiguous", quoted)
	default:
		return 0, bad()
	}

	scale := cur.Exponent + mult
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", scale-len(frac)), "0")
	if digits == "" {
		return 0, nil
	}
	if neg {
		return 0, FieldErrorf(FieldAmount, "parse.amount_negative", quoted)
	}
	if len(digits) > 18 {
		return 0, FieldErrorf(FieldAmount, "parse.amount_too_big", quoted)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > MaxAmountMinor {
		return 0, FieldErrorf(FieldAmount, "parse.amount_too_big", quoted)
	}
	return n, nil
}

type parseError string

func (e parseError) Error() string { return string(e) }

const (
	errSyntax    = parseError("not a number")
	errDecimals  = parseError("too many decimals")
	errAmbiguous = parseError("ambiguous separator")
)

// splitNumber splits digits and separators into whole and fractional digits,
// deciding which separator is the decimal mark (see ParseAmount). scale is
// the most fractional digits allowed.
func splitNumber(s string, loc Locale, scale int) (whole, frac string, err error) {
	// Runs of digits and the single separator after each.
	var runs []string
	var seps []rune
	start := 0
	for i, r := range s {
		if r >= '0' && r <= '9' {
			continue
		}
		kind, ok := sepKind(r)
		if !ok {
			return "", "", errSyntax
		}
		runs = append(runs, s[start:i])
		seps = append(seps, kind)
		start = i + utf8.RuneLen(r)
	}
	runs = append(runs, s[start:])
	for i, run := range runs {
		if run == "" && !(i == 0 && len(runs) == 2) { // only ".5" may start with a separator
			return "", "", errSyntax
		}
	}
	if len(seps) == 0 {
		return s, "", nil
	}

	count := map[rune]int{}
	for _, k := range seps {
		count[k]++
	}
	last := seps[len(seps)-1]
	decimalMark := ','
	if loc != FR {
		decimalMark = '.'
	}

	asDecimal := func() (string, string, error) {
		if count[last] != 1 || last == ' ' {
			return "", "", errSyntax
		}
		w, err := grouped(runs[:len(runs)-1], seps[:len(seps)-1])
		if err != nil {
			return "", "", err
		}
		f := runs[len(runs)-1]
		if len(f) > scale {
			return "", "", errDecimals
		}
		return w, f, nil
	}
	asGrouped := func() (string, string, error) {
		w, err := grouped(runs, seps)
		return w, "", err
	}

	switch {
	case len(count) > 1: // two kinds: the last one is the decimal mark
		return asDecimal()
	case last == ' ' || count[last] > 1:
		return asGrouped()
	case last == decimalMark:
		return asDecimal()
	case last == ',': // English thousands separator
		if w, f, err := asGrouped(); err == nil {
			return w, f, nil
		}
		return asDecimal()
	}
	// A lone "." in French: whichever reading is valid.
	w1, f1, err1 := asGrouped()
	w2, f2, err2 := asDecimal()
	switch {
	case err1 == nil && err2 == nil:
		return "", "", errAmbiguous
	case err1 == nil:
		return w1, f1, nil
	case err2 == nil:
		return w2, f2, nil
	}
	return "", "", err2
}

// grouped joins digit runs split by thousands separators, which must all be
// of one kind, with 1-3 digits (not starting with 0) before the first and
// exactly 3 after each. A single run is any number of digits.
func grouped(runs []string, seps []rune) (string, error) {
	if len(runs) == 1 {
		return runs[0], nil
	}
	if len(runs[0]) < 1 || len(runs[0]) > 3 || runs[0][0] == '0' {
		return "", errSyntax
	}
	for i, run := range runs[1:] {
		if len(run) != 3 || seps[i] != seps[0] {
			return "", errSyntax
		}
	}
	return strings.Join(runs, ""), nil
}

// sepKind classifies a separator: '.', ',' or ' ' for every kind of space.
func sepKind(r rune) (rune, bool) {
	switch r {
	case '.', ',':
		return r, true
	case ' ', '\u00a0', '\u202f', '\u2009', '\'', '’':
		return ' ', true
	}
	return 0, false
}

func trimSign(s string) (string, bool) {
	for _, minus := range []string{"-", "−"} {
		if strings.HasPrefix(s, minus) {
			return strings.TrimLeftFunc(s[len(minus):], unicode.IsSpace), true
		}
	}
	return s, false
}

// trimMarker removes cur's code or symbol from the start or the end of s.
// foreign reports that s starts or ends with another currency's marker
// instead ("$" when cur is EUR).
func trimMarker(s string, cur Currency) (rest string, ours, foreign bool) {
	n, mine := longestMarker(s, cur, true)
	if n > 0 && mine {
		return strings.TrimLeftFunc(s[n:], unicode.IsSpace), true, false
	}
	foreign = n > 0
	n, mine = longestMarker(s, cur, false)
	if n > 0 && mine {
		return strings.TrimRightFunc(s[:len(s)-n], unicode.IsSpace), true, foreign
	}
	return s, false, foreign || n > 0
}

// longestMarker finds the longest currency marker (code, symbol or alias of
// any known currency, any case) that s starts with, or ends with when prefix
// is false. It returns the marker's length in bytes and whether it is one of
// cur's; a marker shared by several currencies ("$") is cur's when cur is one
// of them.
func longestMarker(s string, cur Currency, prefix bool) (n int, mine bool) {
	consider := func(m string, isCur bool) {
		if len(m) > len(s) || len(m) < n {
			return
		}
		affix := s[:len(m)]
		if !prefix {
			affix = s[len(s)-len(m):]
		}
		if !strings.EqualFold(affix, m) {
			return
		}
		if len(m) > n {
			n, mine = len(m), isCur
		} else if isCur {
			mine = true
		}
	}
	for _, c := range Currencies() {
		isCur := c.Code == cur.Code
		consider(c.Code, isCur)
		consider(c.Symbol, isCur)
		for _, a := range c.Aliases {
			consider(a, isCur)
		}
	}
	consider(cur.Code, true) // a currency missing from the table
	return n, mine
}

// ParseDate reads a date typed in loc, relative to now, which must be in the
// user's time zone: "today" is now's calendar day there. Words of both
// languages are understood whatever loc is; loc decides only whether "12/11"
// is 12 November (fr) or 11 December (en).
//
// It accepts:
//
//   - ISO dates: 2026-12-15;
//   - day and month in loc's order, with an optional year: 15/12, 15/12/2026,
//     15.12.26 in French, 12/15 and 12/15/2026 in English; when loc's order
//     gives no valid date but the other order does (15/12 in English), the
//     other order is used;
//   - month names, as FormatDate and FormatDateShort write them:
//     "Dec 15, 2026", "15 déc. 2026", "1er décembre", "Tue 15 Dec" (a weekday
//     that does not match the date is refused);
//   - today, tomorrow, yesterday, day after tomorrow; aujourd'hui, demain,
//     hier, après-demain;
//   - weekdays: "fri", "friday", "next friday", "vendredi", "ven.",
//     "vendredi prochain" all mean the coming Friday, strictly after today
//     (on a Friday, "fri" is a week later: today is "today"); "this friday"
//     and "ce vendredi" include today;
//   - next week, semaine prochaine: the coming Monday;
//   - in 3 days, in 2 weeks, in 1 month, in a week; dans 3 jours,
//     dans 2 semaines, dans un mois ("in" may be left out). Adding months
//     keeps the day of the month, or takes the month's last day when it has
//     fewer (Jan 31 + 1 month = Feb 28);
//   - end of month, eom, fin du mois, fdm: the last day of this month;
//     end of quarter, eoq, fin du trimestre: the last day of this calendar
//     quarter (not the fiscal one); end of year, eoy, fin d'année: Dec 31.
//
// A date without a year is its next occurrence on or after today. Years run
// from 1900 to 2999.
//
// Anything else is an *Error with key "parse.date" and no Field; use
// ParseDateField to tie the error to a form input.
func ParseDate(s string, loc Locale, now time.Time) (Date, error) {
	if d, ok := parseDate(s, loc, DateOf(now)); ok {
		return d, nil
	}
	return Date{}, FieldErrorf("", "parse.date", Clip(strings.TrimSpace(s), quoteMax))
}

// ParseDateField is ParseDate for the input field: its error names the field
// ("Close date: 'someday' is not a date; …") and has Field set to it.
func ParseDateField(field Field, s string, loc Locale, now time.Time) (Date, error) {
	if d, ok := parseDate(s, loc, DateOf(now)); ok {
		return d, nil
	}
	return Date{}, FieldErrorf(field, "parse.date_field", field, Clip(strings.TrimSpace(s), quoteMax))
}

const minYear, maxYear = 1900, 2999

func parseDate(s string, loc Locale, today Date) (Date, bool) {
	if len(s) > maxInputLen || !utf8.ValidString(s) {
		return Date{}, false
	}
	words := dateWords(s)
	if len(words) == 0 {
		return Date{}, false
	}
	d, ok := parseDateWords(words, loc, today)
	if !ok || d.Year < minYear || d.Year > maxYear {
		return Date{}, false
	}
	return d, true
}

// dateWords lowercases s, folds French accents and apostrophes, drops commas
// and the dots that end abbreviations ("déc.", "ven."), and splits it into words.
func dateWords(s string) []string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case 'à', 'â', 'ä':
			return 'a'
		case 'é', 'è', 'ê', 'ë':
			return 'e'
		case 'î', 'ï':
			return 'i'
		case 'ô', 'ö':
			return 'o'
		case 'û', 'ù', 'ü':
			return 'u'
		case 'ç':
			return 'c'
		case '’', '‘':
			return '\''
		case ',':
			return ' '
		}
		return r
	}, strings.ToLower(s))
	words := strings.Fields(s)
	for i, w := range words {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			words[i] = strings.TrimSuffix(w, ".")
		}
	}
	return words
}

var datePhrases = map[string]func(today Date) Date{
	"today":              func(t Date) Date { return t },
	"aujourd'hui":        func(t Date) Date { return t },
	"auj":                func(t Date) Date { return t },
	"tomorrow":           func(t Date) Date { return t.AddDays(1) },
	"tmrw":               func(t Date) Date { return t.AddDays(1) },
	"tmr":                func(t Date) Date { return t.AddDays(1) },
	"demain":             func(t Date) Date { return t.AddDays(1) },
	"day after tomorrow": func(t Date) Date { return t.AddDays(2) },
	"apres-demain":       func(t Date) Date { return t.AddDays(2) },
	"apres demain":       func(t Date) Date { return t.AddDays(2) },
	"yesterday":          func(t Date) Date { return t.AddDays(-1) },
	"hier":               func(t Date) Date { return t.AddDays(-1) },
	"next week":          func(t Date) Date { return nextWeekday(t, time.Monday, false) },
	"semaine prochaine":  func(t Date) Date { return nextWeekday(t, time.Monday, false) },
	"la semaine prochaine": func(t Date) Date {
		return nextWeekday(t, time.Monday, false)
	},
	"eom":                   endOfMonth,
	"end of month":          endOfMonth,
	"end of the month":      endOfMonth,
	"fin du mois":           endOfMonth,
	"fin de mois":           endOfMonth,
	"fdm":                   endOfMonth,
	"eoq":                   endOfQuarter,
	"end of quarter":        endOfQuarter,
	"end of the quarter":    endOfQuarter,
	"fin du trimestre":      endOfQuarter,
	"fin de trimestre":      endOfQuarter,
	"eoy":                   endOfYear,
	"end of year":           endOfYear,
	"end of the year":       endOfYear,
	"fin d'annee":           endOfYear,
	"fin de l'annee":        endOfYear,
	"fin de l'annee civile": endOfYear,
}

func endOfMonth(t Date) Date   { return NewDate(t.Year, t.Month+1, 0) }
func endOfQuarter(t Date) Date { return NewDate(t.Year, (t.Month-1)/3*3+4, 0) }
func endOfYear(t Date) Date    { return Date{t.Year, time.December, 31} }

// nextWeekday returns the first wd strictly after today, or on or after it
// when orToday is set.
func nextWeekday(today Date, wd time.Weekday, orToday bool) Date {
	n := (int(wd) - int(today.Weekday()) + 7) % 7
	if n == 0 && !orToday {
		n = 7
	}
	return today.AddDays(n)
}

// addMonths adds n months, keeping the day or taking the last day of a
// shorter month.
func addMonths(d Date, n int) Date {
	first := NewDate(d.Year, d.Month+time.Month(n), 1)
	last := NewDate(first.Year, first.Month+1, 0).Day
	return Date{first.Year, first.Month, min(d.Day, last)}
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday, "dim": time.Sunday, "dimanche": time.Sunday,
	"mon": time.Monday, "monday": time.Monday, "lun": time.Monday, "lundi": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday, "mar": time.Tuesday, "mardi": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday, "mer": time.Wednesday, "mercredi": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday, "jeu": time.Thursday, "jeudi": time.Thursday,
	"fri": time.Friday, "friday": time.Friday, "ven": time.Friday, "vendredi": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday, "sam": time.Saturday, "samedi": time.Saturday,
}

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "janv": 1, "janvier": 1,
	"feb": 2, "february": 2, "fev": 2, "fevr": 2, "fevrier": 2,
	"mar": 3, "march": 3, "mars": 3,
	"apr": 4, "april": 4, "avr": 4, "avril": 4,
	"may": 5, "mai": 5,
	"jun": 6, "june": 6, "juin": 6,
	"jul": 7, "july": 7, "juil": 7, "juillet": 7,
	"aug": 8, "august": 8, "aou": 8, "aout": 8,
	"sep": 9, "sept": 9, "september": 9, "septembre": 9,
	"oct": 10, "october": 10, "octobre": 10,
	"nov": 11, "november": 11, "novembre": 11,
	"dec": 12, "december": 12, "decembre": 12,
}

var dateUnits = map[string]string{
	"day": "d", "days": "d", "jour": "d", "jours": "d", "j": "d", "d": "d",
	"week": "w", "weeks": "w", "wk": "w", "wks": "w", "semaine": "w", "semaines": "w", "sem": "w", "w": "w",
	"month": "m", "months": "m", "mois": "m",
}

func parseDateWords(w []string, loc Locale, today Date) (Date, bool) {
	if f, ok := datePhrases[strings.Join(w, " ")]; ok {
		return f(today), true
	}
	if len(w) == 1 {
		if d, ok := parseNumericDate(w[0], loc, today); ok {
			return d, true
		}
	}
	if d, ok := parseRelative(w, today); ok {
		return d, true
	}
	if d, ok := parseWeekday(w, today); ok {
		return d, true
	}
	return parseNamedMonth(w, today)
}

// parseRelative reads "[in|dans] N unit".
func parseRelative(w []string, today Date) (Date, bool) {
	if len(w) == 3 && (w[0] == "in" || w[0] == "dans") {
		w = w[1:]
	}
	if len(w) != 2 {
		return Date{}, false
	}
	var n int
	switch w[0] {
	case "a", "an", "one", "un", "une":
		n = 1
	default:
		v, ok := smallInt(w[0], 4)
		if !ok {
			return Date{}, false
		}
		n = v
	}
	switch dateUnits[w[1]] {
	case "d":
		return today.AddDays(n), true
	case "w":
		return today.AddDays(7 * n), true
	case "m":
		return addMonths(today, n), true
	}
	return Date{}, false
}

// parseWeekday reads "fri", "next fri", "friday next", "this fri",
// "vendredi", "vendredi prochain", "prochain vendredi", "ce vendredi".
func parseWeekday(w []string, today Date) (Date, bool) {
	orToday := false
	switch {
	case len(w) == 2 && (w[0] == "next" || w[0] == "prochain"):
		w = w[1:]
	case len(w) == 2 && (w[1] == "next" || w[1] == "prochain"):
		w = w[:1]
	case len(w) == 2 && (w[0] == "this" || w[0] == "ce"):
		w, orToday = w[1:], true
	}
	if len(w) != 1 {
		return Date{}, false
	}
	wd, ok := weekdayNames[w[0]]
	if !ok {
		return Date{}, false
	}
	return nextWeekday(today, wd, orToday), true
}

// parseNumericDate reads 2026-12-15, 15/12, 15/12/2026, 15.12.26 (day first
// in French, month first in English).
func parseNumericDate(s string, loc Locale, today Date) (Date, bool) {
	sep := strings.IndexAny(s, "/.-")
	if sep < 0 {
		return Date{}, false
	}
	parts := strings.Split(s, s[sep:sep+1])
	if len(parts) < 2 || len(parts) > 3 {
		return Date{}, false
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if len(p) == 0 || len(p) > 4 || (len(p) > 2 && !(len(p) == 4 && (i == 0 || i == 2))) {
			return Date{}, false
		}
		v, ok := smallInt(p, 4)
		if !ok {
			return Date{}, false
		}
		nums[i] = v
	}
	if len(parts[0]) == 4 { // year first: ISO order only
		if len(parts) != 3 || len(parts[1]) > 2 || len(parts[2]) > 2 {
			return Date{}, false
		}
		return validDate(nums[0], nums[1], nums[2])
	}
	year := 0
	if len(parts) == 3 {
		switch len(parts[2]) {
		case 2:
			year = 2000 + nums[2]
		case 4:
			year = nums[2]
		default:
			return Date{}, false
		}
	}
	day, month := nums[0], nums[1]
	if loc != FR {
		day, month = month, day
	}
	if d, ok := dayMonth(year, time.Month(month), day, today); ok {
		return d, true
	}
	return dayMonth(year, time.Month(day), month, today) // the other order
}

// parseNamedMonth reads "[weekday] day month [year]" and
// "[weekday] month day [year]".
func parseNamedMonth(w []string, today Date) (Date, bool) {
	if d, ok := dayMonthYear(w, today); ok {
		return d, true
	}
	if len(w) < 2 {
		return Date{}, false
	}
	wd, ok := weekdayNames[w[0]]
	if !ok {
		return Date{}, false
	}
	d, ok := dayMonthYear(w[1:], today)
	if !ok || d.Weekday() != wd {
		return Date{}, false
	}
	return d, true
}

func dayMonthYear(w []string, today Date) (Date, bool) {
	if len(w) < 2 || len(w) > 3 {
		return Date{}, false
	}
	year := 0
	if len(w) == 3 {
		if len(w[2]) != 4 {
			return Date{}, false
		}
		y, ok := smallInt(w[2], 4)
		if !ok {
			return Date{}, false
		}
		year = y
	}
	if m, ok := monthNames[w[1]]; ok {
		if day, ok := ordinal(w[0]); ok {
			return dayMonth(year, m, day, today)
		}
	}
	if m, ok := monthNames[w[0]]; ok {
		if day, ok := ordinal(w[1]); ok {
			return dayMonth(year, m, day, today)
		}
	}
	return Date{}, false
}

// ordinal reads a day of the month: "15", "1er", "1st", "2nd", "3rd", "15th".
func ordinal(s string) (int, bool) {
	for _, suffix := range []string{"er", "st", "nd", "rd", "th"} {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			s = t
			break
		}
	}
	if len(s) > 2 {
		return 0, false
	}
	return smallInt(s, 2)
}

// dayMonth returns the date, or with year 0 its next occurrence on or after
// today.
func dayMonth(year int, m time.Month, day int, today Date) (Date, bool) {
	if year != 0 {
		return validDate(year, int(m), day)
	}
	for y := today.Year; y <= today.Year+8; y++ {
		if d, ok := validDate(y, int(m), day); ok && !d.Before(today) {
			return d, true
		}
	}
	return Date{}, false
}

// validDate refuses days that do not exist, such as 2026-02-30.
func validDate(y, m, d int) (Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	date := NewDate(y, time.Month(m), d)
	if date.Day != d {
		return Date{}, false
	}
	return date, true
}

// smallInt parses at most maxDigits ASCII digits.
func smallInt(s string, maxDigits int) (int, bool) {
	if s == "" || len(s) > maxDigits {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
