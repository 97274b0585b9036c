package teamstest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestCheckInvokeResponse(t *testing.T) {
	card := `{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"Approved"}]}`
	tests := []struct {
		name, invoke string
		status       int
		body         string
		want         string // "" for a usable answer, else part of the error
	}{
		{"ExecuteCard", "adaptiveCard/action", 200, `{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":` + card + `}`, ""},
		{"ExecuteMessage", "adaptiveCard/action", 200, `{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Done"}`, ""},
		{"ExecuteError", "adaptiveCard/action", 200, `{"statusCode":403,"type":"application/vnd.microsoft.error","value":{"code":"Forbidden","message":"You cannot approve your own request"}}`, ""},
		{"ExecuteErrorAs200", "adaptiveCard/action", 200, `{"statusCode":200,"type":"application/vnd.microsoft.error","value":{"message":"x"}}`, "4xx/5xx"},
		{"ExecuteUnknownType", "adaptiveCard/action", 200, `{"statusCode":200,"type":"text/plain","value":"x"}`, "unknown answer type"},
		{"ExecuteNoCard", "adaptiveCard/action", 200, `{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive"}`, "no card"},
		{"ExecuteHTTP500", "adaptiveCard/action", 500, ``, "HTTP 500"},
		{"ExecuteEmpty", "adaptiveCard/action", 200, ``, "not JSON"},
		{"FetchDialog", "task/fetch", 200, `{"task":{"type":"continue","value":{"title":"Update D-12","card":{"contentType":"application/vnd.microsoft.card.adaptive","content":` + card + `}}}}`, ""},
		{"FetchNoTitle", "task/fetch", 200, `{"task":{"type":"continue","value":{"card":{"contentType":"application/vnd.microsoft.card.adaptive","content":` + card + `}}}}`, "no title"},
		{"FetchHeroCard", "task/fetch", 200, `{"task":{"type":"continue","value":{"title":"x","card":{"contentType":"application/vnd.microsoft.card.hero","content":{}}}}}`, "not an Adaptive Card"},
		{"FetchMessage", "task/fetch", 200, `{"task":{"type":"message","value":"D-12 is closed"}}`, ""},
		{"FetchEmpty", "task/fetch", 200, ``, "no task"},
		{"SubmitCloses", "task/submit", 200, ``, ""},
		{"SubmitUnknownTask", "task/submit", 200, `{"task":{"type":"close"}}`, "unknown task type"},
	}
	srv := newServer(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := srv.CheckInvokeResponse(tc.invoke, tc.status, []byte(tc.body))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestUserGesturesAsTeamsSendsThem(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	// the bot's card, with the buttons the gestures press
	st, _, b := call(t, "POST", activitiesURL(srv, conv), token(t, srv), map[string]any{"type": "message", "attachments": []map[string]any{{
		"contentType": AdaptiveCardType, "content": map[string]any{"type": "AdaptiveCard", "version": "1.5",
			"body": []any{map[string]any{"type": "TextBlock", "text": "R-3"}},
			"actions": []any{
				map[string]any{"type": "Action.Execute", "title": "Approve", "verb": "approve", "data": map[string]string{"request": "R-3"}},
				map[string]any{"type": "Action.Submit", "title": "Done", "data": map[string]string{"verb": "done"}},
				map[string]any{"type": "Action.Submit", "title": "Update", "data": map[string]any{"form": "update", "msteams": map[string]string{"type": "task/fetch"}}},
			}}}}})
	var posted struct{ ID string }
	if json.Unmarshal(b, &posted); st != 200 || posted.ID == "" {
		t.Fatalf("the card: %d %s", st, b)
	}
	cardID := posted.ID
	ex := srv.Execute(alice, conv, cardID, "approve", map[string]string{"request": "R-3"})
	var v struct {
		Action struct {
			Type, Verb string
			Data       map[string]string
		}
		Trigger string
	}
	json.Unmarshal(ex.Value, &v)
	if ex.Type != "invoke" || ex.Name != "adaptiveCard/action" || ex.ReplyToID != cardID ||
		v.Action.Type != "Action.Execute" || v.Action.Verb != "approve" || v.Action.Data["request"] != "R-3" || v.Trigger != "manual" {
		t.Errorf("execute %+v value %s", ex, ex.Value)
	}
	sub := srv.Submit(alice, conv, cardID, map[string]string{"verb": "done"})
	if sub.Type != "message" || sub.Text != "" || string(sub.Value) != `{"verb":"done"}` || sub.ReplyToID != cardID {
		t.Errorf("submit %+v", sub)
	}
	tf := srv.TaskFetch(alice, conv, cardID, map[string]any{"form": "update", "msteams": map[string]string{"type": "task/fetch"}})
	ts := srv.TaskSubmit(alice, conv, map[string]string{"amount": "12000"})
	for _, a := range []Activity{tf, ts} {
		var v struct{ Data map[string]any }
		json.Unmarshal(a.Value, &v)
		if a.Type != "invoke" || len(v.Data) == 0 {
			t.Errorf("%s: %s", a.Name, a.Value)
		}
	}
	// delivered, they read in the transcript with the bot's answers
	bot := http.NewServeMux()
	bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {
		var a Activity
		json.NewDecoder(r.Body).Decode(&a)
		switch a.Name {
		case "adaptiveCard/action":
			w.Write([]byte(`{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"R-3 approved by Alice"}]}}`))
		case "task/fetch":
			w.Write([]byte(`{"task":{"type":"continue","value":{"title":"Update D-12","card":{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"Amount"},{"type":"Input.Text","id":"amount"}],"actions":[{"type":"Action.Submit","title":"Save"}]}}}}}`))
		case "task/submit":
			w.Write([]byte(`{"task":{"type":"continue","value":{"card":{}}}}`))
		}
	})
	srv.SetBotEndpoint(newHTTPServer(t, bot) + "/api/messages")
	ctx := t.Context()
	for _, a := range []Activity{ex, sub, tf} {
		d, err := srv.Deliver(ctx, a)
		if err != nil || d.Status != 200 || d.InvokeErr != nil {
			t.Fatalf("%s %s: %v %v", a.Type, a.Name, err, d.InvokeErr)
		}
	}
	d, err := srv.Deliver(ctx, ts)
	if err != nil || d.InvokeErr == nil || !strings.Contains(d.InvokeErr.Error(), "no title") {
		t.Fatalf("a dialog without title: %v %v", err, d.InvokeErr)
	}
	want := "deliver " + conv + " #" + ex.ID + " (reply to #" + cardID + ") invoke/adaptiveCard/action from Alice → 200: [execute approve {\"request\":\"R-3\"}] ⇒ [card: R-3 approved by Alice]\n" +
		"deliver " + conv + " #" + sub.ID + " (reply to #" + cardID + ") message from Alice → 200: [submit {\"verb\":\"done\"}]\n" +
		"deliver " + conv + " #" + tf.ID + " (reply to #" + cardID + ") invoke/task/fetch from Alice → 200: [data {\"form\":\"update\",\"msteams\":{\"type\":\"task/fetch\"}}] ⇒ dialog \"Update D-12\" [card: Amount]\n"
	if got := srv.TranscriptText(); !strings.Contains(got, want) {
		t.Errorf("transcript:\n%s\nwant it to start:\n%s", got, want)
	}
}
