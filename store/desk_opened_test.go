package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// TestDeskRequestOnTheDealVersionOpened: a discount request, and each
// revision of it, is made from a form opened on a version of the deal; the
// write transaction refuses any other (0 included), naming the changes.
func TestDeskRequestOnTheDealVersionOpened(t *testing.T) {
	ctx := context.Background()
	draft := func(deal domain.DealID, version uint64) desk.Draft {
		return desk.Draft{Deal: deal, Requester: "U1", DiscountBP: 2500, ListAmount: 4_800_000, Currency: "EUR",
			Justification: "Rival", DealVersion: version}
	}
	create := func(t *testing.T, db *DB, d *domain.Deal, version uint64, key string) (*desk.Request, error) {
		t.Helper()
		r, err := desk.NewRequest(deskPolicy(), draft(d.ID, version), "UMGR", t0)
		if err != nil {
			t.Fatal(err)
		}
		return db.CreateDeskRequest(ctx, r, key)
	}
	changeAmount := func(t *testing.T, db *DB, d *domain.Deal) {
		t.Helper()
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, "UMGR", func(x *domain.Deal) error { x.Amount = 9_900_000; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	isConflict := func(err error) bool {
		var c *domain.Conflict
		return errors.As(err, &c) && len(c.Changes) == 1 && c.Changes[0].By == "UMGR" && c.Changes[0].Field == domain.FieldAmount
	}
	isNoVersion := func(err error) bool {
		var e *domain.Error
		return errors.As(err, &e) && e.Key == "form.no_version"
	}

	t.Run("Create", func(t *testing.T) {
		tests := []struct {
			name    string
			changed bool   // the amount changed after the form was opened
			version uint64 // the version the form says; 0 for none
			ok      func(error) bool
		}{
			{"OnItsVersion", false, 1, func(err error) bool { return err == nil }},
			{"NoVersion", false, 0, isNoVersion},
			{"FutureVersion", false, 2, isNoVersion},
			{"ChangedSince", true, 1, isConflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				db := openTest(t, newClock(time.Second))
				d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
				if tt.changed {
					changeAmount(t, db, d)
				}
				r, err := create(t, db, d, tt.version, "view:A")
				if !tt.ok(err) {
					t.Fatalf("err = %v", err)
				}
				if n := len(mustRequests(t, db, d.ID)); (err == nil) != (n == 1) {
					t.Errorf("%d requests saved (err %v, request %v)", n, err, r)
				}
			})
		}
	})

	t.Run("Revise", func(t *testing.T) {
		for _, tt := range []struct {
			name    string
			changed bool
			version func(d *domain.Deal) uint64
			ok      func(error) bool
		}{
			{"OnItsVersion", false, func(d *domain.Deal) uint64 { return d.Version }, func(err error) bool { return err == nil }},
			{"NoVersion", false, func(*domain.Deal) uint64 { return 0 }, isNoVersion},
			{"ChangedSince", true, func(*domain.Deal) uint64 { return 1 }, isConflict},
		} {
			t.Run(tt.name, func(t *testing.T) {
				db := openTest(t, newClock(time.Second))
				d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
				r, err := create(t, db, d, 1, "view:A")
				if err != nil {
					t.Fatal(err)
				}
				sendBack(t, db, r.ID)
				if tt.changed {
					changeAmount(t, db, d)
				}
				got, _, err := db.UpdateDeskRequest(ctx, r.ID, 0, func(x *desk.Request) error {
					return x.Revise("U1", draft(d.ID, tt.version(d)), deskPolicy(), "UMGR", t0.Add(2*time.Hour))
				})
				if !tt.ok(err) {
					t.Fatalf("err = %v", err)
				}
				saved, _, gerr := db.DeskRequest(ctx, r.ID)
				if gerr != nil {
					t.Fatal(gerr)
				}
				if wantRev := map[bool]int{true: 2, false: 1}[err == nil]; saved.Revision != wantRev {
					t.Errorf("revision %d saved (err %v, got %v); want %d", saved.Revision, err, got, wantRev)
				}
			})
		}
	})

	// An approved-at-once request sets the deal's discount (a new deal
	// version): its redelivery is still recognised by its key, before any
	// version check.
	t.Run("RedeliveryOfAnAutoApproval", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		dr := draft(d.ID, 1)
		dr.DiscountBP = 500
		r, err := desk.NewRequest(deskPolicy(), dr, "UMGR", t0)
		if err != nil || !r.AutoApproved() {
			t.Fatalf("%v %v", r, err)
		}
		first, err := db.CreateDeskRequest(ctx, r, "view:A")
		if err != nil {
			t.Fatal(err)
		}
		again, err := db.CreateDeskRequest(ctx, r, "view:A")
		if err != nil || again.ID != first.ID {
			t.Fatalf("redelivery: %v, %v; want request %d", again, err, first.ID)
		}
	})
}

func mustRequests(t *testing.T, db *DB, deal domain.DealID) []desk.Posted {
	t.Helper()
	rs, err := db.DeskRequests(context.Background(), deal, false)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
