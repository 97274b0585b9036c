package teamstest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestClicksOnlyOnDeliveredCards: the driver delivers a click only when a
// card the bot delivered offers it, in any version the user may still see
// (as posted, as updated), with the card's inputs merged in; a dialog's
// submission only to the dialog open for its user. Anything else is what
// no Teams client sends: refused, unless delivered as crafted.
func TestClicksOnlyOnDeliveredCards(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	tok := token(t, srv)
	bot := http.NewServeMux()
	bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {
		var a Activity
		json.NewDecoder(r.Body).Decode(&a)
		switch a.Name {
		case "task/fetch":
			w.Write([]byte(`{"task":{"type":"continue","value":{"title":"Update","card":{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Input.Text","id":"amount"}],"actions":[{"type":"Action.Submit","title":"Save","data":{"form":"f1"}}]}}}}}`))
		case "task/submit":
			// closes the dialog
		default:
			w.Write([]byte(`{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"ok"}`))
		}
	})
	srv.SetBotEndpoint(newHTTPServer(t, bot) + "/api/messages")
	card := func(actions ...any) map[string]any {
		return map[string]any{"type": "message", "attachments": []map[string]any{{"contentType": AdaptiveCardType,
			"content": map[string]any{"type": "AdaptiveCard", "version": "1.5",
				"body": []any{map[string]any{"type": "TextBlock", "text": "R-3"}, map[string]any{"type": "Input.Text", "id": "comment"}}, "actions": actions}}}}
	}
	approve := map[string]any{"type": "Action.Execute", "title": "Approve", "verb": "approve", "data": map[string]string{"request": "R-3"}}
	done := map[string]any{"type": "Action.Submit", "title": "Done", "data": map[string]string{"verb": "done"}}
	update := map[string]any{"type": "Action.Submit", "title": "Update", "data": map[string]any{"form": "update", "msteams": map[string]string{"type": "task/fetch"}}}
	st, _, b := call(t, "POST", activitiesURL(srv, conv), tok, card(approve, done, update))
	var posted struct{ ID string }
	if json.Unmarshal(b, &posted); st != 200 {
		t.Fatalf("the card: %d %s", st, b)
	}
	id := posted.ID
	ctx := t.Context()
	deliver := func(a Activity) error {
		_, err := srv.Deliver(ctx, a)
		return err
	}

	refused := []struct {
		name string
		a    Activity
	}{
		{"NoSuchCard", srv.Execute(alice, conv, "1765000009999", "approve", map[string]string{"request": "R-3"})},
		{"NoCardAtAll", srv.Invoke(alice, conv, "adaptiveCard/action", map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": "approve"}})},
		{"OtherVerb", srv.Execute(alice, conv, id, "reject", map[string]string{"request": "R-3"})},
		{"DataChanged", srv.Execute(alice, conv, id, "approve", map[string]string{"request": "R-4"})},
		{"NotAnInput", srv.Execute(alice, conv, id, "approve", map[string]string{"request": "R-3", "approver": "29:alice"})},
		{"SubmitChanged", srv.Submit(alice, conv, id, map[string]string{"verb": "snooze"})},
		{"FetchWithoutItsButton", srv.TaskFetch(alice, conv, id, map[string]any{"form": "delete", "msteams": map[string]string{"type": "task/fetch"}})},
		{"SubmitNoDialog", srv.TaskSubmit(alice, conv, map[string]string{"form": "f1", "amount": "12"})},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			if err := deliver(tc.a); err == nil || !strings.Contains(err.Error(), "teamstest:") {
				t.Fatalf("delivered: %v", err)
			}
		})
	}
	if strings.Contains(srv.TranscriptText(), "deliver ") {
		t.Fatalf("a refused click reached the bot:\n%s", srv.TranscriptText())
	}

	// What the card offers goes, its inputs merged in.
	for _, a := range []Activity{
		srv.Execute(alice, conv, id, "approve", map[string]string{"request": "R-3", "comment": "fine"}),
		srv.Submit(alice, conv, id, map[string]string{"verb": "done", "comment": ""}),
		srv.TaskFetch(alice, conv, id, map[string]any{"form": "update", "msteams": map[string]string{"type": "task/fetch"}}),
	} {
		if err := deliver(a); err != nil {
			t.Fatalf("%s %s: %v", a.Type, a.Name, err)
		}
	}
	// The dialog open for Alice takes her submission once, with its inputs only.
	if err := deliver(srv.TaskSubmit(alice, conv, map[string]string{"form": "f1", "amount": "12", "owner": "x"})); err == nil {
		t.Error("a dialog submission with a field the dialog has not was delivered")
	}
	if err := deliver(srv.TaskSubmit(alice, conv, map[string]string{"form": "f1", "amount": "12"})); err != nil {
		t.Fatal(err)
	}
	if err := deliver(srv.TaskSubmit(alice, conv, map[string]string{"form": "f1", "amount": "12"})); err == nil {
		t.Error("a closed dialog was submitted again")
	}

	// The bot updates the card without Approve: a client may still show the
	// old one, so the stale click goes (the bot must detect it).
	if st, _, b := call(t, "PUT", activitiesURL(srv, conv)+"/"+id, tok, card(done)); st != 200 {
		t.Fatalf("update: %d %s", st, b)
	}
	if err := deliver(srv.Execute(alice, conv, id, "approve", map[string]string{"request": "R-3"})); err != nil {
		t.Errorf("a click on the card as first delivered: %v", err)
	}

	// A tampered client's click is delivered when asked for, and says so.
	d, err := srv.DeliverCrafted(ctx, refused[3].a)
	if err != nil || d.Status != 200 || !d.Crafted {
		t.Fatalf("crafted: %v %+v", err, d)
	}
	if !strings.Contains(srv.TranscriptText(), "crafted "+conv+" #"+refused[3].a.ID) {
		t.Errorf("transcript:\n%s", srv.TranscriptText())
	}
}
