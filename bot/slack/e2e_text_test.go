package slack_test

import (
	"encoding/json"
	"strings"
	"testing"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// rawMarkup is what must never come back to a rep from text they typed:
// Slack markup shown raw (escaped) or passed through (it would ping, link
// or mention), and text escaped twice.
var rawMarkup = []string{"&lt;@", "<https://x", "&lt;https", "<#C0", "&lt;#", "&amp;amp;amp;", "&amp;lt;"}

func wantNone(t *testing.T, got string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(got, b) {
			t.Errorf("%q in:\n%s", b, got)
		}
	}
}

// TestTypedTextRoundTrips types a next step with a mention, a link, "&",
// "<…>" and a literal "&amp;" through /deal next: Slack sends it escaped
// (<@U0REP2|hugo>, <https://x|x>, &amp;, &lt;…&gt;, &amp;amp;), the bot
// stores what the rep typed, unescaped once, and shows it back escaped
// once: no markup, no entity shown raw.
func TestTypedTextRoundTrips(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	inv := h.slash(sample.Rep1, "/deal", "next "+d.ID.Ref()+" Ask <@U0REP2> about R&D <Europe> &amp; <https://x|x> in <#"+sample.DeskChannel+"> by fri")
	var sent goslack.SlashCommand
	if err := json.Unmarshal(inv.Payload, &sent); err != nil {
		t.Fatal(err)
	}
	wantContains(t, sent.Text, "<@U0REP2|hugo>", "R&amp;D &lt;Europe&gt; &amp;amp; <https://x|x>", "<#"+sample.DeskChannel+"|")
	got := h.answer(inv)
	if n := h.deal(d.ID).NextStep; n != "Ask @hugo about R&D <Europe> &amp; x in #"+strings.ToLower(sample.DeskChannel) {
		t.Errorf("stored next step %q", n)
	}
	wantContains(t, got, "Ask @hugo about R&amp;D &lt;Europe&gt; &amp;amp; x in #")
	wantNone(t, got, append(rawMarkup, "<@U0REP2")...)
}

// TestDealNameShownEscapedOnce: a deal named "R&D <Europe>" is shown as
// such (escaped once in mrkdwn), never "&amp;amp;" nor raw "<Europe>".
func TestDealNameShownEscapedOnce(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "R&D <Europe>", "R&D")
	got := h.answer(h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref()))
	wantContains(t, got, "R&amp;D &lt;Europe&gt;")
	wantNone(t, got, "&amp;amp;", "<Europe>")
	// Found by the words as typed: Slack sends "R&amp;D", the bot looks for "R&D".
	got = h.answer(h.slash(sample.Rep1, "/deal", "amount R&D Europe 30k"))
	wantContains(t, got, "R&amp;D &lt;Europe&gt;", "30,000")
}

// TestPlainAtWordNamesNobody: "@hugo" typed as text (no mention picked,
// or a command without should_escape) hands nobody to the bot: only a
// Slack mention names a user.
func TestPlainAtWordNamesNobody(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	got := h.answer(h.slash(sample.Manager, "/deal", "owner "+d.ID.Ref()+" @hugo"))
	if owner := h.deal(d.ID).Owner; owner != sample.Rep1 {
		t.Fatalf("a plain @word changed the owner to %s (%q)", owner, got)
	}
	got = h.answer(h.slash(sample.Manager, "/deal", "owner "+d.ID.Ref()+" <@U0REP2>"))
	if owner := h.deal(d.ID).Owner; owner != sample.Rep2 {
		t.Fatalf("the mention did not change the owner: %q", got)
	}
}

// TestThreadReplyCommentRoundTrips: an approval typed in a request's
// thread with a mention, a link and "&" keeps them as the approver typed
// them (the mention named: message events carry no name, so the bot asks
// users.info about a rep it has not met), and the request shows them
// escaped once.
func TestThreadReplyCommentRoundTrips(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	inv, err := h.srv.Message(string(sample.Manager), sample.DeskChannel, "approve ok for <@U0REP3> & R&D, see <https://x|x>", root.TS)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Event struct{ Text string } `json:"event"`
	}
	if err := json.Unmarshal(inv.Payload, &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Event.Text != `approve ok for <@U0REP3> &amp; R&amp;D, see <https://x|x>` {
		t.Fatalf("Slack sent %q", sent.Event.Text)
	}
	m := h.waitRoot(root.TS, "Approved* by <@U0MGR>")
	wantContains(t, m.Render(), "ok for @sam &amp; R&amp;D, see x")
	wantNone(t, m.Render(), rawMarkup...)
	if c := h.requests(d)[0].Request.Decisions[0].Comment; c != "ok for @sam & R&D, see x" {
		t.Errorf("stored comment %q", c)
	}
}

// TestRefusedThreadRepliesStayInThread: every refusal of a decision typed
// in a request's thread is an ephemeral in that thread (thread_ts), not in
// the channel where the approver is not looking.
func TestRefusedThreadRepliesStayInThread(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	for _, tt := range []struct {
		name string
		user domain.UserID
		text string
		want string
	}{
		{"WrongApprover", sample.Finance, "approve", "Only <@U0MGR> can decide"},
		{"OwnRequest", sample.Rep1, "approve", "cannot decide on your own request"},
		{"RejectWithoutReason", sample.Manager, "reject", "reason"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv, err := h.srv.Message(string(tt.user), sample.DeskChannel, tt.text, root.TS)
			if err != nil {
				t.Fatal(err)
			}
			r, err := inv.NextResponse(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != slacktest.ResponseEphemeral || r.ThreadTS != root.TS {
				t.Errorf("answered %s in thread %q, want an ephemeral in thread %s: %s", r.Kind, r.ThreadTS, root.TS, r.Render())
			}
			wantContains(t, r.Render(), tt.want)
		})
	}
	if n := len(h.requests(d)[0].Request.Decisions); n != 0 {
		t.Errorf("%d decisions recorded", n)
	}
}

// TestDirectMessageGetsHelp: a rep writing in the bot's Messages tab (here
// in answer to a reminder) gets the list of commands, once; the bot never
// answers its own answer, which Slack echoes back as a message.im event.
func TestDirectMessageGetsHelp(t *testing.T) {
	h := newHarness(t)
	dm := h.srv.DMChannel(string(sample.Rep1))
	answered := func(n int) []slacktest.Message {
		t.Helper()
		var helps []slacktest.Message
		err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
			helps = helps[:0]
			for _, m := range st.Messages[dm] {
				if m.User == slacktest.BotUserID {
					helps = append(helps, m)
				}
			}
			return len(helps) >= n
		})
		if err != nil {
			t.Fatalf("%d answers in the DM, want %d: %v", len(helps), n, err)
		}
		return helps
	}
	// echoAcked waits until the bot has acknowledged the echo of its
	// message ts.
	echoAcked := func(ts string) {
		t.Helper()
		err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
			for _, e := range st.Envelopes {
				if e.Ack != nil && strings.Contains(string(e.Payload), `"bot_id":"`+slacktest.BotID+`"`) && strings.Contains(string(e.Payload), `"ts":"`+ts+`"`) {
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("the echo of %s was never acknowledged: %v", ts, err)
		}
	}
	if _, err := h.srv.Message(string(sample.Rep1), dm, "done, called them", ""); err != nil {
		t.Fatal(err)
	}
	help := answered(1)[0]
	wantContains(t, help.Render(), "I answer commands, not messages", "/deal new", "/deal help", "/forecast help", "/pipeline")
	echoAcked(help.TS)
	if _, err := h.srv.Message(string(sample.Rep1), dm, "hello?", help.TS); err != nil {
		t.Fatal(err)
	}
	second := answered(2)[1]
	if second.ThreadTS != help.TS {
		t.Errorf("a message in a thread was answered outside it (thread %q)", second.ThreadTS)
	}
	echoAcked(second.TS)
	if got := answered(2); len(got) != 2 {
		t.Errorf("%d answers to 2 messages: the bot answered itself", len(got))
	}
}
