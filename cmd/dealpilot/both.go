package main

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

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

// slackOffError is errSlackOff for one Slack channel or person, named.
type slackOffError struct{ to string }

func (e *slackOffError) Error() string        { return e.to + ": " + errSlackOff.Error() }
func (e *slackOffError) Is(target error) bool { return target == errSlackOff }

func offFor(to string) error { return &slackOffError{to: to} }

// slackOff is Slack in a process that serves Teams only: it sends nothing
// and says why, naming the channel or person.
type slackOff struct{}

func (slackOff) Post(_ context.Context, channel, _ string, _ bot.Reply) (string, error) {
	return "", offFor(channel)
}
func (slackOff) PostParts(_ context.Context, channel, _ string, _ bot.Reply, _ []string, _ func(int, string) error) (string, error) {
	return "", offFor(channel)
}
func (slackOff) Update(_ context.Context, channel, _ string, _ bot.Reply) error {
	return offFor(channel)
}
func (slackOff) DM(_ context.Context, user domain.UserID, _ bot.Reply) error {
	return offFor(string(user))
}
func (slackOff) Upload(_ context.Context, channel, _, _ string, _ []byte) error {
	return offFor(channel)
}
func (slackOff) Location(context.Context, domain.UserID) *time.Location { return nil }
func (slackOff) DisplayName(context.Context, domain.UserID) string      { return "" }
func (slackOff) Ephemeral(_ context.Context, _, _ string, user domain.UserID, _ bot.Reply) error {
	return offFor(string(user))
}

// tickLog logs the errors of the scheduled jobs' ticks. A post or DM for
// a Slack id on a bot that serves Teams only is reported once per id: the
// job tries again at every tick (a minute) and the id stays in the store
// until someone changes it, so logging each try would bury the log under
// the same line.
type tickLog struct {
	log      zerolog.Logger
	reported map[string]bool // the Slack ids reported
}

func newTickLog(log zerolog.Logger) *tickLog {
	return &tickLog{log: log, reported: map[string]bool{}}
}

func (l *tickLog) errors(errs []error) {
	for _, err := range errs {
		var off *slackOffError
		if errors.As(err, &off) {
			if l.reported[off.to] {
				continue
			}
			l.reported[off.to] = true
			l.log.Warn().Err(err).Str("slack_id", off.to).
				Msg("scheduled job: not sent to a Slack id, reported once (not at every tick): set SLACK_APP_TOKEN and SLACK_BOT_TOKEN to serve Slack too, or give that deal, channel or person a Teams id")
			continue
		}
		l.log.Error().Err(err).Msg("scheduled job failed")
	}
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
