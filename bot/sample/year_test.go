package sample_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// year writes the sample's year into a new bbolt file and dumps every deal.
func year(t *testing.T) (string, *store.DB) {
	t.Helper()
	now := time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)
	clock := domain.NewManualClock(now)
	db, err := store.Open(filepath.Join(t.TempDir(), "year.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	deals, err := sample.Year(t.Context(), db, clock, now, domain.DefaultStages())
	if err != nil {
		t.Fatal(err)
	}
	var dump string
	for _, d := range deals {
		dump += fmt.Sprintf("%+v\n", *d)
	}
	return dump, db
}

// TestYearIsDeterministicAndTellsTheStory: the same file every run, and the
// figures of testdata/story.md.
func TestYearIsDeterministicAndTellsTheStory(t *testing.T) {
	a, db := year(t)
	b, _ := year(t)
	if a != b {
		t.Fatalf("two runs differ:\n%s\n---\n%s", a, b)
	}
	deals, err := db.Deals(t.Context(), domain.DealFilter{})
	if err != nil || len(deals) != 40 {
		t.Fatalf("%d deals (%v), want 15 closed of the story and the 25 of the pipeline", len(deals), err)
	}
	won := map[domain.UserID]int64{}
	lost := 0
	for _, d := range deals {
		switch {
		case d.Status == domain.Won:
			won[d.Owner] += d.NetAmount()
		case d.Status == domain.Lost && d.ID <= 15:
			lost++
		}
	}
	if want := map[domain.UserID]int64{sample.Rep1: 154_150_00, sample.Rep2: 227_000_00, sample.Rep3: 46_000_00}; fmt.Sprint(won) != fmt.Sprint(want) {
		t.Errorf("won by rep %v, want %v (story.md: Léa 40,000 + 20,400 + 60,000 + 33,750)", won, want)
	}
	if lost != 6 {
		t.Errorf("%d deals of the story lost, want 6", lost)
	}
	calls, err := db.Calls(t.Context(), "")
	if err != nil || len(calls) != 26 {
		t.Errorf("%d calls (%v), want 26", len(calls), err)
	}
	snaps, err := db.Snapshots(t.Context(), "2025-W01", "2026-W52")
	if err != nil || len(snaps) != 51 || snaps[len(snaps)-1].Week != "2026-W48" {
		t.Errorf("%d snapshots (%v), want every Monday from 2025-W50 to 2026-W48", len(snaps), err)
	}
}
