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
			"attribute,kind,value,from,to,currency,won,lost,win_rate_bp,avg_won,cycle_median_days,pipeline,weighted,pipeline_deals,avg_discount_bp,too_few,loss_bp:Qualification",
			",EUR,1,1,5000,30000.00,0,0.00,0.00,0,0,true,",
			",EUR,0,0,0,0.00,0,20000.00,2000.00,1,0,true,",
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
