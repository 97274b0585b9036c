package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

func TestRecordReminderIsExactlyOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	clk := newClock(0)
	db := openPath(t, path, clk)
	const key = "remind:U1:2026-02-02"
	if db.Done(key) {
		t.Fatal("done before anything was sent")
	}
	already, err := db.RecordReminder(ctx, "U1", key, []string{"stalled:D-1:U1:Proposal@2026-01-02", "close_date_past:D-2:U1:2026-01-30"})
	if err != nil || already {
		t.Fatalf("first record: already=%v err=%v", already, err)
	}
	clk.Advance(time.Hour)
	already, err = db.RecordReminder(ctx, "U1", key, []string{"other:D-3:U1:x"})
	if err != nil || !already {
		t.Fatalf("second record: already=%v err=%v", already, err)
	}
	// The record and the sent log survive a restart, and a second record
	// for the same day wrote nothing.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPath(t, path, clk)
	if !db.Done(key) {
		t.Error("the reminder is not done after a restart")
	}
	sent, _, _, err := db.NudgeLog(ctx, "U1")
	if err != nil {
		t.Fatal(err)
	}
	want := []coaching.Sent{{Key: "close_date_past:D-2:U1:2026-01-30", At: t0}, {Key: "stalled:D-1:U1:Proposal@2026-01-02", At: t0}}
	if !slices.Equal(sent, want) {
		t.Errorf("sent = %v, want %v", sent, want)
	}
	if other, _, _, _ := db.NudgeLog(ctx, "U10"); len(other) != 0 {
		t.Errorf("U10 sees U1's log: %v", other)
	}
}

func TestSnoozesAndPrefs(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	tests := []struct {
		name string
		z    coaching.Snooze
	}{
		{"ByDeal", coaching.Snooze{Deal: 7, Until: t0.Add(24 * time.Hour)}},
		{"ByKey", coaching.Snooze{Key: "no_next_step:D-8:U1:2026-01-01", Until: t0.Add(72 * time.Hour)}},
		{"ByDealAgainReplaces", coaching.Snooze{Deal: 7, Until: t0.Add(48 * time.Hour)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.Snooze(ctx, "U1", tt.z); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := db.Snooze(ctx, "U1", coaching.Snooze{Until: t0}); err == nil {
		t.Error("a snooze of nothing was accepted")
	}
	_, snoozes, prefs, err := db.NudgeLog(ctx, "U1")
	if err != nil {
		t.Fatal(err)
	}
	want := []coaching.Snooze{{Deal: 7, Until: t0.Add(48 * time.Hour)}, {Key: "no_next_step:D-8:U1:2026-01-01", Until: t0.Add(72 * time.Hour)}}
	if !slices.Equal(snoozes, want) {
		t.Errorf("snoozes = %v, want %v", snoozes, want)
	}
	if prefs != (coaching.Prefs{}) {
		t.Errorf("default prefs = %+v", prefs)
	}
	p := coaching.Prefs{PausedUntil: t0.Add(7 * 24 * time.Hour)}
	if err := db.SetNudgePrefs(ctx, "U1", p); err != nil {
		t.Fatal(err)
	}
	if _, _, got, _ := db.NudgeLog(ctx, "U1"); !got.PausedUntil.Equal(p.PausedUntil) || got.Off {
		t.Errorf("prefs = %+v, want %+v", got, p)
	}
}

func TestCoachingDealsCarryHistory(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(time.Second))
	a := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-01", "2026-02-10"), "U1")
	b := mustCreate(t, db, newDeal("Bolt", "Bolt", "U2", "2026-03-01", "2026-02-10"), "U2")
	if _, _, err := db.UpdateDeal(ctx, a.ID, 0, "U1", func(d *domain.Deal) error { d.CloseDate = date("2026-04-01"); return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := db.CoachingDeals(ctx, []domain.UserID{"U1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Deal.ID != a.ID {
		t.Fatalf("deals of U1 = %v", got)
	}
	if h := got[0].History; len(h) == 0 || h[len(h)-1].Field != domain.FieldCloseDate {
		t.Errorf("history = %v", h)
	}
	all, err := db.CoachingDeals(ctx, nil)
	if err != nil || len(all) != 2 || !slices.ContainsFunc(all, func(d coaching.DealInput) bool { return d.Deal.ID == b.ID }) {
		t.Errorf("all deals = %v, %v", all, err)
	}
}

// TestCoachingDealsHistoryLikeHistory: CoachingDeals reads every deal's
// history into shared blocks; each must be exactly what History gives,
// for deals with no entry, a few, and more than a block holds, spread over
// several blocks, and appending to one history must not touch the next.
func TestCoachingDealsHistoryLikeHistory(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()
	var items []Imported
	for i, n := range []int{0, 3, 1, 4000, 200, 0, 5000, 97, 4096, 1, 9000, 12} {
		d := newDeal(fmt.Sprintf("Deal %d", i), "Acme", domain.UserID(fmt.Sprintf("U%d", i%3)), "2026-04-01", "")
		h := make([]domain.HistoryEntry, n)
		for k := range h {
			h[k] = domain.HistoryEntry{At: t0.Add(time.Duration(k) * time.Minute), By: "U1", Field: domain.FieldNextStep,
				Old: fmt.Sprint(i, "-", k), New: fmt.Sprint(i, "-", k+1)}
		}
		items = append(items, Imported{Deal: d, By: d.Owner, History: h})
	}
	if _, err := db.ImportDeals(ctx, items); err != nil {
		t.Fatal(err)
	}
	got, err := db.CoachingDeals(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(items) {
		t.Fatalf("%d deals, want %d", len(got), len(items))
	}
	for i := range got {
		want, err := db.History(ctx, got[i].Deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[i].History, want) {
			t.Errorf("deal %d: %d entries, want History's %d (or they differ)", got[i].Deal.ID, len(got[i].History), len(want))
		}
	}
	// Appending to a deal's history copies it: the next deal keeps its own.
	for i := 0; i+1 < len(got); i++ {
		next := slices.Clone(got[i+1].History)
		_ = append(got[i].History, domain.HistoryEntry{Field: "scribble"})
		if !slices.Equal(got[i+1].History, next) {
			t.Fatalf("appending to deal %d's history changed deal %d's", got[i].Deal.ID, got[i+1].Deal.ID)
		}
	}
}
