package slack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// digestFixture is a team of n reps with a few deals each, its rollup for
// 2026-Q4, changes since the previous week and a closed quarter's accuracy.
func digestFixture(t *testing.T, n int) bot.ForecastDigest {
	t.Helper()
	return digestFixtureQuotas(t, n, func(int) bool { return true })
}

// digestFixtureQuotas is digestFixture where only the reps hasQuota picks
// (by index) have a quota.
func digestFixtureQuotas(t *testing.T, n int, hasQuota func(i int) bool) bot.ForecastDigest {
	t.Helper()
	cal := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	team := forecast.Team{Name: "France", Manager: "U0MGR"}
	var quotas []forecast.Quota
	for i := range n {
		u := domain.UserID(fmt.Sprintf("U0REP%d", i+1))
		team.Members = append(team.Members, u)
		if hasQuota(i) {
			quotas = append(quotas, forecast.Quota{User: u, Period: "quarter", Amount: int64(100_000+i*1_000) * 100})
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
	r := org.Rollup(p, deals)
	tr, _ := r.Team("France")
	d := bot.ForecastDigest{Team: "France", Period: p, Week: "2026-W49", Currency: "EUR", Total: tr.Total, NoQuota: tr.NoQuota}
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
	if len(deals) > 4 {
		deals[4].Status = domain.Lost // the second rep's commit deal, lost to a known competitor
	}
	deals = append(deals, &domain.Deal{ID: id + 1, Owner: team.Members[0], Amount: 7_500_00, Currency: "EUR", Stage: "Demo",
		Category: domain.Upside, CloseDate: domain.NewDate(2026, 12, 20), Status: domain.Open})
	cur := forecast.TakeSnapshot(cal, time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), deals, p.Start)
	ch := forecast.Compare(prev, cur, p)
	d.Changes = &ch
	if len(deals) > 4 {
		d.LostTo = map[domain.DealID]string{deals[4].ID: "Rival Inc"}
	}
	// Q3: won 250,000; called 230,000 at the start → −20,000 ÷ 250,000 =
	// −800 bp (sandbagging); bottom-up 210,000 → −1600. Q2's start was an
	// over-call of +1250: signs differ, beyond 5 % → mixed. REP1 over-calls,
	// REP2 sandbags (their own trends, not shown).
	d.Accuracy = &bot.DigestAccuracy{Period: "2026-Q3", Actual: 250_000_00,
		Start: &forecast.Accuracy{Point: forecast.PointStart, Actual: 250_000_00, Called: 230_000_00, HasCall: true, ErrorBP: -800, BottomUp: 210_000_00, BottomUpErrorBP: -1600},
		Trend: []forecast.TrendPoint{{Period: "2026-Q2", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: 1250}}, {Period: "2026-Q3", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: -800}}},
		Bias:  forecast.BiasMixed, Over: domain.UserList{"U0REP1"}, Under: domain.UserList{"U0REP2"}}
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

// TestRenderNoQuotaGolden: a team where only U0REP1 has a quota shows its
// coverage over her alone and names the others, in the digest and the team
// view; a team with no quota at all names everyone and says there is no
// ratio. U0REP1: quota 100,000; won 20,000; open 10,000 + 20,000 + 30,000 =
// 60,000 (all close in Dec) → gap 80,000, coverage 60,000 ÷ 80,000 = 0.75 →
// "0.8x", attainment 20 %.
func TestRenderNoQuotaGolden(t *testing.T) {
	some := digestFixtureQuotas(t, 3, func(i int) bool { return i == 0 })
	none := digestFixtureQuotas(t, 3, func(int) bool { return false })
	if bp, ok := some.Total.Coverage(); !ok || bp != 7500 || some.Total.AttainmentBP != 2000 {
		t.Fatalf("coverage %d (%v), attainment %d; want 7500, 2000", bp, ok, some.Total.AttainmentBP)
	}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			golden(t, "forecast_digest_some_quotas_"+string(loc), renderDigest(loc, some)[0])
			golden(t, "forecast_report_some_quotas_"+string(loc), renderReply(loc, bot.ForecastReport{
				Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: some.Period, Currency: "EUR", Focus: some.Total, Rows: some.Rows, NoQuota: some.NoQuota}))
			golden(t, "forecast_report_no_quota_"+string(loc), renderReply(loc, bot.ForecastReport{
				Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: none.Period, Currency: "EUR", Focus: none.Total, Rows: none.Rows, NoQuota: none.NoQuota}))
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

// TestDigestTeamSizes renders the digest of 3, 25 and 120 reps (and a much
// larger team) in both languages: within Block Kit's limits, one table per
// message, every rep named by a mention in a table row, no raw id shown,
// and the Submit my call button on the last message.
func TestDigestTeamSizes(t *testing.T) {
	for _, tt := range []struct {
		name string
		reps int
		msgs int // messages expected
	}{{"3Reps", 3, 1}, {"25Reps", 25, 1}, {"120Reps", 120, 2}, {"400Reps", 400, 5}} {
		t.Run(tt.name, func(t *testing.T) {
			d := digestFixture(t, tt.reps)
			for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
				msgs := renderDigest(loc, d)
				if len(msgs) != tt.msgs {
					t.Errorf("%s: %d messages, want %d", loc, len(msgs), tt.msgs)
				}
				named := map[string]int{}
				for i, m := range msgs {
					name := fmt.Sprintf("%s message %d", loc, i+1)
					checkBlockLimits(t, name, m)
					for user, n := range tableMentions(t, name, m) {
						named[user] += n
					}
					checkNoRawIDs(t, name, m)
				}
				for i := range tt.reps {
					if u := fmt.Sprintf("U0REP%d", i+1); named[u] != 1 {
						t.Errorf("%s: %s is named %d times in the tables, want once", loc, u, named[u])
					}
				}
				last, _ := json.Marshal(msgs[len(msgs)-1].Blocks)
				if !strings.Contains(string(last), bot.ActionSubmitCall) {
					t.Errorf("%s: the last message has no Submit my call button", loc)
				}
			}
		})
	}
}

// tableMentions checks that m holds at most one table, each row as wide as
// its header, and counts the users its rows mention.
func tableMentions(t *testing.T, name string, m message) map[string]int {
	t.Helper()
	raw, _ := json.Marshal(m.Blocks)
	var blocks []struct {
		Type string `json:"type"`
		Rows [][]struct {
			Type     string `json:"type"`
			Text     string `json:"text"`
			Elements []struct {
				Elements []struct {
					Type   string `json:"type"`
					UserID string `json:"user_id"`
				} `json:"elements"`
			} `json:"elements"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	users := map[string]int{}
	tables := 0
	for _, b := range blocks {
		if b.Type != "table" {
			continue
		}
		tables++
		if len(b.Rows) > maxTableRows {
			t.Errorf("%s: a table of %d rows", name, len(b.Rows))
		}
		for r, row := range b.Rows {
			if len(row) != len(b.Rows[0]) {
				t.Errorf("%s: row %d has %d cells, the header %d", name, r, len(row), len(b.Rows[0]))
			}
			for _, c := range row {
				if c.Type == "raw_text" && c.Text == "" {
					t.Errorf("%s: an empty cell in row %d", name, r)
				}
				for _, sec := range c.Elements {
					for _, e := range sec.Elements {
						if e.Type == "user" {
							users[e.UserID]++
						}
					}
				}
			}
		}
	}
	if tables > 1 {
		t.Errorf("%s: %d tables, Slack takes one per message", name, tables)
	}
	return users
}

// rawID is a user id shown as text rather than mentioned.
var rawID = regexp.MustCompile(`(^|[^@A-Z0-9])U0[A-Z0-9]+`)

// checkNoRawIDs fails when a message shows a user id anywhere but in a
// mention (<@U…> in mrkdwn, a user element in a table).
func checkNoRawIDs(t *testing.T, name string, m message) {
	t.Helper()
	raw, _ := json.Marshal(m.Blocks)
	shown := regexp.MustCompile(`"user_id":"U0[A-Z0-9]+"`).ReplaceAllString(string(raw), "")
	shown = strings.ReplaceAll(shown, `\u003c@`, "<@")
	if loc := rawID.FindStringIndex(shown); loc != nil {
		t.Errorf("%s shows a raw user id: …%s…", name, shown[max(0, loc[0]-40):min(len(shown), loc[1]+20)])
	}
	for _, b := range m.Blocks {
		if h, ok := b.(*goslack.HeaderBlock); ok && strings.Contains(h.Text.Text, "<@") {
			t.Errorf("%s: a header (plain text) shows a mention as markup: %s", name, h.Text.Text)
		}
	}
	if rawID.MatchString(m.Text) {
		t.Errorf("%s: the notification text shows a raw user id: %s", name, m.Text)
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

// DigestFixture and RawID serve the end-to-end tests (package slack_test),
// which post the same digests through the bot's messenger.
var (
	DigestFixture = digestFixture
	RawID         = rawID
)

// TestFrenchAmountsNeverBreak checks the spaces in French figures: the
// digest's table cells group thousands with U+202F (narrow, never breaks),
// never an ordinary space; the fixed-width table of the report command uses
// U+00A0, which every monospace font draws a column wide.
func TestFrenchAmountsNeverBreak(t *testing.T) {
	d := digestFixture(t, 3)
	raw, _ := json.Marshal(renderDigest(i18n.FR, d)[0].Blocks)
	var blocks []struct {
		Type string `json:"type"`
		Rows [][]struct {
			Text string `json:"text"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	figures := 0
	for _, b := range blocks {
		for _, row := range b.Rows[min(1, len(b.Rows)):] {
			for _, c := range row[1:] {
				if strings.Contains(c.Text, " ") || strings.Contains(c.Text, "\u00a0") {
					t.Errorf("table cell %q has a space that is not U+202F", c.Text)
				}
				if strings.Contains(c.Text, "\u202f") {
					figures++
				}
			}
		}
	}
	if figures == 0 {
		t.Error("no French figure grouped with U+202F in the table")
	}
	mono := report.Table(i18n.FR, "EUR", d.Rows)
	if strings.Contains(mono, "\u202f") || !strings.Contains(mono, "20\u00a0000") {
		t.Errorf("the fixed-width table does not group with U+00A0:\n%q", mono)
	}
}

// TestTitlesNamePeople renders every reply whose title may name a person:
// a header is plain text, so it never shows a mention's markup nor an id,
// and the person is mentioned in the line under it.
func TestTitlesNamePeople(t *testing.T) {
	d := digestFixture(t, 3)
	rep := domain.UserID("U0REP1")
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for _, tt := range []struct {
			name  string
			reply bot.Reply
		}{
			{"ForecastOfRep", bot.ForecastReport{Title: bot.M("forecast.title_rep", rep, "2026-Q4"), Period: d.Period, Currency: "EUR", Focus: d.Rows[0].Line, Rows: d.Rows[:1]}},
			{"ForecastOfTeam", bot.ForecastReport{Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: d.Period, Currency: "EUR", Focus: d.Total, Rows: d.Rows}},
			{"PipelineOfRep", samplePipeline(bot.M("raw", rep))},
			{"DealsOfRep", bot.DealList{Title: bot.M("list.theirs", rep, 2), Deals: sampleDeals()}},
			{"DealsOfRepFiltered", bot.DealList{Title: bot.M("list.filtered", bot.M("list.theirs", rep, 2), "commit"), Deals: sampleDeals()}},
		} {
			t.Run(string(loc)+"/"+tt.name, func(t *testing.T) {
				m := renderReply(loc, tt.reply)
				checkNoRawIDs(t, tt.name, m)
				raw, _ := json.Marshal(m.Blocks)
				if strings.Contains(tt.name, "Rep") && !strings.Contains(string(raw), `\u003c@U0REP1\u003e`) {
					t.Errorf("the rep is not mentioned:\n%s", raw)
				}
			})
		}
	}
}

// TestTableCellsNeverEmpty renders a row with no label: Slack refuses an
// empty cell, so it shows "–".
func TestTableCellsNeverEmpty(t *testing.T) {
	d := digestFixture(t, 1)
	rows := []report.Row{{Label: "", Line: d.Total}}
	tb := forecastTables(i18n.EN, "EUR", rows)[0].(*goslack.TableBlock)
	if c, ok := tb.Rows[1][0].(*goslack.TableRawTextCell); !ok || c.Text != "–" {
		t.Errorf("the empty label renders as %#v", tb.Rows[1][0])
	}
}

// TestForecastReportOneTable renders /forecast for a company of 120 reps:
// one message takes one table, so the rows past its 99 are counted.
func TestForecastReportOneTable(t *testing.T) {
	d := digestFixture(t, 120)
	m := renderReply(i18n.EN, bot.ForecastReport{Title: bot.M("forecast.title_company", "2026-Q4"), Period: d.Period, Currency: "EUR", Focus: d.Total, Rows: d.Rows})
	checkBlockLimits(t, "report", m)
	named := tableMentions(t, "report", m)
	if len(named) != maxTableBody {
		t.Errorf("the table names %d reps, want %d", len(named), maxTableBody)
	}
	wantIn(t, slackRender(m), "…and 22 more rows: dealpilot report forecast has them all.")
}

func wantIn(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("lacks %q:\n%s", want, got)
	}
}

func slackRender(m message) string {
	raw, _ := json.Marshal(m.Blocks)
	return string(raw)
}

// TestRenderDigestAccuracyNothingWon: a quarter where nothing was won and
// €40,000 was called has no error to show: the digest says "n/a (called
// €40,000, won 0)", never "+100%", and its trend point reads n/a.
func TestRenderDigestAccuracyNothingWon(t *testing.T) {
	d := digestFixture(t, 3)
	na := forecast.Accuracy{Point: forecast.PointStart, Called: 40_000_00, HasCall: true, Unmeasurable: true}
	d.Accuracy = &bot.DigestAccuracy{Period: "2026-Q3", Start: &na,
		Trend: []forecast.TrendPoint{{Period: "2026-Q2", Accuracy: forecast.Accuracy{HasCall: true, ErrorBP: 1250}}, {Period: "2026-Q3", Accuracy: na}}}
	for _, tc := range []struct {
		loc      i18n.Locale
		line, pt string
	}{{i18n.EN, "called n/a (called €40,000, won 0)", "2026-Q3 n/a"}, {i18n.FR, "prévu n.d. (prévu 40", "2026-Q3 n.d."}} {
		b, err := json.Marshal(renderDigest(tc.loc, d))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, want := range []string{tc.line, tc.pt} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: digest lacks %q", tc.loc, want)
			}
		}
		if strings.Contains(s, "+100") {
			t.Errorf("%s: digest still shows +100%%", tc.loc)
		}
	}
}
