package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// Monday 30 November 2026 (ISO week 2026-W49) in Paris (UTC+1).
var (
	monday0759 = time.Date(2026, 11, 30, 6, 59, 0, 0, time.UTC)
	monday0800 = time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)
	monday1100 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tuesday    = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
)

// seedForecast stores a few Q4 deals for the sample reps and a quota each.
func (h *harness) seedForecast() []*domain.Deal {
	h.t.Helper()
	ctx := context.Background()
	var out []*domain.Deal
	for i, d := range []struct {
		owner  domain.UserID
		name   string
		amount int64
		cat    domain.Category
	}{
		{sample.Rep1, "Acme renewal", 40_000_00, domain.Commit},
		{sample.Rep1, "Boulangeries pilot", 25_000_00, domain.BestCase},
		{sample.Rep2, "Cabinet Moreau rollout", 60_000_00, domain.Commit},
		{sample.Rep3, "Transports Girard expansion", 15_000_00, domain.Upside},
	} {
		created, err := h.store().CreateDeal(ctx, &domain.Deal{
			Name: d.name, Account: d.name, Owner: d.owner, Amount: d.amount, Currency: "EUR",
			Stage: "Qualification", Category: d.cat, CloseDate: domain.NewDate(2026, 12, 10+i),
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 12, 2), Status: domain.Open,
		}, d.owner, "")
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, created)
	}
	for _, u := range []domain.UserID{sample.Rep1, sample.Rep2, sample.Rep3} {
		if err := h.store().SetQuota(ctx, forecast.Quota{User: u, Period: "2026-Q4", Amount: 100_000_00}, sample.Manager); err != nil {
			h.t.Fatal(err)
		}
	}
	return out
}

// digests returns the digest messages the bot posted in the team channel.
func (h *harness) digests() []slacktest.Message {
	return digestsIn(h.srv.Messages(sample.ForecastChannel))
}

func digestsIn(msgs []slacktest.Message) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range msgs {
		if m.Source == "chat.postMessage" && strings.Contains(m.Text, "France forecast") {
			out = append(out, m)
		}
	}
	return out
}

// completedFiles counts the uploads finished with files.completeUploadExternal.
func completedFiles(st *slacktest.State) int {
	n := 0
	for _, f := range st.Files {
		if f.Completed {
			n++
		}
	}
	return n
}

func (h *harness) waitDigest(n int) slacktest.Message {
	h.t.Helper()
	err := h.srv.WaitFor(ctxT(h.t), func(st *slacktest.State) bool { return len(digestsIn(st.Messages[sample.ForecastChannel])) >= n })
	if err != nil {
		h.t.Fatalf("waiting for digest %d: %v (have %d)", n, err, len(h.digests()))
	}
	return h.digests()[n-1]
}

func TestForecastDigestSchedule(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()

	h.tickAt(monday0759)
	if got := len(h.digests()); got != 0 {
		t.Fatalf("a digest was posted at 07:59: %d", got)
	}
	h.tickAt(monday0800)
	m := h.waitDigest(1)
	text := m.Render()
	wantContains(t, text, "France forecast · 2026-Q4", "€140,000", "Commit", "Submit my call", "first digest",
		"| Who | Won (EUR) | Commit | Best | Att. | Call |", "| <@U0REP1> | ", "| <@U0REP2> | ")
	if strings.Contains(text, "```") {
		t.Errorf("the digest still draws a code block:\n%s", text)
	}

	t.Run("ChartAndCSVUploadedWithUploadV2", func(t *testing.T) {
		if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) == 2 }); err != nil {
			t.Fatalf("no chart and CSV: %v", err)
		}
		chart, csv := h.srv.Files()[0], h.srv.Files()[1]
		if chart.Channel != sample.ForecastChannel || !strings.HasSuffix(chart.Name, ".png") || !strings.HasPrefix(string(chart.Content), "\x89PNG") {
			t.Errorf("chart = %s in %s, %d bytes", chart.Name, chart.Channel, len(chart.Content))
		}
		// The full table, every column of dealpilot report, exact figures.
		if csv.Channel != sample.ForecastChannel || csv.Name != "forecast-france-2026-W49.csv" {
			t.Errorf("CSV = %s in %s", csv.Name, csv.Channel)
		}
		wantContains(t, string(csv.Content),
			"period,who,user,name,team,currency,won,commit,best_case,upside,pipeline,weighted,quota,attainment_bp,gap,coverage_bp,call_commit\n",
			// People by name (a file holds no mention), their ids beside;
			// amounts in euros written from the cents.
			"2026-Q4,Léa Dubois,U0REP1,Léa Dubois,France,EUR,0.00,40000.00,", "2026-Q4,Hugo Bernard,U0REP2,Hugo Bernard,France,EUR,",
			"2026-Q4,France,,,France,EUR,")
		// The names Slack gave (users.info) are kept in the file, for
		// reports offline.
		people, err := h.db.People(ctxT(t))
		if err != nil || people[sample.Rep1] != "Léa Dubois" || people[sample.Rep2] != "Hugo Bernard" {
			t.Errorf("names kept = %v, %v", people, err)
		}
		if strings.Contains(string(csv.Content), "2026-Q4,U0REP") {
			t.Errorf("a rep named by id in the CSV:\n%s", csv.Content)
		}
		if n := len(h.srv.Calls("files.getUploadURLExternal")); n != 2 {
			t.Errorf("files.getUploadURLExternal called %d times", n)
		}
		if n := len(h.srv.Calls("files.completeUploadExternal")); n != 2 {
			t.Errorf("files.completeUploadExternal called %d times", n)
		}
	})
	t.Run("SecondTickPostsNothing", func(t *testing.T) {
		h.tickAt(monday0800.Add(time.Minute))
		if got := len(h.digests()); got != 1 {
			t.Errorf("%d digests after a second tick", got)
		}
	})
	t.Run("RestartPostsNothing", func(t *testing.T) {
		h.restart()
		h.tickAt(monday0800.Add(2 * time.Minute))
		if got := len(h.digests()); got != 1 {
			t.Errorf("%d digests after a restart", got)
		}
		if got := len(h.srv.Files()); got != 2 {
			t.Errorf("%d files (chart and CSV) after a restart", got)
		}
	})
	t.Run("NextWeekShowsChanges", func(t *testing.T) {
		ctx := context.Background()
		deals, err := h.store().Deals(ctx, domain.DealFilter{Owners: []domain.UserID{sample.Rep1}})
		if err != nil || len(deals) != 2 {
			t.Fatalf("deals: %v, %v", deals, err)
		}
		h.clock.Set(monday0800.Add(48 * time.Hour))
		for _, d := range deals {
			_, _, err := h.store().UpdateDeal(ctx, d.ID, 0, sample.Rep1, func(x *domain.Deal) error {
				if x.Name == "Acme renewal" {
					x.Amount = 48_000_00
				} else {
					x.CloseDate = domain.NewDate(2027, 1, 20)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		h.tickAt(monday0800.Add(7 * 24 * time.Hour))
		m := h.waitDigest(2)
		wantContains(t, m.Render(), "Changes since 2026-W49", "Amount up", "€40,000 → €48,000 (+€8,000)", "Slipped out of 2026-Q4")
		if !strings.Contains(m.Render(), "<@U0REP1> · €25,000 · close date Dec 11, 2026 → Jan 20, 2027") {
			t.Errorf("the slipped deal's owner is not mentioned:\n%s", m.Render())
		}
	})
}

// TestForecastDigestAttachmentRetried fails the chart's upload: the CSV is
// uploaded all the same, and the next tick uploads the chart alone.
func TestForecastDigestAttachmentRetried(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	h.srv.FailWith("files.completeUploadExternal", 1, 400) // the first upload, the chart's: not retried
	h.clock.Set(monday0800)
	errs := h.bot.Tick(ctxT(t), h.app)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "uploading forecast-france-2026-W49.png") {
		t.Errorf("the tick's errors = %v, want the chart's upload", errs)
	}
	h.waitDigest(1)
	names := func(st *slacktest.State) []string {
		var out []string
		for _, id := range st.FileOrder { // upload order; st.Files is a map
			if f := st.Files[id]; f.Completed {
				out = append(out, f.Name)
			}
		}
		return out
	}
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) == 1 }); err != nil {
		t.Fatalf("the CSV waited on the chart: %v", err)
	}
	if got := names(h.srv.State()); len(got) != 1 || !strings.HasSuffix(got[0], ".csv") {
		t.Fatalf("uploaded %v, want the CSV", got)
	}
	h.tickAt(monday0800.Add(time.Minute))
	h.tickAt(monday0800.Add(2 * time.Minute))
	got := names(h.srv.State())
	if len(got) != 2 || !strings.HasSuffix(got[1], ".png") {
		t.Errorf("after two more ticks: %v, want the CSV then the chart, once each", got)
	}
	if n := len(h.digests()); n != 1 {
		t.Errorf("%d digests", n)
	}
}

func TestForecastDigestMissedSchedule(t *testing.T) {
	t.Run("PostsOnceWhenBackTheSameDay", func(t *testing.T) {
		h := newHarness(t)
		h.seedForecast()
		h.tickAt(monday1100)
		h.waitDigest(1)
		h.tickAt(monday1100.Add(time.Minute))
		h.restart()
		h.tickAt(monday1100.Add(2 * time.Minute))
		if got := len(h.digests()); got != 1 {
			t.Errorf("%d digests", got)
		}
	})
	t.Run("NothingTheDayAfter", func(t *testing.T) {
		h := newHarness(t)
		h.seedForecast()
		h.tickAt(tuesday)
		if got := len(h.digests()); got != 0 {
			t.Errorf("%d digests posted on Tuesday for Monday", got)
		}
	})
}

func TestForecastDigestCommand(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	h.clock.Set(monday0759)
	t.Run("ErrRepCannotPost", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(sample.Rep1, "/forecast", "digest")), "Only a team's manager or an admin")
	})
	t.Run("ManagerPostsNow", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(sample.Manager, "/forecast", "digest")), "Posting the France digest")
		h.waitDigest(1)
		if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return completedFiles(st) == 2 }); err != nil {
			t.Fatalf("no chart and CSV: %v", err)
		}
	})
	t.Run("ScheduleThenSkipsTheWeek", func(t *testing.T) {
		h.tickAt(monday0800)
		if got := len(h.digests()); got != 1 {
			t.Errorf("%d digests: the scheduled one repeated the manual one", got)
		}
	})
}

func TestForecastSubmit(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	submit := func(t *testing.T, user domain.UserID, inv *slacktest.Invocation, v slacktest.Values) (slacktest.Ack, *slacktest.Invocation) {
		t.Helper()
		view, err := inv.WaitView(ctxT(t))
		if err != nil {
			t.Fatalf("no modal: %v", err)
		}
		sub, err := h.srv.SubmitView(string(user), view.ID, v)
		if err != nil {
			t.Fatal(err)
		}
		ack, err := sub.WaitAck(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		return ack, sub
	}
	t.Run("ErrBestCaseBelowCommit", func(t *testing.T) {
		inv := h.slash(sample.Rep1, "/forecast", "submit")
		ack, _ := submit(t, sample.Rep1, inv, slacktest.Values{"commit": "50k", "best_case": "40k"})
		if ack.ResponseAction != "errors" || !strings.Contains(ack.Errors["best_case"], "Best case cannot be below commit") {
			t.Errorf("ack = %+v", ack)
		}
	})
	t.Run("RepCall", func(t *testing.T) {
		inv := h.slash(sample.Rep1, "/forecast", "submit")
		view, err := inv.WaitView(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, slacktest.RenderBlocks(view.Blocks), "Your bottom-up for 2026-Q4", "commit €40,000", "best case €65,000")
		ack, _ := submit(t, sample.Rep1, inv, slacktest.Values{"commit": "50k", "best_case": "80k", "comment": "Acme signs in December"})
		if len(ack.Errors) > 0 {
			t.Fatalf("refused: %v", ack.Errors)
		}
		rs, err := inv.WaitResponses(ctxT(t), 2)
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, rs[len(rs)-1].Render(), "Your call for 2026-Q4 is saved: commit €50,000, best case €80,000.")
	})
	t.Run("ChangedCallShowsWhatChanged", func(t *testing.T) {
		h.clock.Set(now.Add(24 * time.Hour))
		inv := h.slash(sample.Rep1, "/forecast", "submit 2026-Q4")
		ack, _ := submit(t, sample.Rep1, inv, slacktest.Values{"commit": "60k", "best_case": "80k", "comment": "Acme signs in December"})
		if len(ack.Errors) > 0 {
			t.Fatalf("refused: %v", ack.Errors)
		}
		rs, err := inv.WaitResponses(ctxT(t), 2)
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, rs[len(rs)-1].Render(), "Changed since the call of", "Commit: €50,000 → €60,000 (+€10,000)")
	})
	t.Run("ManagerSeesRepCalls", func(t *testing.T) {
		inv := h.slash(sample.Manager, "/forecast", "submit")
		view, err := inv.WaitView(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		body := slacktest.RenderBlocks(view.Blocks)
		wantContains(t, body, "Team France bottom-up for 2026-Q4", "Your reps' calls", "call: commit €60,000", "no call yet")
		ack, _ := submit(t, sample.Manager, inv, slacktest.Values{"commit": "120k", "best_case": "150k"})
		if len(ack.Errors) > 0 {
			t.Fatalf("refused: %v", ack.Errors)
		}
		rs, err := inv.WaitResponses(ctxT(t), 2)
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, rs[len(rs)-1].Render(), "The France team's call for 2026-Q4 is saved")
	})
	t.Run("DigestButtonOpensTheForm", func(t *testing.T) {
		h.tickAt(monday0800)
		m := h.waitDigest(1)
		wantContains(t, m.Render(), "Team call: commit €120,000 · best case €150,000", "*Upside*") // the team call, upside kept
		inv, err := h.srv.BlockAction(string(sample.Rep2), slacktest.InMessage(sample.ForecastChannel, m.TS), slacktest.Action{ActionID: bot.ActionSubmitCall})
		if err != nil {
			t.Fatal(err)
		}
		view, err := inv.WaitView(ctxT(t))
		if err != nil {
			t.Fatalf("the button opened no form: %v", err)
		}
		wantContains(t, slacktest.RenderBlocks(view.Blocks), "Your bottom-up for 2026-Q4", "commit €60,000")
	})
}

func TestForecastQuotaAndRollup(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	for _, tt := range []struct {
		name string
		user domain.UserID
		args string
		want string
	}{
		{"ErrRepForbidden", sample.Rep1, "quota <@U0REP1> 500k", "Only <@U0MGR>, the manager of <@U0REP1>'s team, or an admin"},
		{"ErrBadAmount", sample.Manager, "quota <@U0REP1> lots", "not"},
		{"ErrBadPeriod", sample.Manager, "quota <@U0REP1> 150k 2026-Q9", "'2026-Q9' is not a period"},
		{"ErrNoTeam", sample.Manager, "quota <@U0VP> 150k", "is in no team"},
		{"ManagerChanges", sample.Manager, "quota <@U0REP1> 150k", "<@U0REP1>'s quota for 2026-Q4 is now €150,000 (it was €100,000)."},
		{"AdminSetsNamedPeriod", sample.Admin, "quota <@U0REP2> 50k 2026-12", "<@U0REP2>'s quota for 2026-12 is now €50,000."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(tt.user, "/forecast", tt.args)), tt.want)
		})
	}
	t.Run("RepRollup", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(sample.Rep1, "/forecast", "")),
			"# Forecast · 2026-Q4", "(Forecast of <@U0REP1> · 2026-Q4)", "€40,000", "€65,000", "€150,000")
	})
	t.Run("TeamRollup", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(sample.Rep1, "/forecast", "france 2026-Q4")), "France forecast · 2026-Q4", "€350,000", "| <@U0REP1> | ")
	})
	t.Run("ErrUsage", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(sample.Rep1, "/forecast", "nextweek")), "'nextweek' is not a user, a team")
	})
}

// TestDigestTeamSizesPosted posts the digest of 3, 25 and 120 reps through
// the bot's messenger to the local Slack, which refuses what Slack refuses
// (one table per message, 100 rows, no empty cell…): every part is
// accepted, every rep is mentioned in a table row, and no id shows as text.
func TestDigestTeamSizesPosted(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		reps, parts int
	}{{3, 1}, {25, 1}, {120, 2}} {
		t.Run(fmt.Sprintf("%dReps", tt.reps), func(t *testing.T) {
			before := len(h.srv.Messages(sample.ForecastChannel))
			d := slackapp.DigestFixture(t, tt.reps)
			if _, err := h.app.Post(ctxT(t), sample.ForecastChannel, "", d); err != nil {
				t.Fatalf("posting the digest: %v", err)
			}
			posted := h.srv.Messages(sample.ForecastChannel)[before:]
			if len(posted) != tt.parts {
				t.Fatalf("%d messages posted, want %d", len(posted), tt.parts)
			}
			var all strings.Builder
			for _, m := range posted {
				all.WriteString(m.Render() + "\n")
			}
			text := all.String()
			for i := range tt.reps {
				if row := fmt.Sprintf("| <@U0REP%d> | ", i+1); strings.Count(text, row) != 1 {
					t.Errorf("the tables have %d rows %q, want 1", strings.Count(text, row), row)
				}
			}
			if loc := slackapp.RawID.FindStringIndex(text); loc != nil {
				t.Errorf("a raw id is shown: …%s…", text[max(0, loc[0]-40):min(len(text), loc[1]+20)])
			}
			wantContains(t, posted[len(posted)-1].Render(), "Submit my call")
		})
	}
}
