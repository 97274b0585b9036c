package slacktest

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestBadMarkup: an unescaped <…> that is not a Slack control sequence is
// what Slack would not show as typed; control sequences and escaped text
// pass.
func TestBadMarkup(t *testing.T) {
	tests := []struct {
		name string
		in   string
		bad  []string
	}{
		{"Plain", "Deal D-12 lost", nil},
		{"Escaped", "/deal lost D-12 &lt;reason&gt; R&amp;D", nil},
		{"User", "<@U0REP1> and <@W0X|lea>", nil},
		{"Channel", "in <#C0DESK> or <#C0DESK|deal-desk>", nil},
		{"Broadcast", "<!here> <!channel> <!everyone> <!here|here>", nil},
		{"UserGroup", "<!subteam^S0SALES|@sales>", nil},
		{"Date", "<!date^1392734382^{date_short}|Feb 18, 2014>", nil},
		{"Links", "<https://x.example/a?b=1&amp;c=2|the deck> <http://x> <mailto:a@b.c|a@b.c>", nil},
		{"Placeholder", "/deal lost D-12 <reason>", []string{"<reason>"}},
		{"Two", "reject <reason>, changes <what>", []string{"<reason>", "<what>"}},
		{"LowercaseUser", "<@u0rep1>", []string{"<@u0rep1>"}},
		{"BareBroadcast", "<!all>", []string{"<!all>"}},
		{"NotALink", "<ftp://x>", []string{"<ftp://x>"}},
		{"Unclosed", "a < b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BadMarkup(tt.in); !slices.Equal(got, tt.bad) {
				t.Errorf("BadMarkup(%q) = %q, want %q", tt.in, got, tt.bad)
			}
		})
	}
}

// TestTranscriptShowsBrokenMarkup: the transcript sets apart what Slack
// would show broken, in a message's text and in mrkdwn text objects, and
// leaves plain_text (where < is a character) and escaped text alone.
func TestTranscriptShowsBrokenMarkup(t *testing.T) {
	if got, want := renderMessage("use <reason> for <@U0REP1>", nil), "use ⟦broken mrkdwn: <reason>⟧ for <@U0REP1>"; got != want {
		t.Errorf("message text: got %q, want %q", got, want)
	}
	blocks, _ := json.Marshal([]map[string]any{
		{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "reject <reason>"},
			"fields": []any{map[string]any{"type": "mrkdwn", "text": "a &lt;b&gt;"}}},
		{"type": "header", "text": map[string]any{"type": "plain_text", "text": "Top <5>"}},
		{"type": "context", "elements": []any{map[string]any{"type": "mrkdwn", "text": "<what>"}}},
	})
	want := "reject ⟦broken mrkdwn: <reason>⟧\n  • a &lt;b&gt;\n# Top <5>\n(⟦broken mrkdwn: <what>⟧)"
	if got := RenderBlocks(blocks); got != want {
		t.Errorf("blocks:\ngot  %q\nwant %q", got, want)
	}
}
