package bot_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// With a deal desk without a channel, a request saved and answered ("sent")
// whose DMs were never sent (the run stopped before its posts ran) is sent
// to its approver by the next run's first tick, once: the record that the
// DM is owed is written before the rep hears it was sent. bot/slack's
// TestDeskRequestSavedBeforeACrashIsDMedOnce covers a DM whose attempt
// may have gone out.
func TestDeskDMOwedWhenTheRunStoppedIsSentOnce(t *testing.T) {
	ctx := context.Background()
	newBot, clock, _ := dmOnlyRequest(t)
	next := newBot()
	rec := &jobMessenger{}
	clock.Advance(time.Minute)
	next.Tick(ctx, rec)
	if n := requestDMs(t, rec); n != 1 {
		t.Errorf("the next run's first tick sent %d DMs of the request, want 1", n)
	}
	clock.Advance(time.Minute)
	next.Tick(ctx, rec)
	if n := requestDMs(t, rec); n != 1 {
		t.Errorf("%d DMs of the request after a second tick, want 1", n)
	}
}

// The first tick after a start leaves alone the DMs of a request this run
// saved and is still sending: sending them too would DM the approver twice.
func TestDeskStartTickLeavesThisRunsDMsAlone(t *testing.T) {
	ctx := context.Background()
	_, clock, sent := dmOnlyRequest(t)
	rec := &jobMessenger{}
	clock.Advance(time.Minute)
	sent.b.Tick(ctx, rec)
	if n := requestDMs(t, rec); n != 0 {
		t.Errorf("the tick sent %d DMs of the request this run is sending, want 0", n)
	}
	for _, p := range sent.posts {
		if err := p.Run(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if n := requestDMs(t, rec); n != 1 {
		t.Errorf("%d DMs of the request once its own posts ran, want 1", n)
	}
}

// requestDMs counts the requests rec sent by DM, each to the manager.
func requestDMs(t *testing.T, rec *jobMessenger) (n int) {
	t.Helper()
	for _, s := range rec.since(0) {
		if _, ok := s.reply.(bot.DeskRequestView); ok && s.kind == "dm" {
			if s.user != sample.Manager {
				t.Errorf("the request was sent to %s, want the manager", s.user)
			}
			n++
		}
	}
	return n
}

// sentRequest is a request a bot saved and answered, with the posts it
// still has to run.
type sentRequest struct {
	b     *bot.Bot
	posts []bot.Post
}

// dmOnlyRequest makes a bot with a deal desk without a channel on a new
// file, has Rep1 ask it for a 15% discount on one of their deals, and
// returns a maker of bots on the same file (a restart), the clock and the
// request as sent, its posts not run.
func dmOnlyRequest(t *testing.T) (func() *bot.Bot, *domain.ManualClock, sentRequest) {
	t.Helper()
	newBot, _, clock, d := deskBotOn(t, strings.Replace(sample.Config, "deal_desk:\n  channel: C0DESK\n", "deal_desk:\n", 1))
	first := newBot()
	return newBot, clock, askDiscount(t, first, d, "15%")
}

// deskBotOn returns a maker of bots with configuration yaml on one new file
// holding the sample pipeline (each bot made is a restart), the file, its
// clock and an open deal of Rep1.
func deskBotOn(t *testing.T, yaml string) (func() *bot.Bot, *store.DB, *domain.ManualClock, *domain.Deal) {
	t.Helper()
	cfg, err := config.Parse("sample.yaml", []byte(yaml), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, cfg.Location)
	clock := domain.NewManualClock(now)
	db, err := store.Open(filepath.Join(t.TempDir(), "desk.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	deals, err := sample.Seed(context.Background(), db, clock, now, cfg.Stages)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range deals {
		if x.Owner == sample.Rep1 && x.Status == domain.Open {
			return func() *bot.Bot { return bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}) }, db, clock, x
		}
	}
	t.Fatal("the sample has no open deal of Rep1")
	return nil, nil, nil, nil
}

// askDiscount has Rep1 send b the request form of deal d at pct, as
// previewed (a revision when one was sent back), and returns it as sent,
// its posts not run.
func askDiscount(t *testing.T, b *bot.Bot, d *domain.Deal, pct string) sentRequest {
	t.Helper()
	ctx := context.Background()
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	h, _, args := b.Commands()["/deal"].Route("discount " + d.ID.Ref())
	r, err := h(ctx, c, args)
	if err != nil {
		t.Fatal(err)
	}
	f := r.(bot.OpenForm).Form
	v := bot.Values{}
	for _, in := range f.Inputs {
		v[in.Field] = in.Initial
	}
	v[desk.FieldDiscount], v[desk.FieldJustification] = pct, "Competitor is cheaper"
	for key := 1; key <= 2; key++ {
		r, err = b.SubmitDiscount(ctx, c, f.Meta, v, "V"+strconv.Itoa(key))
		if err != nil {
			t.Fatal(err)
		}
		switch r := r.(type) {
		case bot.WithPosts:
			return sentRequest{b: b, posts: r.Posts}
		case bot.OpenForm:
			f = r.Form // the preview: sent as previewed next
		}
	}
	t.Fatalf("the request was not sent: %#v", r)
	return sentRequest{}
}

// A request sent back for changes keeps its thread; its revision saved and
// answered, then the run stopped before its posts ran: the next run's first
// tick says the revision in the thread, once, because its record was written
// before the rep heard it was sent. bot/slack's
// TestDeskRevisionSavedBeforeACrashIsSaidOnce covers a reply whose attempt
// may have gone out.
func TestDeskRevisionOwedWhenTheRunStoppedIsSaidOnce(t *testing.T) {
	ctx := context.Background()
	newBot, db, clock, d := deskBotOn(t, sample.Config)
	first := newBot()
	rec := &jobMessenger{}
	for _, p := range askDiscount(t, first, d, "15%").posts {
		if err := p.Run(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := db.DeskRequests(ctx, d.ID, true)
	if err != nil || len(ps) != 1 || !ps[0].Thread.Posted() {
		t.Fatalf("the request was not posted: %+v, %v", ps, err)
	}
	th := ps[0].Thread
	if _, _, err := db.UpdateDeskRequest(ctx, ps[0].Request.ID, 0, func(r *desk.Request) error {
		return r.Decide(sample.Manager, desk.Changes, "a shorter term", clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	askDiscount(t, first, d, "12%") // revision 2, its posts never run
	said := func() (n int) {
		for _, s := range rec.since(0) {
			if a, ok := s.reply.(bot.Announcement); ok && s.kind == "post" && s.thread == th.Ref && len(a.Msgs) > 0 && a.Msgs[0].Key == "deskbot.thread.revised" {
				n++
			}
		}
		return n
	}
	next := newBot()
	clock.Advance(time.Minute)
	next.Tick(ctx, rec)
	if n := said(); n != 1 {
		t.Errorf("the next run's first tick said the revision %d times, want 1", n)
	}
	clock.Advance(time.Minute)
	next.Tick(ctx, rec)
	if n := said(); n != 1 {
		t.Errorf("the revision was said %d times after a second tick, want 1", n)
	}
}
