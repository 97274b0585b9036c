package manifests

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestBotScopes(t *testing.T) {
	got := BotScopes()
	for _, want := range []string{"commands", "chat:write", "files:write", "users:read", "users:read.email", "im:write"} {
		if !slices.Contains(got, want) {
			t.Errorf("manifest bot scopes %v lack %s", got, want)
		}
	}
	// users:read.email is granted only with users:read (Slack's scope page).
	if slices.Contains(got, "users:read.email") && !slices.Contains(got, "users:read") {
		t.Error("the manifest asks users:read.email without users:read, which it needs")
	}
	if _, err := parseBotScopes([]byte("oauth_config: {scopes: {bot: []}}")); err == nil {
		t.Error("a manifest with no bot scope was accepted")
	}
}

func TestBotEvents(t *testing.T) {
	got := BotEvents()
	for _, want := range []string{"app_home_opened", "member_joined_channel", "file_shared"} {
		if !slices.Contains(got, want) {
			t.Errorf("manifest bot events %v lack %s", got, want)
		}
	}
	// Slack delivers an event only with the scope it needs
	// (docs.slack.dev/reference/events): the manifest asks for each.
	needs := map[string]string{"file_shared": "files:read", "message.im": "im:history",
		"message.channels": "channels:history", "message.groups": "groups:history"}
	for _, e := range got {
		if scope, ok := needs[e]; ok && !slices.Contains(BotScopes(), scope) {
			t.Errorf("the manifest subscribes to %s without the %s scope it needs", e, scope)
		}
	}
}

// TestReadmeListsEveryScope: the README's install section names every scope
// the manifest asks for (an admin approves them) and sends the admin to
// dealpilot doctor before serve.
func TestReadmeListsEveryScope(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, "## Install into a Slack workspace")
	end := strings.Index(readme, "### Environment")
	if start < 0 || end < start {
		t.Fatal("the README has no install section before Environment")
	}
	install := readme[start:end]
	for _, s := range BotScopes() {
		if !strings.Contains(install, "| `"+s+"` |") {
			t.Errorf("the install section's scope table lacks %s and why it is needed", s)
		}
	}
	doctor, serve := strings.Index(install, "dealpilot doctor"), strings.Index(install, "\n   dealpilot serve\n") // the command in its block
	if doctor < 0 || serve < 0 || doctor > serve {
		t.Error("the install section must send the admin to dealpilot doctor before serve")
	}
	if !strings.Contains(install, "/invite @dealpilot") {
		t.Error("the install section does not say to invite the bot")
	}
}

func TestTeamsBotName(t *testing.T) {
	if got := TeamsBotName(); got != "dealpilot" {
		t.Errorf("TeamsBotName() = %q, want the manifest's name.short, dealpilot", got)
	}
}

func TestSlackBotName(t *testing.T) {
	if got := SlackBotName(); got != "dealpilot" {
		t.Errorf("SlackBotName() = %q, want the manifest's features.bot_user.display_name, dealpilot", got)
	}
}
