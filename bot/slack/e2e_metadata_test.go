package slack_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// listener is a local HTTP server standing for an address an attacker
// names as a reply URL; it records every request it gets.
type listener struct {
	*httptest.Server
	hits chan string
}

func newListener(t *testing.T) *listener {
	t.Helper()
	l := &listener{hits: make(chan string, 16)}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hits <- r.Method + " " + r.URL.Path
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(l.Close)
	return l
}

// none fails the test when the listener got any request.
func (l *listener) none(t *testing.T) {
	t.Helper()
	select {
	case h := <-l.hits:
		t.Errorf("the bot sent %s to a reply URL named in a forged payload", h)
	default:
	}
}

// waitHandled waits until the bot logged that it finished the envelope of
// inv, after-ack work included.
func (h *harness) waitHandled(inv *slacktest.Invocation) {
	h.t.Helper()
	waitUntil(h.t, "the envelope is handled", func() bool {
		for _, line := range strings.Split(h.logText(), "\n") {
			if strings.Contains(line, inv.EnvelopeID) && strings.Contains(line, `"message":"handled"`) {
				return true
			}
		}
		return false
	})
}

// buttonValue is the value of the button actionID in blocks.
func buttonValue(t *testing.T, blocks json.RawMessage, actionID string) string {
	t.Helper()
	var bs []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				return e.Value
			}
		}
	}
	t.Fatalf("no button %s in %s", actionID, blocks)
	return ""
}

// TestForgedFormMetadataIsRefused: a submission whose private_metadata was
// forged (today's unsigned format naming a local listener as the reply
// URL), altered (the sealed metadata moved to another deal) or submitted
// by someone else is refused in the modal; nothing is saved, nothing is
// posted to the listener, and the log says why without the metadata.
func TestForgedFormMetadataIsRefused(t *testing.T) {
	lis := newListener(t)
	tests := []struct {
		name  string
		forge func(p map[string]any, meta string, d1, d2 *domain.Deal)
	}{
		{"UnsignedWithReplyURL", func(p map[string]any, _ string, d1, _ *domain.Deal) {
			view(p)["private_metadata"] = fmt.Sprintf(`{"d":%d,"v":%d,"c":%q,"r":%q}`, d1.ID, d1.Version, sample.SalesChannel, lis.URL+"/steal")
		}},
		{"SealedMovedToAnotherDeal", func(p map[string]any, meta string, d1, d2 *domain.Deal) {
			moved := strings.Replace(meta, fmt.Sprintf(`"d":%d,`, d1.ID), fmt.Sprintf(`"d":%d,`, d2.ID), 1)
			if moved == meta {
				panic("the sealed metadata does not name the deal as expected: " + meta)
			}
			view(p)["private_metadata"] = moved
		}},
		{"SealedWithReplyURLAdded", func(p map[string]any, meta string, _, _ *domain.Deal) {
			view(p)["private_metadata"] = strings.Replace(meta, `"m":{`, fmt.Sprintf(`"m":{"r":%q,`, lis.URL+"/steal"), 1)
		}},
		{"Truncated", func(p map[string]any, meta string, _, _ *domain.Deal) {
			view(p)["private_metadata"] = meta[:len(meta)-2]
		}},
		{"Empty", func(p map[string]any, _ string, _, _ *domain.Deal) { view(p)["private_metadata"] = "" }},
		{"SubmittedByAnotherUser", func(p map[string]any, _ string, _, _ *domain.Deal) {
			p["user"].(map[string]any)["id"] = string(sample.Manager)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			d1 := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
			d2 := h.seedDeal(sample.Rep1, "Bolt expansion", "Bolt")
			v, err := h.slash(sample.Rep1, "/deal", "update "+d1.ID.Ref()).WaitView(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			h.srv.Forge(func(p map[string]any) { tt.forge(p, v.PrivateMetadata, d1, d2) })
			sub, err := h.srv.SubmitView(string(sample.Rep1), v.ID, slacktest.Values{"amount": "99k"})
			if err != nil {
				t.Fatal(err)
			}
			ack, err := sub.WaitAck(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if ack.Rejected != "" || !strings.Contains(fmt.Sprint(ack.Errors), "could not be verified") {
				t.Errorf("forged submission not refused in the modal: errors %v, rejected %q", ack.Errors, ack.Rejected)
			}
			h.waitHandled(sub)
			for _, d := range []*domain.Deal{d1, d2} {
				if got := h.deal(d.ID); got.Amount != d.Amount || got.Version != d.Version {
					t.Errorf("%s changed by a forged submission: amount %d, version %d", d.ID.Ref(), got.Amount, got.Version)
				}
			}
			lis.none(t)
			log := h.logText()
			if !strings.Contains(log, "form metadata refused") {
				t.Error("the refusal is not logged")
			}
			if strings.Contains(log, "/steal") || strings.Contains(log, v.PrivateMetadata[10:40]) {
				t.Error("the log holds the forged payload")
			}
		})
	}
}

func view(p map[string]any) map[string]any { return p["view"].(map[string]any) }

// TestForgedResponseURLIsNotPosted: a click whose response_url names
// another host than Slack's gets its answer another way (ephemeral in the
// channel); the named address gets nothing.
func TestForgedResponseURLIsNotPosted(t *testing.T) {
	lis := newListener(t)
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	card, err := h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref()).NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Forge(func(p map[string]any) { p["response_url"] = lis.URL + "/hooks" })
	click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionHistory})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitEphemeral(ctxT(t), string(sample.Rep1), sample.SalesChannel, func(m slacktest.Message) bool {
		return strings.Contains(m.Text+string(m.Blocks), "History of "+d.ID.Ref())
	}); err != nil {
		t.Fatalf("the history never reached the user: %v", err)
	}
	h.waitHandled(click)
	lis.none(t)
	if log := h.logText(); !strings.Contains(log, "response_url refused") || strings.Contains(log, lis.URL+"/hooks") {
		t.Errorf("the refused response_url is not logged, or logged whole")
	}
}

// TestTamperedButtonValueIsRefused: a click whose value was forged (an
// unsigned deal id, the format of buttons before sealing), altered (a
// sealed value pointed at another deal) or taken from another button is
// refused with a message, and nothing is shown or opened.
func TestTamperedButtonValueIsRefused(t *testing.T) {
	h := newHarness(t)
	d1 := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	d2 := h.seedDeal(sample.Rep1, "Bolt expansion", "Bolt")
	card, err := h.slash(sample.Rep1, "/deal", "show "+d1.ID.Ref()).NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	history := buttonValue(t, card.Blocks, bot.ActionHistory)
	update := buttonValue(t, card.Blocks, bot.ActionUpdate)
	id1, id2 := fmt.Sprint(uint64(d1.ID)), fmt.Sprint(uint64(d2.ID))
	if !strings.HasSuffix(history, "."+id1) {
		t.Fatalf("history button value %q is not the sealed deal id", history)
	}
	tests := []struct {
		name  string
		value string
	}{
		{"Unsigned", id2},
		{"SealedPointedElsewhere", strings.TrimSuffix(history, id1) + id2},
		{"SignatureAltered", history[:5] + flip(history[5]) + history[6:]},
		{"FromAnotherButton", update},
		{"Truncated", history[:20]},
		{"Empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.srv.Forge(func(p map[string]any) { p["actions"].([]any)[0].(map[string]any)["value"] = tt.value })
			click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionHistory})
			if err != nil {
				t.Fatal(err)
			}
			r, err := click.NextResponse(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Render(); !strings.Contains(got, "could not be verified") || strings.Contains(got, "History of") {
				t.Errorf("tampered click answered:\n%s", got)
			}
			h.waitHandled(click)
			if n := len(click.Responses()); n != 1 {
				t.Errorf("%d answers to a refused click; want the refusal only", n)
			}
		})
	}
	if log := h.logText(); !strings.Contains(log, "button value refused") || strings.Contains(log, history[3:46]) {
		t.Error("the refusal is not logged, or the log holds the value")
	}
	// The card's honest buttons still work.
	click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionHistory})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, h.answer(click), "History of "+d1.ID.Ref())
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestHonestFormConfirmsThroughTheCommandsResponseURL: the update form,
// opened by /deal update or by a card's button, is saved and confirmed
// through the response_url Slack gave with that command or click: the bot
// kept it, the form's metadata only names it.
func TestHonestFormConfirmsThroughTheCommandsResponseURL(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	confirmed := func(opener *slacktest.Invocation, viewID, amount, want string) {
		t.Helper()
		sub, err := h.srv.SubmitView(string(sample.Rep1), viewID, slacktest.Values{"amount": amount})
		if err != nil {
			t.Fatal(err)
		}
		if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 || ack.Rejected != "" {
			t.Fatalf("honest submission refused: %v %v %s", err, ack.Errors, ack.Rejected)
		}
		if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
			for _, p := range st.ResponsePosts {
				if p.URL == opener.ResponseURL && p.Status == http.StatusOK && strings.Contains(p.Text+string(p.Blocks), want) {
					return true
				}
			}
			return false
		}); err != nil {
			t.Fatalf("no confirmation through the opener's response_url: %v", err)
		}
	}
	cmd := h.slash(sample.Rep1, "/deal", "update "+d.ID.Ref())
	v, err := cmd.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.PrivateMetadata, "s1.") || strings.Contains(v.PrivateMetadata, "http") {
		t.Errorf("private_metadata %q is not sealed, or holds a URL", v.PrivateMetadata)
	}
	confirmed(cmd, v.ID, "30k", "30,000")
	if got := h.deal(d.ID); got.Amount != 3_000_000 {
		t.Errorf("amount %d after the honest update", got.Amount)
	}

	card, err := h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref()).NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionUpdate})
	if err != nil {
		t.Fatal(err)
	}
	v, err = click.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	confirmed(click, v.ID, "31k", "31,000")
}

// TestForgedLiveFormChangeIsIgnored: a change in a live form (the discount
// preview) whose metadata was forged (another deal named) updates nothing;
// the next honest keystroke does.
func TestForgedLiveFormChangeIsIgnored(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	other := h.seedDeal(sample.Rep1, "Bolt expansion", "Bolt")
	view := h.openDiscount(sample.Rep1, d.ID.Ref())
	h.waitView(view.ID, "Type the discount: its net amount")
	before := len(h.srv.Calls("views.update"))
	h.srv.Forge(func(p map[string]any) {
		p["view"].(map[string]any)["private_metadata"] = fmt.Sprintf(`{"d":%d,"c":%q}`, other.ID, sample.SalesChannel)
	})
	inv, err := h.srv.Type(string(sample.Rep1), view.ID, slacktest.Action{ActionID: "discount", Value: "25"})
	if err != nil || inv == nil {
		t.Fatalf("typing: %v, %v", inv, err)
	}
	h.waitHandled(inv)
	if n := len(h.srv.Calls("views.update")) - before; n != 0 {
		t.Errorf("%d views.update for a change with forged metadata", n)
	}
	if !strings.Contains(h.logText(), "live form change: form metadata refused") {
		t.Error("the refusal is not logged")
	}
	h.typeDiscount(sample.Rep1, view.ID, "25")
	h.waitView(view.ID, "At 25%: net amount *€36,000*")
}

// TestForgedRequestIDCannotMoveARevision: a discount form on one deal whose
// metadata names another deal's request (sent back for changes) is
// refused; the request stays on its deal, unrevised.
func TestForgedRequestIDCannotMoveARevision(t *testing.T) {
	h := newHarness(t)
	d1 := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d1)
	root := h.request(sample.Rep1, d1.ID.Ref()+" 25", nil)
	h.decideWithReason(sample.Manager, root.TS, bot.ActionDeskChanges, "Ask for a 2-year term")
	h.waitRoot(root.TS, "Changes requested")
	sent := h.requests(d1)[0].Request

	d2 := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d2)
	tests := []struct {
		name  string
		forge func(meta string) string
	}{
		{"Unsigned", func(string) string {
			return fmt.Sprintf(`{"d":%d,"v":%d,"c":%q,"x":"{\"r\":%d}"}`, d2.ID, d2.Version, sample.SalesChannel, sent.ID)
		}},
		{"SealedWithRequestAdded", func(meta string) string {
			forged := strings.Replace(meta, `"x":"{`, fmt.Sprintf(`"x":"{\"r\":%d,`, sent.ID), 1)
			if forged == meta {
				panic("the form's metadata has no ref to alter: " + meta)
			}
			return forged
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := h.openDiscount(sample.Rep1, d2.ID.Ref()+" 22")
			h.srv.Forge(func(p map[string]any) { view(p)["private_metadata"] = tt.forge(v.PrivateMetadata) })
			sub, err := h.srv.SubmitView(string(sample.Rep1), v.ID, slacktest.Values{"justification": "2-year term agreed"})
			if err != nil {
				t.Fatal(err)
			}
			ack, err := sub.WaitAck(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(fmt.Sprint(ack.Errors), "could not be verified") {
				t.Errorf("forged revision not refused: %v %s", ack.Errors, ack.ResponseAction)
			}
			h.waitHandled(sub)
			if rs := h.requests(d1); len(rs) != 1 || rs[0].Request.Revision != sent.Revision || rs[0].Request.Deal != d1.ID {
				t.Errorf("d1's request after a forged revision: %+v", rs)
			}
			if rs := h.requests(d2); len(rs) != 0 {
				t.Errorf("d2 got requests from a forged form: %+v", rs)
			}
			if _, err := h.srv.CloseView(string(sample.Rep1), v.ID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestEveryButtonIsSealed walks an honest session (a card in the ack, a
// history through a click's response_url, a deal-desk request posted and
// refreshed, an App Home, a reminder DM, forms) and checks that every
// button Slack received, on every path, carries a sealed value, and every
// modal sealed metadata.
func TestEveryButtonIsSealed(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	card, err := h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref()).NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	click, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: bot.ActionHistory})
	if err != nil {
		t.Fatal(err)
	}
	h.answer(click)
	h.answer(h.slash(sample.Rep1, "/deal", "list"))
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	home, err := h.srv.AppHomeOpened(string(sample.Rep1))
	if err != nil {
		t.Fatal(err)
	}
	h.waitHandled(home)
	if _, err := h.slash(sample.Rep1, "/deal", "update "+d.ID.Ref()).WaitView(ctxT(t)); err != nil {
		t.Fatal(err)
	}

	st := h.srv.State()
	buttons, views := 0, 0
	bySource := map[string]int{}
	check := func(where string, raw json.RawMessage) {
		t.Helper()
		if len(raw) == 0 {
			return
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				if x["type"] == "button" {
					buttons++
					bySource[strings.Fields(where)[0]]++
					if s, _ := x["value"].(string); !strings.HasPrefix(s, "s1.") {
						t.Errorf("%s: button %v has an unsealed value %q", where, x["action_id"], s)
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
		walk(v)
	}
	for ch, ms := range st.Messages {
		for _, m := range ms {
			check("message in "+ch, m.Blocks)
		}
	}
	for _, m := range st.Ephemerals {
		check("ephemeral in "+m.Channel, m.Blocks)
	}
	for _, p := range st.ResponsePosts {
		check("response_url post", p.Blocks)
	}
	for id, v := range st.Views {
		check("view "+id, v.Blocks)
		if v.Type == "modal" {
			views++
			if !strings.HasPrefix(v.PrivateMetadata, "s1.") {
				t.Errorf("modal %s has unsealed metadata %q", id, v.PrivateMetadata)
			}
		}
	}
	if bySource["message"] == 0 || bySource["ephemeral"] == 0 || bySource["view"] == 0 || views < 2 {
		t.Errorf("the session showed buttons %v and %d modals: too few to say anything", bySource, views)
	}
	t.Logf("buttons %v and %d modals, all sealed", bySource, views)
}
