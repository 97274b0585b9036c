package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// jobMessenger is a threadMessenger that also keeps the files uploaded and
// gives the time zones in zones (nil: the platform does not say).
type jobMessenger struct {
	threadMessenger
	zones   map[domain.UserID]*time.Location
	umu     sync.Mutex
	uploads []string // channel/filename
}

func (r *jobMessenger) Location(_ context.Context, u domain.UserID) *time.Location { return r.zones[u] }

func (r *jobMessenger) Upload(_ context.Context, channel, filename, _ string, data []byte) error {
	r.umu.Lock()
	defer r.umu.Unlock()
	if len(data) == 0 {
		return nil
	}
	r.uploads = append(r.uploads, channel+"/"+filename)
	return nil
}

// TestMondayTickWithoutATransport runs the scheduled jobs through bot's own
// types alone, as a second transport would drive them: on Monday
// 2026-11-30 at 09:05 in Paris (the sample's zone), after the digest's
// 08:00 and the reminders' 09:00, one tick over the sample pipeline posts
// France's digest in its channel with the chart and the CSV, sends the
// manager the Monday summary and the reps due one their reminder; a second
// tick at the same time says nothing more.
func TestMondayTickWithoutATransport(t *testing.T) {
	cfg := sampleConfig(t)
	now := time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location)
	b, _ := seededBot(t, cfg, now)
	ctx := context.Background()
	rec := &jobMessenger{}
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}

	var digests, summaries int
	reminded := map[domain.UserID]bool{}
	for _, s := range rec.since(0) {
		switch r := s.reply.(type) {
		case bot.ForecastDigest:
			if s.kind != "post" || s.channel != "C0FORECAST" {
				t.Errorf("digest sent as %s to %q, want a post in C0FORECAST", s.kind, s.channel)
			}
			digests++
		case bot.CoachSummary:
			if s.kind != "dm" || s.user != sample.Manager {
				t.Errorf("summary sent as %s to %q, want a DM to the manager", s.kind, s.user)
			}
			summaries++
		case bot.Reminder:
			if s.kind != "dm" {
				t.Errorf("reminder sent as %s, want a DM", s.kind)
			}
			if reminded[s.user] {
				t.Errorf("%s reminded twice", s.user)
			}
			reminded[s.user] = true
		default:
			t.Errorf("unexpected %s of %T", s.kind, r)
		}
	}
	if digests != 1 || summaries != 1 {
		t.Errorf("%d digests and %d summaries, want one of each", digests, summaries)
	}
	if len(reminded) == 0 {
		t.Error("no rep reminded, though the sample pipeline has next steps due")
	}
	for u := range reminded {
		if u != sample.Rep1 && u != sample.Rep2 && u != sample.Rep3 {
			t.Errorf("reminder to %s, who is not a rep of France", u)
		}
	}
	rec.umu.Lock()
	uploads := len(rec.uploads)
	for _, u := range rec.uploads {
		if filepath.Dir(u) != "C0FORECAST" {
			t.Errorf("upload %s outside the forecast channel", u)
		}
	}
	rec.umu.Unlock()
	if uploads != 2 {
		t.Errorf("%d files uploaded (%v), want the digest's chart and CSV", uploads, rec.uploads)
	}

	said := rec.count()
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("second tick: %v", errs)
	}
	if again := rec.since(said); len(again) > 0 {
		t.Errorf("the second tick said %d more things, first %s of %T", len(again), again[0].kind, again[0].reply)
	}
	rec.umu.Lock()
	defer rec.umu.Unlock()
	if len(rec.uploads) != uploads {
		t.Errorf("the second tick uploaded again: %v", rec.uploads)
	}
}

func sampleConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// seededBot is a bot on a fresh file holding the sample pipeline as of now.
func seededBot(t *testing.T, cfg *config.Config, now time.Time) (*bot.Bot, *domain.ManualClock) {
	t.Helper()
	clock := domain.NewManualClock(now)
	db, err := store.Open(filepath.Join(t.TempDir(), "jobs.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := sample.Seed(context.Background(), db, clock, now, cfg.Stages); err != nil {
		t.Fatal(err)
	}
	return bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}), clock
}

// TestRemindersInEachRepsZone: a rep's reminder is due at 09:00 in their
// own zone when the platform gives it, else in the company's (Paris). At
// 09:30 in Tokyo on Monday 2026-11-30 (01:30 in Paris) Rep1, in Tokyo, is
// reminded and Rep2 and Rep3, whose zone nobody gives, are not; at 09:05
// in Paris they are, and Rep1 is not reminded twice the same day.
func TestRemindersInEachRepsZone(t *testing.T) {
	cfg := sampleConfig(t)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	paris := time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location)
	b, clock := seededBot(t, cfg, paris)
	clock.Set(time.Date(2026, 11, 30, 9, 30, 0, 0, tokyo))
	ctx := context.Background()
	rec := &jobMessenger{zones: map[domain.UserID]*time.Location{sample.Rep1: tokyo}}
	reminded := func(from int) map[domain.UserID]int {
		n := map[domain.UserID]int{}
		for _, s := range rec.since(from) {
			if _, ok := s.reply.(bot.Reminder); ok {
				n[s.user]++
			}
		}
		return n
	}
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}
	if got := reminded(0); len(got) != 1 || got[sample.Rep1] != 1 {
		t.Errorf("at 09:30 in Tokyo, reminded %v; want Rep1 alone", got)
	}
	said := rec.count()
	clock.Set(paris)
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}
	if got := reminded(said); len(got) != 2 || got[sample.Rep2] != 1 || got[sample.Rep3] != 1 {
		t.Errorf("at 09:05 in Paris, reminded %v; want Rep2 and Rep3", got)
	}
}

// refusingMessenger is a jobMessenger whose channels in refuse refuse every
// post, for the reason given, as a platform does before the bot is invited.
type refusingMessenger struct {
	*jobMessenger
	refuse map[string]bot.PostReason
}

func (r *refusingMessenger) Post(ctx context.Context, channel, thread string, rep bot.Reply) (string, error) {
	if reason, ok := r.refuse[channel]; ok {
		return "", &bot.PostError{Channel: channel, Reason: reason, Err: errors.New(string(reason))}
	}
	return r.jobMessenger.Post(ctx, channel, thread, rep)
}

// TestWinAnnouncedAfterTheInviteWithoutATransport: /deal won answers the
// owner and asks for the win's post in the team's channel as work after
// the answer (a bot.Post); the channel refuses it (the bot is not in it),
// so the owner is told by DM how to invite the bot, once, and nothing is
// lost: when the bot joins, RetryPosts posts the announcement, naming the
// owner by id, and a second RetryPosts posts nothing.
func TestWinAnnouncedAfterTheInviteWithoutATransport(t *testing.T) {
	cfg := sampleConfig(t)
	now := time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location)
	b, _ := seededBot(t, cfg, now)
	ctx := context.Background()
	rep := &jobMessenger{}
	rec := &refusingMessenger{jobMessenger: rep, refuse: map[string]bot.PostReason{"C0FORECAST": bot.PostNotInChannel}}
	c := bot.Caller{User: sample.Rep1}
	list, err := b.Commands()["/deal"].Subs["list"](ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	deals := list.(bot.DealList).Deals
	if len(deals) == 0 {
		t.Fatal("Rep1 has no open deal in the sample")
	}
	d := deals[0]
	reply, err := b.Commands()["/deal"].Subs["won"](ctx, c, d.ID.Ref())
	if err != nil {
		t.Fatal(err)
	}
	w, ok := reply.(bot.WithPosts)
	if !ok || len(w.Posts) != 1 {
		t.Fatalf("/deal won answered %T, want the answer with one post after it", reply)
	}
	if err := w.Posts[0].Run(ctx, rec); err != nil {
		t.Fatalf("a refusal is recorded and told, not the post's error: %v", err)
	}
	told := 0
	for _, s := range rep.since(0) {
		if s.kind == "dm" && s.user == sample.Rep1 {
			told++
		} else {
			t.Errorf("while refused: %s to %q/%q of %T", s.kind, s.channel, s.user, s.reply)
		}
	}
	if told != 1 {
		t.Errorf("the owner was told %d times, want once", told)
	}
	said := rep.count()
	delete(rec.refuse, "C0FORECAST") // the bot is invited
	if err := b.RetryPosts(ctx, rec, "C0FORECAST"); err != nil {
		t.Fatal(err)
	}
	posted := rep.since(said)
	if len(posted) != 1 || posted[0].kind != "post" || posted[0].channel != "C0FORECAST" {
		t.Fatalf("after the invite: %+v, want one post in C0FORECAST", posted)
	}
	a, ok := posted[0].reply.(bot.Announcement)
	if !ok || len(a.Msgs) != 1 || a.Msgs[0].Key != "deal.won_announce" || !msgNames(a.Msgs[0], sample.Rep1) {
		t.Errorf("after the invite: %+v, want the win announced naming Rep1", posted[0].reply)
	}
	said = rep.count()
	if err := b.RetryPosts(ctx, rec, "C0FORECAST"); err != nil {
		t.Fatal(err)
	}
	if again := rep.since(said); len(again) > 0 {
		t.Errorf("a second retry said %+v", again)
	}
}
