package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// TestRemovedUserCannotSnooze: a rep removed from the configuration still
// has yesterday's reminder; its Snooze button now gets a one-line refusal
// and writes nothing (it used to snooze whatever deal the button named).
func TestRemovedUserCannotSnooze(t *testing.T) {
	h := newHarness(t)
	d := h.seedNudged(sample.Rep1, "Acme", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), domain.NewDate(2026, 11, 20))
	h.tickAt(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)) // 09:00 in Paris
	dms := h.dms(sample.Rep1)
	if len(dms) != 1 {
		t.Fatalf("Rep1 has %d reminders, want 1", len(dms))
	}
	cfg, err := config.Parse("test.yaml", []byte(strings.Replace(sample.Config, "members: [U0REP1, U0REP2, U0REP3]", "members: [U0REP2, U0REP3]", 1)), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	h.cfg = cfg
	h.restart()

	inv, err := h.srv.BlockAction(string(sample.Rep1), slacktest.InMessage(dms[0].Channel, dms[0].TS),
		slacktest.Action{ActionID: bot.ActionNudgeSnooze3, BlockID: fmt.Sprintf("nudge_%d", d.ID)})
	if err != nil {
		t.Fatal(err)
	}
	got := h.answer(inv)
	if !strings.Contains(got, "You are not in any team") || strings.Count(strings.TrimSpace(got), "\n") > 0 || strings.Contains(got, d.ID.Ref()) {
		t.Errorf("snooze by a removed rep answered:\n%s\nwant the one-line refusal", got)
	}
	_, snoozes, _, err := h.store().NudgeLog(context.Background(), sample.Rep1)
	if err != nil || len(snoozes) != 0 {
		t.Errorf("snoozes of the removed rep: %v, %v; want none", snoozes, err)
	}
}

// TestFormerOwnersSnoozeDoesNotSilenceNewOwner: a deal the former owner
// snoozed for three days still reaches its new owner's reminder the next
// morning: the snooze was the former owner's choice.
func TestFormerOwnersSnoozeDoesNotSilenceNewOwner(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	d := h.seedNudged(sample.Rep1, "Acme", created, domain.NewDate(2026, 11, 20))
	own := h.seedNudged(sample.Rep2, "Bolt", created, domain.NewDate(2026, 11, 20)) // Rep2 has a reminder either way
	if err := h.store().Snooze(ctx, sample.Rep1, coaching.Snooze{Deal: d.ID, Until: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.store().UpdateDeal(ctx, d.ID, 0, sample.Manager, func(x *domain.Deal) error { x.Owner = sample.Rep2; return nil }); err != nil {
		t.Fatal(err)
	}
	h.tickAt(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)) // 09:00 in Paris
	dms := h.dms(sample.Rep2)
	if len(dms) != 1 {
		t.Fatalf("Rep2 has %d reminders, want 1", len(dms))
	}
	wantContains(t, dms[0].Render(), own.ID.Ref(), d.ID.Ref())
}
