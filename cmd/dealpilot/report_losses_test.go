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
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// TestReportLosses: two deals of team France lost today, by hand (CSV and
// JSON amounts in euros written from the cents, names beside the ids):
//
//	Rep1 €30,000, 10 % approved by the desk → net 27,000; price; competitor
//	     none on the loss, "Rival Inc" on the desk request
//	Rep2 €10,000; "budget freeze" (not configured); no competitor
//	total 2 deals, 37,000. Rep1 27,000 ÷ 37,000 = 7297.30 → 7297 bp;
//	Rep2 10,000 ÷ 37,000 = 2702.70 → 2703 bp; each deal 5000 bp.
func TestReportLosses(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	// A second team, Germany, that lost nothing.
	cfg := strings.Replace(sample.Config, "    channel: C0FORECAST\n", "    channel: C0FORECAST\n  - name: Germany\n    manager: U0MGR2\n    members: [U0DE1]\n    channel: C0FORECAST\n", 1)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dbPath, store.Options{Clock: domain.NewManualClock(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lose := func(owner domain.UserID, eur int64, reason string, discountBP int, competitor string) {
		d, err := db.CreateDeal(ctx, &domain.Deal{Name: reason, Account: reason, Owner: owner, Amount: eur * 100, Currency: "EUR",
			Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.DateOf(time.Now()).AddDays(30),
			NextStep: "Call", NextStepDue: domain.DateOf(time.Now()).AddDays(3), Status: domain.Open}, owner, "")
		if err != nil {
			t.Fatal(err)
		}
		if discountBP > 0 {
			r, err := desk.NewRequest(desk.Policy{Bands: []desk.Band{{UpTo: 20}}, RequirePlanAbove: 20}, desk.Draft{Deal: d.ID, Requester: owner,
				DiscountBP: discountBP, ListAmount: d.Amount, Currency: "EUR", Justification: "x", Competitor: competitor, DealVersion: d.Version}, sample.Manager, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateDeskRequest(ctx, r, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, owner, func(x *domain.Deal) error {
			x.Status, x.LossReason = domain.Lost, reason
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	lose(sample.Rep1, 30_000, "price", 1000, "Rival Inc")
	lose(sample.Rep2, 10_000, "budget freeze", 0, "")
	// Léa's name as Slack last showed it; Hugo's was never seen.
	if err := db.SeePerson(ctx, sample.Rep1, "Léa Dubois"); err != nil {
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
		{"Table", []string{"report", "losses", "--team", "france"}, exitOK, []string{
			"Losses · team France", "2 deals lost, €37,000 net", "| Stage lost at", "| Qualification |",
			"100% (2 of 2)", "budget freeze (not in loss_reasons)", "| Rival Inc", "| unknown", "72.97%", "27.03%",
			"| Léa Dubois (U0REP1)", "| U0REP2 "}},
		{"CSV", []string{"report", "losses", "--format", "csv", "--period", "month"}, exitOK, []string{
			"from,to,currency,breakdown,key,name,listed,deals,amount,deals_bp,amount_bp,cohort_entered,cohort_advanced,cohort_lost,cohort_loss_bp",
			",EUR,total,,,,2,37000.00,10000,10000,,,,",
			",EUR,stage,Qualification,,true,2,37000.00,10000,10000,2,0,2,10000",
			",EUR,reason,price,,true,1,27000.00,5000,7297,,,,",
			",EUR,reason,no decision,,true,0,0.00,0,0,,,,",
			",EUR,reason,budget freeze,,false,1,10000.00,5000,2703,,,,",
			",EUR,rep,U0REP1,Léa Dubois,false,1,27000.00,5000,7297,,,,",
			",EUR,rep,U0REP2,,false,1,10000.00,5000,2703,,,,",
			",EUR,competitor,Rival Inc,,false,1,27000.00,5000,7297,,,,",
			",EUR,competitor,,,false,1,10000.00,5000,2703,,,,"}},
		{"BadFormat", []string{"report", "losses", "--format", "xml"}, exitUsage, []string{`--format "xml"`}},
		{"BadPeriod", []string{"report", "losses", "--period", "lately"}, exitUsage, []string{"--period: 'lately' is not a period", "2026-Q4", "this-quarter", "90d"}},
		{"UnknownTeam", []string{"report", "losses", "--team", "Mars"}, exitUsage, []string{"no team Mars"}},
		{"Extra", []string{"report", "losses", "now"}, exitUsage, []string{"usage: dealpilot report losses"}},
		{"Listed", []string{"report"}, exitUsage, []string{"forecast|losses|pipeline"}},
		{"NoneInTheWindow", []string{"report", "losses", "--team", "Germany"}, exitOK, []string{"Losses · team Germany", "No deal lost from"}},
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
		code, out, errOut := run(t, env, "report", "losses", "--format", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			Scope, Currency string
			Deals           int
			Amount          json.Number
			ByStage         []struct {
				Key    string
				Deals  int
				Cohort struct {
					Entered, Lost int
					LossBP        int `json:"loss_bp"`
				} `json:"cohort"`
			} `json:"by_stage"`
			ByCompetitor []struct {
				Key      string
				Amount   json.Number
				AmountBP int `json:"amount_bp"`
			} `json:"by_competitor"`
			ByRep []struct{ Key, Name string } `json:"by_rep"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if got.Scope != "all teams" || got.Currency != "EUR" || got.Deals != 2 || got.Amount != "37000.00" {
			t.Errorf("totals = %+v", got)
		}
		if s := got.ByStage[0]; s.Key != "Qualification" || s.Deals != 2 || s.Cohort.Entered != 2 || s.Cohort.Lost != 2 || s.Cohort.LossBP != 10_000 {
			t.Errorf("first stage = %+v", s)
		}
		if c := got.ByCompetitor; len(c) != 2 || c[0].Key != "Rival Inc" || c[0].Amount != "27000.00" || c[0].AmountBP != 7297 || c[1].Key != "" {
			t.Errorf("by competitor = %+v", c)
		}
		if r := got.ByRep; len(r) != 2 || r[0].Key != "U0REP1" || r[0].Name != "Léa Dubois" || r[1].Name != "" {
			t.Errorf("by rep = %+v", r)
		}
	})
}

// TestReportLossesReadsTheReportClock: report losses reads the clock every
// report reads (reportNow), not the wall clock: judged on 2031-05-20, this
// month is May 2031 and holds the loss of 05-10, whatever the machine's date.
func TestReportLossesReadsTheReportClock(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	lostAt := time.Date(2031, 5, 10, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(dbPath, store.Options{Clock: domain.NewManualClock(lostAt)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Acme", Account: "Acme", Owner: sample.Rep1, Amount: 1_234_500, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2031, 6, 30),
		NextStep: "Call", NextStepDue: domain.NewDate(2031, 5, 12), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.UpdateDeal(ctx, d.ID, 0, sample.Rep1, func(x *domain.Deal) error {
		x.Status, x.LossReason = domain.Lost, "price"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	reportNow = func() time.Time { return time.Date(2031, 5, 20, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { reportNow = time.Now })
	code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath},
		"report", "losses", "--team", "France", "--period", "this-month", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "2031-05-01,2031-05-20,EUR,total,,,,1,12345.00,10000,10000,,,,"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
