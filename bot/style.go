package bot

import "github.com/dealpilot/dealpilot/i18n"

// The catalogue is plain text: it holds no platform markup (i18n's
// TestCatalogueHasNoPlatformMarkup). What a message sets apart, it says with
// the values below, and each transport renders them in its own syntax (Slack:
// *bold* and emoji codes, in bot/slack's style.go); a transport without
// formatting shows the plain words.

// Strong is a message argument the reader's eye should catch: a deal's name
// in an announcement, the title that opens a line. Arg is rendered as any
// argument is (escaped user text, a mention, a nested Msg…), then set apart.
type Strong struct{ Arg any }

// Bold marks a message argument as Strong.
func Bold(arg any) Strong { return Strong{Arg: arg} }

// Localize is the argument without its style, for text written by i18n.T
// alone (a transport without emphasis, a log): a nested Msg as the
// catalogue writes it, any other value as i18n writes it.
func (s Strong) Localize(loc i18n.Locale) string {
	if m, ok := s.Arg.(Msg); ok {
		return i18n.T(loc, m.Key, m.Args...)
	}
	return i18n.Localize(loc, s.Arg)
}

// Icon is a pictogram that opens a message, named by what it means; each
// transport picks its own glyph.
type Icon string

// The icons messages use.
const (
	IconWon              Icon = "won"               // a deal won
	IconApproved         Icon = "approved"          // a discount approved
	IconRejected         Icon = "rejected"          // a discount rejected
	IconChangesRequested Icon = "changes_requested" // a discount sent back for changes
	IconWaiting          Icon = "waiting"           // a decision awaited
	IconExpired          Icon = "expired"           // a request that ran out of time
	IconWithdrawn        Icon = "withdrawn"         // a request its requester took back
	IconPeople           Icon = "people"            // who decides changed
)

// Icons lists every icon, so a transport's tests can check it draws each.
func Icons() []Icon {
	return []Icon{IconWon, IconApproved, IconRejected, IconChangesRequested, IconWaiting, IconExpired, IconWithdrawn, IconPeople}
}

// WithIcon returns m opened by icon.
func (m Msg) WithIcon(icon Icon) Msg { m.Icon = icon; return m }
