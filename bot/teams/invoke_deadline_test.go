package teams

import (
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/i18n"
)

// invokeDeadline stands for Teams' five seconds in these tests: a bot that
// waits on the connector before it answers is late whatever the deadline,
// and one that answers first is on time however short it is, so nothing
// here waits five seconds.
const invokeDeadline = 2 * time.Second

// deliverHeld delivers a while the connector hangs, lets the connector go
// once the answer is in (or the deadline passed), and returns the answer.
func (e *e2e) deliverHeld(a teamstest.Activity) *teamstest.Delivery {
	e.t.Helper()
	release := e.srv.HoldConnector()
	d, err := e.srv.Deliver(e.ctx, a)
	release()
	if err != nil {
		e.t.Fatal(err)
	}
	e.settle()
	return d
}

// TestInvokeAnsweredWithinFiveSeconds: Teams waits five seconds for an
// invoke's answer and shows the user an error after. The bot answers a
// dialog's submission and an Action.Execute before it does the work that
// follows (posting the discount request in the desk channel, saying the
// outcome, updating the request's card in place for everyone): with the
// connector hanging, the answers still come in time, and that work is
// done, not lost, once the connector answers.
func TestInvokeAnsweredWithinFiveSeconds(t *testing.T) {
	e := newE2E(t, teamstest.WithInvokeDeadline(invokeDeadline))
	lconv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.Message(e.marc, e.srv.PersonalConversation(e.marc.ID), "deal help")) // the bot knows Marc
	form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
	form["justification"] = "Competitive bid against Globex"

	d := e.deliverHeld(e.srv.TaskSubmit(e.lea, lconv, form))
	if d.Late || d.InvokeErr != nil || d.Status != 200 {
		t.Fatalf("the dialog's submission: status %d, late %v: %v\n%s", d.Status, d.Late, d.InvokeErr, e.srv.TranscriptText())
	}
	roots := e.srv.Posted(desk01)
	if len(roots) != 1 {
		t.Fatalf("the request is not in the desk channel after the answer:\n%s", e.srv.TranscriptText())
	}
	wantIn(t, "what Léa is told after the dialog closed", e.last(lconv), "#1")

	reqCard := roots[0]
	approve := actionData(t, reqCard.Attachments[0].Content, 0)
	d = e.deliverHeld(e.srv.Execute(e.marc, desk01, reqCard.ID, bot.ActionDeskApprove, approve))
	if d.Late || d.InvokeErr != nil {
		t.Fatalf("Marc's approval: status %d, late %v: %v\n%s", d.Status, d.Late, d.InvokeErr, e.srv.TranscriptText())
	}
	wantIn(t, "the request card after the approval", cardText(e.srv.Posted(desk01)[0].Attachments[0].Content), "approved", "Marc Dubois")
}

// TestWorkAfterTheAnswerFailsAloud: the outcome of a dialog is said after
// its answer; when the connector refuses it, the failure is not dropped:
// it is logged under a reference and the user is told, with it.
func TestWorkAfterTheAnswerFailsAloud(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, conv, "deal update D-1")
	form["next_step"], form["next_step_due"] = "Call the CFO", "2026-12-10"
	e.srv.FailNext(1, 403, 0) // the outcome's message, after the answer
	e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	got := e.last(conv)
	prefix, _, _ := strings.Cut(i18n.T(i18n.EN, "error.ref"), "%s")
	if !strings.Contains(got, prefix) {
		t.Fatalf("Léa was not told the work after her dialog failed: %q\n%s", got, e.srv.TranscriptText())
	}
}
