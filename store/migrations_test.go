package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

var makeFixture = flag.Bool("make-fixture", false, "rewrite "+v1FixturePath+", the schema version 1 file the migration tests read")

const v1FixturePath = "testdata/v1.db"

// v1FixtureTime is when the fixture's deals were made and changed.
var v1FixtureTime = time.Date(2025, 11, 3, 9, 30, 0, 0, time.UTC)

// v1FixtureDeals are the deals in testdata/v1.db, as the domain sees them.
func v1FixtureDeals() []*domain.Deal {
	at := v1FixtureTime
	return []*domain.Deal{
		{
			ID: 1, Name: "Société Générale renewal", Account: "Société Générale", Owner: "U01",
			Amount: 250_000_00, Currency: "EUR", Stage: "Proposal", Category: domain.BestCase,
			CloseDate: domain.NewDate(2025, 12, 19), Need: "Consolidated reporting",
			DecisionMakers: "CFO", Budget: "Approved", Timeline: "Q4",
			NextStep: "Send proposal", NextStepDue: domain.NewDate(2025, 11, 10), Status: domain.Open,
			Version: 1, CreatedAt: at, CreatedBy: "U01", UpdatedAt: at, UpdatedBy: "U01",
		},
		{
			ID: 2, Name: "Crédit Agricole pilot", Account: "Crédit Agricole", Owner: "U02",
			Amount: 40_000_00, Currency: "EUR", Stage: "Demo", Category: domain.Upside,
			CloseDate: domain.NewDate(2025, 12, 5), Need: "Faster onboarding", DecisionMakers: "COO",
			NextStep: "Book the demo", NextStepDue: domain.NewDate(2025, 11, 7), Status: domain.Open,
			Version: 2, CreatedAt: at, CreatedBy: "U02", UpdatedAt: at.Add(time.Hour), UpdatedBy: "U01",
		},
		{
			ID: 3, Name: "Zürich expansion", Account: "Zürich Versicherung", Owner: "U01",
			Amount: 90_000_00, Currency: "CHF", Stage: "Closing", Category: domain.Commit,
			CloseDate: domain.NewDate(2025, 10, 31), Status: domain.Won,
			Version: 1, CreatedAt: at, CreatedBy: "U01", UpdatedAt: at, UpdatedBy: "U01",
		},
	}
}

// writeV1Deal writes d as dealpilot wrote deals at schema version 1: the
// record, its idx_owner entry, its creation history and its create key.
func writeV1Deal(tx *bbolt.Tx, d *domain.Deal, key string) error {
	deals := tx.Bucket(bucketDeals)
	if _, err := deals.NextSequence(); err != nil {
		return err
	}
	v, err := encodeDeal(d)
	if err != nil {
		return err
	}
	if err := deals.Put(idKey(d.ID), v); err != nil {
		return err
	}
	if err := tx.Bucket(bucketIdxOwner).Put(textIDKey(string(d.Owner), d.ID), []byte{}); err != nil {
		return err
	}
	created := *d
	created.UpdatedAt, created.UpdatedBy = d.CreatedAt, d.CreatedBy
	if d.Version == 2 {
		created.Stage = "Discovery"
	}
	if _, err := writeHistory(tx, d.ID, d.CreatedAt, d.CreatedBy, 0, domain.Diff(&domain.Deal{}, &created)); err != nil {
		return err
	}
	if d.Version == 2 {
		if _, err := writeHistory(tx, d.ID, d.UpdatedAt, d.UpdatedBy, 0, domain.Diff(&created, d)); err != nil {
			return err
		}
	}
	k, err := encodeKey(d.ID, d.CreatedAt)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketCreateKeys).Put([]byte(key), k)
}

// TestMakeV1Fixture writes testdata/v1.db. Run it only to change the
// fixture: go test ./store -run TestMakeV1Fixture -make-fixture
func TestMakeV1Fixture(t *testing.T) {
	if !*makeFixture {
		t.Skip("run with -make-fixture to rewrite " + v1FixturePath)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{PageSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bbolt.Tx) error {
		if err := migrateTo(tx, v1FixtureTime, 1, t.Logf); err != nil {
			return err
		}
		for _, d := range v1FixtureDeals() {
			if err := writeV1Deal(tx, d, "create-"+d.ID.Ref()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.View(func(tx *bbolt.Tx) error {
		return writeFileAtomic(v1FixturePath, func(w io.Writer) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(v1FixturePath)
	t.Logf("wrote %s (%d bytes)", v1FixturePath, fi.Size())
}

// copyFixture copies testdata/v1.db into a temporary directory, so tests
// migrate the copy and never the committed file.
func copyFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(v1FixturePath)
	if err != nil {
		t.Fatalf("%v (make it with: go test ./store -run TestMakeV1Fixture -make-fixture)", err)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func rawVersion(t *testing.T, tx *bbolt.Tx) int {
	t.Helper()
	v, err := fileVersion(tx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func bucketNames(tx *bbolt.Tx) []string {
	var names []string
	_ = tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		names = append(names, string(name))
		return nil
	})
	slices.Sort(names)
	return names
}

// migrationTests holds one test per migration, keyed by the version it
// brings the file to; TestMigrations fails when one is missing.
var migrationTests = map[int]func(t *testing.T){
	18: func(t *testing.T) {
		path := copyFixture(t)
		bdb, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = bdb.Update(func(tx *bbolt.Tx) error {
			// The migrations before it write deals and digests with no
			// pl_parts to bump.
			if err := migrateTo(tx, t0, 17, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketParts) != nil {
				t.Fatal("pl_parts before migration 18")
			}
			if err := migrateTo(tx, t0, 18, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 18 {
				t.Errorf("version %d after migration 18", v)
			}
			if b := tx.Bucket(bucketParts); b == nil || b.Stats().KeyN != 0 {
				t.Error("no empty pl_parts bucket after migration 18")
			}
			return migrateV18(tx, t0) // again: harmless
		})
		bdb.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Once open, a deal written gives its part a generation.
		db := openPath(t, path, newClock(time.Minute))
		d := mustCreate(t, db, newDeal("After", "Acme", "U1", "2026-06-30", ""), "U1")
		var gen uint64
		if err := db.PipelineParts(context.Background(), nil, func(p, g uint64) bool {
			if p == partOf(d.ID) {
				gen = g
			}
			return true
		}, nil); err != nil {
			t.Fatal(err)
		}
		if gen == 0 {
			t.Errorf("the part of %s has no generation after it was written", d.ID.Ref())
		}
	},
	17: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 16, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketClosedCommissions) != nil {
				t.Fatal("cm_closed before migration 17")
			}
			if err := migrateTo(tx, t0, 17, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 17 {
				t.Errorf("version %d after migration 17", v)
			}
			if b := tx.Bucket(bucketClosedCommissions); b == nil || b.Stats().KeyN != 0 {
				t.Error("no empty cm_closed bucket after migration 17")
			}
			return migrateV17(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	15: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 14, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketOpenCounts) != nil {
				t.Fatal("open_counts before migration 15")
			}
			if err := migrateTo(tx, t0, 15, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 15 {
				t.Errorf("version %d after migration 15", v)
			}
			// What recount writes for the fixture's open deals.
			got, want := map[string]uint64{}, map[string]uint64{}
			_ = tx.Bucket(bucketOpenCounts).ForEach(func(k, v []byte) error {
				got[string(k)] = binary.BigEndian.Uint64(v)
				return nil
			})
			for _, d := range v1FixtureDeals() {
				if k := openCountKey(d); k != nil {
					want[string(k)]++
				}
			}
			if len(want) < 2 || !maps.Equal(got, want) {
				t.Errorf("open_counts after migration 15:\n got %v\nwant %v", got, want)
			}
			if drift := checkOpenCounts(tx); len(drift) > 0 {
				t.Errorf("drift after migration 15: %q", drift)
			}
			return migrateOpenCounts(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	13: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 12, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketIdxOwnerWord) != nil {
				t.Fatal("idx_owner_word before migration 13")
			}
			if err := migrateTo(tx, t0, 13, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 13 {
				t.Errorf("version %d after migration 13", v)
			}
			// What reindex writes for the fixture's deals, from their
			// owners and folded words ("Société Générale" -> "societe").
			var got, want []string
			_ = tx.Bucket(bucketIdxOwnerWord).ForEach(func(k, _ []byte) error {
				got = append(got, fmt.Sprintf("%q", k))
				return nil
			})
			for _, d := range v1FixtureDeals() {
				for _, ix := range indexes {
					if bytes.Equal(ix.bucket, bucketIdxOwnerWord) {
						for _, k := range ix.keys(d) {
							want = append(want, fmt.Sprintf("%q", k))
						}
					}
				}
			}
			slices.Sort(want)
			if len(want) < 3 || !slices.Equal(got, want) {
				t.Errorf("idx_owner_word after migration 13:\n got %q\nwant %q", got, want)
			}
			return migrateV13(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	12: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 11, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketIdxOpen) != nil {
				t.Fatal("idx_open before migration 12")
			}
			if err := migrateTo(tx, t0, 12, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 12 {
				t.Errorf("version %d after migration 12", v)
			}
			// The frozen copy writes what reindex writes: the open deals
			// (1 and 2; 3 is won), each under its owner, with its value.
			var got, want []string
			_ = tx.Bucket(bucketIdxOpen).ForEach(func(k, v []byte) error {
				got = append(got, fmt.Sprintf("%q=%q", k, v))
				return nil
			})
			for _, d := range v1FixtureDeals() {
				for _, ix := range indexes {
					if !bytes.Equal(ix.bucket, bucketIdxOpen) {
						continue
					}
					for _, k := range ix.keys(d) {
						want = append(want, fmt.Sprintf("%q=%q", k, ix.value(d)))
					}
				}
			}
			slices.Sort(want)
			if len(want) != 2 || !slices.Equal(got, want) {
				t.Errorf("idx_open after migration 12:\n got %q\nwant %q (2 open deals)", got, want)
			}
			return migrateV12(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	11: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 10, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketImports) != nil {
				t.Fatal("imports before migration 11")
			}
			if err := migrateTo(tx, t0, 11, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 11 {
				t.Errorf("version %d after migration 11", v)
			}
			if b := tx.Bucket(bucketImports); b == nil || b.Stats().KeyN != 0 {
				t.Error("no empty imports bucket after migration 11")
			}
			return migrateV11(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	10: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 9, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketMSTeams) != nil {
				t.Fatal("msteams before migration 10")
			}
			if err := migrateTo(tx, t0, 10, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 10 {
				t.Errorf("version %d after migration 10", v)
			}
			if b := tx.Bucket(bucketMSTeams); b == nil || b.Stats().KeyN != 0 {
				t.Error("no empty msteams bucket after migration 10")
			}
			return migrateV10(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	8: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 7, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketPeople) != nil {
				t.Fatal("people before migration 8")
			}
			if err := migrateTo(tx, t0, 8, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 8 {
				t.Errorf("version %d after migration 8", v)
			}
			if tx.Bucket(bucketPeople) == nil {
				t.Error("no people bucket after migration 8")
			}
			if tx.Bucket(bucketMeta).Get(keySetup) != nil {
				t.Error("meta/setup written by the migration: only a bot that starts knows its configuration")
			}
			return migrateV8(tx, t0) // again: harmless
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	7: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		// The fixture's three deals, one sum each (v1FixtureDeals):
		// net = amount, no discount; the won deal keeps its category and
		// stage, the CHF one its currency.
		want := []string{
			`2025-10 U01 CHF won commit "Closing" = 1 deals, net 9000000`,
			`2025-12 U01 EUR open best_case "Proposal" = 1 deals, net 25000000`,
			`2025-12 U02 EUR open upside "Demo" = 1 deals, net 4000000`,
		}
		sums := func(tx *bbolt.Tx) []string {
			var out []string
			_ = tx.Bucket(bucketSums).ForEach(func(k, v []byte) error {
				n, net, err := decodeSumValue(v)
				if err != nil {
					t.Errorf("%s: %v", sumKeyName(k), err)
				}
				out = append(out, fmt.Sprintf("%s = %d deals, net %d", sumKeyName(k), n, net))
				return nil
			})
			return out
		}
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 6, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketSums) != nil {
				t.Fatal("fc_sums before migration 7")
			}
			if err := migrateTo(tx, t0, 7, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 7 {
				t.Errorf("version %d after migration 7", v)
			}
			if got := sums(tx); !slices.Equal(got, want) {
				t.Errorf("fc_sums after migration 7:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// Run again (a file migrated by hand): built afresh, not doubled.
			if err := migrateV7(tx, t0); err != nil {
				return err
			}
			if got := sums(tx); !slices.Equal(got, want) {
				t.Errorf("fc_sums after migration 7 ran twice:\n%s", strings.Join(got, "\n"))
			}
			if drift := checkSums(tx); len(drift) > 0 {
				t.Errorf("drift after migration 7: %q", drift)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	6: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		var first []byte
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 5, t.Logf); err != nil {
				return err
			}
			if k := tx.Bucket(bucketMeta).Get(keySigningKey); k != nil {
				t.Fatalf("signing key before migration 6: %x", k)
			}
			if err := migrateTo(tx, t0, 6, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 6 {
				t.Errorf("version %d after migration 6", v)
			}
			first = append([]byte(nil), tx.Bucket(bucketMeta).Get(keySigningKey)...)
			if len(first) != signingKeySize || bytes.Equal(first, make([]byte, signingKeySize)) {
				t.Errorf("signing key after migration 6: %x; want %d random bytes", first, signingKeySize)
			}
			// Run again (a file migrated by hand), it keeps the key.
			if err := migrateV6(tx, t0); err != nil {
				return err
			}
			if k := tx.Bucket(bucketMeta).Get(keySigningKey); !bytes.Equal(k, first) {
				t.Errorf("migration 6 run twice changed the key")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	5: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 4, t.Logf); err != nil {
				return err
			}
			if tx.Bucket(bucketPosts) != nil {
				t.Fatal("posts bucket before migration 5")
			}
			if err := migrateTo(tx, t0, 5, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 5 {
				t.Errorf("version %d after migration 5", v)
			}
			if b := tx.Bucket(bucketPosts); b == nil || countKeys(b) != 0 {
				t.Error("no empty posts bucket after migration 5")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	4: func(t *testing.T) {
		db, err := Open(copyFixture(t), Options{Clock: newClock(0)})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// Every deal of the fixture is found again by each word of its name,
		// folded the way the ranking folds it.
		for _, want := range v1FixtureDeals() {
			for _, w := range domain.FoldWords(want.Name) {
				got, err := db.Deals(context.Background(), domain.DealFilter{Words: []string{w}})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(got, func(d *domain.Deal) bool { return d.Name == want.Name }) {
					t.Errorf("word %q does not find %q after migration 4", w, want.Name)
				}
			}
		}
	},
	3: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if err := migrateTo(tx, t0, 3, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 3 {
				t.Errorf("version %d after migration 3", v)
			}
			got := bucketNames(tx)
			for _, want := range []string{"desk_requests", "desk_by_thread", "desk_by_deal", "plans", "fc_quotas", "fc_calls",
				"fc_snapshots", "jobs", "nudge_sent", "nudge_snooze", "nudge_prefs", "deals", "idx_word"} {
				if !slices.Contains(got, want) {
					t.Errorf("no bucket %q after migration 3: %q", want, got)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	1: func(t *testing.T) {
		bdb, err := bbolt.Open(filepath.Join(t.TempDir(), "new.db"), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if v := rawVersion(t, tx); v != 0 {
				t.Errorf("new file at version %d", v)
			}
			if err := migrateTo(tx, t0, 1, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 1 {
				t.Errorf("version %d after migration 1", v)
			}
			want := []string{"create_keys", "deals", "history", "idx_owner", "meta"}
			if got := bucketNames(tx); !slices.Equal(got, want) {
				t.Errorf("buckets %q; want %q", got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	},
	2: func(t *testing.T) {
		bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		err = bdb.Update(func(tx *bbolt.Tx) error {
			if v := rawVersion(t, tx); v != 1 {
				t.Fatalf("fixture at version %d; want 1", v)
			}
			if tx.Bucket(bucketIdxWord) != nil {
				t.Fatal("fixture already has idx_word")
			}
			if err := migrateTo(tx, t0, 2, t.Logf); err != nil {
				return err
			}
			if v := rawVersion(t, tx); v != 2 {
				t.Errorf("version %d after migration 2", v)
			}
			if tx.Bucket(bucketDone) == nil {
				t.Error("no done bucket")
			}
			for _, d := range v1FixtureDeals() {
				for _, ix := range indexes {
					if bytes.Equal(ix.bucket, bucketIdxOpen) || bytes.Equal(ix.bucket, bucketIdxOwnerWord) || bytes.Equal(ix.bucket, bucketIdxRenew) {
						continue // since v12, v13, v15
					}
					b := tx.Bucket(ix.bucket)
					for _, k := range ix.keys(d) {
						if b.Get(k) == nil {
							t.Errorf("%s lacks %q for deal %d", ix.bucket, k, d.ID)
						}
					}
				}
			}
			if n := countKeys(tx.Bucket(bucketIdxClose)); n != 3 {
				t.Errorf("idx_close has %d keys; want 3", n)
			}
			if n := countKeys(tx.Bucket(bucketIdxDue)); n != 2 {
				t.Errorf("idx_due has %d keys; want 2 (deal 3 has no due date)", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	},
}

func TestMigrations(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 {
			t.Fatalf("migration %d brings version %d; migrations must be numbered 1, 2, 3...", i, m.version)
		}
		test, ok := migrationTests[m.version]
		if !ok {
			t.Errorf("migration %d (%s) has no test in migrationTests", m.version, m.name)
			continue
		}
		t.Run(m.name, test)
	}
}

func TestOpenMigratesV1Fixture(t *testing.T) {
	path := copyFixture(t)
	var logs bytes.Buffer
	db, err := Open(path, Options{Clock: newClock(0), Logf: func(f string, a ...any) {
		logs.WriteString(f + "\n")
		t.Logf(f, a...)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if logs.Len() == 0 {
		t.Error("the migration was not logged")
	}

	for _, want := range v1FixtureDeals() {
		if got := mustDeal(t, db, want.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("deal %d:\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
	h := mustHistory(t, db, 2)
	last := h[len(h)-1]
	if want := (domain.HistoryEntry{Deal: 2, At: v1FixtureTime.Add(time.Hour), By: "U01", Field: domain.FieldStage, Old: "Discovery", New: "Demo"}); last != want {
		t.Errorf("last history entry of deal 2 = %+v; want %+v", last, want)
	}

	tests := []struct {
		name   string
		filter domain.DealFilter
		want   []domain.DealID
	}{
		{"Words", domain.DealFilter{Words: []string{"societe"}}, []domain.DealID{1}},
		{"WordsAccount", domain.DealFilter{Words: []string{"versich"}}, []domain.DealID{3}},
		{"DueTo", domain.DealFilter{DueTo: domain.NewDate(2025, 11, 8)}, []domain.DealID{2}},
		{"Order", domain.DealFilter{}, []domain.DealID{3, 2, 1}},
		{"Owner", domain.DealFilter{Owners: []domain.UserID{"U01"}}, []domain.DealID{3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Deals(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("Deals(%+v) = %v; want %v", tt.filter, ids(got), tt.want)
			}
		})
	}

	// The migrated file goes on like a new one: next id, idempotency keys.
	d, err := db.CreateDeal(ctx, newDeal("New", "New", "U01", "2026-01-31", ""), "U01", "create-D-1")
	if err != nil || d.ID != 1 {
		t.Errorf("create with a v1 key: %v, %v; want deal 1 back", d, err)
	}
	if d := mustCreate(t, db, newDeal("New", "New", "U01", "2026-01-31", ""), "U01"); d.ID != 4 {
		t.Errorf("next id = %d; want 4", d.ID)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	newer := uint64(schemaVersion + 1)
	setRawVersion(t, path, newer)
	before, _ := os.ReadFile(path)

	_, err = Open(path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open: %v; want ErrSchemaTooNew", err)
	}
	t.Log(err)
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("Open changed a file it refused")
	}
	// And the refusal let go of the file.
	setRawVersion(t, path, uint64(schemaVersion))
	openPath(t, path, nil)
}

func setRawVersion(t *testing.T, path string, v uint64) {
	t.Helper()
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(func(tx *bbolt.Tx) error {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, v)
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, b)
	}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucket([]byte("something_else"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("Open accepted a bbolt file that is not dealpilot's")
	} else {
		t.Log(err)
	}
}

// TestSigningKey: a file's key is drawn once and kept across opens; two
// files have different keys.
func TestSigningKey(t *testing.T) {
	dir := t.TempDir()
	keyOf := func(name string) []byte {
		t.Helper()
		db, err := Open(filepath.Join(dir, name), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		k := db.SigningKey()
		if len(k) != signingKeySize {
			t.Fatalf("SigningKey has %d bytes; want %d", len(k), signingKeySize)
		}
		k[0] ^= 0xff // the caller's copy
		k2 := db.SigningKey()
		k[0] ^= 0xff
		if !bytes.Equal(k, k2) {
			t.Fatal("SigningKey hands out the DB's own slice")
		}
		return k
	}
	a := keyOf("a.db")
	if again := keyOf("a.db"); !bytes.Equal(a, again) {
		t.Error("the key changed when the file was opened again")
	}
	if b := keyOf("b.db"); bytes.Equal(a, b) {
		t.Error("two files got the same key")
	}
}

func TestOpenNewFileIsCurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	for range 2 {
		db, err := Open(path, Options{Logf: func(f string, a ...any) { t.Errorf("unexpected log: "+f, a...) }})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.Stats()
		if err != nil || s.SchemaVersion != schemaVersion {
			t.Errorf("Stats = %+v, %v; want schema %d", s, err, schemaVersion)
		}
		db.Close()
	}
}

// countKeys counts by walking: Bucket.Stats sees only committed pages.
func countKeys(b *bbolt.Bucket) int {
	n := 0
	_ = b.ForEach(func(_, _ []byte) error { n++; return nil })
	return n
}
