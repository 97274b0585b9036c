package slacktest

import (
	"fmt"
	"os"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/dealpilot/dealpilot/manifests"
)

// Manifest is what the server reads of an app manifest (the file an admin
// pastes into api.slack.com, manifests/slack-app.yaml for dealpilot): the
// slash commands and how Slack encodes their text, the bot scopes, the
// events the app subscribes to and whether users may message it.
type Manifest struct {
	// Commands are the declared slash commands by name ("/deal").
	Commands map[string]ManifestCommand
	// BotScopes are oauth_config.scopes.bot.
	BotScopes []string
	// BotEvents are settings.event_subscriptions.bot_events
	// ("message.channels", "message.im", "app_home_opened"…).
	BotEvents []string
	// MessagesTab is true when users may write to the app in its
	// Messages tab (app_home.messages_tab_enabled and not read-only).
	MessagesTab bool
}

// ManifestCommand is one declared slash command.
type ManifestCommand struct {
	// ShouldEscape asks Slack to send the command's text escaped: &, <, >
	// as entities, mentions as <@U…|name>, channels as <#C…|name>, links as
	// <url> or <url|label>. Slack's default is false.
	ShouldEscape bool
}

// Subscribes reports whether the app receives events of type event
// ("message.im"…).
func (m *Manifest) Subscribes(event string) bool { return slices.Contains(m.BotEvents, event) }

type manifestYAML struct {
	Features struct {
		AppHome struct {
			MessagesTabEnabled         bool `yaml:"messages_tab_enabled"`
			MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			BotEvents []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
	} `yaml:"settings"`
}

// ParseManifest reads an app manifest in YAML (JSON is YAML too).
func ParseManifest(data []byte) (Manifest, error) {
	var y manifestYAML
	if err := yaml.Unmarshal(data, &y); err != nil {
		return Manifest{}, fmt.Errorf("slacktest: manifest: %w", err)
	}
	m := Manifest{
		Commands:    map[string]ManifestCommand{},
		BotScopes:   y.OAuth.Scopes.Bot,
		BotEvents:   y.Settings.EventSubscriptions.BotEvents,
		MessagesTab: y.Features.AppHome.MessagesTabEnabled && !y.Features.AppHome.MessagesTabReadOnlyEnabled,
	}
	for _, c := range y.Features.SlashCommands {
		if _, dup := m.Commands[c.Command]; dup {
			return Manifest{}, fmt.Errorf("slacktest: manifest: slash command %s declared twice", c.Command)
		}
		m.Commands[c.Command] = ManifestCommand{ShouldEscape: c.ShouldEscape}
	}
	return m, nil
}

// ReadManifest reads the app manifest at path.
func ReadManifest(path string) (Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("slacktest: %w", err)
	}
	return ParseManifest(data)
}

// WithManifest makes the server behave as Slack does for an app installed
// from m: a slash command m does not declare is refused (Slack would never
// send it), command text is encoded per should_escape, the bot token holds
// m's scopes and the app hears of the events m subscribes to (WithScopes
// and WithBotEvents, given too, win). Without it the server follows the
// embedded manifests/slack-app.yaml, except that any command is accepted
// (escaped unless declared otherwise).
func WithManifest(m Manifest) Option {
	return func(c *config) { c.manifest = &m }
}

// applyManifest settles what the app declared, once every option is read.
func (c *config) applyManifest() error {
	m := c.manifest
	if m == nil {
		def, err := ParseManifest(manifests.SlackApp)
		if err != nil {
			return err
		}
		c.commands, c.messagesTab = def.Commands, def.MessagesTab
		return nil
	}
	c.commands, c.messagesTab, c.strictCommands = m.Commands, m.MessagesTab, true
	if !c.scopesSet {
		c.scopes, c.scopesSet = slices.Clone(m.BotScopes), true
	}
	if c.botEvents == nil {
		c.botEvents = append([]string{}, m.BotEvents...)
	}
	return nil
}
