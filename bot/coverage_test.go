package bot_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

// TestTeamCoverageNamesRepsWithoutQuota: France (Rep1, Rep2, Rep3) where
// only Rep1 has a 2026-Q4 quota of 100,000.00. Rep1 has 21,000.00 open,
// Rep2 50,000.00: the team's coverage is Rep1's alone, 21,000 ÷ 100,000 =
// 0.21 → 2100 bp (not 71,000 ÷ 100,000), and both the /forecast team view
// and the digest name Rep2 and Rep3 as having no quota. The company's
// /forecast line is measured the same way (before: 71,000 ÷ 100,000).
func TestTeamCoverageNamesRepsWithoutQuota(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "coverage.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	if err := db.SetQuota(ctx, forecast.Quota{User: sample.Rep1, Period: "2026-Q4", Amount: 10_000_000}, sample.Manager); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		owner  domain.UserID
		amount int64
	}{{sample.Rep1, 2_100_000}, {sample.Rep2, 5_000_000}} {
		if _, err := db.CreateDeal(ctx, &domain.Deal{Name: "Deal " + string(d.owner), Account: "Acme", Owner: d.owner, Amount: d.amount,
			Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}, d.owner, ""); err != nil {
			t.Fatal(err)
		}
	}
	wantNone := domain.UserList{sample.Rep2, sample.Rep3}
	check := func(where string, l forecast.Line, none domain.UserList) {
		t.Helper()
		if bp, ok := l.Coverage(); !ok || bp != 2100 || l.Pipeline != 7_100_000 {
			t.Errorf("%s: coverage %d (%v), pipeline %d; want 2100 over Rep1 alone, pipeline 7100000 for the team", where, bp, ok, l.Pipeline)
		}
		if !slices.Equal(none, wantNone) {
			t.Errorf("%s: without quota %v, want %v", where, none, wantNone)
		}
	}
	rep, err := b.ForecastTable(ctx, "France", "2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	check("/forecast team", rep.Focus, rep.NoQuota)
	// The company's view: Germany (U0REP4, no quota, no deal) adds nothing
	// to the figures, so the headline and the Total row are France's line;
	// the names are France's and U0REP4.
	rep, err = b.ForecastTable(ctx, "", "2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	wantNone = domain.UserList{sample.Rep2, sample.Rep3, "U0REP4"}
	check("/forecast company", rep.Focus, rep.NoQuota)
	check("/forecast company Total row", rep.Rows[len(rep.Rows)-1].Line, rep.NoQuota)
	wantNone = domain.UserList{sample.Rep2, sample.Rep3}
	dg, _, err := b.BuildDigest(ctx, cfg.Teams[0], clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	check("digest", dg.Total, dg.NoQuota)
}

// TestSellingManager: with manager_sells, the manager's own deal (Manager,
// 30,000.00 open) counts in France as a member's: in the /forecast team
// view (its own row and the total), the digest, /pipeline and the Monday
// summary. Without it, it counts in the company line only. Rep1 has
// 10,000.00 open: team pipeline 40,000.00 with, 10,000.00 without.
func TestSellingManager(t *testing.T) {
	for _, sells := range []bool{true, false} {
		t.Run(map[bool]string{true: "On", false: "Off"}[sells], func(t *testing.T) {
			yaml := sample.Config
			if sells {
				yaml = strings.Replace(yaml, "    channel: C0FORECAST\n", "    channel: C0FORECAST\n    manager_sells: true\n", 1)
			}
			cfg, err := config.Parse("sells.yaml", []byte(yaml), sample.IDs())
			if err != nil {
				t.Fatal(err)
			}
			clock := domain.NewManualClock(fuzzNow)
			db, err := store.Open(filepath.Join(t.TempDir(), "sells.db"), store.Options{Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
			ctx := context.Background()
			for _, d := range []struct {
				owner  domain.UserID
				amount int64
			}{{sample.Rep1, 1_000_000}, {sample.Manager, 3_000_000}} {
				if _, err := db.CreateDeal(ctx, &domain.Deal{Name: "Deal " + string(d.owner), Account: "Acme", Owner: d.owner, Amount: d.amount,
					Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
					NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}, d.owner, ""); err != nil {
					t.Fatal(err)
				}
			}
			wantPipe, wantOpen := int64(1_000_000), 1
			if sells {
				wantPipe, wantOpen = 4_000_000, 2
			}
			rep, err := b.ForecastTable(ctx, "France", "2026-Q4")
			if err != nil {
				t.Fatal(err)
			}
			hasRow := slices.ContainsFunc(rep.Rows, func(r report.Row) bool { return r.Line.User == sample.Manager })
			if rep.Focus.Pipeline != wantPipe || hasRow != sells {
				t.Errorf("/forecast team: pipeline %d, manager's row %v; want %d, %v", rep.Focus.Pipeline, hasRow, wantPipe, sells)
			}
			dg, _, err := b.BuildDigest(ctx, cfg.Teams[0], clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if dg.Total.Pipeline != wantPipe {
				t.Errorf("digest: pipeline %d, want %d", dg.Total.Pipeline, wantPipe)
			}
			company, err := b.ForecastTable(ctx, "", "2026-Q4")
			if err != nil {
				t.Fatal(err)
			}
			if company.Focus.Pipeline != 4_000_000 {
				t.Errorf("company pipeline %d, want 4000000 either way", company.Focus.Pipeline)
			}
			pl, err := b.PipelineReport(ctx, "France", coaching.Period{From: domain.NewDate(2026, 10, 1), To: domain.NewDate(2026, 12, 31)}, clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if pl.Metrics.Open != wantOpen {
				t.Errorf("/pipeline France: %d open, want %d", pl.Metrics.Open, wantOpen)
			}
			h, _, args := b.Commands()["/pipeline"].Route("team")
			reply, err := h(ctx, bot.Caller{User: sample.Manager, Channel: "C0SALES"}, args)
			if err != nil {
				t.Fatal(err)
			}
			if p, ok := reply.(bot.Pipeline); !ok || p.Metrics.Open != wantOpen {
				t.Errorf("/pipeline team as the manager: %T with %d open, want %d open", reply, p.Metrics.Open, wantOpen)
			}
			sum, err := b.ManagerSummary(ctx, &cfg.Teams[0], clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			inSummary := slices.ContainsFunc(sum.Report.Reps, func(r coaching.RepMetrics) bool { return r.Rep == sample.Manager && r.Open == 1 })
			if sum.Report.Team.Open != wantOpen || inSummary != sells {
				t.Errorf("summary: %d open, manager's line %v; want %d, %v", sum.Report.Team.Open, inSummary, wantOpen, sells)
			}
		})
	}
}
