package slack_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/bot"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
)

// garbleBucketRoot overwrites the page header flags of bucket's root page in
// the closed bbolt file at path, as a disk or a bad copy would: bbolt then
// panics ("unexpected type/flags") on any read through that bucket.
func garbleBucketRoot(t *testing.T, path, bucket string) {
	t.Helper()
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var root uint64
	err = bdb.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return errors.New("no bucket " + bucket)
		}
		root = uint64(b.Root())
		return nil
	})
	pageSize := bdb.Info().PageSize
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if root == 0 {
		t.Fatalf("bucket %s is inline: no page of its own to garble", bucket)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A page starts with its id (8 bytes) then its flags (2 bytes).
	if _, err := f.WriteAt([]byte{0, 0}, int64(root)*int64(pageSize)+8); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestScheduledJobPanicIsContained: a garbled page makes bbolt panic inside
// the reminder and digest jobs. The running bot logs each panic like a
// handler's (reference and stack) instead of dying, and the jobs after the
// panicking ones still run (the daily backup is written).
func TestScheduledJobPanicIsContained(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, withBackupDir(dir), withAppOptions(func(o *slackapp.Options) { o.TickEvery = time.Hour }))
	for i := range 6 {
		h.seedNudged("U0REP1", "Garbled "+string(rune('A'+i)), now.Add(-30*24*time.Hour), domain.DateOf(now).AddDays(-3))
	}
	h.shutdown()
	garbleBucketRoot(t, h.path, "deals")
	h.start() // runJobs ticks once at start

	waitUntil(t, "the start tick's panic is logged", func() bool { return strings.Contains(h.logText(), "scheduled job panicked") })
	logs := h.logText()
	for _, want := range []string{`"ref":"`, `"stack":"`, "unexpected type"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the panic's log line lacks %s:\n%s", want, logs)
		}
	}

	// The next day's tick, called directly: errors, not a panic, and the
	// backup job (after the reminders) still ran.
	h.clock.Advance(24 * time.Hour)
	errs := h.bot.Tick(ctxT(t), h.app)
	var p *bot.JobPanic
	panicked := 0
	for _, err := range errs {
		if errors.As(err, &p) {
			panicked++
		}
	}
	if panicked == 0 {
		t.Fatalf("no job reported a panic: %v", errs)
	}
	backups, err := filepath.Glob(filepath.Join(dir, "dealpilot-*.db"))
	if err != nil {
		t.Fatal(err)
	}
	if len(backups) < 2 {
		t.Errorf("backups %v: the job after the panicking ones did not run", backups)
	}
}
