package slack

import (
	"context"
	"errors"
	"time"

	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// ackBudget bounds the work done before an ack: Slack retries after 3 s.
const ackBudget = 2500 * time.Millisecond

func (a *App) caller(user, channel string) bot.Caller {
	return bot.Caller{User: domain.UserID(user), Channel: channel, TZ: a.users.location(user)}
}

// onSlash routes a slash command by its name and first word.
func (a *App) onSlash(x *exchange, cmd goslack.SlashCommand) {
	// Learn the user's time zone after the ack, for their next command.
	x.after(func(ctx context.Context) { a.users.warm(ctx, cmd.UserID) })

	c, ok := a.commands[cmd.Command]
	if !ok {
		x.ack(ephemeral(renderReply(a.loc, bot.Notice{Msgs: []bot.Msg{bot.M("help.unknown_command", cmd.Command)}})))
		return
	}
	h, _, args := c.Route(cmd.Text)
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	defer cancel()
	reply, err := h(ctx, a.caller(cmd.UserID, cmd.ChannelID), args)
	if err != nil {
		a.answerError(x, err)
		return
	}
	if f, ok := reply.(bot.OpenForm); ok {
		x.ack(nil)
		f.Form.Meta.Reply = cmd.ResponseURL
		x.after(func(ctx context.Context) { a.openModal(ctx, x, cmd.TriggerID, f.Form) })
		return
	}
	x.ack(ephemeral(renderReply(a.loc, reply)))
}

// answerError acks a slash command with the error's message for the user;
// internal errors are logged and shown only as a reference.
func (a *App) answerError(x *exchange, err error) {
	if domain.ErrorCode(err) == domain.EINTERNAL {
		a.fail(x, err)
		return
	}
	m := message{Text: errorText(a.loc, err)}
	m.Blocks = []goslack.Block{section(m.Text)}
	x.ack(ephemeral(m))
}

// openModal opens a form for the trigger; Slack gives 3 s from the click.
func (a *App) openModal(ctx context.Context, x *exchange, triggerID string, f bot.Form) {
	view, err := renderModal(a.loc, f)
	if err == nil {
		err = a.call(ctx, "views.open", func() error {
			_, err := a.api.OpenViewContext(ctx, triggerID, view)
			return err
		})
	}
	if err != nil {
		x.log.Error().Err(err).Msg("views.open failed")
		if x.responseURL != "" {
			a.respond(ctx, x.responseURL, plainMessage(text(a.loc, bot.M("form.open_failed"))))
		}
	}
}

// viewHandlers routes modal submissions by callback_id.
func (a *App) viewHandler(callbackID string) func(ctx context.Context, c bot.Caller, v bot.Values, key string) (bot.Reply, error) {
	switch bot.FormKind(callbackID) {
	case bot.FormNewDeal:
		return a.bot.SubmitNewDeal
	}
	return nil
}

// onInteractive routes buttons, selects, modal submissions and suggestions.
func (a *App) onInteractive(x *exchange, cb goslack.InteractionCallback) {
	switch cb.Type {
	case goslack.InteractionTypeViewSubmission:
		a.onSubmit(x, cb)
	case goslack.InteractionTypeBlockSuggestion:
		x.ack(map[string]any{"options": []any{}})
	default:
		x.log.Debug().Msg("interaction not routed")
		x.ack(nil)
	}
}

func (a *App) onSubmit(x *exchange, cb goslack.InteractionCallback) {
	h := a.viewHandler(cb.View.CallbackID)
	if h == nil {
		x.log.Warn().Str("callback_id", cb.View.CallbackID).Msg("submission of an unknown view")
		x.ack(nil)
		return
	}
	meta := formMeta(cb.View.PrivateMetadata)
	c := a.caller(cb.User.ID, meta.Channel)
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	defer cancel()
	// One modal makes one change: its view id keys the work, so a
	// redelivered submission (even after a restart) changes nothing twice.
	reply, err := h(ctx, c, formValues(cb.View.State), "view:"+cb.View.ID)
	var es domain.Errors
	var one *domain.Error
	switch {
	case errors.As(err, &es):
		x.ack(goslack.NewErrorsViewSubmissionResponse(fieldErrors(a.loc, cb.View, es)))
		return
	case errors.As(err, &one):
		x.ack(goslack.NewErrorsViewSubmissionResponse(fieldErrors(a.loc, cb.View, domain.Errors{one})))
		return
	case err != nil:
		a.fail(x, err)
		return
	}
	x.ack(nil) // closes the modal
	x.after(func(ctx context.Context) { a.tell(ctx, cb.User.ID, meta, renderReply(a.loc, reply)) })
}

// tell confirms an outcome to a user: through the response_url of the
// command that opened the form when there is one, else ephemerally in its
// channel, else by DM.
func (a *App) tell(ctx context.Context, user string, meta bot.FormMeta, m message) {
	if meta.Reply != "" && a.respond(ctx, meta.Reply, m) == nil {
		return
	}
	if meta.Channel != "" {
		err := a.call(ctx, "chat.postEphemeral", func() error {
			_, err := a.api.PostEphemeralContext(ctx, meta.Channel, user, goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...))
			return err
		})
		if err == nil {
			return
		}
	}
	_ = a.dm(ctx, user, m)
}

// onEvent routes Events API events by type.
func (a *App) onEvent(x *exchange, ev slackevents.EventsAPIEvent) {
	x.ack(nil)
	x.log.Debug().Msg("event not routed")
}

func plainMessage(t string) message {
	return message{Text: t, Blocks: []goslack.Block{section(t)}}
}
