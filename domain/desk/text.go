package desk

import (
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// Users is a list of users in a message, joined by "or": a transport
// renders each as a mention on its platform (Join with its own mention).
// Without a transport (logs, Error()) Localize writes plain text with the
// ids: "@U1", "@U1 or @U2", "@U1, @U2 or @U3" ("ou" in French), and
// "nobody" ("personne") when empty.
type Users []domain.UserID

// Localize implements i18n.Localizer with the plain form; it is what a
// reader sees only where no transport renders the users as mentions.
func (us Users) Localize(loc i18n.Locale) string {
	return us.Join(loc, func(u domain.UserID) string { return "@" + string(u) }, func(s string) string { return s })
}

// Join writes us in loc joined by "or", each user as mention(u) and the
// words around them through text (a transport's escaping): "A", "A or B",
// "A, B or C", and "nobody" for none.
func (us Users) Join(loc i18n.Locale, mention func(domain.UserID) string, text func(string) string) string {
	if len(us) == 0 {
		return text(i18n.T(loc, "desk.nobody"))
	}
	ms := make([]string, len(us))
	for i, u := range us {
		ms[i] = mention(u)
	}
	if len(ms) == 1 {
		return ms[0]
	}
	return strings.Join(ms[:len(ms)-1], text(", ")) + text(i18n.T(loc, "desk.or")) + ms[len(ms)-1]
}

// Moment is a point in time that renders itself in messages as a date and a
// time of day in its own location: "Dec 15, 2026, 14:05 UTC",
// "15 déc. 2026 à 14:05 UTC". Convert it to the reader's time zone
// (Moment(t.In(tz))) before rendering to show their local time.
type Moment time.Time

// Localize implements i18n.Localizer.
func (m Moment) Localize(loc i18n.Locale) string {
	t := time.Time(m)
	y, mo, d := t.Date()
	return i18n.T(loc, "desk.moment", i18n.FormatDate(loc, y, mo, d), t.Format("15:04 MST"))
}

// number is a count that renders itself with the locale's thousands
// separator ("1,000", "1 000").
type number int

func (n number) Localize(loc i18n.Locale) string { return i18n.FormatNumber(loc, int64(n)) }
