package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
)

// TestUserTextIsNotMarkup: what people type (a deal's name, account, next
// step) is shown as typed, never read as Teams' Markdown: a name written
// as a link must not become a link in the card a channel reads (Slack's
// renderer escapes its markup for the same reason).
func TestUserTextIsNotMarkup(t *testing.T) {
	e := newE2E(t)
	if _, _, err := e.db.UpdateDeal(e.ctx, e.deal.ID, 0, leaAAD, func(d *domain.Deal) error {
		d.Name, d.Account = "[Sign here](https://evil.example/pay)", "**ACME**"
		d.NextStep, d.NextStepDue = "call_the_cfo_now", domain.NewDate(2026, 12, 11)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	conv := e.srv.PersonalConversation(e.lea.ID)
	for _, cmd := range []string{"deal show D-1", "deal list", "deal history D-1"} {
		e.deliver(e.srv.Message(e.lea, conv, cmd))
		got := e.last(conv)
		for _, raw := range []string{"[Sign here](https://evil.example/pay)", "**ACME**", "call_the_cfo_now"} {
			if strings.Contains(got, raw) {
				t.Errorf("%s: user text %q reaches Teams as Markdown:\n%s", cmd, raw, got)
			}
		}
	}
}

// TestStrangerReadsNothing: someone the configuration does not name (a
// colleague in the tenant) gets a refusal, not France's deal (issue 13).
func TestStrangerReadsNothing(t *testing.T) {
	e := newE2E(t)
	eve := e.srv.AddUser(teamstest.User{ID: "29:eve", AADObjectID: "3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f00918", Name: "Eve", Installed: true})
	conv := e.srv.PersonalConversation(eve.ID)
	for _, cmd := range []string{"deal show D-1", "deal history D-1", "forecast France", "pipeline", "deal list "} {
		e.deliver(e.srv.Message(eve, conv, cmd))
		if got := e.last(conv); strings.Contains(got, "Acme") || strings.Contains(got, "48,000") {
			t.Errorf("%s by a stranger shows France's data:\n%s", cmd, got)
		}
	}
}

// TestJustificationIsNotMarkup: a discount request's justification, shown
// to the whole deal-desk channel, is shown as typed.
func TestJustificationIsNotMarkup(t *testing.T) {
	e := newE2E(t)
	lconv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
	form["justification"] = "See [the signed quote](https://evil.example/q)"
	e.deliver(e.srv.TaskSubmit(e.lea, lconv, form))
	roots := e.srv.Posted(desk01)
	if len(roots) != 1 {
		t.Fatalf("no request in the desk channel:\n%s", e.srv.TranscriptText())
	}
	if got := cardText(roots[0].Attachments[0].Content); strings.Contains(got, "[the signed quote](https://") {
		t.Errorf("the justification reaches the channel as a Markdown link:\n%s", got)
	}
}
