package slack

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// exchange is one envelope being served: it acks exactly once and collects
// the work to run after the ack.
type exchange struct {
	app         *App
	sm          *socketmode.Client // the connection the envelope came on, which acks it
	req         *socketmode.Request
	log         zerolog.Logger
	responseURL string // where to answer after the ack, when there is one
	kind        string // slash, interactive, event: shapes the panic reply
	start       time.Time

	acked   bool
	payload any
	later   []func(context.Context)
}

// ack answers the envelope; only the first call counts.
func (x *exchange) ack(payload any) {
	if x.acked {
		return
	}
	x.acked = true
	if p, ok := payload.(ephemeralPayload); ok {
		p.Blocks = x.app.sealBlocks(p.Blocks)
		payload = p
	}
	x.payload = payload
	x.app.metrics.Ack(x.kind, time.Since(x.start))
	if err := x.sm.Ack(*x.req, payload); err != nil {
		// Too large for a Socket Mode ack: ack bare and send it by response_url.
		x.log.Warn().Err(err).Msg("ack payload refused; answering through response_url")
		_ = x.sm.Ack(*x.req)
		x.payload = nil
		if p, ok := payload.(ephemeralPayload); ok && x.responseURL != "" {
			x.after(func(ctx context.Context) { x.app.respond(ctx, x.responseURL, p.message()) })
		}
	}
}

// after schedules work to run once the envelope is acked.
func (x *exchange) after(fn func(context.Context)) { x.later = append(x.later, fn) }

// ephemeralPayload is a slash command's instant answer on the ack.
type ephemeralPayload struct {
	ResponseType string          `json:"response_type"`
	Text         string          `json:"text"`
	Blocks       []goslack.Block `json:"blocks,omitempty"`
}

func ephemeral(m message) ephemeralPayload {
	return ephemeralPayload{ResponseType: goslack.ResponseTypeEphemeral, Text: m.Text, Blocks: m.Blocks}
}

func (p ephemeralPayload) message() message { return message{Text: p.Text, Blocks: p.Blocks} }

// serve handles one envelope: dedupe, route, ack, then the slow work.
func (a *App) serve(sm *socketmode.Client, evt socketmode.Event) {
	req := evt.Request
	start := time.Now()
	x := &exchange{app: a, sm: sm, req: req, start: start}
	key := x.describe(evt, a.log.With().Str("envelope_id", req.EnvelopeID).Int("retry", req.RetryAttempt))

	// A retried envelope (Slack did not get our ack in time, or the socket
	// dropped) of work already done or under way is acked with the answer
	// the first delivery gave, and not done twice.
	entry, first := a.seen.begin(key)
	if !first {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		payload, ok := entry.wait(ctx)
		cancel()
		x.log.Info().Bool("first_done", ok).Msg("retried envelope: acked with the first answer, not done again")
		x.ack(payload)
		return
	}
	defer func() { entry.finish(x.payload) }()

	a.protect(x, func() {
		switch evt.Type {
		case socketmode.EventTypeSlashCommand:
			a.onSlash(x, evt.Data.(goslack.SlashCommand))
		case socketmode.EventTypeInteractive:
			a.onInteractive(x, evt.Data.(goslack.InteractionCallback))
		case socketmode.EventTypeEventsAPI:
			a.onEvent(x, evt.Data.(slackevents.EventsAPIEvent))
		}
	})
	if !x.acked {
		x.ack(nil)
	}
	entry.finish(x.payload)
	acked := time.Since(start)

	if len(x.later) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		for _, fn := range x.later {
			a.protect(x, func() { fn(ctx) })
		}
		cancel()
	}
	x.log.Info().Dur("ack", acked).Dur("total", time.Since(start)).Msg("handled")
	a.metrics.Handled(x.kind, time.Since(start))
}

// describe fills the exchange's log context and returns the key that
// identifies the work across redeliveries ("" when the work is a harmless
// read that may run twice).
func (x *exchange) describe(evt socketmode.Event, lc zerolog.Context) string {
	// The logger is built once per envelope, with every field at hand.
	defer func() { x.log = lc.Logger() }()
	switch d := evt.Data.(type) {
	case goslack.SlashCommand:
		x.kind, x.responseURL = "slash", d.ResponseURL
		lc = lc.Str("team", d.TeamID).Str("user", d.UserID).Str("command", d.Command).Str("sub", firstWord(d.Text))
		return "cmd:" + d.TriggerID
	case goslack.InteractionCallback:
		x.kind, x.responseURL = "interactive", d.ResponseURL
		action := d.CallbackID
		if action == "" {
			action = d.View.CallbackID
		}
		if len(d.ActionCallback.BlockActions) > 0 {
			action = d.ActionCallback.BlockActions[0].ActionID
		} else if d.ActionID != "" {
			action = d.ActionID
		}
		lc = lc.Str("team", d.Team.ID).Str("user", d.User.ID).Str("interaction", string(d.Type)).Str("action", action)
		if d.Type == goslack.InteractionTypeBlockSuggestion || d.TriggerID == "" {
			if d.Type == goslack.InteractionTypeBlockSuggestion {
				return ""
			}
			return "int:" + x.req.EnvelopeID
		}
		return "int:" + string(d.Type) + ":" + d.TriggerID + ":" + action
	case slackevents.EventsAPIEvent:
		x.kind = "event"
		lc = lc.Str("team", d.TeamID).Str("event", d.InnerEvent.Type)
		if cb, ok := d.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
			return "ev:" + cb.EventID
		}
	}
	return "env:" + x.req.EnvelopeID
}

func firstWord(s string) string {
	w, _ := bot.SplitFirst(s)
	return strings.ToLower(w)
}

// protect runs fn, turning a panic into a logged error with a reference the
// user is shown, so one bad handler never takes the bot down.
func (a *App) protect(x *exchange, fn func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		ref := newRef()
		x.log.Error().Str("ref", ref).Str("panic", fmt.Sprint(r)).Str("stack", string(debug.Stack())).Msg("handler panicked")
		a.reportError(x, ref)
	}()
	fn()
}

// fail logs an internal error and shows the user its reference.
func (a *App) fail(x *exchange, err error) {
	ref := newRef()
	x.log.Error().Err(err).Str("ref", ref).Msg("internal error")
	a.reportError(x, ref)
}

func (a *App) reportError(x *exchange, ref string) {
	m := message{Text: text(a.loc, bot.M("error.ref", ref))}
	m.Blocks = []goslack.Block{section(m.Text)}
	switch {
	case !x.acked && x.kind == "slash":
		x.ack(ephemeral(m))
	case !x.acked && x.req.Type == "interactive" && isViewSubmission(x.req):
		// Keep the modal open with the reference on its first input.
		x.ack(goslack.NewErrorsViewSubmissionResponse(map[string]string{firstInputBlock(x.req): m.Text}))
	default:
		if !x.acked {
			x.ack(nil)
		}
		if x.responseURL != "" {
			a.respond(context.Background(), x.responseURL, m)
		}
	}
}

func isViewSubmission(req *socketmode.Request) bool {
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(req.Payload, &p)
	return p.Type == string(goslack.InteractionTypeViewSubmission)
}

func firstInputBlock(req *socketmode.Request) string {
	var cb goslack.InteractionCallback
	if json.Unmarshal(req.Payload, &cb) == nil {
		for _, b := range cb.View.Blocks.BlockSet {
			if in, ok := b.(*goslack.InputBlock); ok {
				return in.BlockID
			}
		}
	}
	return string(domain.FieldName)
}

var refEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRef is a short reference a user can quote and an admin can grep for.
func newRef() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return refEncoding.EncodeToString(b)
}
