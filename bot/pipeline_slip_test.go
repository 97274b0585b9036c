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

// TestPipelineSlippage: /pipeline's slippage is the guide's (forecast.Slip)
// for the fiscal quarter of its window, for the scope asked: a rep's own
// deals, or the team's. In 2026-Q4 (created Oct 5): A Rep1 €10k closes
// 12-10, pushed 11-02 to 2027-01-15 (slipped); C Rep1 €30k 11-20 → 12-20
// (moved within: not slipped); B Rep2 €20k 12-15 → 2027-02-01 on 11-02 and
// back to 12-18 on 11-10 (not slipped). On 11-20: team 1 of 3, €10k of
// €60k = 1666.7 → 1667 bp; Rep1 €10k of €40k = 2500; Rep2 0 of €20k.
// The month, 2026-11: only C closed in November at its start, and it moved
// to December on 11-02: team and Rep1 1 of 1, €30k of €30k = 10000 bp;
// Rep2 nothing forecast, 0.
func TestPipelineSlippage(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "slip.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	create := func(name string, owner domain.UserID, amount int64, close domain.Date) *domain.Deal {
		d, err := db.CreateDeal(ctx, &domain.Deal{Name: name, Account: name, Owner: owner, Amount: amount,
			Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: close,
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 12, 30), Status: domain.Open}, owner, "")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	move := func(d *domain.Deal, to domain.Date) *domain.Deal {
		out, _, err := db.UpdateDeal(ctx, d.ID, d.Version, d.Owner, func(x *domain.Deal) error { x.CloseDate = to; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := create("A", sample.Rep1, 1_000_000, domain.NewDate(2026, 12, 10))
	c := create("C", sample.Rep1, 3_000_000, domain.NewDate(2026, 11, 20))
	bd := create("B", sample.Rep2, 2_000_000, domain.NewDate(2026, 12, 15))
	clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	move(a, domain.NewDate(2027, 1, 15))
	move(c, domain.NewDate(2026, 12, 20))
	bd = move(bd, domain.NewDate(2027, 2, 1))
	clock.Set(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC))
	move(bd, domain.NewDate(2026, 12, 18))
	clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))

	for _, tc := range []struct {
		args                  string
		forecast, slipped, bp int
		forecastAmt           int64
		month                 [3]int // forecast, slipped, bp
		monthAmt              int64
	}{
		{"team", 3, 1, 1667, 6_000_000, [3]int{1, 1, 10000}, 3_000_000},
		{"@rep1", 2, 1, 2500, 4_000_000, [3]int{1, 1, 10000}, 3_000_000},
		{"@rep2", 1, 0, 0, 2_000_000, [3]int{0, 0, 0}, 0},
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
			if p.SlipPeriod.Name != "2026-Q4" {
				t.Errorf("slippage period = %q, want 2026-Q4", p.SlipPeriod.Name)
			}
			s := p.Slippage
			if s.Forecast != tc.forecast || s.Slipped != tc.slipped || s.RateBP != tc.bp || s.ForecastAmount != tc.forecastAmt {
				t.Errorf("slippage = %+v, want %d forecast (%d), %d slipped, %d bp", s, tc.forecast, tc.forecastAmt, tc.slipped, tc.bp)
			}
			m := p.SlippageMonth
			if p.SlipMonth.Name != "2026-11" || [3]int{m.Forecast, m.Slipped, m.RateBP} != tc.month || m.ForecastAmount != tc.monthAmt || m.SlippedAmount != tc.monthAmt {
				t.Errorf("month %s slippage = %+v, want %v of %d", p.SlipMonth.Name, m, tc.month, tc.monthAmt)
			}
		})
	}
}
