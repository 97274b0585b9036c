package store

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

func init() { migrationTests[14] = testMigrateV14 }

// testMigrateV14: the fixture's deals, plus one of an account already seen
// written another way and earlier, become one record per folded account
// name, named as the smallest id wrote it, created at its earliest deal.
func testMigrateV14(t *testing.T) {
	bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	earlier := v1FixtureTime.Add(-48 * time.Hour)
	err = bdb.Update(func(tx *bbolt.Tx) error {
		if err := migrateTo(tx, t0, 13, t.Logf); err != nil {
			return err
		}
		if tx.Bucket(bucketAccounts) != nil {
			t.Fatal("accounts before migration 14")
		}
		again := newDeal("Second", "SOCIETE  générale.", "U02", "2026-01-31", "")
		again.ID, again.Version, again.CreatedAt, again.CreatedBy = 4, 1, earlier, "U02"
		if err := writeV1Deal(tx, again, "k4"); err != nil {
			return err
		}
		if err := tx.Bucket(bucketDeals).Put(idKey(5), []byte(`{"v":1,"name":"Broken`)); err != nil {
			return err
		}
		if err := migrateTo(tx, t0, 14, t.Logf); err != nil {
			return err
		}
		if v := rawVersion(t, tx); v != 14 {
			t.Errorf("version %d after migration 14", v)
		}
		got := map[string]string{}
		_ = tx.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
			a, err := decodeAccount(string(k), v)
			if err != nil {
				t.Errorf("account %q: %v", k, err)
				return nil
			}
			got[string(k)] = a.Name + " @ " + a.CreatedAt.Format(time.RFC3339)
			return nil
		})
		at := v1FixtureTime.Format(time.RFC3339)
		want := map[string]string{
			"societe generale":    "Société Générale @ " + earlier.Format(time.RFC3339),
			"credit agricole":     "Crédit Agricole @ " + at,
			"zurich versicherung": "Zürich Versicherung @ " + at,
		}
		if !maps.Equal(got, want) {
			t.Errorf("accounts after migration 14:\n got %q\nwant %q", got, want)
		}
		// The frozen key is today's key for the fixture's accounts.
		for _, d := range append(v1FixtureDeals(), again) {
			if k, w := v14AccountKey(d.Account), domain.AccountKey(d.Account); k != w {
				t.Errorf("v14AccountKey(%q) = %q; domain.AccountKey = %q", d.Account, k, w)
			}
		}
		// Again: harmless, and a record already there is kept.
		if err := tx.Bucket(bucketAccounts).Put([]byte("credit agricole"), []byte(`{"v":1,"name":"Kept","created_at":"2020-01-01T00:00:00Z"}`)); err != nil {
			return err
		}
		if err := migrateV14(tx, t0); err != nil {
			return err
		}
		if a, _ := decodeAccount("credit agricole", tx.Bucket(bucketAccounts).Get([]byte("credit agricole"))); a.Name != "Kept" {
			t.Errorf("migration 14 again rewrote an account: %+v", a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAccountMadeWithItsFirstDeal: creating a deal makes its account's
// record, named as typed; a second deal of the same account written
// another way, or a deal moved to it, keeps the first record; a deal moved
// to a new account makes that one.
func TestAccountMadeWithItsFirstDeal(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Pilot", "Hôtel Dieu", "U1", "2026-03-31", ""), "U1")
	clk.Advance(time.Hour)
	mustCreate(t, db, newDeal("More", "HOTEL dieu", "U2", "2026-03-31", ""), "U2")

	a, ok, err := db.Account(ctx, "hotel-dieu")
	if err != nil || !ok {
		t.Fatalf("Account: %v, %v, %v", a, ok, err)
	}
	if a.Key != "hotel dieu" || a.Name != "Hôtel Dieu" || !a.CreatedAt.Equal(t0) {
		t.Errorf("account = %+v; want key %q, name as first typed, created at %v", a, "hotel dieu", t0)
	}

	clk.Advance(time.Hour)
	_, _, err = db.UpdateDeal(ctx, d.ID, d.Version, "U1", func(x *domain.Deal) error { x.Account = "Dieu Group"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range all {
		keys = append(keys, a.Key+"="+a.Name)
	}
	if want := []string{"dieu group=Dieu Group", "hotel dieu=Hôtel Dieu"}; !slices.Equal(keys, want) {
		t.Errorf("accounts = %q; want %q", keys, want)
	}
	if _, ok, _ := db.Account(ctx, "nobody here"); ok {
		t.Error("an account no deal names was found")
	}
}

// TestAccountAttributesAndEvents: attributes are set, kept and removed;
// events append with the transaction's time; the key, name and creation
// cannot be changed through UpdateAccount; an unknown account is
// ENOTFOUND and writes nothing; fn's error is returned and writes nothing.
func TestAccountAttributesAndEvents(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	ctx := context.Background()
	mustCreate(t, db, newDeal("Pilot", "Acme", "U1", "2026-03-31", ""), "U1")

	if _, err := db.SetAccountAttributes(ctx, "ACME", map[string]string{"industry": "Retail", "size": "Mid"}); err != nil {
		t.Fatal(err)
	}
	a, err := db.SetAccountAttributes(ctx, "acme", map[string]string{"size": ""})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"industry": "Retail"}; !maps.Equal(a.Attributes, want) {
		t.Errorf("attributes = %v; want %v", a.Attributes, want)
	}

	clk.Advance(time.Hour)
	ev := domain.AccountEvent{Kind: domain.EventChurn, On: date("2026-02-01"), Amount: 24_000_00, Currency: "EUR", Reason: "budget", By: "U1"}
	if _, err := db.AddAccountEvent(ctx, "Acme", ev); err != nil {
		t.Fatal(err)
	}
	_, err = db.UpdateAccount(ctx, "acme", func(a *domain.Account) error {
		a.Name, a.Key, a.CreatedAt = "Renamed", "other", time.Time{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := db.Account(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	ev.At = t0.Add(time.Hour)
	want := &domain.Account{Key: "acme", Name: "Acme", CreatedAt: t0, Attributes: map[string]string{"industry": "Retail"}, Events: []domain.AccountEvent{ev}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("account:\n got %+v\nwant %+v", got, want)
	}

	_, err = db.UpdateAccount(ctx, "Globex", func(*domain.Account) error { return nil })
	if domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown account: %v; want ENOTFOUND", err)
	}
	boom := errors.New("boom")
	_, err = db.UpdateAccount(ctx, "acme", func(a *domain.Account) error { a.Attributes = nil; return boom })
	if !errors.Is(err, boom) {
		t.Errorf("fn's error: %v", err)
	}
	if again, _, _ := db.Account(ctx, "acme"); !reflect.DeepEqual(again, want) {
		t.Errorf("a failed update wrote: %+v", again)
	}
}

// TestAccountEventsBounded: one account keeps at most MaxAccountEvents.
func TestAccountEventsBounded(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	mustCreate(t, db, newDeal("Pilot", "Acme", "U1", "2026-03-31", ""), "U1")
	_, err := db.UpdateAccount(ctx, "acme", func(a *domain.Account) error {
		a.Events = make([]domain.AccountEvent, domain.MaxAccountEvents+1)
		for i := range a.Events {
			a.Events[i] = domain.AccountEvent{Kind: domain.EventDowngrade, On: date("2026-01-01"), Amount: 1, Currency: "EUR"}
		}
		return nil
	})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("too many events: %v; want EINVALID", err)
	}
	// Withdrawn events count too: undoing and recording again cannot grow
	// the record without end.
	_, err = db.UpdateAccount(ctx, "acme", func(a *domain.Account) error {
		a.Withdrawn = make([]domain.AccountEvent, domain.MaxAccountEvents)
		for i := range a.Withdrawn {
			a.Withdrawn[i] = domain.AccountEvent{Kind: domain.EventChurn, On: date("2026-01-01"), Currency: "EUR"}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.AddAccountEvent(ctx, "acme", domain.AccountEvent{Kind: domain.EventChurn, On: date("2026-02-01"), Currency: "EUR"})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("too many events with the withdrawn: %v; want EINVALID", err)
	}
}

// TestDealTypeTermRecurringRoundTrip: the new fields are kept, and a v1
// record without them reads as none.
func TestDealTypeTermRecurringRoundTrip(t *testing.T) {
	db := openTest(t, newClock(0))
	in := newDeal("Renewal", "Acme", "U1", "2026-03-31", "")
	in.Type, in.TermMonths, in.Recurring = domain.TypeRenewal, 24, 36_000_00
	d := mustCreate(t, db, in, "U1")
	got := mustDeal(t, db, d.ID)
	if got.Type != domain.TypeRenewal || got.TermMonths != 24 || got.Recurring != 36_000_00 {
		t.Errorf("deal = %+v; want renewal, 24 months, 36,000.00", got)
	}
	old, err := decodeDeal(3, []byte(`{"v":1,"name":"Old","account":"A","owner":"U1","amount":100,"currency":"EUR","stage":"S","category":"pipeline","status":"open","version":1,"created_at":"2026-01-01T00:00:00Z","created_by":"U1","updated_at":"2026-01-01T00:00:00Z","updated_by":"U1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if old.Type != "" || old.Type.Of() != domain.TypeNew || old.TermMonths != 0 || old.Recurring != 0 {
		t.Errorf("v1 deal = %+v; want no type (new), no term, no recurring value", old)
	}
}

// TestAccountEventWithdrawn: a version 1 record (no withdrawn list) reads
// as before; withdrawing its last churn keeps the event, stamped with who
// and the transaction's time, in the record's withdrawn list (version 2),
// read back after the file is reopened; the downgrade recorded before it
// stays counted. With no churn left, a second undo is ENOTFOUND and
// writes nothing.
func TestAccountEventWithdrawn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	clk := newClock(0)
	db := openPath(t, path, clk)
	ctx := context.Background()
	mustCreate(t, db, newDeal("Pilot", "Acme", "U1", "2026-03-31", ""), "U1")
	v1 := `{"v":1,"name":"Acme","created_at":"2026-01-05T09:00:00Z","events":[` +
		`{"kind":"downgrade","on":"2026-02-01","amount":600000,"currency":"EUR","by":"U1","at":"2026-02-01T10:00:00Z"},` +
		`{"kind":"churn","on":"2026-03-01","amount":1800000,"currency":"EUR","reason":"typo","by":"U2","at":"2026-03-01T10:00:00Z"}]}`
	put := func(v string) {
		t.Helper()
		err := db.update(func(tx *bbolt.Tx, _ time.Time) error { return tx.Bucket(bucketAccounts).Put([]byte("acme"), []byte(v)) })
		if err != nil {
			t.Fatal(err)
		}
	}
	put(v1)
	down := domain.AccountEvent{Kind: domain.EventDowngrade, On: date("2026-02-01"), Amount: 600000, Currency: "EUR", By: "U1",
		At: time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)}
	churn := domain.AccountEvent{Kind: domain.EventChurn, On: date("2026-03-01"), Amount: 1800000, Currency: "EUR", Reason: "typo", By: "U2",
		At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	old, _, err := db.Account(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(old.Events, []domain.AccountEvent{down, churn}) || old.Withdrawn != nil {
		t.Fatalf("v1 record read as %+v", old)
	}

	clk.Advance(time.Hour)
	at := clk.Peek()
	a, e, err := db.WithdrawAccountEvent(ctx, "ACME", domain.EventChurn, "U3")
	if err != nil {
		t.Fatal(err)
	}
	gone := churn
	gone.WithdrawnBy, gone.WithdrawnAt = "U3", at
	if e != gone {
		t.Errorf("withdrawn %+v; want %+v", e, gone)
	}
	want := &domain.Account{Key: "acme", Name: "Acme", CreatedAt: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		Events: []domain.AccountEvent{down}, Withdrawn: []domain.AccountEvent{gone}}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("account after undo:\n got %+v\nwant %+v", a, want)
	}
	raw := func() string {
		var s string
		_ = db.view(func(tx *bbolt.Tx) error { s = string(tx.Bucket(bucketAccounts).Get([]byte("acme"))); return nil })
		return s
	}
	stored := raw()
	if !strings.Contains(stored, `"v":2`) || !strings.Contains(stored, `"withdrawn":[{"kind":"churn"`) || !strings.Contains(stored, `"withdrawn_by":"U3"`) {
		t.Errorf("stored record: %s", stored)
	}

	if _, _, err := db.WithdrawAccountEvent(ctx, "acme", domain.EventChurn, "U3"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("nothing to undo: %v; want ENOTFOUND", err)
	}
	if raw() != stored {
		t.Errorf("a refused undo wrote: %s", raw())
	}

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again := openPath(t, path, clk)
	got, _, err := again.Account(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("account reopened:\n got %+v\nwant %+v", got, want)
	}
}
