package slack_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// crash stops the bot and starts a new one on the file as a crash now
// would have left it: what the run wrote so far is kept, whatever it would
// write after (an answer it is still waiting for) is lost.
func (h *harness) crash() {
	h.t.Helper()
	var file bytes.Buffer
	if _, err := h.store().Backup(&file); err != nil {
		h.t.Fatal(err)
	}
	h.shutdown()
	if err := os.WriteFile(h.path, file.Bytes(), 0o600); err != nil {
		h.t.Fatal(err)
	}
	h.start()
}

// A discount request saved, then the bot stopped before its post was
// answered: no thread, no failed post. After the restart the first tick
// posts it once, with its buttons, and records its thread; the approver
// decides as usual; the rep, told it was sent, is told nothing more.
// When the post had reached Slack (the answer lost), the channel is read
// for it and its thread recorded, not posted a second time.
func TestDeskRequestSavedBeforeACrashIsPostedOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   func(*slacktest.Server)
		reached bool // the post was in the channel before the crash
		// noMarker: the crash came before the post's marker was saved
		// (between the request's save and the first attempt).
		noMarker bool
	}{
		{"PostNeverAnswered", func(s *slacktest.Server) { s.Hang("chat.postMessage", 1) }, false, false},
		{"PostOutAnswerLost", func(s *slacktest.Server) { s.LoseAnswer("chat.postMessage", 1) }, true, false},
		{"BeforeTheFirstAttempt", func(s *slacktest.Server) { s.Hang("chat.postMessage", 1) }, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A crash waits for nothing: the stopping run does not drain
			// the post still waiting for its answer.
			h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.DrainTimeout = time.Millisecond }))
			d := h.seedDeskDeal(sample.Rep1)
			posts := len(h.srv.Calls("chat.postMessage"))
			tc.fault(h.srv)
			h.askDiscount(sample.Rep1, d.ID.Ref()+" 15", nil)
			if _, err := h.srv.WaitCall(ctxT(t), "chat.postMessage", posts); err != nil {
				t.Fatalf("the request was never posted: %v", err)
			}
			if tc.reached {
				h.request0()
			}
			h.crash()
			if tc.noMarker {
				// The file as it was one step earlier: no record of the post.
				if err := h.store().ForgetPost(context.Background(), "desk:1"); err != nil {
					t.Fatal(err)
				}
			}
			if got := h.failedPosts(""); len(got) != 0 {
				t.Fatalf("failed posts after the crash = %+v, want none (nothing was answered)", got)
			}
			if _, th, err := h.store().DeskRequest(context.Background(), 1); err != nil || th.Posted() {
				t.Fatalf("request thread after the crash = %+v, %v; want none", th, err)
			}

			h.tickAt(h.clock.Now().Add(time.Minute))
			roots := h.rootMessages()
			if len(roots) != 1 {
				t.Fatalf("%d request messages after the restart, want 1", len(roots))
			}
			_, th, err := h.store().DeskRequest(context.Background(), 1)
			if err != nil || th.Ref != roots[0].TS || th.Channel != sample.DeskChannel {
				t.Fatalf("thread = %+v, %v; want %s", th, err, roots[0].TS)
			}
			if tc.reached && len(h.srv.Calls("conversations.history")) == 0 {
				t.Error("the channel was not read for the post before the thread was recorded")
			}
			root := h.waitRoot(roots[0].TS, "15%", "Waiting on step 1")
			if !strings.Contains(root.Render(), "Approve") {
				t.Errorf("the request has no buttons:\n%s", root.Render())
			}
			if got := h.failedPosts(""); len(got) != 0 {
				t.Errorf("failed posts once out = %+v", got)
			}
			// The approver decides on the recovered message as on any.
			if _, said := h.click(sample.Manager, roots[0].TS, bot.ActionDeskApprove); !strings.Contains(said, "You approved") {
				t.Errorf("the manager's Approve answered %q", said)
			}
			// The rep was told once that it was sent, and of no failure.
			sent := 0
			for _, m := range append(h.srv.Ephemerals(string(sample.Rep1)), h.dms(sample.Rep1)...) {
				r := m.Render()
				if strings.Contains(r, "Request #1 for a 15% discount") {
					sent++
				}
				if strings.Contains(r, "couldn't post") || strings.Contains(r, "can't post") {
					t.Errorf("the rep was told of a failure: %q", r)
				}
			}
			if sent != 1 {
				t.Errorf("the rep was told %d times that the request was sent, want 1", sent)
			}
			// A second tick posts nothing more.
			h.tickAt(h.clock.Now().Add(2 * time.Minute))
			if n := len(h.rootMessages()); n != 1 {
				t.Errorf("%d request messages after the next tick, want 1", n)
			}
		})
	}
}

// The first tick after a start leaves alone a request this run saved and
// is still posting (its answer slow to come): posting it too would show it
// twice once the first post lands.
func TestDeskStartTickLeavesThisRunsPostAlone(t *testing.T) {
	h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.DrainTimeout = time.Millisecond }))
	d := h.seedDeskDeal(sample.Rep1)
	posts := len(h.srv.Calls("chat.postMessage"))
	h.srv.Hang("chat.postMessage", 1)
	h.askDiscount(sample.Rep1, d.ID.Ref()+" 15", nil)
	if _, err := h.srv.WaitCall(ctxT(t), "chat.postMessage", posts); err != nil {
		t.Fatalf("the request was never posted: %v", err)
	}
	h.tickAt(h.clock.Now().Add(time.Minute))
	if n := len(h.srv.Calls("chat.postMessage")); n != posts+1 {
		t.Errorf("%d posts after the tick, want only the request's own (%d)", n, posts+1)
	}
}

// dmOnlyDesk is the sample configuration with a deal desk that has no
// channel: the approvers of a request's turn are sent it by DM.
func dmOnlyDesk(t *testing.T) string {
	t.Helper()
	yaml := strings.Replace(sample.Config, "deal_desk:\n  channel: C0DESK\n", "deal_desk:\n", 1)
	if yaml == sample.Config {
		t.Fatal("the sample's deal desk has no channel line to remove")
	}
	return yaml
}

// requestDMs are the messages of ms showing request #1 for 15%, with its buttons.
func requestDMs(ms []slacktest.Message) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range ms {
		if r := m.Render(); strings.Contains(r, "15%") && strings.Contains(r, "Approve") {
			out = append(out, m)
		}
	}
	return out
}

// With a deal desk without a channel, a discount request saved, then the
// bot stopped before its DM to the approver was answered: after the restart
// the first tick DMs the approver once; when the DM had reached Slack (the
// answer lost), the DM conversation is read for it and nothing is sent
// twice. The rep, told it was sent, is told nothing more.
func TestDeskRequestSavedBeforeACrashIsDMedOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		method  string // the call that never answered
		fault   func(s *slacktest.Server, method string)
		reached bool // the DM was out before the crash
	}{
		{"DMNeverAnswered", "chat.postMessage", func(s *slacktest.Server, m string) { s.Hang(m, 1) }, false},
		{"DMOutAnswerLost", "chat.postMessage", func(s *slacktest.Server, m string) { s.LoseAnswer(m, 1) }, true},
		// The crash came before the DM's first attempt (opening the
		// conversation never answered).
		{"BeforeTheFirstAttempt", "conversations.open", func(s *slacktest.Server, m string) { s.Hang(m, 1) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, withConfig(dmOnlyDesk(t)), withAppOptions(func(o *slackapp.Options) { o.DrainTimeout = time.Millisecond }))
			d := h.seedDeskDeal(sample.Rep1)
			im := h.srv.DMChannel(string(sample.Manager))
			sentTo := func(st *slacktest.State) int { return len(requestDMs(st.Messages[im])) }
			dmsNow := func() int { return len(requestDMs(h.dms(sample.Manager))) }
			calls := len(h.srv.Calls(tc.method))
			tc.fault(h.srv, tc.method)
			h.askDiscount(sample.Rep1, d.ID.Ref()+" 15", nil)
			if _, err := h.srv.WaitCall(ctxT(t), tc.method, calls); err != nil {
				t.Fatalf("the request was never sent: %v", err)
			}
			if tc.reached {
				if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return sentTo(st) == 1 }); err != nil {
					t.Fatalf("the DM never reached the manager: %v", err)
				}
			}
			h.crash()
			if got := h.failedPosts(""); len(got) != 0 {
				t.Fatalf("failed posts after the crash = %+v, want none (nothing was answered)", got)
			}
			if got := dmsNow(); got != map[bool]int{true: 1}[tc.reached] {
				t.Fatalf("%d DMs of the request after the crash", got)
			}

			h.tickAt(h.clock.Now().Add(time.Minute))
			if n := dmsNow(); n != 1 {
				t.Errorf("the manager got %d DMs of the request after the restart's first tick, want 1", n)
			}
			if tc.reached && len(h.srv.Calls("conversations.history")) == 0 {
				t.Error("the DM conversation was not read for the DM before sending it")
			}
			if got := h.failedPosts(""); len(got) != 0 {
				t.Errorf("failed posts once out = %+v", got)
			}
			// The rep was told once that it was sent, and of no failure.
			sent := 0
			for _, m := range append(h.srv.Ephemerals(string(sample.Rep1)), h.dms(sample.Rep1)...) {
				r := m.Render()
				if strings.Contains(r, "Request #1 for a 15% discount") {
					sent++
				}
				if strings.Contains(r, "couldn't") || strings.Contains(r, "can't") {
					t.Errorf("the rep was told of a failure: %q", r)
				}
			}
			if sent != 1 {
				t.Errorf("the rep was told %d times that the request was sent, want 1", sent)
			}
			// A second tick sends nothing more.
			h.tickAt(h.clock.Now().Add(2 * time.Minute))
			if n := dmsNow(); n != 1 {
				t.Errorf("the manager got %d DMs of the request after the next tick, want 1", n)
			}
		})
	}
}

// A request sent back for changes keeps its thread; its revision saved, then
// the bot stopped before the revision was said in the thread: after the
// restart the first tick says it there once and refreshes the message.
// When the reply had reached Slack (the answer lost), the thread is read
// for it and nothing is said twice.
func TestDeskRevisionSavedBeforeACrashIsSaidOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   func(*slacktest.Server)
		reached bool // the reply was in the thread before the crash
	}{
		{"ReplyNeverAnswered", func(s *slacktest.Server) { s.Hang("chat.postMessage", 1) }, false},
		{"ReplyOutAnswerLost", func(s *slacktest.Server) { s.LoseAnswer("chat.postMessage", 1) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.DrainTimeout = time.Millisecond }))
			d := h.seedDeskDeal(sample.Rep1)
			root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
			h.decideWithReason(sample.Manager, root.TS, bot.ActionDeskChanges, "Ask for a 2-year term")
			h.waitDM(sample.Rep1, "Ask for a 2-year term")
			inv := h.slash(sample.Rep1, "/deal", "discount "+d.ID.Ref())
			view, err := inv.WaitView(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			h.typeDiscount(sample.Rep1, view.ID, "12")
			h.waitView(view.ID, "At 12%")
			posts := len(h.srv.Calls("chat.postMessage"))
			tc.fault(h.srv)
			sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"justification": "2-year term agreed"})
			if err != nil {
				t.Fatal(err)
			}
			if msg := ackErrors(t, sub); msg != "" {
				t.Fatalf("the revision was refused: %s", msg)
			}
			if _, err := h.srv.WaitCall(ctxT(t), "chat.postMessage", posts); err != nil {
				t.Fatalf("the revision was never said: %v", err)
			}
			if tc.reached {
				h.waitThread(root.TS, "revised the request (revision 2")
			}
			h.crash()
			if got := h.failedPosts(""); len(got) != 0 {
				t.Fatalf("failed posts after the crash = %+v, want none (nothing was answered)", got)
			}
			if n := h.threadLines(root.TS, "revised the request"); n != map[bool]int{true: 1}[tc.reached] {
				t.Fatalf("the revision was said %d times before the restart", n)
			}

			h.tickAt(h.clock.Now().Add(time.Minute))
			if n := h.threadLines(root.TS, "revised the request"); n != 1 {
				t.Errorf("the revision was said %d times after the restart's first tick, want 1", n)
			}
			if tc.reached && len(h.srv.Calls("conversations.replies", "conversations.history")) == 0 {
				t.Error("the thread was not read for the reply before saying it again")
			}
			h.waitRoot(root.TS, "revision 2")
			if got := h.failedPosts(""); len(got) != 0 {
				t.Errorf("failed posts once said = %+v", got)
			}
			h.tickAt(h.clock.Now().Add(2 * time.Minute))
			if n := h.threadLines(root.TS, "revised the request"); n != 1 {
				t.Errorf("the revision was said %d times after the next tick, want 1", n)
			}
		})
	}
}
