package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// undoConfig is the sample team under a plan of 10 %.
const undoConfig = sample.Config + `commissions:
  - { team: France, period: quarter, rate: 10 }
`

// TestChurnUndo: a churn recorded by mistake is withdrawn by who recorded
// it (r20 H2 c), and the clawback it made is gone. By hand: Alpha €20,000
// won Nov 25 pays Léa 10 % = €2,000; her manager records a churn on Dec
// 10, which claws all of it back in December (to pay €0, €2,000 owed);
// his undo gives December back its €0 with nothing owed, and Léa is told.
// Before that: Hugo's undo is refused, and Léa's (she would give her own
// commission back), and so is an undo with a date
// after the account; after it, a second undo finds nothing, as does a
// downgrade's undo; the churn stays on Alpha's record as withdrawn.
func TestChurnUndo(t *testing.T) {
	h := newHarness(t, withConfig(undoConfig))
	d := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	ref := d.ID.Ref()
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "won "+ref)), "Won")
	h.waitDM(sample.Rep1, "it earns you €2,000.")
	h.clock.Set(time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn Alpha 2026-12-10 closed down")), "Recorded: Alpha churned on Dec 10, 2026")
	h.waitDM(sample.Rep1, "<@U0MGR> recorded that Alpha churned on Dec 10, 2026.")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")),
		ref+" · clawback: the customer left Dec 10, 2026, 15 days after the win (window 90 days): all €2,000 paid = -€2,000",
		"To pay: €0", "Carried to next month, owed: €2,000")

	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "churn alpha undo")),
		"Only <@U0REP1>, <@U0MGR> can record what Alpha took away")
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn alpha 2026-12-10 undo")),
		"To withdraw Alpha's last churn, type /deal churn Alpha undo, with nothing between the account and undo.")
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "downgrade alpha undo")), "Alpha has no downgrade recorded to undo.")
	// Léa owns the won deal the churn took her commission back on: giving
	// it back is her manager's, not hers (r20b).
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "churn alpha undo")),
		"Withdrawing a loss of Alpha gives back the commission it took on "+ref+", a won deal: only its owner's manager (<@U0MGR>) or an admin can.")
	if a, _, _ := h.store().Account(context.Background(), "alpha"); len(a.Events) != 1 || len(a.Withdrawn) != 0 {
		t.Fatalf("a refused undo changed Alpha: events %+v, withdrawn %+v", a.Events, a.Withdrawn)
	}

	inv := h.slash(sample.Manager, "/deal", "churn Alpha UNDO")
	wantContains(t, h.answer(inv), "Withdrawn: Alpha's churn on Dec 10, 2026 (€0 ARR), recorded by <@U0MGR>.",
		"It stays on the account's record as withdrawn; retention and commissions no longer count it.")
	h.waitHandled(inv)
	h.waitDM(sample.Rep1, "<@U0MGR> withdrew the churn of Alpha on Dec 10, 2026, recorded by mistake: any clawback it made on your commission is cancelled")
	st := h.answer(h.slash(sample.Rep1, "/commission", ""))
	wantContains(t, st, "Commission statement of <@U0REP1>, 2026-12", "To pay: €0")
	if strings.Contains(st, "clawback") || strings.Contains(st, "owed: €2,000") {
		t.Errorf("the withdrawn churn still claws back:\n%s", st)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-11")), "= €2,000", "To pay: €2,000")

	a, _, err := h.store().Account(context.Background(), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Events) != 0 || len(a.Withdrawn) != 1 || a.Withdrawn[0].Kind != domain.EventChurn ||
		a.Withdrawn[0].By != sample.Manager || a.Withdrawn[0].WithdrawnBy != sample.Manager || a.Withdrawn[0].Reason != "closed down" {
		t.Errorf("Alpha after the undo: events %+v, withdrawn %+v; want the churn kept as withdrawn by Claire", a.Events, a.Withdrawn)
	}
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn alpha undo")), "Alpha has no churn recorded to undo.")
	// Withdrawn, it no longer makes Alpha "already churned".
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn alpha 2026-12-11")), "Recorded: Alpha churned on Dec 11, 2026")
}

// TestUndoNeedsTheRightToRecord: the undo is allowed to exactly who may
// record the loss. Beta has only an open deal (nothing to claw back): Léa
// churns it by mistake; Hugo, who may change none of Beta's deals, cannot
// undo it (canChangeAccount). Gamma is Léa's win: Hugo, with an open deal
// of his own there, may change one of its deals but not her win, so he can
// neither record nor undo its downgrade (canClawBack); Valérie, of another
// team, does not see Gamma at all. Her manager can, and Léa is told;
// December's GRR goes from 75 % (€6,000 of €24,000 lost) back to 100 %.
func TestUndoNeedsTheRightToRecord(t *testing.T) {
	h := newHarness(t, withConfig(undoConfig))
	h.seedDeal(sample.Rep1, "Beta", "Beta")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "churn beta")), "Recorded: Beta churned")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "churn beta undo")), "Only <@U0REP1>, <@U0MGR> can record what Beta took away")
	if a, _, _ := h.store().Account(context.Background(), "beta"); len(a.Events) != 1 {
		t.Fatalf("Hugo's refused undo withdrew Beta's churn: %+v", a)
	}

	g := h.seedWon(sample.Rep1, "Gamma", "Gamma", domain.TypeNew, domain.NewDate(2026, 11, 20), 24_000, 12)
	h.seedDeal(sample.Rep2, "Gamma add-on", "Gamma")
	h.clock.Set(time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "downgrade gamma 6k 2026-12-10")), "Recorded: Gamma downgraded on Dec 10, 2026 by €6,000 ARR")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "")), g.ID.Ref()+" · clawback: the customer downgraded Dec 10, 2026")
	wantContains(t, h.answer(h.slash(sample.Manager, "/pipeline", "retention 2026-12")), "GRR 75% · NRR 75% · churn €0 · downgrades €6,000")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "downgrade gamma undo")),
		g.ID.Ref()+", a won deal of Gamma, is <@U0REP1>'s", "Only <@U0REP1>, <@U0MGR> or an admin can record it.")
	wantContains(t, h.answer(h.slash(sample.VP, "/deal", "downgrade gamma undo")), "There is no account 'gamma' among the deals you can see.")
	if a, _, _ := h.store().Account(context.Background(), "gamma"); len(a.Events) != 1 || len(a.Withdrawn) != 0 {
		t.Fatalf("a refused undo withdrew Gamma's downgrade: %+v", a)
	}

	inv := h.slash(sample.Manager, "/deal", "downgrade gamma undo")
	wantContains(t, h.answer(inv), "Withdrawn: Gamma's downgrade on Dec 10, 2026 by €6,000 ARR, recorded by <@U0REP1>.")
	h.waitHandled(inv)
	h.waitDM(sample.Rep1, "<@U0MGR> withdrew the downgrade of Gamma by €6,000 on Dec 10, 2026, recorded by mistake")
	wantContains(t, h.answer(h.slash(sample.Manager, "/pipeline", "retention 2026-12")), "GRR 100% · NRR 100% · churn €0 · downgrades €0")
	if st := h.answer(h.slash(sample.Rep1, "/commission", "")); strings.Contains(st, "clawback") {
		t.Errorf("the withdrawn downgrade still claws back:\n%s", st)
	}
}

// TestChurnUndoAfterClose: a churn whose clawback is in a month already
// closed is withdrawn without rewriting that month: the next open month
// pays it back as an adjustment. By hand: Alpha €20,000 won Nov 25 pays
// Léa €2,000 in November; the Dec 10 churn claws it back in December,
// closed on Jan 4 with €2,000 owed; the undo on Jan 5 makes December
// €0 now against -€2,000 paid: January adjusts +€2,000, which clears
// the €2,000 owed (to pay €0, nothing carried), and December still shows
// its clawback as frozen.
func TestChurnUndoAfterClose(t *testing.T) {
	h := newHarness(t, withConfig(undoConfig))
	d := h.seedWon(sample.Rep1, "Alpha", "Alpha", domain.TypeNew, domain.NewDate(2026, 11, 25), 20_000, 0)
	h.clock.Set(time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn alpha 2026-12-10")), "Recorded: Alpha churned")
	h.clock.Set(time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Admin, "/commission", "close 2026-12")), "2026-12 is closed")
	h.clock.Set(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC))
	wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "churn alpha undo")), "Withdrawn: Alpha's churn on Dec 10, 2026")
	wantContains(t, h.answer(h.slash(sample.Rep1, "/commission", "2026-12")), d.ID.Ref()+" · clawback", "= -€2,000", "Carried to next month, owed: €2,000")
	st := h.answer(h.slash(sample.Rep1, "/commission", "2027-01"))
	wantContains(t, st, d.ID.Ref()+" · adjustment to 2026-12 (closed): now €0, paid -€2,000 = €2,000",
		"Owed from before: €2,000; recovered this month: €2,000", "To pay: €0")
}
