package slack_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// afterProbe adds work to the answers the bot gives to one kind of request
// (bot.Post, through Options.Answer) and records, each time it runs,
// whether Slack had the request's ack by then.
type afterProbe struct {
	kind  string
	extra []bot.Post // added before the probe's own work

	mu    sync.Mutex
	inv   *slacktest.Invocation
	ready chan struct{} // closed once inv is known
	runs  []bool        // per run: was the request acked
}

func newAfterProbe(kind string, extra ...bot.Post) *afterProbe {
	return &afterProbe{kind: kind, extra: extra, ready: make(chan struct{})}
}

func (p *afterProbe) answer(kind string, r bot.Reply) bot.Reply {
	if kind != p.kind {
		return r
	}
	w, ok := r.(bot.WithPosts)
	if !ok {
		w = bot.WithPosts{Reply: r}
	}
	w.Posts = append(append(w.Posts, p.extra...), bot.Post{Run: p.run})
	return w
}

// run waits for Slack to have the request's ack: were it run before the
// ack (by the goroutine that acks), the ack would never come in time.
func (p *afterProbe) run(ctx context.Context, _ bot.Messenger) error {
	select {
	case <-p.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := p.inv.WaitAck(wait)
	p.mu.Lock()
	p.runs = append(p.runs, err == nil)
	p.mu.Unlock()
	return nil
}

// sent hands the probe the request whose answer it is in.
func (p *afterProbe) sent(inv *slacktest.Invocation) {
	p.mu.Lock()
	p.inv = inv
	p.mu.Unlock()
	close(p.ready)
}

func (p *afterProbe) ran() []bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]bool(nil), p.runs...)
}

// TestAfterReplyWorkRunsOnceAfterTheAck: the work an answer asks for
// (bot.Post) is done for every kind of request the bot answers, after
// Slack has the ack, and once: not again when Slack redelivers the
// envelope.
func TestAfterReplyWorkRunsOnceAfterTheAck(t *testing.T) {
	cases := []struct {
		name, kind string
		send       func(*harness) *slacktest.Invocation
	}{
		{"slash_command", "slash_command", func(h *harness) *slacktest.Invocation {
			return h.slash(sample.Rep1, "/deal", "list")
		}},
		{"block_actions", "block_actions", func(h *harness) *slacktest.Invocation {
			card := h.showCard()
			inv, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionHistory})
			if err != nil {
				h.t.Fatal(err)
			}
			return inv
		}},
		{"view_submission", "view_submission", func(h *harness) *slacktest.Invocation {
			card := h.showCard()
			click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionUpdate})
			if err != nil {
				h.t.Fatal(err)
			}
			v, err := click.WaitView(ctxT(h.t))
			if err != nil {
				h.t.Fatal(err)
			}
			inv, err := h.srv.SubmitView(string(sample.Rep1), v.ID, slacktest.Values{})
			if err != nil {
				h.t.Fatal(err)
			}
			return inv
		}},
		// A submission answered with another form (the deal picker
		// leading to the update form) is still an answer with its work.
		{"view_submission_answered_with_a_form", "view_submission", func(h *harness) *slacktest.Invocation {
			h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
			h.seedDeal(sample.Rep1, "Acme expansion", "Acme")
			view, err := h.slash(sample.Rep1, "/deal", "update acme").WaitView(ctxT(h.t))
			if err != nil {
				h.t.Fatal(err)
			}
			opts, err := h.srv.BlockSuggestion(ctxT(h.t), string(sample.Rep1), view.ID, string(bot.PickField), "acme exp")
			if err != nil || len(opts) != 1 {
				h.t.Fatalf("suggestions: %v %+v", err, opts)
			}
			inv, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{string(bot.PickField): opts[0]})
			if err != nil {
				h.t.Fatal(err)
			}
			return inv
		}},
		{"message", "message", func(h *harness) *slacktest.Invocation {
			root, err := h.srv.Message(string(sample.Rep1), sample.SalesChannel, "Anyone met Acme's new CFO?", "")
			if err != nil {
				h.t.Fatal(err)
			}
			inv, err := h.srv.Message(string(sample.Manager), sample.SalesChannel, "Yes, last week", root.MessageTS)
			if err != nil {
				h.t.Fatal(err)
			}
			return inv
		}},
		{"app_home_opened", "app_home_opened", func(h *harness) *slacktest.Invocation {
			inv, err := h.srv.AppHomeOpened(string(sample.Rep1))
			if err != nil {
				h.t.Fatal(err)
			}
			return inv
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newAfterProbe(tc.kind)
			h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.Answer = p.answer }))
			inv := tc.send(h)
			p.sent(inv)
			waitUntil(t, "the work after the answer ran", func() bool { return len(p.ran()) > 0 })
			if got := p.ran(); !got[0] {
				t.Fatal("the work after the answer ran before Slack had the ack")
			}
			h.waitHandled(inv)

			dup, err := h.srv.Redeliver(inv)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := dup.WaitAck(ctxT(t)); err != nil {
				t.Fatalf("the redelivery was not acked: %v", err)
			}
			// Done with it: acked with the first answer, or (were it done
			// again) handled.
			h.waitLogged(dup.EnvelopeID, "retried envelope", `"message":"handled"`)
			if got := p.ran(); len(got) != 1 {
				t.Errorf("the work ran %d times, want once", len(got))
			}
		})
	}
}

// TestAfterReplyWorkFailures: work after an answer that fails or panics
// is logged with a reference and the user is shown that reference, as a
// handler's failure is; the work after it still runs.
func TestAfterReplyWorkFailures(t *testing.T) {
	p := newAfterProbe("slash_command",
		bot.Post{Run: func(context.Context, bot.Messenger) error { panic("after-reply bug") }},
		bot.Post{Run: func(context.Context, bot.Messenger) error { return errors.New("the digest store is gone") }},
	)
	h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.Answer = p.answer }))
	inv := h.slash(sample.Rep1, "/deal", "list")
	p.sent(inv)
	waitUntil(t, "the work after the failures ran", func() bool { return len(p.ran()) > 0 })
	h.waitHandled(inv)
	rs, err := inv.WaitResponses(ctxT(t), 3) // the answer, and one reference per failure
	if err != nil {
		t.Fatal(err)
	}
	refs := 0
	for _, r := range rs {
		if strings.Contains(r.Render(), "Something went wrong on our side (ref ") {
			refs++
		}
	}
	if refs != 2 {
		t.Errorf("the user was shown %d references, want one per failure: %+v", refs, rs)
	}
	log := h.logText()
	for _, want := range []string{`"panic":"after-reply bug"`, `"error":"the digest store is gone"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
}

// showCard is /deal show of a new deal of Rep1's: the card with its buttons.
func (h *harness) showCard() slacktest.Response {
	h.t.Helper()
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	card, err := h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref()).NextResponse(ctxT(h.t))
	if err != nil {
		h.t.Fatal(err)
	}
	return card
}

// waitLogged waits for a log line of the envelope that says one of whats.
func (h *harness) waitLogged(envelopeID string, whats ...string) {
	h.t.Helper()
	waitUntil(h.t, "the log says one of "+strings.Join(whats, ", "), func() bool {
		for _, line := range strings.Split(h.logText(), "\n") {
			for _, what := range whats {
				if strings.Contains(line, envelopeID) && strings.Contains(line, what) {
					return true
				}
			}
		}
		return false
	})
}
