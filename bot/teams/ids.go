package teams

import (
	"regexp"
	"strings"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
)

// IDs returns Teams' rules for the ids a configuration file names: a
// person is their Microsoft Entra object id (a GUID, what Teams sends as
// from.aadObjectId), a channel its Teams id "19:…@thread.tacv2" (teams
// created before 2020 keep "19:…@thread.skype"). The "29:…" id the Bot
// Framework gives a user is per bot and not what an admin can look up, so
// it is not accepted.
func IDs() config.IDs {
	return config.IDs{
		User: config.IDRule{Match: entraID.MatchString,
			What: "a Microsoft Entra object id (a GUID in lower case, e.g. 8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e; Entra admin center, Users, the user's Object ID)"},
		Channel: config.IDRule{Match: channelID.MatchString,
			What: "a Teams channel id (19:…@thread.tacv2; in Teams, the channel's … menu, Get link to channel, the part after /channel/ decoded)"},
	}
}

var (
	// Lower case, as Teams sends aadObjectId; upper case is refused so
	// that one person is never two ids.
	entraID   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	channelID = regexp.MustCompile(`^19:[0-9A-Za-z_\-.]+@thread\.(tacv2|skype)$`)
)

// OwnsUser reports whether u is a Teams person (a Microsoft Entra object
// id), for a process that serves Slack and Teams from one store.
func OwnsUser(u domain.UserID) bool { return entraID.MatchString(string(u)) }

// OwnsConversation reports whether id is a Teams channel, thread or
// conversation ("19:…", "a:…", "…;messageid=…"): Teams' ids all hold a
// colon, Slack's (C…, D…, G…) never do.
func OwnsConversation(id string) bool { return strings.Contains(id, ":") }
