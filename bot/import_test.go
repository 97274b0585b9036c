package bot_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

const importCSV = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
	"701,Acme renewal,Contract Sent,2026-12-15,U0REP1,12000,Acme,Send the order form\n"

// importBot is a bot on a fresh file whose downloads go to dir.
func importBot(t *testing.T, dir string, opts bot.ImportOptions) (*bot.Bot, *domain.ManualClock, *store.DB) {
	t.Helper()
	clock := domain.NewManualClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "import.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opts.Dir = dir
	return bot.New(bot.Options{Store: db, Config: sampleConfig(t), Clock: clock, Import: opts}), clock, db
}

func upload(id, content string, size int64) bot.ImportUpload {
	return bot.ImportUpload{ID: id, Name: "deals.csv", Size: size, Channel: "D0MGR",
		Fetch: func(_ context.Context, w io.Writer) error { _, err := io.WriteString(w, content); return err }}
}

// saidKeys are the message keys of the notices m holds from i on.
func saidKeys(m *threadMessenger, i int) []string {
	var keys []string
	for _, s := range m.since(i) {
		if n, ok := s.reply.(bot.Notice); ok {
			for _, msg := range n.Msgs {
				keys = append(keys, msg.Key)
			}
		} else {
			keys = append(keys, "summary")
		}
	}
	return keys
}

func files(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestImportFileGuards: a download larger than the cap, though the
// platform said it was small, stops there; a download that fails, or a
// file that is not an export, says so; none leaves a file behind.
func TestImportFileGuards(t *testing.T) {
	dir := t.TempDir()
	b, _, _ := importBot(t, dir, bot.ImportOptions{MaxBytes: 64})
	m := &threadMessenger{}
	c := bot.Caller{User: sample.Manager, Channel: "D0MGR"}
	ctx := context.Background()

	if err := b.ImportFile(ctx, m, c, upload("F1", importCSV, 10)); err != nil {
		t.Fatal(err)
	}
	failing := upload("F2", "", 10)
	failing.Fetch = func(context.Context, io.Writer) error { return errors.New("connection reset") }
	if err := b.ImportFile(ctx, m, c, failing); err == nil {
		t.Error("a failed download returned no error to log")
	}
	if err := b.ImportFile(ctx, m, c, upload("F3", "hello,world\n1,2\n", 16)); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(saidKeys(m, 0), " ")
	if got != "import.too_big import.download_failed import.bad_file" {
		t.Errorf("said %s", got)
	}
	if n := files(t, dir); n != 0 {
		t.Errorf("%d files left in the download directory", n)
	}
}

// TestImportExpires: a dry run waits an hour for its click: after it the
// click says it expired, writes nothing and the file is gone, and the next
// upload removes the other expired files; until then the file is kept, and
// Cancel removes it.
func TestImportExpires(t *testing.T) {
	dir := t.TempDir()
	b, clock, db := importBot(t, dir, bot.ImportOptions{})
	m := &threadMessenger{}
	c := bot.Caller{User: sample.Manager, Channel: "D0MGR"}
	ctx := context.Background()
	for _, id := range []string{"F1", "F2", "F3"} {
		if err := b.ImportFile(ctx, m, c, upload(id, importCSV, int64(len(importCSV)))); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(saidKeys(m, 0), " "); got != "summary summary summary" || files(t, dir) != 3 {
		t.Fatalf("said %s, %d files kept", got, files(t, dir))
	}
	r, err := b.Action(ctx, c, bot.ActionImportCancel, "F2")
	if err != nil || r.(bot.Notice).Msgs[0].Key != "import.cancelled" || files(t, dir) != 2 {
		t.Fatalf("Cancel: %+v %v, %d files", r, err, files(t, dir))
	}
	clock.Advance(time.Hour + time.Minute)
	r, err = b.Action(ctx, c, bot.ActionImportApply, "F1")
	if err != nil || r.(bot.Notice).Msgs[0].Key != "import.expired" {
		t.Fatalf("Import after an hour: %+v %v", r, err)
	}
	if files(t, dir) != 1 {
		t.Error("the expired file was kept")
	}
	if err := b.ImportFile(ctx, m, c, upload("F4", importCSV, int64(len(importCSV)))); err != nil {
		t.Fatal(err)
	}
	if files(t, dir) != 1 {
		t.Errorf("%d files after a new upload: F3's, expired, was kept", files(t, dir))
	}
	if ds, _ := db.Deals(ctx, domain.DealFilter{}); len(ds) != 0 {
		t.Errorf("%d deals written", len(ds))
	}
}

// TestImportDecidedOnce: of many clicks on Import at once (a double click,
// a redelivery), one starts the import and the others are told it is done;
// the file is removed once written.
func TestImportDecidedOnce(t *testing.T) {
	dir := t.TempDir()
	const clicks = 16
	clock := domain.NewManualClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "import.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Every click reaches the store's record of the decision before any
	// is let through: the clicks truly race.
	gated := &gatedStore{DB: db, n: clicks, gate: make(chan struct{})}
	b := bot.New(bot.Options{Store: gated, Config: sampleConfig(t), Clock: clock, Import: bot.ImportOptions{Dir: dir}})
	m := &threadMessenger{}
	c := bot.Caller{User: sample.Manager, Channel: "D0MGR"}
	ctx := context.Background()
	if err := b.ImportFile(ctx, m, c, upload("F1", importCSV, int64(len(importCSV)))); err != nil {
		t.Fatal(err)
	}
	replies := make(chan bot.Reply, clicks)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range clicks {
		wg.Go(func() {
			<-start
			r, err := b.Action(ctx, c, bot.ActionImportApply, "F1")
			if err != nil {
				t.Error(err)
			}
			replies <- r
		})
	}
	close(start)
	wg.Wait()
	close(replies)
	var started []bot.WithPosts
	for r := range replies {
		if w, ok := r.(bot.WithPosts); ok {
			started = append(started, w)
		} else if k := r.(bot.Notice).Msgs[0].Key; k != "import.already" {
			t.Errorf("a losing click was told %s", k)
		}
	}
	if len(started) != 1 {
		t.Fatalf("%d clicks started the import", len(started))
	}
	for _, p := range started[0].Posts {
		if err := p.Run(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if ds, _ := db.Deals(ctx, domain.DealFilter{}); len(ds) != 1 {
		t.Errorf("%d deals written", len(ds))
	}
	if n := files(t, dir); n != 0 {
		t.Errorf("%d files left after the import", n)
	}
}

// gatedStore holds every MarkDone of an import's decision until n have
// arrived.
type gatedStore struct {
	*store.DB
	n       int32
	arrived atomic.Int32
	gate    chan struct{}
}

func (g *gatedStore) MarkDone(key string) (bool, error) {
	if strings.HasPrefix(key, "import:") {
		if g.arrived.Add(1) == g.n {
			close(g.gate)
		}
		<-g.gate
	}
	return g.DB.MarkDone(key)
}
