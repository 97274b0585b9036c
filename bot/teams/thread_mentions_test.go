package teams

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// TestCommandInAThread: a command typed after the bot's mention in a
// deal-desk request's thread is a command, answered there, not taken for
// a reply to the request.
func TestCommandInAThread(t *testing.T) {
	e := newE2E(t)
	root := e.requestCard()
	thread := desk01 + ";messageid=" + root.ID
	d := e.deliver(e.mentioned(e.marc, thread, "deal show D-1"))
	for _, en := range e.srv.Transcript() {
		if en.Kind == "reply" && en.ReplyTo == d.Activity.ID {
			return
		}
	}
	t.Errorf("deal show in the request's thread was not answered there:\n%s", e.srv.TranscriptText())
}

// TestMentionOfAStranger: a mention of someone the bot never heard from
// names nobody: `deal owner D-1 @Nobody` is refused, the owner unchanged,
// never handed to bot/ as an empty user.
func TestMentionOfAStranger(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.marc.ID)
	msg := e.srv.Message(e.marc, conv, "deal owner D-1 <at>Nobody Known</at>")
	ent, _ := json.Marshal(map[string]any{"type": "mention", "text": "<at>Nobody Known</at>", "mentioned": map[string]string{"id": "29:nobody", "name": "Nobody Known"}})
	msg.Entities = []json.RawMessage{ent}
	e.deliver(msg)
	got, err := e.db.Deal(e.ctx, e.deal.ID)
	if err != nil || string(got.Owner) != leaAAD {
		t.Fatalf("a mention of a stranger changed the owner to %q (%v):\n%s", got.Owner, err, e.srv.TranscriptText())
	}
}

// TestAtWithoutEntityIsText: "<at>dealpilot</at>" that a user typed
// literally (Teams sends it escaped, with no mention entity) is text, not
// the bot's mention: the line is no command and gets the short help.
func TestAtWithoutEntityIsText(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.Message(e.lea, conv, "&lt;at&gt;dealpilot&lt;/at&gt; deal show D-1"))
	got := e.last(conv)
	if strings.Contains(got, "Acme renewal") {
		t.Fatalf("typed <at> text was taken for the bot's mention:\n%s", got)
	}
	wantIn(t, "the answer", got, "deal new")
}

// TestThreadReplyNeedsTheMention: the app's manifest asks no
// ChannelMessage.Read.Group consent, so Teams hands the bot a reply in a
// deal-desk request's thread only when it mentions the bot: Marc's bare
// "reject too deep" never reaches it (the request stays pending); the
// card's hint, and the answer to a hesitant reply, tell him to write
// "@dealpilot reject <reason>"; the same reply after @dealpilot decides.
func TestThreadReplyNeedsTheMention(t *testing.T) {
	e := newE2E(t)
	root := e.requestCard()
	thread := desk01 + ";messageid=" + root.ID
	if _, err := e.srv.Deliver(e.ctx, e.srv.Message(e.marc, thread, "reject too deep")); !errors.Is(err, teamstest.ErrNotMentioned) {
		t.Fatalf("a reply without the bot's mention: %v, want teamstest.ErrNotMentioned", err)
	}
	e.settle()
	card := cardText(e.srv.Posted(desk01)[0].Attachments[0].Content)
	wantIn(t, "the request card after a reply the bot never got", card, "pending")
	// So the card's hint and the answer to a hesitant reply show every
	// reply after the bot's mention, as it must be typed on Teams.
	wantIn(t, "the request card's hint", card, "@dealpilot approve", "@dealpilot reject <reason>", "@dealpilot changes <what>")
	e.deliver(e.srv.MessageToBot(e.marc, thread, "approve?"))
	wantIn(t, "what Marc is told of his hesitant reply", e.last(e.srv.PersonalConversation(e.marc.ID)), "Not taken", "@dealpilot approve", "@dealpilot reject <reason>")
	e.deliver(e.srv.MessageToBot(e.marc, thread, "reject too deep"))
	wantIn(t, "the request card after the reply to the bot", cardText(e.srv.Posted(desk01)[0].Attachments[0].Content), "rejected", "Marc Dubois")
}

// TestHintNamesTheBotAsInstalled: an admin who renamed the app before
// uploading it ("Pipeline Pal") gets hints that mention the bot by that
// name, the one Teams sends as the activities' recipient and users type
// after "@": a hint saying "@dealpilot" would name nobody in that tenant.
func TestHintNamesTheBotAsInstalled(t *testing.T) {
	e := newE2E(t, teamstest.WithBotName("Pipeline Pal"))
	root := e.requestCard()
	card := cardText(root.Attachments[0].Content)
	wantIn(t, "the request card's hint", card, "@Pipeline Pal approve", "@Pipeline Pal reject <reason>")
	if strings.Contains(card, "@dealpilot") {
		t.Errorf("the hint names the bot @dealpilot, not as installed:\n%s", card)
	}
	thread := desk01 + ";messageid=" + root.ID
	e.deliver(e.srv.MessageToBot(e.marc, thread, "approve?"))
	wantIn(t, "what Marc is told of his hesitant reply", e.last(e.srv.PersonalConversation(e.marc.ID)), "Not taken", "@Pipeline Pal approve")
}
