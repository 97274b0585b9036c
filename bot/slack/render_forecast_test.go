package slack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

// digestFixture is a team of n reps with a few deals each, its rollup for
// 2026-Q4, changes since the previous week and a closed quarter's accuracy.
func digestFixture(t *testing.T, n int) bot.ForecastDigest {
	t.Helper()
	cal := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	team := forecast.Team{Name: "France", Manager: "U0MGR"}
	var quotas []forecast.Quota
	for i := range n {
		u := domain.UserID(fmt.Sprintf("U0REP%d", i+1))
		team.Members = append(team.Members, u)
		quotas = append(quotas, forecast.Quota{User: u, Period: "quarter", Amount: int64(100_000+i*1_000) * 100})
	}
	org, err := forecast.NewOrg(cal, "EUR", domain.DefaultStages(), []forecast.Team{team}, quotas)
	if err != nil {
		t.Fatal(err)
	}
	var deals []*domain.Deal
	id := domain.DealID(0)
	for i, u := range team.Members {
		for j, c := range []domain.Category{domain.Commit, domain.BestCase, domain.Upside} {
			id++
			deals = append(deals, &domain.Deal{ID: id, Owner: u, Amount: int64(10_000*(j+1)+i*500) * 100, Currency: "EUR",
				Stage: "Proposal", Category: c, CloseDate: domain.NewDate(2026, 12, 10+j), Status: domain.Open})
		}
		id++
		deals = append(deals, &domain.Deal{ID: id, Owner: u, Amount: int64(20_000+i*100) * 100, Currency: "EUR",
			Stage: "Closing", Category: domain.Commit, CloseDate: domain.NewDate(2026, 11, 3), Status: domain.Won})
	}
	p, _ := cal.ParsePeriod("2026-Q4")
	r := org.Rollup(p, deals)
	tr, _ := r.Team("France")
	d := bot.ForecastDigest{Team: "France", Period: p, Week: "2026-W49", Currency: "EUR", Total: tr.Total}
	for k, l := range tr.Reps {
		row := report.Row{Label: string(l.User), Line: l}
		if k%2 == 0 {
			row.Call, row.HasCall = l.Commit-5_000_00, true
		}
		d.Rows = append(d.Rows, row)
	}
	d.Rows = append(d.Rows, report.Row{Label: "France", Line: tr.Total})
	d.TeamCall = &forecast.Call{User: "U0MGR", Team: "France", Commit: tr.Total.Commit, BestCase: tr.Total.BestCase}
	prev := forecast.TakeSnapshot(cal, time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC), deals, p.Start)
	deals[0].Amount += 5_000_00                      // amount up
	deals[1].CloseDate = domain.NewDate(2027, 1, 15) // slipped
	deals[2].Category = domain.Commit                // category move
	deals = append(deals, &domain.Deal{ID: id + 1, Owner: team.Members[0], Amount: 7_500_00, Currency: "EUR", Stage: "Demo",
		Category: domain.Upside, CloseDate: domain.NewDate(2026, 12, 20), Status: domain.Open})
	cur := forecast.TakeSnapshot(cal, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), deals, p.Start)
	ch := forecast.Compare(prev, cur, p)
	d.Changes = &ch
	d.Accuracy = &bot.DigestAccuracy{Period: "2026-Q3", Actual: 250_000_00,
		Start: &forecast.Accuracy{Point: forecast.PointStart, Actual: 250_000_00, Called: 230_000_00, HasCall: true, ErrorBP: 800, BottomUp: 210_000_00, BottomUpErrorBP: 1600},
		Trend: []forecast.TrendPoint{{Period: "2026-Q2", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: 1250}}, {Period: "2026-Q3", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: 800}}}}
	return d
}

func TestRenderForecastGolden(t *testing.T) {
	d := digestFixture(t, 3)
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			msgs := renderDigest(loc, d)
			if len(msgs) != 1 {
				t.Fatalf("a 3-rep digest took %d messages", len(msgs))
			}
			golden(t, "forecast_digest_"+string(loc), msgs[0])
			golden(t, "forecast_report_"+string(loc), renderReply(loc, bot.ForecastReport{
				Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: d.Period, Currency: "EUR", Focus: d.Total, Rows: d.Rows}))
			golden(t, "forecast_call_context_"+string(loc), renderReply(loc, bot.CallContext{Period: d.Period, Currency: "EUR", Team: "France", Line: d.Total,
				Reps: []bot.RepCall{{User: "U0REP1", Line: d.Rows[0].Line, Call: &forecast.Call{Commit: 40_000_00, BestCase: 60_000_00}}, {User: "U0REP2", Line: d.Rows[1].Line}}}))
		})
	}
}

// TestForecastTableGolden pins the table the digest, /forecast and the
// report command draw.
func TestForecastTableGolden(t *testing.T) {
	d := digestFixture(t, 3)
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			got := report.Table(loc, "EUR", d.Rows)
			path := filepath.Join("testdata", "forecast_table_"+string(loc)+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("table differs from %s:\n%s", path, got)
			}
		})
	}
}

// TestDigestLargeTeamStaysInsideLimits renders a 60-rep team (and a much
// larger one) and checks every message against Block Kit's limits.
func TestDigestLargeTeamStaysInsideLimits(t *testing.T) {
	for _, tt := range []struct {
		name string
		reps int
		max  int // messages expected at most
	}{{"60Reps", 60, 1}, {"400Reps", 400, 3}} {
		t.Run(tt.name, func(t *testing.T) {
			d := digestFixture(t, tt.reps)
			for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
				msgs := renderDigest(loc, d)
				if len(msgs) > tt.max {
					t.Errorf("%s: %d messages, want at most %d", loc, len(msgs), tt.max)
				}
				reps := 0
				for i, m := range msgs {
					checkBlockLimits(t, fmt.Sprintf("%s message %d", loc, i+1), m)
					raw, _ := json.Marshal(m.Blocks)
					reps += strings.Count(string(raw), `\u003c@U0REP`) // json escapes <
				}
				if reps < tt.reps {
					t.Errorf("%s: the legends mention %d reps, want %d", loc, reps, tt.reps)
				}
				last, _ := json.Marshal(msgs[len(msgs)-1].Blocks)
				if !strings.Contains(string(last), bot.ActionSubmitCall) {
					t.Errorf("%s: the last message has no Submit my call button", loc)
				}
			}
		})
	}
}

// checkBlockLimits walks a message's blocks as Slack reads them.
func checkBlockLimits(t *testing.T, name string, m message) {
	t.Helper()
	if len(m.Blocks) > maxMessageBlocks {
		t.Errorf("%s: %d blocks, Slack allows %d", name, len(m.Blocks), maxMessageBlocks)
	}
	if n := utf8.RuneCountInString(m.Text); n > 4000 {
		t.Errorf("%s: text of %d characters", name, n)
	}
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []map[string]any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	textOf := func(v any) string {
		o, _ := v.(map[string]any)
		s, _ := o["text"].(string)
		return s
	}
	for i, b := range blocks {
		switch b["type"] {
		case "section":
			if n := utf8.RuneCountInString(textOf(b["text"])); n > maxSectionText {
				t.Errorf("%s block %d: section text of %d characters", name, i, n)
			}
			fields, _ := b["fields"].([]any)
			if len(fields) > 10 {
				t.Errorf("%s block %d: %d fields", name, i, len(fields))
			}
			for _, f := range fields {
				if n := utf8.RuneCountInString(textOf(f)); n > 2000 {
					t.Errorf("%s block %d: field of %d characters", name, i, n)
				}
			}
		case "header":
			if n := utf8.RuneCountInString(textOf(b["text"])); n > 150 {
				t.Errorf("%s block %d: header of %d characters", name, i, n)
			}
		case "context":
			els, _ := b["elements"].([]any)
			if len(els) > 10 {
				t.Errorf("%s block %d: %d context elements", name, i, len(els))
			}
			for _, e := range els {
				if n := utf8.RuneCountInString(textOf(e)); n > 2000 {
					t.Errorf("%s block %d: context text of %d characters", name, i, n)
				}
			}
		}
	}
}
