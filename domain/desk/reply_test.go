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
		// Commands: the word alone, or followed by a comment.
		{"Approve", "approve", desk.Approve, "", true},
		{"ApproveWithComment", "approve  good margin still", desk.Approve, "good margin still", true},
		{"CaseInsensitive", "APPROVE Fine", desk.Approve, "Fine", true},
		{"Approved", "Approved!", desk.Approve, "", true},
		{"ApprovedAlone", "approved", desk.Approve, "", true},
		{"ApprovedColon", "Approved: margin is fine", desk.Approve, "margin is fine", true},
		{"ApprovedStop", "Approved. Good call on the 2-year term", desk.Approve, "Good call on the 2-year term", true},
		{"ApproveOkForMe", "approve ok for me", desk.Approve, "ok for me", true},
		{"ApproveIt", "Approve it", desk.Approve, "it", true},
		{"RejectReason", "reject price too low", desk.Reject, "price too low", true},
		{"RejectColon", "reject: price too low", desk.Reject, "price too low", true},
		{"RejectWithoutReasonStillParses", "reject", desk.Reject, "", true},
		{"RejectedComma", "Rejected, margin below floor", desk.Reject, "margin below floor", true},
		{"Changes", "changes ask for 3 years", desk.Changes, "ask for 3 years", true},
		{"ChangesDash", "Changes — shorter trial", desk.Changes, "shorter trial", true},
		{"ChangesColonSentence", "changes: the SLA must stay at 99.9", desk.Changes, "the SLA must stay at 99.9", true},
		{"FrenchApprove", "Approuver ok pour moi", desk.Approve, "ok pour moi", true},
		{"FrenchApprouve", "APPROUVÉ", desk.Approve, "", true},
		{"FrenchApprouveExclamation", "Approuvé !", desk.Approve, "", true},
		{"FrenchApprouveLaRemise", "approuve la remise, bon dossier", desk.Approve, "la remise, bon dossier", true},
		{"FrenchRefuser", "refuser marge trop faible", desk.Reject, "marge trop faible", true},
		{"FrenchRejeter", "rejeter : marge trop faible", desk.Reject, "marge trop faible", true},
		{"FrenchRejeterSpace", "Rejeter marge sous le plancher", desk.Reject, "marge sous le plancher", true},
		{"FrenchRefuseeColon", "Refusée : pas de budget", desk.Reject, "pas de budget", true},
		{"FrenchModifier", "modifier : réduire la durée", desk.Changes, "réduire la durée", true},
		{"FrenchModifierSpace", "modifier durée de 2 ans minimum", desk.Changes, "durée de 2 ans minimum", true},
		// A leading mention addresses a person: never a decision (the
		// transport removes the bot's own mention before this).
		{"MentionFirst", "@Marc approve", "", "", false},
		{"MentionColon", "@Marc: reject no budget", "", "", false},
		{"MentionComma", "@Marc, changes 2 years", "", "", false},
		{"MentionQuestion", "@Marc approve?", "", "", false},
		{"MentionAlone", "@Marc", "", "", false},
		{"TwoMentions", "@Marc @Léa approve", "", "", false},
		{"LeadingSpaceAndNewline", "  \n approve\nsee thread", desk.Approve, "see thread", true},
		{"NewlineThenSentence", "approve\nthe customer signs Friday", desk.Approve, "the customer signs Friday", true},
		{"NoBreakSpace", "approve\u00a0ok", desk.Approve, "ok", true},

		// Questions.
		{"ApprovedAlreadyQuestion", "Approved already? I thought finance had to look first", "", "", false},
		{"ApproveQuestion", "approve?", "", "", false},
		{"ApproveThisQuestion", "Approve this at 25%?", "", "", false},
		{"RejectQuestion", "reject because of the price? seems harsh", "", "", false},
		{"RejectColonQuestion", "reject: why 30%?", "", "", false},
		{"FrenchQuestion", "Approuvé par la finance ?", "", "", false},
		{"FullWidthQuestion", "approve？", "", "", false},
		{"FullWidthQuestionAfterAComma", "Approve, are you sure？", "", "", false},
		{"NotADecision", "what about 15%?", "", "", false},

		// The word as an ordinary word in a sentence.
		{"ChangesToTheSLA", "Changes to the SLA are fine by me", "", "", false},
		{"ChangesAreFine", "changes are fine", "", "", false},
		{"ChangesWeAgreed", "changes we agreed on Monday still hold", "", "", false},
		{"ChangesLookGood", "Changes look good to me", "", "", false},
		{"ApprovedByLegal", "Approved by legal last week, FYI", "", "", false},
		{"ApprovedAlready", "approved already for the Q3 deal", "", "", false},
		{"RejectedLastTime", "rejected last time for the same reason", "", "", false},
		{"ApproveOf", "approve of the plan in principle", "", "", false},
		{"ApproveIfFinance", "approve if finance agrees", "", "", false},
		{"ApproveOnceSigned", "Approve once the order form is signed", "", "", false},
		{"ApproveLater", "approve later, in a meeting", "", "", false},
		{"ApproveNotYet", "approve not yet", "", "", false},
		{"RejectUnless", "reject unless they commit to 2 years", "", "", false},
		{"FrenchApprouveParLaFinance", "Approuvé par la finance hier", "", "", false},
		{"FrenchApprouverSi", "approuver si la finance est d'accord", "", "", false},
		{"FrenchRefuserPas", "refuser pas tout de suite", "", "", false},
		{"FrenchModifierQuand", "modifier quand le client aura répondu", "", "", false},
		{"WordInside", "I approve", "", "", false},
		{"FrenchWordInside", "J'approuve", "", "", false},
		{"LongerWord", "approvers are slow", "", "", false},
		{"Approval", "approval pending from finance", "", "", false},
		{"WordWithDigit", "approve2", "", "", false},
		{"Possessive", "approve's meaning", "", "", false},

		// Words that are not decisions.
		{"OK", "ok", "", "", false},
		{"OKThenApprove", "OK approve", "", "", false},
		{"ThumbsUp", "👍", "", "", false},
		{"LGTM", "lgtm", "", "", false},
		{"Quoted", "&gt; approve", "", "", false},
		{"QuotedRaw", "> approve", "", "", false},
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

func TestHesitant(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		verdict  desk.Verdict
		hesitant bool
	}{
		{"Question", "Approved already? I thought finance had to look first", desk.Approve, true},
		{"Sentence", "Changes to the SLA are fine by me", desk.Changes, true},
		{"Condition", "reject unless they sign", desk.Reject, true},
		{"Command", "approve", "", false},
		{"Conversation", "what about 15%?", "", false},
		{"WordInside", "I approve", "", false},
		// The word asked about is hesitation, not another word ("approve2").
		{"WordThenQuestionMark", "approve?", desk.Approve, true},
		{"FullWidthQuestionAfterAComma", "Approve, are you sure？", desk.Approve, true},
		// Addressed to someone: the approver who wrote it is told how to
		// decide; a mention and talk is conversation.
		{"AddressedToSomeone", "@Marc approve", desk.Approve, true},
		{"AddressedWithComment", "@Marc: reject, price too low", desk.Reject, true},
		{"MentionThenTalk", "@Marc see the thread", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, h := desk.Hesitant(tt.in)
			if h != tt.hesitant || (h && v != tt.verdict) {
				t.Fatalf("Hesitant(%q) = %q, %v; want %q, %v", tt.in, v, h, tt.verdict, tt.hesitant)
			}
		})
	}
}
