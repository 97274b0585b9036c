package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

func TestReportForecast(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.db")
	clock := domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Seed(t.Context(), db, clock, clock.Now(), domain.DefaultStages()); err != nil {
		t.Fatal(err)
	}
	if err := db.SetQuota(t.Context(), forecast.Quota{User: sample.Rep1, Period: "2026-Q4", Amount: 150_000_00}, sample.Manager); err != nil {
		t.Fatal(err)
	}
	if err := db.SeePerson(t.Context(), sample.Rep1, "Léa Dubois"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	cfg := sample.Config + "quotas:\n  - { user: U0REP2, period: quarter, amount: 120000 }\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DEALPILOT_DB": path, "DEALPILOT_CONFIG": cfgPath}

	t.Run("Table", func(t *testing.T) {
		code, out, errOut := run(t, env, "report", "forecast", "--team", "france", "--period", "2026-Q4")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"France forecast · 2026-Q4", "Won (EUR)", "Léa Dubois (U0REP1)", "| U0REP2 ", "150,000", "120,000", "France", "+--"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("PeriodSyntax", func(t *testing.T) {
		// The one period syntax: the fiscal year by its number, a month, a
		// quarter in any case (this-quarter and its kin: TestParseWindow).
		for typed, title := range map[string]string{"2026": "forecast · FY2026", "2026-11": "forecast · 2026-11", "2026-q3": "forecast · 2026-Q3"} {
			code, out, errOut := run(t, env, "report", "forecast", "--period", typed)
			if code != 0 || !strings.Contains(out, title) {
				t.Errorf("--period %s: exit %d, %s%s; want %q", typed, code, out, errOut, title)
			}
		}
	})
	t.Run("CSV", func(t *testing.T) {
		code, out, errOut := run(t, env, "report", "forecast", "--period", "2026-Q4", "--format", "csv")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || len(lines) != 1+3+1+1 || lines[0] != "period,who,user,name,team,currency,won,commit,best_case,upside,pipeline,weighted,quota,attainment_bp,gap,coverage_bp,call_commit" {
			t.Fatalf("exit %d, %q: %s", code, errOut, out)
		}
		// Léa's quota, 150,000.00 euros, written from the cents; her name beside her id.
		if !strings.Contains(out, "2026-Q4,U0REP1,U0REP1,Léa Dubois,France,EUR,") || !strings.Contains(out, ",150000.00,") {
			t.Errorf("csv lacks Léa's name and exact quota in euros:\n%s", out)
		}
		if !strings.Contains(out, "2026-Q4,U0REP2,U0REP2,,France,EUR,") || !strings.Contains(out, ",120000.00,") {
			t.Errorf("csv lacks Hugo, named by no one, and his quota:\n%s", out)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		code, out, errOut := run(t, env, "report", "forecast", "--period", "2026-Q4", "--format", "json")
		var got struct {
			Period, Currency string
			Rows             []struct {
				Who, User, Name string
				Quota           *json.Number
				Pipeline        json.Number
			}
		}
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("exit %d, %q: %s", code, errOut, out)
		}
		if got.Period != "2026-Q4" || got.Currency != "EUR" || len(got.Rows) != 5 || got.Rows[0].Quota == nil || *got.Rows[0].Quota != "150000.00" ||
			got.Rows[0].User != "U0REP1" || got.Rows[0].Name != "Léa Dubois" || got.Rows[1].Name != "" {
			t.Errorf("json = %+v", got)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrFormat", []string{"--format", "xml"}, "use table, csv or json"},
		{"ErrPeriod", []string{"--period", "2026-Q9"}, "'2026-Q9' is not a period"},
		{"ErrTeam", []string{"--team", "Spain"}, "There is no team 'Spain'"},
		{"ErrDays", []string{"--period", "90d"}, "'90d' is a number of days; a forecast is kept per fiscal period"},
		// As typed (not "84d"), and only the forms a forecast takes.
		{"ErrWeeks", []string{"--period", "12w"}, "'12w' is a number of days; a forecast is kept per fiscal period: use one of 2026-Q4, 2026-11, 2026, this-quarter, this-month, this-year, last-quarter, last-month, last-year."},
		{"ErrNotFiscal", []string{"--period", "lately"}, "'lately' is not a period. A forecast is kept per fiscal period: use one of 2026-Q4, 2026-11, 2026, this-quarter, this-month, this-year, last-quarter, last-month, last-year (2026"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, env, append([]string{"report", "forecast"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %q", code, errOut, tt.want)
			}
		})
	}
}
