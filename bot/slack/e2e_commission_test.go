package slack_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// commissionConfig is the sample team with quarterly quotas of €100,000
// and the team's plan: 4 % up to 50 % of quota, 6 % above.
const commissionConfig = sample.Config + `quotas:
  - { user: U0REP1, period: quarter, amount: 100000 }
  - { user: U0REP2, period: quarter, amount: 100000 }
commissions:
  - team: France
    period: quarter
    name: AE plan
    tiers:
      - { up_to: 50, rate: 4 }
      - { rate: 6 }
`

const stranger domain.UserID = "U0STRANGER"

// TestDealSplit: splits are set by the owner's manager (the owner is told
// who can), refused clearly when they do not add up or leave the owner out,
// kept in history, and drive what each person is credited.
func TestDealSplit(t *testing.T) {
	h := newHarness(t, withConfig(commissionConfig), withPeople(slacktest.User{ID: string(stranger), Name: "stranger"}))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	ref := d.ID.Ref()
	for _, tc := range []struct {
		name  string
		user  domain.UserID
		text  string
		wants []string
	}{
		{"OwnerRefused", sample.Rep1, "split " + ref + " <@U0REP1|lea> 60 <@U0REP2|hugo> 40", []string{"Only the owner's manager (<@U0MGR>) or an admin can split " + ref}},
		{"Teammate", sample.Rep2, "split " + ref + " <@U0REP1|lea> 60 <@U0REP2|hugo> 40", []string{"can split " + ref}},
		{"StrangerRefused", stranger, "split " + ref + " <@U0REP1|lea> 60 <@U0REP2|hugo> 40", []string{"You are not in any team"}},
		{"SumNot100", sample.Manager, "split " + ref + " <@U0REP1|lea> 60 <@U0REP2|hugo> 30", []string{"Revenue splits must sum to 100%, not 90%"}},
		{"OwnerLeftOut", sample.Manager, "split " + ref + " <@U0REP2|hugo> 60 <@U0REP3|sam> 40", []string{"must credit the deal's owner <@U0REP1>"}},
		{"NotAShare", sample.Manager, "split " + ref + " <@U0REP1|lea> sixty", []string{"'sixty' is not a share for <@U0REP1>"}},
		{"NoOne", sample.Manager, "split " + ref, []string{"Say who is credited and how much"}},
		{"Stranger", sample.Manager, "split " + ref + " <@U0REP1|lea> 60 <@U0STRANGER|x> 40", []string{"<@U0STRANGER> is in no team"}},
		{"ManagerCreditsSelf", sample.Manager, "split " + ref + " <@U0REP1|lea> 100 overlay <@U0MGR|marc> 100", []string{"These splits credit you: a change of your own pay is for an admin."}},
		{"Set", sample.Manager, "split " + ref + " <@U0REP1|lea> 60 <@U0REP2|hugo> 40 overlay <@U0REP3|sam> 10",
			[]string{"Splits", "<@U0REP1> 60%, <@U0REP2> 40%, overlay <@U0REP3> 10%"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(tc.user, "/deal", tc.text)), tc.wants...)
		})
	}
	if got := h.deal(d.ID).Splits; len(got) != 3 || got[0].Share != 6000 || !got[2].Overlay {
		t.Fatalf("stored splits = %+v", got)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "history "+ref)), "Splits", "<@U0REP1> 60%, <@U0REP2> 40%, overlay <@U0REP3> 10%")
	// Giving the deal to Hugo hands Léa's share over with it.
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "owner "+ref+" <@U0REP2|hugo>")), "<@U0REP2> 100%, overlay <@U0REP3> 10%")
	// An admin may split too (here: back to the owner alone).
	wantContains(t, h.answer(h.slash(sample.Admin, "/deal", "split "+ref+" clear")), "Splits")
	if got := h.deal(d.ID).Splits; len(got) != 0 {
		t.Errorf("after an admin's clear: %+v", got)
	}
}

// TestCommission: a split deal won pays each person their share at their
// own tier (a DM says so), /commission shows a rep their statement, a
// manager the team, and refuses a stranger; a closed month stays as closed
// and a later change is paid as an adjustment the month after. By hand:
// D €20,000 split Léa 60 % (€12,000, 12 % of her €100,000 quota, tier 1,
// 4 % = €480) and Hugo 40 % (€8,000, 4 % = €320); the month costs €800.
// Léa is then €38,000 from 50 %, where tier 2 pays 6 %.
func TestCommission(t *testing.T) {
	h := newHarness(t, withConfig(commissionConfig), withPeople(slacktest.User{ID: string(stranger), Name: "stranger"}))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	ref := d.ID.Ref()
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "split "+ref+" <@U0REP1|lea> 60 <@U0REP2|hugo> 40")), "<@U0REP1> 60%")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+ref)), "Won")
	h.waitDM(sample.Rep1, "won: it earns you €480.")
	h.waitDM(sample.Rep2, "it earns you €320.")

	for _, tc := range []struct {
		name  string
		user  domain.UserID
		text  string
		wants []string
	}{
		{"Rep", sample.Rep1, "", []string{"Commission statement of <@U0REP1>, 2026-11",
			"AE plan, 2026-Q4: €12,000 credited of a €100,000 quota (12%)",
			ref + " · tier 1: 4% of €20,000 × 60% split = €480", "To pay: €480",
			"The next deal pays 4% of its credit (tier 1). €38,000 more reaches 50%: tier 2 at 6%."}},
		{"Manager", sample.Manager, "2026-11", []string{"Commissions, 2026-11",
			"<@U0REP1>: €12,000 credited (12%), earned €480, to pay €480",
			"<@U0REP2>: €8,000 credited (8%), earned €320, to pay €320",
			"Commission cost of the month: €800"}},
		{"ManagerReadsRep", sample.Manager, "<@U0REP2|hugo> this-month", []string{"Commission statement of <@U0REP2>", "40% split = €320"}},
		{"RepReadsTeammate", sample.Rep2, "<@U0REP1|lea>", []string{"Only <@U0REP1>, their manager or an admin can read their commission statement."}},
		{"Stranger", stranger, "", []string{"You are not in any team of dealpilot's configuration"}},
		{"NotAMonth", sample.Rep1, "2026-Q4", []string{"'2026-Q4' is not a month"}},
		{"NoQuota", sample.Rep3, "", []string{"AE plan, 2026-Q4: €0 credited", "No quota for 2026-Q4: without attainment, tiers, accelerators, the decelerator and an attainment cap cannot apply; every credit is paid at the first tier's rate."}},
		{"ManagerSeesNoQuota", sample.Manager, "", []string{"<@U0REP3>: €0 credited (no quota for 2026-Q4: tier 1 rate only), earned €0, to pay €0"}},
		{"Admin", sample.Admin, "2026-11", []string{"Commissions, 2026-11", "<@U0REP1>: €12,000 credited (12%), earned €480, to pay €480",
			"<@U0REP2>: €8,000 credited (8%), earned €320, to pay €320", "Commission cost of the month: €800"}},
		{"RepCannotClose", sample.Rep1, "close 2026-11", []string{"Only an admin can close"}},
		{"ManagerCannotClose", sample.Manager, "close 2026-11", []string{"Only an admin can close"}},
		{"CloseWhichMonth", sample.Admin, "close", []string{"Say which month to close: /commission close 2026-11"}},
		{"TooEarly", sample.Admin, "close 2026-11", []string{"2026-11 is not over yet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(tc.user, "/commission", tc.text)), tc.wants...)
		})
	}

	// December: November is closed, then the split changes. November
	// stays as closed (€480); December pays the difference: €20,000 × 50 %
	// × 4 % = €400, less €480 paid: −€80.
	h.clock.Set(now.AddDate(0, 0, 7))
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")), "2026-11 is closed: 3 statements frozen, €800 to pay.")
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")), "2026-11 is closed already")
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "split "+ref+" <@U0REP1|lea> 50 <@U0REP2|hugo> 50")), "<@U0REP1> 50%")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-11")), "(closed)", "= €480", "To pay: €480")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "2026-12",
		"adjustment to 2026-11 (closed): now €400, paid €480 = -€80", "Carried to next month, owed: €80")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/commission", "")), "adjustment to 2026-11 (closed): now €400, paid €320 = €80")
}

// TestCommissionInMondaySummary: the manager's Monday summary says what
// the month's commissions cost so far and who is near an accelerator. By
// hand: Léa wins €95,000 of a €100,000 quota at 5 %: €4,750, and is
// €5,000 (within 10 % of quota) from 100 %, where ×1.5 starts.
func TestCommissionInMondaySummary(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`quotas:
  - { user: U0REP1, period: quarter, amount: 100000 }
commissions:
  - team: France
    period: quarter
    rate: 5
    accelerators: [{ above: 100, factor: 1.5 }]
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "amount "+d.ID.Ref()+" 95k")), "€95,000")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+d.ID.Ref())), "Won")
	h.waitDM(sample.Rep1, "it earns you €4,750.")
	h.waitDM(sample.Rep1, "€5,000 more reaches 100%: accelerator ×1.5.")
	h.tickAt(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	h.tickAt(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	msgs := h.dms(sample.Manager)
	if len(msgs) != 1 {
		t.Fatalf("%d summaries, want 1", len(msgs))
	}
	wantContains(t, msgs[0].Render(), "Commission cost of 2026-11 so far: €4,750", "<@U0REP1> is €5,000 from 100%: accelerator ×1.5")
	if strings.Contains(msgs[0].Render(), "Hollow wins (") {
		t.Errorf("no customer churned, yet the summary lists hollow wins:\n%s", msgs[0].Render())
	}
}

// TestCommissionClawback: a customer who churns within the plan's window
// (90 days unless set) takes back what the win paid. By hand: Alpha
// €20,000 won on Nov 25 pays Léa 10 % = €2,000 in November; the account
// churns on Dec 10 (/deal churn, by her manager), 15 days later: December
// claws back all €2,000, so it pays nothing and carries €2,000 owed.
func TestCommissionClawback(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+d.ID.Ref())), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	h.clock.Set(time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn Alpha 2026-12-10 closed down")), "Recorded: Alpha churned on Dec 10, 2026",
		d.ID.Ref()+" was won 15 days before: a hollow win.")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "Commission statement of <@U0REP1>, 2026-12",
		d.ID.Ref()+" · clawback: the customer left Dec 10, 2026, 15 days after the win (window 90 days): all €2,000 paid = -€2,000",
		"To pay: €0", "Carried to next month, owed: €2,000")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-11")), "= €2,000", "To pay: €2,000")
}

// TestCommissionDowngradeClawback: /deal downgrade within the window claws
// back, pro rata, the commission on the recurring revenue lost, and a later
// /deal churn only what is left (domain/commission's
// testdata/clawback_downgrade.txt works the rule by hand). By hand: Alpha
// €20,000, ARR €24,000, 12 months, won Nov 25 pays Léa 10 % = €2,000.
//
//	Dec 10, −€6,000 of €24,000 ARR (25 %), 15 days after the win, 0 whole
//	months served: −€2,000 × 6,000/24,000 × 12/12            = −€500
//	standing: €2,000 − €2,000 × 25 %                         =  €1,500
//	Dec 28, churn, 33 days after, 1 month served (Nov 25 → Dec 25):
//	−€1,500 × 11/12                                          = −€1,375
//
// A won one-off deal of the same account (€20,000, no ARR, no term, won
// the same day, €2,000) loses nothing to the downgrade; the churn takes it
// pro rata by days: 33 of the 90-day window, −€2,000 × 57/90 = −€1,266.67.
// Alpha renews on Dec 11 at €12,000 ARR (12 months), below its €18,000: a
// downgrade for retention, but a sale, not a loss: it pays 10 % = €1,200
// and claws nothing back from Alpha's first deal; the churn 17 days later
// takes it all back pro rata, 0 of 12 months served: −€1,200.
// December: −€500 + €1,200 − €1,375 − €1,266.67 − €1,200 = −€3,141.67:
// pays €0, owes that. A deal of another account whose name says Alpha
// (Centauri's €24,000 ARR) is not Alpha's ARR.
func TestCommissionDowngradeClawback(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10, clawback: { recovery: pro_rata } }
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	ref := d.ID.Ref()
	once := h.seedDeal(sample.Rep1, "Alpha setup", "Alpha") // one-off: no ARR
	h.seedWon(sample.Rep2, "Alpha Centauri", "Centauri", domain.TypeNew, domain.NewDate(2026, 11, 1), 24_000, 12)
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "arr "+ref+" 24k")), "€24,000")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "term "+ref+" 12")), "12 months")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+ref)), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+once.ID.Ref())), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	h.clock.Set(time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "downgrade Alpha 6k 2026-12-10 fewer seats")),
		"Recorded: Alpha downgraded on Dec 10, 2026 by €6,000 ARR; it keeps €18,000.")
	renewal := h.seedWon(sample.Rep1, "Alpha renewal", "Alpha", domain.TypeRenewal, domain.NewDate(2026, 12, 11), 12_000, 12)
	st := h.answer(h.slash(sample.Rep1, "/commission", ""))
	wantContains(t, st, "Commission statement of <@U0REP1>, 2026-12",
		ref+" · clawback: the customer downgraded Dec 10, 2026 after 0 of 12 months: €2,000 × €6,000 of €24,000 ARR lost × 12/12 not served = -€500",
		renewal.ID.Ref()+" · 10% of €12,000 = €1,200", "To pay: €700")
	if n := strings.Count(st, "clawback"); n != 1 {
		t.Errorf("%d clawbacks, want the downgrade's only:\n%s", n, st)
	}
	if strings.Contains(st, once.ID.Ref()) {
		t.Errorf("the one-off deal lost commission to a downgrade:\n%s", st)
	}
	h.clock.Set(time.Date(2026, 12, 29, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "churn Alpha 2026-12-28")), "Recorded: Alpha churned on Dec 28, 2026; recurring revenue lost: €12,000 ARR.")
	st = h.answer(h.slash(sample.Rep1, "/commission", ""))
	wantContains(t, st, "= -€500",
		ref+" · clawback: the customer left Dec 28, 2026 after 1 of 12 months: €1,500 × 11/12 not served = -€1,375",
		renewal.ID.Ref()+" · clawback: the customer left Dec 28, 2026 after 0 of 12 months: €1,200 × 12/12 not served = -€1,200",
		"To pay: €0", "Carried to next month, owed: €3,141.67")
	wantContains(t, st, once.ID.Ref()+" · clawback: the customer left Dec 28, 2026, 33 days after the win: €2,000 × 57/90 days of the window left = -€1,266.67")
}

// TestCommissionOtherCurrency: a deal won in another currency than the
// company's cannot be paid (there are no exchange rates); the statement,
// the manager's month and payroll's report say it is left out instead of
// paying less in silence. By hand: Léa wins Alpha €20,000 (10 % = €2,000)
// and Boston $12,000 split with Hugo in November: she is paid €2,000, he
// nothing, Boston is named to both and once in their manager's month; the
// win's DM tells each of them it is not paid.
func TestCommissionOtherCurrency(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+d.ID.Ref())), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	usd, err := h.store().CreateDeal(context.Background(), &domain.Deal{Name: "Boston", Account: "Boston", Owner: sample.Rep1,
		Amount: 12_000_00, Currency: "USD", Stage: "Closing", Category: domain.Commit, CloseDate: domain.NewDate(2026, 12, 20),
		Status: domain.Open, Splits: []domain.Split{{User: sample.Rep1, Share: 5000}, {User: sample.Rep2, Share: 5000}}}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+usd.ID.Ref())), "Won")
	h.waitDM(sample.Rep1, "Boston* won in USD: commission statements are in EUR and have no exchange rates, so it is not paid on yours")
	h.waitDM(sample.Rep2, "Boston* won in USD")
	left := "Left out: 1 deal(s) won this month in another currency than EUR, which statements cannot convert (no exchange rates): " +
		usd.ID.Ref() + " ($12,000)."
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), d.ID.Ref()+" · 10% of €20,000 = €2,000", "To pay: €2,000", left)
	wantContains(t, h.answer(h.slash(sample.Manager, "/commission", "")), "Commission cost of the month: €2,000", left)
	// A plan of one rate needs no quota: nothing to say about one.
	if st := h.answer(h.slash(sample.Manager, "/commission", "")) + h.answer(h.slash(sample.Rep1, "/commission", "")); strings.Contains(st, "o quota") {
		t.Errorf("a one-rate plan is said to lack a quota:\n%s", st)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-10")), "To pay: €0")
	if st := h.answer(h.slash(sample.Rep1, "/commission", "2026-10")); strings.Contains(st, "Left out") {
		t.Errorf("October names November's deal:\n%s", st)
	}
	wantContains(t, h.answer(h.slash(sample.Rep2, "/commission", "")), "To pay: €0", left)
	if st := h.answer(h.slash(sample.Manager, "/commission", "2026-10")); strings.Contains(st, "Left out") {
		t.Errorf("the manager's October names November's deal:\n%s", st)
	}
	h.clock.Set(time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC))
	if st := h.answer(h.slash(sample.Rep1, "/commission", "")); !strings.Contains(st, "2026-12") || strings.Contains(st, "Left out") {
		t.Errorf("December names November's deal:\n%s", st)
	}
}

// TestChurnOfOthersWinsRefused: a churn or a downgrade takes back what
// every won deal of the account paid, so recording one needs the right to
// change each of them, not just one deal of the account: Hugo, with his own
// open deal at Alpha, cannot claw back Léa's win; Valérie, outside the team,
// who opened a deal at Alpha too, cannot either, and is not told whose
// win it is. Léa's manager can (Valérie's won deal named Alpha Centauri is
// another account's). Léa's €2,000 stands until then.
func TestChurnOfOthersWinsRefused(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+d.ID.Ref())), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	h.seedDeal(sample.Rep2, "Alpha add-on", "Alpha")
	h.seedDeal(sample.VP, "Alpha VP", "Alpha")
	h.seedWon(sample.VP, "Alpha Centauri", "Centauri", domain.TypeNew, domain.NewDate(2026, 11, 2), 1_000, 12) // another account
	for _, tc := range []struct {
		name, text string
		user       domain.UserID
		wants      []string
	}{
		{"TeammateChurn", "churn alpha", sample.Rep2, []string{d.ID.Ref() + ", a won deal of Alpha, is <@U0REP1>'s", "Only <@U0REP1>, <@U0MGR> or an admin can record it."}},
		{"TeammateDowngrade", "downgrade alpha 1k", sample.Rep2, []string{d.ID.Ref() + ", a won deal of Alpha, is <@U0REP1>'s"}},
		{"OtherTeam", "churn alpha", sample.VP, []string{"Alpha has won deals in another team", "Only their managers or an admin can record it."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := h.answer(h.slash(tc.user, "/deal", tc.text))
			wantContains(t, got, tc.wants...)
			if tc.user == sample.VP && (strings.Contains(got, d.ID.Ref()) || strings.Contains(got, "U0REP1")) {
				t.Errorf("the refusal names a deal Valérie cannot read:\n%s", got)
			}
		})
	}
	if a, _, _ := h.store().Account(context.Background(), "alpha"); len(a.Events) != 0 {
		t.Fatalf("a refused churn was recorded: %+v", a.Events)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "To pay: €2,000")
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn alpha")), "Recorded: Alpha churned")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "clawback", "To pay: €0")
}

// TestWonDealPayLocked: once won, what a deal pays is not the owner's to
// change (r20 H3): Léa's /deal amount, type, term, ARR and lost on her
// won D-1 are refused and her €2,000 stands; her manager changes the amount to €25,000
// (10 % = €2,500); Léa still writes its next step.
func TestWonDealPayLocked(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	ref := d.ID.Ref()
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+ref)), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	// Its ARR (a downgrade takes back a share of it) and its status too:
	// losing it, then winning it again with another amount, would reprice
	// it (r20b).
	for _, text := range []string{"amount " + ref + " 900k", "type " + ref + " renewal", "term " + ref + " 24", "arr " + ref + " 2.4m", "lost " + ref + " Price"} {
		wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", text)), ref+" is won:", "so only the owner's manager (<@U0MGR>) or an admin can change it.")
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "10% of €20,000 = €2,000", "To pay: €2,000")
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "amount "+ref+" 25k")), "€25,000")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "10% of €25,000 = €2,500")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "next "+ref+" kick-off call by fri")), "kick-off call")
}

// TestWinDMOnlyToPlannedPeople: a win DMs what it earned only to the
// people it credits whom a plan covers: Marc, credited an overlay by an
// admin but under no plan, is not told "it earns you €0". By hand: D €20,000
// at 10 %: Léa €2,000, Hugo's 10 % overlay €200; the DMs go in the splits'
// order (Léa, Marc, Hugo), so once Hugo's is in, Marc's would be too.
func TestWinDMOnlyToPlannedPeople(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	ref := d.ID.Ref()
	wantContains(t, h.answer(h.slash(sample.Admin, "/deal", "split "+ref+" <@U0REP1|lea> 100 overlay <@U0MGR|marc> 10 <@U0REP2|hugo> 10")), "Splits")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+ref)), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	h.waitDM(sample.Rep2, "it earns you €200.")
	for _, m := range h.dms(sample.Manager) {
		if strings.Contains(m.Render(), "it earns you") {
			t.Errorf("Marc, under no plan, was told what the win earns him:\n%s", m.Render())
		}
	}
}

// TestLossToldToCredited: a churn or a downgrade may take back what the
// account's wins paid, so the people they credit, other than who recorded
// it, are told by DM (with commissions configured), not first by their
// statement. Léa's Alpha win is split with Hugo (and she has a second
// win there): Léa's downgrade tells Hugo, not Léa; her manager's churn
// tells both, Léa once. Without commissions: configured, nobody is told.
func TestLossToldToCredited(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	d := h.seedWon(sample.Rep1, "Alpha", "Alpha", domain.TypeNew, domain.NewDate(2026, 11, 2), 24_000, 12)
	h.seedWon(sample.Rep1, "Alpha seats", "Alpha", domain.TypeExpansion, domain.NewDate(2026, 11, 5), 6_000, 12)
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "split "+d.ID.Ref()+" <@U0REP1|lea> 60 <@U0REP2|hugo> 40")), "Splits")
	inv := h.slash(sample.Rep1, "/deal", "downgrade alpha 6k 2026-11-20")
	wantContains(t, h.answer(inv), "Recorded: Alpha downgraded")
	h.waitHandled(inv)
	h.waitDM(sample.Rep2, "<@U0REP1> recorded that Alpha cut its ARR by €6,000 on Nov 20, 2026.")
	for _, m := range h.dms(sample.Rep1) {
		if strings.Contains(m.Render(), "recorded that") {
			t.Errorf("Léa was told of her own downgrade:\n%s", m.Render())
		}
	}
	inv = h.slash(sample.Manager, "/deal", "churn alpha 2026-11-24")
	wantContains(t, h.answer(inv), "Recorded: Alpha churned")
	h.waitHandled(inv)
	h.waitDM(sample.Rep1, "<@U0MGR> recorded that Alpha churned on Nov 24, 2026.")
	h.waitDM(sample.Rep2, "<@U0MGR> recorded that Alpha churned on Nov 24, 2026.")
	n := 0
	for _, m := range h.dms(sample.Rep1) {
		if strings.Contains(m.Render(), "recorded that Alpha churned") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Léa, credited by two of Alpha's wins, was told %d times; once is enough", n)
	}

	// Someone credited but under no plan (the VP, of no team the plan
	// covers) loses nothing to a churn and is not told; credited first, so
	// once Hugo's DM is in, the VP's would be too.
	g := h.seedWon(sample.Rep1, "Gamma", "Gamma", domain.TypeNew, domain.NewDate(2026, 11, 2), 24_000, 12)
	wantContains(t, h.answer(h.slash(sample.Admin, "/deal", "split "+g.ID.Ref()+" <@U0VP|vp> 10 <@U0REP1|lea> 50 <@U0REP2|hugo> 40")), "Splits")
	inv = h.slash(sample.Manager, "/deal", "churn gamma 2026-11-24")
	wantContains(t, h.answer(inv), "Recorded: Gamma churned")
	h.waitHandled(inv)
	h.waitDM(sample.Rep2, "<@U0MGR> recorded that Gamma churned on Nov 24, 2026.")
	for _, m := range h.dms(sample.VP) {
		if strings.Contains(m.Render(), "recorded that") {
			t.Errorf("the VP, under no plan, was told of the churn:\n%s", m.Render())
		}
	}

	plain := newHarness(t)
	plain.seedWon(sample.Rep1, "Beta", "Beta", domain.TypeNew, domain.NewDate(2026, 11, 2), 24_000, 12)
	inv = plain.slash(sample.Manager, "/deal", "churn beta 2026-11-24")
	wantContains(t, plain.answer(inv), "Recorded: Beta churned")
	plain.waitHandled(inv)
	for _, m := range plain.dms(sample.Rep1) {
		if strings.Contains(m.Render(), "recorded that") {
			t.Errorf("told without commissions configured:\n%s", m.Render())
		}
	}
}

// TestCloseOutOfOrderWarns: once closing has begun, closing a month while
// an earlier one with statement lines is still open says so (its pay can
// still change under the later month's frozen draw balance); closing in
// order says nothing, nor does a first close, whatever is open before it.
// Léa wins €20,000 on Oct 10 and €20,000 on Nov 25, Hugo €10,000 on Oct 12.
func TestCloseOutOfOrderWarns(t *testing.T) {
	start := func() *harness {
		h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
		h.seedWon(sample.Rep1, "Alpha", "Alpha", domain.TypeNew, domain.NewDate(2026, 10, 10), 20_000, 0)
		h.seedWon(sample.Rep1, "Beta", "Beta", domain.TypeNew, domain.NewDate(2026, 11, 25), 20_000, 0)
		h.seedWon(sample.Rep2, "Gamma", "Gamma", domain.TypeNew, domain.NewDate(2026, 10, 12), 10_000, 0)
		h.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		return h
	}
	h := start()
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-08")), "2026-08 is closed")
	// September is open too, but without a line: only October is named, once for Léa and Hugo.
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")), "2026-11 is closed",
		"Still open before it, with statement lines: 2026-10. Their pay can still change while 2026-11 is frozen with its draw balance: close months in order.")
	if got := h.answer(h.slash(sample.Admin, "/commission", "close 2026-10")); !strings.Contains(got, "2026-10 is closed") || strings.Contains(got, "Still open") {
		t.Errorf("closing the gap warned again:\n%s", got)
	}
	h = start()
	if got := h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")); !strings.Contains(got, "2026-11 is closed") || strings.Contains(got, "Still open") {
		t.Errorf("a first close, with none before it, warned:\n%s", got)
	}
}

// TestDrawBalanceCarriesPastTheWindow: statements are computed from the
// fiscal year before the month asked, so a balance owed from before that
// would fall off as the window moves on; a close keeps it: the window
// starts at the last month closed before it. By hand, a recoverable draw of
// €1,000 a month and nothing sold: December 2026's statement (Jan 2025 to
// Dec 2026, 24 months) owes 24 × €1,000 = €24,000, frozen by its close;
// January 2028's window would start in January 2027, but starts at the
// closed December: €24,000 + 13 months (Jan 2027 to Jan 2028) × €1,000
// = €37,000 owed (€13,000 without the close carried).
func TestDrawBalanceCarriesPastTheWindow(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: month, rate: 10, draw: { amount: 1000, recoverable: true } }
`))
	h.clock.Set(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-12")), "To pay: €1,000", "Carried to next month, owed: €24,000")
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-12")), "2026-12 is closed")
	h.clock.Set(time.Date(2028, 2, 3, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2028-01")), "To pay: €1,000", "Carried to next month, owed: €37,000")
}

// TestClawbackReachesAWinBeforeTheLastClose: starting the statements at a
// close is only for closes before the usual window: a churn still takes
// back a win made before the last close. By hand: Alpha €20,000 won Oct 25
// pays Léa 10 % = €2,000 in October; November is closed (nothing in it);
// Alpha churns Dec 1, 37 days after the win: December claws back €2,000.
func TestClawbackReachesAWinBeforeTheLastClose(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	h.seedWon(sample.Rep1, "Alpha", "Alpha", domain.TypeNew, domain.NewDate(2026, 10, 25), 20_000, 0)
	h.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")), "2026-11 is closed")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "churn alpha 2026-12-01")), "Recorded: Alpha churned")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), "2026-12", "37 days after the win (window 90 days): all €2,000 paid = -€2,000")
}

// TestPlanEditDoesNotRepriceClosedMonths: a closed plan period keeps the
// plan it was closed with; the plan edited since pays from the next plan
// period on. By hand: Alpha €20,000 won Nov 25 pays Léa 10 % = €2,000 in
// November, closed on Dec 2. The rate becomes 12 % and the bot restarts:
// December (same quarter, 2026-Q4) pays no adjustment for November (it
// would be €20,000 × 2 % = €400 at today's plan); Beta €10,000 won in
// December is paid at Q4's kept 10 % = €1,000; in January (2027-Q1) Gamma
// €10,000 is paid at 12 % = €1,200.
func TestPlanEditDoesNotRepriceClosedMonths(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	h.seedWon(sample.Rep1, "Alpha", "Alpha", domain.TypeNew, domain.NewDate(2026, 11, 25), 20_000, 0)
	h.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")), "€2,000 to pay")
	cfg, err := config.Parse("test.yaml", []byte(sample.Config+"commissions:\n  - { team: France, period: quarter, rate: 12 }\n"), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	h.cfg = cfg
	h.restart()
	h.seedWon(sample.Rep1, "Beta", "Beta", domain.TypeNew, domain.NewDate(2026, 12, 1), 10_000, 0)
	h.seedWon(sample.Rep1, "Gamma", "Gamma", domain.TypeNew, domain.NewDate(2027, 1, 4), 10_000, 0)
	dec := h.answer(h.slash(sample.Rep1, "/commission", "2026-12"))
	wantContains(t, dec, "10% of €10,000 = €1,000", "To pay: €1,000")
	if strings.Contains(dec, "adjustment") {
		t.Errorf("the edited plan repriced closed November:\n%s", dec)
	}
	h.clock.Set(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2027-01")), "12% of €10,000 = €1,200")
}

// TestMonthClosedBeforePlansWereKept: a month closed by an earlier version
// kept only its plan's name; its plan period is paid by today's plan, as
// before (a name alone cannot pay). The same story as above with the
// close's kept rules removed from the file: December pays November's
// difference at 12 %, €20,000 × 2 % = €400, and Beta at 12 % = €1,200.
func TestMonthClosedBeforePlansWereKept(t *testing.T) {
	h := newHarness(t, withConfig(sample.Config+`commissions:
  - { team: France, period: quarter, rate: 10 }
`))
	h.seedWon(sample.Rep1, "Alpha", "Alpha", domain.TypeNew, domain.NewDate(2026, 11, 25), 20_000, 0)
	h.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-11")), "€2,000 to pay")
	h.shutdown()
	db, err := bbolt.Open(h.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("cm_closed"))
		var rec map[string]any
		if err := json.Unmarshal(b.Get([]byte("2026-11")), &rec); err != nil {
			return err
		}
		for _, st := range rec["statements"].(map[string]any) {
			if term, ok := st.(map[string]any)["term"].(map[string]any); ok {
				delete(term, "rules")
			}
		}
		v, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return b.Put([]byte("2026-11"), v)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("test.yaml", []byte(sample.Config+"commissions:\n  - { team: France, period: quarter, rate: 12 }\n"), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	h.cfg = cfg
	h.start()
	h.seedWon(sample.Rep1, "Beta", "Beta", domain.TypeNew, domain.NewDate(2026, 12, 1), 10_000, 0)
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-12")), "adjustment to 2026-11 (closed): now €2,400, paid €2,000 = €400",
		"12% of €10,000 = €1,200", "To pay: €1,600")
}
