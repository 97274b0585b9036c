package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// withServerClock makes the local Slack read the harness's clock, so a test
// can let a response_url expire.
func withServerClock() harnessOption {
	return func(h *harness, o *[]slacktest.Option) { *o = append(*o, slacktest.WithClock(h.clock.Now)) }
}

// calls counts the recorded calls of method, and those answered 429.
func calls(h *harness, method string) (all, limited int) {
	for _, c := range h.srv.Calls(method) {
		all++
		if c.Status == 429 {
			limited++
		}
	}
	return all, limited
}

// wantRetried checks that method was refused once with a 429 and then
// succeeded exactly once: waited, retried, nothing lost, nothing doubled.
func wantRetried(t *testing.T, h *harness, method string) {
	t.Helper()
	all, limited := calls(h, method)
	if limited != 1 || all != 2 {
		for _, c := range h.srv.Calls(method) {
			t.Logf("%s %v %d %s", c.Method, c.Args, c.Status, c.Error)
		}
		t.Errorf("%s: %d calls, %d rate limited; want the 429 then one successful retry", method, all, limited)
	}
	for _, c := range h.srv.Calls(method) {
		if c.Status != 429 && c.Error != "" {
			t.Errorf("%s retry failed: %s %v", method, c.Error, c.Messages)
		}
	}
}

// TestRateLimitedCallsWaitAndRetry answers 429 with Retry-After to the first
// call of each Web API method the bot uses and checks that the work is done
// once, after the wait. (response_url posts cannot be throttled by the local
// Slack; real Slack does not rate limit them either, beyond 5 uses.)
func TestRateLimitedCallsWaitAndRetry(t *testing.T) {
	tests := []struct {
		name   string
		method string
		opts   []harnessOption
		run    func(t *testing.T, h *harness)
	}{
		{"ViewsOpen", "views.open", nil, func(t *testing.T, h *harness) {
			view := h.openNewDeal(sample.Rep1)
			if view.Title != "New deal" {
				t.Errorf("opened %q", view.Title)
			}
			if n := len(h.srv.OpenModals(string(sample.Rep1))); n != 1 {
				t.Errorf("%d modals open, want 1", n)
			}
		}},
		{"ViewsPublish", "views.publish", nil, func(t *testing.T, h *harness) {
			h.seedDeal(sample.Rep1, "Cave Dumas cellar", "Cave Dumas")
			home, err := h.srv.AppHomeOpened(string(sample.Rep1))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := home.WaitAck(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
				_, ok := st.HomeViews[string(sample.Rep1)]
				return ok
			}); err != nil {
				t.Fatalf("no App Home published: %v", err)
			}
			hv, _ := h.srv.HomeView(string(sample.Rep1))
			wantContains(t, hv.Render(), "Cave Dumas cellar")
		}},
		{"UsersInfo", "users.info", nil, func(t *testing.T, h *harness) {
			h.answer(h.slash(sample.Rep3, "/deal", "help"))
			if _, err := h.srv.WaitCall(ctxT(t), "users.info", 1); err != nil {
				t.Fatalf("users.info was not retried: %v", err)
			}
			// The zone is cached now: the next command asks nothing.
			h.answer(h.slash(sample.Rep3, "/deal", "help"))
			h.answer(h.slash(sample.Rep3, "/deal", "list"))
		}},
		{"ChatPostMessageAndUpdate", "chat.update", nil, func(t *testing.T, h *harness) {
			h.mu.Lock()
			app := h.app
			h.mu.Unlock()
			h.srv.Throttle("chat.postMessage", 1, time.Millisecond)
			ts, err := app.Post(ctxT(t), sample.SalesChannel, "", bot.Notice{Msgs: []bot.Msg{bot.M("help.coming_soon", "/x")}})
			if err != nil {
				t.Fatal(err)
			}
			wantRetried(t, h, "chat.postMessage")
			if err := app.Update(ctxT(t), sample.SalesChannel, ts, bot.Notice{Msgs: []bot.Msg{bot.M("help.coming_soon", "/y")}}); err != nil {
				t.Fatal(err)
			}
			msgs := h.srv.Messages(sample.SalesChannel)
			if len(msgs) != 1 || !msgs[0].Edited || !strings.Contains(msgs[0].Render(), "/y") {
				t.Errorf("channel holds %d messages (%v), want the one message, edited", len(msgs), msgs)
			}
		}},
		{"DMThroughConversationsOpenAndPostMessage", "conversations.open", nil, func(t *testing.T, h *harness) {
			// A modal opened from the App Home has no response_url and no
			// channel: the confirmation comes by DM.
			h.srv.Throttle("chat.postMessage", 1, time.Millisecond)
			d := h.seedDeal(sample.Rep3, "Ferme Blanchard tablets", "Ferme Blanchard")
			home, err := h.srv.AppHomeOpened(string(sample.Rep3))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := home.WaitAck(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { _, ok := st.HomeViews[string(sample.Rep3)]; return ok }); err != nil {
				t.Fatal(err)
			}
			hv, _ := h.srv.HomeView(string(sample.Rep3))
			click, err := h.srv.BlockAction(string(sample.Rep3), slacktest.InView(hv.ID), slacktest.Action{ActionID: bot.ActionUpdate})
			if err != nil {
				t.Fatal(err)
			}
			view, err := click.WaitView(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			sub, err := h.srv.SubmitView(string(sample.Rep3), view.ID, slacktest.Values{"amount": "31k"})
			if err != nil {
				t.Fatal(err)
			}
			if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
				t.Fatalf("submission: %v %v", err, ack.Errors)
			}
			dm := h.srv.DMChannel(string(sample.Rep3))
			if _, err := h.srv.WaitMessage(ctxT(t), dm, func(m slacktest.Message) bool { return strings.Contains(m.Render(), d.ID.Ref()) }); err != nil {
				t.Fatalf("no confirmation by DM: %v", err)
			}
			wantRetried(t, h, "chat.postMessage")
			if n := len(h.srv.Messages(dm)); n != 1 {
				t.Errorf("%d DMs, want 1", n)
			}
			if h.deal(d.ID).Amount != 3_100_000 {
				t.Errorf("amount not saved")
			}
		}},
		{"ChatPostEphemeralWhenTheResponseURLExpired", "chat.postEphemeral", []harnessOption{withServerClock()}, func(t *testing.T, h *harness) {
			d := h.seedDeal(sample.Rep1, "Optique Marchand shop", "Optique Marchand")
			view, err := h.slash(sample.Rep1, "/deal", "update "+d.ID.Ref()).WaitView(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			// The rep leaves the modal open for 40 minutes: the command's
			// response_url is dead, the answer goes ephemeral in the channel.
			h.clock.Set(h.clock.Now().Add(40 * time.Minute))
			sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"amount": "33k"})
			if err != nil {
				t.Fatal(err)
			}
			if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
				t.Fatalf("submission: %v %v", err, ack.Errors)
			}
			m, err := h.srv.WaitEphemeral(ctxT(t), string(sample.Rep1), sample.SalesChannel, func(m slacktest.Message) bool {
				return m.Source == "chat.postEphemeral"
			})
			if err != nil {
				t.Fatalf("no ephemeral confirmation: %v", err)
			}
			wantContains(t, m.Render(), d.ID.Ref(), "€33,000")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.opts...)
			// slack-go reads Retry-After in whole seconds: the bot waits 1 s.
			h.srv.Throttle(tt.method, 1, time.Millisecond)
			start := time.Now()
			tt.run(t, h)
			wantRetried(t, h, tt.method)
			if el := time.Since(start); el < time.Second {
				t.Errorf("done in %s: the bot did not wait for Retry-After", el)
			}
		})
	}
}

// TestWebAPIFailuresTellTheUser makes views.open fail (5xx on every
// attempt, or hang past the trigger's 3 s) and checks that the user is told,
// through the command's response_url, rather than left with nothing.
func TestWebAPIFailuresTellTheUser(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*slacktest.Server)
	}{
		{"ServerError", func(s *slacktest.Server) { s.FailWith("views.open", 10, 500) }},
		{"Unavailable", func(s *slacktest.Server) { s.FailWith("views.open", 10, 503) }},
		{"Timeout", func(s *slacktest.Server) { s.Hang("views.open", 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			tt.inject(h.srv)
			inv := h.slash(sample.Rep1, "/deal", "new")
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			var got string
			err := h.srv.WaitFor(ctx, func(st *slacktest.State) bool {
				for _, r := range st.Responses[inv.ID] {
					if r.Kind == slacktest.ResponseURL {
						got = r.Render()
						return true
					}
				}
				return false
			})
			if err != nil {
				t.Fatalf("the user was told nothing: %v", err)
			}
			wantContains(t, got, "Slack did not open the form")
			if n := len(h.srv.OpenModals(string(sample.Rep1))); n != 0 {
				t.Errorf("%d modals open", n)
			}
			if strings.Contains(h.logText(), h.srv.BotToken()) {
				t.Error("the bot token reached the log")
			}
		})
	}
}

// TestBurstPastRateLimitLosesNothing posts more messages into one channel at
// once than Slack takes there (a burst, then about one a second), under the
// local Slack's default limits: each refused post waits out Retry-After as
// often as it takes, never giving up after a fixed number of 429s, and every
// message is posted exactly once.
func TestBurstPastRateLimitLosesNothing(t *testing.T) {
	h := newHarness(t)
	h.mu.Lock()
	app := h.app
	h.mu.Unlock()
	const n = slacktest.PostMessagePerChannelBurst + 6
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := app.Post(ctxT(t), sample.SalesChannel, "", bot.Notice{Msgs: []bot.Msg{bot.M("help.coming_soon", fmt.Sprintf("/x%d", i))}})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("a post was dropped: %v", err)
		}
	}
	_, limited := calls(h, "chat.postMessage")
	if limited < 6 {
		t.Errorf("%d posts refused with 429, want at least 6: the burst did not pass the limit", limited)
	}
	seen := map[string]int{}
	for _, m := range h.srv.Messages(sample.SalesChannel) {
		seen[m.Render()]++
	}
	for i := range n {
		want := fmt.Sprintf("/x%d", i)
		got := 0
		for text, c := range seen {
			if strings.Contains(text, want+" ") || strings.HasSuffix(text, want) {
				got += c
			}
		}
		if got != 1 {
			t.Errorf("%s posted %d times, want once", want, got)
		}
	}
}
