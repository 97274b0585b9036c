package manifests

import (
	"slices"
	"testing"
)

func TestBotScopes(t *testing.T) {
	got := BotScopes()
	for _, want := range []string{"commands", "chat:write", "files:write", "users:read", "im:write"} {
		if !slices.Contains(got, want) {
			t.Errorf("manifest bot scopes %v lack %s", got, want)
		}
	}
	if _, err := parseBotScopes([]byte("oauth_config: {scopes: {bot: []}}")); err == nil {
		t.Error("a manifest with no bot scope was accepted")
	}
}

func TestBotEvents(t *testing.T) {
	got := BotEvents()
	for _, want := range []string{"app_home_opened", "member_joined_channel"} {
		if !slices.Contains(got, want) {
			t.Errorf("manifest bot events %v lack %s", got, want)
		}
	}
}
