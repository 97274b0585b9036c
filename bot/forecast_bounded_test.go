package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

// TestPeriodDealsRollUpLikeEveryDeal: the forecast reads the store's sums
// (store.DB.ForecastSums), which read the days that are not whole months
// as deals, only those whose close date is in the period (periodDeals)
// and of them only the fields a rollup reads (store.DB.ForecastDeals);
// each rollup must be the very one of every deal, for deals closing on each edge of the period
// (the day before, the first, the last, the day after), whatever their
// status and category, in a foreign currency too.
func TestPeriodDealsRollUpLikeEveryDeal(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(now)
	db, err := store.Open(filepath.Join(t.TempDir(), "fc.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := sample.Seed(ctx, db, clock, now, cfg.Stages); err != nil {
		t.Fatal(err)
	}
	b := New(Options{Store: db, Config: cfg, Clock: clock})
	org, err := b.ForecastOrg(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal := org.Calendar()
	q := cal.Current(now)
	periods := []string{q.Name, cal.Prev(q).Name, cal.Next(q).Name, "2026-11", "2026-12", "FY2026"}
	n := 0
	for _, name := range periods {
		p, err := cal.ParsePeriod(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range []domain.Date{p.Start.AddDays(-1), p.Start, p.Last(), p.End} {
			for _, cur := range []string{"EUR", "USD"} {
				for i, cat := range []domain.Category{domain.Commit, domain.BestCase, domain.Upside, domain.Pipeline, domain.Omitted} {
					n++
					d := &domain.Deal{Name: fmt.Sprintf("Edge %d", n), Account: "Edge", Owner: []domain.UserID{sample.Rep1, sample.Rep2, sample.Rep3, sample.Manager}[n%4],
						Amount: int64(1000 + n), Currency: cur, Stage: cfg.Stages[i%len(cfg.Stages)].Name, Category: cat,
						CloseDate: day, NextStep: "Call", NextStepDue: day, Status: []domain.Status{domain.Open, domain.Won, domain.Lost}[n%3]}
					if _, err := db.CreateDeal(ctx, d, d.Owner, ""); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	all, err := db.Deals(ctx, domain.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range periods {
		p, _ := cal.ParsePeriod(name)
		some, err := db.Deals(ctx, periodDeals(p))
		if err != nil {
			t.Fatal(err)
		}
		if len(some) == 0 || len(some) >= len(all) {
			t.Errorf("%s: %d of %d deals read; the period should hold some, not all", name, len(some), len(all))
		}
		if got, want := org.Rollup(p, some), org.Rollup(p, all); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the rollup of the period's deals differs from every deal's:\n got %+v\nwant %+v", name, got, want)
		}
		fromDeals := org.NewBuilder(p) // the store's forecast fields only
		if err := db.ForecastDeals(ctx, periodDeals(p), fromDeals.Add); err != nil {
			t.Fatal(err)
		}
		if got, want := fromDeals.Finish(), org.Rollup(p, all); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the rollup of the forecast fields differs from every deal's:\n got %+v\nwant %+v", name, got, want)
		}
		got, err := b.rollup(ctx, org, p) // the store's sums
		if err != nil {
			t.Fatal(err)
		}
		want := org.Rollup(p, all)
		if want.SkippedDeals == 0 || got.SkippedDeals != want.SkippedDeals || got.Skipped != nil {
			t.Errorf("%s: the bot's rollup skipped %d deals (listed %v), want %d, unlisted", name, got.SkippedDeals, got.Skipped, want.SkippedDeals)
		}
		want.Skipped = nil // sums count them, they do not list them
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the bot's rollup differs from every deal's:\n got %+v\nwant %+v", name, got, want)
		}
		// The one loader (/forecast, the call form, the digest) gives it.
		if loaded, err := b.forecastOf(ctx, p); err != nil || !reflect.DeepEqual(loaded.rollup, got) {
			t.Errorf("%s: forecastOf = %+v, %v; want the bot's rollup %+v", name, loaded.rollup, err, got)
		}
	}
}

// periodDeals selects the deals that may count in p's rollup: those whose
// close date is one of p's days (forecast.Org.Rollup counts no other).
func periodDeals(p forecast.Period) domain.DealFilter {
	return domain.DealFilter{CloseFrom: p.Start, CloseBefore: p.End}
}
