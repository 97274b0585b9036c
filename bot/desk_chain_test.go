package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// chainDesk is a 25 % request (the manager, then the VP: the sample's
// bands) on a fresh deal of Rep1, asked through bot's own types, its posts
// run with rec: what a transport does after the rep's answer.
type chainDesk struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	clock *domain.ManualClock
	rec   *threadMessenger
	deal  *domain.Deal
	root  string // the request's message in the desk channel ("": sent by DM)
}

// newChainDesk opens a file with a bot on cfg and asks for the request.
func newChainDesk(t *testing.T, cfg *config.Config) (*chainDesk, *bot.Bot) {
	t.Helper()
	cd, b := newChainDeskWith(t, cfg, "25")
	if r := cd.request(); r.Status != desk.StatusPending || len(r.Steps) != 2 || r.Steps[0].Role != desk.RoleManager || r.Steps[1].Role != "vp" {
		t.Fatalf("the 25 %% request is %s with steps %+v, want pending on the manager then the VP", r.Status, r.Steps)
	}
	return cd, b
}

// newChainDeskWith is newChainDesk asking for pct percent.
func newChainDeskWith(t *testing.T, cfg *config.Config, pct string) (*chainDesk, *bot.Bot) {
	t.Helper()
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	cd := &chainDesk{t: t, ctx: context.Background(), db: db, clock: clock, rec: &threadMessenger{}}
	d := deskDeal(t, db, sample.Rep1, 1)
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	// Above 20 % a request needs a mutual action plan.
	_, version, err := db.PlanVersion(cd.ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Forms()[bot.FormPlan](cd.ctx, rep, bot.FormMeta{Deal: d.ID, Version: version},
		bot.Values{desk.FieldPlan: "2026-12-01 | customer | Security review\n2026-12-10 | us | Contract sent"}, "view:plan"); err != nil {
		t.Fatal(err)
	}
	if d, err = db.Deal(cd.ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	cd.deal = d
	reply, err := b.Forms()[bot.FormDiscount](cd.ctx, rep, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: fmt.Sprintf(`{"p":%s00,"a":%d}`, pct, d.Amount)},
		bot.Values{desk.FieldDiscount: pct, desk.FieldJustification: "Rival at 20% off"}, "view:chain")
	if err != nil {
		t.Fatal(err)
	}
	cd.run(reply)
	for _, s := range cd.rec.since(0) {
		if s.kind == "post" && s.channel == sample.DeskChannel && s.thread == "" {
			cd.root = s.ref
		}
	}
	if r := cd.request(); r.Status != desk.StatusPending {
		t.Fatalf("the %s %% request is %s, want pending", pct, r.Status)
	}
	return cd, b
}

// run does a reply's posts, as a transport does after showing it.
func (cd *chainDesk) run(reply bot.Reply) {
	cd.t.Helper()
	if w, ok := reply.(bot.WithPosts); ok {
		for _, p := range w.Posts {
			if err := p.Run(cd.ctx, cd.rec); err != nil {
				cd.t.Fatal(err)
			}
		}
	}
}

func (cd *chainDesk) request() *desk.Request {
	cd.t.Helper()
	rs, err := cd.db.DeskRequests(cd.ctx, cd.deal.ID, false)
	if err != nil || len(rs) != 1 {
		cd.t.Fatalf("requests: %v, %v", rs, err)
	}
	return rs[0].Request
}

// click clicks a request button as u on the request as it stands, and
// runs what the answer leaves for after it; it returns the answer and what
// was said after it.
func (cd *chainDesk) click(b *bot.Bot, u domain.UserID, action string) (bot.Reply, []threadSaid, error) {
	cd.t.Helper()
	from := cd.rec.count()
	reply, err := b.Action(cd.ctx, bot.Caller{User: u, Channel: sample.DeskChannel}, action, bot.TurnValue(cd.request()))
	if err == nil {
		cd.run(reply)
	}
	return reply, cd.rec.since(from), err
}

// thread is what was said in the request's thread among said, by key.
func (cd *chainDesk) thread(said []threadSaid) map[string]bot.Msg {
	out := map[string]bot.Msg{}
	for _, s := range said {
		if s.kind == "post" && s.channel == sample.DeskChannel && s.thread == cd.root {
			for _, m := range threadMsgs(s.reply) {
				out[m.Key] = m
			}
		}
	}
	return out
}

// updated reports whether said updates the request's message in place.
func (cd *chainDesk) updated(said []threadSaid) bool {
	for _, s := range said {
		if s.kind == "update" && s.channel == sample.DeskChannel && s.thread == cd.root {
			if v, ok := s.reply.(bot.DeskRequestView); ok && v.Request.ID == cd.request().ID {
				return true
			}
		}
	}
	return false
}

// dms are the direct messages among said, by whom they went to.
func dms(said []threadSaid) map[domain.UserID][]bot.Reply {
	out := map[domain.UserID][]bot.Reply{}
	for _, s := range said {
		if s.kind == "dm" {
			out[s.user] = append(out[s.user], s.reply)
		}
	}
	return out
}

// configWith is securityConfig's YAML with old replaced by new.
func configWith(t *testing.T, old, new string) *config.Config {
	t.Helper()
	team := "    channel: C0FORECAST\n"
	yaml := strings.Replace(sample.Config, team, team+"  - name: Germany\n    manager: U0MGR2\n    members: [U0REP4]\n    channel: C0FORECAST\n", 1)
	if !strings.Contains(yaml, old) {
		t.Fatalf("the sample config has no %q", old)
	}
	cfg, err := config.Parse("chain.yaml", []byte(strings.Replace(yaml, old, new, 1)), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestDeskChainWithoutATransport walks a two-step request through bot's
// own types: the manager's Approve moves it to the VP (the thread says so
// and names who it waits on, the message is updated, nobody is DMed: the
// channel shows it); a click on the card as it was before is refused. The
// configuration then gives the VP role to Finance: the approvers job
// records it (the thread names the new and the old approver, the message is
// updated, Finance alone is DMed the request; a second run says nothing),
// the VP it no longer names is refused, and Finance's Request changes,
// with the reason the comment form requires, sends the request back to the
// rep: stored, said in the thread with the reason, and the rep told by DM.
func TestDeskChainWithoutATransport(t *testing.T) {
	cd, b := newChainDesk(t, securityConfig(t))
	if cd.root == "" {
		t.Fatalf("the request was not posted in the desk channel: %+v", cd.rec.since(0))
	}
	stale := bot.TurnValue(cd.request())

	reply, said, err := cd.click(b, sample.Manager, bot.ActionDeskApprove)
	if err != nil {
		t.Fatal(err)
	}
	if ms := threadMsgs(unwrapPosts(reply)); len(ms) != 1 || ms[0].Key != "deskbot.decided.approve" {
		t.Errorf("the manager was answered %+v, want deskbot.decided.approve", reply)
	}
	if r := cd.request(); r.Status != desk.StatusPending || r.Current != 1 || len(r.Decisions) != 1 || r.Decisions[0].By != sample.Manager {
		t.Fatalf("after the manager's approval: %s at step %d, decisions %+v", r.Status, r.Current, r.Decisions)
	}
	m, ok := cd.thread(said)["deskbot.thread.step_approved"]
	if !ok || !msgNames(m, sample.Manager) || !msgNames(m, sample.VP) {
		t.Errorf("the thread was told %+v, want the step approved by the manager, waiting on the VP", cd.thread(said))
	}
	if !cd.updated(said) {
		t.Errorf("the request's message was not updated: %+v", said)
	}
	if d := dms(said); len(d) != 0 {
		t.Errorf("DMs %+v; the request is in the channel and still pending: nobody is DMed", d)
	}

	// The card as it was (the manager's step) clicked by the VP: stale.
	from := cd.rec.count()
	if _, err := b.Action(cd.ctx, bot.Caller{User: sample.VP, Channel: sample.DeskChannel}, bot.ActionDeskApprove, stale); err == nil {
		t.Error("the VP's click on the card of the manager's step was taken")
	}
	if r := cd.request(); len(r.Decisions) != 1 || cd.rec.count() != from {
		t.Errorf("a stale click decided %+v or said %+v", r.Decisions, cd.rec.since(from))
	}

	// The VP role goes to Finance.
	cfg := configWith(t, "vp: [U0VP]", "vp: [U0FIN]")
	b2 := bot.New(bot.Options{Store: cd.db, Config: cfg, Clock: cd.clock})
	sync := job(t, b2, "desk_approvers")
	from = cd.rec.count()
	if err := sync.Run(cd.ctx, cd.rec, cd.clock.Now()); err != nil {
		t.Fatal(err)
	}
	said = cd.rec.since(from)
	if r := cd.request(); !slices.Equal(r.Steps[1].Approvers, []domain.UserID{sample.Finance}) || r.Steps[0].Approvers[0] != sample.Manager {
		t.Errorf("after the change the steps are %+v, want the VP's step on Finance, the manager's as it was", r.Steps)
	}
	m, ok = cd.thread(said)["deskbot.thread.approvers_changed"]
	if !ok || !msgNames(m, sample.Finance) || !msgNames(m, sample.VP) {
		t.Errorf("the thread was told %+v, want the VP's step moved from the VP to Finance", cd.thread(said))
	}
	if !cd.updated(said) {
		t.Errorf("the request's message was not updated after the change: %+v", said)
	}
	if d := dms(said); len(d) != 1 || len(d[sample.Finance]) != 1 || !is[bot.DeskRequestView](d[sample.Finance][0]) {
		t.Errorf("DMs %+v; want Finance alone sent the request", d)
	}
	from = cd.rec.count()
	if err := sync.Run(cd.ctx, cd.rec, cd.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if again := cd.rec.since(from); len(again) != 0 {
		t.Errorf("the approvers job, run again, said %+v", again)
	}

	if _, _, err := cd.click(b2, sample.VP, bot.ActionDeskApprove); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the VP, no longer named, approving: %v, want EFORBIDDEN", err)
	}

	open, _, err := cd.click(b2, sample.Finance, bot.ActionDeskChanges)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := open.(bot.OpenForm)
	if !ok || f.Form.Kind != bot.FormDeskComment || len(f.Form.Inputs) != 1 || f.Form.Inputs[0].Label.Key != "deskbot.comment.changes" {
		t.Fatalf("Request changes opened %+v, want the form asking what to change", open)
	}
	comment := b2.Forms()[bot.FormDeskComment]
	finance := bot.Caller{User: sample.Finance, Channel: sample.DeskChannel}
	from = cd.rec.count()
	if _, err := comment(cd.ctx, finance, f.Form.Meta, bot.Values{desk.FieldComment: "  "}, "view:changes0"); !hasKey(err, "desk.changes_required") || !hasField(err, desk.FieldComment) {
		t.Errorf("an empty reason: %v, want desk.changes_required on the comment", err)
	}
	if r := cd.request(); r.Status != desk.StatusPending || len(r.Decisions) != 1 || cd.rec.count() != from {
		t.Fatalf("an empty reason decided: %s, %+v", r.Status, r.Decisions)
	}
	reply, err = comment(cd.ctx, finance, f.Form.Meta, bot.Values{desk.FieldComment: "Bring it to 20 %"}, "view:changes1")
	if err != nil {
		t.Fatal(err)
	}
	if ms := threadMsgs(unwrapPosts(reply)); len(ms) != 1 || ms[0].Key != "deskbot.decided.changes" {
		t.Errorf("Finance was answered %+v, want deskbot.decided.changes", reply)
	}
	cd.run(reply)
	said = cd.rec.since(from)
	r := cd.request()
	dec, _ := r.LastDecision()
	if r.Status != desk.StatusChangesRequested || dec.By != sample.Finance || dec.Verdict != desk.Changes || dec.Comment != "Bring it to 20 %" || dec.Step != 1 {
		t.Errorf("stored %s, decision %+v; want changes requested by Finance on step 2 with the reason", r.Status, dec)
	}
	m, ok = cd.thread(said)["deskbot.thread.changes"]
	if !ok || !msgNames(m, sample.Finance) || !containsArg(m, "Bring it to 20 %") {
		t.Errorf("the thread was told %+v, want the changes asked by Finance and what", cd.thread(said))
	}
	d := dms(said)
	if len(d) != 1 || len(d[sample.Rep1]) != 1 {
		t.Fatalf("DMs %+v; want the rep alone told", d)
	}
	if ms := threadMsgs(d[sample.Rep1][0]); len(ms) != 1 || ms[0].Key != "deskbot.dm.changes" || !containsArg(ms[0], "Bring it to 20 %") {
		t.Errorf("the rep was told %+v, want deskbot.dm.changes with the reason", d[sample.Rep1][0])
	}
}

// TestDeskDecisionSaysApproversChanged: when the configuration changed
// the approvers and the approvers job has not run yet, the decision itself
// records who holds each step now, so the new approver decides at once and
// the thread says what changed before it says the decision. Approving the
// last step approves the request: stored, said, the rep told the net.
func TestDeskDecisionSaysApproversChanged(t *testing.T) {
	cd, b := newChainDesk(t, securityConfig(t))
	if _, _, err := cd.click(b, sample.Manager, bot.ActionDeskApprove); err != nil {
		t.Fatal(err)
	}
	b2 := bot.New(bot.Options{Store: cd.db, Config: configWith(t, "vp: [U0VP]", "vp: [U0FIN]"), Clock: cd.clock})
	_, said, err := cd.click(b2, sample.Finance, bot.ActionDeskApprove)
	if err != nil {
		t.Fatal(err)
	}
	r := cd.request()
	if r.Status != desk.StatusApproved || len(r.Decisions) != 2 || r.Decisions[1].By != sample.Finance {
		t.Fatalf("stored %s, decisions %+v; want approved, the second step by Finance", r.Status, r.Decisions)
	}
	var keys []string
	for _, s := range said {
		if s.kind == "post" && s.thread == cd.root {
			for _, m := range threadMsgs(s.reply) {
				keys = append(keys, m.Key)
			}
		}
	}
	if want := []string{"deskbot.thread.approvers_changed", "deskbot.thread.approved"}; !slices.Equal(keys, want) {
		t.Errorf("the thread was told %v, want %v", keys, want)
	}
	d := dms(said)
	if len(d) != 1 || len(d[sample.Rep1]) != 1 {
		t.Fatalf("DMs %+v; want the rep alone told", d)
	}
	ms := threadMsgs(d[sample.Rep1][0])
	net := domain.Money{Minor: r.NetAmount, Currency: r.Currency}
	if len(ms) != 1 || ms[0].Key != "deskbot.dm.approved" || !slices.Contains(ms[0].Args, any(net)) || net.Minor != cd.deal.Amount*75/100 {
		t.Errorf("the rep was told %+v, want deskbot.dm.approved with the net %v", d[sample.Rep1][0], net)
	}
}

// TestDeskChainByDMWithoutAChannel: with no deal-desk channel configured,
// a request goes by DM to the approvers of its current step; when the
// manager approves the first step, the VP, whose step it now is, is sent
// the request by DM (no thread to read it in), and nothing is posted.
func TestDeskChainByDMWithoutAChannel(t *testing.T) {
	cd, b := newChainDesk(t, configWith(t, "  channel: C0DESK\n", ""))
	if cd.root != "" {
		t.Fatalf("posted in a channel with none configured: %+v", cd.rec.since(0))
	}
	if d := dms(cd.rec.since(0)); len(d[sample.Manager]) != 1 || !is[bot.DeskRequestView](d[sample.Manager][0]) || len(d[sample.VP]) != 0 {
		t.Errorf("at the request, DMs %+v; want the manager alone sent it", d)
	}
	_, said, err := cd.click(b, sample.Manager, bot.ActionDeskApprove)
	if err != nil {
		t.Fatal(err)
	}
	if r := cd.request(); r.Status != desk.StatusPending || r.Current != 1 {
		t.Fatalf("after the manager: %s at step %d", r.Status, r.Current)
	}
	for _, s := range said {
		if s.kind != "dm" {
			t.Errorf("without a channel the bot said %s in %q", s.kind, s.channel)
		}
	}
	d := dms(said)
	if len(d) != 1 || len(d[sample.VP]) != 1 {
		t.Fatalf("DMs %+v; want the VP alone sent the request", d)
	}
	if v, ok := d[sample.VP][0].(bot.DeskRequestView); !ok || v.Request.Current != 1 || !slices.Equal(v.Request.Waiting(), desk.Users{sample.VP}) {
		t.Errorf("the VP was sent %+v, want the request waiting on them", d[sample.VP][0])
	}
}

// job is the bot's scheduled job of this name.
func job(t *testing.T, b *bot.Bot, name string) bot.Job {
	t.Helper()
	for _, j := range b.Jobs() {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q", name)
	return bot.Job{}
}

// unwrapPosts is a reply without the work it leaves for after it.
func unwrapPosts(r bot.Reply) bot.Reply {
	if w, ok := r.(bot.WithPosts); ok {
		return w.Reply
	}
	return r
}

// hasField reports whether err lists an error on field f.
func hasField(err error, f domain.Field) bool {
	es, ok := domain.ErrorsOf(err)
	if !ok {
		return false
	}
	for _, e := range es {
		if e.Field == f {
			return true
		}
	}
	return false
}
