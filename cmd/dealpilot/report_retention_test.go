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

// TestReportRetention: 2026-Q4 so far (Oct 1 to Dec 6), by hand:
//
//	Acme (Léa)  won 2026-05-01, ARR 10,000; churned 2026-11-01: 10,000 lost
//	Beta (Hugo) won 2026-09-20, ARR 20,000; downgraded by 5,000 on 2026-10-10
//	starting ARR 30,000 (2 customers); GRR = NRR = (30,000 − 10,000 − 5,000)
//	÷ 30,000 = 5000 bp; no hollow win (Acme was won 184 days before).
func TestReportRetention(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dbPath, store.Options{Clock: domain.NewManualClock(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	won := func(owner domain.UserID, account string, closed domain.Date, eur int64) {
		if _, err := db.CreateDeal(ctx, &domain.Deal{Name: account + " deal", Account: account, Owner: owner, Amount: eur * 100, Currency: "EUR",
			Stage: "Closing", Category: domain.Commit, CloseDate: closed, Status: domain.Won, Recurring: eur * 100, TermMonths: 12}, owner, ""); err != nil {
			t.Fatal(err)
		}
	}
	won(sample.Rep1, "Acme", domain.NewDate(2026, 5, 1), 10_000)
	won(sample.Rep2, "Beta", domain.NewDate(2026, 9, 20), 20_000)
	for _, e := range []struct {
		account string
		ev      domain.AccountEvent
	}{
		{"Acme", domain.AccountEvent{Kind: domain.EventChurn, On: domain.NewDate(2026, 11, 1), Amount: 10_000_00, Currency: "EUR", By: sample.Rep1}},
		{"Beta", domain.AccountEvent{Kind: domain.EventDowngrade, On: domain.NewDate(2026, 10, 10), Amount: 5_000_00, Currency: "EUR", By: sample.Rep2}},
	} {
		if _, err := db.AddAccountEvent(ctx, e.account, e.ev); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	reportNow = func() time.Time { return time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { reportNow = time.Now })
	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}

	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"Table", []string{"report", "retention", "--period", "2026-Q4"}, exitOK, []string{
			"Retention · all teams · Oct 1, 2026 to Dec 6, 2026",
			"all teams · starting ARR €30,000 (2 customers) · GRR 50% · NRR 50% · churn €10,000 · downgrades €5,000 · expansion €0",
			"team France · starting ARR €30,000", "No hollow win"}},
		{"CSV", []string{"report", "retention", "--team", "France", "--format", "csv"}, exitOK, []string{
			"scope,from,to,currency,customers,starting_arr,churn,downgrades,expansion,grr_bp,nrr_bp,hollow_wins,first_renewals,median_days_to_first_renewal",
			"team France,2026-10-01,2026-12-06,EUR,2,30000.00,10000.00,5000.00,0.00,5000,5000,0,0,"}},
		{"BadFormat", []string{"report", "retention", "--format", "xml"}, exitUsage, []string{`--format "xml"`}},
		{"UnknownTeam", []string{"report", "retention", "--team", "Mars"}, exitUsage, []string{"no team Mars"}},
		{"Listed", []string{"report"}, exitUsage, []string{"pipeline|retention|segments"}},
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
	t.Run("JSON", func(t *testing.T) {
		code, out, errOut := run(t, env, "report", "retention", "--format", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got []struct {
			Scope       string      `json:"scope"`
			StartingARR json.Number `json:"starting_arr"`
			GRRBP       *int        `json:"grr_bp"`
			NRRBP       *int        `json:"nrr_bp"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if len(got) != 2 || got[0].StartingARR != "30000.00" || got[0].GRRBP == nil || *got[0].GRRBP != 5000 || *got[0].NRRBP != 5000 || got[1].Scope != "team France" {
			t.Errorf("JSON = %s", out)
		}
	})
}
