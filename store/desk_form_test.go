package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// ownersOnly is an org where only a deal's owner may change it.
type ownersOnly struct{}

func (ownersOnly) IsAdmin(domain.UserID) bool               { return false }
func (ownersOnly) ManagersOf(domain.UserID) []domain.UserID { return nil }
func (ownersOnly) Knows(domain.UserID) bool                 { return true }

// TestSaveDeskRequestForm: the request form is applied in the write
// transaction on the deal as stored, and saved once per submission key,
// new or revision; a refused form saves nothing.
func TestSaveDeskRequestForm(t *testing.T) {
	ctx := context.Background()
	form := func(deal domain.DealID, opened uint64, pct string, revises uint64) desk.RequestForm {
		return desk.RequestForm{
			Submission: domain.Submission{Values: map[domain.Field]string{desk.FieldDiscount: pct, desk.FieldJustification: "Rival"},
				Opened: opened, By: "U1"},
			Deal: deal, Revises: revises, Org: ownersOnly{}, Locale: i18n.EN, Policy: deskPolicy(), Manager: "UMGR", Now: t0,
		}
	}
	t.Run("NewOncePerKey", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		first, _, again, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "25", 0), "view:A")
		if err != nil || first.ID == 0 || first.ListAmount != d.Amount || again {
			t.Fatalf("first: %+v again %v, %v", first, again, err)
		}
		// Redelivered, after a change of the deal that would refuse it
		// now: the first answer, nothing saved twice.
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, "U1", func(x *domain.Deal) error { x.Amount = 9_900_000; return nil }); err != nil {
			t.Fatal(err)
		}
		got, _, _, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "25", 0), "view:A")
		if err != nil || got.ID != first.ID {
			t.Fatalf("redelivery: %+v, %v; want request %d", got, err, first.ID)
		}
		if n := len(mustRequests(t, db, d.ID)); n != 1 {
			t.Errorf("%d requests saved; want 1", n)
		}
		// Another submission is applied, and refused on the version.
		var c *domain.Conflict
		if _, _, _, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "25", 0), "view:B"); !errors.As(err, &c) {
			t.Fatalf("another submission on the old version: %v; want a conflict", err)
		}
	})
	t.Run("RefusedSavesNothing", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		f := form(d.ID, 1, "25", 0)
		f.By = "U2" // not the owner
		if _, _, _, err := db.SaveDeskRequestForm(ctx, f, "view:A"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("someone else's deal: %v", err)
		}
		if _, _, _, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "0", 0), "view:A"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("no discount: %v", err)
		}
		if _, _, _, err := db.SaveDeskRequestForm(ctx, form(d.ID+1, 1, "25", 0), "view:A"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("no such deal: %v", err)
		}
		if n := len(mustRequests(t, db, d.ID)); n != 0 {
			t.Fatalf("%d requests saved by refused forms", n)
		}
		// The key of a refused submission is not spent.
		if r, _, _, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "25", 0), "view:A"); err != nil || r.ID == 0 {
			t.Fatalf("the same key, now valid: %+v, %v", r, err)
		}
	})
	t.Run("RevisionOncePerKey", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		r, _, _, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "25", 0), "view:A")
		if err != nil {
			t.Fatal(err)
		}
		sendBack(t, db, r.ID)
		if _, _, again, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "20", r.ID), ""); err == nil || again {
			t.Fatalf("a revision without a key: again %v, %v", again, err)
		}
		first, _, again, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "20", r.ID), "view:B")
		if err != nil || again || first.Revision != 2 || first.DiscountBP != 2000 || first.Status != desk.StatusPending {
			t.Fatalf("revision: %+v again %v, %v", first, again, err)
		}
		got, _, again, err := db.SaveDeskRequestForm(ctx, form(d.ID, 1, "20", r.ID), "view:B")
		if err != nil || !again || got.Version != first.Version || got.Revision != 2 {
			t.Fatalf("redelivered revision: %+v again %v, %v", got, again, err)
		}
		// A request revised by the form of another deal is refused.
		other := mustCreate(t, db, newDeal("Bolt", "Bolt", "U1", "2026-03-31", ""), "U1")
		if _, _, _, err := db.SaveDeskRequestForm(ctx, form(other.ID, 1, "20", r.ID), "view:C"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("revision from another deal's form: %v", err)
		}
		if saved, _, _ := db.DeskRequest(ctx, r.ID); saved.Version != first.Version || saved.Deal != d.ID {
			t.Errorf("request %+v after a refused revision", saved)
		}
	})
}

// anyone is an org where everyone may change every deal.
type anyone struct{}

func (anyone) IsAdmin(domain.UserID) bool               { return true }
func (anyone) ManagersOf(domain.UserID) []domain.UserID { return nil }
func (anyone) Knows(domain.UserID) bool                 { return true }

// savePlanForm submits p, as written in the plan form opened on version
// opened of deal's plan, by by.
func savePlanForm(ctx context.Context, db *DB, deal domain.DealID, opened uint64, p desk.Plan, by domain.UserID, key string) error {
	_, _, err := db.SavePlanForm(ctx, desk.PlanForm{
		Submission: domain.Submission{Values: map[domain.Field]string{desk.FieldPlan: desk.FormatPlan(p)}, Opened: opened, By: by},
		Deal:       deal, Org: anyone{}, Locale: i18n.EN, Now: t0,
	}, key)
	return err
}

// TestSavePlanFormAnswersAgain: a redelivered plan form saves nothing and
// gets the plan it saved the first time, even after a later save; a key
// recorded before keys kept the plan gets the plan as stored.
func TestSavePlanFormAnswersAgain(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(time.Minute))
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	form := func(text string, opened uint64) desk.PlanForm {
		return desk.PlanForm{
			Submission: domain.Submission{Values: map[domain.Field]string{desk.FieldPlan: text}, Opened: opened, By: "U1"},
			Deal:       d.ID, Org: ownersOnly{}, Locale: i18n.EN, Now: t0,
		}
	}
	first, deal, err := db.SavePlanForm(ctx, form("2026-12-01 | customer | Review", 1), "view:A")
	if err != nil || len(first.Milestones) != 1 || deal == nil || deal.ID != d.ID {
		t.Fatalf("first: %+v %v, %v", first, deal, err)
	}
	if _, _, err := db.SavePlanForm(ctx, form("2026-12-01 | customer | Review | done\n2026-12-02 | ours | Order", 2), "view:B"); err != nil {
		t.Fatal(err)
	}
	again, deal, err := db.SavePlanForm(ctx, form("2026-12-01 | customer | Review", 1), "view:A")
	if err != nil || !reflect.DeepEqual(again, first) || deal == nil || deal.ID != d.ID {
		t.Fatalf("redelivery: %+v %v, %v; want %+v", again, deal, err, first)
	}
	if _, v, _ := db.PlanVersion(ctx, d.ID); v != 3 {
		t.Errorf("plan version %d after a redelivery; want 3", v)
	}
	// A key as SavePlanOpened recorded it, without the plan.
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		v, err := encodeKey(d.ID, t0)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketCreateKeys).Put([]byte(planKeyPrefix+"view:old"), v)
	}); err != nil {
		t.Fatal(err)
	}
	old, _, err := db.SavePlanForm(ctx, form("2026-12-01 | customer | Review", 1), "view:old")
	if err != nil || len(old.Milestones) != 2 {
		t.Fatalf("an older key's redelivery: %+v, %v; want the plan as stored", old, err)
	}
	// A refused form spends no key and saves nothing.
	if _, _, err := db.SavePlanForm(ctx, form("2026-12-01 | partner | Review", 3), "view:C"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a plan with an unknown side: %v", err)
	}
	f := form("2026-12-01 | customer | Review", 3)
	f.By = "U2"
	if _, _, err := db.SavePlanForm(ctx, f, "view:C"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("someone else's deal: %v", err)
	}
	if _, _, err := db.SavePlanForm(ctx, form("2026-12-01 | customer | Review", 3), "view:C"); err != nil {
		t.Fatalf("the same key, now valid: %v", err)
	}
	if _, _, err := db.SavePlanForm(ctx, form("2026-12-01 | customer | Review", 1), ""); err == nil {
		t.Fatal("a form without a key was saved")
	}
}

// managedByUMGR is an org where every rep's manager is UMGR, as
// newRequest's chains were made.
type managedByUMGR struct{ ownersOnly }

func (managedByUMGR) ManagersOf(domain.UserID) []domain.UserID { return []domain.UserID{"UMGR"} }

// sendBack has UMGR send request id back for changes.
func sendBack(t *testing.T, db *DB, id uint64) {
	t.Helper()
	if _, _, err := db.UpdateDeskRequest(context.Background(), id, 0, func(x *desk.Request) error {
		return x.Decide("UMGR", desk.Changes, "shorter", t0.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
}
