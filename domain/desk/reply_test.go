package desk_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain/desk"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		verdict desk.Verdict
		comment string
		ok      bool
	}{
		{"Approve", "approve", desk.Approve, "", true},
		{"ApproveWithComment", "approve  good margin still", desk.Approve, "good margin still", true},
		{"CaseInsensitive", "APPROVE Fine", desk.Approve, "Fine", true},
		{"Approved", "Approved!", desk.Approve, "", true},
		{"RejectReason", "reject price too low", desk.Reject, "price too low", true},
		{"RejectColon", "reject: price too low", desk.Reject, "price too low", true},
		{"RejectWithoutReasonStillParses", "reject", desk.Reject, "", true},
		{"Changes", "changes ask for 3 years", desk.Changes, "ask for 3 years", true},
		{"ChangesDash", "Changes — shorter trial", desk.Changes, "shorter trial", true},
		{"FrenchApprove", "Approuver ok pour moi", desk.Approve, "ok pour moi", true},
		{"FrenchApprouve", "APPROUVÉ", desk.Approve, "", true},
		{"FrenchRefuser", "refuser marge trop faible", desk.Reject, "marge trop faible", true},
		{"FrenchModifier", "modifier : réduire la durée", desk.Changes, "réduire la durée", true},
		{"BotMention", "@dealpilot approve", desk.Approve, "", true},
		{"BotMentionColon", "@dealpilot: reject no budget", desk.Reject, "no budget", true},
		{"BotMentionComma", "@dealpilot, changes 2 years", desk.Changes, "2 years", true},
		{"LeadingSpaceAndNewline", "  \n approve\nsee thread", desk.Approve, "see thread", true},
		{"NoBreakSpace", "approve\u00a0ok", desk.Approve, "ok", true},
		{"NotADecision", "what about 15%?", "", "", false},
		{"WordInside", "I approve", "", "", false},
		{"LongerWord", "approvers are slow", "", "", false},
		{"WordWithDigit", "approve2", "", "", false},
		{"Empty", "", "", "", false},
		{"MentionOnly", "@dealpilot", "", "", false},
		{"SlackMarkupIsNotAMention", "<@U0BOT> approve", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, c, ok := desk.ParseReply(tt.in)
			if v != tt.verdict || c != tt.comment || ok != tt.ok {
				t.Fatalf("ParseReply(%q) = %q, %q, %v; want %q, %q, %v", tt.in, v, c, ok, tt.verdict, tt.comment, tt.ok)
			}
		})
	}
}
