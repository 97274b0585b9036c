package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// segmentsConfig is the sample's configuration with segments and an ICP
// (issue 21).
const segmentsConfig = sample.Config + `segments:
  - name: industry
    values: [retail, software, healthcare]
  - name: size_band
    values: ["1-50", "51-200"]
icp:
  industry: [retail]
`

// TestSegmentsByCommandAndForm: attributes set by /deal set and by the
// update form, shown on the card with the fit, refused with what is
// allowed, and cut by in /pipeline segments with /pipeline's visibility.
func TestSegmentsByCommandAndForm(t *testing.T) {
	h := newHarness(t, withConfig(segmentsConfig))
	d := h.seedDeal(sample.Rep1, "Studio Nova website", "Studio Nova")
	ref := d.ID.Ref()

	got := h.answer(h.slash(sample.Rep1, "/deal", "set "+ref+" Industry RETAIL"))
	wantContains(t, got, "Industry: not set → retail", "Industry: retail", "Size band: not set", "ICP fit 100% (1 of 1)")
	if a := h.deal(d.ID).Attributes; a.Get("industry") != "retail" || a.Len() != 1 {
		t.Errorf("attributes = %v", a.Map())
	}
	for _, tc := range []struct{ name, args, want string }{
		{"UnknownValue", "set " + ref + " industry banking", "banking is not a value of Industry. Its values are: retail, software, healthcare."},
		{"UnknownAttribute", "set " + ref + " colour red", "There is no attribute colour. The attributes are: industry, size_band."},
		{"NoValue", "set " + ref + " size_band", "Write the value of Size band after it: 1-50, 51-200"},
		{"NoAttribute", "set " + ref, "Write /deal set D-12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", tc.args)), tc.want)
		})
	}
	// By words, and "-" clears.
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "set studio nova size_band 51-200")), "Size band: not set → 51-200")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "set "+ref+" size_band -")), "Size band: 51-200 → not set")

	// The update form: a select per attribute, set at the deal's value.
	view, err := h.slash(sample.Rep1, "/deal", "update "+ref).WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, view.Render(), "Industry", "Size band")
	sub, _ := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"attr.industry": "software", "attr.size_band": "1-50"})
	if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
		t.Fatalf("update refused: %v %v", err, ack.Errors)
	}
	if a := h.deal(d.ID).Attributes; a.Get("industry") != "software" || a.Get("size_band") != "1-50" {
		t.Errorf("after the form: %v", a.Map())
	}
	hist, err := h.store().History(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, e := range hist {
		if _, ok := e.Field.Attr(); ok {
			changes = append(changes, string(e.Field)+":"+e.Old+"→"+e.New)
		}
	}
	if want := "attr.industry:→retail attr.size_band:→51-200 attr.size_band:51-200→ attr.industry:retail→software attr.size_band:→1-50"; strings.Join(changes, " ") != want {
		t.Errorf("history = %v\nwant %s", changes, want)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "show "+ref)), "Industry: software", "ICP fit 0% (0 of 1)", "not in the ICP: Industry")

	// Remembered per account: the account keeps the last values set; a new
	// deal of it left blank takes them, one choosing "not set" does not.
	if a, ok, err := h.store().Account(context.Background(), "studio  NOVA"); err != nil || !ok || a.Attributes["industry"] != "software" || a.Attributes["size_band"] != "1-50" {
		t.Fatalf("account = %+v, %v, %v", a, ok, err)
	}
	view = h.openNewDeal(sample.Rep1)
	wantContains(t, view.Render(), "Industry", "Size band")
	values := newDealValues("10k")
	values["account"], values["name"] = "Studio Nova", "Studio Nova shop"
	values["attr.size_band"] = "-"
	sub, _ = h.srv.SubmitView(string(sample.Rep1), view.ID, values)
	if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
		t.Fatalf("new deal refused: %v %v", err, ack.Errors)
	}
	deals, err := h.store().Deals(context.Background(), domain.DealFilter{Words: []string{"shop"}})
	if err != nil || len(deals) != 1 {
		t.Fatalf("new deal: %v %v", deals, err)
	}
	if a := deals[0].Attributes; a.Get("industry") != "software" || a.Get("size_band") != "" {
		t.Errorf("new deal of the account: %v, want industry from the account, size band as chosen (not set)", a.Map())
	}
	// The update form of a deal without values starts at the account's.
	other := h.seedDeal(sample.Rep1, "Studio Nova print", "Studio Nova")
	view, err = h.slash(sample.Rep1, "/deal", "update "+other.ID.Ref()).WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	sub, _ = h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"amount": "21k"})
	if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
		t.Fatalf("update refused: %v %v", err, ack.Errors)
	}
	if a := h.deal(other.ID).Attributes; a.Get("industry") != "software" || a.Get("size_band") != "1-50" {
		t.Errorf("the update form did not start at the account's values: %v", a.Map())
	}

	// /pipeline segments: the rep's own deals, the manager's team.
	wantContains(t, h.answer(h.slash(sample.Manager, "/pipeline", "segments industry")),
		"Segments by Industry · team France", "| software · too few deals | 0 / 0 |", "| All deals |")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/pipeline", "segments <@U0VP|vp>")), "is not in it")
	wantContains(t, h.answer(h.slash(sample.Manager, "/pipeline", "segments lately")), "lately is not an attribute, a person, a team or a period")
}

// reviewDeal stores a deal of industry created on created and closed
// (won or lost) on closed, at 10:00 UTC each, as the store would have seen
// it then.
func (h *harness) reviewDeal(owner domain.UserID, industry string, created, closed string, status domain.Status) {
	h.t.Helper()
	back := h.clock.Now()
	defer h.clock.Set(back)
	day := func(s string) time.Time {
		d, err := domain.ParseISODate(s)
		if err != nil {
			h.t.Fatal(err)
		}
		return d.Time(time.UTC).Add(10 * time.Hour)
	}
	h.clock.Set(day(created))
	nd := &domain.Deal{Name: industry + " " + created, Account: industry + " SA", Owner: owner, Amount: 1_000_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.DateOf(day(closed)), Status: domain.Open}
	nd.SetAttr("industry", industry)
	d, err := h.store().CreateDeal(context.Background(), nd, owner, "")
	if err != nil {
		h.t.Fatal(err)
	}
	h.clock.Set(day(closed))
	if _, _, err := h.store().UpdateDeal(context.Background(), d.ID, 0, owner, func(x *domain.Deal) error {
		x.Status = status
		if status == domain.Lost {
			x.LossReason = "price"
		}
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
}

// reviewFixture stores the deals of TestICPReviewOnceWithButtons: a
// review of 2026-Q3 with two proposals.
func (h *harness) reviewFixture() {
	h.t.Helper()
	for range 5 {
		h.reviewDeal(sample.Rep1, "retail", "2026-01-10", "2026-02-20", domain.Won)
		h.reviewDeal(sample.Rep2, "software", "2026-07-06", "2026-08-17", domain.Won)
	}
	h.reviewDeal(sample.Rep1, "retail", "2026-07-06", "2026-08-17", domain.Won)
	for range 4 {
		h.reviewDeal(sample.Rep1, "retail", "2026-07-06", "2026-09-14", domain.Lost)
	}
}

// TestICPReviewOnceWithButtons: the review of 2026-Q3 goes to the manager
// once (another tick, a restart: nothing more), with each proposal's
// numbers and working Accept / Dismiss, decided once, by the manager or an
// admin only.
//
// By hand (MinDeals 5, StopPct 50): retail (in the ICP) won 5 of 5 in
// 2026-Q1 and 1 of 5 in 2026-Q3: 20% ≤ 50% of 100% → remove retail;
// software (outside) won 5 of 5 in 2026-Q3, above the fit deals' 20% →
// add software.
func TestICPReviewOnceWithButtons(t *testing.T) {
	h := newHarness(t, withConfig(segmentsConfig))
	h.reviewFixture()
	h.tick()
	msgs := h.dms(sample.Manager)
	if len(msgs) != 1 {
		t.Fatalf("%d DMs to the manager, want the review once", len(msgs))
	}
	review := msgs[0].Render()
	wantContains(t, review, "Quarterly ICP review · France · 2026-Q3",
		"against the four quarters before (2025-Q3 – 2026-Q2)", "won 20% of 5 closed",
		"Remove Industry: retail from the ICP: it stopped winning. It won 20% of 5 closed deals in 2026-Q3 (cycle 42 days), against 100% of 5",
		"Add Industry: software to the ICP. It won 100% of 5 closed deals in 2026-Q3",
		"By quarter: 2025-Q3 0% of 0 · 2025-Q4 0% of 0 · 2026-Q1 100% of 5 · 2026-Q2 0% of 0 · 2026-Q3 20% of 5")

	// Once: another tick, then a restart and a tick, post nothing more.
	h.tick()
	h.restart()
	h.tick()
	if n := len(h.dms(sample.Manager)); n != 1 {
		t.Fatalf("%d DMs after a tick and a restart, want 1", n)
	}

	dm := h.srv.DMChannel(string(sample.Manager))
	click := func(user domain.UserID, block, action string) string {
		t.Helper()
		inv, err := h.srv.BlockAction(string(user), slacktest.InMessage(dm, msgs[0].TS), slacktest.Action{ActionID: action, BlockID: block})
		if err != nil {
			t.Fatal(err)
		}
		r, err := inv.NextResponse(ctxT(t))
		if err != nil {
			t.Fatalf("no answer to %s: %v", action, err)
		}
		return r.Render()
	}
	wantContains(t, click(sample.Rep1, "review_actions_0", "icp_accept"), "Only the team's manager or an admin decides the ICP review.")
	wantContains(t, click(sample.Manager, "review_actions_0", "icp_accept"),
		"Proposal remove Industry: retail: Accepted by <@U0MGR>", "line 31, remove industry: from icp:")
	wantContains(t, click(sample.Manager, "review_actions_0", "icp_dismiss"), "This proposal was already decided: Accepted by <@U0MGR>")
	// An admin decides too, though they manage no team.
	wantContains(t, click(sample.Admin, "review_actions_1", "icp_dismiss"), "Proposal add Industry: software: Dismissed by <@U0ADMIN>")
	p, ok, err := h.store().ICPReview(context.Background(), "2026-Q3", "France")
	if err != nil || !ok || p.Proposals[0].Decision != "accepted" || p.Proposals[1].Decision != "dismissed" || p.PostedAt.IsZero() {
		t.Fatalf("kept review = %+v, %v, %v", p, ok, err)
	}
}

// TestSegmentsGuards: /deal set changes only a deal the caller may change
// (a teammate's is refused, by reference or by words; words matching both
// one's own and a teammate's deal pick one's own), and a rep's
// /pipeline segments counts only their own deals.
func TestSegmentsGuards(t *testing.T) {
	h := newHarness(t, withConfig(segmentsConfig))
	mine := h.seedDeal(sample.Rep1, "Nova website", "Studio Nova")
	theirs := h.seedDeal(sample.Rep2, "Nova cafe", "Cafe Nova")

	// By reference: the teammate's deal is readable, not changeable.
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "set "+theirs.ID.Ref()+" industry retail")),
		"can change "+theirs.ID.Ref()+": the owner, their manager or an admin.")
	if a := h.deal(theirs.ID).Attributes; a.Len() != 0 {
		t.Errorf("the teammate's deal changed: %v", a.Map())
	}
	// By words matching both: only the caller's own are candidates.
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "set nova industry software")), "Industry: not set → software")
	if a := h.deal(mine.ID).Attributes; a.Get("industry") != "software" {
		t.Errorf("own deal = %v", a.Map())
	}
	if a := h.deal(theirs.ID).Attributes; a.Len() != 0 {
		t.Errorf("the teammate's deal changed: %v", a.Map())
	}

	// /pipeline segments by a rep: Rep2's software wins are not Rep1's.
	for range 5 {
		h.reviewDeal(sample.Rep1, "retail", "2026-09-10", "2026-10-20", domain.Won)
		h.reviewDeal(sample.Rep2, "software", "2026-09-10", "2026-10-20", domain.Won)
	}
	got := h.answer(h.slash(sample.Rep1, "/pipeline", "segments industry"))
	wantContains(t, got, "| retail | 5 / 0 |", "| software · too few deals | 0 / 0 |")
}

// TestICPReviewWaitsForRemindersAt: the review of 2026-Q3 is posted on the
// quarter's first day at reminders_at (09:00 Paris), not at midnight.
func TestICPReviewWaitsForRemindersAt(t *testing.T) {
	h := newHarness(t, withConfig(segmentsConfig))
	h.reviewFixture()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	reviews := func() int {
		n := 0
		for _, m := range h.dms(sample.Manager) {
			if strings.Contains(m.Render(), "Quarterly ICP review") {
				n++
			}
		}
		return n
	}
	for _, at := range []time.Time{time.Date(2026, 10, 1, 0, 0, 0, 0, paris), time.Date(2026, 10, 1, 8, 59, 0, 0, paris)} {
		h.tickAt(at)
		if n := reviews(); n != 0 {
			t.Fatalf("%d reviews posted at %s, before reminders_at", n, at)
		}
	}
	h.tickAt(time.Date(2026, 10, 1, 9, 0, 0, 0, paris))
	if n := reviews(); n != 1 {
		t.Fatalf("%d reviews posted at reminders_at, want 1", n)
	}
}

// TestICPReviewMinDeals: with icp: min_deals: 6, the deals of
// TestICPReviewOnceWithButtons (5 closed per value in 2026-Q3) are too
// few: the review proposes nothing and says the threshold.
func TestICPReviewMinDeals(t *testing.T) {
	h := newHarness(t, withConfig(segmentsConfig+"  min_deals: 6\n"))
	h.reviewFixture()
	h.tick()
	msgs := h.dms(sample.Manager)
	if len(msgs) != 1 {
		t.Fatalf("%d DMs to the manager, want the review once", len(msgs))
	}
	review := msgs[0].Render()
	wantContains(t, review, "Quarterly ICP review · France · 2026-Q3",
		"No change to propose: no segment has enough evidence (at least 6 closed deals in the quarter).")
	if strings.Contains(review, "Accept") {
		t.Errorf("a proposal under 6 deals:\n%s", review)
	}
}
