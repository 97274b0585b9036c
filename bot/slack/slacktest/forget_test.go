package slacktest

import (
	"net/http"
	"strings"
	"sync"
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

// TestForgetRoundsKeepLookupsOfKeptRecords runs rounds of 10 s (on the
// server's clock) of commands, messages, response_url posts and modals,
// forgetting all but the last 15 s after each, as dealbench does: what
// is kept still answers every lookup (its response_url posts, a trigger
// opens a view, its message updates, an open modal and an App Home update
// however old), what is forgotten answers none, and nothing from before
// the cut is left in State, however many batches each Forget took.
func TestForgetRoundsKeepLookupsOfKeptRecords(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := newServer(t, WithClock(clock))
	srv.AddUser(User{ID: "U0CAROL", Name: "carol"})
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		if _, ok := evt.Data.(slack.SlashCommand); ok {
			_ = sm.Ack(*evt.Request, map[string]any{"text": "ok"})
			return
		}
		_ = sm.Ack(*evt.Request) // the echo of the app's own message
	})
	api := apiClient(srv)
	send := func(user string) *Invocation {
		t.Helper()
		inv, err := srv.SlashCommand(user, "C0SALES", "/deal", "help")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inv.WaitAck(ctx); err != nil {
			t.Fatal(err)
		}
		return inv
	}
	post := func(url string) int {
		t.Helper()
		resp, err := http.Post(url, "application/json", strings.NewReader(`{"text":"later"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	settled := func() {
		t.Helper()
		if err := srv.WaitFor(ctx, func(st *State) bool { return st.Counters.Acks == st.Counters.Envelopes }); err != nil {
			t.Fatal(err)
		}
	}

	// Carol's modal and Alice's App Home, opened before everything, stay
	// open all along.
	pinned, err := api.OpenViewContext(ctx, send("U0CAROL").TriggerID, modal("Pinned", blocksN(1)...))
	if err != nil {
		t.Fatal(err)
	}
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocksN(1)}}
	homeView, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ALICE", View: home})
	if err != nil {
		t.Fatal(err)
	}

	type round struct {
		invs  []*Invocation
		msgTS string
		view  string
	}
	var rounds []round
	for r := range 6 {
		advance(10 * time.Second)
		var rd round
		for range 40 { // 40 envelopes are more than one batch of Forget's
			rd.invs = append(rd.invs, send("U0ALICE"))
		}
		_, ts, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("round", false))
		if err != nil {
			t.Fatal(err)
		}
		rd.msgTS = ts
		if code := post(rd.invs[0].ResponseURL); code != http.StatusOK {
			t.Fatalf("round %d: a response_url post answered %d", r, code)
		}
		settled()

		cut := clock().Add(-15 * time.Second)
		f := srv.Forget(cut)
		if r >= 2 && len(f.Envelopes) < 40 {
			t.Errorf("round %d: Forget dropped %d envelopes, want the 40 commands of two rounds ago", r, len(f.Envelopes))
		}

		// What this round made works: a trigger opens a view (closing
		// Alice's modal of the round before), the view updates.
		v, err := api.OpenViewContext(ctx, rd.invs[1].TriggerID, modal("Round", blocksN(1)...))
		if err != nil {
			t.Fatalf("round %d: a kept trigger: %v", r, err)
		}
		rd.view = v.ID
		if _, err := api.UpdateViewContext(ctx, modal("Round, updated", blocksN(1)...), "", "", v.ID); err != nil {
			t.Fatalf("round %d: updating the open modal: %v", r, err)
		}
		// What the round before made (10 s old) is kept.
		if r >= 1 {
			prev := rounds[r-1]
			if code := post(prev.invs[2].ResponseURL); code != http.StatusOK {
				t.Errorf("round %d: a kept response_url answered %d", r, code)
			}
			if _, _, _, err := api.UpdateMessageContext(ctx, "C0SALES", prev.msgTS, slack.MsgOptionText("edited", false)); err != nil {
				t.Errorf("round %d: updating a kept message: %v", r, err)
			}
			if e := prev.invs[5].Envelope(); e.ID == "" || e.Ack == nil {
				t.Errorf("round %d: a kept envelope's record: %+v", r, e)
			}
		}
		// What the round before that made (20 s old) is gone.
		if r >= 2 {
			old := rounds[r-2]
			if code := post(old.invs[2].ResponseURL); code != http.StatusNotFound {
				t.Errorf("round %d: a forgotten response_url answered %d, want 404", r, code)
			}
			if _, _, _, err := api.UpdateMessageContext(ctx, "C0SALES", old.msgTS, slack.MsgOptionText("edited", false)); err == nil || err.Error() != "message_not_found" {
				t.Errorf("round %d: updating a forgotten message: %v, want message_not_found", r, err)
			}
			if _, err := api.OpenViewContext(ctx, old.invs[3].TriggerID, modal("Late", blocksN(1)...)); err == nil || err.Error() != "invalid_trigger_id" {
				t.Errorf("round %d: a forgotten trigger: %v, want invalid_trigger_id", r, err)
			}
			if e := old.invs[5].Envelope(); e.ID != "" {
				t.Errorf("round %d: a forgotten envelope is still looked up: %+v", r, e)
			}
		}
		// The modal and the Home opened first still update.
		if _, err := api.UpdateViewContext(ctx, modal("Pinned, updated", blocksN(1)...), "", "", pinned.ID); err != nil {
			t.Errorf("round %d: updating the modal left open: %v", r, err)
		}
		hv, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ALICE", View: home})
		if err != nil || hv.ID != homeView.ID {
			t.Errorf("round %d: publishing the Home again: %v (view %s, want %s)", r, err, hv.ID, homeView.ID)
		}
		settled()

		// Nothing recorded before the cut is left, but the open views.
		st := srv.State()
		for _, e := range st.Envelopes {
			if e.Created.Before(cut) {
				t.Fatalf("round %d: an envelope of %v is left (cut %v)", r, e.Created, cut)
			}
		}
		for _, c := range st.Calls {
			if c.At.Before(cut) {
				t.Fatalf("round %d: a %s call of %v is left", r, c.Method, c.At)
			}
		}
		for _, p := range st.ResponsePosts {
			if p.At.Before(cut) {
				t.Fatalf("round %d: a response_url post of %v is left", r, p.At)
			}
		}
		for _, m := range append(st.Ephemerals, st.Messages["C0SALES"]...) {
			if m.At.Before(cut) {
				t.Fatalf("round %d: a message of %v is left: %+v", r, m.At, m)
			}
		}
		for _, l := range st.Transcript {
			if l.At.Before(cut) {
				t.Fatalf("round %d: a transcript line of %v is left: %s", r, l.At, l.Text)
			}
		}
		if len(st.ViewOrder) != len(st.Views) {
			t.Fatalf("round %d: ViewOrder %v, Views %d", r, st.ViewOrder, len(st.Views))
		}
		for i, id := range st.ViewOrder {
			v, ok := st.Views[id]
			if !ok || i > 0 && v.OpenedAt.Before(st.Views[st.ViewOrder[i-1]].OpenedAt) {
				t.Fatalf("round %d: ViewOrder %v is not the views in creation order", r, st.ViewOrder)
			}
			if !v.Open && v.UpdatedAt.Before(cut) {
				t.Fatalf("round %d: closed view %s of %v is left", r, id, v.UpdatedAt)
			}
		}
		if r >= 2 {
			if _, ok := st.Views[rounds[r-2].view]; ok {
				t.Errorf("round %d: the modal closed a round ago, opened two rounds ago, is left", r)
			}
		}
		rounds = append(rounds, rd)
	}
}

// TestForgetViewsAndLines: a closed modal updated after the cut is kept
// until a Forget past its update; transcript lines before the cut go even
// if nobody read (rendered) them.
func TestForgetViewsAndLines(t *testing.T) {
	var mu sync.Mutex
	t0 := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	now := t0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	at := func(d time.Duration) { mu.Lock(); now = t0.Add(d); mu.Unlock() }
	srv := newServer(t, WithClock(clock))
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) { _ = sm.Ack(*evt.Request) })
	api := apiClient(srv)
	trigger := func() string {
		t.Helper()
		inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "edit")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inv.WaitAck(ctx); err != nil {
			t.Fatal(err)
		}
		return inv.TriggerID
	}
	first, err := api.OpenViewContext(ctx, trigger(), modal("First", blocksN(1)...))
	if err != nil {
		t.Fatal(err)
	}
	at(10 * time.Second)
	if _, err := api.UpdateViewContext(ctx, modal("First, updated", blocksN(1)...), "", "", first.ID); err != nil {
		t.Fatal(err)
	}
	at(11 * time.Second)
	second, err := api.OpenViewContext(ctx, trigger(), modal("Second", blocksN(1)...)) // closes the first
	if err != nil {
		t.Fatal(err)
	}

	if f := srv.Forget(t0.Add(5 * time.Second)); f.Views != 0 || f.Lines == 0 {
		t.Errorf("Forget before the update: %d views, %d lines, want none and the first command's", f.Views, f.Lines)
	}
	st := srv.State()
	if _, ok := st.Views[first.ID]; !ok {
		t.Fatalf("the closed modal updated after the cut was forgotten")
	}
	for _, l := range st.Transcript {
		if l.At.Before(t0.Add(5 * time.Second)) {
			t.Errorf("a line before the cut is left: %s", l.Text)
		}
	}
	at(20 * time.Second)
	if f := srv.Forget(t0.Add(15 * time.Second)); f.Views != 1 {
		t.Errorf("Forget past the update: %d views, want the first", f.Views)
	}
	st = srv.State()
	if _, ok := st.Views[first.ID]; ok || len(st.ViewOrder) != 1 || st.ViewOrder[0] != second.ID {
		t.Errorf("after forgetting the first modal: ViewOrder %v", st.ViewOrder)
	}
}

// TestNeedRoom: a long list with less than a quarter of its length free
// is moved into an array 2.25 times its length, its records the same;
// one with room, one grown meanwhile and a short one are left alone.
func TestNeedRoom(t *testing.T) {
	list := func(n, c int) []int {
		x := make([]int, n, c)
		for i := range x {
			x[i] = i
		}
		return x
	}
	tests := []struct {
		name     string
		x        []int
		grow     int // appended between asking and moving
		wantCap  int // 0: not moved
		wantRoom bool
	}{
		{name: "moved", x: list(8000, 8100), wantCap: 18000, wantRoom: true},
		{name: "room enough", x: list(8000, 10000)},
		{name: "short", x: list(1000, 1000)},
		{name: "grown meanwhile", x: list(8000, 8100), grow: 200, wantRoom: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := tt.x
			var rooms []room
			needRoom(&rooms, func() []int { return x }, func(y []int) { x = y })
			if (len(rooms) == 1) != tt.wantRoom {
				t.Fatalf("%d rooms asked, want room %v", len(rooms), tt.wantRoom)
			}
			if !tt.wantRoom {
				return
			}
			move := rooms[0]()
			for i := range tt.grow {
				x = append(x, len(tt.x)+i)
			}
			before := cap(x)
			move()
			want := tt.wantCap
			if want == 0 {
				want = before
			}
			if cap(x) != want {
				t.Errorf("cap %d, want %d", cap(x), want)
			}
			for i, v := range x {
				if v != i {
					t.Fatalf("record %d is %d after the move", i, v)
				}
			}
		})
	}
}
