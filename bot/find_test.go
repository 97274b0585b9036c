package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// TestLongTextIsBounded: thousands of words after a quick form must get a
// plain refusal, not a lookup of every split of the text (which once hung
// the fuzzer on a long input).
func TestLongTextIsBounded(t *testing.T) {
	b := newFuzzBot(t)
	deal := b.Commands()["/deal"]
	long := strings.Repeat("garage fontaine ", 2000)
	for _, text := range []string{"next " + long + "by fri", "stage " + long + "proposal", "amount " + long + "5k",
		"close " + long + "tomorrow", "lost " + long, "show " + long, "owner " + long + "@hugo"} {
		h, _, args := deal.Route(text)
		_, err := h(context.Background(), bot.Caller{User: "U0REP1", Mentions: map[string]domain.UserID{"@hugo": "U0REP2"}}, args)
		if code := domain.ErrorCode(err); code == domain.EINTERNAL {
			t.Errorf("%.20s…: internal error %v", text, err)
		}
	}
}
