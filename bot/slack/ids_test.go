package slack

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

func TestIDs(t *testing.T) {
	tests := []struct {
		id            string
		user, channel bool
	}{
		{"U0123ABCD", true, false},
		{"W0123ABCD", true, false}, // an Enterprise Grid user
		{"U0REP1", true, false},
		{"C0123ABCD", false, true},
		{"G0123ABCD", false, true},
		{"D0123ABCD", false, true},
		{"U1", false, false}, // too short
		{"C", false, false},
		{"u0admin", false, false},
		{"@marie", false, false},
		{"#forecast", false, false},
		{"<@U0REP1>", false, false},
		{"U0REP1 ", false, false},
		{"B0123ABCD", false, false}, // a bot id is not a user id
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

// TestIDsMessages: a configuration checked by Slack's rules refuses a name
// where an id belongs with the words config check always said.
func TestIDsMessages(t *testing.T) {
	content := strings.Replace(strings.Replace(sample.Config, "manager: U0MGR", `manager: "@marie"`, 1),
		"channel: C0DESK", `channel: "#deal-desk"`, 1)
	_, err := config.Parse("dealpilot.yaml", []byte(content), IDs())
	for _, want := range []string{
		`teams[0].manager: "@marie" is not a Slack user id (U or W then capitals and digits, e.g. U0123ABCD; Slack shows it under the user's profile, Copy member ID)`,
		`deal_desk.channel: "#deal-desk" is not a Slack channel id (C, D or G then capitals and digits, e.g. C0123ABCD; not the #name)`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors:\n%v\nwant a line ending %q", err, want)
		}
	}
	if _, err := config.Parse("sample.yaml", []byte(sample.Config), IDs()); err != nil {
		t.Errorf("the sample team under Slack's rules: %v", err)
	}
}

// TestChecksSlackIdsOnly: a configuration serving Slack and Teams names
// Teams people and channels too; the Slack checks (doctor, start-up) look
// up only the Slack ones, in file order as before.
func TestChecksSlackIdsOnly(t *testing.T) {
	guid := "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e"
	cfg := &config.Config{
		Admins: []domain.UserID{"U0ADMIN", domain.UserID(guid)},
		Teams: []config.Team{{Name: "France", Manager: "U0MGR", Members: []domain.UserID{"U0REP1"}, Channel: "C0FORECAST", WinsChannel: "C0FORECAST"},
			{Name: "Lyon", Manager: domain.UserID(guid), Channel: "19:lyon01@thread.tacv2", WinsChannel: "19:lyon01@thread.tacv2"}},
		DealDesk: config.DealDesk{Channel: "19:desk01@thread.tacv2"},
	}
	var users, channels []string
	for _, r := range configUsers(cfg) {
		users = append(users, r.id)
	}
	for _, r := range configChannels(cfg) {
		channels = append(channels, r.id)
	}
	if got := strings.Join(users, " "); got != "U0ADMIN U0MGR U0REP1" {
		t.Errorf("users checked: %s", got)
	}
	if got := strings.Join(channels, " "); got != "C0FORECAST" {
		t.Errorf("channels checked: %s", got)
	}
}
