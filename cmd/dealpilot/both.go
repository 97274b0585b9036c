package main

import (
	"context"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/domain"
)

// both is the bot's Messenger when one process serves Slack and Teams from
// one store: each channel, thread and person goes to the platform whose id
// it is (teams.OwnsConversation, teams.OwnsUser), so the scheduled jobs
// post a Teams team's digest in Teams and a Slack team's in Slack.
type both struct {
	slack bot.Messenger
	teams *teams.App
}

var _ bot.Messenger = both{}

func (b both) to(channel string) bot.Messenger {
	if teams.OwnsConversation(channel) {
		return b.teams
	}
	return b.slack
}

func (b both) toUser(u domain.UserID) bot.Messenger {
	if teams.OwnsUser(u) {
		return b.teams
	}
	return b.slack
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
