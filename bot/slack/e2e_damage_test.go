package slack_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
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

// garbleRecord replaces the value of key in bucket of the closed bbolt file
// at path, straight through bbolt, as a bad restore or a bug would leave it.
func garbleRecord(t *testing.T, path, bucket string, key, value []byte) {
	t.Helper()
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return errors.New("no bucket " + bucket)
		}
		if b.Get(key) == nil {
			return fmt.Errorf("no key %x in %s", key, bucket)
		}
		return b.Put(key, value)
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

func dealKey(id domain.DealID) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(id))
}

// TestOneBadDealRecordSkipped: one deal whose record no longer decodes
// used to fail every list (forecast, digest, reminders, /deal list). It is
// now skipped, reported once, and every other deal keeps working.
func TestOneBadDealRecordSkipped(t *testing.T) {
	h := newHarness(t)
	deals := h.seedForecast() // Acme, Boulangeries (Rep1), Cabinet Moreau (Rep2), Transports Girard (Rep3)
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	nudged := h.seedNudged(sample.Rep1, "Dumas", created, domain.NewDate(2026, 11, 20))
	bad := deals[1]
	h.shutdown()
	garbleRecord(t, h.path, "deals", dealKey(bad.ID), []byte(`{"v":1,"name":"Boulangeries pil`))
	h.start()

	t.Run("List", func(t *testing.T) {
		got := h.answer(h.slash(sample.Rep1, "/deal", "list"))
		wantContains(t, got, deals[0].Name, nudged.Name)
		if strings.Contains(got, bad.Name) {
			t.Errorf("the bad deal is listed:\n%s", got)
		}
	})
	t.Run("Forecast", func(t *testing.T) {
		got := h.answer(h.slash(sample.Manager, "/forecast", "France"))
		wantContains(t, got, "€100,000") // commit: Acme 40k + Cabinet Moreau 60k
	})
	t.Run("Reminders", func(t *testing.T) {
		h.tickAt(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)) // 09:00 in Paris; fails on a job error
		if n := len(h.dms(sample.Rep1)); n != 1 {
			t.Fatalf("Rep1 has %d reminders, want 1", n)
		}
		wantContains(t, h.dms(sample.Rep1)[0].Render(), nudged.ID.Ref())
	})
	t.Run("Digest", func(t *testing.T) {
		h.tickAt(monday0800)
		wantContains(t, h.waitDigest(1).Render(), "France forecast", "| <@U0REP2> | ")
	})
	if n := h.store().BadRecords(); n != 1 {
		t.Errorf("%d bad records reported, want the one, once", n)
	}
	if got := h.answer(h.slash(sample.Rep1, "/deal", "show "+bad.ID.Ref())); !strings.Contains(got, bad.ID.Ref()+" cannot be read") {
		t.Errorf("showing the bad deal itself does not name it:\n%s", got)
	}
}

// TestBadDealKeepsOtherRequestsWorking: a pending discount request whose
// deal record no longer decodes used to fail /deal approvals for its
// approver and stop the expiry job before the requests after it.
func TestBadDealKeepsOtherRequestsWorking(t *testing.T) {
	h := newHarness(t)
	bad := h.seedDeskDeal(sample.Rep1)
	good := h.seedDeskDeal(sample.Rep2)
	h.request(sample.Rep1, bad.ID.Ref()+" 15", nil)
	h.clock.Advance(time.Hour)
	h.request(sample.Rep2, good.ID.Ref()+" 15", nil)
	h.shutdown()
	garbleRecord(t, h.path, "deals", dealKey(bad.ID), []byte(`{"v":1,"name":"Acme`))
	h.start()

	ans := h.answer(h.slash(sample.Manager, "/deal", "approvals"))
	if !strings.Contains(ans, good.ID.Ref()) {
		t.Errorf("/deal approvals with one bad deal:\n%s", ans)
	}
	h.clock.Advance(15 * 24 * time.Hour) // past expire_after_days
	h.tick()                             // fails the test on a job error
	h.waitDM(sample.Rep2, "expired")
	if n := h.store().BadRecords(); n != 1 {
		t.Errorf("%d bad records reported, want the one, once", n)
	}
}
