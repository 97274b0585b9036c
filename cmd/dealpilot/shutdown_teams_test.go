package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestShutdownWaitsForTeamsTick: a shutdown while a scheduled job is
// under way on a bot serving Teams (the Monday digest, due at the first
// tick, its post held by a slow connector) closes the file only once the
// job is done: the digest is posted and kept, nothing fails on a closed
// database. Deleting the wait on the tick goroutine before db.Close in
// serve makes this fail.
func TestShutdownWaitsForTeamsTick(t *testing.T) {
	tsrv := newTeams(t)
	e := readEnv(envOf(teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))))
	e.Ticks = time.Hour // the first tick, at the start, and no other
	cfg, check, err := loadConfig(e)
	if err != nil {
		t.Fatalf("%v (%s)", err, check.Detail)
	}
	// Monday 8:00:30 in Paris: the digest ("0 8 * * MON") is due.
	clock := domain.NewManualClock(time.Date(2026, 12, 7, 7, 0, 30, 0, time.UTC))
	release := tsrv.HoldConnector("create") // the digest's new thread in the channel
	defer release()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	s, err := start(ctx, e, cfg, zerolog.New(&logs), clock)
	if err != nil {
		t.Fatal(err)
	}
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	if err := tsrv.WaitFor(wait, func() bool { return tsrv.Held() > 0 }); err != nil {
		t.Fatalf("the digest's post never reached the connector: %v\n%s\n%s", err, tsrv.TranscriptText(), logs.String())
	}
	cancel()
	// The job under way keeps the file open: another process cannot
	// open it yet.
	if db, err := store.OpenReadOnly(e.DB, store.Options{Timeout: 500 * time.Millisecond}); err == nil {
		db.Close()
		t.Error("the file was closed while a scheduled job was still at work")
	} else if !errors.Is(err, store.ErrInUse) {
		t.Fatal(err)
	}
	release()
	if err := s.wait(); err != nil {
		t.Errorf("stopped with %v:\n%s", err, logs.String())
	}
	if len(tsrv.Posted(tmForecast)) == 0 {
		t.Errorf("the digest was not posted:\n%s", tsrv.TranscriptText())
	}
	if got := logs.String(); strings.Contains(got, "database not open") {
		t.Errorf("the job failed at the shutdown:\n%s", got)
	}
}
