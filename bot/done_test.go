package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// TestDoneRecordsPrunedAfterTheWindow: the bot's scheduled "prune_done" job
// forgets the records of work done once they are older than DoneKept, on
// the first tick of each company day, at the time of the bot's clock. Inside
// the window a record still does its work once: the day's backup is not
// written twice, and a claim of the week's digest finds it already done.
func TestDoneRecordsPrunedAfterTheWindow(t *testing.T) {
	cfg := securityConfig(t)
	day0 := time.Date(2026, 11, 2, 9, 0, 0, 0, cfg.Location)
	clock := domain.NewManualClock(day0)
	db, err := store.Open(filepath.Join(t.TempDir(), "done.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock, BackupDir: dir})
	ctx := context.Background()
	// run runs the named jobs of the bot's schedule at the clock's time,
	// as its tick does (the others need a platform).
	run := func(names ...string) {
		t.Helper()
		for _, name := range names {
			found := false
			for _, j := range b.Jobs() {
				if j.Name == name {
					found = true
					if err := j.Run(ctx, nil, clock.Now()); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				}
			}
			if !found {
				t.Fatalf("no %q job in the bot's schedule", name)
			}
		}
	}
	backups := func() int {
		t.Helper()
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	digest := bot.DigestKey("France", "2026-W45")
	day0Backup := "backup:2026-11-02"

	run("backup", "prune_done")
	if _, err := db.MarkDone(digest); err != nil {
		t.Fatal(err)
	}
	clock.Set(day0.Add(time.Minute))
	run("prune_done", "backup")
	if n := backups(); n != 1 {
		t.Fatalf("%d backups on day 0 after a second tick, want 1", n)
	}

	// Just inside the window: kept, and the work is still recognised as done.
	clock.Set(day0.Add(bot.DoneKept - time.Hour))
	if _, err := db.MarkDone("remind:U0REP1:2026-11-20"); err != nil { // a younger record
		t.Fatal(err)
	}
	run("prune_done")
	if !db.Done(day0Backup) {
		t.Fatal("the day-0 backup record was pruned inside the window")
	}
	if already, err := db.MarkDone(digest); err != nil || !already {
		t.Fatalf("claiming the week's digest again = %v, %v; want already done", already, err)
	}
	// Later the same day the window has passed, but the day's prune has run.
	clock.Set(day0.Add(bot.DoneKept + time.Hour))
	run("prune_done")
	if !db.Done(day0Backup) {
		t.Fatal("pruned twice in one company day")
	}

	// The next day's first tick prunes what is older than the window.
	clock.Set(day0.Add(bot.DoneKept + 24*time.Hour))
	run("prune_done")
	for _, k := range []string{day0Backup, digest, "prune-done:2026-11-02"} {
		if db.Done(k) {
			t.Errorf("%s still recorded %v after it was done", k, bot.DoneKept+24*time.Hour)
		}
	}
	if !db.Done("remind:U0REP1:2026-11-20") {
		t.Error("a record younger than the window was pruned")
	}
}

// TestPruneDoneJobForgetsSubmissions: the daily prune_done job forgets the
// keys recorded for form submissions once they are older than DoneKept, as
// it forgets done work: a plan form's redelivery inside the window is still
// recognised, after it it is held to the version it was opened on again.
func TestPruneDoneJobForgetsSubmissions(t *testing.T) {
	cfg := securityConfig(t)
	day0 := time.Date(2026, 11, 2, 9, 0, 0, 0, cfg.Location)
	clock := domain.NewManualClock(day0)
	db, err := store.Open(filepath.Join(t.TempDir(), "keys.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock, BackupDir: t.TempDir()})
	ctx := context.Background()
	prune := func() {
		t.Helper()
		for _, j := range b.Jobs() {
			if j.Name == "prune_done" {
				if err := j.Run(ctx, nil, clock.Now()); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatal("no prune_done job in the bot's schedule")
	}
	d, err := db.CreateDeal(ctx, &domain.Deal{
		Name: "Acme renewal", Account: "Acme", Owner: "U0REP1", Amount: 4_800_000, Currency: "EUR",
		Stage: "Discovery", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 18), Status: domain.Open,
	}, "U0REP1", "")
	if err != nil {
		t.Fatal(err)
	}
	form := desk.PlanForm{
		Submission: domain.Submission{Values: map[domain.Field]string{desk.FieldPlan: "2026-12-01 | customer | Security review"}, Opened: 1, By: "U0REP1"},
		Deal:       d.ID, Org: cfg, Locale: cfg.Locale, Now: day0,
	}
	savePlan := func() error { _, _, err := db.SavePlanForm(ctx, form, "V1/a"); return err }
	if err := savePlan(); err != nil {
		t.Fatal(err)
	}
	clock.Set(day0.Add(bot.DoneKept - time.Hour))
	prune()
	if err := savePlan(); err != nil {
		t.Fatalf("a redelivery inside the window is refused: %v", err)
	}
	clock.Set(day0.Add(bot.DoneKept + 24*time.Hour))
	prune()
	if err := savePlan(); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("the submission's key outlived the window: its redelivery got %v, want a conflict", err)
	}
}
