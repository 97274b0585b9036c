package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestReportStandsAlone: a file a bot has started on keeps what reports
// need of its configuration (bot.RecordSetup, as serve and demo call it),
// so every report on a copy of it, in an empty directory with no
// configuration anywhere, prints exactly what it prints with the YAML;
// stderr says which configuration was used. A file that keeps none is
// refused with the way out, and --config still wins over the kept one.
// The commission plans are kept too: a payroll report on the copy pays
// what the bot paid (a plan of one rate for the team, tiers for Hugo).
func TestReportStandsAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.db")
	clock := domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	// An October fiscal year and a configured quota: both must come back.
	yaml := strings.Replace(sample.Config, "fiscal_year_start: 1", "fiscal_year_start: 10", 1) +
		"quotas:\n  - { user: U0REP2, period: quarter, amount: 120000 }\n" +
		"commissions: # plans\n  - { team: France, period: quarter, rate: 5 } # the team's\n" +
		"  - user: U0REP2\n    period: quarter\n    tiers: [{ up_to: 50, rate: 4 }, { rate: 6 }]\n    clawback: { days: 60, recovery: pro_rata }\n"
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, true, slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FiscalYearStart != time.October {
		t.Fatalf("the fixture's fiscal year starts in %v: sample.Config changed, update this test", cfg.FiscalYearStart)
	}
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Seed(t.Context(), db, clock, clock.Now(), cfg.Stages); err != nil {
		t.Fatal(err)
	}
	// Hugo wins €80,000 on Nov 10 (fiscal 2027-Q1, quota €120,000): his
	// tiers pay 4 % of €60,000 (to 50 %) + 6 % of €20,000 = €3,600; the
	// team's plan alone would pay 5 % = €4,000, no plan nothing.
	if _, err := db.CreateDeal(t.Context(), &domain.Deal{Name: "Payroll", Account: "Payroll", Owner: sample.Rep2, Amount: 80_000_00,
		Currency: "EUR", Stage: "Closing", Category: domain.Commit, CloseDate: domain.NewDate(2026, 11, 10), Status: domain.Won}, sample.Rep2, ""); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(t.TempDir(), "bare.db") // a copy before any bot started on it
	db.Close()
	copyFile(t, path, bare)
	db, err = store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}).RecordSetup(context.Background()); err != nil || !changed {
		t.Fatalf("RecordSetup = %v, %v", changed, err)
	}
	db.Close()

	empty := t.TempDir()
	copied := filepath.Join(empty, "copied.db")
	copyFile(t, path, copied)
	t.Chdir(empty) // no ./dealpilot.yaml here

	reports := [][]string{
		{"report", "forecast", "--period", "2027-Q1"},
		{"report", "forecast", "--team", "France", "--period", "this-year", "--format", "csv"},
		{"report", "forecast", "--format", "json"},
		{"report", "pipeline", "--period", "2027-Q1"},
		{"report", "pipeline", "--team", "France"},
		{"report", "losses", "--period", "365d", "--format", "csv"},
		{"report", "losses", "--team", "France", "--period", "this-year", "--format", "json"},
		{"report", "commissions", "--period", "2026-11"},
		{"report", "commissions", "--period", "2026-10", "--format", "json"},
	}
	for _, args := range reports {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			code, want, errOut := run(t, map[string]string{"DEALPILOT_DB": path, "DEALPILOT_CONFIG": cfgPath}, args...)
			if code != 0 {
				t.Fatalf("with the configuration: exit %d: %s", code, errOut)
			}
			if !strings.Contains(errOut, "configuration "+cfgPath) {
				t.Errorf("stderr does not name the file used: %q", errOut)
			}
			code, got, errOut := run(t, map[string]string{"DEALPILOT_DB": copied}, args...)
			if code != 0 {
				t.Fatalf("alone: exit %d: %s", code, errOut)
			}
			if got != want {
				t.Errorf("alone:\n%s\nwith the configuration:\n%s", got, want)
			}
			if !strings.Contains(errOut, "configuration kept in "+copied+" by the bot started 2026-11-25 09:00 UTC") {
				t.Errorf("stderr does not say the kept configuration was used: %q", errOut)
			}
		})
	}
	t.Run("CommissionsAsTheBotPaid", func(t *testing.T) {
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": copied}, "report", "commissions", "--period", "2026-11")
		if code != 0 || !strings.Contains(out, `tier 2: 6% of €20,000 (part of €80,000)`) || !strings.Contains(out, "2026-11,U0REP2,,false,pay,,,0.00,0,0,0,3600.00,EUR") {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("ForecastNamesTheTeam", func(t *testing.T) {
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": copied}, "report", "forecast", "--team", "France")
		if code != 0 || !strings.Contains(out, "France forecast · 2027-Q1") {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("NoneKept", func(t *testing.T) {
		code, _, errOut := run(t, map[string]string{"DEALPILOT_DB": bare}, "report", "pipeline")
		if code != exitUsage || !strings.Contains(errOut, "no configuration") || !strings.Contains(errOut, "--config FILE") {
			t.Errorf("exit %d: %q", code, errOut)
		}
	})
	t.Run("ConfigFlagWins", func(t *testing.T) {
		// The team renamed in the file named: only that file knows Spain.
		other := filepath.Join(empty, "other.yaml")
		if err := os.WriteFile(other, []byte(strings.Replace(sample.Config, "name: France", "name: Spain", 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": copied}, "report", "forecast", "--team", "Spain", "--config", other, "--period", "2026-Q4")
		if code != 0 || !strings.Contains(out, "Spain forecast · 2026-Q4") || !strings.Contains(errOut, "configuration "+other) {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("LocalYAMLWins", func(t *testing.T) {
		// ./dealpilot.yaml, when there is one, is read before the kept one.
		if err := os.WriteFile(filepath.Join(empty, "dealpilot.yaml"), []byte(strings.Replace(sample.Config, "name: France", "name: Italy", 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(filepath.Join(empty, "dealpilot.yaml"))
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": copied}, "report", "forecast", "--team", "Italy", "--period", "2026-Q4")
		if code != 0 || !strings.Contains(out, "Italy forecast · 2026-Q4") || !strings.Contains(errOut, "configuration ./dealpilot.yaml") {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
	})
	t.Run("NoFile", func(t *testing.T) {
		code, _, errOut := run(t, map[string]string{"DEALPILOT_DB": filepath.Join(empty, "missing.db")}, "report", "pipeline")
		if code != exitUsage || !strings.Contains(errOut, "no such database file") {
			t.Errorf("exit %d: %q", code, errOut)
		}
		if _, err := os.Stat(filepath.Join(empty, "missing.db")); err == nil {
			t.Error("a report created the missing file")
		}
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
