package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

// TestReportAccuracy: `dealpilot report accuracy` in table, CSV and JSON.
// The report reads the real clock, so the data is placed in last month, P:
// Rep1 wins €20,000 on P's 15th; snapshots at 08:00 on P's first day (the
// start) and on P's end − 7 days (M-1); Rep1 calls P at 25,000 after the
// first → (25,000 − 20,000) ÷ 20,000 = +2500 bp (+25%), and 22,000 after
// the second → +1000 (+10%). Nobody else calls: "–". CSV and JSON write
// the amounts in euros from the cents (2,000,000 cents: 20000.00) and Léa's
// name beside her id.
func TestReportAccuracy(t *testing.T) {
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("sample", []byte(sample.Config), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	cal := forecast.Calendar{FiscalYearStart: cfg.FiscalYearStart, Location: cfg.Location}
	p := cal.Prev(cal.Month(cal.Today(time.Now())))
	at := func(d domain.Date, hour int) time.Time {
		return d.Time(cfg.Location).Add(time.Duration(hour) * time.Hour)
	}
	clock := domain.NewManualClock(at(p.Start, 7))
	db, err := store.Open(dbPath, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Acme", Account: "Acme", Owner: sample.Rep1, Amount: 2_000_000,
		Currency: "EUR", Stage: "Negotiation", Category: domain.Commit, CloseDate: p.Start.AddDays(14),
		NextStep: "Sign", NextStepDue: p.Start.AddDays(10), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	snapAndCall := func(day domain.Date, commit int64) {
		clock.Set(at(day, 8))
		deals, err := db.Deals(ctx, domain.DealFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SaveSnapshot(ctx, forecast.TakeSnapshot(cal, clock.Now(), deals, p.Start)); err != nil {
			t.Fatal(err)
		}
		clock.Set(at(day, 9))
		if _, _, _, err := db.AddCall(ctx, forecast.Call{User: sample.Rep1, Period: p.Name, Commit: commit, BestCase: commit}, cal, ""); err != nil {
			t.Fatal(err)
		}
	}
	snapAndCall(p.Start, 2_500_000)
	clock.Set(at(p.Start.AddDays(14), 10))
	if _, _, err := db.UpdateDeal(ctx, d.ID, d.Version, sample.Rep1, func(x *domain.Deal) error { x.Status = domain.Won; return nil }); err != nil {
		t.Fatal(err)
	}
	snapAndCall(p.End.AddDays(-7), 2_200_000)
	// Léa's name as Slack last showed it; Hugo's was never seen.
	if err := db.SeePeople(ctx, map[domain.UserID]string{sample.Rep1: "Léa Dubois"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	startWeek, m1Week := forecast.ISOWeek(p.Start), forecast.ISOWeek(p.End.AddDays(-7))

	env := map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath}
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"Table", []string{"report", "accuracy", "-kind", "month", "-team", "france"}, exitOK,
			[]string{"Forecast accuracy · France · months", "(called − won) ÷ won", p.Name, "Léa Dubois (U0REP1)", "+25% / +10%", "U0REP2", "– / –", "France"}},
		{"CSV", []string{"report", "accuracy", "-kind", "month", "-format", "csv"}, exitOK,
			[]string{"kind,period,who,user,name,team,currency,point,week,won,called,error_bp,bottom_up,bottom_up_error_bp,bias",
				"month," + p.Name + ",U0REP1,U0REP1,Léa Dubois,France,EUR,start," + startWeek + ",20000.00,25000.00,2500,20000.00,0,unknown",
				"month," + p.Name + ",U0REP1,U0REP1,Léa Dubois,France,EUR,M-1," + m1Week + ",20000.00,22000.00,1000,20000.00,0,unknown",
				"month," + p.Name + ",U0REP2,U0REP2,,France,EUR,start," + startWeek + ",0.00,,,0.00,,unknown"}}, // nothing won, no call: no error at all, not 0
		{"NoQuarterYet", []string{"report", "accuracy"}, exitOK, []string{"No closed quarters with calls or snapshots yet."}},
		{"BadKind", []string{"report", "accuracy", "-kind", "week"}, exitUsage, []string{`--kind "week": use month or quarter`}},
		{"BadFormat", []string{"report", "accuracy", "-format", "xml"}, exitUsage, []string{`--format "xml"`}},
		{"UnknownTeam", []string{"report", "accuracy", "-team", "Mars"}, exitUsage, []string{"Mars"}},
		{"Extra", []string{"report", "accuracy", "now"}, exitUsage, []string{reportAccuracyUsage}},
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
		code, out, errOut := run(t, env, "report", "accuracy", "-kind", "month", "-format", "json", "-team", "France")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			Kind, Currency string
			Periods        []string
			Rows           []struct {
				Who, User, Name string
				Periods         []struct {
					Period string
					Won    json.Number
					Start  *struct {
						Called  *json.Number
						ErrorBP *int `json:"error_bp"`
					}
					M1 *struct {
						ErrorBP *int `json:"error_bp"`
					} `json:"m1"`
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if got.Kind != "month" || got.Currency != "EUR" || len(got.Periods) != 1 || got.Periods[0] != p.Name {
			t.Fatalf("head: %+v", got)
		}
		r := got.Rows[0]
		c := r.Periods[0]
		if r.Who != "U0REP1" || r.Name != "Léa Dubois" || c.Won != "20000.00" || c.Start == nil || c.Start.Called == nil ||
			*c.Start.Called != "25000.00" || c.Start.ErrorBP == nil || *c.Start.ErrorBP != 2500 ||
			c.M1 == nil || c.M1.ErrorBP == nil || *c.M1.ErrorBP != 1000 {
			t.Errorf("Rep1: %s", out)
		}
		last := got.Rows[len(got.Rows)-1]
		if last.Who != "France" || last.Name != "" || last.Periods[0].Start.ErrorBP != nil {
			t.Errorf("team row: %s", out)
		}
	})
}
