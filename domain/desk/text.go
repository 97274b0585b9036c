package desk

import (
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Users is a list of users in a message, joined by "or": a transport
// renders each as a mention on its platform (i18n.JoinUsers with its own
// mention). Without a transport the i18n package writes plain text with the
// ids: "@U1", "@U1 or @U2", "@U1, @U2 or @U3" ("ou" in French), and
// "nobody" ("personne") when empty.
type Users []domain.UserID

// Moment is a point in time that renders itself in messages as a date and a
// time of day in its own location: "Dec 15, 2026, 14:05 UTC",
// "15 déc. 2026 à 14:05 UTC". Convert it to the reader's time zone
// (Moment(t.In(tz))) before rendering to show their local time.
type Moment time.Time

// Number is a count as a message argument, written with the locale's
// thousands separator ("1,000", "1 000").
type Number int
