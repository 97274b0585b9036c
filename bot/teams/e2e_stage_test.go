package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// TestNewDealStageShowsItsFields: choosing Discovery in the new-deal
// dialog and submitting shows Discovery's form (its Need) with everything
// typed kept, before any error and without creating anything, as Slack's
// modal shows it the moment the stage is chosen; the mistyped amount is
// then shown under its field, and the corrected deal is created with its
// Need. A stage whose form has the same inputs is submitted at once.
func TestNewDealStageShowsItsFields(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, conv, "deal new")
	if _, ok := form["need"]; ok {
		t.Fatalf("the first stage's form already asks Need: %v", form)
	}
	form["name"], form["account"], form["amount"], form["close_date"] = "Fromagerie Lemoine rollout", "Fromagerie Lemoine", "48kk", "2026-12-18"
	form["stage"], form["next_step"], form["next_step_due"] = "Discovery", "Demo to the owners", "2026-12-09"
	staged := e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	body := string(staged.Body)
	if !strings.Contains(body, `"continue"`) || !strings.Contains(body, `"id":"need"`) || strings.Contains(body, `"error_`) {
		t.Fatalf("choosing Discovery does not show its form, without errors:\n%s", body)
	}
	for _, kept := range []string{"Fromagerie Lemoine rollout", "48kk", "Demo to the owners", `"value":"Discovery"`} {
		if !strings.Contains(body, kept) {
			t.Errorf("the stage's form lost %q:\n%s", kept, body)
		}
	}
	if ds, _ := e.db.Deals(e.ctx, domain.DealFilter{}); len(ds) != 1 {
		t.Fatalf("choosing a stage created a deal: %d deals", len(ds))
	}

	form = dialogData(t, staged.Body)
	form["need"] = "Traceability for 3 cheese dairies"
	bad := e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	if !strings.Contains(string(bad.Body), `"error_amount"`) || strings.Contains(string(bad.Body), `"error_name"`) {
		t.Fatalf("the mistyped amount is not shown under its field alone:\n%s", bad.Body)
	}
	form = dialogData(t, bad.Body)
	form["amount"] = "48k"
	if ok := e.deliver(e.srv.TaskSubmit(e.lea, conv, form)); len(ok.Body) != 0 {
		t.Fatalf("the corrected form did not close: %s", ok.Body)
	}
	d, err := e.db.Deal(e.ctx, 2)
	if err != nil || d.Stage != "Discovery" || d.Need != "Traceability for 3 cheese dairies" || d.Amount != 48_000_00 {
		t.Fatalf("the deal created: %+v %v", d, err)
	}
}

// TestDiscountChangedShowsItsPreview: a discount changed in the request
// dialog is a Live input whose form keeps its inputs: the submission goes
// to the bot, which shows what the new discount costs and who approves it
// before anything is sent (its note says the figures changed); submitted
// again, the request goes to the deal desk at the new discount.
func TestDiscountChangedShowsItsPreview(t *testing.T) {
	e := newE2E(t)
	lconv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
	form["discount"], form["justification"] = "20%", "Competitive bid against Globex"
	again := e.deliver(e.srv.TaskSubmit(e.lea, lconv, form))
	wantIn(t, "the request dialog after the change", dialogText(t, again.Body), e.app.r.text(bot.M("deskbot.form.changed")), "20%", "€38,400")
	if n := len(e.srv.Posted(desk01)); n != 0 {
		t.Fatalf("a request was sent before its new figures were shown: %d in the desk channel", n)
	}
	if ok := e.deliver(e.srv.TaskSubmit(e.lea, lconv, dialogData(t, again.Body))); len(ok.Body) != 0 {
		t.Fatalf("the request dialog did not close: %s", ok.Body)
	}
	roots := e.srv.Posted(desk01)
	if len(roots) != 1 {
		t.Fatalf("the desk channel has %d messages", len(roots))
	}
	wantIn(t, "the request", cardText(roots[0].Attachments[0].Content), "20%", "€38,400")
}

// TestNewDealStageAfterRestart: a new-deal dialog opened before the bot
// restarted (the form it showed forgotten) and submitted with Discovery
// but no Need is answered with Discovery's form, everything typed kept.
func TestNewDealStageAfterRestart(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, conv, "deal new")
	e.reopen()
	form["name"], form["account"], form["amount"], form["close_date"] = "Fromagerie Lemoine rollout", "Fromagerie Lemoine", "48k", "2026-12-18"
	form["stage"], form["next_step"], form["next_step_due"] = "Discovery", "Demo to the owners", "2026-12-09"
	staged := e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	body := string(staged.Body)
	if !strings.Contains(body, `"id":"need"`) {
		t.Fatalf("no Discovery form after the restart:\n%s", body)
	}
	for _, kept := range []string{"Fromagerie Lemoine rollout", "Demo to the owners", "2026-12-18"} {
		if !strings.Contains(body, kept) {
			t.Errorf("the stage's form lost %q after the restart:\n%s", kept, body)
		}
	}
}

// TestDiscountAfterRestart: a request dialog opened before the bot
// restarted (the form it showed forgotten) is sent as submitted.
func TestDiscountAfterRestart(t *testing.T) {
	e := newE2E(t)
	lconv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
	e.reopen()
	form["justification"] = "Competitive bid against Globex"
	if ok := e.deliver(e.srv.TaskSubmit(e.lea, lconv, form)); len(ok.Body) != 0 {
		t.Fatalf("the request dialog did not close after the restart: %s", ok.Body)
	}
	if n := len(e.srv.Posted(desk01)); n != 1 {
		t.Fatalf("the desk channel has %d messages", n)
	}
}
