package slack_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// seedDeal stores an open deal in Qualification for owner.
func (h *harness) seedDeal(owner domain.UserID, name, account string) *domain.Deal {
	h.t.Helper()
	d, err := h.store().CreateDeal(context.Background(), &domain.Deal{
		Name: name, Account: account, Owner: owner, Amount: 2_000_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
		NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open,
	}, owner, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

func (h *harness) deal(id domain.DealID) *domain.Deal {
	h.t.Helper()
	d, err := h.store().Deal(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

func wantContains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("answer lacks %q:\n%s", w, got)
		}
	}
}

func TestQuickForms(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	ref := d.ID.Ref()
	tests := []struct {
		name  string
		text  string
		want  []string
		check func(*domain.Deal) bool
	}{
		{"Next", "next " + ref + " Send proposal by fri", []string{"Send proposal", "Nov 27, 2026"},
			func(d *domain.Deal) bool {
				return d.NextStep == "Send proposal" && d.NextStepDue == domain.NewDate(2026, 11, 27)
			}},
		{"NextByWords", "next acme Call the CFO by tomorrow", []string{"Call the CFO"},
			func(d *domain.Deal) bool {
				return d.NextStep == "Call the CFO" && d.NextStepDue == domain.NewDate(2026, 11, 26)
			}},
		{"Amount", "amount " + ref + " 48k", []string{"€48,000"}, func(d *domain.Deal) bool { return d.Amount == 4_800_000 }},
		{"AmountByNumber", fmt.Sprint("amount ", uint64(d.ID), " 48 500"), []string{"€48,500"}, func(d *domain.Deal) bool { return d.Amount == 4_850_000 }},
		{"Close", "close " + ref + " 2026-12-15", []string{"Dec 15, 2026"}, func(d *domain.Deal) bool { return d.CloseDate == domain.NewDate(2026, 12, 15) }},
		{"StageNeedsFields", "stage " + ref + " proposal", []string{"Proposal needs Need"}, func(d *domain.Deal) bool { return d.Stage == "Qualification" }},
		{"Commit", "commit " + ref, []string{"Commit"}, func(d *domain.Deal) bool { return d.Category == domain.Commit }},
		{"BestCase", "bestcase " + ref, []string{"Best case"}, func(d *domain.Deal) bool { return d.Category == domain.BestCase }},
		{"Omit", "omit " + ref, []string{"Omitted"}, func(d *domain.Deal) bool { return d.Category == domain.Omitted }},
		{"Show", "show " + ref, []string{"Acme renewal", "Update", "Next step", "Request discount", "History"}, nil},
		{"History", "history " + ref, []string{"History of " + ref, "Amount"}, nil},
		{"ListFiltered", "list omitted", []string{"Acme renewal"}, nil},
		{"LostNeedsReason", "lost " + ref, []string{"Give the reason"}, func(d *domain.Deal) bool { return d.Status == domain.Open }},
		{"BadAmount", "amount " + ref + " 12kk", []string{"is not an amount"}, func(d *domain.Deal) bool { return d.Amount == 4_850_000 }},
		{"BadDate", "next " + ref + " Call by someday", []string{"not a date"}, nil},
		{"UnknownDeal", "show D-999", []string{"There is no deal D-999"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.answer(h.slash(sample.Rep1, "/deal", tt.text))
			wantContains(t, got, tt.want...)
			if tt.check != nil && !tt.check(h.deal(d.ID)) {
				t.Errorf("stored deal after %q: %+v", tt.text, h.deal(d.ID))
			}
		})
	}
	// The history keeps who changed what and when.
	hist, err := h.store().History(context.Background(), d.ID)
	if err != nil || len(hist) < 8 {
		t.Fatalf("history has %d entries (%v)", len(hist), err)
	}
	if last := hist[len(hist)-1]; last.By != sample.Rep1 || last.Field != domain.FieldCategory {
		t.Errorf("last history entry = %+v", last)
	}
}

func TestWonIsAnnouncedAndLostNeedsReason(t *testing.T) {
	h := newHarness(t)
	won := h.seedDeal(sample.Rep2, "Hotel Bellevue rollout", "Hôtel Bellevue")
	lost := h.seedDeal(sample.Rep2, "Garage Fontaine pilot", "Garage Fontaine")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "won "+won.ID.Ref())), "won")
	msg, err := h.srv.WaitMessage(ctxT(t), sample.ForecastChannel, func(m slacktest.Message) bool { return strings.Contains(m.Text, "Hotel Bellevue rollout") })
	if err != nil {
		t.Fatalf("the win was not announced: %v", err)
	}
	if !strings.Contains(msg.Text, "<@"+string(sample.Rep2)+">") {
		t.Errorf("the announcement does not mention the rep: %q", msg.Text)
	}
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "lost garage compet")), "competitor")
	if d := h.deal(lost.ID); d.Status != domain.Lost || d.LossReason != "competitor" {
		t.Errorf("lost deal = %+v", d)
	}
}

func TestNonOwnerIsRefusedAndManagerMayReassign(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Cabinet Moreau audit", "Cabinet Moreau")
	got := h.answer(h.slash(sample.Rep2, "/deal", "amount "+d.ID.Ref()+" 1k"))
	wantContains(t, got, "Only <@U0REP1>, <@U0MGR> can change "+d.ID.Ref())
	if h.deal(d.ID).Amount != 2_000_000 {
		t.Error("a non-owner changed the amount")
	}
	got = h.answer(h.slash(sample.Rep1, "/deal", "owner "+d.ID.Ref()+" <@U0REP2|hugo>"))
	wantContains(t, got, "Only the owner's manager")
	got = h.answer(h.slash(sample.Manager, "/deal", "owner "+d.ID.Ref()+" <@U0REP2|hugo>"))
	wantContains(t, got, "<@U0REP2>")
	if h.deal(d.ID).Owner != sample.Rep2 {
		t.Error("the manager could not reassign the deal")
	}
	// The manager sees the rep's deals, and so does a teammate
	// (visibility: team); someone of no team does not.
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "list <@U0REP2|hugo>")), "Cabinet Moreau audit")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "list <@U0REP2|hugo>")), "Cabinet Moreau audit")
	wantContains(t, h.answer(h.slash(sample.VP, "/deal", "list <@U0REP2|hugo>")), "your own team only, and <@U0REP2> is not in it")
}

func TestUpdateModalPrefilledAndSaved(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Studio Nova website", "Studio Nova")
	view, err := h.slash(sample.Rep1, "/deal", "update "+d.ID.Ref()).WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, view.Render(), "Stage", "Amount", "Close date", "Forecast category", "Need", "Decision makers", "Budget",
		"Timeline", "Risk", "Next step", "Next step due", "20,000")
	// Moving to Proposal without the fields it needs fails on each field.
	sub, _ := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"stage": "Proposal"})
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"need", "decision_makers", "budget", "timeline"} {
		if !strings.Contains(ack.Errors[f], "Proposal needs") {
			t.Errorf("no inline error on %s: %v", f, ack.Errors)
		}
	}
	if h.deal(d.ID).Stage != "Qualification" {
		t.Fatal("a refused stage move was stored")
	}
	sub, _ = h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"stage": "Proposal", "need": "A new site", "decision_makers": "CEO",
		"budget": "30k", "timeline": "Q1", "amount": "25k"})
	ack, err = sub.WaitAck(ctxT(t))
	if err != nil || len(ack.Errors) > 0 {
		t.Fatalf("valid update refused: %v %v", err, ack.Errors)
	}
	got := h.deal(d.ID)
	if got.Stage != "Proposal" || got.Category != domain.BestCase || got.Amount != 2_500_000 || got.Budget != "30k" {
		t.Errorf("stored = stage %s cat %s amount %d budget %q", got.Stage, got.Category, got.Amount, got.Budget)
	}
	// Moving backwards is allowed and recorded.
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "stage "+d.ID.Ref()+" discovery")), "Proposal → Discovery")
}

func TestUpdateConflictIsRefusedInline(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Imprimerie Lambert presses", "Imprimerie Lambert")
	view, err := h.slash(sample.Rep1, "/deal", "update "+d.ID.Ref()).WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	// The manager changes the amount while the rep's modal is open.
	h.answer(h.slash(sample.Manager, "/deal", "amount "+d.ID.Ref()+" 30k"))
	sub, _ := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"amount": "22k"})
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var msg string
	for _, m := range ack.Errors {
		msg += m
	}
	wantContains(t, msg, "Amount: €20,000 → €30,000 (by <@U0MGR> at 10:30)", "Open it again")
	if h.deal(d.ID).Amount != 3_000_000 {
		t.Errorf("the stale modal overwrote the manager's change")
	}
}

func TestDealPickerSuggestsAndOpensUpdate(t *testing.T) {
	h := newHarness(t)
	h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	h.seedDeal(sample.Rep1, "Acme expansion", "Acme")
	h.seedDeal(sample.Rep2, "Acme Hugo's", "Acme") // another rep's: not suggested to Léa
	view, err := h.slash(sample.Rep1, "/deal", "update acme").WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := h.srv.BlockSuggestion(ctxT(t), string(sample.Rep1), view.ID, string(bot.PickField), "acme exp")
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != 1 || !strings.Contains(opts[0].Text, "Acme expansion") {
		t.Fatalf("suggestions for 'acme exp' = %+v", opts)
	}
	all, _ := h.srv.BlockSuggestion(ctxT(t), string(sample.Rep1), view.ID, string(bot.PickField), "acme")
	if len(all) != 2 {
		t.Errorf("suggestions for 'acme' = %+v, want Léa's two deals", all)
	}
	sub, _ := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{string(bot.PickField): opts[0]})
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil || ack.ResponseAction != "update" {
		t.Fatalf("picking a deal: %v %+v", err, ack)
	}
	top, ok := h.srv.TopModal(string(sample.Rep1))
	if !ok || !strings.Contains(top.Render(), "Update D-2") {
		t.Errorf("the update modal did not replace the picker:\n%s", top.Render())
	}
}

func TestCardButtonsAndAppHome(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep3, "Ferme Blanchard tablets", "Ferme Blanchard")
	// The card's Next step button opens the next-step modal.
	inv := h.slash(sample.Rep3, "/deal", "show "+d.ID.Ref())
	h.answer(inv)
	ack, err := inv.WaitAck(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = ack
	home, err := h.srv.AppHomeOpened(string(sample.Rep3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := home.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		_, ok := st.HomeViews[string(sample.Rep3)]
		return ok
	}); err != nil {
		t.Fatalf("no App Home published: %v", err)
	}
	hv, _ := h.srv.HomeView(string(sample.Rep3))
	wantContains(t, hv.Render(), "Ferme Blanchard tablets", "Update")
	click, err := h.srv.BlockAction(string(sample.Rep3), slacktest.InView(hv.ID), slacktest.Action{ActionID: bot.ActionUpdate})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := click.WaitView(ctxT(t)); err != nil {
		t.Fatalf("the Home's Update button opened no modal: %v", err)
	}
}

// TestCardButtons clicks the buttons of a card shown by /deal show: Next
// step opens its modal, History answers in the channel, Update opens the
// update modal.
func TestCardButtons(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Pharmacie Centrale tills", "Pharmacie Centrale")
	inv := h.slash(sample.Rep1, "/deal", "show "+d.ID.Ref())
	card, err := inv.NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if card.TS == "" {
		t.Fatal("the card has no ts to click on")
	}
	click := func(action string) *slacktest.Invocation {
		t.Helper()
		c, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(sample.SalesChannel, card.TS), slacktest.Action{ActionID: action})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	next, err := click(bot.ActionNextStep).WaitView(ctxT(t))
	if err != nil {
		t.Fatalf("Next step opened no modal: %v", err)
	}
	sub, _ := h.srv.SubmitView(string(sample.Rep1), next.ID, slacktest.Values{"next_step": "Install the pilot", "next_step_due": "2026-12-02"})
	if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
		t.Fatalf("next-step modal: %v %v", err, ack.Errors)
	}
	if got := h.deal(d.ID); got.NextStep != "Install the pilot" || got.NextStepDue != domain.NewDate(2026, 12, 2) {
		t.Errorf("next step not saved: %+v", got)
	}
	hist := click(bot.ActionHistory)
	r, err := hist.NextResponse(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, r.Render(), "History of "+d.ID.Ref(), "Install the pilot")
	if _, err := click(bot.ActionUpdate).WaitView(ctxT(t)); err != nil {
		t.Fatalf("Update opened no modal: %v", err)
	}
}

// TestLargeAnswerGoesThroughResponseURL: a history too large for a Socket
// Mode ack (Slack drops acks of 20 kB or more) is acked bare and answered
// once through the command's response_url.
func TestLargeAnswerGoesThroughResponseURL(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Laboratoire Vidal analysers", "Laboratoire Vidal")
	for i := range 120 {
		text := fmt.Sprintf("Step %d: %s", i, strings.Repeat("call the lab director about the contract ", 4))
		if _, _, err := h.store().UpdateDeal(context.Background(), d.ID, 0, sample.Rep1, func(x *domain.Deal) error {
			x.NextStep = text
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	inv := h.slash(sample.Rep1, "/deal", "history "+d.ID.Ref())
	ack, err := inv.WaitAck(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := inv.WaitResponses(ctxT(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, rs[0].Render(), "History of "+d.ID.Ref(), "Step 119")
	h.answer(h.slash(sample.Rep1, "/deal", "help"))
	if n := len(inv.Responses()); n != 1 {
		t.Errorf("the history was answered %d times", n)
	}
	if ack.Payload != nil {
		t.Errorf("the %d-byte answer rode on the ack: the test no longer exercises the fallback", len(ack.Payload))
	}
}

// TestDealPickerRefusesALongQuery: a query beyond 8 words or 80 characters
// gets one option, the message with the limits, and choosing it picks no
// deal.
func TestDealPickerRefusesALongQuery(t *testing.T) {
	h := newHarness(t)
	h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	view, err := h.slash(sample.Rep1, "/deal", "update").WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := h.srv.BlockSuggestion(ctxT(t), string(sample.Rep1), view.ID, string(bot.PickField), strings.Repeat("acme ", 60))
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != 1 || opts[0].Text != "Too long: type at most 8 words, 80 characters" {
		t.Fatalf("suggestions for 300 characters = %+v, want the limits", opts)
	}
	ok, _ := h.srv.BlockSuggestion(ctxT(t), string(sample.Rep1), view.ID, string(bot.PickField), "acme renewal")
	if len(ok) != 1 || !strings.Contains(ok[0].Text, "Acme renewal") {
		t.Fatalf("suggestions for 'acme renewal' after a long query = %+v", ok)
	}
	sub, _ := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{string(bot.PickField): opts[0]})
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil || ack.ResponseAction != "errors" || ack.Errors[string(bot.PickField)] != "Choose a deal." {
		t.Fatalf("submitting the message option: %v %+v", err, ack)
	}
}

// TestLostNamesTheCompetitor: /deal lost takes the competitor who won after
// "competitor:" (or "concurrent :"), trimmed and capped; a marker without a
// name or a name too long is refused, and the deal stays open.
func TestLostNamesTheCompetitor(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	ref := d.ID.Ref()
	open := func(d *domain.Deal) bool { return d.Status == domain.Open && d.Competitor == "" }
	tests := []struct {
		name  string
		text  string
		want  []string
		check func(*domain.Deal) bool
	}{
		{"NoName", "lost " + ref + " price competitor:   ", []string{"Name the competitor after competitor:"}, open},
		{"TooLong", "lost " + ref + " price competitor: " + strings.Repeat("x", domain.MaxNameLen+1),
			[]string{"Competitor is too long", "150"}, open},
		{"NoReason", "lost " + ref + " competitor: Rival", []string{"Give the reason"}, open},
		{"Lost", "lost " + ref + " price  Concurrent :  Rival \t Inc ", []string{"Lost", "price", "won by Rival Inc"},
			func(d *domain.Deal) bool {
				return d.Status == domain.Lost && d.LossReason == "price" && d.Competitor == "Rival Inc"
			}},
		// A win clears what the loss said.
		{"WonClears", "won " + ref, []string{"Won"}, func(d *domain.Deal) bool {
			return d.Status == domain.Won && d.LossReason == "" && d.Competitor == ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.answer(h.slash(sample.Rep1, "/deal", tt.text))
			wantContains(t, got, tt.want...)
			if !tt.check(h.deal(d.ID)) {
				t.Errorf("stored deal after %q: %+v", tt.text, h.deal(d.ID))
			}
		})
	}
	// The history keeps the competitor as it keeps the reason.
	hist, err := h.store().History(context.Background(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range hist {
		if e.Field == domain.FieldCompetitor {
			got = append(got, e.Old+"→"+e.New)
		}
	}
	if want := []string{"→Rival Inc", "Rival Inc→"}; !slices.Equal(got, want) {
		t.Errorf("competitor history = %q, want %q", got, want)
	}
}

// TestLostNamesTheCompetitorInFrench: the same in a French workspace.
func TestLostNamesTheCompetitorInFrench(t *testing.T) {
	h := newHarness(t, withConfig(strings.Replace(sample.Config, "locale: en", "locale: fr", 1)))
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "lost "+d.ID.Ref()+" prix concurrent :")),
		"Nommez le concurrent après concurrent :, ou ne l'indiquez pas")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "lost "+d.ID.Ref()+" concurrent : Rival")), "Donnez le motif")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "lost "+d.ID.Ref()+" prix concurrent : Rival SA")), "remportée par Rival SA")
	if got := h.deal(d.ID); got.Competitor != "Rival SA" || got.LossReason != "prix" {
		t.Errorf("stored %q, %q", got.LossReason, got.Competitor)
	}
}

// TestAdminPickerSaysWhenItReadSome: the admin's picker searches every deal
// of the company and reads at most 500 of a word's matches; when a word
// matches more (600 here), the last of the 100 options says to type more,
// and choosing it picks no deal. Narrower words read them all: no message.
func TestAdminPickerSaysWhenItReadSome(t *testing.T) {
	h := newHarness(t)
	var items []store.Imported
	for i := range 600 {
		items = append(items, store.Imported{By: sample.Rep1, Deal: &domain.Deal{
			Name: fmt.Sprintf("Acme %d", i), Account: "Acme", Owner: sample.Rep1, Amount: 2_000_000, Currency: "EUR",
			Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20), Status: domain.Open,
		}})
	}
	if _, err := h.store().ImportDeals(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	view, err := h.slash(sample.Admin, "/deal", "update").WaitView(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := h.srv.BlockSuggestion(ctxT(t), string(sample.Admin), view.ID, string(bot.PickField), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != 100 || opts[99].Text != "More deals match: type more to narrow" || opts[99].Value != "-" {
		t.Fatalf("suggestions for 'acme' among 600 = %d, last %+v; want 99 deals and the message", len(opts), opts[len(opts)-1])
	}
	few, _ := h.srv.BlockSuggestion(ctxT(t), string(sample.Admin), view.ID, string(bot.PickField), "acme 599")
	if len(few) != 1 || !strings.Contains(few[0].Text, "Acme 599") {
		t.Errorf("suggestions for 'acme 599' = %+v, want Acme 599 alone", few)
	}
	sub, _ := h.srv.SubmitView(string(sample.Admin), view.ID, slacktest.Values{string(bot.PickField): opts[99]})
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil || ack.ResponseAction != "errors" || ack.Errors[string(bot.PickField)] != "Choose a deal." {
		t.Fatalf("submitting the message option: %v %+v", err, ack)
	}
}
