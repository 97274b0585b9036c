package slack

import (
	"fmt"
	"strings"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes user text safe inside mrkdwn: Slack reads only &, < and > as
// markup, so a deal named "<!channel>" or "<http://evil|bank>" is shown as
// typed and pings or links nothing.
func escape(s string) string { return escaper.Replace(s) }

// text renders a catalogue message in loc, escaping every argument that came
// from a user and rendering mentions as Slack mentions.
func text(loc i18n.Locale, m bot.Msg) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = arg(loc, a)
	}
	return i18n.T(loc, m.Key, args...)
}

func arg(loc i18n.Locale, a any) any {
	switch v := a.(type) {
	case bot.Mention:
		return "<@" + string(v) + ">"
	case string:
		return escape(v)
	case i18n.Localizer:
		return escape(v.Localize(loc))
	case fmt.Stringer:
		return escape(v.String())
	}
	return a
}

// errorText is what a user reads for err.
func errorText(loc i18n.Locale, err error) string {
	return escape(domain.ErrorMessage(loc, err))
}
