package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/store"
)

// brokenReviews is the store, but the reviews of team broken cannot be
// read, as when its record is garbled.
type brokenReviews struct {
	*store.DB
	broken string
}

func (s *brokenReviews) ICPReview(ctx context.Context, quarter, team string) (segment.Posted, bool, error) {
	if team == s.broken {
		return segment.Posted{}, false, errors.New("garbled record")
	}
	return s.DB.ICPReview(ctx, quarter, team)
}

// TestICPReviewTeamsStandAlone: the review of a team that fails (Benelux,
// first in the configuration) is reported with the team's name, and
// France's manager still gets France's review, once; the next tick tries
// Benelux again and sends France's no second time.
func TestICPReviewTeamsStandAlone(t *testing.T) {
	yaml := strings.Replace(sample.Config, "teams:\n", "teams:\n  - name: Benelux\n    manager: U0MGRBE\n    members: [U0REPBE]\n    channel: C0BENELUX\n", 1) +
		"segments:\n  - { name: industry, values: [retail, software] }\nicp:\n  industry: [retail]\n"
	cfg, err := config.Parse("sample.yaml", []byte(yaml), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 1, 9, 5, 0, 0, cfg.Location)
	clock := domain.NewManualClock(now)
	db, err := store.Open(filepath.Join(t.TempDir(), "review.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := bot.New(bot.Options{Store: &brokenReviews{DB: db, broken: "Benelux"}, Config: cfg, Clock: clock})
	rec := &jobMessenger{}
	reviews := func() map[domain.UserID]int {
		out := map[domain.UserID]int{}
		for _, s := range rec.since(0) {
			if _, ok := s.reply.(bot.ICPReview); ok && s.kind == "dm" {
				out[s.user]++
			}
		}
		return out
	}
	for tick := 1; tick <= 2; tick++ {
		var failed []string
		for _, err := range b.Tick(context.Background(), rec) {
			failed = append(failed, err.Error())
		}
		if len(failed) != 1 || !strings.Contains(failed[0], "ICP review of team Benelux: garbled record") {
			t.Errorf("tick %d: errors %q, want Benelux's alone", tick, failed)
		}
		if got := reviews(); got[sample.Manager] != 1 || got["U0MGRBE"] != 0 {
			t.Errorf("tick %d: reviews sent %v, want France's manager's once", tick, got)
		}
	}
	if p, ok, err := db.ICPReview(context.Background(), "2026-Q3", "France"); err != nil || !ok || p.PostedAt.IsZero() {
		t.Errorf("France's review = %+v, %v, %v: not kept as posted", p, ok, err)
	}
}
