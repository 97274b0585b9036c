package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// tz is the zone times are shown in for user: the bot's answer for them
// as a caller (bot.Zone).
func (a *App) tz(user string) *time.Location { return a.bot.Zone(a.caller(user, "")) }

// onSlash routes a slash command by its name and first word.
func (a *App) onSlash(x *exchange, cmd goslack.SlashCommand) {
	// Learn the user's time zone after the ack, for their next command, and
	// last of the work after it: a form's trigger_id lives 3 s, and a slow or
	// rate-limited users.info queued before views.open would spend them.
	defer func() {
		if a.users.location(cmd.UserID) == nil {
			x.after(func(ctx context.Context) { a.users.warm(ctx, cmd.UserID) })
		}
	}()

	c, ok := a.commands[cmd.Command]
	if !ok {
		x.ack(ephemeral(a.render(bot.Notice{Msgs: []bot.Msg{bot.M("help.unknown_command", cmd.Command)}})))
		return
	}
	// The manifest asks Slack to escape command text, so mentions arrive as
	// <@U…|name>; what the user typed as &, < or > arrives as entities.
	typed, mentions := typedText(cmd.Text, a.users.name)
	h, _, args := c.Route(typed)
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	defer cancel()
	caller := a.caller(cmd.UserID, cmd.ChannelID)
	caller.Mentions = mentions
	reply, err := h(ctx, caller, args)
	if err != nil {
		a.answerError(x, cmd.UserID, err)
		return
	}
	reply, posts := a.unwrap(kindSlash, reply)
	if f, ok := reply.(bot.OpenForm); ok {
		x.ack(nil)
		f.Form.Meta.Reply = a.replies.keep(cmd.UserID, cmd.ResponseURL, time.Now())
		x.after(func(ctx context.Context) { a.openModal(ctx, x, cmd.TriggerID, cmd.UserID, f.Form, false) })
	} else if _, ok := reply.(bot.Help); ok {
		x.ack(a.helpPayload()) // static: rendered and encoded once
	} else {
		x.ack(ephemeral(a.render(reply)))
	}
	a.sendPosts(x, posts)
}

// helpPayload is the help answer, rendered and JSON-encoded once: help is
// what users ask most, and re-rendering it on every ack only feeds the GC.
func (a *App) helpPayload() json.RawMessage {
	a.helpOnce.Do(func() {
		reply, _ := a.bot.Help()
		a.help, _ = json.Marshal(ephemeral(a.sealed(a.render(reply))))
	})
	return a.help
}

// The kinds of request the bot answers, as Options.Answer names them.
const (
	kindSlash      = "slash_command"
	kindAction     = "block_actions"
	kindSubmission = "view_submission"
	kindThread     = "message"
	kindHome       = "app_home_opened"
)

// unwrap separates a bot answer to a request of kind from the work it asks
// for after it (bot.Post). Every route hands that work to sendPosts, or
// runPost when it is already past the ack: none is dropped.
func (a *App) unwrap(kind string, r bot.Reply) (bot.Reply, []bot.Post) {
	if a.answer != nil {
		r = a.answer(kind, r)
	}
	if w, ok := r.(bot.WithPosts); ok {
		return w.Reply, w.Posts
	}
	return r, nil
}

// sendPosts schedules an answer's work to run after the ack, in order,
// after what the route itself scheduled before (a modal to open with a
// trigger that lives 3 s comes first).
func (a *App) sendPosts(x *exchange, posts []bot.Post) {
	for _, p := range posts {
		x.after(func(ctx context.Context) { a.runPost(ctx, x, p) })
	}
}

// runPost does one answer's work after the ack: a panic is caught and
// reported as a handler's (protect), an error logged with a reference the
// user is shown where the request left a way to answer (response_url).
func (a *App) runPost(ctx context.Context, x *exchange, p bot.Post) {
	if p.Run == nil {
		return
	}
	a.protect(x, func() {
		if err := p.Run(ctx, a.postsTo()); err != nil {
			a.fail(x, err)
		}
	})
}

// answerError acks a slash command with the error's message for the user;
// internal errors are logged and shown only as a reference.
func (a *App) answerError(x *exchange, user string, err error) {
	if domain.ErrorCode(err) == domain.EINTERNAL {
		a.fail(x, err)
		return
	}
	x.ack(ephemeral(plainMessage(errorText(a.loc, err, a.tz(user)))))
}

// openModal opens a form for user with the trigger (Slack gives 3 s from
// the click); push stacks it on a modal that is already open.
func (a *App) openModal(ctx context.Context, x *exchange, triggerID, user string, f bot.Form, push bool) {
	view, err := a.modal(f, user)
	if err == nil {
		method := "views.open"
		if push {
			method = "views.push"
		}
		err = a.call(ctx, method, func() error {
			var err error
			if push {
				_, err = a.api.PushViewContext(ctx, triggerID, view)
			} else {
				_, err = a.api.OpenViewContext(ctx, triggerID, view)
			}
			return err
		})
	}
	if err != nil {
		x.log.Error().Err(err).Msg("opening a modal failed")
		if x.responseURL != "" {
			a.respond(ctx, x.responseURL, plainMessage(text(a.loc, bot.M("form.open_failed"))))
		}
	}
}

// onInteractive routes buttons, selects, modal submissions and suggestions.
func (a *App) onInteractive(x *exchange, cb goslack.InteractionCallback) {
	switch cb.Type {
	case goslack.InteractionTypeViewSubmission:
		a.onSubmit(x, cb)
	case goslack.InteractionTypeBlockSuggestion:
		a.onSuggest(x, cb)
	case goslack.InteractionTypeBlockActions:
		a.onAction(x, cb)
	default:
		x.log.Debug().Msg("interaction not routed")
		x.ack(nil)
	}
}

// noDealValue is the value of a picker option that is a message, not a deal.
const noDealValue = "-"

// onSuggest answers a type-ahead select from the ack: Slack waits for it.
func (a *App) onSuggest(x *exchange, cb goslack.InteractionCallback) {
	if cb.ActionID != string(bot.PickField) {
		x.ack(map[string]any{"options": []any{}})
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	defer cancel()
	deals, more, err := a.bot.SuggestDeals(ctx, a.caller(cb.User.ID, ""), cb.Value)
	if e := (*domain.Error)(nil); errors.As(err, &e) && e.Code == domain.EINVALID {
		// A picker shows nothing but options: the message is the only one,
		// and choosing it picks no deal (its value is not a deal id).
		msg := text(a.loc, bot.M(e.Key, e.Args...))
		x.ack(map[string]any{"options": []*goslack.OptionBlockObject{
			goslack.NewOptionBlockObject(noDealValue, plain(msg, maxOptionText), nil)}})
		return
	}
	if err != nil {
		x.log.Error().Err(err).Msg("deal suggestions failed")
		x.ack(map[string]any{"options": []any{}})
		return
	}
	opts := renderDealOptions(a.loc, deals)
	if more {
		// The search read only some of the matches: the last option says
		// so (choosing it picks no deal), within Slack's 100.
		if len(opts) >= maxSelectOptions {
			opts = opts[:maxSelectOptions-1]
		}
		opts = append(opts, goslack.NewOptionBlockObject(noDealValue, plain(text(a.loc, bot.M("pick.more")), maxOptionText), nil))
	}
	x.ack(map[string]any{"options": opts})
}

// onAction answers a button; forms it opens use the click's trigger.
func (a *App) onAction(x *exchange, cb goslack.InteractionCallback) {
	x.ack(nil)
	if len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	act := cb.ActionCallback.BlockActions[0]
	if h := a.changes[bot.FormKind(cb.View.CallbackID)]; h != nil && cb.View.Type == goslack.VTModal && isInputOf(cb.View, act.BlockID) {
		a.onFormChange(x, cb, act, h)
		return
	}
	if !bot.HasAction(act.ActionID) {
		x.log.Debug().Msg("action not routed")
		return
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	value, err := a.openButton(act.ActionID, act.Value)
	if err != nil {
		x.log.Warn().Str("refused", refusal(err)).Msg("button value refused")
		m := plainMessage(text(a.loc, bot.M("button.unverified")))
		x.after(func(ctx context.Context) { a.tell(ctx, cb.User.ID, channel, cb.ResponseURL, m) })
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	defer cancel()
	reply, err := a.bot.Action(ctx, a.caller(cb.User.ID, channel), act.ActionID, value)
	if err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			a.fail(x, err)
			return
		}
		m := plainMessage(errorText(a.loc, err, a.tz(cb.User.ID)))
		x.after(func(ctx context.Context) { a.tell(ctx, cb.User.ID, channel, cb.ResponseURL, m) })
		return
	}
	reply, posts := a.unwrap(kindAction, reply)
	if f, ok := reply.(bot.OpenForm); ok {
		f.Form.Meta.Reply = a.replies.keep(cb.User.ID, cb.ResponseURL, time.Now())
		if f.Form.Meta.Channel == "" {
			f.Form.Meta.Channel = channel
		}
		push := cb.View.Type == goslack.VTModal
		x.after(func(ctx context.Context) { a.openModal(ctx, x, cb.TriggerID, cb.User.ID, f.Form, push) })
	} else {
		m := a.render(reply)
		x.after(func(ctx context.Context) { a.tell(ctx, cb.User.ID, channel, cb.ResponseURL, m) })
	}
	a.sendPosts(x, posts)
}

func (a *App) onSubmit(x *exchange, cb goslack.InteractionCallback) {
	meta, err := a.openMeta(cb.View, cb.User.ID)
	if err != nil {
		x.log.Warn().Str("callback_id", cb.View.CallbackID).Str("refused", refusal(err)).Msg("form metadata refused")
		a.refuseForm(x, cb)
		return
	}
	h := a.forms[bot.FormKind(cb.View.CallbackID)]
	if h == nil {
		x.log.Warn().Str("callback_id", cb.View.CallbackID).Msg("submission of an unknown view")
		x.ack(nil)
		return
	}
	c := a.caller(cb.User.ID, meta.Channel)
	ctx, cancel := context.WithTimeout(context.Background(), ackBudget)
	defer cancel()
	// One modal makes one change: its view id keys the work, so a
	// redelivered submission (even after a restart) changes nothing twice.
	reply, err := h(ctx, c, meta, formValues(cb.View.State), "view:"+cb.View.ID)
	var conflict *domain.Conflict
	es, isUsers := domain.ErrorsOf(err)
	switch {
	case isUsers:
		x.ack(goslack.NewErrorsViewSubmissionResponse(fieldErrors(a.loc, cb.View, es)))
		return
	case errors.As(err, &conflict):
		x.ack(goslack.NewErrorsViewSubmissionResponse(map[string]string{firstInput(cb.View): errorText(a.loc, err, a.tz(cb.User.ID))}))
		return
	case err != nil:
		a.fail(x, err)
		return
	}
	reply, posts := a.unwrap(kindSubmission, reply)
	if f, ok := reply.(bot.OpenForm); ok {
		// A form leading to another (the deal picker): replace the modal.
		f.Form.Meta.Reply, f.Form.Meta.Channel = meta.Reply, meta.Channel
		view, err := a.modal(f.Form, cb.User.ID)
		if err != nil {
			a.fail(x, err)
			return
		}
		x.ack(goslack.NewUpdateViewSubmissionResponse(&view))
		a.sendPosts(x, posts)
		return
	}
	x.ack(nil) // closes the modal
	m := a.render(reply)
	replyURL := a.replies.url(meta.Reply, cb.User.ID, time.Now())
	x.after(func(ctx context.Context) { a.tell(ctx, cb.User.ID, meta.Channel, replyURL, m) })
	a.sendPosts(x, posts)
}

// refuseForm answers a submission whose metadata did not open: the modal
// stays open with the refusal on its first input, and nothing is done.
func (a *App) refuseForm(x *exchange, cb goslack.InteractionCallback) {
	m := text(a.loc, bot.M("form.unverified"))
	if block := firstInput(cb.View); block != "" {
		x.ack(goslack.NewErrorsViewSubmissionResponse(map[string]string{block: m}))
		return
	}
	x.ack(nil)
	x.after(func(ctx context.Context) { _ = a.dm(ctx, cb.User.ID, plainMessage(m), postOnce{}) })
}

func firstInput(v goslack.View) string {
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*goslack.InputBlock); ok {
			return in.BlockID
		}
	}
	return ""
}

// tell confirms an outcome to a user: through replyURL (a response_url
// Slack gave with the click, or with the command that opened the form) when
// there is one, else ephemerally in channel, else by DM. A way that failed
// with a time-out or a 5xx may have shown it: the next way is not tried,
// or the user would read it twice.
func (a *App) tell(ctx context.Context, user, channel, replyURL string, m message) {
	if replyURL != "" {
		err := a.respond(ctx, replyURL, m)
		if err == nil || uncertain(err) {
			return
		}
	}
	m = a.sealed(m)
	if channel != "" && channel[0] != 'D' {
		err := a.call(ctx, "chat.postEphemeral", func() error {
			_, err := a.api.PostEphemeralContext(ctx, channel, user, goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(m.Blocks...))
			return err
		})
		if err == nil || uncertain(err) {
			return
		}
	}
	_ = a.dm(ctx, user, m, postOnce{})
}

// onEvent routes Events API events by type.
func (a *App) onEvent(x *exchange, ev slackevents.EventsAPIEvent) {
	x.ack(nil)
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "" && e.Tab != "home" {
			return
		}
		x.after(func(ctx context.Context) { a.publishHome(ctx, x, e.User) })
	case *slackevents.MessageEvent:
		// Only what a person wrote: never the bot's own messages (Slack
		// echoes them, with its bot_id) nor another bot's, which could
		// answer back forever; nor edits and other subtypes.
		if e.BotID != "" || e.User == "" || (e.SubType != "" && e.SubType != "thread_broadcast") {
			return
		}
		if e.ChannelType == "im" {
			// A message in the bot's Messages tab (often an answer to a
			// reminder): the bot reads commands, so it lists them.
			thread := e.ThreadTimeStamp
			x.after(func(ctx context.Context) { a.dmHelp(ctx, x, e.Channel, thread) })
			return
		}
		// A reply in a thread (a deal-desk request's).
		if e.ThreadTimeStamp == "" || e.ThreadTimeStamp == e.TimeStamp {
			return
		}
		x.after(func(ctx context.Context) {
			// Message text names users without their names: learn them.
			for _, id := range mentionedIDs(e.Text) {
				a.users.warm(ctx, id)
			}
			text, mentions := typedText(withoutSelfMention(e.Text, a.selfID()), a.users.name)
			c := a.caller(e.User, e.Channel)
			c.Mentions = mentions
			posts, err := a.bot.ThreadReply(ctx, a, c, e.Channel, e.ThreadTimeStamp, text)
			if err != nil {
				x.log.Error().Err(err).Msg("thread reply failed")
			}
			// Already after the ack: the decision's work runs here.
			_, posts = a.unwrap(kindThread, bot.WithPosts{Posts: posts})
			for _, p := range posts {
				a.runPost(ctx, x, p)
			}
		})
	case *slackevents.FileSharedEvent:
		// A CRM export sent to the bot's DM, to import (files.go).
		x.after(func(ctx context.Context) { a.onFileShared(ctx, x, e) })
	case *slackevents.MemberJoinedChannelEvent:
		// Slack sends it only for channels the bot is in: whoever joined
		// (the bot itself, invited), what failed there may now go out.
		x.after(func(ctx context.Context) {
			if err := a.bot.RetryPosts(ctx, a, e.Channel); err != nil {
				x.log.Warn().Err(err).Str("channel", e.Channel).Msg("re-posting what failed in the channel failed")
			}
		})
	default:
		x.log.Debug().Msg("event not routed")
	}
}

// dmHelp answers a message in the bot's DM with the commands, in the
// message's thread when it was written in one.
func (a *App) dmHelp(ctx context.Context, x *exchange, channel, thread string) {
	if _, err := a.Post(ctx, channel, thread, a.bot.DMHelp()); err != nil {
		x.log.Error().Err(err).Msg("answering a direct message failed")
	}
}

// publishHome renders and publishes a user's App Home.
func (a *App) publishHome(ctx context.Context, x *exchange, user string) {
	a.users.warm(ctx, user)
	reply, err := a.bot.Home(ctx, a.caller(user, ""))
	if err != nil {
		x.log.Error().Err(err).Msg("building App Home failed")
		return
	}
	reply, posts := a.unwrap(kindHome, reply)
	defer func() { // after the view is published, as any answer's work
		for _, p := range posts {
			a.runPost(ctx, x, p)
		}
	}()
	home, ok := reply.(bot.Home)
	if !ok {
		x.log.Error().Str("reply_type", fmt.Sprintf("%T", reply)).Msg("App Home answered with what is not a view")
		return
	}
	view := renderHome(a.loc, home)
	view.Blocks.BlockSet = a.sealBlocks(view.Blocks.BlockSet)
	err = a.call(ctx, "views.publish", func() error {
		_, err := a.api.PublishViewContext(ctx, goslack.PublishViewContextRequest{UserID: user, View: view})
		return err
	})
	if err != nil {
		x.log.Error().Err(err).Msg("views.publish failed")
	}
}
