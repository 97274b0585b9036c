package slack_test

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// threadLines counts the deal-desk thread ts's bot replies containing want.
func (h *harness) threadLines(ts, want string) int {
	n := 0
	for _, m := range h.srv.Messages(sample.DeskChannel) {
		if m.ThreadTS == ts && m.TS != ts && !m.Ephemeral() && strings.Contains(m.Render(), want) {
			n++
		}
	}
	return n
}

// redeliverAfterRestart redelivers the submission sub after a restart (as
// Slack does when the bot crashed before acking) and returns the answer
// the redelivery got on inv, the invocation the form was opened from,
// which already had n responses. The bot is restarted again after the
// answer, so every post the redelivery made is in the server on return.
func (h *harness) redeliverAfterRestart(inv, sub *slacktest.Invocation, n int) string {
	h.t.Helper()
	h.restart()
	dup, err := h.srv.Redeliver(sub)
	if err != nil {
		h.t.Fatal(err)
	}
	if msg := ackErrors(h.t, dup); msg != "" {
		h.t.Fatalf("the redelivery was refused in the form: %s", msg)
	}
	rs, err := inv.WaitResponses(ctxT(h.t), n+1)
	if err != nil {
		h.t.Fatalf("the redelivery got no answer: %v", err)
	}
	// A stop drains in-flight work, the redelivery's posts included: what
	// it announced is in the server by then.
	h.restart()
	return rs[len(rs)-1].Render()
}

// TestRedeliveredDeskCommentGetsTheFirstAnswer: the manager sends a
// request back with a reason; the same submission delivered again (after
// a restart, as Slack retries an unacked one) gets the answer the first
// got, not a refusal, and records and announces nothing twice.
func TestRedeliveredDeskCommentGetsTheFirstAnswer(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	inv, err := h.srv.BlockAction(string(sample.Manager), slacktest.InMessage(sample.DeskChannel, root.TS), slacktest.Action{ActionID: bot.ActionDeskChanges})
	if err != nil {
		t.Fatal(err)
	}
	view, err := inv.WaitView(ctxT(t))
	if err != nil {
		t.Fatalf("no reason form: %v", err)
	}
	sub, err := h.srv.SubmitView(string(sample.Manager), view.ID, slacktest.Values{"comment": "Ask for a 2-year term"})
	if err != nil {
		t.Fatal(err)
	}
	if msg := ackErrors(t, sub); msg != "" {
		t.Fatalf("the reason was refused: %s", msg)
	}
	h.waitThread(root.TS, "Ask for a 2-year term")
	h.waitDM(sample.Rep1, "Ask for a 2-year term")
	rs, err := inv.WaitResponses(ctxT(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	first := rs[len(rs)-1].Render()
	if !strings.Contains(first, "changes") {
		t.Fatalf("the decision answered %q", first)
	}

	if again := h.redeliverAfterRestart(inv, sub, len(rs)); again != first {
		t.Errorf("the redelivery answered\n%s\nwant the first answer\n%s", again, first)
	}
	r := h.requests(d)[0].Request
	if len(r.Decisions) != 1 || r.Status != desk.StatusChangesRequested {
		t.Errorf("after the redelivery: %s with %d decisions, want changes requested with 1", r.Status, len(r.Decisions))
	}
	if n := h.threadLines(root.TS, "Ask for a 2-year term"); n != 1 {
		t.Errorf("the decision was said %d times in the thread", n)
	}
}

// TestRedeliveredRevisionGetsTheFirstAnswer: the rep revises a request sent
// back for changes; the same submission delivered again after a restart
// gets the first answer ("revision 2 sent"), not a refusal, and makes no
// third revision nor a second announcement.
func TestRedeliveredRevisionGetsTheFirstAnswer(t *testing.T) {
	h := newHarness(t)
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
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"justification": "2-year term agreed"})
	if err != nil {
		t.Fatal(err)
	}
	if msg := ackErrors(t, sub); msg != "" {
		t.Fatalf("the revision was refused: %s", msg)
	}
	h.waitRoot(root.TS, "revision 2")
	h.waitThread(root.TS, "revised the request (revision 2")
	rs, err := inv.WaitResponses(ctxT(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	first := rs[len(rs)-1].Render()
	if !strings.Contains(first, "revision 2") {
		t.Fatalf("the revision answered %q", first)
	}

	if again := h.redeliverAfterRestart(inv, sub, len(rs)); again != first {
		t.Errorf("the redelivery answered\n%s\nwant the first answer\n%s", again, first)
	}
	r := h.requests(d)[0].Request
	if r.Revision != 2 || r.Status != desk.StatusPending || r.DiscountBP != 1200 {
		t.Errorf("after the redelivery: revision %d, %s, %d bp", r.Revision, r.Status, r.DiscountBP)
	}
	if n := h.threadLines(root.TS, "revised the request"); n != 1 {
		t.Errorf("the revision was said %d times in the thread", n)
	}
	if got := h.dealNow(d.ID); got.Version != d.Version {
		t.Errorf("the deal changed: version %d → %d", d.Version, got.Version)
	}
}
