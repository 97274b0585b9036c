package coaching

import (
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

// Day is a date argument of a nudge's message; it renders itself in the
// reader's locale ("Dec 15, 2026", "15 déc. 2026").
type Day domain.Date

// Localize implements i18n.Localizer.
func (d Day) Localize(loc i18n.Locale) string { return i18n.FormatDate(loc, d.Year, d.Month, d.Day) }

// String is the ISO form, for logs and tests.
func (d Day) String() string { return domain.Date(d).String() }

// Fields is a list of fields as a message argument: "Budget, Timeline".
type Fields []domain.Field

// Localize implements i18n.Localizer.
func (fs Fields) Localize(loc i18n.Locale) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Localize(loc)
	}
	return strings.Join(names, ", ")
}

// key is the stable text of the list inside a Nudge.Key: "budget+timeline".
func (fs Fields) key() string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names, "+")
}

// Percent is a discount in basis points as a message argument: "12.5%",
// "12,5 %" in French; whole percentages show no decimals.
type Percent int

// Localize implements i18n.Localizer.
func (p Percent) Localize(loc i18n.Locale) string {
	bp := int(p)
	if bp%100 == 0 {
		return i18n.FormatPercent(loc, bp/100)
	}
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	frac := strconv.Itoa(100 + bp%100)[1:] // two digits, "05" for 0.05
	frac = strings.TrimRight(frac, "0")
	mark, sep := ".", ""
	if loc == i18n.FR {
		mark, sep = ",", i18n.FrenchPercentSep
	}
	return sign + strconv.Itoa(bp/100) + mark + frac + sep + "%"
}
