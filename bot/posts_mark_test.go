package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// markingMessenger is a jobMessenger that honours bot.PostMark as a
// transport must: each marked post carries its marker, and when the mark
// says to look, a message already carrying it is answered with instead of
// posting again. With lose set, the next post goes out but its answer is
// lost (a time-out): the bot is told it may or may not have gone out.
type markingMessenger struct {
	*jobMessenger
	mmu    sync.Mutex
	marked map[string]string // part marker -> the message's ref
	marks  []bot.PostMark    // the marks of every Post, in order
	lose   bool
}

func (m *markingMessenger) Post(ctx context.Context, channel, thread string, rep bot.Reply) (string, error) {
	pm, ok := bot.PostMarkOf(ctx)
	m.mmu.Lock()
	if ok {
		m.marks = append(m.marks, pm)
		if ref, found := m.marked[pm.PartMarker(0)]; found && pm.Look {
			m.mmu.Unlock()
			return ref, nil
		}
	}
	lose := m.lose
	m.lose = false
	m.mmu.Unlock()
	ref, err := m.jobMessenger.Post(ctx, channel, thread, rep)
	if err != nil {
		return "", err
	}
	if ok {
		m.mmu.Lock()
		m.marked[pm.PartMarker(0)] = ref
		m.mmu.Unlock()
	}
	if lose {
		return "", &bot.PostError{Channel: channel, Reason: bot.PostUncertain, Err: errors.New("timed out")}
	}
	return ref, nil
}

// deskRoots are the request messages among said: posts in the desk
// channel outside any thread.
func deskRoots(said []threadSaid) []threadSaid {
	var out []threadSaid
	for _, s := range said {
		if _, ok := s.reply.(bot.DeskRequestView); ok && s.kind == "post" && s.channel == sample.DeskChannel && s.thread == "" {
			out = append(out, s)
		}
	}
	return out
}

// deskRequestBot is a bot on a fresh file with the security test's
// teams, its clock, and a 15 % request on Rep1's deal, saved: what the
// answer left for after it (posting the request) is returned, not run.
func deskRequestBot(t *testing.T) (*bot.Bot, *store.DB, *domain.ManualClock, *domain.Deal, []bot.Post) {
	t.Helper()
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "mark.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := bot.New(bot.Options{Store: db, Config: securityConfig(t), Clock: clock})
	d := deskDeal(t, db, sample.Rep1, 1)
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	reply, err := b.Forms()[bot.FormDiscount](context.Background(), rep, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: fmt.Sprintf(`{"p":1500,"a":%d}`, d.Amount)},
		bot.Values{desk.FieldDiscount: "15", desk.FieldJustification: "Rival at 10% off"}, "view:mark")
	if err != nil {
		t.Fatal(err)
	}
	w, ok := reply.(bot.WithPosts)
	if !ok || len(w.Posts) == 0 {
		t.Fatalf("the request answered %+v, want its posts", reply)
	}
	return b, db, clock, d, w.Posts
}

func requestThread(t *testing.T, db *store.DB, d *domain.Deal) desk.Thread {
	t.Helper()
	rs, err := db.DeskRequests(context.Background(), d.ID, false)
	if err != nil || len(rs) != 1 {
		t.Fatalf("requests: %+v, %v", rs, err)
	}
	return rs[0].Thread
}

// TestUncertainPostFoundByItsMark: a request whose post went out but
// whose answer was lost is recorded as uncertain and nobody is told; the
// next retry carries the same marker and asks the transport to look for
// it, so the message found is recorded as the request's, and the request
// is in the channel once.
func TestUncertainPostFoundByItsMark(t *testing.T) {
	b, db, clock, d, posts := deskRequestBot(t)
	ctx := context.Background()
	m := &markingMessenger{jobMessenger: &jobMessenger{}, marked: map[string]string{}, lose: true}
	for _, p := range posts {
		if err := p.Run(ctx, m); err != nil {
			t.Fatalf("an uncertain post is recorded, not the post's error: %v", err)
		}
	}
	if keys := failedIn(t, db, sample.DeskChannel); len(keys) != 1 {
		t.Fatalf("failed posts %v, want the request's, uncertain", keys)
	}
	if told := toldKeys(m.since(0), sample.Rep1); len(told) != 0 {
		t.Errorf("the rep was told %v of a post that may have gone out", told)
	}
	clock.Advance(time.Minute)
	if err := job(t, b, "posts_retry").Run(ctx, m, clock.Now()); err != nil {
		t.Fatal(err)
	}
	roots := deskRoots(m.since(0))
	if len(roots) != 1 {
		t.Fatalf("the request is in the channel %d times, want once: %+v", len(roots), roots)
	}
	if len(m.marks) != 2 || m.marks[0].ID != m.marks[1].ID || m.marks[0].Look || !m.marks[1].Look {
		t.Errorf("marks %+v; want one marker, the retry told to look for it", m.marks)
	}
	if th := requestThread(t, db, d); th.Channel != sample.DeskChannel || th.Ref != roots[0].ref {
		t.Errorf("the request's thread is %+v, want the message found, %s", th, roots[0].ref)
	}
	if keys := failedIn(t, db, sample.DeskChannel); len(keys) != 0 {
		t.Errorf("failed posts after the retry: %v", keys)
	}
	if told := toldKeys(m.since(0), sample.Rep1); len(told) != 0 {
		t.Errorf("the rep was told %v", told)
	}
}

// TestUnpostedRequestPostedAfterARestart: the bot stopped between saving
// a request and posting it (its answer's posts never ran). While it runs,
// a tick leaves the request to the answer's own post; after a restart,
// the first tick posts it, once, telling nobody (the rep was told it was
// sent), and records its thread; a later tick posts nothing.
func TestUnpostedRequestPostedAfterARestart(t *testing.T) {
	b, db, clock, d, _ := deskRequestBot(t)
	ctx := context.Background()
	m := &jobMessenger{}
	clock.Advance(time.Minute)
	if err := job(t, b, "posts_retry").Run(ctx, m, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if roots := deskRoots(m.since(0)); len(roots) != 0 {
		t.Fatalf("a tick posted the request its own answer is posting: %+v", roots)
	}

	restarted := bot.New(bot.Options{Store: db, Config: securityConfig(t), Clock: clock})
	clock.Advance(time.Minute)
	retry := job(t, restarted, "posts_retry")
	if err := retry.Run(ctx, m, clock.Now()); err != nil {
		t.Fatal(err)
	}
	roots := deskRoots(m.since(0))
	if len(roots) != 1 {
		t.Fatalf("after the restart the request is in the channel %d times, want once", len(roots))
	}
	if th := requestThread(t, db, d); th.Ref != roots[0].ref {
		t.Errorf("the request's thread is %+v, want %s", th, roots[0].ref)
	}
	if told := toldKeys(m.since(0), sample.Rep1); len(told) != 0 {
		t.Errorf("the rep was told %v", told)
	}
	if keys := failedIn(t, db, sample.DeskChannel); len(keys) != 0 {
		t.Errorf("failed posts after the restart: %v", keys)
	}
	said := m.count()
	clock.Advance(time.Minute)
	if err := retry.Run(ctx, m, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if again := m.since(said); len(again) != 0 {
		t.Errorf("a later tick said %+v", again)
	}
}
