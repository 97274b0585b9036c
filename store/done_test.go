package store

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestDone(t *testing.T) {
	clk := newClock(0)
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db, err := Open(path, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}

	if db.Done("digest/2026-02-02") {
		t.Fatal("Done before MarkDone")
	}
	steps := []struct {
		name        string
		key         string
		wantAlready bool
	}{
		{"First", "digest/2026-02-02", false},
		{"Again", "digest/2026-02-02", true},
		{"OtherKey", "digest/2026-02-03", false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			already, err := db.MarkDone(s.key)
			if err != nil || already != s.wantAlready {
				t.Fatalf("MarkDone(%q) = %v, %v; want %v", s.key, already, err, s.wantAlready)
			}
			if !db.Done(s.key) {
				t.Errorf("Done(%q) = false after MarkDone", s.key)
			}
		})
	}
	if _, err := db.MarkDone(""); err == nil {
		t.Error("MarkDone accepted an empty key")
	}

	// Done survives a restart.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPath(t, path, clk)
	if !db.Done("digest/2026-02-02") {
		t.Error("Done forgot across reopen")
	}

	clk.Advance(48 * time.Hour)
	if _, err := db.MarkDone("digest/2026-02-04"); err != nil {
		t.Fatal(err)
	}
	n, err := db.PruneDone(t0.Add(24 * time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PruneDone = %d, %v; want 2", n, err)
	}
	if db.Done("digest/2026-02-02") || db.Done("digest/2026-02-03") || !db.Done("digest/2026-02-04") {
		t.Error("PruneDone removed the wrong keys")
	}
	if n, err := db.PruneDone(t0); err != nil || n != 0 {
		t.Errorf("second PruneDone = %d, %v; want 0", n, err)
	}
}

func TestForgetDone(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "dealpilot.db"), Options{Clock: newClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, k := range []string{"digest-chart:France:2026-W49", "digest-csv:France:2026-W49"} {
		if _, err := db.MarkDone(k); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ForgetDone("digest-chart:France:2026-W49"); err != nil {
		t.Fatal(err)
	}
	if db.Done("digest-chart:France:2026-W49") || !db.Done("digest-csv:France:2026-W49") {
		t.Fatal("ForgetDone forgot the wrong key")
	}
	if already, err := db.MarkDone("digest-chart:France:2026-W49"); err != nil || already {
		t.Fatalf("MarkDone after ForgetDone = %v, %v; want a fresh record", already, err)
	}
	if err := db.ForgetDone(""); err == nil {
		t.Fatal("ForgetDone(\"\") accepted")
	}
}

// TestPruneDoneKeepsAnUndecodableRecord: the daily prune meets a garbled
// record: it keeps it, reports it once, and still prunes the others (a
// failure here would fail the prune job every day and the bucket would
// grow again).
func TestPruneDoneKeepsAnUndecodableRecord(t *testing.T) {
	clk := newClock(0)
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db := openPath(t, path, clk)
	for _, k := range []string{"digest:France:2026-W05", "remind:U1:2026-02-02"} {
		if _, err := db.MarkDone(k); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	garble(t, path, map[string]map[string][]byte{"done": {"remind:U1:2026-02-02": []byte("{not json")}})
	var reported []string
	db, err := Open(path, Options{Clock: clk, BadRecord: func(bucket, key string, _ error) { reported = append(reported, bucket+"/"+key) }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk.Advance(48 * time.Hour)
	n, err := db.PruneDone(t0.Add(24 * time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("PruneDone = %d, %v; want 1 pruned, no error", n, err)
	}
	if db.Done("digest:France:2026-W05") || !db.Done("remind:U1:2026-02-02") {
		t.Error("PruneDone must remove the old record and keep the undecodable one")
	}
	if want := []string{`done/"remind:U1:2026-02-02"`}; !slices.Equal(reported, want) {
		t.Errorf("reported %q, want %q", reported, want)
	}
}
