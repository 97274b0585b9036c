package slack_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// withConfig runs the harness on another configuration file.
func withConfig(yaml string) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) {
		cfg, err := config.Parse("test.yaml", []byte(yaml), slackapp.IDs())
		if err != nil {
			h.t.Fatal(err)
		}
		h.cfg = cfg
	}
}

// repNY is a rep in New York, added to the sample team for the time zone tests.
const repNY domain.UserID = "U0REPNY"

func nyConfig() string {
	return strings.Replace(sample.Config, "members: [U0REP1, U0REP2, U0REP3]", "members: [U0REP1, U0REP2, U0REP3, U0REPNY]", 1)
}

// seedNudged stores an open deal for owner created at created whose next
// step was due on due, then puts the clock back where it was.
func (h *harness) seedNudged(owner domain.UserID, name string, created time.Time, due domain.Date) *domain.Deal {
	h.t.Helper()
	back := h.clock.Now()
	defer h.clock.Set(back)
	h.clock.Set(created)
	d, err := h.store().CreateDeal(context.Background(), &domain.Deal{
		Name: name, Account: name + " SA", Owner: owner, Amount: 2_000_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2027, 1, 20),
		Need: "A CRM", NextStep: "Call back " + name, NextStepDue: due, Status: domain.Open,
	}, owner, "")
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// at sets the harness clock and ticks the jobs.
func (h *harness) tickAt(t time.Time) {
	h.t.Helper()
	h.clock.Set(t)
	h.tick()
}

// tickSlow ticks at t like tickAt, allowing the long fan-outs a minute
// (the race detector and a loaded machine slow them down).
func (h *harness) tickSlow(t time.Time) {
	h.t.Helper()
	h.clock.Set(t)
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, err := range b.Tick(ctx, app) {
		h.t.Errorf("scheduled job: %v", err)
	}
}

// dms returns the bot's messages in user's DM.
func (h *harness) dms(user domain.UserID) []slacktest.Message {
	return h.srv.Messages(h.srv.DMChannel(string(user)))
}

// dmCounts counts, per DM channel, the bot's posted messages.
func dmCounts(st *slacktest.State) (map[string]int, int) {
	counts := map[string]int{}
	total := 0
	for ch, msgs := range st.Messages {
		if !strings.HasPrefix(ch, "D") {
			continue
		}
		for _, m := range msgs {
			if m.Source == "chat.postMessage" {
				counts[ch]++
				total++
			}
		}
	}
	return counts, total
}

func TestRemindersAtEachRepsNineOClock(t *testing.T) {
	h := newHarness(t, withConfig(nyConfig()))
	h.srv.AddUser(slacktest.User{ID: string(repNY), Name: "nina", RealName: "Nina Brooks", TZ: "America/New_York"})
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	paris := h.seedNudged(sample.Rep1, "Acme", created, domain.NewDate(2026, 11, 20))
	parisB := h.seedNudged(sample.Rep1, "Bolt", created, domain.NewDate(2026, 11, 23))
	h.seedNudged(sample.Rep3, "Crest", created, domain.NewDate(2026, 11, 24))
	h.seedNudged(repNY, "Delta", created, domain.NewDate(2026, 11, 24))

	// Thursday 26 November 2026: Paris is UTC+1, London UTC+0, New York UTC-5.
	steps := []struct {
		name string
		at   time.Time
		want map[domain.UserID]int // DMs each rep has after the tick
	}{
		{"BeforeParisNine", time.Date(2026, 11, 26, 7, 59, 0, 0, time.UTC), map[domain.UserID]int{sample.Rep1: 0, sample.Rep3: 0, repNY: 0}},
		{"ParisNine", time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC), map[domain.UserID]int{sample.Rep1: 1, sample.Rep3: 0, repNY: 0}},
		{"LondonNine", time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), map[domain.UserID]int{sample.Rep1: 1, sample.Rep3: 1, repNY: 0}},
		{"NewYorkNine", time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC), map[domain.UserID]int{sample.Rep1: 1, sample.Rep3: 1, repNY: 1}},
		{"SameDayAgain", time.Date(2026, 11, 26, 14, 5, 0, 0, time.UTC), map[domain.UserID]int{sample.Rep1: 1, sample.Rep3: 1, repNY: 1}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.tickAt(s.at)
			for u, n := range s.want {
				if got := len(h.dms(u)); got != n {
					t.Errorf("%s has %d reminders, want %d", u, got, n)
				}
			}
		})
	}
	dm := h.dms(sample.Rep1)[0]
	wantContains(t, dm.Render(), "Deals that need you today (2)", paris.ID.Ref(), parisB.ID.Ref(),
		"Next step “Call back Acme” was due Nov 20, 2026.", "Done", "Snooze 1 day", "Snooze 3 days", "Update deal")

	click := func(user domain.UserID, m slacktest.Message, action string, d *domain.Deal) *slacktest.Invocation {
		t.Helper()
		inv, err := h.srv.BlockAction(string(user), slacktest.InMessage(m.Channel, m.TS),
			slacktest.Action{ActionID: action, BlockID: fmt.Sprintf("nudge_%d", d.ID)})
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}

	t.Run("Update", func(t *testing.T) {
		v, err := click(sample.Rep1, dm, bot.ActionUpdate, paris).WaitView(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if v.CallbackID != string(bot.FormUpdateDeal) {
			t.Errorf("Update opened %q", v.CallbackID)
		}
	})

	t.Run("Done", func(t *testing.T) {
		v, err := click(sample.Rep1, dm, bot.ActionNudgeDone, parisB).WaitView(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if v.CallbackID != string(bot.FormNextStep) {
			t.Fatalf("Done opened %q", v.CallbackID)
		}
		if d := h.deal(parisB.ID); d.NextStep != "" {
			t.Errorf("the done step is still there: %q", d.NextStep)
		}
		sub, err := h.srv.SubmitView(string(sample.Rep1), v.ID, slacktest.Values{"next_step": "Send the contract", "next_step_due": "2026-12-03"})
		if err != nil {
			t.Fatal(err)
		}
		if ack, err := sub.WaitAck(ctxT(t)); err != nil || len(ack.Errors) > 0 {
			t.Fatalf("next step refused: %v %v", err, ack.Errors)
		}
		if d := h.deal(parisB.ID); d.NextStep != "Send the contract" || d.NextStepDue != domain.NewDate(2026, 12, 3) {
			t.Errorf("next step = %q %s", d.NextStep, d.NextStepDue)
		}
	})

	t.Run("Snooze", func(t *testing.T) {
		inv := click(sample.Rep1, dm, bot.ActionNudgeSnooze3, paris)
		wantContains(t, h.answer(inv), paris.ID.Ref()+" snoozed until Nov 29, 2026")
		// Friday: Acme is snoozed, Bolt was done and has a new next step:
		// nothing to say.
		h.tickAt(time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC))
		if n := len(h.dms(sample.Rep1)); n != 1 {
			t.Fatalf("a snoozed deal was sent again on Friday (%d DMs)", n)
		}
		// Monday: the snooze has ended, Acme comes back, alone.
		h.tickAt(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
		msgs := h.dms(sample.Rep1)
		if len(msgs) != 2 {
			t.Fatalf("%d DMs after the snooze, want 2", len(msgs))
		}
		got := msgs[1].Render()
		wantContains(t, got, paris.ID.Ref(), "Deals that need you today (1)")
		if strings.Contains(got, parisB.ID.Ref()) {
			t.Errorf("a deal sent before came back without a change:\n%s", got)
		}
	})
}

func TestNudgesCommandAndPipeline(t *testing.T) {
	h := newHarness(t)
	h.seedNudged(sample.Rep2, "Echo", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), domain.NewDate(2026, 11, 20))
	tests := []struct {
		name  string
		user  domain.UserID
		cmd   string
		text  string
		wants []string
	}{
		{"PauseBadLength", sample.Rep2, "/deal", "nudges pause forever", []string{"'forever' is not a pause length"}},
		{"Usage", sample.Rep2, "/deal", "nudges sometimes", []string{"/deal nudges on"}},
		{"Off", sample.Rep2, "/deal", "nudges off", []string{"Reminders are off"}},
		{"Status", sample.Rep2, "/deal", "nudges", []string{"Reminders are off"}},
		{"Pause", sample.Rep2, "/deal", "nudges pause 1w", []string{"Reminders are paused until Dec 2, 2026"}},
		{"PipelineManager", sample.Manager, "/pipeline", "", []string{"Pipeline · team France", "Win rate", "Conversion", "Qualification"}},
		{"PipelineRepOwn", sample.Rep2, "/pipeline", "quarter", []string{"Pipeline · <@U0REP2>", "Oct 1, 2026"}},
		{"PipelineTeammate", sample.Rep2, "/pipeline", "<@U0REP1|lea>", []string{"Pipeline · <@U0REP1>"}},
		{"PipelineOfSomeoneElse", sample.Rep2, "/pipeline", "<@U0VP|vp>", []string{"your own team only, and <@U0VP> is not in it"}},
		{"PipelineBadPeriod", sample.Manager, "/pipeline", "team lately", []string{"'lately' is neither"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(tc.user, tc.cmd, tc.text)), tc.wants...)
		})
	}
	t.Run("PausedGetsNothing", func(t *testing.T) {
		h.tickAt(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
		if n := len(h.dms(sample.Rep2)); n != 0 {
			t.Fatalf("a paused rep got %d reminders", n)
		}
	})
	t.Run("OnAgain", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "nudges on")), "Reminders are on", "09:00")
		h.tickAt(time.Date(2026, 11, 26, 8, 1, 0, 0, time.UTC))
		if n := len(h.dms(sample.Rep2)); n != 1 {
			t.Fatalf("%d reminders after nudges on, want 1", n)
		}
	})
}

func TestManagerSummaryOnMondayAfterTheDigest(t *testing.T) {
	h := newHarness(t)
	h.seedNudged(sample.Rep1, "Foxtrot", time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC), domain.NewDate(2026, 10, 20))
	// Monday 30 November 2026; the digest is at 08:00 Paris (07:00 UTC).
	h.tickAt(time.Date(2026, 11, 30, 6, 59, 0, 0, time.UTC))
	if n := len(h.dms(sample.Manager)); n != 0 {
		t.Fatalf("summary sent before the digest (%d)", n)
	}
	h.tickAt(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	h.tickAt(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	msgs := h.dms(sample.Manager)
	if len(msgs) != 1 {
		t.Fatalf("%d summaries, want 1", len(msgs))
	}
	wantContains(t, msgs[0].Render(), "Coaching summary · France", "<@U0REP1>", "<@U0REP2>", "<@U0REP3>",
		"Deals worth a conversation", "Foxtrot", "next step overdue")
	// Tuesday: no summary.
	h.tickAt(time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC))
	if n := len(h.dms(sample.Manager)); n != 1 {
		t.Errorf("%d summaries by Tuesday, want 1", n)
	}
}

// bigTeam is a configuration with n reps, all in Paris, and one deal each
// whose next step is overdue.
func bigTeam(t *testing.T, n int) (*harness, []domain.UserID) {
	t.Helper()
	reps := make([]domain.UserID, n)
	for i := range reps {
		reps[i] = domain.UserID(fmt.Sprintf("U%04d", 1000+i))
	}
	names := make([]string, n)
	for i, r := range reps {
		names[i] = string(r)
	}
	yaml := `currency: EUR
locale: en
timezone: Europe/Paris
teams:
  - name: Big
    manager: U0MGR
    members: [` + strings.Join(names, ", ") + `]
    channel: C0FORECAST
schedules:
  reminders_at: "09:00"
`
	// 500 reminders in one tick is a load test of the fan-out itself: at
	// Slack's limits (conversations.open 50 a minute, chat.postMessage a few
	// hundred) it would spend ten minutes waiting out 429s, which the bot
	// does (TestBurstPastRateLimitLosesNothing), so the limits are off here
	// and the tests inject their own 429s.
	h := newHarness(t, withConfig(yaml), withServerOptions(slacktest.WithoutRateLimits()))
	for _, r := range reps {
		h.srv.AddUser(slacktest.User{ID: string(r), Name: strings.ToLower(string(r)), TZ: "Europe/Paris"})
	}
	// One deal each, created concurrently so the store batches the commits.
	h.clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, r := range reps {
		wg.Go(func() {
			_, err := h.store().CreateDeal(context.Background(), &domain.Deal{
				Name: "Deal of " + string(r), Account: "Account " + string(r), Owner: r, Amount: 1_000_000, Currency: "EUR",
				Stage: "Discovery", Category: domain.Pipeline, CloseDate: domain.NewDate(2027, 1, 20),
				NextStep: "Call", NextStepDue: domain.NewDate(2026, 11, 20), Status: domain.Open,
			}, r, "")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return h, reps
}

// exactlyOneEach fails unless every rep has exactly one reminder.
func exactlyOneEach(t *testing.T, h *harness, reps []domain.UserID) {
	t.Helper()
	counts, total := dmCounts(h.srv.State())
	for _, r := range reps {
		if n := counts[h.srv.DMChannel(string(r))]; n != 1 {
			t.Errorf("%s got %d reminders, want exactly 1", r, n)
		}
	}
	if total != len(reps) {
		t.Errorf("%d reminders for %d reps", total, len(reps))
	}
}

func TestRemindersFanOutUnderRateLimits(t *testing.T) {
	h, reps := bigTeam(t, 500)
	// slack-go reads Retry-After in whole seconds: each 429 costs a second.
	h.srv.Throttle("chat.postMessage", 2, time.Millisecond)
	h.srv.Throttle("conversations.open", 1, time.Millisecond)
	start := time.Now()
	h.tickSlow(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	t.Logf("500 reminders in %s", time.Since(start))
	if rl := h.srv.Counters().RateLimited; rl != 3 {
		t.Errorf("%d calls rate limited, want 3", rl)
	}
	exactlyOneEach(t, h, reps)
	// A second tick the same day sends nothing.
	h.tickSlow(time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC))
	exactlyOneEach(t, h, reps)
}

func TestRemindersKilledMidFanOut(t *testing.T) {
	h, reps := bigTeam(t, 500)
	h.clock.Set(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	ctx, kill := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Tick(ctx, app)
	}()
	wait, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := h.srv.WaitFor(wait, func(st *slacktest.State) bool { _, n := dmCounts(st); return n >= 150 }); err != nil {
		t.Fatal(err)
	}
	kill()
	<-done
	_, sent := dmCounts(h.srv.State())
	t.Logf("stopped after %d of %d reminders", sent, len(reps))
	if sent >= len(reps) {
		t.Fatalf("the fan-out finished before it was stopped; the test proves nothing")
	}
	h.restart()
	h.tickSlow(h.clock.Now())
	exactlyOneEach(t, h, reps)
}
