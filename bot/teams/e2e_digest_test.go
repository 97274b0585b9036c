package teams

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestDigestSubmitMyCall: the Monday digest's Submit my call button works
// end to end on Teams, as Slack's does. Léa presses it on the digest's
// card in her team's channel; the call form opens in a dialog, over her
// bottom-up figures; a commit that is not an amount is shown in the dialog
// and records nothing; her call is then submitted and recorded, and she
// reads that it is.
func TestDigestSubmitMyCall(t *testing.T) {
	e := newE2E(t)
	e.deliver(e.srv.ConversationUpdate(e.lea, e.srv.PersonalConversation(e.lea.ID), e.srv.Bot()))
	e.deliver(e.srv.ConversationUpdate(e.marc, e.srv.PersonalConversation(e.marc.ID), e.srv.Bot()))
	for _, err := range e.bot.Tick(e.ctx, e.app) {
		t.Errorf("tick: %v", err)
	}
	var digest *teamstest.Activity
	for _, p := range e.srv.Posted(fcst01) {
		if len(p.Attachments) > 0 && strings.Contains(string(p.Attachments[0].Content), bot.ActionSubmitCall) {
			digest = &p
		}
	}
	if digest == nil {
		t.Fatalf("no digest with Submit my call in the forecast channel:\n%s", e.srv.TranscriptText())
	}
	var c card
	if err := json.Unmarshal(digest.Attachments[0].Content, &c); err != nil {
		t.Fatal(err)
	}
	wantIn(t, "the digest", cardText(digest.Attachments[0].Content), "Léa Martin", "€48,000",
		e.app.r.text(bot.M("forecast.digest.week", "2026-W50", "EUR")), e.app.r.text(bot.M("forecast.changes.first")),
		e.app.r.text(bot.M("forecast.accuracy.none")))
	var button map[string]any
	for i, a := range asList(c["actions"]) {
		if d, _ := a["data"].(map[string]any); d[actionKey] == bot.ActionSubmitCall {
			button = actionData(t, digest.Attachments[0].Content, i)
		}
	}
	if button == nil {
		t.Fatalf("Submit my call is not among the digest's buttons:\n%s", digest.Attachments[0].Content)
	}

	fetched := e.deliver(e.srv.TaskFetch(e.lea, fcst01, digest.ID, button))
	wantIn(t, "the call form", dialogText(t, fetched.Body), e.app.r.text(bot.M("forecast.form.title", "2026-Q4")),
		e.app.r.text(bot.M("forecast.context.mine.title", "2026-Q4")), "€48,000")
	form := dialogData(t, fetched.Body)
	form[string(forecast.FieldCommit)], form[string(forecast.FieldBestCase)] = "lots", "60k"
	bad := e.deliver(e.srv.TaskSubmit(e.lea, fcst01, form))
	if !strings.Contains(string(bad.Body), `"continue"`) || !strings.Contains(string(bad.Body), `"error_`+string(forecast.FieldCommit)+`"`) {
		t.Fatalf("a commit that is not an amount is not shown in the dialog:\n%s", bad.Body)
	}
	if calls, err := e.db.Calls(e.ctx, "2026-Q4"); err != nil || len(calls) != 0 {
		t.Fatalf("a refused call was recorded: %v %v", calls, err)
	}

	form = dialogData(t, bad.Body)
	form[string(forecast.FieldCommit)], form[string(forecast.FieldBestCase)] = "50k", "60k"
	ok := e.deliver(e.srv.TaskSubmit(e.lea, fcst01, form))
	if len(ok.Body) != 0 && !strings.Contains(string(ok.Body), `"message"`) {
		t.Errorf("a good call does not close the dialog: %s", ok.Body)
	}
	calls, err := e.db.Calls(e.ctx, "2026-Q4")
	if err != nil || len(calls) != 1 || calls[0].User != leaAAD || calls[0].Commit != 50_000_00 || calls[0].BestCase != 60_000_00 {
		t.Fatalf("the call recorded: %+v %v", calls, err)
	}
	if got := e.srv.TranscriptText(); !strings.Contains(got, e.app.r.text(bot.M("forecast.call_saved", "2026-Q4", "€50,000", "€60,000"))) {
		t.Errorf("Léa is not told her call is saved:\n%s", got)
	}
}

// dialogText is the title and the card's texts of a task continue answer.
func dialogText(t *testing.T, body []byte) string {
	t.Helper()
	var r struct {
		Task struct {
			Value struct {
				Title string `json:"title"`
				Card  struct {
					Content json.RawMessage `json:"content"`
				} `json:"card"`
			} `json:"value"`
		} `json:"task"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("not a dialog: %s", body)
	}
	return r.Task.Value.Title + "\n" + cardText(r.Task.Value.Card.Content)
}
