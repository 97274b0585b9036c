package bot_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

// TestForecastAccuracyCommand: /forecast accuracy on a real bbolt file.
// France's October 2026, judged on 2026-11-02: Rep1 won one deal of
// €20,000 (closing 10-20, won that day). Snapshots on Monday 10-05 (the
// month's start) and 10-26 (M-1: the first on or after 11-01 − 7 = 10-25).
// Rep1 called 2026-10 at 25,000 on 10-05 → (25,000 − 20,000) ÷ 20,000 =
// +2500 bp; 22,000 on 10-26 → +1000. Rep2 called 0 on 10-05 and won
// nothing → 0. Rep3 and the team never called: not measured. Before
// October no month had a snapshot or a call: October alone.
func TestForecastAccuracyCommand(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "acc.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	cal := b.Calendar()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Acme", Account: "Acme", Owner: sample.Rep1, Amount: 2_000_000,
		Currency: "EUR", Stage: "Negotiation", Category: domain.Commit, CloseDate: domain.NewDate(2026, 10, 20),
		NextStep: "Sign", NextStepDue: domain.NewDate(2026, 10, 19), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	snap := func(at time.Time) {
		clock.Set(at)
		deals, err := db.Deals(ctx, domain.DealFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SaveSnapshot(ctx, forecast.TakeSnapshot(cal, at, deals, domain.NewDate(2026, 10, 1))); err != nil {
			t.Fatal(err)
		}
	}
	call := func(at time.Time, u domain.UserID, commit int64) {
		clock.Set(at)
		if _, _, _, err := db.AddCall(ctx, forecast.Call{User: u, Period: "2026-10", Commit: commit, BestCase: commit}, cal, ""); err != nil {
			t.Fatal(err)
		}
	}
	snap(time.Date(2026, 10, 5, 7, 0, 0, 0, time.UTC))
	call(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC), sample.Rep1, 2_500_000)
	call(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC), sample.Rep2, 0)
	clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
	if _, _, err := db.UpdateDeal(ctx, d.ID, d.Version, sample.Rep1, func(x *domain.Deal) error { x.Status = domain.Won; return nil }); err != nil {
		t.Fatal(err)
	}
	snap(time.Date(2026, 10, 26, 7, 0, 0, 0, time.UTC))
	call(time.Date(2026, 10, 26, 9, 0, 0, 0, time.UTC), sample.Rep1, 2_200_000)
	clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))

	run := func(user domain.UserID, args string) (bot.Reply, error) {
		caller := bot.Caller{User: user, Channel: sample.SalesChannel,
			Mentions: map[string]domain.UserID{"@rep1": sample.Rep1, "@rep2": sample.Rep2}}
		h, _, rest := b.Commands()["/forecast"].Route("accuracy " + args)
		return h(ctx, caller, rest)
	}
	type cell struct {
		has   [2]bool
		err   [2]int
		label string
	}
	got := func(a bot.ForecastAccuracy) map[string]cell {
		out := map[string]cell{}
		for _, r := range a.Rows {
			if len(r.Row.Cells) != 1 {
				t.Fatalf("%s: %d cells", r.Label, len(r.Row.Cells))
			}
			c := r.Row.Cells[0]
			out[r.Label] = cell{has: [2]bool{c.Start.HasCall, c.M1.HasCall}, err: [2]int{c.Start.ErrorBP, c.M1.ErrorBP}}
		}
		return out
	}

	t.Run("ManagerMonth", func(t *testing.T) {
		r, err := run(sample.Manager, "month")
		if err != nil {
			t.Fatal(err)
		}
		a := r.(bot.ForecastAccuracy)
		if !reflect.DeepEqual(a.Periods, []string{"2026-10"}) || a.Kind != forecast.Month {
			t.Fatalf("periods %v kind %s", a.Periods, a.Kind)
		}
		want := map[string]cell{
			string(sample.Rep1): {has: [2]bool{true, true}, err: [2]int{2500, 1000}},
			string(sample.Rep2): {has: [2]bool{true, true}, err: [2]int{0, 0}},
			string(sample.Rep3): {},
			"France":            {},
		}
		if g := got(a); !reflect.DeepEqual(g, want) {
			t.Errorf("\n got %+v\nwant %+v", g, want)
		}
	})
	t.Run("RepOwnByDefault", func(t *testing.T) {
		r, err := run(sample.Rep1, "mois")
		if err != nil {
			t.Fatal(err)
		}
		a := r.(bot.ForecastAccuracy)
		if len(a.Rows) != 1 || a.Rows[0].Row.User != sample.Rep1 {
			t.Errorf("rows %+v, want Rep1's alone", a.Rows)
		}
	})
	t.Run("QuarterNotClosed", func(t *testing.T) {
		// 2026-Q4 runs; 2026-Q3 had neither snapshot nor call.
		r, err := run(sample.Manager, "")
		if err != nil {
			t.Fatal(err)
		}
		if a := r.(bot.ForecastAccuracy); len(a.Periods) != 0 || len(a.Rows) != 0 || a.Kind != forecast.Quarter {
			t.Errorf("quarters: %+v", a)
		}
	})
	// Whose accuracy one may read is whose numbers /forecast shows them:
	// the same refusals, the same codes.
	t.Run("SameRuleAsForecast", func(t *testing.T) {
		refused := 0
		for _, tc := range []struct {
			user domain.UserID
			args string
		}{
			{sample.Rep2, "@rep1"}, {"U0MGR2", "France"}, {"U0MGR2", ""}, {"U0NOBODY", ""}, {sample.Rep1, "France"}, {sample.Admin, ""},
		} {
			caller := bot.Caller{User: tc.user, Channel: sample.SalesChannel, Mentions: map[string]domain.UserID{"@rep1": sample.Rep1}}
			h, _, rest := b.Commands()["/forecast"].Route(tc.args)
			_, ferr := h(ctx, caller, rest)
			_, aerr := run(tc.user, tc.args)
			if domain.ErrorCode(ferr) != domain.ErrorCode(aerr) {
				t.Errorf("%s %q: /forecast %v, /forecast accuracy %v", tc.user, tc.args, ferr, aerr)
			}
			if aerr != nil {
				refused++
			}
		}
		if refused < 2 {
			t.Errorf("only %d refusals: the cases test nothing", refused)
		}
	})
	t.Run("BadWord", func(t *testing.T) {
		_, err := run(sample.Manager, "weekly")
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(i18n.ErrorMessage("en", err), "'weekly' is neither") {
			t.Errorf("err = %v", err)
		}
	})
}
