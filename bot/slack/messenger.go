package slack

import (
	"bytes"
	"context"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// App implements bot.Messenger on Slack's Web API: scheduled jobs and the
// deal desk speak through it.
var _ bot.Messenger = (*App)(nil)

// Post sends a message to a channel, or into a thread, and returns its ts.
func (a *App) Post(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	if d, ok := r.(bot.ForecastDigest); ok {
		return a.postAll(ctx, channel, thread, renderDigest(a.loc, d))
	}
	m := renderReply(a.loc, r)
	opts := []goslack.MsgOption{goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...)}
	if thread != "" {
		opts = append(opts, goslack.MsgOptionTS(thread))
	}
	var ts string
	err := a.call(ctx, "chat.postMessage", func() error {
		var err error
		_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	return ts, err
}

// Update replaces a message the bot posted (chat.update).
func (a *App) Update(ctx context.Context, channel, ts string, r bot.Reply) error {
	m := renderReply(a.loc, r)
	return a.call(ctx, "chat.update", func() error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts, goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...))
		return err
	})
}

// DM sends a direct message.
func (a *App) DM(ctx context.Context, user domain.UserID, r bot.Reply) error {
	return a.dm(ctx, string(user), renderReply(a.loc, r))
}

// Ephemeral shows a message to user only, in channel (chat.postEphemeral).
func (a *App) Ephemeral(ctx context.Context, channel string, user domain.UserID, r bot.Reply) error {
	m := renderReply(a.loc, r)
	return a.call(ctx, "chat.postEphemeral", func() error {
		_, err := a.api.PostEphemeralContext(ctx, channel, string(user), goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...))
		return err
	})
}

// Upload shares a file in a channel through the upload v2 flow.
func (a *App) Upload(ctx context.Context, channel, filename, title string, data []byte) error {
	return a.call(ctx, "files.upload", func() error {
		_, err := a.api.UploadFileContext(ctx, goslack.UploadFileParameters{
			Channel: channel, Filename: filename, Title: title, Reader: bytes.NewReader(data), FileSize: len(data),
		})
		return err
	})
}

// Location is the user's Slack time zone (users.info, cached), or nil.
func (a *App) Location(ctx context.Context, user domain.UserID) *time.Location {
	a.users.warm(ctx, string(user))
	return a.users.location(string(user))
}

// runJobs ticks the bot's scheduled jobs every interval, and once at start
// so work missed while the bot was down is caught up.
func (a *App) runJobs(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, err := range a.bot.Tick(ctx, a) {
			a.log.Error().Err(err).Msg("scheduled job failed")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
