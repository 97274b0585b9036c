package bot_test

import (
	"context"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// TestStrangerReminderButtonsSayNothing: someone not in the configuration
// (removed since their reminder) pressing its Done or Snooze buttons is
// told they are in no team, before anything is read: for a deal that
// exists, one that does not and a value that is not one alike, so the
// answer never tells which deals exist; and nothing is written.
func TestStrangerReminderButtonsSayNothing(t *testing.T) {
	b, db := deskBot(t)
	ctx := context.Background()
	d := deskDeal(t, db, sample.Rep1, 1)
	c := bot.Caller{User: stranger}
	for _, action := range []string{bot.ActionNudgeDone, bot.ActionNudgeSnooze1, bot.ActionNudgeSnooze3} {
		for name, value := range map[string]string{
			"Existing": bot.NudgeDoneValue(d), "Missing": "999:1", "NotAValue": "x",
		} {
			reply, err := b.Action(ctx, c, action, value)
			if e, ok := err.(*domain.Error); !ok || e.Key != "deal.unknown_user" || reply != nil {
				t.Errorf("%s %s by a stranger: %v, %v; want deal.unknown_user", action, name, reply, err)
			}
		}
	}
	_, snoozes, _, err := db.NudgeLog(ctx, stranger)
	if err != nil || len(snoozes) != 0 {
		t.Errorf("the stranger's snoozes: %v, %v; want none", snoozes, err)
	}
	if now, err := db.Deal(ctx, d.ID); err != nil || now.Version != d.Version {
		t.Errorf("the deal after the stranger's buttons: %+v, %v; want it unchanged", now, err)
	}
}
