package slack_test

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// TestUsageLinesReadAsWritten: the usage a rep gets for "/deal lost"
// without a reason, or with an empty competitor, names its placeholders
// "<reason>" and "<who won>"; Slack shows them only when they are sent
// escaped (slacktest marks an unescaped one broken, as Slack shows it).
func TestUsageLinesReadAsWritten(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	for _, tc := range []struct{ typed, want string }{
		{"lost " + d.ID.Ref(), "/deal lost D-12 &lt;reason&gt;"},
		{"lost " + d.ID.Ref() + " price competitor:", "competitor: &lt;who won&gt;"},
	} {
		got := h.answer(h.slash(sample.Rep1, "/deal", tc.typed))
		if strings.Contains(got, slacktest.BrokenMarkupOpen) || !strings.Contains(got, tc.want) {
			t.Errorf("/deal %s: got %q, want it to hold %q", tc.typed, got, tc.want)
		}
	}
}
