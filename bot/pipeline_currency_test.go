package bot_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestPipelineSkipsOtherCurrencies: /pipeline's figures, like the
// forecast's, count only deals in the company currency (EUR); a deal in USD
// is left out and counted, not added in cents to euros. On a real bbolt
// file, 2026-11-20: Rep1 EUR 10,000.00 open closing 12-10, Rep1 USD
// 50,000.00 open closing 12-15, Rep2 USD 20,000.00 open closing 12-18.
// Team: 1 open deal, 10,000.00; 2026-Q4 forecast 1 deal, 10,000.00;
// 2 left out. @rep1: the same figures, 1 left out. @rep2: nothing open,
// nothing forecast, 1 left out.
func TestPipelineSkipsOtherCurrencies(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "currency.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	for _, d := range []struct {
		owner    domain.UserID
		amount   int64
		currency string
		close    domain.Date
	}{
		{sample.Rep1, 1_000_000, "EUR", domain.NewDate(2026, 12, 10)},
		{sample.Rep1, 5_000_000, "USD", domain.NewDate(2026, 12, 15)},
		{sample.Rep2, 2_000_000, "USD", domain.NewDate(2026, 12, 18)},
	} {
		if _, err := db.CreateDeal(ctx, &domain.Deal{Name: "Deal", Account: "Acme", Owner: d.owner, Amount: d.amount,
			Currency: d.currency, Stage: "Qualification", Category: domain.Pipeline, CloseDate: d.close,
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 12, 30), Status: domain.Open}, d.owner, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args             string
		open, forecast   int
		amount, forecAmt int64
		skipped          int
	}{
		{"team", 1, 1, 1_000_000, 1_000_000, 2},
		{"@rep1", 1, 1, 1_000_000, 1_000_000, 1},
		{"@rep2", 0, 0, 0, 0, 1},
	} {
		t.Run(tc.args, func(t *testing.T) {
			caller := bot.Caller{User: sample.Manager, Channel: sample.SalesChannel,
				Mentions: map[string]domain.UserID{"@rep1": sample.Rep1, "@rep2": sample.Rep2}}
			h, _, args := b.Commands()["/pipeline"].Route(tc.args)
			r, err := h(ctx, caller, args)
			if err != nil {
				t.Fatal(err)
			}
			p := r.(bot.Pipeline)
			var amount int64
			for _, s := range p.Metrics.PerStage {
				amount += s.Amount
			}
			if p.Metrics.Open != tc.open || amount != tc.amount {
				t.Errorf("open %d deals, %d; want %d, %d (EUR only)", p.Metrics.Open, amount, tc.open, tc.amount)
			}
			if s := p.Slippage; s.Forecast != tc.forecast || s.ForecastAmount != tc.forecAmt {
				t.Errorf("2026-Q4 forecast %d deals, %d; want %d, %d (EUR only)", s.Forecast, s.ForecastAmount, tc.forecast, tc.forecAmt)
			}
			if p.Skipped != tc.skipped {
				t.Errorf("skipped %d, want %d", p.Skipped, tc.skipped)
			}
		})
	}
}
