// Package manifests embeds the Slack app manifest, so the scopes the app asks
// for are read from the one file admins paste into Slack: the local Slack
// (bot/slack/slacktest) grants exactly those, and `dealpilot doctor` compares
// them with what the installed app was granted.
package manifests

import (
	_ "embed"
	"encoding/json"
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

// SlackBotName is the bot user's name the Slack manifest declares
// (features.bot_user.display_name): how a message names the bot until the
// app knows its user id, whose mention shows the name the workspace gave.
func SlackBotName() string {
	var m struct {
		Features struct {
			BotUser struct {
				DisplayName string `yaml:"display_name"`
			} `yaml:"bot_user"`
		} `yaml:"features"`
	}
	if err := yaml.Unmarshal(SlackApp, &m); err != nil || m.Features.BotUser.DisplayName == "" {
		panic(fmt.Sprintf("manifests/slack-app.yaml: no features.bot_user.display_name (%v)", err)) // checked by TestSlackBotName
	}
	return m.Features.BotUser.DisplayName
}

// TeamsApp is manifests/teams/manifest.json as shipped.
//
//go:embed teams/manifest.json
var TeamsApp []byte

// TeamsBotName is the name the Teams manifest gives the app (name.short):
// what users mention the bot by, unless the admin renamed it before
// uploading (the bot then learns the name from the activities Teams sends).
func TeamsBotName() string {
	var m struct {
		Name struct {
			Short string `json:"short"`
		} `json:"name"`
	}
	if err := json.Unmarshal(TeamsApp, &m); err != nil || m.Name.Short == "" {
		panic(fmt.Sprintf("manifests/teams/manifest.json: no name.short (%v)", err)) // checked by TestTeamsBotName
	}
	return m.Name.Short
}
