package teams

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
)

// TestForgedDialogButtonRefused: a task/fetch whose button value the bot
// did not seal for that button (made up, or sealed for another button)
// is answered with button.unverified, and no dialog is opened; the
// genuine button opens its dialog.
func TestForgedDialogButtonRefused(t *testing.T) {
	e := newE2E(t)
	reqCard := e.requestCard()
	content := reqCard.Attachments[0].Content
	approve, reject := actionData(t, content, 0), actionData(t, content, 1)
	if reject[actionKey] != bot.ActionDeskReject {
		t.Fatalf("the second action is not Reject: %v", reject)
	}
	opened := func() int {
		e.app.mu.Lock()
		defer e.app.mu.Unlock()
		return len(e.app.open)
	}
	before := opened()
	want := e.app.r.text(bot.M("button.unverified"))
	for name, value := range map[string]any{
		"MadeUp":           "1:1:0",
		"SealedForApprove": approve[buttonKey],
		"NotAString":       1,
	} {
		t.Run(name, func(t *testing.T) {
			forged := maps.Clone(reject)
			forged[buttonKey] = value
			d := e.deliverCrafted(e.srv.TaskFetch(e.marc, desk01, reqCard.ID, forged))
			var r struct {
				Task struct {
					Type  string `json:"type"`
					Value any    `json:"value"`
				} `json:"task"`
			}
			if err := json.Unmarshal(d.Body, &r); err != nil || r.Task.Type != "message" || r.Task.Value != want {
				t.Errorf("a forged Reject: %s, want the message %q", d.Body, want)
			}
			if n := opened(); n != before {
				t.Errorf("%d dialogs opened by a forged button", n-before)
			}
		})
	}
	if got := cardText(e.srv.Posted(desk01)[0].Attachments[0].Content); !strings.Contains(got, "pending") {
		t.Fatalf("a forged button changed the request:\n%s", got)
	}
	// the button as the bot sealed it opens the reject dialog
	if form := dialogData(t, e.deliver(e.srv.TaskFetch(e.marc, desk01, reqCard.ID, reject)).Body); len(form) == 0 {
		t.Fatal("the genuine Reject opened no dialog")
	}
}
