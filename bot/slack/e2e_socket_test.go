package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// TestRefreshUnderLoadLosesNoCommand asks each of the bot's Socket Mode
// connections in turn to refresh (refresh_requested, as Slack does every few
// hours per connection) while amount updates stream in without pause. Slack
// fails a command sent while the app has no connection (dispatch_failed),
// and slack-go closes a connection before it opens its replacement: the bot
// holds two, so the other one takes everything during the gap. Counted on
// both sides: no command failed, each was answered once, and each amount is
// in the history once, though what the refreshed connection had in flight
// was redelivered to the other one.
func TestRefreshUnderLoadLosesNoCommand(t *testing.T) {
	h := newHarness(t)
	ctx := ctxT(t)
	if err := h.srv.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("the bot does not hold two connections: %v", err)
	}
	users := []domain.UserID{sample.Rep1, sample.Rep2, sample.Rep3}
	var deals []*domain.Deal
	for i, u := range users {
		deals = append(deals, h.seedDeal(u, fmt.Sprintf("Refresh deal %d", i), fmt.Sprintf("Refresh %d", i)))
	}
	type sent struct {
		inv  *slacktest.Invocation
		deal *domain.Deal
	}
	var all []sent
	amounts := map[domain.DealID]int{}
	const n = 150
	for i := range n {
		if i == n/3 || i == 2*n/3 {
			if i == 2*n/3 {
				// Slack refreshes each connection on its own schedule:
				// the first one's replacement is up before the second is
				// asked (commands sent meanwhile are still in flight).
				if err := h.srv.WaitConnected(ctx, 2); err != nil {
					t.Fatal(err)
				}
			}
			conns := h.srv.Connections()
			if !h.srv.SendDisconnectTo(conns[0], slacktest.DisconnectRefreshRequested) {
				t.Fatalf("connection %d could not be refreshed", conns[0])
			}
		}
		d := deals[i%len(deals)]
		amounts[d.ID]++
		all = append(all, sent{inv: h.slash(d.Owner, "/deal", fmt.Sprintf("amount %s %d", d.ID.Ref(), 40_000+i)), deal: d})
	}

	err := h.srv.WaitFor(ctx, func(st *slacktest.State) bool {
		for _, s := range all {
			e := st.Envelopes[envelopeIndex(st, s.inv.EnvelopeID)]
			if e.Failed || len(st.Responses[s.inv.ID]) == 0 {
				return e.Failed // stop waiting: a failure is final
			}
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every command may be answered on the one connection left before the
	// second refresh's replacement is up: counted once it is.
	if err := h.srv.WaitConnected(ctx, 2); err != nil {
		t.Fatalf("the bot did not hold two connections again: %v", err)
	}
	c := h.srv.Counters()
	t.Logf("%d commands; %d disconnect messages, %d connections opened, %d redeliveries, %d duplicate acks",
		n, c.Disconnects, c.ConnectionsOpened, c.Redeliveries, c.DuplicateAcks)
	if c.Disconnects != 2 || c.ConnectionsOpened < 4 {
		t.Errorf("%d refreshes, %d connections opened: the test proves nothing", c.Disconnects, c.ConnectionsOpened)
	}
	for _, s := range all {
		e := s.inv.Envelope()
		if e.Failed {
			t.Errorf("%s: %s (the rep sees an error)", s.inv.ID, e.FailReason)
			continue
		}
		rs := s.inv.Responses()
		if len(rs) != 1 || !strings.Contains(rs[0].Render(), "Updated "+s.deal.ID.Ref()) {
			t.Errorf("%s: %d answers, want one confirmation: %v", s.inv.ID, len(rs), rs)
		}
	}
	for _, d := range deals {
		hist, err := h.store().History(context.Background(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, e := range hist {
			if e.Field == domain.FieldAmount {
				got++
			}
		}
		if want := 1 + amounts[d.ID]; got != want {
			t.Errorf("%s: %d amount entries in the history, want %d (1 at creation + %d commands)", d.ID.Ref(), got, want, amounts[d.ID])
		}
	}
}

func envelopeIndex(st *slacktest.State, id string) int {
	for i := len(st.Envelopes) - 1; i >= 0; i-- {
		if st.Envelopes[i].ID == id {
			return i
		}
	}
	panic("no envelope " + id)
}

// TestFormOpensWhileUsersInfoIsSlow: a user's first command after a restart
// opens a form while Slack takes 3 s, the trigger_id's whole life, to answer
// the time-zone lookup (users.info) the bot makes for that user. views.open
// goes first; the lookup still happens, after it.
func TestFormOpensWhileUsersInfoIsSlow(t *testing.T) {
	h := newHarness(t)
	h.srv.Delay("users.info", 1, 3*time.Second)
	view := h.openNewDeal(sample.Rep1)
	if view.Title != "New deal" {
		t.Errorf("opened %q", view.Title)
	}
	call, err := h.srv.WaitCall(ctxT(t), "users.info", 0)
	if err != nil {
		t.Fatalf("the time zone was never asked: %v", err)
	}
	if call.Error != "" || call.Args["user"] != string(sample.Rep1) {
		t.Errorf("users.info %v: %s", call.Args, call.Error)
	}
}
