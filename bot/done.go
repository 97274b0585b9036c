package bot

import (
	"context"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// DoneKept is how long a record of work done (Store.MarkDone) is kept.
// Every done key names a day or an ISO week ("remind:U1:2026-11-25",
// "digest:France:2026-W48", "coach_summary:…", "backup:2026-11-25") and is
// read only while that day or week is current, to do its work once however
// many ticks, restarts or asks come meanwhile; 30 days is four times the
// longest of them, so a repeat inside a week is still recognised, and the
// bucket holds about a month of keys instead of growing for ever.
const DoneKept = 30 * 24 * time.Hour

// pruneDoneKey is the done key of a company day's pruning.
func pruneDoneKey(day domain.Date) string { return "prune-done:" + day.String() }

// pruneDoneJob forgets the done records and the form submissions' keys
// older than DoneKept, once a company day (on its first tick), at the tick's time from the bot's clock.
func (b *Bot) pruneDoneJob() Job {
	return Job{Name: "prune_done", Run: func(_ context.Context, _ Messenger, now time.Time) error {
		key := pruneDoneKey(domain.DateOf(now.In(b.cfg.Location)))
		if b.store.Done(key) {
			return nil
		}
		if _, err := b.store.PruneDone(now.Add(-DoneKept)); err != nil {
			return err
		}
		// A form submission's key is only read by its redelivery, minutes
		// later: kept as long as done work, then forgotten.
		if _, err := b.store.PruneSubmissions(now.Add(-DoneKept)); err != nil {
			return err
		}
		_, err := b.store.MarkDone(key)
		return err
	}}
}
