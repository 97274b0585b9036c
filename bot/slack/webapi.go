package slack

import (
	"context"
	"errors"
	"net"
	"time"

	goslack "github.com/slack-go/slack"
)

// maxAttempts bounds how often one Web API call is tried after server
// errors and time-outs. 429s do not count: a burst past Slack's rate limits
// (a reminder fan-out, a busy deal-desk channel held to about a message a
// second) is waited out, however many Retry-Afters it takes, for as long as
// the caller's context allows; giving up after a few would drop the rest.
const maxAttempts = 5

// call runs one Web API call, waiting out 429s for as long as Slack's
// Retry-After says and retrying server errors and timeouts with a backoff.
// Other errors (a bad request, a missing scope) are returned at once. A
// call that shows or shares something (chat.postMessage,
// chat.postEphemeral, a response_url post, files.completeUploadExternal) is
// not retried after a server error or a time-out: Slack may have done it,
// and a user would read it twice. postMessage and Upload look before they
// send it again; an ephemeral cannot be looked for, so it is sent once. A
// 429 is safe to retry: Slack did nothing.
func (a *App) call(ctx context.Context, method string, fn func() error) error {
	backoff := 200 * time.Millisecond
	var err error
	start := time.Now()
	defer func() { a.metrics.APICall(method, time.Since(start), err) }()
	for attempt := 1; attempt <= maxAttempts; {
		err = fn()
		if err == nil {
			return nil
		}
		wait := time.Duration(0)
		var rl *goslack.RateLimitedError
		var status goslack.StatusCodeError
		var nerr net.Error
		switch {
		case errors.As(err, &rl):
			a.metrics.RateLimited(method)
			wait = max(rl.RetryAfter, 100*time.Millisecond)
		case showsOnce(method) && uncertain(err):
			return err // it may have gone through: the caller looks before sending it again, or not at all
		case errors.As(err, &status) && status.Code >= 500:
			wait = backoff
		case errors.As(err, &nerr) && nerr.Timeout():
			wait = backoff
		default:
			if isAuthError(err) {
				a.webOK.Store(false) // not ready until watchWebAPI sees the token work again
			}
			return err
		}
		if rl == nil && attempt >= maxAttempts {
			break // the last attempt: nothing follows to wait for
		}
		a.log.Debug().Str("method", method).Int("attempt", attempt).Dur("wait", wait).Err(err).Msg("web api: retrying")
		select {
		case <-ctx.Done():
			err = ctx.Err()
			return err
		case <-time.After(wait):
		}
		if rl == nil { // a 429 is not an attempt: Slack asked us to wait
			attempt++
			backoff *= 2
		}
	}
	return err
}

// showsOnce reports whether method shows a message or shares a file:
// retried after a time-out or a 5xx, it could show it twice.
func showsOnce(method string) bool {
	switch method {
	case "chat.postMessage", "chat.postEphemeral", "response_url", "files.completeUploadExternal":
		return true
	}
	return false
}

// errReplyRefused: a response_url that is not on Slack's host.
var errReplyRefused = errors.New("response_url refused: not on the Slack API host")

// respond posts an ephemeral answer to a response_url, only when it is on
// Slack's host (replyAllowed). The URL is a credential for a while: only
// its host is logged.
func (a *App) respond(ctx context.Context, raw string, m message) error {
	if !a.replyAllowed(raw) {
		a.log.Warn().Str("host", urlHost(raw)).Msg("response_url refused: not on the Slack API host; nothing posted")
		return errReplyRefused
	}
	m = a.sealed(m)
	err := a.call(ctx, "response_url", func() error {
		// The URL is a credential: errors (logged here and by call's
		// retries) name its host only.
		return redactURL(goslack.PostWebhookContext(ctx, raw, &goslack.WebhookMessage{
			ResponseType: goslack.ResponseTypeEphemeral,
			Text:         m.Text,
			Blocks:       &goslack.Blocks{BlockSet: m.Blocks},
		}), raw)
	})
	if err != nil {
		a.log.Warn().Err(err).Str("host", urlHost(raw)).Msg("response_url post failed")
	}
	return err
}

// dm sends a direct message (conversations.open + chat.postMessage).
func (a *App) dm(ctx context.Context, user string, m message, once postOnce) error {
	var channel string
	err := a.call(ctx, "conversations.open", func() error {
		ch, _, _, err := a.api.OpenConversationContext(ctx, &goslack.OpenConversationParameters{Users: []string{user}})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err == nil {
		_, err = a.postMessage(ctx, channel, "", m, once)
	}
	if err != nil {
		a.log.Warn().Err(err).Str("to", user).Msg("direct message failed")
		return postError(channel, err)
	}
	return nil
}

// post sends a message to a channel.
func (a *App) post(ctx context.Context, channel string, m message) error {
	_, err := a.postMessage(ctx, channel, "", m, postOnce{})
	return err
}
