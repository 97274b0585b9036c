package slack

import (
	"context"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
)

// postAll posts messages in order (a digest split to stay within Slack's
// limits) and returns the first one's ts. It stops at the first failure.
func (a *App) postAll(ctx context.Context, channel, thread string, ms []message) (string, error) {
	var first string
	for _, m := range ms {
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
		if err != nil {
			return first, err
		}
		if first == "" {
			first = ts
		}
	}
	return first, nil
}

// runLater does a reply's deferred work (posting a digest now) after the
// ack, and tells the user through the command's response_url if it failed.
func (a *App) runLater(ctx context.Context, x *exchange, cmd goslack.SlashCommand, l bot.Later) {
	if err := l.Run(ctx, a); err != nil {
		x.log.Error().Err(err).Msg("deferred work failed")
		if cmd.ResponseURL != "" {
			a.respond(ctx, cmd.ResponseURL, plainMessage(text(a.loc, bot.M("error.internal"))))
		}
	}
}
