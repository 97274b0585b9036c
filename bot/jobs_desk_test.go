package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// TestDeskRequestExpiresWithoutATransport: a 15 % request (the manager's
// approval alone) posted in the desk channel and left undecided expires on
// the tick after its 14 days (the sample's expire_after_days), not on the
// tick before: its message is updated, its thread says so, the rep and
// the manager it waited on are told by DM; a later tick says nothing more.
func TestDeskRequestExpiresWithoutATransport(t *testing.T) {
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "desk.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: securityConfig(t), Clock: clock})
	ctx := context.Background()
	rec := &jobMessenger{}
	d := deskDeal(t, db, sample.Rep1, 1)
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	reply, err := b.Forms()[bot.FormDiscount](ctx, rep, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: fmt.Sprintf(`{"p":1500,"a":%d}`, d.Amount)},
		bot.Values{desk.FieldDiscount: "15", desk.FieldJustification: "Rival at 10% off"}, "view:expire1")
	if err != nil {
		t.Fatal(err)
	}
	w, ok := reply.(bot.WithPosts)
	if !ok {
		t.Fatalf("submission answered %T, want the request and its posts", reply)
	}
	for _, p := range w.Posts {
		if err := p.Run(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	status := func() desk.Status {
		t.Helper()
		rs, err := db.DeskRequests(ctx, d.ID, false)
		if err != nil || len(rs) != 1 {
			t.Fatalf("requests: %v, %v", rs, err)
		}
		return rs[0].Request.Status
	}
	if s := status(); s != desk.StatusPending {
		t.Fatalf("request %s, want pending", s)
	}
	// deskSaid is what the desk said from the i-th message on: in its
	// channel, or by DM (the other jobs, reminders, also speak).
	deskSaid := func(i int) []threadSaid {
		var out []threadSaid
		for _, s := range rec.since(i) {
			ms := threadMsgs(s.reply)
			if s.channel == sample.DeskChannel || len(ms) > 0 && strings.HasPrefix(ms[0].Key, "deskbot.") {
				out = append(out, s)
			}
		}
		return out
	}

	clock.Advance(14*24*time.Hour - time.Minute)
	said := rec.count()
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}
	if s := status(); s != desk.StatusPending {
		t.Errorf("a minute before its 14 days the request is %s", s)
	}
	if out := deskSaid(said); len(out) > 0 {
		t.Errorf("before expiry the desk said %+v", out)
	}

	clock.Advance(2 * time.Minute)
	said = rec.count()
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}
	if s := status(); s != desk.StatusExpired {
		t.Fatalf("after 14 days the request is %s, want expired", s)
	}
	var updated, thread bool
	dms := map[domain.UserID]string{}
	for _, s := range deskSaid(said) {
		switch {
		case s.kind == "update" && s.channel == sample.DeskChannel:
			updated = true
		case s.kind == "post" && s.channel == sample.DeskChannel && s.thread != "":
			for _, m := range threadMsgs(s.reply) {
				if m.Key == "deskbot.thread.expired" {
					thread = true
				}
			}
		case s.kind == "dm":
			if ms := threadMsgs(s.reply); len(ms) == 1 {
				dms[s.user] = ms[0].Key
			}
		}
	}
	if !updated || !thread {
		t.Errorf("request message updated %v, thread told %v; want both", updated, thread)
	}
	if dms[sample.Rep1] != "deskbot.dm.expired" || dms[sample.Manager] != "deskbot.dm.expired_approver" || len(dms) != 2 {
		t.Errorf("DMs %v; want the rep and the manager told", dms)
	}

	clock.Advance(24 * time.Hour)
	said = rec.count()
	if errs := b.Tick(ctx, rec); len(errs) > 0 {
		t.Fatalf("tick: %v", errs)
	}
	if out := deskSaid(said); len(out) > 0 {
		t.Errorf("a later tick: the desk said %+v", out)
	}
}
