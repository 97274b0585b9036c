package bot

import (
	"context"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// BackupsKept is how many daily backups stay in the backup directory.
const BackupsKept = 7

// backupJob writes one hot backup a day, on the first tick of the
// company's day, into the configured directory. A day's backup is recorded
// as done only once written, so a failure is retried on the next tick and
// a restart does not write a second one.
func (b *Bot) backupJob() []Job {
	bk, ok := b.store.(Backuper)
	if b.backupDir == "" || !ok {
		return nil
	}
	return []Job{{Name: "backup", Run: func(_ context.Context, _ Messenger, now time.Time) error {
		key := "backup:" + domain.DateOf(now.In(b.cfg.Location)).String()
		if b.store.Done(key) {
			return nil
		}
		if _, err := bk.BackupToDir(b.backupDir, BackupsKept); err != nil {
			return err
		}
		_, err := b.store.MarkDone(key)
		return err
	}}}
}
