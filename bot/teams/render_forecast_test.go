package teams

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// repID is the Microsoft Entra object id of the fixture's i-th rep (from 0).
func repID(i int) domain.UserID {
	return domain.UserID(fmt.Sprintf("7a1c0de5-0000-4000-8000-%012d", i+1))
}

// repName is how Teams names the fixture's i-th rep.
func repName(i int) string { return fmt.Sprintf("Rep %02d", i+1) }

// digestRenderer renders with the fixture's reps named as Teams names them.
func digestRenderer(loc i18n.Locale, n int) renderer {
	names := map[domain.UserID]string{}
	for i := range n {
		names[repID(i)] = repName(i)
	}
	return renderer{loc: loc, name: func(u domain.UserID) string { return names[u] }, typed: typedIn(bot.New(bot.Options{}).Commands())}
}

// digestFixture is the France team of n reps, hasQuota picking who has a
// quota: three open deals and a win each in 2026-Q4, a call on every
// other rep's row and the team's, the changes since the previous week (an
// amount up, a slip, a category move, a loss to a named competitor, a new
// deal) and the last closed quarter's accuracy; the same story as the
// Slack renderer's digest goldens.
func digestFixture(t *testing.T, n int, hasQuota func(i int) bool) bot.ForecastDigest {
	t.Helper()
	cal := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	team := forecast.Team{Name: "France", Manager: marcAAD}
	var quotas []forecast.Quota
	for i := range n {
		team.Members = append(team.Members, repID(i))
		if hasQuota(i) {
			quotas = append(quotas, forecast.Quota{User: repID(i), Period: "quarter", Amount: int64(100_000+i*1_000) * 100})
		}
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
	tr, _ := org.Rollup(p, deals).Team("France")
	d := bot.ForecastDigest{Team: "France", Period: p, Week: "2026-W49", Currency: "EUR", Total: tr.Total, NoQuota: tr.NoQuota}
	for k, l := range tr.Reps {
		row := report.Row{Label: string(l.User), Line: l}
		if k%2 == 0 {
			row.Call, row.HasCall = l.Commit-5_000_00, true
		}
		d.Rows = append(d.Rows, row)
	}
	d.Rows = append(d.Rows, report.Row{Label: "France", Line: tr.Total})
	d.TeamCall = &forecast.Call{User: marcAAD, Team: "France", Commit: tr.Total.Commit, BestCase: tr.Total.BestCase}
	prev := forecast.TakeSnapshot(cal, time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC), deals, p.Start)
	deals[0].Amount += 5_000_00
	deals[1].CloseDate = domain.NewDate(2027, 1, 15)
	deals[2].Category = domain.Commit
	if len(deals) > 4 {
		deals[4].Status = domain.Lost
		d.LostTo = map[domain.DealID]string{deals[4].ID: "Rival Inc"}
	}
	deals = append(deals, &domain.Deal{ID: id + 1, Owner: team.Members[0], Amount: 7_500_00, Currency: "EUR", Stage: "Demo",
		Category: domain.Upside, CloseDate: domain.NewDate(2026, 12, 20), Status: domain.Open})
	ch := forecast.Compare(prev, forecast.TakeSnapshot(cal, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), deals, p.Start), p)
	d.Changes = &ch
	d.Accuracy = &bot.DigestAccuracy{Period: "2026-Q3", Actual: 250_000_00,
		Start: &forecast.Accuracy{Point: forecast.PointStart, Actual: 250_000_00, Called: 230_000_00, HasCall: true, ErrorBP: -800, BottomUp: 210_000_00, BottomUpErrorBP: -1600},
		Trend: []forecast.TrendPoint{{Period: "2026-Q2", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: 1250}}, {Period: "2026-Q3", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: -800}}},
		Bias:  forecast.BiasMixed, Over: domain.UserList{repID(0)}, Under: domain.UserList{repID(1)}}
	return d
}

func everyone(int) bool { return true }

// sharedSchema is cardSchema: nil when the shared folder is absent.
func sharedSchema(t *testing.T) *teamstest.CardSchema { return cardSchema(t) }

// checkCard validates c against the Adaptive Cards 1.5 schema and its
// weight against maxCard, and returns it as indented JSON.
func checkCard(t *testing.T, what string, c card) []byte {
	t.Helper()
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if s := sharedSchema(t); s != nil {
		if err := s.Validate(raw); err != nil {
			t.Errorf("%s is not an Adaptive Card 1.5: %v", what, err)
		}
	}
	compact, _ := json.Marshal(c)
	if n := messageSize(compact); n > maxCard {
		t.Errorf("%s weighs %d bytes as Teams counts them, over %d", what, n, maxCard)
	}
	return raw
}

// hasSubmitCall reports whether c offers the digest's Submit my call
// button, opening the call form in a dialog.
func hasSubmitCall(c card) bool {
	for _, a := range asList(c["actions"]) {
		data, _ := a["data"].(map[string]any)
		ms, _ := data["msteams"].(map[string]any)
		if data[actionKey] == bot.ActionSubmitCall && ms["type"] == "task/fetch" {
			return true
		}
	}
	return false
}

// firstCells is the first cell's text of each row of c's tables, header
// rows left out.
func firstCells(c card) []string {
	var out []string
	for _, el := range asList(c["body"]) {
		if el["type"] != "Table" {
			continue
		}
		for i, row := range asList(el["rows"]) {
			if i == 0 {
				continue // the header
			}
			cell := asList(row["cells"])[0]
			out = append(out, fmt.Sprint(asList(cell["items"])[0]["text"]))
		}
	}
	return out
}

func asList(x any) []map[string]any {
	var out []map[string]any
	switch x := x.(type) {
	case []any:
		for _, v := range x {
			if m, ok := v.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// TestForecastCardsCarrySlacksContent: the digest's card carries what
// Slack's digest does, each part checked apart (the goldens pin the
// words): the week line, the ten headline figures, the team's call, who
// has no quota, the per-rep table, the changes since last week with the
// slipped deals, the accuracy lines and the Submit my call button; the
// /forecast card its headline figures and no-quota note; the call form's
// context the bottom-up figures and each rep's call. Goldens in English
// and French, every card a valid Adaptive Card 1.5 under maxCard.
func TestForecastCardsCarrySlacksContent(t *testing.T) {
	some := digestFixture(t, 3, func(i int) bool { return i == 0 })
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			r := digestRenderer(loc, 3)
			tt := func(key string, args ...any) string { return r.text(bot.M(key, args...)) }
			money := func(v int64) string { return i18n.FormatAmount(loc, v, "EUR") }

			dg := r.digest(some)
			raw := checkCard(t, "the digest", dg.card)
			golden(t, filepath.Join("testdata", "forecast_digest_"+string(loc)+".json"), append(raw, '\n'))
			got := cardText(raw)
			wants := []string{
				tt("forecast.digest.header", "France", "2026-Q4"),
				tt("forecast.digest.week", "2026-W49", "EUR"),
				tt("forecast.digest.team_call", domain.Money{Minor: some.TeamCall.Commit, Currency: "EUR"}, domain.Money{Minor: some.TeamCall.BestCase, Currency: "EUR"}),
				tt("forecast.no_quota", some.NoQuota),
				tt("forecast.changes.title", "2026-W48"),
				i18n.T(loc, "forecast.changes.amount_up"), i18n.T(loc, "forecast.changes.lost"), "Rival Inc",
				tt("forecast.slipped.title", "2026-Q4"),
				tt("forecast.accuracy.over", domain.UserList{repID(0)}),
				"Rep 01", "Rep 02", "Rep 03", i18n.T(loc, "forecast.button.submit"),
			}
			for _, f := range report.Figures(loc, "EUR", some.Total) {
				wants = append(wants, md(f[0]), md(f[1]))
			}
			wantIn(t, "the digest", got, wants...)
			if !strings.Contains(got, "2026-Q3") || !strings.Contains(got, money(250_000_00)) {
				t.Errorf("the digest has no accuracy line:\n%s", got)
			}
			if !hasSubmitCall(dg.card) {
				t.Errorf("the digest has no Submit my call button:\n%s", raw)
			}
			if strings.Contains(got, string(repID(0))) {
				t.Errorf("the digest shows a rep's id, not their name:\n%s", got)
			}

			rep := bot.ForecastReport{Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: some.Period, Currency: "EUR",
				Focus: some.Total, Rows: some.Rows, NoQuota: some.NoQuota}
			c, _, _ := r.render(rep)
			raw = checkCard(t, "the /forecast card", c)
			golden(t, filepath.Join("testdata", "forecast_report_"+string(loc)+".json"), append(raw, '\n'))
			wants = []string{tt("forecast.no_quota", some.NoQuota), "Rep 01", "Rep 03"}
			for _, f := range report.Figures(loc, "EUR", some.Total) {
				wants = append(wants, md(f[0]), md(f[1]))
			}
			wantIn(t, "the /forecast card", cardText(raw), wants...)

			cc := bot.CallContext{Period: some.Period, Currency: "EUR", Team: "France", Line: some.Total,
				Previous: &forecast.Call{Commit: 45_000_00, BestCase: 65_000_00, At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)},
				Reps:     []bot.RepCall{{User: repID(0), Line: some.Rows[0].Line, Call: &forecast.Call{Commit: 40_000_00, BestCase: 60_000_00}}, {User: repID(1), Line: some.Rows[1].Line}}}
			c, _, _ = r.render(cc)
			raw = checkCard(t, "the call form's context", c)
			golden(t, filepath.Join("testdata", "forecast_call_context_"+string(loc)+".json"), append(raw, '\n'))
			wantIn(t, "the call form's context", cardText(raw), money(some.Total.Commit), money(some.Total.BestCase), "Rep 01", "Rep 02",
				tt("forecast.context.reps"), money(60_000_00), money(65_000_00))
		})
	}
}

// TestForecastReportOfOneLine: a rep's own /forecast is its figures,
// without a table of the same single line.
func TestForecastReportOfOneLine(t *testing.T) {
	d := digestFixture(t, 1, everyone)
	r := digestRenderer(i18n.EN, 1)
	c, _, _ := r.render(bot.ForecastReport{Title: bot.M("forecast.title_rep", repID(0), "2026-Q4"), Period: d.Period, Currency: "EUR",
		Focus: d.Rows[0].Line, Rows: d.Rows[:1]})
	raw := checkCard(t, "a rep's /forecast", c)
	if strings.Contains(string(raw), `"Table"`) {
		t.Errorf("a single line is drawn as a table too:\n%s", raw)
	}
	wantIn(t, "a rep's /forecast", cardText(raw), i18n.T(i18n.EN, "forecast.label.coverage"))
}

// TestForecastReportFitsACard: the company's /forecast of 300 reps shows
// as many rows as a card takes and counts the rest.
func TestForecastReportFitsACard(t *testing.T) {
	d := digestFixture(t, 300, everyone)
	r := digestRenderer(i18n.EN, 300)
	c, _, _ := r.render(bot.ForecastReport{Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: d.Period, Currency: "EUR",
		Focus: d.Total, Rows: d.Rows, Skipped: 2})
	raw := checkCard(t, "a 300-rep /forecast", c)
	got := cardText(raw)
	if !strings.Contains(got, "…and ") || !strings.Contains(got, "dealpilot report forecast") {
		t.Errorf("the rows left out are not counted:\n%.2000s", got)
	}
	wantIn(t, "a 300-rep /forecast", got, "Rep 01", r.text(bot.M("forecast.skipped", 2)))
}

// TestDigestCardsTeamSizes: the digest of 3, 25 and 120 reps, in both
// languages, is posted as cards that each fit (schema-valid, under
// maxCard); every rep is named once in the tables, in order; the week and
// the figures open the first card only, the changes, the accuracy and
// Submit my call end the last only, and a digest cut in parts numbers them.
func TestDigestCardsTeamSizes(t *testing.T) {
	for _, tt := range []struct {
		name string
		reps int
		many bool // in several cards
	}{{"3Reps", 3, false}, {"25Reps", 25, true}, {"120Reps", 120, true}} {
		t.Run(tt.name, func(t *testing.T) {
			d := digestFixture(t, tt.reps, everyone)
			for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
				r := digestRenderer(loc, tt.reps)
				parts := r.digestCards(d)
				if got := len(parts) > 1; got != tt.many {
					t.Fatalf("%s: %d cards", loc, len(parts))
				}
				week := r.text(bot.M("forecast.digest.week", d.Week, "EUR"))
				figure := md(i18n.T(loc, "forecast.label.weighted"))
				changes := r.text(bot.M("forecast.changes.title", "2026-W48"))
				var named []string
				for i, p := range parts {
					what := fmt.Sprintf("%s card %d of %d", loc, i+1, len(parts))
					got := cardText(checkCard(t, what, p.card))
					named = append(named, firstCells(p.card)...)
					first, last := i == 0, i == len(parts)-1
					if strings.Contains(got, week) != first || strings.Contains(got, figure) != first {
						t.Errorf("%s: the week line or the figures are where they should not be (first %v):\n%s", what, first, got)
					}
					if strings.Contains(got, changes) != last || hasSubmitCall(p.card) != last {
						t.Errorf("%s: the changes or Submit my call are where they should not be (last %v):\n%s", what, last, got)
					}
					if len(parts) > 1 && !strings.Contains(p.summary, fmt.Sprintf("(%d/%d)", i+1, len(parts))) {
						t.Errorf("%s: its title does not number it: %q", what, p.summary)
					}
				}
				var want []string
				for i := range tt.reps {
					want = append(want, repName(i))
				}
				want = append(want, "France")
				if !slices.Equal(named, want) {
					t.Errorf("%s: the tables' rows are %v, want %v", loc, named, want)
				}
			}
		})
	}
}
