package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// TestDeskRejectionWithoutATransport: a 15 % request (the manager's
// approval alone) rejected through bot's own types. The manager's Reject
// button opens the reason form (another rep's click is refused and opens
// nothing); the submitted reason is stored with the verdict, the request's
// thread says who rejected it and why, and the rep is told by DM. The same
// submission again (a redelivery) gets the same answer and tells nobody
// twice; a form whose reference names no verdict is refused as a bad
// button and decides nothing.
func TestDeskRejectionWithoutATransport(t *testing.T) {
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "desk.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: securityConfig(t), Clock: clock})
	ctx := context.Background()
	rec := &jobMessenger{}
	run := func(reply bot.Reply) {
		t.Helper()
		if w, ok := reply.(bot.WithPosts); ok {
			for _, p := range w.Posts {
				if err := p.Run(ctx, rec); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	d := deskDeal(t, db, sample.Rep1, 1)
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	reply, err := b.Forms()[bot.FormDiscount](ctx, rep, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: fmt.Sprintf(`{"p":1500,"a":%d}`, d.Amount)},
		bot.Values{desk.FieldDiscount: "15", desk.FieldJustification: "Rival at 10% off"}, "view:reject1")
	if err != nil {
		t.Fatal(err)
	}
	run(reply)
	request := func() *desk.Request {
		t.Helper()
		rs, err := db.DeskRequests(ctx, d.ID, false)
		if err != nil || len(rs) != 1 {
			t.Fatalf("requests: %v, %v", rs, err)
		}
		return rs[0].Request
	}
	r := request()
	value := bot.TurnValue(r)
	comment := b.Forms()[bot.FormDeskComment]
	manager := bot.Caller{User: sample.Manager, Channel: sample.DeskChannel}

	if _, err := b.Action(ctx, bot.Caller{User: sample.Rep2, Channel: sample.DeskChannel}, bot.ActionDeskReject, value); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("another rep's Reject: %v, want EFORBIDDEN", err)
	}
	// A reference without a verdict (a forged or truncated form) decides nothing.
	if _, err := comment(ctx, manager, bot.FormMeta{Deal: d.ID, Ref: value}, bot.Values{desk.FieldComment: "No"}, "view:forged"); domain.ErrorCode(err) != domain.EINVALID || !hasKey(err, "deskbot.bad_button") {
		t.Errorf("a form without a verdict: %v, want deskbot.bad_button", err)
	}
	if s := request().Status; s != desk.StatusPending {
		t.Fatalf("after refusals the request is %s", s)
	}

	open, err := b.Action(ctx, manager, bot.ActionDeskReject, value)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := open.(bot.OpenForm)
	if !ok || f.Form.Kind != bot.FormDeskComment || len(f.Form.Inputs) != 1 || f.Form.Inputs[0].Field != desk.FieldComment {
		t.Fatalf("Reject opened %+v, want the reason form", open)
	}
	said := rec.count()
	reason := bot.Values{desk.FieldComment: "Margin below floor"}
	reply, err = comment(ctx, manager, f.Form.Meta, reason, "view:reject2")
	if err != nil {
		t.Fatal(err)
	}
	w, ok := reply.(bot.WithPosts)
	if !ok || len(threadMsgs(w.Reply)) != 1 || threadMsgs(w.Reply)[0].Key != "deskbot.decided.reject" {
		t.Fatalf("the reason answered %+v, want deskbot.decided.reject and its posts", reply)
	}
	run(reply)
	r = request()
	dec, _ := r.LastDecision()
	if r.Status != desk.StatusRejected || dec.By != sample.Manager || dec.Verdict != desk.Reject || dec.Comment != "Margin below floor" {
		t.Errorf("stored %s, decision %+v; want rejected by the manager with the reason", r.Status, dec)
	}
	var threadTold bool
	dms := map[domain.UserID]bot.Msg{}
	for _, s := range rec.since(said) {
		for _, m := range threadMsgs(s.reply) {
			switch {
			case s.kind == "post" && s.channel == sample.DeskChannel && s.thread != "" && m.Key == "deskbot.thread.rejected":
				threadTold = msgNames(m, sample.Manager) && containsArg(m, "Margin below floor")
			case s.kind == "dm":
				dms[s.user] = m
			}
		}
	}
	if !threadTold {
		t.Errorf("the thread was not told who rejected and why: %+v", rec.since(said))
	}
	if m, ok := dms[sample.Rep1]; !ok || m.Key != "deskbot.dm.rejected" || !containsArg(m, "Margin below floor") || len(dms) != 1 {
		t.Errorf("DMs %+v; want the rep alone told of the rejection and its reason", dms)
	}

	said = rec.count()
	again, err := comment(ctx, manager, f.Form.Meta, reason, "view:reject2")
	if err != nil {
		t.Fatal(err)
	}
	if _, posts := again.(bot.WithPosts); posts || len(threadMsgs(again)) != 1 || threadMsgs(again)[0].Key != "deskbot.decided.reject" {
		t.Errorf("the same submission again answered %+v, want the first answer and nothing to post", again)
	}
	run(again)
	if out := rec.since(said); len(out) > 0 {
		t.Errorf("the redelivery said %+v", out)
	}
}

// containsArg reports whether s is among m's arguments.
func containsArg(m bot.Msg, s string) bool {
	for _, a := range m.Args {
		if v, ok := a.(string); ok && v == s {
			return true
		}
	}
	return false
}
