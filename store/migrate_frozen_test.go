package store

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// TestFrozenWordMigrations: migrations 2 and 4 write what they wrote when
// they were released, whatever today's indexing does. The old-format file
// is testdata/v1.db with a fourth deal written as v1 wrote deals, named
// with letters v2's table did not fold ("ạ", the "ﬁ" ligature): migration 2
// indexes them as they are, migration 4 folds them (domain.FoldWords of its
// day); the due and close keys are <date><id> as drawn in doc.go.
func TestFrozenWordMigrations(t *testing.T) {
	bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	d4 := &domain.Deal{
		ID: 4, Name: "Phạm ﬁnance", Account: "Phạm Group", Owner: "U02",
		Amount: 10_000_00, Currency: "EUR", Stage: "Demo", Category: domain.Pipeline,
		CloseDate: domain.NewDate(2026, 1, 15), NextStep: "Call", NextStepDue: domain.NewDate(2025, 11, 12),
		Status: domain.Open, Version: 1, CreatedAt: v1FixtureTime, CreatedBy: "U02", UpdatedAt: v1FixtureTime, UpdatedBy: "U02",
	}
	// words are the idx_word words of deal 4, in key order.
	words := func(tx *bbolt.Tx) []string {
		var out []string
		_ = tx.Bucket(bucketIdxWord).ForEach(func(k, _ []byte) error {
			if idSuffix(k) == 4 {
				out = append(out, string(k[:len(k)-9]))
			}
			return nil
		})
		return out
	}
	// dateKey is <date><id 4> worked out by hand: year<<9 | month<<5 | day.
	dateKey := func(y, m, d int) []byte {
		k := binary.BigEndian.AppendUint32(nil, uint32(y<<9|m<<5|d))
		return binary.BigEndian.AppendUint64(k, 4)
	}
	err = bdb.Update(func(tx *bbolt.Tx) error {
		if err := writeV1Deal(tx, d4, "create-D-4"); err != nil {
			return err
		}
		if err := migrateTo(tx, time.Time{}, 2, t.Logf); err != nil {
			return err
		}
		if got, want := words(tx), []string{"group", "phạm", "ﬁnance"}; !slices.Equal(got, want) {
			t.Errorf("after migration 2, idx_word has %q for D-4; want v2's unfolded %q", got, want)
		}
		if tx.Bucket(bucketIdxDue).Get(dateKey(2025, 11, 12)) == nil {
			t.Error("idx_due lacks D-4's 2025-11-12")
		}
		if tx.Bucket(bucketIdxClose).Get(dateKey(2026, 1, 15)) == nil {
			t.Error("idx_close lacks D-4's 2026-01-15")
		}
		if err := migrateTo(tx, time.Time{}, 4, t.Logf); err != nil {
			return err
		}
		if got, want := words(tx), []string{"finance", "group", "pham"}; !slices.Equal(got, want) {
			t.Errorf("after migration 4, idx_word has %q for D-4; want %q", got, want)
		}
		if n := countKeys(tx.Bucket(bucketIdxWord)); n != 3+9 {
			t.Errorf("idx_word has %d keys after migration 4; want 12 (9 of the fixture's deals, 3 of D-4)", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
