package slack

import (
	"context"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
)

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
