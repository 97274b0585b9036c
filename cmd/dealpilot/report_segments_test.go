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

// TestReportSegments: three deals of team France, by hand: Rep1 won
// €30,000 (retail) today and lost €10,000 (retail); Rep2 has €20,000 open
// in Qualification (software, 10 %: weighted €2,000). Retail: 1 won 1
// lost, 5000 bp, average won €30,000, too few deals (2 < 5); software: the
// pipeline only. Fit (retail) against others (software): 50 % against
// nothing closed.
func TestReportSegments(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	cfg := sample.Config + "segments:\n  - { name: industry, values: [retail, software] }\nicp:\n  industry: [retail]\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dbPath, store.Options{Clock: domain.NewManualClock(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	deal := func(owner domain.UserID, eur int64, industry string, status domain.Status) {
		nd := &domain.Deal{Name: industry, Account: industry, Owner: owner, Amount: eur * 100, Currency: "EUR",
			Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.DateOf(time.Now()).AddDays(30),
			NextStep: "Call", NextStepDue: domain.DateOf(time.Now()).AddDays(3), Status: domain.Open}
		nd.SetAttr("industry", industry)
		d, err := db.CreateDeal(ctx, nd, owner, "")
		if err != nil {
			t.Fatal(err)
		}
		if status == domain.Open {
			return
		}
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, owner, func(x *domain.Deal) error {
			x.Status, x.LossReason = status, map[domain.Status]string{domain.Lost: "price"}[status]
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	deal(sample.Rep1, 30_000, "retail", domain.Won)
	deal(sample.Rep1, 10_000, "retail", domain.Lost)
	deal(sample.Rep2, 20_000, "software", domain.Open)
	db.Close()
	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}

	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"Table", []string{"report", "segments", "--team", "france"}, exitOK, []string{
			"Segments by Industry · team France", "| retail · too few deals ", "1 / 1", "50%", "€30,000",
			"| software · too few deals |      0 / 0", "€20,000", "€2,000", "Fit deals win 50% (too few deals) in 0 days; others – (too few deals) in – days."}},
		{"CSV", []string{"report", "segments", "--format", "csv", "--attribute", "Industry"}, exitOK, []string{
			"attribute,kind,value,from,to,currency,won,lost,win_rate_bp,avg_won,cycle_median_days,pipeline,weighted,pipeline_deals,avg_discount_bp,too_few,customers,starting_arr,grr_bp,nrr_bp,loss_bp:Qualification",
			",EUR,1,1,5000,30000.00,0,0.00,0.00,0,0,true,0,0.00,,,",
			",EUR,0,0,0,0.00,0,20000.00,2000.00,1,0,true,0,0.00,,,",
			"industry,total,,"}},
		{"BadAttribute", []string{"report", "segments", "--attribute", "colour"}, exitUsage, []string{"There is no attribute colour. The attributes are: industry."}},
		{"BadFormat", []string{"report", "segments", "--format", "xml"}, exitUsage, []string{`--format "xml"`}},
		{"Listed", []string{"report"}, exitUsage, []string{"retention|segments"}},
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
	// icp: min_deals: 2: retail's 2 closed deals are enough to say
	// something, software's 0 are not, and the rule line says 2.
	t.Run("MinDeals", func(t *testing.T) {
		path := filepath.Join(dir, "evidence.yaml")
		if err := os.WriteFile(path, []byte(cfg+"  min_deals: 2\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": path}, "report", "segments")
		if code != exitOK {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if !strings.Contains(out, "| retail   ") || strings.Contains(out, "retail · too few") || !strings.Contains(out, "| software · too few deals") ||
			!strings.Contains(out, "fewer than 2 closed deals: too few") || !strings.Contains(out, "Fit deals win 50% in 0 days") {
			t.Errorf("min_deals 2 not applied:\n%s", out)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		code, out, errOut := run(t, env, "report", "segments", "--format", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			Rows []struct {
				Kind, Value string
				Won         int
				WinRateBP   int `json:"win_rate_bp"`
			}
			Fit map[string]struct {
				Won, Lost int
			}
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if len(got.Rows) != 3 || got.Rows[0].Value != "retail" || got.Rows[0].WinRateBP != 5000 || got.Rows[2].Kind != "total" || got.Fit["fit"].Lost != 1 {
			t.Errorf("json = %+v", got)
		}
	})
}

// TestReportSegmentsRetention: GRR and NRR by industry over 2026-Q4 so far
// (Oct 1 to Dec 6), by hand:
//
//	Acme (Léa)  won 2026-05-01, ARR 10,000, the deal says retail, the account
//	            nothing: retail; churned 2026-11-01: 10,000 lost
//	Beta (Hugo) won 2026-09-20, ARR 20,000, the deal says nothing, the
//	            account remembers software; downgraded by 5,000 on 2026-10-10
//	retail:   start 10,000 (1 customer), GRR = NRR = 0 ÷ 10,000 = 0 bp
//	software: start 20,000 (1 customer), GRR = NRR = 15,000 ÷ 20,000 = 7500 bp
//	not set:  Beta's deal is there, but no account stands under it: "–"
//	all:      start 30,000, GRR = NRR = 15,000 ÷ 30,000 = 5000 bp
//	          (report retention's figures, TestReportRetention)
func TestReportSegmentsRetention(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	cfg := sample.Config + "segments:\n  - { name: industry, values: [retail, software] }\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(dbPath, store.Options{Clock: domain.NewManualClock(now)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	won := func(owner domain.UserID, account, industry string, closed domain.Date, eur int64) {
		nd := &domain.Deal{Name: account + " deal", Account: account, Owner: owner, Amount: eur * 100, Currency: "EUR",
			Stage: "Closing", Category: domain.Commit, CloseDate: closed, Status: domain.Won, Recurring: eur * 100, TermMonths: 12}
		nd.SetAttr("industry", industry)
		if _, err := db.CreateDeal(ctx, nd, owner, ""); err != nil {
			t.Fatal(err)
		}
	}
	won(sample.Rep1, "Acme", "retail", domain.NewDate(2026, 5, 1), 10_000)
	won(sample.Rep2, "Beta", "", domain.NewDate(2026, 9, 20), 20_000)
	if _, err := db.AddAccountEvent(ctx, "Acme", domain.AccountEvent{Kind: domain.EventChurn, On: domain.NewDate(2026, 11, 1), Amount: 10_000_00, Currency: "EUR", By: sample.Rep1}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddAccountEvent(ctx, "Beta", domain.AccountEvent{Kind: domain.EventDowngrade, On: domain.NewDate(2026, 10, 10), Amount: 5_000_00, Currency: "EUR", By: sample.Rep2}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateAccount(ctx, "Beta", func(a *domain.Account) error {
		a.Attributes = map[string]string{"industry": "software"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	reportNow = func() time.Time { return now }
	t.Cleanup(func() { reportNow = time.Now })
	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}

	code, out, errOut := run(t, env, "report", "segments", "--period", "2026-Q4")
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, w := range []string{"GRR / NRR", "0% / 0%", "75% / 75%", "50% / 50%"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	code, out, errOut = run(t, env, "report", "segments", "--period", "2026-Q4", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, w := range []string{",customers,starting_arr,grr_bp,nrr_bp",
		"industry,value,retail,2026-10-01,2026-12-06,", ",1,10000.00,0,0",
		"industry,value,software,", ",1,20000.00,7500,7500",
		"industry,not_set,,", ",0,0.00,,",
		"industry,total,,", ",2,30000.00,5000,5000"} {
		if !strings.Contains(out, w) {
			t.Errorf("CSV lacks %q:\n%s", w, out)
		}
	}
}
