package desk

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// Fields of the request form, as block ids and *domain.Error.Field name
// them. domain's deal fields (domain.FieldAmount, domain.FieldCurrency) are
// used for the list amount and its currency.
const (
	FieldDiscount      domain.Field = "discount"
	FieldJustification domain.Field = "justification"
	FieldCompetitor    domain.Field = "competitor"
	FieldTerms         domain.Field = "terms"
	FieldOtherTerms    domain.Field = "other_terms"
	FieldPlan          domain.Field = "plan"
	FieldComment       domain.Field = "comment"
)

// MaxBP is 100 % in basis points.
const MaxBP = 10_000

const maxPercentInput = 32 // longer input is refused before it is looked at

// ParsePercent reads a percentage as a rep types it and returns it in basis
// points: "12.5", "12,5", "12.5%", "12,5 %" (any space before the sign,
// including U+00A0 and U+202F, so what i18n.FormatBP writes reads back),
// "10", "0.75", ",5". Both "." and "," are decimal marks whatever loc is: a
// percentage is never large enough to need a thousands separator, and
// reading "12,5" as 125 would be a costly mistake. loc is the language the
// rep types in and is kept for symmetry with i18n.FormatBP.
//
// It refuses, with an *Error on FieldDiscount: empty input, anything that is
// not a number, more than two decimals ("12.345": basis points are the
// finest grain), and values below 0 or above 100. Zero is accepted here;
// NewRequest refuses a request for no discount.
func ParsePercent(s string, loc domain.Locale) (int, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, domain.FieldErrorf(FieldDiscount, "desk.percent_empty")
	}
	quoted := domain.Clip(in, 20)
	bad := func() (int, error) { return 0, domain.FieldErrorf(FieldDiscount, "desk.percent", quoted) }
	if len(in) > maxPercentInput || !utf8.ValidString(in) {
		return bad()
	}
	body := strings.TrimRightFunc(strings.TrimSuffix(in, "%"), unicode.IsSpace)
	neg := false
	if r, size := utf8.DecodeRuneInString(body); r == '-' || r == '−' {
		neg, body = true, body[size:]
	}
	whole, frac, hasMark := strings.Cut(body, ".")
	if !hasMark {
		whole, frac, hasMark = strings.Cut(body, ",")
	}
	switch {
	case !digits(whole) || !digits(frac):
		return bad()
	case whole == "" && frac == "": // "%", "-", "."
		return bad()
	case hasMark && frac == "": // "12." or "12,": a stray mark
		return bad()
	}
	if len(frac) > 2 {
		return 0, domain.FieldErrorf(FieldDiscount, "desk.percent_decimals", quoted)
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 3 {
		return 0, domain.FieldErrorf(FieldDiscount, "desk.percent_range", quoted)
	}
	w, _ := strconv.Atoi("0" + whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	bp := w*100 + f
	if bp > MaxBP || neg && bp > 0 {
		return 0, domain.FieldErrorf(FieldDiscount, "desk.percent_range", quoted)
	}
	return bp, nil
}

// digits reports whether s is only ASCII digits (true for "").
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Cost returns what a discount of bp basis points takes off list (minor
// units): domain.DiscountCost, the one formula that deals' net amounts use
// too, so a request's net is exactly what the forecast counts once approved.
func Cost(list int64, bp int) int64 { return domain.DiscountCost(list, bp) }

// NetAmount returns list less the discount's Cost, so that net plus cost is
// exactly list.
func NetAmount(list int64, bp int) int64 { return list - Cost(list, bp) }
