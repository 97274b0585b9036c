package slack

import (
	"fmt"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/i18n"
)

// The neutral styles of bot's messages (bot/style.go) in Slack's syntax: the
// catalogue is plain text, and this file is where emphasis and icons become
// mrkdwn and emoji codes.

// emoji is the Slack emoji code of icon; empty for an unset or unknown icon.
func emoji(icon bot.Icon) string {
	switch icon {
	case bot.IconWon:
		return ":trophy:"
	case bot.IconApproved:
		return ":white_check_mark:"
	case bot.IconRejected:
		return ":no_entry:"
	case bot.IconChangesRequested:
		return ":leftwards_arrow_with_hook:"
	case bot.IconWaiting:
		return ":hourglass:"
	case bot.IconExpired:
		return ":hourglass_flowing_sand:"
	case bot.IconWithdrawn:
		return ":wastebasket:"
	case bot.IconPeople:
		return ":busts_in_silhouette:"
	}
	return ""
}

// withIcon opens s with icon's emoji; an unset or unknown icon adds nothing.
func withIcon(icon bot.Icon, s string) string {
	if e := emoji(icon); e != "" {
		return e + " " + s
	}
	return s
}

// bold sets mrkdwn apart in bold. s is already mrkdwn (escaped user text,
// catalogue text), so nothing is escaped here.
func bold(s string) string { return "*" + s + "*" }

// strongArg renders a Strong argument: the argument as arg renders it, in bold.
func strongArg(loc i18n.Locale, s bot.Strong) string { return bold(fmt.Sprint(arg(loc, s.Arg))) }
