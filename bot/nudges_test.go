package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// TestDealNudgesWithoutATransport: /deal nudges through bot's own types.
// Each answer, and what the next reminders tick does with it: on Monday
// 2026-11-30 at 09:05 in Paris, "pause 1w" (Rep1) and "off" (Rep2) keep
// them from the reminder Rep3 gets; the pause ends at the start of
// Monday 7 December in the rep's zone, which the answer names; a bad
// length or word is refused with its message and changes nothing.
func TestDealNudgesWithoutATransport(t *testing.T) {
	cfg := sampleConfig(t)
	now := time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location)
	b, _ := seededBot(t, cfg, now)
	ctx := context.Background()
	nudges := b.Commands()["/deal"].Subs["nudges"]
	answer := func(u domain.UserID, args string) (bot.Msg, string) {
		t.Helper()
		r, err := nudges(ctx, bot.Caller{User: u}, args)
		if err != nil {
			var e *domain.Error
			if es, ok := domain.ErrorsOf(err); ok && len(es) == 1 {
				e = es[0]
			}
			if e == nil {
				t.Fatalf("%q: %v", args, err)
			}
			return bot.Msg{}, e.Key
		}
		ms := threadMsgs(r)
		if len(ms) != 1 {
			t.Fatalf("%q answered %+v", args, r)
		}
		return ms[0], ""
	}
	for _, tc := range []struct{ args, err string }{
		{"pause 60d", "coach.nudges.bad_len"}, {"pause 0d", "coach.nudges.bad_len"},
		{"pause soon", "coach.nudges.bad_len"}, {"sometimes", "coach.nudges.usage"},
	} {
		if _, key := answer(sample.Rep3, tc.args); key != tc.err {
			t.Errorf("%q refused with %q, want %q", tc.args, key, tc.err)
		}
	}
	if m, _ := answer(sample.Rep3, ""); m.Key != "coach.nudges.on" || len(m.Args) != 1 || m.Args[0] != "09:00" {
		t.Errorf("status after refusals: %+v, want on at 09:00", m)
	}
	m, _ := answer(sample.Rep1, "pause 1w")
	if m.Key != "coach.nudges.paused" || len(m.Args) != 1 || m.Args[0] != coaching.Day(domain.NewDate(2026, 12, 7)) {
		t.Errorf("pause 1w: %+v, want paused until 7 Dec", m)
	}
	if m, _ := answer(sample.Rep2, "off"); m.Key != "coach.nudges.off" {
		t.Errorf("off: %+v", m)
	}
	if m, _ := answer(sample.Rep1, "status"); m.Key != "coach.nudges.paused" {
		t.Errorf("status while paused: %+v", m)
	}
	rec := &jobMessenger{}
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}
	reminded := map[domain.UserID]bool{}
	for _, s := range rec.since(0) {
		if _, ok := s.reply.(bot.Reminder); ok {
			reminded[s.user] = true
		}
	}
	if len(reminded) != 1 || !reminded[sample.Rep3] {
		t.Errorf("reminded %v, want Rep3 alone (Rep1 paused, Rep2 off)", reminded)
	}
}
