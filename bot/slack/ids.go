package slack

import (
	"regexp"

	"github.com/dealpilot/dealpilot/bot/config"
)

// IDs returns Slack's rules for the ids a configuration file names, as the
// dealpilot binary checks them (serve, doctor, config check, report): a user
// is U or W then capitals and digits, a conversation C, D or G then capitals
// and digits. The #name or @name a person sees is not an id.
func IDs() config.IDs {
	return config.IDs{
		User: config.IDRule{Match: userID.MatchString,
			What: "a Slack user id (U or W then capitals and digits, e.g. U0123ABCD; Slack shows it under the user's profile, Copy member ID)"},
		Channel: config.IDRule{Match: channelID.MatchString,
			What: "a Slack channel id (C, D or G then capitals and digits, e.g. C0123ABCD; not the #name)"},
	}
}

var (
	userID    = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	channelID = regexp.MustCompile(`^[CDG][A-Z0-9]{2,}$`)
)
