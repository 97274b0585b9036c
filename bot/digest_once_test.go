package bot_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample/large"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestDigestJobReadsEachDealOnce: the digest job posts every team's digest
// (ten teams here) and reads each deal once for all of them, not once per
// team: its cost is linear in the deals, whatever the number of teams.
func TestDigestJobReadsEachDealOnce(t *testing.T) {
	const deals = 600
	path := filepath.Join(t.TempDir(), "teams.db")
	if err := large.Build(path, deals); err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2026, 11, 30, 8, 5, 0, 0, paris) // the Monday after large.Now, after the 08:00 digest
	clock := domain.NewManualClock(monday)
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := largeConfig(t)
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	var job bot.Job
	for _, j := range b.Jobs() {
		if j.Name == bot.JobDigest {
			job = j
		}
	}
	rec := &jobMessenger{}
	before := store.DealsDecoded()
	if err := job.Run(context.Background(), rec, monday); err != nil {
		t.Fatal(err)
	}
	decoded := store.DealsDecoded() - before
	digests := 0
	for _, s := range rec.since(0) {
		if _, ok := s.reply.(bot.ForecastDigest); ok {
			digests++
		}
	}
	if digests != len(cfg.Teams) || digests < 2 {
		t.Fatalf("%d digests posted; want one per team (%d)", digests, len(cfg.Teams))
	}
	if decoded > deals {
		t.Errorf("%d deals decoded for %d digests of %d deals; want each deal read once (%d)", decoded, digests, deals, deals)
	}
}

// TestReminderJobReadsEachDealOnce: the reminder job (every rep of ten
// teams due at 09:05) reads each deal once, team by team: linear in the
// deals, whatever the number of reps or teams.
func TestReminderJobReadsEachDealOnce(t *testing.T) {
	const deals = 600
	path := filepath.Join(t.TempDir(), "teams.db")
	if err := large.Build(path, deals); err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2026, 11, 30, 9, 5, 0, 0, paris) // a working day after large.Now, past the reminders' hour
	clock := domain.NewManualClock(monday)
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := largeConfig(t)
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	var job bot.Job
	for _, j := range b.Jobs() {
		if j.Name == bot.JobReminders {
			job = j
		}
	}
	rec := &jobMessenger{}
	before := store.DealsDecoded()
	if err := job.Run(context.Background(), rec, monday); err != nil {
		t.Fatal(err)
	}
	decoded := store.DealsDecoded() - before
	reminders := 0
	for _, s := range rec.since(0) {
		if r, ok := s.reply.(bot.Reminder); ok && len(r.Deals) > 0 {
			reminders++
		}
	}
	if reminders < 10 {
		t.Fatalf("%d reminders sent; want the reps of every team reminded", reminders)
	}
	if decoded > deals {
		t.Errorf("%d deals decoded for %d reminders among %d deals; want each deal read once (%d)", decoded, reminders, deals, deals)
	}
}
