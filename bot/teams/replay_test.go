package teams

import (
	"testing"
	"time"
)

// TestReplayWithinTheTokensLifeDoneOnce: a captured activity replayed
// while its token is still valid (Bot Framework tokens live an hour, plus
// 5 minutes of skew) is not done again, even 20 minutes later.
func TestReplayWithinTheTokensLifeDoneOnce(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	first := e.deliver(e.srv.Message(e.lea, conv, "deal amount D-1 50k"))
	e.clock.Advance(20 * time.Minute)
	if _, err := e.srv.Redeliver(e.ctx, first); err != nil {
		t.Fatal(err)
	}
	answers := 0
	for _, en := range e.srv.Transcript() {
		if en.Kind == "send" && en.Conversation == conv {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("an activity replayed 20 minutes later was done again (%d answers):\n%s", answers, e.srv.TranscriptText())
	}
}
