package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// TestOpenReadOnly: a file a writer holds is refused with ErrInUse (the
// running bot's case), a closed one reads without being written, a missing
// one is not created, and an older schema is refused, not migrated.
func TestOpenReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.db")
	db := openPath(t, path, nil)
	d := &domain.Deal{Name: "Acme", Account: "Acme", Owner: "U1", Amount: 100, Currency: "EUR", Stage: "Qualification",
		Category: domain.Pipeline, Status: domain.Open, NextStep: "call"}
	if _, err := db.CreateDeal(t.Context(), d, "U1", "k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(path, Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		t.Fatalf("open while a writer holds the file: %v, want ErrInUse", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	deals, err := ro.Deals(t.Context(), domain.DealFilter{})
	if err != nil || len(deals) != 1 || deals[0].Name != "Acme" {
		t.Fatalf("Deals = %v, %v", deals, err)
	}
	if _, err := ro.CreateDeal(t.Context(), d, "U1", "k2"); err == nil {
		t.Fatal("a write through a read-only file succeeded")
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Fatal("reading the file changed it")
	}

	missing := filepath.Join(dir, "none.db")
	if _, err := OpenReadOnly(missing, Options{}); err == nil {
		t.Fatal("a missing file opened")
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatalf("a missing file was created: %v", err)
	}

	// An older schema: set the version back.
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bbolt.Tx) error { return setFileVersion(tx, schemaVersion-1) }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := OpenReadOnly(path, Options{}); !errors.Is(err, ErrSchemaOld) {
		t.Fatalf("older schema: %v, want ErrSchemaOld", err)
	}
}
