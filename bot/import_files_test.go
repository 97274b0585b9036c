package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
)

// TestImportFilesPrunedOnTick: a dry run no one answers has its file
// removed by the tick after it expired, not only by the next upload.
func TestImportFilesPrunedOnTick(t *testing.T) {
	dir := t.TempDir()
	b, clock, _ := importBot(t, dir, bot.ImportOptions{})
	m := &threadMessenger{}
	c := bot.Caller{User: sample.Manager, Channel: "D0MGR"}
	ctx := context.Background()
	if err := b.ImportFile(ctx, m, c, upload("F1", importCSV, int64(len(importCSV)))); err != nil {
		t.Fatal(err)
	}
	b.Tick(ctx, m)
	if files(t, dir) != 1 {
		t.Fatalf("%d files before the import expired", files(t, dir))
	}
	clock.Advance(time.Hour + time.Minute)
	b.Tick(ctx, m)
	if files(t, dir) != 0 {
		t.Errorf("%d files after the tick that follows the expiry", files(t, dir))
	}
}

// TestSweepImportFiles: at start the bot removes the import files older
// than an import waits (those of imports lost at a restart), and leaves
// younger ones (another bot's sharing the directory), a pending import's,
// and files of other names.
func TestSweepImportFiles(t *testing.T) {
	dir := t.TempDir()
	b, clock, _ := importBot(t, dir, bot.ImportOptions{})
	ctx := context.Background()
	if err := b.ImportFile(ctx, &threadMessenger{}, bot.Caller{User: sample.Manager, Channel: "D0MGR"}, upload("F1", importCSV, int64(len(importCSV)))); err != nil {
		t.Fatal(err)
	}
	pending, err := filepath.Glob(filepath.Join(dir, bot.ImportFilePattern))
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending files %v, %v", pending, err)
	}
	now := clock.Now()
	for name, age := range map[string]time.Duration{
		"dealpilot-import-lost":  2 * time.Hour,
		"dealpilot-import-young": 10 * time.Minute,
		"other-file":             2 * time.Hour,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	// The pending import's file is old too: held, it stays.
	if err := os.Chtimes(pending[0], now.Add(-2*time.Hour), now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := b.SweepImportFiles()
	if err != nil || n != 1 {
		t.Errorf("SweepImportFiles = %d, %v; want 1", n, err)
	}
	for _, name := range []string{"dealpilot-import-young", "other-file", filepath.Base(pending[0])} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "dealpilot-import-lost")); !os.IsNotExist(err) {
		t.Errorf("the lost import's file was kept: %v", err)
	}
}
