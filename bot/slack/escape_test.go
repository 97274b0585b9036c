package slack

import (
	"maps"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestTypedText reads text as Slack sends it back into what the user
// typed: markup first, entities once.
func TestTypedText(t *testing.T) {
	names := map[string]string{"U0REP1": "lea"}
	tests := []struct {
		name     string
		in       string
		want     string
		mentions map[string]domain.UserID
	}{
		{"Plain", "new Acme", "new Acme", nil},
		{"Entities", "R&amp;D &lt;Europe&gt;", "R&D <Europe>", nil},
		{"UnescapedOnce", "&amp;amp; &amp;lt;", "&amp; &lt;", nil},
		{"TypedMarkupStaysText", "owner D-1 &lt;@U0ADMIN&gt;", "owner D-1 <@U0ADMIN>", nil},
		{"MentionWithName", "owner D-1 <@U0REP2|hugo>", "owner D-1 @hugo", map[string]domain.UserID{"@hugo": "U0REP2"}},
		{"MentionNameFromCache", "ask <@U0REP1>", "ask @lea", map[string]domain.UserID{"@lea": "U0REP1"}},
		{"MentionUnknownName", "ask <@W0OTHER>", "ask @W0OTHER", map[string]domain.UserID{"@W0OTHER": "W0OTHER"}},
		{"TwoMentions", "<@U0REP2|hugo> and <@U0REP3|sam>", "@hugo and @sam", map[string]domain.UserID{"@hugo": "U0REP2", "@sam": "U0REP3"}},
		{"Channel", "in <#C0DESK|deal-desk>", "in #deal-desk", nil},
		{"ChannelNoName", "in <#C0DESK>", "in #C0DESK", nil},
		{"Broadcast", "<!here> look", "@here look", nil},
		{"UserGroup", "<!subteam^S0SALES|@sales> look", "@sales look", nil},
		{"Link", "see <https://x.example/a?b=1&amp;c=2>", "see https://x.example/a?b=1&c=2", nil},
		{"LinkTypedDomain", "see <http://acme.com|acme.com>", "see acme.com", nil},
		{"LinkSameLabel", "see <https://x|x>", "see x", nil},
		{"LinkLabel", "see <https://x.example/deck|the deck &amp; notes>", "see the deck & notes (https://x.example/deck)", nil},
		{"Mailto", "<mailto:cfo@acme.com|cfo@acme.com>", "cfo@acme.com", nil},
		{"UnclosedBracket", "a <b", "a <b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, mentions := typedText(tt.in, func(id string) string { return names[id] })
			if got != tt.want || !maps.Equal(mentions, tt.mentions) {
				t.Errorf("typedText(%q) = %q, %v; want %q, %v", tt.in, got, mentions, tt.want, tt.mentions)
			}
		})
	}
}
