package slack_test

// Decisions only on purpose (issue 13): thread replies decide only as
// commands, every decision is confirmed in the thread with the chain's
// state, approvers follow the current configuration, and one person never
// fills two steps of a chain.

import (
	"strings"
	"testing"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// say posts text as user in the request's thread.
func (h *harness) say(user domain.UserID, ts, text string) {
	h.t.Helper()
	if _, err := h.srv.Message(string(user), sample.DeskChannel, text, ts); err != nil {
		h.t.Fatal(err)
	}
}

// waitEphemeral waits for an ephemeral message to user in the deal-desk
// channel containing want.
func (h *harness) waitEphemeral(user domain.UserID, want string) {
	h.t.Helper()
	if _, err := h.srv.WaitEphemeral(ctxT(h.t), string(user), sample.DeskChannel, func(m slacktest.Message) bool {
		return strings.Contains(m.Render(), want)
	}); err != nil {
		h.t.Fatalf("no ephemeral %q to %s: %v", want, user, err)
	}
}

// staleCopy posts a copy of a request message as it is now, as a client
// that has not redrawn it yet still shows it, and returns its ts.
func (h *harness) staleCopy(m slacktest.Message) string {
	h.t.Helper()
	api := goslack.New(h.srv.BotToken(), goslack.OptionAPIURL(h.srv.APIURL()))
	var blocks goslack.Blocks
	if err := blocks.UnmarshalJSON(m.Blocks); err != nil {
		h.t.Fatal(err)
	}
	_, ts, err := api.PostMessage(sample.DeskChannel, goslack.MsgOptionText(m.Text, false), goslack.MsgOptionBlocks(blocks.BlockSet...))
	if err != nil {
		h.t.Fatal(err)
	}
	return ts
}

func TestDeskThreadRepliesDecideOnlyAsCommands(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)

	// Conversation that starts with a decision word: the approver is told
	// how to decide, and nothing is decided.
	for _, text := range []string{
		"Approved already? I thought finance had to look first",
		"Changes to the SLA are fine by me",
		"approve if finance agrees",
		"Approuvé par la finance ?",
		// Addressed to someone else: a word to them, not a decision.
		"<@U0VP> approve",
		"<@U0VP>: approve, fine by me",
	} {
		h.say(sample.Manager, root.TS, text)
		h.waitEphemeral(sample.Manager, "Not taken as a decision")
		if r := h.requests(d)[0].Request; len(r.Decisions) != 0 || r.Status != desk.StatusPending {
			t.Fatalf("%q decided: %s %+v", text, r.Status, r.Decisions)
		}
	}
	// A command decides, and the thread says where the chain is now.
	// Addressed to the bot itself, a command decides.
	h.say(sample.Manager, root.TS, "<@"+slacktest.BotUserID+"> approve margin still above floor")
	h.waitThread(root.TS, "<@U0MGR> approved step 1 of 2 as manager: margin still above floor. Now waiting on <@U0VP> (vp), step 2 of 2.")
	h.waitRoot(root.TS, "Waiting on step 2 of 2")
	h.say(sample.VP, root.TS, "Changes: ask for a 2-year term")
	h.waitThread(root.TS, "<@U0VP> asks for changes at step 2 of 2 (vp): ask for a 2-year term")
	if r := h.requests(d)[0].Request; r.Status != desk.StatusChangesRequested || len(r.Decisions) != 2 {
		t.Fatalf("request %s with %d decisions", r.Status, len(r.Decisions))
	}
}

func TestDeskEveryDecisionConfirmedInThread(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.click(sample.Manager, root.TS, bot.ActionDeskApprove)
	h.waitThread(root.TS, "<@U0MGR> approved step 1 of 1 as manager. The 15% discount is approved: every step is done.")

	d2 := h.seedDeskDeal(sample.Rep2)
	root2 := h.request(sample.Rep2, d2.ID.Ref()+" 15", nil)
	h.say(sample.Manager, root2.TS, "reject margin below floor")
	h.waitThread(root2.TS, "<@U0MGR> rejected the request at step 1 of 1 (manager): margin below floor. The request is closed.")
}

// oneManagerTwoRoles is the sample config with the France manager holding
// the vp role beside the VP.
func oneManagerTwoRoles() string {
	return strings.Replace(sample.Config, "roles: { vp: [U0VP], finance: [U0FIN] }", "roles: { vp: [U0MGR, U0VP], finance: [U0FIN] }", 1)
}

func TestDeskOnePersonNeverApprovesTwoSteps(t *testing.T) {
	h := newHarness(t, withConfig(oneManagerTwoRoles()))
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	root := h.request(sample.Rep1, d.ID.Ref()+" 25", nil)
	step1 := h.staleCopy(root) // the message as the manager's client still shows it

	if _, said := h.click(sample.Manager, root.TS, bot.ActionDeskApprove); !strings.Contains(said, "You approved") {
		t.Fatalf("step 1: %q", said)
	}
	h.waitRoot(root.TS, "Waiting on step 2 of 2")
	// The step-1 button clicked again: the turn check answers.
	if _, said := h.click(sample.Manager, step1, bot.ActionDeskApprove); !strings.Contains(said, "Step 1 (manager) was already approved by <@U0MGR>") {
		t.Errorf("second click on step 1 told %q", said)
	}
	// The current step's button, and a thread reply: the rule answers.
	if _, said := h.click(sample.Manager, root.TS, bot.ActionDeskApprove); !strings.Contains(said, "You approved step 1 (manager) of this request already") {
		t.Errorf("click on step 2 told %q", said)
	}
	h.say(sample.Manager, root.TS, "approve")
	h.waitEphemeral(sample.Manager, "one person never approves two steps, so step 2 (vp) needs <@U0VP>")
	if ans := h.answer(h.slash(sample.Manager, "/deal", "approvals")); !strings.Contains(ans, "No discount request waits on you") {
		t.Errorf("the step-1 approver is listed step 2:\n%s", ans)
	}
	if r := h.requests(d)[0].Request; len(r.Decisions) != 1 || r.Status != desk.StatusPending {
		t.Fatalf("one person filled two steps: %s %+v", r.Status, r.Decisions)
	}
	h.click(sample.VP, root.TS, bot.ActionDeskApprove)
	h.waitRoot(root.TS, "Approved* by <@U0VP>")
}

func TestDeskChainOnePersonCannotFillIsRefused(t *testing.T) {
	h := newHarness(t, withConfig(strings.Replace(sample.Config, "roles: { vp: [U0VP], finance: [U0FIN] }", "roles: { vp: [U0MGR], finance: [U0FIN] }", 1)))
	d := h.seedDeskDeal(sample.Rep1)
	h.withPlan(d)
	ack, _ := h.askDiscount(sample.Rep1, d.ID.Ref()+" 25", nil)
	if got := strings.Join(mapValues(ack.Errors), " "); !strings.Contains(got, "Step 2 (vp) can only be approved by <@U0MGR>") {
		t.Fatalf("an unfillable chain was accepted: %+v", ack)
	}
	if n := len(h.requests(d)); n != 0 {
		t.Errorf("%d requests saved", n)
	}
}

// The turn check: a button carries the revision and step it was drawn for.
// A click on a request message of revision 1 must not approve revision 2,
// whose figures the clicker has not seen.
func TestDeskStaleClickNeverDecidesANewRevision(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 12", nil)
	rev1 := h.staleCopy(root)
	h.decideWithReason(sample.Manager, root.TS, bot.ActionDeskChanges, "Ask for a 2-year term")
	h.waitRoot(root.TS, "Changes requested")

	view := h.openDiscount(sample.Rep1, d.ID.Ref())
	h.typeDiscount(sample.Rep1, view.ID, "19")
	h.waitView(view.ID, "At 19%")
	if ack := h.submit(sample.Rep1, view.ID, slacktest.Values{"justification": "1-year only"}); ack.ResponseAction != "" || len(ack.Errors) > 0 {
		t.Fatalf("revision not sent: %+v", ack)
	}
	h.waitRoot(root.TS, "revision 2", "19%")

	_, said := h.click(sample.Manager, rev1, bot.ActionDeskApprove)
	if !strings.Contains(said, "This request has changed since (revision 2)") {
		t.Errorf("a click on revision 1 told %q", said)
	}
	if r := h.requests(d)[0].Request; r.Status != desk.StatusPending || len(r.Decisions) != 1 {
		t.Fatalf("a revision-1 button decided revision 2: %s %+v", r.Status, r.Decisions)
	}
}

// withNewManager is the sample config with U0MGR2 managing France instead of
// U0MGR.
func withNewManager(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("sample.yaml", []byte(strings.Replace(sample.Config, "manager: U0MGR", "manager: U0MGR2", 1)), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestDeskApproversFollowTheConfiguration(t *testing.T) {
	const newMgr = "U0MGR2"
	h := newHarness(t, withPeople(slacktest.User{ID: newMgr, Name: "nadia", RealName: "Nadia Roche", TZ: "Europe/Paris"}))
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.waitRoot(root.TS, "<@U0MGR>")

	// The France manager is replaced in the configuration, and the bot
	// restarted with it.
	h.shutdown()
	h.cfg = withNewManager(t)
	h.start()

	if ans := h.answer(h.slash(sample.Manager, "/deal", "approvals")); !strings.Contains(ans, "No discount request waits on you") {
		t.Errorf("the removed manager still lists the request:\n%s", ans)
	}
	if ans := h.answer(h.slash(newMgr, "/deal", "approvals")); !strings.Contains(ans, d.ID.Ref()) {
		t.Errorf("the new manager does not list the request:\n%s", ans)
	}
	if _, said := h.click(sample.Manager, root.TS, bot.ActionDeskApprove); !strings.Contains(said, "Only <@U0MGR2> can decide this request now") {
		t.Errorf("the removed manager was told %q", said)
	}
	h.say(sample.Manager, root.TS, "approve")
	h.waitEphemeral(sample.Manager, "Only <@U0MGR2> can decide")
	if r := h.requests(d)[0].Request; len(r.Decisions) != 0 {
		t.Fatalf("the removed manager decided: %+v", r.Decisions)
	}

	// The change is shown on the request, and the new manager told.
	h.tick()
	h.waitRoot(root.TS, "(manager): <@U0MGR2>")
	h.waitThread(root.TS, "The configuration changed: step 1 (manager) is now decided by <@U0MGR2> (was <@U0MGR>).")
	h.waitDM(newMgr, d.ID.Ref())
	if r := h.requests(d)[0].Request; r.Steps[0].Approvers[0] != newMgr {
		t.Errorf("the stored chain still names %v", r.Steps[0].Approvers)
	}
	h.tick() // nothing changed since: said once
	if n := countThread(h, root.TS, "The configuration changed"); n != 1 {
		t.Errorf("the change was said %d times", n)
	}

	if _, said := h.click(newMgr, root.TS, bot.ActionDeskApprove); !strings.Contains(said, "You approved") {
		t.Fatalf("the new manager was told %q", said)
	}
	h.waitRoot(root.TS, "Approved* by <@U0MGR2>")
	if got := h.dealNow(d.ID); got.Discount != 1500 {
		t.Errorf("deal discount %d", got.Discount)
	}
}

// The change is also recorded by the decision itself, before any tick.
func TestDeskDecisionRecordsApproversChange(t *testing.T) {
	const newMgr = "U0MGR2"
	h := newHarness(t, withPeople(slacktest.User{ID: newMgr, Name: "nadia", RealName: "Nadia Roche", TZ: "Europe/Paris"}))
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.shutdown()
	h.cfg = withNewManager(t)
	h.start()
	h.say(newMgr, root.TS, "approve")
	h.waitThread(root.TS, "The configuration changed: step 1 (manager) is now decided by <@U0MGR2> (was <@U0MGR>).")
	h.waitRoot(root.TS, "Approved* by <@U0MGR2>")
	if r := h.requests(d)[0].Request; r.Steps[0].Approvers[0] != newMgr || r.Decisions[0].By != newMgr {
		t.Errorf("request = %+v", r)
	}
}

func countThread(h *harness, ts, want string) int {
	n := 0
	for _, m := range h.srv.Messages(sample.DeskChannel) {
		if m.ThreadTS == ts && strings.Contains(m.Render(), want) {
			n++
		}
	}
	return n
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestDeskTwoFormsAtOnceMakeOneRequest(t *testing.T) {
	// The rep and their manager each open the request form on the same
	// deal (payment terms over 60 days: finance approves), and both send.
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	values := slacktest.Values{"justification": "Rival", "terms": []string{"payment_terms"}}
	forms := map[domain.UserID]slacktest.View{}
	for _, u := range []domain.UserID{sample.Rep1, sample.Manager} {
		forms[u] = h.openDiscount(u, d.ID.Ref()+" 8")
		if ack := h.submit(u, forms[u].ID, values); ack.ResponseAction != "update" {
			t.Fatalf("%s's form was sent without its preview: %+v", u, ack)
		}
		h.waitView(forms[u].ID, "finance (<@U0FIN>)")
	}
	if ack := h.submit(sample.Rep1, forms[sample.Rep1].ID, slacktest.Values{}); ack.ResponseAction != "" || len(ack.Errors) > 0 {
		t.Fatalf("the rep's form: %+v", ack)
	}
	ack := h.submit(sample.Manager, forms[sample.Manager].ID, slacktest.Values{})
	if got := strings.Join(mapValues(ack.Errors), " "); !strings.Contains(got, "already has discount request #1 (8%)") {
		t.Errorf("the second form was told %q (%+v)", got, ack)
	}
	if n := len(h.requests(d)); n != 1 {
		t.Fatalf("%d requests on one deal", n)
	}
}

func TestDeskWithdraw(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "withdraw "+d.ID.Ref())); !strings.Contains(ans, d.ID.Ref()+" has no discount request of yours to withdraw") {
		t.Errorf("nothing to withdraw told %q", ans)
	}
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "withdraw")); !strings.Contains(ans, "/deal withdraw D-12") {
		t.Errorf("no deal told %q", ans)
	}
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	stale := h.staleCopy(root) // as an approver's client still shows it
	// Only the rep who asked may withdraw, not even their manager.
	if ans := h.answer(h.slash(sample.Manager, "/deal", "withdraw "+d.ID.Ref())); !strings.Contains(ans, "Only <@U0REP1>, who asked for it, can withdraw this request") {
		t.Errorf("the manager was told %q", ans)
	}
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "withdraw "+d.ID.Ref())); !strings.Contains(ans, "Request #1 on "+d.ID.Ref()+" (15%) is withdrawn") {
		t.Fatalf("the rep was told %q", ans)
	}
	m := h.waitRoot(root.TS, "Withdrawn* by <@U0REP1>")
	if strings.Contains(string(m.Blocks), bot.ActionDeskApprove) {
		t.Error("a withdrawn request still has buttons")
	}
	h.waitThread(root.TS, "<@U0REP1> withdrew the request (15%). Nothing is left to decide.")
	if _, said := h.click(sample.Manager, stale, bot.ActionDeskApprove); !strings.Contains(said, "withdrawn by <@U0REP1>") {
		t.Errorf("a click after the withdrawal told %q", said)
	}
	if r := h.requests(d)[0].Request; r.Status != desk.StatusWithdrawn || len(r.Decisions) != 0 {
		t.Fatalf("request %s %+v", r.Status, r.Decisions)
	}
	// The deal is free for a new request.
	h.request(sample.Rep1, d.ID.Ref()+" 12", nil)
	if n := len(h.requests(d)); n != 2 {
		t.Errorf("%d requests", n)
	}
	if ans := h.answer(h.slash(sample.Rep1, "/deal", "help")); !strings.Contains(ans, "/deal withdraw D-12") {
		t.Errorf("help lacks withdraw:\n%s", ans)
	}
}

// The hint about how to decide goes only to an approver the request waits
// on: anyone else's conversation in the thread stays conversation.
func TestDeskHintOnlyToTheWaitedApprover(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	// ThreadReply is what the message event runs; called here directly, it
	// has sent whatever it sends when it returns.
	for _, u := range []domain.UserID{sample.Rep2, sample.VP, sample.Rep1, sample.Manager} {
		c := bot.Caller{User: u, Channel: sample.DeskChannel}
		if _, err := b.ThreadReply(ctxT(t), app, c, sample.DeskChannel, root.TS, "Approved already? I thought finance had to look first"); err != nil {
			t.Fatal(err)
		}
	}
	inThread := func(u domain.UserID) []slacktest.Message {
		var out []slacktest.Message
		for _, m := range h.srv.Ephemerals(string(u)) {
			if m.Channel == sample.DeskChannel {
				out = append(out, m)
			}
		}
		return out
	}
	for _, u := range []domain.UserID{sample.Rep2, sample.VP, sample.Rep1} {
		if got := inThread(u); len(got) != 0 {
			t.Errorf("%s, whom the request does not wait on, was told %q", u, got[0].Render())
		}
	}
	if got := inThread(sample.Manager); len(got) != 1 || !strings.Contains(got[0].Render(), "Not taken as a decision") {
		t.Errorf("the manager was told %d messages", len(got))
	}
}
