package teamstest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestInvokeDeadline: an invoke the bot answers after the deadline is a
// failure Teams shows the user (Late, ErrInvokeLate, status 0, in the
// transcript), whatever the bot sends later; a message has no such
// deadline here, and an invoke answered in time is checked as usual.
func TestInvokeDeadline(t *testing.T) {
	srv := newServer(t, WithInvokeDeadline(50*time.Millisecond))
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	unblock := make(chan struct{})
	bot := http.NewServeMux()
	bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("slow") != "" {
			select { // stuck in follow-up work until the test lets go
			case <-unblock:
			case <-r.Context().Done():
			}
		}
		w.Write([]byte(`{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Done"}`))
	})
	base := newHTTPServer(t, bot)
	defer close(unblock)

	srv.SetBotEndpoint(base + "/api/messages?slow=1")
	// (crafted: this bot posts no card to click on; the deadline is the point)
	d, err := srv.DeliverCrafted(t.Context(), srv.Execute(alice, conv, "1765000000001", "approve", map[string]string{"r": "1"}))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Late || d.Status != 0 || !errors.Is(d.InvokeErr, ErrInvokeLate) {
		t.Fatalf("a late answer: %+v", d)
	}
	if got := srv.TranscriptText(); !strings.Contains(got, "crafted "+conv) || !strings.Contains(got, "invoke/adaptiveCard/action from Alice → no answer in time") {
		t.Errorf("transcript:\n%s", got)
	}

	// In time: the answer is checked as before (a generous deadline, so
	// that a loaded machine does not make it late).
	srv.invokeWithin = InvokeDeadline
	srv.SetBotEndpoint(base + "/api/messages")
	d, err = srv.DeliverCrafted(t.Context(), srv.Execute(alice, conv, "1765000000001", "approve", map[string]string{"r": "1"}))
	if err != nil || d.Late || d.Status != 200 || d.InvokeErr != nil {
		t.Fatalf("an answer in time: %v %+v", err, d)
	}
}

// TestHoldConnector: a held connector keeps calls waiting until released,
// and Held counts them.
func TestHoldConnector(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	tok := token(t, srv)
	release := srv.HoldConnector()
	done := make(chan int, 1)
	go func() {
		st, _, _ := call(t, "POST", activitiesURL(srv, conv), tok, map[string]any{"type": "message", "text": "slow"})
		done <- st
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := srv.WaitFor(ctx, func() bool { return srv.Held() == 1 }); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Posted(conv)); n != 0 {
		t.Fatalf("a held call went through: %d posted", n)
	}
	release()
	release()
	if st := <-done; st != 200 {
		t.Fatalf("after release: %d", st)
	}
	if srv.Held() != 0 || len(srv.Posted(conv)) != 1 {
		t.Fatalf("held %d, posted %d", srv.Held(), len(srv.Posted(conv)))
	}
}
