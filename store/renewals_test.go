package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

func init() { migrationTests[16] = testMigrateV16 }

// testMigrateV16: of the fixture's deals plus two written at schema 15,
// only the won one with a term gets an idx_renew entry, and the frozen copy
// writes what reindex writes.
func testMigrateV16(t *testing.T) {
	bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bbolt.Tx) error {
		if err := migrateTo(tx, t0, 15, t.Logf); err != nil {
			return err
		}
		if tx.Bucket(bucketIdxRenew) != nil {
			t.Fatal("idx_renew before migration 16")
		}
		termed := newDeal("Renewal", "Acme", "U02", "2026-01-31", "")
		termed.ID, termed.Version, termed.Status, termed.TermMonths = 4, 1, domain.Won, 12
		open := newDeal("Open", "Acme", "U02", "2026-01-31", "")
		open.ID, open.Version, open.TermMonths = 5, 1, 12
		for i, d := range []*domain.Deal{termed, open} {
			if err := writeV1Deal(tx, d, fmt.Sprint("k", i)); err != nil {
				return err
			}
		}
		if err := migrateTo(tx, t0, 16, t.Logf); err != nil {
			return err
		}
		if v := rawVersion(t, tx); v != 16 {
			t.Errorf("version %d after migration 16", v)
		}
		var got []string
		_ = tx.Bucket(bucketIdxRenew).ForEach(func(k, _ []byte) error {
			got = append(got, fmt.Sprintf("%q", k))
			return nil
		})
		var want []string
		for _, d := range append(v1FixtureDeals(), termed, open) {
			for _, k := range renewKeys(d) {
				want = append(want, fmt.Sprintf("%q", k))
			}
		}
		if len(want) != 1 || !slices.Equal(got, want) {
			t.Errorf("idx_renew after migration 16:\n got %q\nwant %q (deal 4 alone)", got, want)
		}
		return migrateV16(tx, t0) // again: harmless
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRenewingDeals: an owner's won deals whose term ends in the window,
// by term end; the index follows a deal's term, status and owner.
func TestRenewingDeals(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	won := func(owner domain.UserID, closed string, term int) *domain.Deal {
		d := newDeal("Deal", "Acme", owner, closed, "")
		d.Status, d.TermMonths = domain.Won, term
		return mustCreate(t, db, d, owner)
	}
	a := won("U1", "2025-03-10", 12) // ends 2026-03-10
	b := won("U1", "2025-02-15", 12) // ends 2026-02-15
	won("U1", "2025-01-10", 0)       // no term
	won("U2", "2025-02-20", 12)      // another owner
	c := won("U1", "2024-06-01", 24) // ends 2026-06-01: outside
	ids := func(from, to string) []domain.DealID {
		t.Helper()
		ds, err := db.RenewingDeals(ctx, "U1", date(from), date(to))
		if err != nil {
			t.Fatal(err)
		}
		var out []domain.DealID
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	if got := ids("2026-02-15", "2026-03-10"); !slices.Equal(got, []domain.DealID{b.ID, a.ID}) {
		t.Errorf("window both ends included: %v; want [%d %d]", got, b.ID, a.ID)
	}
	if got := ids("2026-02-16", "2026-03-09"); len(got) != 0 {
		t.Errorf("window inside: %v; want none", got)
	}
	// Its term moves it; reopened, it leaves.
	if _, _, err := db.UpdateDeal(ctx, c.ID, 0, "U1", func(x *domain.Deal) error { x.TermMonths = 21; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.UpdateDeal(ctx, a.ID, 0, "U1", func(x *domain.Deal) error { x.Status = domain.Open; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := ids("2026-01-01", "2026-12-31"); !slices.Equal(got, []domain.DealID{b.ID, c.ID}) {
		t.Errorf("after the changes: %v; want [%d %d] (c ends 2026-03-01)", got, b.ID, c.ID)
	}
}
