package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// deskState is the request card's text as the desk channel shows it now.
func (e *e2e) deskState() string {
	e.t.Helper()
	return cardText(e.srv.Posted(desk01)[0].Attachments[0].Content)
}

// TestDeskRejectAndChangesByDialog: Reject and Request changes open a
// dialog in the desk channel that asks the reason; submitted, the request
// is decided, its card updated in place for everyone, and the outcome
// ("You rejected request #1.") told to the clicker alone, in their 1:1
// chat, never in the channel.
func TestDeskRejectAndChangesByDialog(t *testing.T) {
	for _, tc := range []struct {
		name    string
		button  int
		action  string
		reason  string
		status  string
		outcome string
	}{
		{"Reject", 1, bot.ActionDeskReject, "Too deep for a renewal", "rejected", "You rejected request #1."},
		{"Changes", 2, bot.ActionDeskChanges, "Ask for a 2-year term", "changes", "You asked for changes to request #1."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			card := e.requestCard()
			data := actionData(t, card.Attachments[0].Content, tc.button)
			if data[actionKey] != tc.action {
				t.Fatalf("action %d is %v, want %s", tc.button, data[actionKey], tc.action)
			}
			form := dialogData(t, e.deliver(e.srv.TaskFetch(e.marc, desk01, card.ID, data)).Body)
			form[string(desk.FieldComment)] = tc.reason
			if d := e.deliver(e.srv.TaskSubmit(e.marc, desk01, form)); len(d.Body) != 0 {
				t.Fatalf("the %s dialog did not close: %s", tc.name, d.Body)
			}
			e.settle()
			wantIn(t, "the request card after "+tc.name, e.deskState(), tc.status, "Marc Dubois")
			if strings.Contains(e.deskState(), i18n.T(i18n.EN, "deskbot.button.approve")+"\n") {
				t.Errorf("the decided request still offers Approve:\n%s", e.deskState())
			}
			wantIn(t, "Marc's 1:1 after the dialog", e.last(e.srv.PersonalConversation(e.marc.ID)), tc.outcome)
			for _, a := range e.srv.Posted(desk01) {
				for _, att := range a.Attachments {
					if text := cardText(att.Content); strings.Contains(text, tc.outcome) {
						t.Errorf("the dialog's outcome %q was posted in the desk channel: %q", tc.outcome, text)
					}
				}
			}
		})
	}
}
