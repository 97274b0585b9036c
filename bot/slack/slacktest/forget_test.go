package slacktest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// TestForgetKeepsWhatIsStillUnderWay: Forget drops the settled envelopes
// created before the cut, oldest first, stopping at the first one still
// waiting for its ack, with their responses and response_urls, and the
// messages before the cut; an envelope kept (or sent later) is still
// acked and recorded as before, and the counters stay whole.
func TestForgetKeepsWhatIsStillUnderWay(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	release := make(chan struct{})
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok { // the echo of the app's own message
			_ = sm.Ack(*evt.Request)
			return
		}
		if cmd.Text == "hold" {
			go func() { <-release; _ = sm.Ack(*evt.Request, map[string]any{"text": "held"}) }()
			return
		}
		_ = sm.Ack(*evt.Request, map[string]any{"text": "ok " + cmd.Text})
	})
	send := func(text string, wait bool) *Invocation {
		t.Helper()
		inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", text)
		if err != nil {
			t.Fatal(err)
		}
		if wait {
			if _, err := inv.WaitAck(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return inv
	}
	one := send("one", true)
	if _, _, err := apiClient(srv).PostMessage("C0SALES", slack.MsgOptionText("before the cut", false)); err != nil {
		t.Fatal(err)
	}
	hold := send("hold", false)
	two := send("two", true)
	if err := srv.WaitFor(ctx, func(st *State) bool { return st.Counters.Acks == st.Counters.Envelopes-1 }); err != nil {
		t.Fatal(err) // everything acked but hold, the message's echo too
	}
	cut := time.Now()
	sent := srv.Counters().Envelopes
	if last := srv.State().Envelopes; !last[len(last)-1].Created.Before(cut) {
		t.Fatal("the clock did not move past the last envelope")
	}

	f := srv.Forget(cut)
	if len(f.Envelopes) != sent-2 || f.Invocations != len(f.Envelopes) || f.Messages != 1 || f.Envelopes[0].InvocationID != one.ID || len(f.Responses[one.ID]) != 1 {
		t.Errorf("Forget: %+v, want all but hold and two (hold is under way), their invocations and responses, the message", f)
	}
	st := srv.State()
	if len(st.Envelopes) != 2 || st.Envelopes[0].InvocationID != hold.ID || st.Envelopes[1].InvocationID != two.ID {
		t.Fatalf("kept envelopes %+v, want hold and two", st.Envelopes)
	}
	if _, ok := st.Responses[one.ID]; ok || len(st.Messages["C0SALES"]) != 0 {
		t.Errorf("the first command's responses or the message before the cut are still there")
	}
	if len(st.Responses[two.ID]) != 1 {
		t.Errorf("the second command's response is gone")
	}
	if st.Counters.Envelopes != sent {
		t.Errorf("counters: %d envelopes, want %d (kept whole)", st.Counters.Envelopes, sent)
	}
	// The forgotten command's response_url is unknown now.
	resp, err := http.Post(one.ResponseURL, "application/json", strings.NewReader(`{"text":"late"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("a forgotten response_url answered 200")
	}

	// What is under way finishes as before, and new envelopes are recorded.
	close(release)
	if ack, err := hold.WaitAck(ctx); err != nil || ack.Rejected != "" {
		t.Fatalf("the held command after Forget: %+v %v", ack, err)
	}
	three := send("three", true)
	if e := three.Envelope(); e.Ack == nil || e.InvocationID != three.ID {
		t.Fatalf("a new envelope after Forget: %+v", e)
	}
	if e := hold.Envelope(); e.Ack == nil || !strings.Contains(string(e.Ack.Payload), "held") {
		t.Fatalf("the held envelope's record: %+v", e)
	}
	if f := srv.Forget(time.Now()); len(f.Envelopes) != 3 {
		t.Errorf("second Forget: %+v, want the three settled envelopes", f)
	}
	four := send("four", true)
	if st := srv.State(); len(st.Envelopes) != 1 || st.Envelopes[0].InvocationID != four.ID || st.Counters.Envelopes != sent+2 {
		t.Errorf("after everything was forgotten: %d envelopes, counter %d", len(st.Envelopes), st.Counters.Envelopes)
	}
}
