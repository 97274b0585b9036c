package slack_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// seedDeskDeal stores an open, qualified deal of 48,000.00 EUR owned by owner.
func (h *harness) seedDeskDeal(owner domain.UserID) *domain.Deal {
	h.t.Helper()
	d, err := h.store().CreateDeal(context.Background(), &domain.Deal{
		Name: "Acme renewal", Account: "Acme", Owner: owner, Amount: 4_800_000, Currency: "EUR",
		Stage: "Proposal", Category: domain.BestCase, CloseDate: domain.NewDate(2026, 12, 18),
		Need: "CRM for 40 reps", DecisionMakers: "CFO and head of sales", Budget: "50k", Timeline: "Live in January",
		NextStep: "Send the order form", NextStepDue: domain.NewDate(2026, 11, 27), Status: domain.Open,
	}, owner, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// withPlan gives a deal a two-milestone plan, as /deal plan would.
func (h *harness) withPlan(d *domain.Deal) {
	h.t.Helper()
	err := h.store().SavePlan(context.Background(), d.ID, desk.Plan{Milestones: []desk.Milestone{
		{What: "Security review", Side: desk.Customer, Due: domain.NewDate(2026, 12, 1), Done: true},
		{What: "Order form signed", Side: desk.Customer, Due: domain.NewDate(2026, 12, 15)},
	}}, d.Owner)
	if err != nil {
		h.t.Fatal(err)
	}
}

// askDiscount runs /deal discount as user and submits the form with
// values (the justification is filled in when missing); it returns the
// submission's ack.
func (h *harness) askDiscount(user domain.UserID, args string, values slacktest.Values) (slacktest.Ack, *slacktest.Invocation) {
	h.t.Helper()
	inv := h.slash(user, "/deal", "discount "+args)
	view, err := inv.WaitView(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("/deal discount %s opened no form: %v (%v)", args, err, inv.Responses())
	}
	if values == nil {
		values = slacktest.Values{}
	}
	if _, ok := values["justification"]; !ok {
		values["justification"] = "Rival quoted 20% less"
	}
	sub, err := h.srv.SubmitView(string(user), view.ID, values)
	if err != nil {
		h.t.Fatal(err)
	}
	ack, err := sub.WaitAck(ctxT(h.t))
	if err != nil {
		h.t.Fatal(err)
	}
	return ack, inv
}

// request asks for a discount that must be sent as is and returns its
// root message in the deal-desk channel.
func (h *harness) request(user domain.UserID, args string, values slacktest.Values) slacktest.Message {
	h.t.Helper()
	before := len(h.rootMessages())
	ack, _ := h.askDiscount(user, args, values)
	if ack.ResponseAction != "" || len(ack.Errors) > 0 {
		h.t.Fatalf("the request was not sent: %s %v", ack.ResponseAction, ack.Errors)
	}
	// The bot refreshes the message once it has recorded its thread.
	var root slacktest.Message
	err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool {
		roots := rootsOf(st.Messages[sample.DeskChannel])
		if len(roots) > before && roots[len(roots)-1].Edited {
			root = roots[len(roots)-1]
			return true
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("no request in the deal-desk channel: %v", err)
	}
	return root
}

func rootsOf(ms []slacktest.Message) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range ms {
		if m.ThreadTS == "" && !m.Ephemeral() && m.User == slacktest.BotUserID {
			out = append(out, m)
		}
	}
	return out
}

func (h *harness) rootMessages() []slacktest.Message {
	return rootsOf(h.srv.Messages(sample.DeskChannel))
}

// waitRoot waits until the request message ts renders with every want.
func (h *harness) waitRoot(ts string, want ...string) slacktest.Message {
	h.t.Helper()
	var got slacktest.Message
	err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool {
		for _, m := range st.Messages[sample.DeskChannel] {
			if m.TS == ts {
				got = m
				r := m.Render()
				for _, w := range want {
					if !strings.Contains(r, w) {
						return false
					}
				}
				return true
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("request message %s never showed %q; it is:\n%s", ts, want, got.Render())
	}
	return got
}

// waitThread waits for a reply in the request's thread containing want.
func (h *harness) waitThread(ts, want string) slacktest.Message {
	h.t.Helper()
	m, err := h.srv.WaitMessage(ctxT(h.t), sample.DeskChannel, func(m slacktest.Message) bool {
		return m.ThreadTS == ts && !m.Ephemeral() && strings.Contains(m.Render(), want)
	})
	if err != nil {
		h.t.Fatalf("no thread reply with %q: %v", want, err)
	}
	return m
}

// waitDM waits for a direct message to user containing want.
func (h *harness) waitDM(user domain.UserID, want string) {
	h.t.Helper()
	_, err := h.srv.WaitMessage(ctxT(h.t), h.srv.DMChannel(string(user)), func(m slacktest.Message) bool {
		return strings.Contains(m.Render(), want)
	})
	if err != nil {
		h.t.Fatalf("no DM to %s with %q: %v", user, want, err)
	}
}

// click presses one of a request message's buttons and returns what the
// clicker was told (the first response).
func (h *harness) click(user domain.UserID, ts, actionID string) (*slacktest.Invocation, string) {
	h.t.Helper()
	inv, err := h.srv.BlockAction(string(user), slacktest.InMessage(sample.DeskChannel, ts), slacktest.Action{ActionID: actionID})
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := inv.NextResponse(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("%s got no answer to %s: %v", user, actionID, err)
	}
	return inv, r.Render()
}

// decideWithReason clicks Reject or Request changes and submits the reason.
func (h *harness) decideWithReason(user domain.UserID, ts, actionID, reason string) {
	h.t.Helper()
	inv, err := h.srv.BlockAction(string(user), slacktest.InMessage(sample.DeskChannel, ts), slacktest.Action{ActionID: actionID})
	if err != nil {
		h.t.Fatal(err)
	}
	view, err := inv.WaitView(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("no reason form: %v %v", err, inv.Responses())
	}
	sub, err := h.srv.SubmitView(string(user), view.ID, slacktest.Values{"comment": reason})
	if err != nil {
		h.t.Fatal(err)
	}
	if ack, err := sub.WaitAck(ctxT(h.t)); err != nil || len(ack.Errors) > 0 {
		h.t.Fatalf("reason refused: %v %v", err, ack.Errors)
	}
}

// requests returns every request of deal d.
func (h *harness) requests(d *domain.Deal) []desk.Posted {
	h.t.Helper()
	rs, err := h.store().DeskRequests(context.Background(), d.ID, false)
	if err != nil {
		h.t.Fatal(err)
	}
	return rs
}

func (h *harness) dealNow(id domain.DealID) *domain.Deal {
	h.t.Helper()
	d, err := h.store().Deal(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

func TestDeskAutoApprovedBand(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	ack, inv := h.askDiscount(sample.Rep1, d.ID.Ref()+" 8", nil)
	if len(ack.Errors) > 0 {
		t.Fatalf("refused: %v", ack.Errors)
	}
	rs, err := inv.WaitResponses(ctxT(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := rs[1].Render(); !strings.Contains(got, "needs no approval") || !strings.Contains(got, "€44,160") {
		t.Errorf("confirmation = %q", got)
	}
	root := h.waitRoot(h.request0(), "Approved at once")
	if strings.Contains(root.Render(), "Approve") && strings.Contains(string(root.Blocks), bot.ActionDeskApprove) {
		t.Error("an approved request still has buttons")
	}
	if got := h.dealNow(d.ID); got.Discount != 800 || got.NetAmount() != 4_416_000 {
		t.Errorf("deal discount %d net %d, want 800 and 4416000", got.Discount, got.NetAmount())
	}
	r := h.requests(d)[0].Request
	if !r.AutoApproved() || len(r.Decisions) != 0 {
		t.Errorf("request = %+v, want approved at once with no decision", r)
	}
}

// request0 is the ts of the first request message.
func (h *harness) request0() string {
	h.t.Helper()
	var ts string
	if err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool {
		if roots := rootsOf(st.Messages[sample.DeskChannel]); len(roots) > 0 {
			ts = roots[0].TS
			return true
		}
		return false
	}); err != nil {
		h.t.Fatal(err)
	}
	return ts
}

func TestDeskFormPreviewsBeforeSending(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	inv := h.slash(sample.Rep1, "/deal", "discount "+d.ID.Ref())
	view, err := inv.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"Discount (%)", "Justification", "Competitor", "Non-standard terms", "Payment terms over 60 days", "Custom SLA", "Extended trial", "Other", "€48,000"} {
		if !strings.Contains(view.Render(), label) {
			t.Errorf("the form lacks %q:\n%s", label, view.Render())
		}
	}
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{
		"discount": "25", "justification": "Rival", "terms": []string{"payment_terms"}})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil || ack.ResponseAction != "update" {
		t.Fatalf("a new discount was sent without its preview: %v %+v", err, ack)
	}
	updated, _ := h.srv.View(view.ID)
	for _, want := range []string{"€36,000", "manager (<@U0MGR>) → vp (<@U0VP>) → finance (<@U0FIN>)"} {
		if !strings.Contains(updated.Render(), want) {
			t.Errorf("the preview lacks %q:\n%s", want, updated.Render())
		}
	}
	if len(h.requests(d)) != 0 {
		t.Fatal("a request was saved before its preview")
	}
	sub, err = h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := sub.WaitAck(ctxT(t)); err != nil || ack.ResponseAction != "" {
		t.Fatalf("second submit: %v %+v", err, ack)
	}
	h.waitRoot(h.request0(), "Waiting on step 1 of 3", "Payment terms over 60 days", "Security review")
}

func TestDeskChains(t *testing.T) {
	tests := []struct {
		name  string
		pct   string
		chain []domain.UserID // approvers in order
	}{
		{"OneLevel", "15", []domain.UserID{sample.Manager}},
		{"ThreeLevels", "40", []domain.UserID{sample.Manager, sample.VP, sample.Finance}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			d := h.seedDeskDeal(sample.Rep1)
			h.withPlan(d)
			root := h.request(sample.Rep1, d.ID.Ref()+" "+tt.pct, nil)
			n := len(tt.chain)
			h.waitRoot(root.TS, fmt.Sprintf("Waiting on step 1 of %d", n))
			for i, u := range tt.chain {
				_, said := h.click(u, root.TS, bot.ActionDeskApprove)
				if !strings.Contains(said, "You approved") {
					t.Fatalf("step %d: %s was told %q", i+1, u, said)
				}
				if i < n-1 {
					h.waitRoot(root.TS, fmt.Sprintf("Waiting on step %d of %d", i+2, n))
					h.waitThread(root.TS, "Now waiting on <@"+string(tt.chain[i+1])+">")
				}
			}
			h.waitRoot(root.TS, "Approved* by <@"+string(tt.chain[n-1])+">")
			h.waitThread(root.TS, "discount is approved")
			h.waitDM(sample.Rep1, "was approved by")
			r := h.requests(d)[0].Request
			if r.Status != desk.StatusApproved || len(r.Decisions) != n {
				t.Fatalf("request %s with %d decisions, want approved with %d", r.Status, len(r.Decisions), n)
			}
		})
	}
}

func TestDeskDealAndHistoryAfterApproval(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	h.waitRoot(root.TS, "Approved* by")
	got := h.dealNow(d.ID)
	if got.Discount != 1500 || got.NetAmount() != 4_080_000 || got.Version != d.Version+1 {
		t.Fatalf("deal discount %d net %d version %d", got.Discount, got.NetAmount(), got.Version)
	}
	hist, err := h.store().History(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	if last.Field != domain.FieldDiscount || last.Old != "" || last.New != "1500" || last.By != sample.Manager {
		t.Errorf("last history entry = %+v", last)
	}
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "history "+d.ID.Ref())); !strings.Contains(ans, "Discount set to 15%") {
		t.Errorf("history shows:\n%s", ans)
	}
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref())); !strings.Contains(ans, "net €40,800 after a 15% discount") {
		t.Errorf("card shows:\n%s", ans)
	}
	// The discount at close stays for coaching's hollow-win check.
	if _, _, err := h.store().UpdateDeal(context.Background(), d.ID, 0, sample.Rep1, func(x *domain.Deal) error { x.Status = domain.Won; return nil }); err != nil {
		t.Fatal(err)
	}
	info, err := h.store().DiscountInfo(context.Background(), []domain.DealID{d.ID})
	if err != nil || info[d.ID].ApprovedBP != 1500 {
		t.Errorf("discount info = %+v, %v", info, err)
	}
}

func TestDeskRejection(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.decideWithReason(sample.Manager, root.TS, bot.ActionDeskReject, "Margin too thin")
	h.waitRoot(root.TS, "Rejected* by <@U0MGR>", "Margin too thin")
	h.waitThread(root.TS, "rejected the request at step 1 of 1 (manager): Margin too thin")
	h.waitDM(sample.Rep1, "was rejected by <@U0MGR>: Margin too thin")
	if got := h.dealNow(d.ID); got.Discount != 0 {
		t.Errorf("a rejected discount is on the deal: %d", got.Discount)
	}
}

func TestDeskChangesThenRevised(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	h.waitRoot(root.TS, "Waiting on step 2 of 2")
	h.decideWithReason(sample.VP, root.TS, bot.ActionDeskChanges, "Ask for a 2-year term")
	h.waitRoot(root.TS, "Changes requested* by <@U0VP>")
	h.waitDM(sample.Rep1, "Ask for a 2-year term")

	// The rep revises: the form is prefilled; a smaller discount typed is
	// previewed at once (the VP's ask still shown) and sent on the first
	// click, and the chain starts again from the manager.
	inv := h.slash(sample.Rep1, "/deal", "discount "+d.ID.Ref())
	view, err := inv.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if r := view.Render(); !strings.Contains(r, "Revise") || !strings.Contains(r, "Rival quoted 20% less") {
		t.Fatalf("the revision form is not prefilled:\n%s", r)
	}
	h.typeDiscount(sample.Rep1, view.ID, "22")
	h.waitView(view.ID, "<@U0VP> asked for changes: Ask for a 2-year term", "At 22%: net amount *€37,440*", "manager (<@U0MGR>) → vp (<@U0VP>)")
	if ack := h.submit(sample.Rep1, view.ID, slacktest.Values{"justification": "2-year term agreed"}); ack.ResponseAction != "" || len(ack.Errors) > 0 {
		t.Fatalf("the previewed revision was not sent on the first click: %+v", ack)
	}
	h.waitRoot(root.TS, "revision 2", "Waiting on step 1 of 2", "22%")
	h.waitThread(root.TS, "revised the request (revision 2")
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	h.waitRoot(root.TS, "Waiting on step 2 of 2")
	if _, err := h.srv.Message(string(sample.VP), sample.DeskChannel, "approve fine with 2 years", root.TS); err != nil {
		t.Fatal(err)
	}
	h.waitRoot(root.TS, "Approved* by <@U0VP>")
	r := h.requests(d)[0].Request
	if r.Revision != 2 || len(r.Decisions) != 4 || h.dealNow(d.ID).Discount != 2200 {
		t.Errorf("revision %d, %d decisions, discount %d", r.Revision, len(r.Decisions), h.dealNow(d.ID).Discount)
	}
}

func TestDeskRefusals(t *testing.T) {
	h := newHarness(t, withConfig(strings.Replace(sample.Config, "roles: { vp: [U0VP], finance: [U0FIN] }", "roles: { vp: [U0VP, U0REP1], finance: [U0FIN] }", 1)))
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)

	tests := []struct {
		name string
		user domain.UserID
		how  string // "click" or "reply"
		want string
	}{
		{"WrongApproverClick", sample.Rep2, "click", "Only <@U0MGR> can decide this request now"},
		{"NotYetClick", sample.VP, "click", "It is not your turn yet"},
		{"SelfDecisionClick", sample.Rep1, "click", "You cannot decide on your own request"},
		{"WrongApproverReply", sample.Finance, "reply", "Only <@U0MGR> can decide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.how == "click" {
				_, said := h.click(tt.user, root.TS, bot.ActionDeskApprove)
				if !strings.Contains(said, tt.want) {
					t.Errorf("told %q, want %q", said, tt.want)
				}
				return
			}
			if _, err := h.srv.Message(string(tt.user), sample.DeskChannel, "approve", root.TS); err != nil {
				t.Fatal(err)
			}
			if _, err := h.srv.WaitEphemeral(ctxT(t), string(tt.user), sample.DeskChannel, func(m slacktest.Message) bool {
				return strings.Contains(m.Render(), tt.want)
			}); err != nil {
				t.Errorf("no ephemeral refusal %q: %v", tt.want, err)
			}
		})
	}
	// The rep holds the vp role too, and still cannot approve that step.
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	h.waitRoot(root.TS, "Waiting on step 2 of 2")
	if _, said := h.click(sample.Rep1, root.TS, bot.ActionDeskApprove); !strings.Contains(said, "You cannot approve your own request, even as vp; <@U0VP> can") {
		t.Errorf("self-approval told %q", said)
	}
	if r := h.requests(d)[0].Request; len(r.Decisions) != 1 || r.Status != desk.StatusPending {
		t.Errorf("refusals recorded something: %+v", r.Decisions)
	}
}

func TestDeskConcurrentApprovalsRecordOne(t *testing.T) {
	h := newHarness(t, withConfig(strings.Replace(sample.Config, "roles: { vp: [U0VP], finance: [U0FIN] }", "roles: { vp: [U0VP, U0ADMIN], finance: [U0FIN] }", 1)))
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	h.waitRoot(root.TS, "Waiting on step 2 of 2")

	var wg sync.WaitGroup
	said := make([]string, 2)
	for i, u := range []domain.UserID{sample.VP, sample.Admin} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inv, err := h.srv.BlockAction(string(u), slacktest.InMessage(sample.DeskChannel, root.TS), slacktest.Action{ActionID: bot.ActionDeskApprove})
			if err != nil {
				t.Error(err)
				return
			}
			r, err := inv.NextResponse(ctxT(t))
			if err != nil {
				t.Error(err)
				return
			}
			said[i] = r.Render()
		}()
	}
	wg.Wait()
	won := 0
	for _, s := range said {
		switch {
		case strings.Contains(s, "You approved"):
			won++
		case strings.Contains(s, "already approved by"):
		default:
			t.Errorf("unexpected answer %q", s)
		}
	}
	if won != 1 {
		t.Errorf("%d approvals went through, want exactly 1: %q", won, said)
	}
	h.waitRoot(root.TS, "Approved* by")
	r := h.requests(d)[0].Request
	if len(r.Decisions) != 2 || r.Status != desk.StatusApproved {
		t.Errorf("decisions = %+v", r.Decisions)
	}
	hist, _ := h.store().History(context.Background(), d.ID)
	n := 0
	for _, e := range hist {
		if e.Field == domain.FieldDiscount {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d discount history entries, want 1", n)
	}
}

func TestDeskApprovalByThreadReply(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	// Conversation in the thread is not a decision.
	if _, err := h.srv.Message(string(sample.Manager), sample.DeskChannel, "what about a 2-year term?", root.TS); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.Message(string(sample.Manager), sample.DeskChannel, "Approve: fine for me", root.TS); err != nil {
		t.Fatal(err)
	}
	h.waitRoot(root.TS, "Waiting on step 2 of 2", "fine for me")
	if _, err := h.srv.Message(string(sample.VP), sample.DeskChannel, "approve ok for me", root.TS); err != nil {
		t.Fatal(err)
	}
	h.waitRoot(root.TS, "Approved* by <@U0VP>", "ok for me")
	if r := h.requests(d)[0].Request; len(r.Decisions) != 2 || r.Decisions[0].Comment != "fine for me" {
		t.Errorf("decisions = %+v", r.Decisions)
	}
}

func TestDeskExpiry(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.clock.Advance(13 * 24 * time.Hour)
	h.tick()
	if r := h.requests(d)[0].Request; r.Status != desk.StatusPending {
		t.Fatalf("expired a day early: %s", r.Status)
	}
	h.clock.Advance(24 * time.Hour)
	h.tick()
	h.tick() // a second tick does nothing twice
	h.waitRoot(root.TS, "Expired")
	h.waitThread(root.TS, "No decision within 14 days")
	h.waitDM(sample.Rep1, "expired: no decision within 14 days")
	h.waitDM(sample.Manager, "expired before you decided it")
	if n := len(h.srv.Messages(h.srv.DMChannel(string(sample.Manager)))); n != 1 {
		t.Errorf("manager got %d DMs, want 1", n)
	}
	if strings.Contains(string(h.waitRoot(root.TS).Blocks), bot.ActionDeskApprove) {
		t.Error("an expired request still has buttons")
	}
	// A late thread reply is answered with the request's state.
	if _, err := h.srv.Message(string(sample.Manager), sample.DeskChannel, "approve", root.TS); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitEphemeral(ctxT(t), string(sample.Manager), sample.DeskChannel, func(m slacktest.Message) bool {
		return strings.Contains(m.Render(), "expired on Dec 9, 2026")
	}); err != nil {
		t.Errorf("no state answer: %v", err)
	}
}

func TestDeskStaleClick(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	// The manager's client still shows step 1 after they approved it by a
	// thread reply: a copy of that message, as it was, gets the click.
	api := goslack.New(h.srv.BotToken(), goslack.OptionAPIURL(h.srv.APIURL()))
	var blocks goslack.Blocks
	if err := blocks.UnmarshalJSON(root.Blocks); err != nil {
		t.Fatal(err)
	}
	_, oldTS, err := api.PostMessage(sample.DeskChannel, goslack.MsgOptionText(root.Text, false), goslack.MsgOptionBlocks(blocks.BlockSet...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.Message(string(sample.Manager), sample.DeskChannel, "approve", root.TS); err != nil {
		t.Fatal(err)
	}
	h.waitRoot(root.TS, "Waiting on step 2 of 2")
	_, said := h.click(sample.Manager, oldTS, bot.ActionDeskApprove)
	if !strings.Contains(said, "Step 1 (manager) was already approved by <@U0MGR>") || !strings.Contains(said, "now waits on <@U0VP> (vp)") {
		t.Errorf("stale click told %q", said)
	}
	if r := h.requests(d)[0].Request; len(r.Decisions) != 1 {
		t.Errorf("stale click recorded a decision: %+v", r.Decisions)
	}
}

func TestDeskApprovalsAndPlan(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	// A plan is required above 20 %: the form says so, and the request is refused.
	ack, _ := h.askDiscount(sample.Rep1, d.ID.Ref()+" 25", nil)
	if !strings.Contains(fmt.Sprint(ack.Errors), "needs a mutual action plan") {
		t.Fatalf("a request without plan was accepted: %+v", ack)
	}
	inv := h.slash(sample.Rep1, "/deal", "plan "+d.ID.Ref())
	view, err := inv.WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"plan": "2026-12-01 | customer | Security review | done\n2026-12-32 | them | Sign"})
	if err != nil {
		t.Fatal(err)
	}
	if ack, _ := sub.WaitAck(ctxT(t)); !strings.Contains(ack.Errors["plan"], "Milestone 2") {
		t.Fatalf("a bad plan was accepted: %+v", ack)
	}
	sub, err = h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"plan": "2026-12-01 | customer | Security review | done\n2026-12-15 | ours | Order form sent"})
	if err != nil {
		t.Fatal(err)
	}
	if ack, _ := sub.WaitAck(ctxT(t)); len(ack.Errors) > 0 {
		t.Fatalf("plan refused: %v", ack.Errors)
	}
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref())); !strings.Contains(ans, "1 of 2 done") || !strings.Contains(ans, "Order form sent") {
		t.Errorf("card without the plan:\n%s", ans)
	}
	d2 := h.seedDeskDeal(sample.Rep2)
	first := h.request(sample.Rep2, d2.ID.Ref()+" 15", nil)
	h.clock.Advance(time.Hour)
	second := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)

	ans := h.answer(h.slash(sample.Manager, "/deal", "approvals"))
	i, j := strings.Index(ans, d2.ID.Ref()), strings.Index(ans, d.ID.Ref())
	if i < 0 || j < 0 || i > j {
		t.Errorf("approvals not oldest first:\n%s", ans)
	}
	for _, ts := range []string{first.TS, second.TS} {
		if !strings.Contains(ans, "/archives/"+sample.DeskChannel+"/p"+strings.ReplaceAll(ts, ".", "")) {
			t.Errorf("no link to %s:\n%s", ts, ans)
		}
	}
	if ans := h.answer(h.slash(sample.VP, "/deal", "approvals")); !strings.Contains(ans, "No discount request waits on you") {
		t.Errorf("vp sees:\n%s", ans)
	}
	// Another request on a deal with one pending is refused.
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "discount "+d.ID.Ref()+" 5")); !strings.Contains(ans, "already has discount request") {
		t.Errorf("second request told %q", ans)
	}
}
