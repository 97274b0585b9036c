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
	"github.com/dealpilot/dealpilot/domain"
)

// ackErrors joins a submission ack's inline errors.
func ackErrors(t *testing.T, sub *slacktest.Invocation) string {
	t.Helper()
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var msg string
	for _, m := range ack.Errors {
		msg += m
	}
	return msg
}

// TestStaleUpdateFormNeverRevertsAChange is issue 13's reproduction: the
// rep opens the update form on 48k, the manager sets the amount to 99k,
// the rep runs /deal commit, then submits the old form. The form is
// refused, naming both changes; the manager's 99k stays.
func TestStaleUpdateFormNeverRevertsAChange(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Menuiserie Roux tablets", "Menuiserie Roux")
	ref := d.ID.Ref()
	h.answer(h.slash(sample.Rep1, "/deal", "amount "+ref+" 48k"))
	view, err := h.slash(sample.Rep1, "/deal", "update "+ref).WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, view.Render(), "48,000")
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "amount "+ref+" 99k")), "€99,000")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "commit "+ref)), "Commit")
	before := h.deal(d.ID)

	// The old form as it was opened, submitted unchanged.
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, ackErrors(t, sub), ref+" was changed after this was shown to you, so nothing was saved",
		"Amount: €48,000 → €99,000 (by <@U0MGR> at 10:30)",
		"Forecast category: Pipeline → Commit (by <@U0REP1> at 10:30)",
		"Open it again")
	if got := h.deal(d.ID); got.Amount != 9_900_000 || got.Category != domain.Commit || got.Version != before.Version {
		t.Errorf("the stale form changed the deal: amount %d, category %s, version %d → %d", got.Amount, got.Category, before.Version, got.Version)
	}
}

// TestNextStepFormRefusedAfterAChange: the next-step form opened from a
// card is refused when the deal changed since, naming who changed what.
func TestNextStepFormRefusedAfterAChange(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Boulangerie Petit ovens", "Boulangerie Petit")
	card, err := h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref()).NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionNextStep})
	if err != nil {
		t.Fatal(err)
	}
	view, err := click.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	h.answer(h.slash(sample.Manager, "/deal", "next "+d.ID.Ref()+" Meet the owner by 2026-12-03"))
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"next_step": "Send the quote", "next_step_due": "2026-12-02"})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, ackErrors(t, sub), "was changed after this was shown to you", "Meet the owner (by <@U0MGR> at 10:30)")
	if got := h.deal(d.ID); got.NextStep != "Meet the owner" {
		t.Errorf("the stale next-step form overwrote the manager's: %q", got.NextStep)
	}
}

// TestRedeliveredUpdateAppliesOnce: the same submission delivered again
// (after a restart, so only the store can tell) changes the deal once, and
// the second delivery gets the first one's answer, not a conflict with
// the first.
func TestRedeliveredUpdateAppliesOnce(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Cave Dumas cellar", "Cave Dumas")
	inv := h.slash(sample.Rep1, "/deal", "update "+d.ID.Ref())
	view, err := inv.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"amount": "25k"})
	if err != nil {
		t.Fatal(err)
	}
	if msg := ackErrors(t, sub); msg != "" {
		t.Fatalf("the update was refused: %s", msg)
	}
	rs, err := inv.WaitResponses(ctxT(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	first := rs[len(rs)-1].Render()
	wantContains(t, first, "Updated "+d.ID.Ref(), "€25,000")
	saved := h.deal(d.ID)

	h.restart()
	dup, err := h.srv.Redeliver(sub)
	if err != nil {
		t.Fatal(err)
	}
	if msg := ackErrors(t, dup); msg != "" {
		t.Fatalf("the redelivery was refused: %s", msg)
	}
	rs, err = inv.WaitResponses(ctxT(t), len(rs)+1)
	if err != nil {
		t.Fatal(err)
	}
	if again := rs[len(rs)-1].Render(); again != first {
		t.Errorf("the redelivery answered\n%s\nwant the first answer\n%s", again, first)
	}
	if got := h.deal(d.ID); got.Version != saved.Version {
		t.Errorf("the redelivery changed the deal again: version %d → %d", saved.Version, got.Version)
	}
	hist, err := h.store().History(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range hist {
		if e.Field == domain.FieldAmount && strings.Contains(e.New, "2500000") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d history entries for one change of the amount", n)
	}
}

// TestStalePlanFormRefused: two plan forms open on one deal; the manager
// saves first, and the rep's form, opened on the plan as it was, is
// refused naming the manager and what they saved. The same submission
// delivered again after a restart saves nothing more.
func TestStalePlanFormRefused(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	openPlan := func(user domain.UserID) (*slacktest.Invocation, slacktest.View) {
		t.Helper()
		inv := h.slash(user, "/deal", "plan "+d.ID.Ref())
		view, err := inv.WaitView(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		return inv, view
	}
	_, repView := openPlan(sample.Rep1)
	_, mgrView := openPlan(sample.Manager)
	sub, err := h.srv.SubmitView(string(sample.Manager), mgrView.ID, slacktest.Values{"plan": "2026-12-01 | customer | Security review"})
	if err != nil {
		t.Fatal(err)
	}
	if msg := ackErrors(t, sub); msg != "" {
		t.Fatalf("the manager's plan was refused: %s", msg)
	}
	h.restart()
	dup, err := h.srv.Redeliver(sub)
	if err != nil {
		t.Fatal(err)
	}
	if msg := ackErrors(t, dup); msg != "" {
		t.Fatalf("the redelivered plan was refused: %s", msg)
	}
	_, version, err := h.store().PlanVersion(context.Background(), d.ID)
	if err != nil || version != 2 {
		t.Errorf("plan version %d after one save delivered twice (%v); want 2", version, err)
	}

	sub, err = h.srv.SubmitView(string(sample.Rep1), repView.ID, slacktest.Values{"plan": "2026-12-15 | ours | Order form sent"})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, ackErrors(t, sub), "was changed after this was shown to you",
		"Mutual action plan set to 2026-12-01 Security review (by <@U0MGR> at 10:30)")
	plan, err := h.store().Plan(context.Background(), d.ID)
	if err != nil || len(plan.Milestones) != 1 || plan.Milestones[0].What != "Security review" {
		t.Errorf("the stale plan form overwrote the manager's plan: %+v (%v)", plan, err)
	}
}

// TestReminderDoneNeverClearsALaterNextStep: the morning reminder names a
// next step; the manager sets a new one; the rep's Done on the old
// reminder is refused, naming the manager's change, and the new step stays.
func TestReminderDoneNeverClearsALaterNextStep(t *testing.T) {
	h := newHarness(t)
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	d := h.seedNudged(sample.Rep1, "Bolt", created, domain.NewDate(2026, 11, 23))
	h.tickAt(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	dms := h.dms(sample.Rep1)
	if len(dms) != 1 {
		t.Fatalf("%d reminders, want 1", len(dms))
	}
	wantContains(t, dms[0].Render(), "Call back Bolt")
	h.answer(h.slash(sample.Manager, "/deal", "next "+d.ID.Ref()+" Meet the CFO by 2026-12-03"))

	inv, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(dms[0].Channel, dms[0].TS),
		slacktest.Action{ActionID: bot.ActionNudgeDone, BlockID: fmt.Sprintf("nudge_%d", d.ID)})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, h.answer(inv), d.ID.Ref()+" was changed after this was shown to you, so nothing was saved",
		"Next step: Call back Bolt → Meet the CFO (by <@U0MGR> at")
	if got := h.deal(d.ID); got.NextStep != "Meet the CFO" {
		t.Errorf("Done on an old reminder cleared the manager's next step: %q", got.NextStep)
	}
	if rs := inv.Responses(); len(rs) != 1 || rs[0].Kind == slacktest.ResponseViewOpened {
		t.Errorf("the refused Done answered %+v", rs)
	}
}
