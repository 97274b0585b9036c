package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestReportCommissions: a €50,000 deal won on 2026-11-10, split Léa 60 %
// (€30,000) and Hugo 40 % (€20,000), paid 5 % flat: by hand Léa €1,500,
// Hugo €1,000, Sam nothing; the month pays €2,500. Léa's $8,000 deal is
// left out of every figure and named on a row of its own.
func TestReportCommissions(t *testing.T) {
	saved := reportNow
	reportNow = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { reportNow = saved })
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	cfg := sample.Config + "commissions:\n  - { team: France, period: quarter, rate: 5 }\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dbPath, store.Options{Clock: domain.NewManualClock(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateDeal(context.Background(), &domain.Deal{Name: "Alpha", Account: "Alpha", Owner: sample.Rep1, Amount: 50_000_00,
		Currency: "EUR", Stage: "Closing", Category: domain.Commit, CloseDate: domain.NewDate(2026, 11, 10), Status: domain.Won,
		Splits: []domain.Split{{User: sample.Rep1, Share: 6000}, {User: sample.Rep2, Share: 4000}}}, sample.Rep1, ""); err != nil {
		t.Fatal(err)
	}
	// Won in dollars: left out of the figures (no exchange rates), named on its own row.
	if _, err := db.CreateDeal(context.Background(), &domain.Deal{Name: "Boston", Account: "Boston", Owner: sample.Rep1, Amount: 8_000_00,
		Currency: "USD", Stage: "Closing", Category: domain.Commit, CloseDate: domain.NewDate(2026, 11, 12), Status: domain.Won}, sample.Rep1, ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}

	for _, tt := range []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"CSV", []string{"report", "commissions", "--period", "2026-11"}, exitOK, []string{
			"month,user,name,closed,kind,deal,rule,base,rate_bp,factor_bp,split_bp,amount,currency",
			`2026-11,U0REP1,,false,tier,D-1,"5% of €50,000 × 60% split",30000.00,500,10000,6000,1500.00,EUR`,
			`2026-11,U0REP2,,false,tier,D-1,"5% of €50,000 × 40% split",20000.00,500,10000,4000,1000.00,EUR`,
			"2026-11,U0REP1,,false,pay,,,0.00,0,0,0,1500.00,EUR",
			`2026-11,U0REP1,,false,other_currency,D-2,"left out: won in $8,000, another currency (no exchange rates): not in these figures",0.00,0,0,0,0.00,EUR`,
			"2026-11,U0REP3,,false,pay,,,0.00,0,0,0,0.00,EUR"}},
		{"LastMonth", []string{"report", "commissions", "--period", "last-month"}, exitOK, []string{"2026-11,U0REP2,,false,pay,,,0.00,0,0,0,1000.00,EUR"}},
		{"NoPeriod", []string{"report", "commissions"}, exitUsage, []string{"--period is required"}},
		{"Leftover", []string{"report", "commissions", "--period", "2026-11", "extra"}, exitUsage, []string{`unexpected argument "extra"`}},
		{"NotAMonth", []string{"report", "commissions", "--period", "2026-Q4"}, exitUsage, []string{"'2026-Q4' is not a month"}},
		{"BadFormat", []string{"report", "commissions", "--period", "2026-11", "--format", "table"}, exitUsage, []string{`--format "table"`}},
	} {
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
	t.Run("JSON", func(t *testing.T) {
		code, out, errOut := run(t, env, "report", "commissions", "--period", "2026-11", "--format", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			Month, Currency string
			Total           json.Number `json:"pay_total"`
			Statements      []struct {
				User  string
				Pay   json.Number
				Lines []struct{ Kind, Deal, Rule string }
			}
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if got.Month != "2026-11" || got.Total != "2500.00" || len(got.Statements) != 3 || got.Statements[0].Pay != "1500.00" ||
			len(got.Statements[0].Lines) != 2 || got.Statements[0].Lines[0].Rule != "5% of €50,000 × 60% split" ||
			got.Statements[0].Lines[1].Kind != "other_currency" || got.Statements[0].Lines[1].Deal != "D-2" {
			t.Errorf("json = %+v", got)
		}
	})
}
