package slack_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/store"
)

func withBackupDir(dir string) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) { h.backupDir = dir }
}

// TestDailyBackupJob: the running bot writes one hot backup a day (not two
// after a restart), keeps the last seven, and each copy opens.
func TestDailyBackupJob(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, withBackupDir(dir))
	h.seedDeal("U0REP1", "Cave Dumas cellar", "Cave Dumas")
	backups := func() []string {
		t.Helper()
		m, err := filepath.Glob(filepath.Join(dir, "dealpilot-*.db"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	h.tick()
	h.tick()
	h.restart()
	h.tick()
	if got := backups(); len(got) != 1 {
		t.Fatalf("%d backups after three ticks on one day, want 1: %v", len(got), got)
	}
	for range 9 {
		h.clock.Advance(24 * time.Hour)
		h.tick()
	}
	got := backups()
	if len(got) != bot.BackupsKept {
		t.Fatalf("%d backups after ten days, want the last %d", len(got), bot.BackupsKept)
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	raw, err := os.ReadFile(got[len(got)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(cp, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Deal(t.Context(), 1); err != nil {
		t.Errorf("the newest backup lacks the deal: %v", err)
	}
}
