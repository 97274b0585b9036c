package slacktest

import (
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// TestTranscriptLinesNameTheirInvocation: the user's command and what the
// ack of it showed carry the invocation's id (the ack's lines marked Ack);
// a message the app posts over the Web API afterwards carries none, since
// it may reach Slack before or after the ack.
func TestTranscriptLinesNameTheirInvocation(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		if evt.Type != socketmode.EventTypeSlashCommand {
			_ = sm.Ack(*evt.Request)
			return
		}
		_ = sm.Ack(*evt.Request, map[string]any{"text": "Won it"})
		_, _, _ = apiClient(srv).PostMessage("C0SALES", slack.MsgOptionText("A win!", false))
	})
	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "won D-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitMessage(ctx, "C0SALES", func(m Message) bool { return m.Text == "A win!" }); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		inv string
		ack bool
	}{
		"@alice in #sales: /deal won D-1":                             {inv.ID, false},
		"dealpilot → @alice (only visible to them) in #sales: Won it": {inv.ID, true},
		"dealpilot in #sales: A win!":                                 {"", false},
	}
	lines := srv.Transcript()
	if len(lines) != len(want) {
		t.Fatalf("transcript %q, want the 3 lines %v", lines, want)
	}
	for _, l := range lines {
		w, ok := want[l.Text]
		if !ok {
			t.Fatalf("unexpected line %q", l.Text)
		}
		if l.Invocation != w.inv || l.Ack != w.ack {
			t.Errorf("%q: invocation %q ack %v, want %q %v", l.Text, l.Invocation, l.Ack, w.inv, w.ack)
		}
	}
}
