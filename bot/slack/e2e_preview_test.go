package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// The discount form previews live: the Discount (%) input and the terms
// dispatch block_actions as the rep types or ticks, the bot answers each
// with views.update (the view's hash guarding it), and a request is sent on
// the first click when the figures shown are the figures sent.

// openDiscount runs /deal discount args as user and returns its form.
func (h *harness) openDiscount(user domain.UserID, args string) slacktest.View {
	h.t.Helper()
	inv := h.slash(user, "/deal", "discount "+args)
	view, err := inv.WaitView(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("/deal discount %s opened no form: %v (%v)", args, err, inv.Responses())
	}
	return view
}

// typeDiscount types s into the form's Discount (%) input, which must
// dispatch as Slack does for on_character_entered.
func (h *harness) typeDiscount(user domain.UserID, viewID, s string) {
	h.t.Helper()
	inv, err := h.srv.Type(string(user), viewID, slacktest.Action{ActionID: "discount", Value: s})
	if err != nil {
		h.t.Fatal(err)
	}
	if inv == nil {
		h.t.Fatal("typing in Discount (%) sent nothing to the bot: the input does not dispatch on character entered")
	}
	if _, err := inv.WaitAck(ctxT(h.t)); err != nil {
		h.t.Fatal(err)
	}
}

// waitView waits until the view renders with every want and none of
// unwanted (strings starting with "!").
func (h *harness) waitView(viewID string, want ...string) slacktest.View {
	h.t.Helper()
	var got slacktest.View
	err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool {
		got = st.Views[viewID]
		r := got.Render()
		for _, w := range want {
			if no, ok := strings.CutPrefix(w, "!"); ok {
				if strings.Contains(r, no) {
					return false
				}
			} else if !strings.Contains(r, w) {
				return false
			}
		}
		return true
	})
	if err != nil {
		h.t.Fatalf("the form never showed %q; it is:\n%s", want, got.Render())
	}
	return got
}

// submit presses Send request with values and returns the ack.
func (h *harness) submit(user domain.UserID, viewID string, values slacktest.Values) slacktest.Ack {
	h.t.Helper()
	sub, err := h.srv.SubmitView(string(user), viewID, values)
	if err != nil {
		h.t.Fatal(err)
	}
	ack, err := sub.WaitAck(ctxT(h.t))
	if err != nil {
		h.t.Fatal(err)
	}
	return ack
}

func TestDeskLivePreviewSendsOnFirstClick(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	view := h.openDiscount(sample.Rep1, d.ID.Ref())
	h.waitView(view.ID, "Type the discount: its net amount")

	// The sample bands: above 20 up to 35 % the manager then the VP.
	h.typeDiscount(sample.Rep1, view.ID, "25")
	h.waitView(view.ID, "At 25%: net amount *€36,000*", "manager (<@U0MGR>) → vp (<@U0VP>)", "!finance")
	// Payment terms over 60 days add finance.
	inv, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InView(view.ID),
		slacktest.Action{ActionID: "terms", Values: []string{"payment_terms"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	h.waitView(view.ID, "At 25%: net amount *€36,000*", "manager (<@U0MGR>) → vp (<@U0VP>) → finance (<@U0FIN>)")

	ack := h.submit(sample.Rep1, view.ID, slacktest.Values{"justification": "Rival quoted 20% less"})
	if ack.ResponseAction != "" || len(ack.Errors) > 0 {
		t.Fatalf("the first click did not send the previewed request: %s %v", ack.ResponseAction, ack.Errors)
	}
	h.waitRoot(h.request0(), "Waiting on step 1 of 3", "Payment terms over 60 days", "€36,000")
	if rs := h.requests(d); len(rs) != 1 || rs[0].Request.DiscountBP != 2500 {
		t.Fatalf("requests %+v", rs)
	}
	for _, c := range h.srv.Calls("views.update") {
		if c.Error != "" || c.Args["hash"] == nil || c.Args["hash"] == "" {
			t.Errorf("views.update without a hash or refused: %+v", c)
		}
	}
}

func TestDeskFiguresChangedAfterPreviewConfirmFirst(t *testing.T) {
	tests := []struct {
		name   string
		change func(h *harness, d *domain.Deal) slacktest.Values // what changes after the preview
		shown  []string                                          // what the confirmation shows
	}{
		{"Discount", func(*harness, *domain.Deal) slacktest.Values { return slacktest.Values{"discount": "30"} },
			[]string{"At 30%: net amount *€33,600*", "manager (<@U0MGR>) → vp (<@U0VP>)"}},
		{"Terms", func(*harness, *domain.Deal) slacktest.Values {
			return slacktest.Values{"terms": []string{"custom_sla"}}
		}, []string{"At 15%: net amount *€40,800*", "manager (<@U0MGR>) → vp (<@U0VP>)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			d := h.seedDeskDeal(sample.Rep1)
			h.withPlan(d)
			view := h.openDiscount(sample.Rep1, d.ID.Ref())
			h.typeDiscount(sample.Rep1, view.ID, "15")
			h.waitView(view.ID, "At 15%: net amount *€40,800*", "manager (<@U0MGR>)", "!vp (")

			values := tt.change(h, d)
			values["justification"] = "Rival"
			ack := h.submit(sample.Rep1, view.ID, values)
			if ack.ResponseAction != "update" {
				t.Fatalf("figures other than the preview's were sent without showing them: %+v", ack)
			}
			h.waitView(view.ID, append([]string{"The figures changed after the preview was shown"}, tt.shown...)...)
			if rs := h.requests(d); len(rs) != 0 {
				t.Fatalf("a request was saved before its figures were shown: %+v", rs)
			}
			// Now they are: the next click sends.
			if ack := h.submit(sample.Rep1, view.ID, slacktest.Values{}); ack.ResponseAction != "" || len(ack.Errors) > 0 {
				t.Fatalf("second click: %+v", ack)
			}
			h.waitRoot(h.request0(), "Waiting on step 1 of")
		})
	}
}

// TestDeskDealChangedAfterOpeningRefused: the deal's amount changes while
// the discount form is open; the submission is refused, naming who changed
// what, rather than shown as new figures the rep would confirm; nothing is
// sent.
func TestDeskDealChangedAfterOpeningRefused(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	view := h.openDiscount(sample.Rep1, d.ID.Ref())
	h.typeDiscount(sample.Rep1, view.ID, "15")
	h.waitView(view.ID, "At 15%: net amount *€40,800*")
	h.answer(h.slash(sample.Manager, "/deal", "amount "+d.ID.Ref()+" 60k"))
	// Typing after the change does not make the form current.
	h.typeDiscount(sample.Rep1, view.ID, "16")
	h.waitView(view.ID, "At 16%")
	// As previewed (the store refuses it in its transaction), then with
	// other figures (refused before any new preview).
	for _, values := range []slacktest.Values{{"justification": "Rival"}, {"discount": "17", "justification": "Rival"}} {
		ack := h.submit(sample.Rep1, view.ID, values)
		var msg string
		for _, m := range ack.Errors {
			msg += m
		}
		wantContains(t, msg, "was changed after this was shown to you", "Amount: €48,000 → €60,000 (by <@U0MGR> at 10:30)")
	}
	if rs := h.requests(d); len(rs) != 0 {
		t.Fatalf("a request was made on a deal changed since the form was opened: %+v", rs)
	}
}

func TestDeskLivePreviewBadInputIsAHint(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	view := h.openDiscount(sample.Rep1, d.ID.Ref())
	h.typeDiscount(sample.Rep1, view.ID, "abc")
	h.waitView(view.ID, "Discount: 'abc' is not a percentage; try 12.5 or 12.5%", "Above 20% up to 35%: manager → vp", "!net amount *")
	h.typeDiscount(sample.Rep1, view.ID, "120")
	h.waitView(view.ID, "Discount: '120' is not between 0 and 100%", "!'abc'")
	h.typeDiscount(sample.Rep1, view.ID, "12")
	h.waitView(view.ID, "At 12%: net amount *€42,240*", "!not between")
	// Typing told the rep nothing outside the form: no popup, no message.
	for _, m := range h.srv.Messages(h.srv.DMChannel(string(sample.Rep1))) {
		t.Errorf("the rep got a DM while typing: %s", m.Render())
	}
	for _, m := range h.srv.Messages(sample.SalesChannel) {
		t.Errorf("the rep was told something while typing: %s", m.Render())
	}
	if strings.Contains(h.srv.TranscriptText(), "went wrong") {
		t.Errorf("transcript:\n%s", h.srv.TranscriptText())
	}
}

func TestDeskLivePreviewStaleUpdateRefused(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	view := h.openDiscount(sample.Rep1, d.ID.Ref())

	// The preview of "15" is held up (a 429: the bot waits a second and
	// tries again with the same hash) while the rep sends 30 %.
	h.srv.Throttle("views.update", 1, time.Second)
	h.typeDiscount(sample.Rep1, view.ID, "15")
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return lastCall(st, "views.update").Error == "ratelimited" }); err != nil {
		t.Fatal(err)
	}
	if ack := h.submit(sample.Rep1, view.ID, slacktest.Values{"discount": "30", "justification": "Rival"}); ack.ResponseAction != "update" {
		t.Fatalf("30 %% was sent without its preview: %+v", ack)
	}
	// The late preview of 15 % is refused: it would overwrite newer figures.
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return lastCall(st, "views.update").Error == "hash_conflict" }); err != nil {
		t.Fatalf("the stale preview was not refused: %v", err)
	}
	h.waitView(view.ID, "At 30%: net amount *€33,600*", "!€40,800")
	if ack := h.submit(sample.Rep1, view.ID, slacktest.Values{}); ack.ResponseAction != "" {
		t.Fatalf("confirming: %+v", ack)
	}
	h.waitRoot(h.request0(), "€33,600")
	if n := len(h.srv.Calls("views.update")); n != 2 {
		t.Errorf("%d views.update calls, want 2 (one 429, one refused; no blind retry)", n)
	}
}

func TestDeskLivePreviewNewestKeystrokeWins(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	view := h.openDiscount(sample.Rep1, d.ID.Ref())

	// The preview of "1" is held up by a 429 while the rep types "15": both
	// keystrokes carry the hash of the form as opened. The first preview
	// lands late, and the newer one must still show, not be refused.
	h.srv.Throttle("views.update", 1, time.Second)
	h.typeDiscount(sample.Rep1, view.ID, "1")
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return lastCall(st, "views.update").Error == "ratelimited" }); err != nil {
		t.Fatal(err)
	}
	h.typeDiscount(sample.Rep1, view.ID, "15")
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		n := 0
		for _, c := range st.Calls {
			if c.Method == "views.update" && c.Error == "" {
				n++
			}
		}
		return n == 2
	}); err != nil {
		t.Fatalf("the two previews were not both shown: %v %+v", err, h.srv.Calls("views.update"))
	}
	h.waitView(view.ID, "At 15%: net amount *€40,800*")
	for _, c := range h.srv.Calls("views.update") {
		if c.Error == "hash_conflict" {
			t.Errorf("the newest keystroke's preview was refused: %+v", c)
		}
	}
	if ack := h.submit(sample.Rep1, view.ID, slacktest.Values{"justification": "Rival"}); ack.ResponseAction != "" {
		t.Fatalf("15 %% is shown, yet the click did not send it: %+v", ack)
	}
	h.waitRoot(h.request0(), "€40,800")
}

func lastCall(st *slacktest.State, method string) slacktest.APICall {
	for i := len(st.Calls) - 1; i >= 0; i-- {
		if st.Calls[i].Method == method {
			return st.Calls[i]
		}
	}
	return slacktest.APICall{}
}
