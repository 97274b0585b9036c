package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// seedBackup creates two deals, one changed, and returns them as stored.
func seedBackup(t *testing.T, db *DB) []*domain.Deal {
	t.Helper()
	a := mustCreate(t, db, newDeal("Société Générale", "SG", "U1", "2026-03-31", "2026-02-10"), "U1")
	b := mustCreate(t, db, newDeal("Acme", "Acme", "U2", "2026-02-28", ""), "U2")
	b, _, err := db.UpdateDeal(context.Background(), b.ID, b.Version, "U1", func(d *domain.Deal) error { d.Stage = "Demo"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return []*domain.Deal{a, b}
}

// checkCopy opens the backup at path and reads the deals and history back.
func checkCopy(t *testing.T, path string, want []*domain.Deal, wantHistory []domain.HistoryEntry) {
	t.Helper()
	db := openPath(t, path, nil)
	for _, w := range want {
		if got := mustDeal(t, db, w.ID); !reflect.DeepEqual(got, w) {
			t.Errorf("deal %d in the copy:\n got %+v\nwant %+v", w.ID, got, w)
		}
	}
	if got := mustHistory(t, db, want[1].ID); !reflect.DeepEqual(got, wantHistory) {
		t.Errorf("history in the copy differs")
	}
	found, err := db.Deals(context.Background(), domain.DealFilter{Words: []string{"societe"}})
	if err != nil || !slices.Equal(ids(found), []domain.DealID{want[0].ID}) {
		t.Errorf("search in the copy: %v, %v", ids(found), err)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

func TestBackup(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	deals := seedBackup(t, db)
	h := mustHistory(t, db, deals[1].ID)

	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Errorf("Backup returned %d; wrote %d bytes", n, buf.Len())
	}
	// The database stays usable while and after backing up.
	mustCreate(t, db, newDeal("After", "After", "U1", "2026-03-31", ""), "U1")

	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	checkCopy(t, path, deals, h)
}

func TestBackupFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dealpilot.db")
	db, err := Open(src, Options{Clock: newClock(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	deals := seedBackup(t, db)
	h := mustHistory(t, db, deals[1].ID)
	dst := filepath.Join(dir, "backup.db")

	t.Run("ErrInUse", func(t *testing.T) {
		old := backupFileTimeout
		backupFileTimeout = 50 * time.Millisecond
		defer func() { backupFileTimeout = old }()
		if err := BackupFile(src, dst); !errors.Is(err, ErrInUse) {
			t.Fatalf("BackupFile of an open database: %v; want ErrInUse", err)
		}
		if _, err := os.Stat(dst); !os.IsNotExist(err) {
			t.Errorf("a failed backup left %s: %v", dst, err)
		}
	})

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		// An old backup at dst is replaced whole.
		if err := os.WriteFile(dst, []byte("old backup"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := BackupFile(src, dst); err != nil {
			t.Fatal(err)
		}
		checkCopy(t, dst, deals, h)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != "dealpilot.db" && e.Name() != "backup.db" {
				t.Errorf("left behind: %s", e.Name())
			}
		}
	})

	t.Run("ErrMissing", func(t *testing.T) {
		if err := BackupFile(filepath.Join(dir, "nope.db"), filepath.Join(dir, "x.db")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("BackupFile of a missing file: %v", err)
		}
	})
}

func TestBackupToDir(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	deals := seedBackup(t, db)
	h := mustHistory(t, db, deals[1].ID)
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	unrelated := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(unrelated, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}

	var made []string
	for range 10 {
		path, err := db.BackupToDir(dir, 7)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(path))
		clk.Advance(24 * time.Hour)
	}
	if made[0] != "dealpilot-20260202-090000.db" {
		t.Errorf("first backup named %s", made[0])
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := append(slices.Clone(made[3:]), "notes.txt")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("backup dir holds %q; want %q", got, want)
	}
	checkCopy(t, filepath.Join(dir, made[len(made)-1]), deals, h)

	t.Run("KeepZeroPrunesNothing", func(t *testing.T) {
		if _, err := db.BackupToDir(dir, 0); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 9 {
			t.Errorf("%d files; want 9", len(entries))
		}
	})
}
