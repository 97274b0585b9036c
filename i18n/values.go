package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// How the domain's values read in a message. domain holds only rules: its
// errors and nudges name a catalogue key and hand over values (an amount, a
// date, a field, a percentage…); this file is where each is written in the
// reader's locale. T writes every argument it knows this way.

// Author is how an author that is not a person reads (the CRM import:
// "CRM import", "import CRM"); ok is false for a user's id, which a
// transport writes as a mention or the user's name.
func Author(loc Locale, u domain.UserID) (string, bool) {
	if u == domain.ImportAuthor {
		return T(loc, "author.import"), true
	}
	return "", false
}

// Value writes a domain value as loc reads it; ok is false for a value that
// is not one of the domain's message arguments (nor a Localizer).
func Value(loc Locale, a any) (s string, ok bool) {
	switch v := a.(type) {
	case Localizer:
		return v.Localize(loc), true
	case domain.Money:
		return FormatAmount(loc, v.Minor, v.Currency), true
	case domain.Date:
		if v.IsZero() {
			return "—", true
		}
		return FormatDay(loc, v), true
	case domain.Field:
		return FieldName(loc, v), true
	case domain.Category:
		return T(loc, "category."+string(v)), true
	case domain.FieldList:
		return fieldList(loc, v), true
	case domain.MessageKey:
		return T(loc, string(v)), true
	case domain.Percent:
		return FormatBP(loc, int(v)), true
	case domain.Months:
		if v == 1 {
			return T(loc, "months.one"), true
		}
		return T(loc, "months.many", FormatNumber(loc, int64(v))), true
	case domain.DealType:
		return T(loc, "deal_type."+string(v.Of())), true
	case desk.Users:
		return JoinUsers(loc, v, func(u domain.UserID) string { return "@" + string(u) }, func(s string) string { return s }), true
	case domain.SplitList:
		return JoinSplits(loc, v, func(u domain.UserID) string { return "@" + string(u) }), true
	case desk.Moment:
		t := time.Time(v)
		y, mo, d := t.Date()
		return T(loc, "desk.moment", FormatDate(loc, y, mo, d), t.Format("15:04 MST")), true
	case desk.Number:
		return FormatNumber(loc, int64(v)), true
	case desk.Term:
		return T(loc, "desk.term."+string(v)), true
	case desk.Side:
		return T(loc, "desk.side."+string(v)), true
	case desk.Label:
		return T(loc, "desk.field."+string(v)), true
	case coaching.Day:
		return FormatDate(loc, v.Year, v.Month, v.Day), true
	case coaching.Fields:
		return fieldList(loc, v), true
	case coaching.Days:
		return days(loc, v), true
	}
	return "", false
}

// Localize writes v as a message would: a domain value as Value does,
// anything else with fmt's %v.
func Localize(loc Locale, v any) string {
	if s, ok := Value(loc, v); ok {
		return s
	}
	return fmt.Sprint(v)
}

// Message writes a domain error's message in loc.
func Message(loc Locale, e *domain.Error) string { return T(loc, e.Key, e.Args...) }

// ErrorMessage returns the message a user should see for err: the message of
// a *domain.Error (each of domain.Errors, one a line), and only a generic one
// for anything else, so internal details (paths, tokens, stack traces) never
// reach a user.
func ErrorMessage(loc Locale, err error) string {
	es, ok := domain.ErrorsOf(err)
	if !ok {
		return T(loc, "error.internal")
	}
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = Message(loc, e)
	}
	return strings.Join(msgs, "\n")
}

// FormatDay writes a date in loc with its year: "Dec 15, 2026", "15 déc.
// 2026". The zero Date is "".
func FormatDay(loc Locale, d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return FormatDate(loc, d.Year, d.Month, d.Day)
}

// FormatDayShort writes a date in loc with its weekday and without its year:
// "Tue 15 Dec", "mar. 15 déc.". The zero Date is "".
func FormatDayShort(loc Locale, d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return FormatDateShort(loc, d.Year, d.Month, d.Day)
}

// FormatAmountInput writes minor units of currency as domain.ParseAmount
// reads them back in loc, without the currency, for prefilling a form:
// "48,000.50" in English, "48 000,50" in French (with ordinary spaces, easy
// to edit).
func FormatAmountInput(minor int64, currency string, loc Locale) string {
	return strings.ReplaceAll(FormatMinor(loc, minor, currency), FrenchThousandsSep, " ")
}

func fieldList[F ~string](loc Locale, fs []F) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = FieldName(loc, domain.Field(f))
	}
	return strings.Join(names, ", ")
}

// FieldName is how a field reads in loc: its catalogue label, or for a
// segment attribute (domain.AttrField) its name as the configuration's
// segments: write it, capitalised, underscores as spaces ("size_band":
// "Size band"), the same in every locale: the company named it.
func FieldName(loc Locale, f domain.Field) string {
	if name, ok := f.Attr(); ok {
		return AttrLabel(name)
	}
	return T(loc, "field."+string(f))
}

// AttrLabel is how a segment attribute's name reads ("size_band": "Size band").
func AttrLabel(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// JoinUsers writes us in loc joined by "or", each user as mention(u) and
// the words around them through text (a transport's escaping): "A",
// "A or B", "A, B or C", and "nobody" for none. Value writes desk.Users
// with it as plain "@U1" ids.
func JoinUsers(loc Locale, us desk.Users, mention func(domain.UserID) string, text func(string) string) string {
	if len(us) == 0 {
		return text(T(loc, "desk.nobody"))
	}
	ms := make([]string, len(us))
	for i, u := range us {
		ms[i] = mention(u)
	}
	if len(ms) == 1 {
		return ms[0]
	}
	return strings.Join(ms[:len(ms)-1], text(", ")) + text(T(loc, "desk.or")) + ms[len(ms)-1]
}

// days writes tenths of a day: "23", "22.6", "22,6" in French.
func days(loc Locale, d coaching.Days) string {
	s := strconv.Itoa(int(d) / 10)
	if f := int(d) % 10; f != 0 {
		mark := "."
		if loc == FR {
			mark = ","
		}
		s += mark + strconv.Itoa(f)
	}
	return s
}
