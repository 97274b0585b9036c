package slack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// postEventType is the metadata event type of every message the bot posts:
// its payload's id lets the bot find a post whose answer it never got.
const postEventType = "dealpilot_post"

// postOnce is the marker a post carries: the one the store recorded for it
// (see bot.PostMark), or, when empty, a fresh one for this call only. look
// says an earlier attempt (an earlier tick's) may have gone out.
type postOnce struct {
	marker string
	look   bool
}

// postMessage posts one message (chat.postMessage) and returns its ts. A
// time-out or a server error leaves it unknown whether Slack posted it, so
// it is not posted again blindly: the message carries a marker in its
// metadata, and the channel's history (the thread's replies) is read for
// it first, in this call and, with once.look, before the first attempt
// (the marker is then the one recorded before an earlier attempt). Where
// the history cannot be read (a DM without im:history, Slack failing), it
// is not posted again and the error's reason is bot.PostUncertain. Errors
// are logged with their cause and returned as *bot.PostError.
func (a *App) postMessage(ctx context.Context, channel, thread string, m message, once postOnce) (string, error) {
	marker := once.marker
	if marker == "" {
		marker = newMarker()
	}
	if once.look {
		found, err := a.findPosted(ctx, channel, thread, marker)
		if err != nil {
			a.log.Warn().Err(err).Str("channel", channel).Msg("cannot tell whether an earlier attempt went out; not posting it again yet")
			return "", &bot.PostError{Channel: channel, Reason: bot.PostUncertain, Err: err}
		}
		if found != "" {
			a.log.Info().Str("channel", channel).Str("ts", found).Msg("an earlier attempt whose answer was lost had gone out")
			return found, nil
		}
	}
	m = a.sealed(m)
	opts := []goslack.MsgOption{goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...),
		goslack.MsgOptionMetadata(goslack.SlackMetadata{EventType: postEventType, EventPayload: map[string]any{"id": marker}})}
	if thread != "" {
		opts = append(opts, goslack.MsgOptionTS(thread))
	}
	backoff := 200 * time.Millisecond
	var err error
	unsure := false // the last attempt may have gone out, and nothing says whether
	for attempt := 1; ; attempt++ {
		var ts string
		err = a.call(ctx, "chat.postMessage", func() error {
			var err error
			_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
			return err
		})
		if err == nil {
			return ts, nil
		}
		if !uncertain(err) {
			break // refused: Slack did not post it
		}
		if ctx.Err() != nil {
			unsure = true // no time left to look
			break
		}
		found, ferr := a.findPosted(ctx, channel, thread, marker)
		if ferr != nil {
			a.log.Warn().Err(ferr).Str("channel", channel).Msg("cannot tell whether a post went out; not posting it again")
			unsure = true
			break
		}
		if found != "" {
			a.log.Info().Str("channel", channel).Str("ts", found).Msg("a post whose answer was lost had gone out")
			return found, nil
		}
		if attempt >= maxAttempts {
			break // known not to have gone out, every time
		}
		a.log.Debug().Err(err).Str("channel", channel).Int("attempt", attempt).Msg("post did not go out; posting again")
		select {
		case <-ctx.Done():
			err = ctx.Err()
			return "", postError(channel, err)
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	pe := postError(channel, err)
	if unsure {
		// Perhaps posted: whoever acted is not told it failed, and a
		// retry looks for the marker first.
		pe = &bot.PostError{Channel: channel, Reason: bot.PostUncertain, Err: err}
	}
	a.log.Warn().Err(err).Str("channel", channel).Str("reason", string(pe.Reason)).Msg("posting a message failed")
	return "", pe
}

// findPosted looks for the bot's message carrying marker among the latest
// messages of channel (of the thread when thread is set) and returns its ts,
// or "" when it is not there.
func (a *App) findPosted(ctx context.Context, channel, thread, marker string) (string, error) {
	if strings.HasPrefix(channel, "U") || strings.HasPrefix(channel, "W") {
		return "", errors.New("a DM addressed to a user has no history to read")
	}
	var msgs []goslack.Message
	err := a.call(ctx, "conversations.history", func() error {
		var err error
		if thread != "" {
			msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &goslack.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: thread, Limit: 100, IncludeAllMetadata: true})
			return err
		}
		var h *goslack.GetConversationHistoryResponse
		h, err = a.api.GetConversationHistoryContext(ctx, &goslack.GetConversationHistoryParameters{
			ChannelID: channel, Limit: 100, IncludeAllMetadata: true})
		if err == nil {
			msgs = h.Messages
		}
		return err
	})
	if err != nil {
		return "", err
	}
	for _, m := range msgs {
		if m.Metadata.EventType == postEventType && m.Metadata.EventPayload["id"] == marker {
			return m.Timestamp, nil
		}
	}
	return "", nil
}

// uncertain reports whether a failed call may nevertheless have been
// carried out: a time-out or a server error.
func uncertain(err error) bool {
	var status goslack.StatusCodeError
	var nerr net.Error
	return errors.As(err, &status) && status.Code >= 500 || errors.As(err, &nerr) && nerr.Timeout() ||
		errors.Is(err, context.DeadlineExceeded)
}

// postError turns a Web API error into the bot's words for it.
func postError(channel string, err error) *bot.PostError {
	var pe *bot.PostError
	if errors.As(err, &pe) {
		return pe
	}
	reason := bot.PostFailed
	var se goslack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "not_in_channel":
			reason = bot.PostNotInChannel
		case "channel_not_found":
			reason = bot.PostNoChannel
		case "is_archived":
			reason = bot.PostArchived
		case "user_not_found", "user_disabled", "cannot_dm_bot":
			reason = bot.PostNoRecipient
		case "missing_scope":
			reason = bot.PostNoScope
		}
	}
	return &bot.PostError{Channel: channel, Reason: reason, Err: err}
}

func newMarker() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// knowSelf learns the bot's user id once (auth.test): messages mention the
// bot with it.
func (a *App) knowSelf(ctx context.Context) {
	if a.self.Load() != nil {
		return
	}
	var id string
	err := a.call(ctx, "auth.test", func() error {
		r, err := a.api.AuthTestContext(ctx)
		if err == nil {
			id = r.UserID
		}
		return err
	})
	if err == nil && id != "" {
		a.self.Store(&id)
	}
}

// selfID is the bot's user id, "" until known.
func (a *App) selfID() string {
	if id := a.self.Load(); id != nil {
		return *id
	}
	return ""
}

// botSelf and botInvite are bot.Self and bot.InviteHow once the app knows
// its user id (withSelf): the renderer is a pure function of the reply.
// botNamed and botInviteNamed are them while it does not: the bot's name
// (Options.BotName).
type (
	botSelf        string
	botInvite      string
	botNamed       string
	botInviteNamed string
)

// withSelf gives a notice's mentions of the bot its user id, or while it
// is unknown the bot's name (only notices name the bot).
func withSelf(r bot.Reply, id, name string) bot.Reply {
	n, ok := r.(bot.Notice)
	if !ok || (id == "" && name == "") {
		return r
	}
	msgs := make([]bot.Msg, len(n.Msgs))
	for i, m := range n.Msgs {
		msgs[i] = msgWithSelf(m, id, name)
	}
	return bot.Notice{Msgs: msgs}
}

func msgWithSelf(m bot.Msg, id, name string) bot.Msg {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case bot.Self:
			args[i] = botSelf(id)
			if id == "" {
				args[i] = botNamed(name)
			}
		case bot.InviteHow:
			args[i] = botInvite(id)
			if id == "" {
				args[i] = botInviteNamed(name)
			}
		case bot.Msg:
			args[i] = msgWithSelf(v, id, name)
		default:
			args[i] = a
		}
	}
	m.Args = args
	return m
}

// selfMention is the bot as people mention it: by its user id (Slack
// shows the name the workspace gave it), else as "@name".
func selfMention(id, name string) string {
	if id != "" {
		return mentionOf(domain.UserID(id))
	}
	return "@" + escape(name)
}
