// Package manifests embeds the Slack app manifest, so the scopes the app asks
// for are read from the one file admins paste into Slack: the local Slack
// (bot/slack/slacktest) grants exactly those, and `dealpilot doctor` compares
// them with what the installed app was granted.
package manifests

import (
	_ "embed"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// SlackApp is manifests/slack-app.yaml as shipped.
//
//go:embed slack-app.yaml
var SlackApp []byte

// BotScopes returns the bot token scopes the manifest asks for
// (oauth_config.scopes.bot), in the manifest's order.
func BotScopes() []string {
	s, err := parseBotScopes(SlackApp)
	if err != nil {
		// The embedded file is checked by TestBotScopes: this cannot happen
		// in a built binary whose tests passed.
		panic(err)
	}
	return s
}

func parseBotScopes(raw []byte) ([]string, error) {
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("manifests/slack-app.yaml: %w", err)
	}
	if len(m.OAuth.Scopes.Bot) == 0 {
		return nil, fmt.Errorf("manifests/slack-app.yaml: oauth_config.scopes.bot is empty")
	}
	return slices.Clone(m.OAuth.Scopes.Bot), nil
}

// BotEvents returns the bot events the manifest subscribes to
// (settings.event_subscriptions.bot_events), in the manifest's order.
func BotEvents() []string {
	var m struct {
		Settings struct {
			Events struct {
				Bot []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(SlackApp, &m); err != nil {
		panic(fmt.Sprintf("manifests/slack-app.yaml: %v", err)) // checked by TestBotEvents
	}
	return slices.Clone(m.Settings.Events.Bot)
}
