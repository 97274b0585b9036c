package teams

import (
	"fmt"

	"github.com/dealpilot/dealpilot/bot"
)

// The neutral styles of bot's messages (bot/style.go) on Teams: a
// TextBlock's text is a subset of Markdown (bold is **x**), and emoji are
// Unicode characters, not codes.

// glyph is the character that opens a message with icon; "" for an unset
// or unknown icon.
func glyph(icon bot.Icon) string {
	switch icon {
	case bot.IconWon:
		return "🏆"
	case bot.IconApproved:
		return "✅"
	case bot.IconRejected:
		return "⛔"
	case bot.IconChangesRequested:
		return "↩️"
	case bot.IconWaiting:
		return "⌛"
	case bot.IconExpired:
		return "⏳"
	case bot.IconWithdrawn:
		return "🗑️"
	case bot.IconPeople:
		return "👥"
	}
	return ""
}

func withGlyph(icon bot.Icon, s string) string {
	if g := glyph(icon); g != "" {
		return g + " " + s
	}
	return s
}

// strong sets a rendered argument apart in bold.
func (r renderer) strong(s bot.Strong) string { return "**" + fmt.Sprint(r.arg(s.Arg)) + "**" }
