package bot_test

import (
	"context"
	"path/filepath"
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
	cfg, err := config.Parse("sample.yaml", []byte(strings.Replace(sample.Config, "deal_desk:\n  channel: C0DESK\n", "deal_desk:\n", 1)), sample.IDs())
	if err != nil || cfg.DealDesk.Channel != "" {
		t.Fatalf("config without a deal-desk channel: %v, %q", err, cfg.DealDesk.Channel)
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
	var d *domain.Deal
	for _, x := range deals {
		if x.Owner == sample.Rep1 && x.Status == domain.Open {
			d = x
			break
		}
	}
	ctx := context.Background()
	newBot := func() *bot.Bot { return bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}) }
	first := newBot()
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	h, _, args := first.Commands()["/deal"].Route("discount " + d.ID.Ref() + " 15%")
	r, err := h(ctx, c, args)
	if err != nil {
		t.Fatal(err)
	}
	f := r.(bot.OpenForm).Form
	v := bot.Values{}
	for _, in := range f.Inputs {
		v[in.Field] = in.Initial
	}
	v[desk.FieldDiscount], v[desk.FieldJustification] = "15%", "Competitor is cheaper"
	// Sent as previewed; its posts (the DMs) never run.
	r, err = first.SubmitDiscount(ctx, c, f.Meta, v, "V1")
	wp, ok := r.(bot.WithPosts)
	if err != nil || !ok {
		t.Fatalf("the request was not sent: %#v, %v", r, err)
	}
	return newBot, clock, sentRequest{b: first, posts: wp.Posts}
}
