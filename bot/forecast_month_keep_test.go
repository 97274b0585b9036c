package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

// TestKeptMonthCallNotCheckedAgainstABadCommit: with the month field empty,
// the standing month call is checked against the quarter's commit only once
// that commit is a valid amount. An unreadable commit is one error, on the
// commit's field; it is not also read as a commit of 0 below the standing
// month call (a second, wrong error on the month's field). Real bbolt,
// 2026-11-16.
func TestKeptMonthCallNotCheckedAgainstABadCommit(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "keep.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	h, _, rest := b.Commands()["/forecast"].Route("submit")
	r, err := h(ctx, rep, rest)
	if err != nil {
		t.Fatal(err)
	}
	meta := r.(bot.OpenForm).Form.Meta
	if meta.Month != "2026-11" {
		t.Fatalf("meta %+v, want November's commit asked", meta)
	}
	submit := func(commit, month, key string) error {
		_, err := b.SubmitCall(ctx, rep, meta, bot.Values{forecast.FieldCommit: commit, forecast.FieldBestCase: "150k", forecast.FieldMonthCommit: month}, key)
		return err
	}
	if err := submit("100k", "40k", "k-month"); err != nil {
		t.Fatal(err)
	}
	err = submit("lots", "", "k-bad")
	var es domain.Errors
	if !errors.As(err, &es) || len(es) != 1 || es[0].Field != forecast.FieldCommit {
		t.Fatalf("err = %v, want one error, on the commit's field", err)
	}
	if cs, err := db.Calls(ctx, "2026-Q4"); err != nil || len(cs) != 1 {
		t.Errorf("quarter calls %+v (%v) after a refused form, want the first only", cs, err)
	}
}
