package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
)

func TestIDs(t *testing.T) {
	tests := []struct {
		id            string
		user, channel bool
	}{
		{"8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e", true, false},
		{"00000000-0000-0000-0000-000000000000", true, false},
		{"8C4B2F1E-2D3A-4B5C-9D6E-0F1A2B3C4D5E", false, false}, // Teams sends lower case: one person, one id
		{"8c4b2f1e2d3a4b5c9d6e0f1a2b3c4d5e", false, false},     // no dashes
		{"{8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e}", false, false},
		{"8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5", false, false}, // one short
		{"29:1abcDEF", false, false},                          // the Bot Framework's per-bot id
		{"19:abc123def@thread.tacv2", false, true},
		{"19:a1b2-c3_d4.e5@thread.tacv2", false, true},
		{"19:abc123def@thread.skype", false, true}, // teams from before 2020
		{"19:abc@thread.v2", false, false},         // a group chat, not a channel
		{"19:abc@thread.tacv2;messageid=1", false, false},
		{"19:@thread.tacv2", false, false},
		{"abc@thread.tacv2", false, false},
		{"#forecast", false, false},
		{"U0REP1", false, false},
		{"C0DESK", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := IDs().User.Match(tt.id); got != tt.user {
			t.Errorf("User.Match(%q) = %v, want %v", tt.id, got, tt.user)
		}
		if got := IDs().Channel.Match(tt.id); got != tt.channel {
			t.Errorf("Channel.Match(%q) = %v, want %v", tt.id, got, tt.channel)
		}
	}
}

// TestConfigBothPlatforms: one file names people and channels of either
// platform under Slack's and Teams' rules together, and a name where an id
// belongs is refused with what both platforms' ids look like.
func TestConfigBothPlatforms(t *testing.T) {
	ids := config.Either(slackapp.IDs(), IDs())
	content := strings.Replace(strings.Replace(sample.Config, "manager: U0MGR", "manager: 8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e", 1),
		"channel: C0DESK", `channel: "19:desk01@thread.tacv2"`, 1)
	cfg, err := config.Parse("dealpilot.yaml", []byte(content), ids)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Teams[0].Manager != "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e" || cfg.DealDesk.Channel != "19:desk01@thread.tacv2" {
		t.Errorf("manager %s, desk %s", cfg.Teams[0].Manager, cfg.DealDesk.Channel)
	}
	bad := strings.Replace(sample.Config, "manager: U0MGR", `manager: "@marie"`, 1)
	_, err = config.Parse("dealpilot.yaml", []byte(bad), ids)
	want := `teams[0].manager: "@marie" is not a Slack user id (U or W then capitals and digits, e.g. U0123ABCD; Slack shows it under the user's profile, Copy member ID) or a Microsoft Entra object id (a GUID in lower case, e.g. 8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e; Entra admin center, Users, the user's Object ID)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
