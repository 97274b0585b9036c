package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// seedWon stores a won deal of owner with a recurring value (euros) and a
// term, won (closed) on closed.
func (h *harness) seedWon(owner domain.UserID, name, account string, typ domain.DealType, closed domain.Date, arrEUR int64, term int) *domain.Deal {
	h.t.Helper()
	d, err := h.store().CreateDeal(context.Background(), &domain.Deal{
		Name: name, Account: account, Owner: owner, Amount: arrEUR * 100, Currency: "EUR",
		Stage: "Closing", Category: domain.Commit, CloseDate: closed, Status: domain.Won,
		Type: typ, Recurring: arrEUR * 100, TermMonths: term,
	}, owner, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// guest is in the workspace but not in dealpilot's configuration.
const guest domain.UserID = "U0GUEST"

// TestChurnDowngradeRetention records churn and a downgrade through Slack
// and reads them back in /pipeline retention. Today is 2026-11-25; by hand:
//
//	D-1 Acme    (Léa)  new       won 2026-09-01  ARR 24,000  term 12
//	D-2 Acme    (Léa)  expansion won 2026-11-02  ARR  6,000
//	D-3 Globex  (Hugo) new       won 2025-12-20  ARR 12,000  term 12 (ends 2026-12-20: due in 25 days)
//	Acme churns on 2026-11-20: 30,000 lost; D-1 won 80 days before, D-2 18: both hollow.
//	Globex downgrades by 2,000 on 2026-11-24: keeps 10,000.
//	2026-Q4 so far (Oct 1 to Nov 25): starting ARR 24,000 + 12,000 = 36,000 (2 customers);
//	churn 30,000, downgrades 2,000, expansion 6,000 (D-2);
//	GRR = (36,000 − 30,000 − 2,000) ÷ 36,000 = 4,000 ÷ 36,000 = 11.11 %;
//	NRR = (4,000 + 6,000) ÷ 36,000 = 27.78 %.
func TestChurnDowngradeRetention(t *testing.T) {
	h := newHarness(t, withPeople(slacktest.User{ID: string(guest), Name: "guest", RealName: "Gus Guest", TZ: "Europe/Paris"}))
	h.seedWon(sample.Rep1, "Acme platform", "Acme", domain.TypeNew, domain.NewDate(2026, 9, 1), 24_000, 12)
	h.seedWon(sample.Rep1, "Acme more seats", "ACME", domain.TypeExpansion, domain.NewDate(2026, 11, 2), 6_000, 0)
	h.seedWon(sample.Rep2, "Globex suite", "Globex", domain.TypeNew, domain.NewDate(2025, 12, 20), 12_000, 12)

	steps := []struct {
		name  string
		user  domain.UserID
		cmd   string
		text  string
		wants []string
	}{
		{"Stranger", guest, "/deal", "churn acme", []string{"You are not in any team"}},
		{"OutsideTheTeam", sample.VP, "/deal", "churn acme", []string{"There is no account 'acme' among the deals you can see."}},
		{"TeammateRefused", sample.Rep2, "/deal", "churn acme", []string{"can record what Acme took away", "<@U0REP1>", "<@U0MGR>"}},
		{"UnknownSuggested", sample.Rep1, "/deal", "churn acm corp", []string{"There is no account 'acm corp'", "Did you mean: Acme?"}},
		{"Unknown", sample.Rep1, "/deal", "churn initech", []string{"There is no account 'initech' among the deals you can see."}},
		{"ChurnReasonTooLong", sample.Rep1, "/deal", "churn acme 2026-11-20 " + strings.Repeat("x", domain.MaxTextLen+1), []string{"is too long: keep it under 2000 characters"}},
		{"OwnerOK", sample.Rep1, "/deal", "churn acme 2026-11-20 budget cut", []string{
			"Recorded: Acme churned on Nov 20, 2026; recurring revenue lost: €30,000 ARR.",
			"D-1 was won 80 days before: a hollow win.", "D-2 was won 18 days before: a hollow win."}},
		{"AlreadyChurned", sample.Manager, "/deal", "churn acme", []string{"Acme has already churned"}},
		{"DowngradeTeammateRefused", sample.Rep2, "/deal", "downgrade acme 1k", []string{"can record what Acme took away", "<@U0REP1>", "<@U0MGR>"}},
		{"DowngradeUsage", sample.Rep2, "/deal", "downgrade globex", []string{"How much ARR is lost?"}},
		{"DowngradeReasonTooLong", sample.Rep2, "/deal", "downgrade globex 2k 2026-11-24 " + strings.Repeat("x", domain.MaxTextLen+1), []string{"is too long: keep it under 2000 characters"}},
		{"DowngradeTooBig", sample.Rep2, "/deal", "downgrade globex 50k", []string{"Globex cannot lose €50,000: its ARR on Nov 25, 2026 is €12,000."}},
		{"DowngradeOK", sample.Rep2, "/deal", "downgrade Globex 2k 2026-11-24 fewer seats", []string{"Recorded: Globex downgraded on Nov 24, 2026 by €2,000 ARR; it keeps €10,000."}},
		{"RetentionTeam", sample.Manager, "/pipeline", "retention 2026-Q4", []string{
			"Retention · team France · Oct 1, 2026 to Nov 25, 2026",
			"team France · starting ARR €36,000 (2 customers) · GRR 11.11% · NRR 27.78% · churn €30,000 · downgrades €2,000 · expansion €6,000",
			"Hollow wins (2)", "D-1 · Acme · <@U0REP1> · won Sep 1, 2026, churned Nov 20, 2026 (80 days) · ARR €24,000",
			"D-2 · ACME · <@U0REP1> · won Nov 2, 2026, churned Nov 20, 2026 (18 days) · ARR €6,000",
			"GRR = (starting ARR − churn − downgrades)"}},
		{"RetentionRepOwn", sample.Rep2, "/pipeline", "retention", []string{
			"starting ARR €12,000 (1 customers) · GRR 83.33% · NRR 83.33%", "No hollow win"}},
		{"RetentionAdmin", sample.Admin, "/pipeline", "retention", []string{"all teams · starting ARR €36,000", "team France · starting ARR €36,000"}},
		{"RetentionStranger", guest, "/pipeline", "retention", []string{"You are not in any team"}},
		{"RetentionOutsideTheTeam", sample.VP, "/pipeline", "retention", []string{"<@U0VP> · no recurring revenue at the start of the period"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(s.user, s.cmd, s.text)), s.wants...)
		})
	}
	// Outside the team, words like one of its accounts suggest nothing:
	// account names are the team's to see.
	if got := h.answer(h.slash(sample.VP, "/deal", "churn acm corp")); strings.Contains(got, "Acme") || !strings.Contains(got, "There is no account 'acm corp'") {
		t.Errorf("someone outside the team was answered:\n%s", got)
	}
	a, ok, err := h.store().Account(context.Background(), "acme")
	if err != nil || !ok || len(a.Events) != 1 || a.Events[0].Amount != 30_000_00 || a.Events[0].By != sample.Rep1 || a.Events[0].Reason != "budget cut" {
		t.Errorf("Acme's record: %+v, %v, %v; want one churn of €30,000 by Léa, budget cut", a, ok, err)
	}
}

// TestRenewalDueHomeAndReminder: a won deal whose term ends in 25 days is
// on its owner's App Home and in their reminder, once.
func TestRenewalDueHomeAndReminder(t *testing.T) {
	h := newHarness(t)
	h.seedWon(sample.Rep2, "Globex suite", "Globex", domain.TypeNew, domain.NewDate(2025, 12, 20), 12_000, 12)
	// A teammate's contract at the same customer, due too: Léa's, not Hugo's.
	h.seedWon(sample.Rep1, "Globex support", "Globex", domain.TypeNew, domain.NewDate(2025, 12, 27), 2_000, 12)
	home, err := h.srv.AppHomeOpened(string(sample.Rep2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := home.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { _, ok := st.HomeViews[string(sample.Rep2)]; return ok }); err != nil {
		t.Fatalf("no App Home published: %v", err)
	}
	hv, _ := h.srv.HomeView(string(sample.Rep2))
	wantContains(t, hv.Render(), "Renewals due in the next 90 days", "D-1 Globex suite · Globex · ARR €12,000 · the term ends Dec 20, 2026 (in 25 days)")
	if strings.Contains(hv.Render(), "Globex support") {
		t.Errorf("Hugo's App Home lists Léa's renewal:\n%s", hv.Render())
	}

	h.tick()
	dms := h.dms(sample.Rep2)
	if len(dms) != 1 {
		t.Fatalf("%d DMs to Hugo; want one reminder", len(dms))
	}
	wantContains(t, dms[0].Render(), "Renewal due: Globex's contract (ARR €12,000) ends Dec 20, 2026, in 25 days.")
	h.tickAt(now.AddDate(0, 0, 1))
	if n := len(h.dms(sample.Rep2)); n != 1 {
		t.Errorf("%d DMs to Hugo the next day; the renewal was told already", n)
	}
}

// TestContractQuickCommands: /deal type, term and arr set the deal's
// contract, its card shows it, a bad value is refused and changes nothing.
func TestContractQuickCommands(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeal(sample.Rep1, "Cave Dumas renewal", "Cave Dumas")
	ref := d.ID.Ref()
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "type "+ref+" renewal")), "Deal type: — → renewal")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "term cave dumas 2y")), "Contract term (months): — → 24 months")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "arr "+ref+" 24k")), "Recurring value (ARR): — → €24,000",
		"renewal · term 24 months · ARR €24,000 (MRR €2,000)")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "term "+ref+" forever")), "is not a number of months from 1 to 120")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "type "+ref+" churn")), "'churn' is not a deal type")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "arr "+ref+" 1k")), "Only <@U0REP1>")
	if got := h.deal(d.ID); got.Type != domain.TypeRenewal || got.TermMonths != 24 || got.Recurring != 24_000_00 {
		t.Errorf("deal = %+v; want a renewal of 24 months at €24,000", got)
	}
}

// TestHollowChurnInMondaySummary: a customer who churned within 90 days of
// the win makes it a hollow win in the manager's Monday summary, under the
// scorecard, as /pipeline retention lists it. The summary of Monday Nov 30
// covers Sep 2 to Nov 30; by hand:
//
//	D-1 Acme      won Sep 1, churned Nov 20 (/deal churn): 80 days: hollow
//	D-2 Globex    won 2025-12-20, churned Nov 24: 339 days: not hollow
//	D-3 Initech   won Nov 2, downgraded Nov 10: a downgrade is not a churn
//	D-4 Umbrella  won Aug 1, churned Aug 20: 19 days, but before the period
func TestHollowChurnInMondaySummary(t *testing.T) {
	h := newHarness(t)
	acme := h.seedWon(sample.Rep1, "Acme platform", "Acme", domain.TypeNew, domain.NewDate(2026, 9, 1), 24_000, 12)
	h.seedWon(sample.Rep2, "Globex suite", "Globex", domain.TypeNew, domain.NewDate(2025, 12, 20), 12_000, 12)
	h.seedWon(sample.Rep2, "Initech seats", "Initech", domain.TypeNew, domain.NewDate(2026, 11, 2), 6_000, 12)
	h.seedWon(sample.Rep1, "Umbrella pilot", "Umbrella", domain.TypeNew, domain.NewDate(2026, 8, 1), 3_000, 12)
	for _, s := range []struct {
		user domain.UserID
		text string
	}{
		{sample.Rep1, "churn acme 2026-11-20 budget cut"},
		{sample.Rep2, "churn globex 2026-11-24"},
		{sample.Rep2, "downgrade initech 1k 2026-11-10"},
		{sample.Rep1, "churn umbrella 2026-08-20"},
	} {
		wantContains(t, h.answer(h.slash(s.user, "/deal", s.text)), "Recorded")
	}
	h.tickAt(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	h.tickAt(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	msgs := h.dms(sample.Manager)
	if len(msgs) != 1 {
		t.Fatalf("%d summaries, want 1", len(msgs))
	}
	got := msgs[0].Render()
	wantContains(t, got, "Hollow wins (1): customers who churned within 90 days of the win",
		acme.ID.Ref()+" · Acme · <@U0REP1> · won Sep 1, 2026, churned Nov 20, 2026 (80 days) · ARR €24,000")
	for _, not := range []string{"Globex", "Initech", "Umbrella", "Hooli"} {
		if strings.Contains(got, not) {
			t.Errorf("the summary names %s as a hollow win:\n%s", not, got)
		}
	}
}

// TestHollowChurnsBounded: a summary lists at most 20 hollow wins, then
// says how many more (21 deals of one customer won in November, churned on
// Nov 27); a churn recorded ahead, for a day after the summary's, is not
// one yet.
func TestHollowChurnsBounded(t *testing.T) {
	h := newHarness(t)
	for i := range 21 {
		h.seedWon(sample.Rep1, fmt.Sprintf("Hooli %d", i+1), "Hooli", domain.TypeNew, domain.NewDate(2026, 11, 1+i), 1_000, 12)
	}
	h.seedWon(sample.Rep2, "Pied Piper", "Pied Piper", domain.TypeNew, domain.NewDate(2026, 11, 2), 1_000, 12)
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "churn hooli 2026-11-27")), "Recorded")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "churn pied piper 2026-12-15 notice given")), "Recorded")
	h.tickAt(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	h.tickAt(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	msgs := h.dms(sample.Manager)
	if len(msgs) != 1 {
		t.Fatalf("%d summaries, want 1", len(msgs))
	}
	got := msgs[0].Render()
	wantContains(t, got, "Hollow wins (21)", "D-20 · Hooli", "…and 1 more.")
	if strings.Contains(got, "D-21 · Hooli") || strings.Contains(got, "Pied Piper") {
		t.Errorf("the summary lists more than 20, or a churn to come:\n%s", got)
	}
}
