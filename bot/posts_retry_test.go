package bot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// gateMessenger is a jobMessenger whose closed channels refuse posts and
// uploads as a platform does before the bot is invited (PostNotInChannel);
// posts and uploads alone are refused when only one of them is closed.
type gateMessenger struct {
	*jobMessenger
	gmu           sync.Mutex
	closedPosts   map[string]bool // channels refusing posts
	closedUploads map[string]bool // channels refusing uploads
}

func newGate() *gateMessenger {
	return &gateMessenger{jobMessenger: &jobMessenger{}, closedPosts: map[string]bool{}, closedUploads: map[string]bool{}}
}

func (g *gateMessenger) set(m map[string]bool, channel string, closed bool) {
	g.gmu.Lock()
	defer g.gmu.Unlock()
	m[channel] = closed
}

func (g *gateMessenger) refused(m map[string]bool, channel string) error {
	g.gmu.Lock()
	defer g.gmu.Unlock()
	if m[channel] {
		return &bot.PostError{Channel: channel, Reason: bot.PostNotInChannel, Err: errors.New("not_in_channel")}
	}
	return nil
}

func (g *gateMessenger) Post(ctx context.Context, channel, thread string, rep bot.Reply) (string, error) {
	if err := g.refused(g.closedPosts, channel); err != nil {
		return "", err
	}
	return g.jobMessenger.Post(ctx, channel, thread, rep)
}

func (g *gateMessenger) PostParts(ctx context.Context, channel, thread string, rep bot.Reply, parts []string, saved func(int, string) error) (string, error) {
	if err := g.refused(g.closedPosts, channel); err != nil {
		return "", err
	}
	return g.jobMessenger.PostParts(ctx, channel, thread, rep, parts, saved)
}

func (g *gateMessenger) Upload(ctx context.Context, channel, filename, title string, data []byte) error {
	if err := g.refused(g.closedUploads, channel); err != nil {
		return err
	}
	return g.jobMessenger.Upload(ctx, channel, filename, title, data)
}

func (g *gateMessenger) uploaded() int {
	g.umu.Lock()
	defer g.umu.Unlock()
	return len(g.jobMessenger.uploads)
}

// failedIn lists the keys of the posts recorded as failed in channel.
func failedIn(t *testing.T, db *store.DB, channel string) []string {
	t.Helper()
	ps, err := db.FailedPosts(context.Background(), channel)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	return keys
}

// digestsIn counts the ForecastDigests among said posted in channel.
func digestsIn(said []threadSaid, channel string) int {
	n := 0
	for _, s := range said {
		if _, ok := s.reply.(bot.ForecastDigest); ok && s.kind == "post" && s.channel == channel {
			n++
		}
	}
	return n
}

// toldKeys are the keys of the messages DMed to u among said.
func toldKeys(said []threadSaid, u domain.UserID) []string {
	var keys []string
	for _, s := range said {
		if s.kind == "dm" && s.user == u {
			for _, m := range threadMsgs(s.reply) {
				keys = append(keys, m.Key)
			}
		}
	}
	return keys
}

// mondayBot is the sample on Monday 2026-11-30 at 09:05 in Paris, after
// the digest's 08:00, with its db.
func mondayBot(t *testing.T) (*bot.Bot, *domain.ManualClock, *store.DB) {
	t.Helper()
	cfg := sampleConfig(t)
	now := time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location)
	clock := domain.NewManualClock(now)
	db, err := store.Open(t.TempDir()+"/retry.db", store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := sample.Seed(context.Background(), db, clock, now, cfg.Stages); err != nil {
		t.Fatal(err)
	}
	return bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}), clock, db
}

// TestDigestRetriedAfterTheInviteWithoutATransport: Monday's digest
// refused by its channel (the bot not invited) is recorded and the team's
// manager told once how to invite the bot; the next tick within the hour
// does not knock again. When the bot joins, RetryPosts posts the digest
// with its chart and CSV and forgets the failure; a second RetryPosts
// posts nothing.
func TestDigestRetriedAfterTheInviteWithoutATransport(t *testing.T) {
	b, clock, db := mondayBot(t)
	ctx := context.Background()
	g := newGate()
	g.set(g.closedPosts, "C0FORECAST", true)
	g.set(g.closedUploads, "C0FORECAST", true)
	b.Tick(ctx, g) // the refusal is the job's error; what counts is what was kept and told
	said := g.since(0)
	if n := digestsIn(said, "C0FORECAST"); n != 0 {
		t.Fatalf("%d digests posted in a closed channel", n)
	}
	if keys := failedIn(t, db, "C0FORECAST"); len(keys) != 1 || keys[0] != bot.DigestKey("France", b.Calendar().Week(clock.Now())) {
		t.Fatalf("failed posts %v, want the week's digest", keys)
	}
	if told := toldKeys(said, sample.Manager); !slices.Contains(told, "post.failed.not_in_channel") {
		t.Errorf("the manager was told %v, want how to invite the bot", told)
	}
	from := g.count()
	clock.Advance(time.Minute)
	b.Tick(ctx, g)
	if n := len(toldKeys(g.since(from), sample.Manager)); n != 0 || digestsIn(g.since(from), "C0FORECAST") != 0 {
		t.Errorf("the next tick told the manager %d more times or posted: %+v", n, g.since(from))
	}

	g.set(g.closedPosts, "C0FORECAST", false)
	g.set(g.closedUploads, "C0FORECAST", false)
	from = g.count()
	if err := b.RetryPosts(ctx, g, "C0FORECAST"); err != nil {
		t.Fatal(err)
	}
	if n := digestsIn(g.since(from), "C0FORECAST"); n != 1 {
		t.Errorf("after the invite %d digests posted, want 1: %+v", n, g.since(from))
	}
	if n := g.uploaded(); n != 2 {
		t.Errorf("after the invite %d files uploaded, want the chart and the CSV", n)
	}
	if keys := failedIn(t, db, "C0FORECAST"); len(keys) != 0 {
		t.Errorf("failed posts after the retry: %v", keys)
	}
	from = g.count()
	if err := b.RetryPosts(ctx, g, "C0FORECAST"); err != nil {
		t.Fatal(err)
	}
	if again := g.since(from); len(again) != 0 || g.uploaded() != 2 {
		t.Errorf("a second RetryPosts said %+v, uploaded %d", again, g.uploaded())
	}
}

// TestDigestFilesRetriedWithoutATransport: the digest posted but its
// files refused is recorded apart, and the manager told the files will
// follow; once uploads are allowed RetryPosts uploads the chart and the
// CSV without posting the digest a second time.
func TestDigestFilesRetriedWithoutATransport(t *testing.T) {
	b, clock, db := mondayBot(t)
	ctx := context.Background()
	g := newGate()
	g.set(g.closedUploads, "C0FORECAST", true)
	b.Tick(ctx, g)
	if n := digestsIn(g.since(0), "C0FORECAST"); n != 1 {
		t.Fatalf("%d digests posted, want 1", n)
	}
	week := b.Calendar().Week(clock.Now())
	if keys := failedIn(t, db, "C0FORECAST"); len(keys) != 1 || keys[0] != "files:France:"+week {
		t.Fatalf("failed posts %v, want the week's files", keys)
	}
	if told := toldKeys(g.since(0), sample.Manager); !slices.Contains(told, "post.files.not_in_channel") {
		t.Errorf("the manager was told %v, want the files' refusal", told)
	}
	g.set(g.closedUploads, "C0FORECAST", false)
	from := g.count()
	if err := b.RetryPosts(ctx, g, "C0FORECAST"); err != nil {
		t.Fatal(err)
	}
	if n := g.uploaded(); n != 2 {
		t.Errorf("%d files uploaded after the retry, want 2", n)
	}
	if n := digestsIn(g.since(from), "C0FORECAST"); n != 0 {
		t.Errorf("the retry posted the digest again (%d)", n)
	}
	if keys := failedIn(t, db, "C0FORECAST"); len(keys) != 0 {
		t.Errorf("failed posts after the retry: %v", keys)
	}
}

// TestLastWeeksDigestIsNotPostedLate: a digest or files refused one week
// and retried the next are no news any more: forgotten, not posted.
func TestLastWeeksDigestIsNotPostedLate(t *testing.T) {
	for _, closed := range []string{"posts", "uploads"} {
		t.Run(closed, func(t *testing.T) {
			b, clock, db := mondayBot(t)
			ctx := context.Background()
			g := newGate()
			g.set(g.closedUploads, "C0FORECAST", true)
			if closed == "posts" {
				g.set(g.closedPosts, "C0FORECAST", true)
			}
			b.Tick(ctx, g)
			if keys := failedIn(t, db, "C0FORECAST"); len(keys) != 1 {
				t.Fatalf("failed posts %v, want one", keys)
			}
			clock.Advance(7 * 24 * time.Hour)
			g.set(g.closedPosts, "C0FORECAST", false)
			g.set(g.closedUploads, "C0FORECAST", false)
			from, files := g.count(), g.uploaded()
			if err := b.RetryPosts(ctx, g, "C0FORECAST"); err != nil {
				t.Fatal(err)
			}
			if said := g.since(from); len(said) != 0 || g.uploaded() != files {
				t.Errorf("a week late the retry said %+v and uploaded %d", said, g.uploaded()-files)
			}
			if keys := failedIn(t, db, "C0FORECAST"); len(keys) != 0 {
				t.Errorf("failed posts a week later: %v, want them forgotten", keys)
			}
		})
	}
}

// TestDeskRequestRetriedAfterTheInviteWithoutATransport: a discount
// request the desk channel refuses is kept and its rep told how to invite
// the bot; when the bot joins, RetryPosts posts the request and tells the
// rep it is out; again, nothing. A request withdrawn before the invite is
// forgotten instead: nothing is posted for it.
func TestDeskRequestRetriedAfterTheInviteWithoutATransport(t *testing.T) {
	for _, withdraw := range []bool{false, true} {
		t.Run(fmt.Sprintf("withdrawn=%v", withdraw), func(t *testing.T) {
			b, db := deskBot(t)
			ctx := context.Background()
			g := newGate()
			g.set(g.closedPosts, sample.DeskChannel, true)
			d := deskDeal(t, db, sample.Rep1, 1)
			rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
			reply, err := b.Forms()[bot.FormDiscount](ctx, rep, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: fmt.Sprintf(`{"p":1500,"a":%d}`, d.Amount)},
				bot.Values{desk.FieldDiscount: "15", desk.FieldJustification: "Rival at 10% off"}, "view:retry")
			if err != nil {
				t.Fatal(err)
			}
			w, ok := reply.(bot.WithPosts)
			if !ok {
				t.Fatalf("the request answered %T, want its posts", reply)
			}
			for _, p := range w.Posts {
				if err := p.Run(ctx, g); err != nil {
					t.Fatalf("a refusal is recorded and told, not the post's error: %v", err)
				}
			}
			if told := toldKeys(g.since(0), sample.Rep1); !slices.Contains(told, "post.failed.not_in_channel") {
				t.Errorf("the rep was told %v, want how to invite the bot", told)
			}
			if keys := failedIn(t, db, sample.DeskChannel); len(keys) != 1 {
				t.Fatalf("failed posts %v, want the request", keys)
			}
			if withdraw {
				if _, err := b.Commands()["/deal"].Subs["withdraw"](ctx, rep, d.ID.Ref()); err != nil {
					t.Fatal(err)
				}
			}
			g.set(g.closedPosts, sample.DeskChannel, false)
			from := g.count()
			if err := b.RetryPosts(ctx, g, sample.DeskChannel); err != nil {
				t.Fatal(err)
			}
			said := g.since(from)
			var posted int
			for _, s := range said {
				if v, ok := s.reply.(bot.DeskRequestView); ok && s.kind == "post" && s.channel == sample.DeskChannel && s.thread == "" && v.Deal.ID == d.ID {
					posted++
				}
			}
			told := toldKeys(said, sample.Rep1)
			switch {
			case withdraw && (posted != 0 || len(told) != 0):
				t.Errorf("a withdrawn request's retry posted %d and told %v", posted, told)
			case !withdraw && (posted != 1 || !slices.Contains(told, "post.done.desk")):
				t.Errorf("after the invite: %d posts of the request, the rep told %v; want it posted and the rep told", posted, told)
			}
			if keys := failedIn(t, db, sample.DeskChannel); len(keys) != 0 {
				t.Errorf("failed posts after the retry: %v", keys)
			}
			rs, err := db.DeskRequests(ctx, d.ID, false)
			if err != nil || len(rs) != 1 || rs[0].Thread.Posted() == withdraw {
				t.Errorf("the request's thread after the retry: %+v, %v", rs, err)
			}
			from = g.count()
			if err := b.RetryPosts(ctx, g, sample.DeskChannel); err != nil {
				t.Fatal(err)
			}
			if again := g.since(from); len(again) != 0 {
				t.Errorf("a second RetryPosts said %+v", again)
			}
		})
	}
}

// TestRetryForgetsWhatItCannotPost: a failed post whose key names nothing
// to post (a kind this version does not know, an id that does not parse,
// a request or a deal that is gone) is forgotten by the retry, which
// posts nothing for it; a reminder's record is left to the reminder job.
func TestRetryForgetsWhatItCannotPost(t *testing.T) {
	b, db := deskBot(t)
	ctx := context.Background()
	g := newGate()
	for _, key := range []string{"bogus:1", "desk:x", "desk:999", "win:y", "win:999", "files:Nowhere:2026-W49", "digest:Nowhere:2026-W49", "remind:U0REP1"} {
		if _, err := db.PostFailed(ctx, key, "C0ELSE", sample.Rep1, string(bot.PostNotInChannel), "test"); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.RetryPosts(ctx, g, "C0ELSE"); err != nil {
		t.Fatal(err)
	}
	if said := g.since(0); len(said) != 0 {
		t.Errorf("the retry said %+v", said)
	}
	if keys := failedIn(t, db, "C0ELSE"); len(keys) != 1 || keys[0] != "remind:U0REP1" {
		t.Errorf("failed posts after the retry: %v, want the reminder's alone", keys)
	}
}
