package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// TestSaveDeskDecisionOncePerKey: a decision made in a form is saved once
// per submission key; the same key again saves nothing and gets the
// request as the first submission saved it (not as it stands now), with
// again set; a refused submission is not recorded, so it can be sent again.
// Without a key (a button) each call decides.
func TestSaveDeskDecisionOncePerKey(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	r, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
	if err != nil {
		t.Fatal(err)
	}
	decide := func(by domain.UserID, v desk.Verdict) desk.DecisionForm {
		return desk.DecisionForm{By: by, Verdict: v, Comment: "why", Policy: deskPolicy(), Org: managedByUMGR{}, Now: t0.Add(time.Hour)}
	}
	// Refused (not the manager's turn's holder): nothing recorded.
	if _, _, _, again, err := db.SaveDeskDecision(ctx, r.ID, decide("UFIN", desk.Approve), "V1/a"); domain.ErrorCode(err) != domain.EFORBIDDEN || again {
		t.Fatalf("wrong approver: again %v, %v", again, err)
	}
	first, _, _, again, err := db.SaveDeskDecision(ctx, r.ID, decide("UMGR", desk.Approve), "V1/a")
	if err != nil || again || first.Version != 2 || len(first.Decisions) != 1 {
		t.Fatalf("first = %+v, again %v, %v", first, again, err)
	}
	// The request moves on (the vp sends it back, by a button) before the
	// redelivery.
	if _, _, _, again, err := db.SaveDeskDecision(ctx, r.ID, decide("UVP", desk.Changes), ""); err != nil || again {
		t.Fatal(again, err)
	}
	dup, _, changes, again, err := db.SaveDeskDecision(ctx, r.ID, decide("UMGR", desk.Approve), "V1/a")
	if err != nil || !again || changes != nil {
		t.Fatalf("redelivery: again %v, changes %v, %v", again, changes, err)
	}
	if !reflect.DeepEqual(dup, first) {
		t.Errorf("redelivery got\n%+v\nwant the request as the first submission saved it\n%+v", dup, first)
	}
	now, _, err := db.DeskRequest(ctx, r.ID)
	if err != nil || now.Version != 3 || len(now.Decisions) != 2 {
		t.Errorf("the redelivery changed the request: %+v, %v", now, err)
	}
	// The same key names one request only.
	d2 := mustCreate(t, db, newDeal("Beta", "Beta", "U1", "2026-03-31", ""), "U1")
	r2, err := db.CreateDeskRequest(ctx, newRequest(t, d2.ID, 2500), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := db.SaveDeskDecision(ctx, r2.ID, decide("UMGR", desk.Approve), "V1/a"); err == nil {
		t.Error("a submission key of request 1 was taken for request 2")
	}
}

// TestPruneSubmissions: the keys recorded for form submissions are
// forgotten after the window, so a redelivery then is no longer recognised,
// the unprefixed keys of CreateDeal and CreateDealForm (a new-deal form's
// view id) too; younger ones of each kind are kept.
func TestPruneSubmissions(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1", "sample:1")
	if err != nil {
		t.Fatal(err)
	}
	plan := func(what string) desk.Plan {
		return desk.Plan{Milestones: []desk.Milestone{{What: what, Side: desk.Customer, Due: domain.NewDate(2026, 3, 1)}}}
	}
	if err := savePlanForm(ctx, db, d.ID, 1, plan("old"), "U1", "V1/a"); err != nil {
		t.Fatal(err)
	}
	r, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "V2")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := db.SaveDeskDecision(ctx, r.ID, desk.DecisionForm{By: "UMGR", Verdict: desk.Changes, Comment: "why",
		Policy: deskPolicy(), Org: managedByUMGR{}, Now: t0}, "V3/c"); err != nil {
		t.Fatal(err)
	}
	// A new-deal form's key has no prefix: its view id.
	formDeal, err := db.CreateDeal(ctx, newDeal("Old form", "Form", "U1", "2026-03-31", ""), "U1", "V5")
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(48 * time.Hour)
	if err := savePlanForm(ctx, db, d.ID, 2, plan("new"), "U1", "V4/d"); err != nil {
		t.Fatal(err)
	}
	young, err := db.CreateDeal(ctx, newDeal("New form", "Form", "U1", "2026-03-31", ""), "U1", "V6")
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.PruneSubmissions(t0.Add(24 * time.Hour))
	if err != nil || n != 5 {
		t.Fatalf("PruneSubmissions = %d, %v; want 5 (plan, desk request, desk form, CreateDeal's, the old new-deal form's)", n, err)
	}
	// The younger new-deal form's key is still recognised.
	if again, err := db.CreateDeal(ctx, newDeal("New form", "Form", "U1", "2026-03-31", ""), "U1", "V6"); err != nil || again.ID != young.ID {
		t.Errorf("the younger new-deal form's key was pruned: %v, %v", again, err)
	}
	// The older one is not: a submission under it now creates a deal.
	if again, err := db.CreateDeal(ctx, newDeal("Old form", "Form", "U1", "2026-03-31", ""), "U1", "V5"); err != nil || again.ID == formDeal.ID {
		t.Errorf("the old new-deal form's key was kept: %v, %v", again, err)
	}
	// The younger plan submission is still recognised: its redelivery saves nothing and succeeds.
	if err := savePlanForm(ctx, db, d.ID, 2, plan("new"), "U1", "V4/d"); err != nil {
		t.Errorf("the younger submission's redelivery: %v", err)
	}
	// The pruned one is not: it is held to the version it was opened on.
	if err := savePlanForm(ctx, db, d.ID, 1, plan("old"), "U1", "V1/a"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("the pruned submission's redelivery: %v, want a conflict", err)
	}
	if n, err := db.PruneSubmissions(t0.Add(24 * time.Hour)); err != nil || n != 0 {
		t.Errorf("second PruneSubmissions = %d, %v; want 0", n, err)
	}
}
