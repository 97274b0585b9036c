package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// App implements bot.Messenger on Slack's Web API: scheduled jobs and the
// deal desk speak through it.
var _ bot.Messenger = (*App)(nil)

// Post sends a message to a channel, or into a thread, and returns its ts.
// A refusal is a *bot.PostError saying why.
func (a *App) Post(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	return a.PostParts(ctx, channel, thread, r, nil, nil)
}

// PostParts posts the parts of a message (a digest split to stay within
// Slack's limits) in order, skipping those already posted, and calls saved
// with each new part's ts. It stops at the first failure.
func (a *App) PostParts(ctx context.Context, channel, thread string, r bot.Reply, posted []string, saved func(int, string) error) (string, error) {
	var ms []message
	if d, ok := r.(bot.ForecastDigest); ok {
		ms = renderDigest(a.loc, d)
	} else {
		ms = []message{a.render(r)}
	}
	mark, marked := bot.PostMarkOf(ctx)
	first := ""
	for i, m := range ms {
		ts := ""
		if i < len(posted) {
			ts = posted[i]
		}
		if ts == "" {
			var err error
			once := postOnce{}
			if marked {
				once = postOnce{marker: mark.PartMarker(i), look: mark.Look}
			}
			if ts, err = a.postMessage(ctx, channel, thread, m, once); err != nil {
				return first, err
			}
			if saved != nil {
				if err := saved(i, ts); err != nil {
					return first, err
				}
			}
		}
		if first == "" {
			first = ts
		}
	}
	return first, nil
}

// Update replaces a message the bot posted (chat.update).
func (a *App) Update(ctx context.Context, channel, ts string, r bot.Reply) error {
	m := a.sealed(a.render(r))
	err := a.call(ctx, "chat.update", func() error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts, goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...))
		return err
	})
	if err != nil {
		a.log.Warn().Err(err).Str("channel", channel).Str("ts", ts).Msg("updating a message failed")
		return postError(channel, err)
	}
	return nil
}

// DM sends a direct message. With a PostMark on ctx it carries the marker,
// and when the mark says to look, a DM already carrying it is not sent again.
func (a *App) DM(ctx context.Context, user domain.UserID, r bot.Reply) error {
	a.knowSelf(ctx)
	once := postOnce{}
	if mark, ok := bot.PostMarkOf(ctx); ok {
		once = postOnce{marker: mark.PartMarker(0), look: mark.Look}
	}
	return a.dm(ctx, string(user), a.render(r), once)
}

// Ephemeral shows a message to user only, in channel or in its thread
// (chat.postEphemeral with thread_ts).
func (a *App) Ephemeral(ctx context.Context, channel, thread string, user domain.UserID, r bot.Reply) error {
	a.knowSelf(ctx)
	return a.ephemeral(ctx, channel, thread, string(user), a.render(r))
}

// ephemeral posts m for user only, in channel, in the thread when set:
// without thread_ts Slack shows it in the channel, away from the thread
// the user was reading.
func (a *App) ephemeral(ctx context.Context, channel, thread, user string, m message) error {
	m = a.sealed(m)
	opts := []goslack.MsgOption{goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...)}
	if thread != "" {
		opts = append(opts, goslack.MsgOptionTS(thread))
	}
	return a.call(ctx, "chat.postEphemeral", func() error {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
}

// Upload shares a file in a channel through the upload v2 flow, one step
// at a time: asking for an upload URL and sending the bytes there share
// nothing, and are retried as any call; completing the upload shares the
// file, so it is not retried blindly after a time-out or a server error
// (Slack may have shared it): files.info says whether it is shared in the
// channel, and it is completed again only when it is not.
func (a *App) Upload(ctx context.Context, channel, filename, title string, data []byte) error {
	if err := a.upload(ctx, channel, filename, title, data); err != nil {
		a.log.Warn().Err(err).Str("channel", channel).Str("file", filename).Msg("uploading a file failed")
		return postError(channel, err)
	}
	return nil
}

func (a *App) upload(ctx context.Context, channel, filename, title string, data []byte) error {
	var u *goslack.GetUploadURLExternalResponse
	err := a.call(ctx, "files.getUploadURLExternal", func() error {
		var err error
		u, err = a.api.GetUploadURLExternalContext(ctx, goslack.GetUploadURLExternalParameters{FileName: filename, FileSize: len(data)})
		return err
	})
	if err != nil {
		return err
	}
	err = a.call(ctx, "files.upload_url", func() error {
		return a.api.UploadToURL(ctx, goslack.UploadToURLParameters{UploadURL: u.UploadURL, Reader: bytes.NewReader(data), Filename: filename})
	})
	if err != nil {
		return err
	}
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err = a.call(ctx, "files.completeUploadExternal", func() error {
			_, err := a.api.CompleteUploadExternalContext(ctx, goslack.CompleteUploadExternalParameters{
				Files: []goslack.FileSummary{{ID: u.FileID, Title: title}}, Channel: channel})
			return err
		})
		if err == nil || !uncertain(err) || attempt >= maxAttempts || ctx.Err() != nil {
			return err
		}
		shared, ferr := a.fileShared(ctx, u.FileID, channel)
		if ferr != nil {
			a.log.Warn().Err(ferr).Str("channel", channel).Str("file", filename).Msg("cannot tell whether a file was shared; not sharing it again")
			return err
		}
		if shared {
			a.log.Info().Str("channel", channel).Str("file", filename).Msg("a file whose answer was lost had been shared")
			return nil
		}
		a.log.Debug().Err(err).Str("channel", channel).Str("file", filename).Int("attempt", attempt).Msg("file not shared; completing again")
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

// fileShared reports whether file id is shared in channel (files.info). A
// file Slack does not find was not completed: it is not shared.
func (a *App) fileShared(ctx context.Context, id, channel string) (bool, error) {
	var f *goslack.File
	err := a.call(ctx, "files.info", func() error {
		var err error
		f, _, _, err = a.api.GetFileInfoContext(ctx, id, 0, 0)
		return err
	})
	var se goslack.SlackErrorResponse
	if errors.As(err, &se) && se.Err == "file_not_found" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return len(f.Shares.Public[channel]) > 0 || len(f.Shares.Private[channel]) > 0, nil
}

// Location is the user's Slack time zone (users.info, cached), or nil.
func (a *App) Location(ctx context.Context, user domain.UserID) *time.Location {
	a.users.warm(ctx, string(user))
	return a.users.location(string(user))
}

// DisplayName is the user's real name in Slack, else their handle
// (users.info, cached with the time zone), or "" when Slack does not say.
func (a *App) DisplayName(ctx context.Context, user domain.UserID) string {
	a.users.warm(ctx, string(user))
	return a.users.displayName(string(user))
}

// runJobs ticks the bot's scheduled jobs every interval, and once at start
// so work missed while the bot was down is caught up.
func (a *App) runJobs(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		for _, err := range a.bot.Tick(ctx, a) {
			a.logJobError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// logJobError logs a failed job; a panic is logged as a handler's is, with a
// reference and the stack.
func (a *App) logJobError(err error) {
	var p *bot.JobPanic
	if errors.As(err, &p) {
		a.log.Error().Str("ref", newRef()).Err(err).Str("panic", fmt.Sprint(p.Value)).Str("stack", string(p.Stack)).Msg("scheduled job panicked")
		return
	}
	a.log.Error().Err(err).Msg("scheduled job failed")
}
