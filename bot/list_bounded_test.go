package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestListsReadOnlyWhatTheyShow: /deal list (the caller's, another's, by
// stage) and App Home decode no more deals than a transport shows
// (bot.ListShown, bot.HomeShown), whatever the deals of the owner, and
// still say how many there are: the first deals of the very list every
// deal gave, and the count of all of them.
func TestListsReadOnlyWhatTheyShow(t *testing.T) {
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "lists.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := sample.Seed(ctx, db, clock, fuzzNow, cfg.Stages); err != nil {
		t.Fatal(err)
	}
	today := domain.NewDate(2026, 11, 25)
	var items []store.Imported
	for i := range 330 {
		d := &domain.Deal{Name: fmt.Sprintf("Bulk %d", i), Account: "Bulk", Owner: sample.Rep1, Amount: 1000, Currency: "EUR",
			Stage: cfg.Stages[i%3].Name, Category: domain.Pipeline, CloseDate: today.AddDays(i % 90), Status: domain.Open,
			NextStep: "Call", NextStepDue: today.AddDays(i%20 - 10)}
		if i%11 == 0 {
			d.Status = domain.Won
		}
		items = append(items, store.Imported{Deal: d, By: sample.Rep1})
	}
	if _, err := db.ImportDeals(ctx, items); err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	deal := b.Commands()["/deal"]

	stage := cfg.Stages[1].Name
	tests := []struct {
		name   string
		caller domain.UserID
		args   string
		filter domain.DealFilter
	}{
		{"Mine", sample.Rep1, "", domain.DealFilter{}},
		{"MineByStage", sample.Rep1, stage, domain.DealFilter{Stage: stage}},
		{"TheirsByCategory", sample.Manager, "@lea pipeline", domain.DealFilter{Category: domain.Pipeline}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			f.Owners, f.Status = []domain.UserID{sample.Rep1}, domain.Open
			all, err := db.Deals(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) <= bot.ListShown {
				t.Fatalf("%d deals: the test needs more than a list shows", len(all))
			}
			h, _, args := deal.Route("list " + tt.args)
			before := store.DealsDecoded()
			r, err := h(ctx, bot.Caller{User: tt.caller, Mentions: map[string]domain.UserID{"@lea": sample.Rep1}}, args)
			if err != nil {
				t.Fatal(err)
			}
			decoded := store.DealsDecoded() - before
			l, ok := r.(bot.DealList)
			if !ok {
				t.Fatalf("reply %T", r)
			}
			if decoded > bot.ListShown {
				t.Errorf("%d deals decoded to list %d; want at most %d", decoded, len(l.Deals), bot.ListShown)
			}
			if l.Total != len(all) || !slices.Equal(dealIDs(l.Deals), dealIDs(all[:bot.ListShown])) {
				t.Errorf("list of %d: %v; want the first %d of %d: %v", l.Total, dealIDs(l.Deals), bot.ListShown, len(all), dealIDs(all[:bot.ListShown]))
			}
			if !countsDeals(l.Title, len(all)) {
				t.Errorf("title %+v does not count %d deals", l.Title, len(all))
			}
		})
	}

	t.Run("Home", func(t *testing.T) {
		all, err := db.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{sample.Rep1}, Status: domain.Open})
		if err != nil {
			t.Fatal(err)
		}
		// App Home's order, as the bot sorted every deal before.
		slices.SortStableFunc(all, func(x, y *domain.Deal) int {
			ox, oy := x.NextStepDue.Before(today), y.NextStepDue.Before(today)
			if ox != oy {
				if ox {
					return -1
				}
				return 1
			}
			return x.CloseDate.Compare(y.CloseDate)
		})
		before := store.DealsDecoded()
		r, err := b.Home(ctx, bot.Caller{User: sample.Rep1})
		if err != nil {
			t.Fatal(err)
		}
		decoded := store.DealsDecoded() - before
		h := r.(bot.Home)
		if decoded > bot.HomeShown {
			t.Errorf("%d deals decoded for App Home; want at most %d", decoded, bot.HomeShown)
		}
		if h.Total != len(all) || !slices.Equal(dealIDs(h.Deals), dealIDs(all[:bot.HomeShown])) {
			t.Errorf("home of %d: %v; want the first %d of %d: %v", h.Total, dealIDs(h.Deals), bot.HomeShown, len(all), dealIDs(all[:bot.HomeShown]))
		}
	})
}

func dealIDs(ds []*domain.Deal) []domain.DealID {
	out := make([]domain.DealID, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// countsDeals reports whether m or a message among its arguments has n as
// an argument.
func countsDeals(m bot.Msg, n int) bool {
	for _, a := range m.Args {
		switch v := a.(type) {
		case int:
			if v == n {
				return true
			}
		case bot.Msg:
			if countsDeals(v, n) {
				return true
			}
		}
	}
	return false
}
