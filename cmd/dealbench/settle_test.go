package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// formApp is a bare app (slack-go's socketmode client against the local
// Slack) that answers /deal update and /deal discount with a one-input
// modal, and every other command with a line. What it does with a
// submission is the test's: onSubmit returns the ack payload (nil closes
// the form) and whether to hold the ack until the user's next command (or
// half a second).
type formApp struct {
	api      *goslack.Client
	onSubmit func(cb goslack.InteractionCallback) (payload any, hold bool)

	mu   sync.Mutex
	held map[string][]func() // by user: acks waiting for the user's next command
}

func (a *formApp) run(ctx context.Context, wg *sync.WaitGroup) {
	sm := socketmode.New(a.api)
	wg.Go(func() { _ = sm.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-sm.Events:
				if evt.Request == nil || evt.Request.EnvelopeID == "" {
					continue
				}
				a.serve(ctx, sm, evt)
			}
		}
	})
}

func (a *formApp) serve(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	req := *evt.Request
	switch d := evt.Data.(type) {
	case goslack.SlashCommand:
		word, _, _ := strings.Cut(d.Text, " ")
		input := map[string]string{"update": "amount", "discount": "justification"}[word]
		if input == "" {
			_ = sm.Ack(req, map[string]any{"response_type": "ephemeral", "text": "ok"})
		} else {
			_ = sm.Ack(req)
			el := goslack.NewPlainTextInputBlockElement(nil, input)
			v := goslack.ModalViewRequest{Type: goslack.VTModal, CallbackID: word,
				Title:  goslack.NewTextBlockObject(goslack.PlainTextType, word, false, false),
				Submit: goslack.NewTextBlockObject(goslack.PlainTextType, "Send", false, false),
				Blocks: goslack.Blocks{BlockSet: []goslack.Block{goslack.NewInputBlock(input,
					goslack.NewTextBlockObject(goslack.PlainTextType, input, false, false), nil, el)}}}
			_, _ = a.api.OpenViewContext(ctx, d.TriggerID, v)
		}
		// The user acted again: what was held is answered now.
		a.mu.Lock()
		held := a.held[d.UserID]
		delete(a.held, d.UserID)
		a.mu.Unlock()
		for _, ack := range held {
			ack()
		}
	case goslack.InteractionCallback:
		payload, hold := a.onSubmit(d)
		var once sync.Once
		ack := func() {
			once.Do(func() {
				if payload == nil {
					_ = sm.Ack(req)
				} else {
					_ = sm.Ack(req, payload)
				}
			})
		}
		if !hold {
			ack()
			return
		}
		a.mu.Lock()
		a.held[d.User.ID] = append(a.held[d.User.ID], ack)
		a.mu.Unlock()
		// No next command (the load is over): answered well within
		// Slack's 3 s all the same.
		time.AfterFunc(500*time.Millisecond, ack)
	default:
		_ = sm.Ack(req)
	}
}

// runDriver plays a short modal load of mix for one user against app and
// returns the driver's errors.
func runDriver(t *testing.T, mix string, settle time.Duration, onSubmit func(goslack.InteractionCallback) (any, bool)) []error {
	t.Helper()
	srv, err := slacktest.New(slacktest.WithoutRateLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addBenchPeople(srv, 1)
	app := &formApp{api: goslack.New(srv.BotToken(), goslack.OptionAppLevelToken(srv.AppToken()), goslack.OptionAPIURL(srv.APIURL())),
		onSubmit: onSubmit, held: map[string][]func(){}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	actx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	app.run(actx, &wg)
	defer func() { stop(); wg.Wait() }()
	if err := waitConnected(ctx, srv, 1); err != nil {
		t.Fatal(err)
	}
	m, err := parseMix(mix)
	if err != nil {
		t.Fatal(err)
	}
	f := benchFlags{rate: 100, duration: 400 * time.Millisecond, users: 1, deals: 1, seed: 1}
	d := newDriver(srv, f, m, true)
	d.settle = settle
	if err := d.run(ctx); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.errs
}

// A refusal in the form (a conflict: the deal changed since the form was
// shown) settles the modal: the user sees it and fixes or gives up. The
// app answers each submission only when the user types the next command,
// as late as Slack's 3 s allow: a driver that let the user type a modal
// command before the answer opened the next modal over the submitted one,
// Slack then rejected the refusal for a view no longer shown, and the
// driver reported a lost change (what TestBenchLoadShort hit now and then,
// taken for a discount request lost on its way to the deal desk).
func TestDriverWaitsForTheSubmissionsAnswer(t *testing.T) {
	errs := runDriver(t, "update=1", settleWait, func(cb goslack.InteractionCallback) (any, bool) {
		return goslack.NewErrorsViewSubmissionResponse(map[string]string{"amount": "changed meanwhile"}), true
	})
	if len(errs) > 0 {
		t.Fatalf("a refused submission counted as under way: %v", errs)
	}
}

// A discount request whose form closed (the rep was told it is sent) and
// that never reaches the deal-desk channel is a loss: the run fails.
func TestDriverFailsOnALostDiscountRequest(t *testing.T) {
	errs := runDriver(t, "discount=1", time.Second, func(goslack.InteractionCallback) (any, bool) {
		return nil, false // closes the form, posts nothing
	})
	if len(errs) == 0 || !strings.Contains(errs[len(errs)-1].Error(), "discount request not seen") {
		t.Fatalf("a lost discount request is not a driver error: %v", errs)
	}
}
