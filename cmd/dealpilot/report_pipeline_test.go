package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

func TestReportPipeline(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("sample", []byte(sample.Config), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	// The sample's three months end today, so "90d" sees them.
	clock := domain.NewManualClock(time.Now())
	db, err := store.Open(dbPath, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Seed(t.Context(), db, clock, time.Now(), cfg.Stages); err != nil {
		t.Fatal(err)
	}
	// Léa's name as Slack last showed it; Hugo's was never seen.
	if err := db.SeePeople(t.Context(), map[domain.UserID]string{sample.Rep1: "Léa Dubois"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"Team", []string{"report", "pipeline", "-team", "france"}, exitOK,
			[]string{"Pipeline · team France", "Win rate", "Cycle length", "Slippage", "Average discount", "| Discovery", "Qualification",
				"| Seller", "| Léa Dubois (U0REP1)", "| U0REP2", "Hollow wins", "Overdue steps"}},
		{"CSV", []string{"report", "pipeline", "-team", "france", "--format", "csv"}, exitOK,
			[]string{"period_from,period_to,currency,scope,row,who,user,name,won,lost,", ",EUR,team France,scope,team France,,,",
				",EUR,team France,rep,U0REP1,U0REP1,Léa Dubois,", ",EUR,team France,rep,U0REP2,U0REP2,,"}},
		{"JSON", []string{"report", "pipeline", "--format", "json"}, exitOK, []string{`"scope": "all teams"`, `"leak_enough":`, `"stages": [`,
			`"user": "U0REP1"`, `"name": "Léa Dubois"`}},
		{"BadFormat", []string{"report", "pipeline", "--format", "xml"}, exitUsage, []string{`--format "xml"`}},
		{"Extra", []string{"report", "pipeline", "now"}, exitUsage, []string{"usage: dealpilot report pipeline"}},
		{"Everyone", []string{"report", "pipeline", "-period", "quarter"}, exitOK, []string{"Pipeline · all teams"}},
		{"BadPeriod", []string{"report", "pipeline", "-period", "lately"}, exitUsage, []string{"--period: 'lately' is not a period", "2026-Q4", "this-quarter", "90d"}},
		{"UnknownTeam", []string{"report", "pipeline", "-team", "Mars"}, exitUsage, []string{"no team Mars"}},
		{"UnknownReport", []string{"report", "weather"}, exitUsage, []string{"usage: dealpilot report"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, env, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.wants {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errOut)
				}
			}
		})
	}
}
