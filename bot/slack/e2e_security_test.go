package slack_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// mrkdwnTexts collects every text Slack would parse for mentions and links:
// a message's text and the mrkdwn text objects of its blocks.
func mrkdwnTexts(text string, blocks json.RawMessage) []string {
	out := []string{text}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "mrkdwn" {
				if s, ok := x["text"].(string); ok {
					out = append(out, s)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	var v any
	if len(blocks) > 0 && json.Unmarshal(blocks, &v) == nil {
		walk(v)
	}
	return out
}

// TestUserTextCannotPingOrMislead puts a channel ping, a user mention and a
// disguised link in a deal's name, account and next step, then shows the
// deal everywhere it appears (confirmation, card, list, history, App Home,
// the win announcement): Slack must never see them as markup.
func TestUserTextCannotPingOrMislead(t *testing.T) {
	h := newHarness(t)
	const name = "Evil <!channel> <@U0FIN> <http://evil.example|bank>"
	view := h.openNewDeal(sample.Rep1)
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{
		"name": name, "account": "Bank <!here> <!subteam^S123>", "amount": "48k",
		"close_date": "2026-12-15", "stage": "Qualification", "next_step": "Call <@U0FIN> at <https://evil.example|your bank>", "next_step_due": "2026-11-27",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 || ack.Rejected != "" {
		t.Fatalf("submission: %v %v %s", err, ack.Errors, ack.Rejected)
	}
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return len(st.ResponsePosts) > 0 }); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"show D-1", "list", "history D-1", "next D-1 Ping <!everyone> by fri", "update evil", "won D-1"} {
		h.answer(h.slash(sample.Rep1, "/deal", text))
	}
	home, err := h.srv.AppHomeOpened(string(sample.Rep1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := home.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { _, ok := st.HomeViews[string(sample.Rep1)]; return ok }); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitMessage(ctxT(t), sample.ForecastChannel, nil); err != nil {
		t.Fatalf("no win announcement: %v", err)
	}

	st := h.srv.State()
	var texts []string
	for _, rs := range st.Responses {
		for _, r := range rs {
			texts = append(texts, mrkdwnTexts(r.Text, r.Blocks)...)
		}
	}
	for _, ms := range st.Messages {
		for _, m := range ms {
			texts = append(texts, mrkdwnTexts(m.Text, m.Blocks)...)
		}
	}
	for _, m := range st.Ephemerals {
		texts = append(texts, mrkdwnTexts(m.Text, m.Blocks)...)
	}
	for _, v := range st.Views {
		texts = append(texts, mrkdwnTexts("", v.Blocks)...)
	}
	seen := false
	for _, s := range texts {
		seen = seen || strings.Contains(s, "&lt;!channel&gt;")
		for _, bad := range []string{"<!channel", "<!here", "<!everyone", "<!subteam", "<@U0FIN", "<http://evil", "<https://evil"} {
			if strings.Contains(s, bad) {
				t.Errorf("Slack would read %q as markup in:\n%s", bad, s)
			}
		}
	}
	if !seen {
		t.Error("the deal's name was never shown escaped: the test proves nothing")
	}
}

// TestInternalErrorsShowOnlyAReference makes a handler fail with details a
// user must not see (a path, a token): the user gets a reference to quote.
func TestInternalErrorsShowOnlyAReference(t *testing.T) {
	const secret = "xoxb-4242-SECRET /var/lib/dealpilot/dealpilot.db"
	h := newHarness(t, withCommands(func(b *bot.Bot) map[string]*bot.Command {
		cmds := b.Commands()
		cmds["/deal"].Subs["boom"] = func(context.Context, bot.Caller, string) (bot.Reply, error) {
			return nil, errors.New("open " + secret)
		}
		cmds["/deal"].Subs["panic"] = func(context.Context, bot.Caller, string) (bot.Reply, error) {
			panic("runtime error near " + secret)
		}
		return cmds
	}))
	for _, text := range []string{"boom", "panic"} {
		t.Run(text, func(t *testing.T) {
			got := h.answer(h.slash(sample.Rep1, "/deal", text))
			if strings.Contains(got, "SECRET") || strings.Contains(got, "/var/lib") {
				t.Errorf("the user was shown internals: %q", got)
			}
			if !strings.Contains(strings.ToLower(got), "ref") {
				t.Errorf("answer %q has no reference to quote", got)
			}
		})
	}
}
