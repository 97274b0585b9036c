package store

import (
	"context"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestQuotas(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	for _, q := range []forecast.Quota{
		{User: "U0REP1", Period: "2026-Q4", Amount: 100},
		{User: "U0REP1", Period: "2026-Q4", Amount: 150}, // replaces
		{User: "U0REP2", Period: "2026-11", Amount: 70},
	} {
		if err := db.SetQuota(ctx, q, "U0MGR"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Quotas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []forecast.Quota{{User: "U0REP1", Period: "2026-Q4", Amount: 150}, {User: "U0REP2", Period: "2026-11", Amount: 70}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Quotas = %+v, want %+v", got, want)
	}
	t.Run("ErrTeamQuota", func(t *testing.T) {
		if err := db.SetQuota(ctx, forecast.Quota{Team: "France", Period: "2026-Q4", Amount: 1}, "U0MGR"); err == nil {
			t.Error("a team quota was accepted")
		}
	})
}

func TestCalls(t *testing.T) {
	ctx := context.Background()
	clk := newClock(0)
	db := openTest(t, clk)
	cal := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	call := func(commit, best int64, key string) (forecast.Call, forecast.Call, bool) {
		t.Helper()
		saved, prev, had, err := db.AddCall(ctx, forecast.Call{User: "U0REP1", Period: "2026-Q1", Commit: commit, BestCase: best}, cal, key)
		if err != nil {
			t.Fatal(err)
		}
		return saved, prev, had
	}
	first, _, had := call(100, 200, "view:1")
	if had || !first.At.Equal(t0) || first.Week != "2026-W06" {
		t.Errorf("first call = %+v, had previous %v", first, had)
	}
	clk.Advance(24 * time.Hour)
	second, prev, had := call(150, 250, "view:2")
	if !had || prev.Commit != 100 || second.Commit != 150 {
		t.Errorf("second = %+v, prev = %+v (%v)", second, prev, had)
	}
	t.Run("Redelivered", func(t *testing.T) {
		clk.Advance(time.Hour)
		again, prev, had := call(150, 250, "view:2")
		if !again.At.Equal(second.At) || !had || prev.Commit != 100 {
			t.Errorf("redelivery = %+v, prev %+v (%v)", again, prev, had)
		}
		calls, err := db.Calls(ctx, "2026-Q1")
		if err != nil || len(calls) != 2 {
			t.Fatalf("Calls = %+v, %v", calls, err)
		}
	})
	t.Run("ErrBestBelowCommit", func(t *testing.T) {
		_, _, _, err := db.AddCall(ctx, forecast.Call{User: "U0REP1", Period: "2026-Q1", Commit: 300, BestCase: 200}, cal, "view:3")
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("err = %v", err)
		}
		if calls, _ := db.Calls(ctx, ""); len(calls) != 2 {
			t.Errorf("a refused call was kept: %+v", calls)
		}
	})
	t.Run("TeamCallIsSeparate", func(t *testing.T) {
		_, _, had, err := db.AddCall(ctx, forecast.Call{User: "U0MGR", Team: "France", Period: "2026-Q1", Commit: 1, BestCase: 2}, cal, "")
		if err != nil || had {
			t.Errorf("team call: had previous %v, err %v", had, err)
		}
	})
}

func TestSnapshots(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	snap := func(week string, amount int64) forecast.Snapshot {
		return forecast.Snapshot{Taken: t0, Week: week, Deals: []forecast.SnapshotDeal{{ID: 1, Owner: "U0REP1", Amount: amount,
			Currency: "EUR", Stage: "Demo", Category: domain.Upside, CloseDate: domain.NewDate(2026, 3, 1), Status: domain.Open}}}
	}
	for _, s := range []forecast.Snapshot{snap("2026-W05", 1), snap("2026-W06", 2), snap("2026-W08", 3)} {
		if _, created, err := db.SaveSnapshot(ctx, s); err != nil || !created {
			t.Fatalf("SaveSnapshot %s: created %v, %v", s.Week, created, err)
		}
	}
	t.Run("FirstOfTheWeekWins", func(t *testing.T) {
		got, created, err := db.SaveSnapshot(ctx, snap("2026-W06", 99))
		if err != nil || created || got.Deals[0].Amount != 2 {
			t.Errorf("second snapshot of a week: %+v, created %v, %v", got, created, err)
		}
	})
	t.Run("RoundTrip", func(t *testing.T) {
		got, ok, err := db.Snapshot(ctx, "2026-W05")
		want := snap("2026-W05", 1)
		if err != nil || !ok || !got.Taken.Equal(want.Taken) || len(got.Deals) != 1 || got.Deals[0] != want.Deals[0] {
			t.Errorf("Snapshot = %+v, %v, %v", got, ok, err)
		}
	})
	for _, tt := range []struct{ name, week, want string }{
		{"Between", "2026-W08", "2026-W06"},
		{"Gap", "2026-W07", "2026-W06"},
		{"AfterAll", "2026-W20", "2026-W08"},
		{"BeforeAll", "2026-W05", ""},
	} {
		t.Run("Before"+tt.name, func(t *testing.T) {
			got, ok, err := db.SnapshotBefore(ctx, tt.week)
			if err != nil || ok != (tt.want != "") || got.Week != tt.want {
				t.Errorf("SnapshotBefore(%s) = %s, %v, %v; want %s", tt.week, got.Week, ok, err, tt.want)
			}
		})
	}
	all, err := db.Snapshots(ctx, "2026-W06", "2026-W08")
	if err != nil || len(all) != 2 || all[0].Week != "2026-W06" || all[1].Week != "2026-W08" {
		t.Errorf("Snapshots = %d, %v", len(all), err)
	}
}
