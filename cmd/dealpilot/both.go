package main

import (
	"context"
	"errors"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/domain"
)

// both is the bot's Messenger when one process serves Teams, alone or
// with Slack, from one store: each channel, thread and person goes to the
// platform whose id it is (teams.OwnsConversation, teams.OwnsUser), so the
// scheduled jobs post a Teams team's digest in Teams and a Slack team's in
// Slack. With Slack not served (slack nil), what is Slack's is refused
// with an error saying so (the jobs log it): the configuration cannot
// name a Slack id then (servedIDs), but the store may, from before.
type both struct {
	slack bot.Messenger // nil when Slack is not served
	teams *teams.App
}

var _ bot.Messenger = both{}

func (b both) to(channel string) bot.Messenger {
	if teams.OwnsConversation(channel) {
		return b.teams
	}
	if b.slack == nil {
		return slackOff{}
	}
	return b.slack
}

func (b both) toUser(u domain.UserID) bot.Messenger {
	if teams.OwnsUser(u) {
		return b.teams
	}
	if b.slack == nil {
		return slackOff{}
	}
	return b.slack
}

// errSlackOff is what a post to a Slack channel or person gets from a
// process that serves Teams only.
var errSlackOff = errors.New("not sent: it is for Slack, which this process does not serve (SLACK_APP_TOKEN and SLACK_BOT_TOKEN are unset)")

// slackOff is Slack in a process that serves Teams only: it sends nothing
// and says why.
type slackOff struct{}

func (slackOff) Post(context.Context, string, string, bot.Reply) (string, error) {
	return "", errSlackOff
}
func (slackOff) PostParts(context.Context, string, string, bot.Reply, []string, func(int, string) error) (string, error) {
	return "", errSlackOff
}
func (slackOff) Update(context.Context, string, string, bot.Reply) error      { return errSlackOff }
func (slackOff) DM(context.Context, domain.UserID, bot.Reply) error           { return errSlackOff }
func (slackOff) Upload(context.Context, string, string, string, []byte) error { return errSlackOff }
func (slackOff) Location(context.Context, domain.UserID) *time.Location       { return nil }
func (slackOff) DisplayName(context.Context, domain.UserID) string            { return "" }
func (slackOff) Ephemeral(context.Context, string, string, domain.UserID, bot.Reply) error {
	return errSlackOff
}

func (b both) Post(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	return b.to(channel).Post(ctx, channel, thread, r)
}

func (b both) PostParts(ctx context.Context, channel, thread string, r bot.Reply, posted []string, saved func(int, string) error) (string, error) {
	return b.to(channel).PostParts(ctx, channel, thread, r, posted, saved)
}

func (b both) Update(ctx context.Context, channel, ref string, r bot.Reply) error {
	return b.to(channel).Update(ctx, channel, ref, r)
}

func (b both) DM(ctx context.Context, user domain.UserID, r bot.Reply) error {
	return b.toUser(user).DM(ctx, user, r)
}

func (b both) Ephemeral(ctx context.Context, channel, thread string, user domain.UserID, r bot.Reply) error {
	return b.to(channel).Ephemeral(ctx, channel, thread, user, r)
}

func (b both) Upload(ctx context.Context, channel, filename, title string, data []byte) error {
	return b.to(channel).Upload(ctx, channel, filename, title, data)
}

func (b both) Location(ctx context.Context, user domain.UserID) *time.Location {
	return b.toUser(user).Location(ctx, user)
}

func (b both) DisplayName(ctx context.Context, user domain.UserID) string {
	return b.toUser(user).DisplayName(ctx, user)
}
