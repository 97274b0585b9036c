package slack_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

func TestHelpIsEphemeral(t *testing.T) {
	h := newHarness(t)
	for _, text := range []string{"help", "", "frobnicate"} {
		t.Run("text="+text, func(t *testing.T) {
			inv := h.slash(sample.Rep1, "/deal", text)
			ack, err := inv.WaitAck(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if ack.Rejected != "" {
				t.Fatalf("Slack would reject the ack: %s %v", ack.Rejected, ack.RejectMessages)
			}
			rs, err := inv.WaitResponses(ctxT(t), 1)
			if err != nil {
				t.Fatal(err)
			}
			if rs[0].ResponseType != "ephemeral" || !strings.Contains(rs[0].Render(), "/deal new") {
				t.Errorf("help answer = %q (%s), want an ephemeral list of commands", rs[0].Render(), rs[0].ResponseType)
			}
		})
	}
}

// newDealValues are a valid new-deal form.
func newDealValues(amount string) slacktest.Values {
	return slacktest.Values{
		"name": "Acme renewal", "account": "Acme", "amount": amount,
		"close_date": "2026-12-15", "stage": "Qualification", "next_step": "Call the CFO", "next_step_due": "2026-11-27",
	}
}

// openNewDeal runs /deal new and returns the modal that opened.
func (h *harness) openNewDeal(user domain.UserID) slacktest.View {
	h.t.Helper()
	inv := h.slash(user, "/deal", "new")
	view, err := inv.WaitView(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("the new-deal modal did not open: %v", err)
	}
	return view
}

func TestNewDealThroughModalSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	view := h.openNewDeal(sample.Rep1)
	for _, label := range []string{"Deal name", "Account", "Amount", "Close date", "Stage", "Forecast category", "Next step", "Next step due"} {
		if !strings.Contains(view.Render(), label) {
			t.Errorf("modal has no input labelled %q:\n%s", label, view.Render())
		}
	}
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, newDealValues("48k"))
	if err != nil {
		t.Fatal(err)
	}
	ack, err := sub.WaitAck(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ack.Errors) > 0 || ack.Rejected != "" {
		t.Fatalf("valid submission refused: %v %s", ack.Errors, ack.Rejected)
	}
	// The confirmation goes to the rep through the command's response_url.
	confirm, err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		for _, rs := range st.Responses {
			for _, r := range rs {
				if strings.Contains(r.Render(), "Created D-1") {
					return true
				}
			}
		}
		return false
	}), error(nil)
	if confirm != nil || err != nil {
		t.Fatalf("no confirmation naming D-1: %v", confirm)
	}
	list := h.answer(h.slash(sample.Rep1, "/deal", "list"))
	if !strings.Contains(list, "Acme renewal") || !strings.Contains(list, "€48,000") {
		t.Errorf("/deal list does not show the new deal:\n%s", list)
	}

	h.restart()
	list = h.answer(h.slash(sample.Rep1, "/deal", "list"))
	if !strings.Contains(list, "Acme renewal") {
		t.Errorf("after a restart /deal list lost the deal:\n%s", list)
	}
	d, err := h.store().Deal(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Amount != 4_800_000 || d.Owner != sample.Rep1 || d.Stage != "Qualification" || d.Category != domain.Pipeline {
		t.Errorf("stored deal = %+v", d)
	}
}

func TestNewDealInvalidStoresNothing(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		change func(slacktest.Values)
		block  string
		want   string
	}{
		{"ErrAmount", func(v slacktest.Values) { v["amount"] = "12kk" }, "amount", "Amount: '12kk' is not an amount; try 12000 or 12k"},
		{"ErrDuePast", func(v slacktest.Values) { v["next_step_due"] = "2026-11-20" }, "next_step_due", "in the past"},
		{"ErrCloseDatePast", func(v slacktest.Values) { v["close_date"] = "2026-01-02" }, "close_date", "in the past"},
		{"ErrNameRightToLeft", func(v slacktest.Values) { v["name"] = "Acme \u202Elawener" }, "name", "Deal name holds a text-direction control (U+202E, right-to-left or similar) at character 6"},
		{"ErrAccountInvisible", func(v slacktest.Values) { v["account"] = "Ac\u200Bme" }, "account", "Account holds an invisible character (U+200B) at character 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			view := h.openNewDeal(sample.Rep2)
			v := newDealValues("48k")
			tt.change(v)
			sub, err := h.srv.SubmitView(string(sample.Rep2), view.ID, v)
			if err != nil {
				t.Fatal(err)
			}
			ack, err := sub.WaitAck(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			if ack.Rejected != "" {
				t.Fatalf("Slack would reject the ack: %s %v", ack.Rejected, ack.RejectMessages)
			}
			if ack.ResponseAction != "errors" || !strings.Contains(ack.Errors[tt.block], tt.want) {
				t.Errorf("errors = %v, want %q on %s", ack.Errors, tt.want, tt.block)
			}
			if _, open := h.srv.View(view.ID); !open {
				t.Error("the modal closed on an invalid submission")
			}
		})
	}
	deals, err := h.store().Deals(context.Background(), domain.DealFilter{})
	if err != nil || len(deals) != 0 {
		t.Errorf("invalid submissions stored %d deals (%v)", len(deals), err)
	}
}

// TestDropWhileCommandsInFlight drops one of the bot's sockets while 100
// commands are in flight, then the other: what each had not acked goes to
// the other connection, and every command is answered exactly once.
func TestDropWhileCommandsInFlight(t *testing.T) {
	h := newHarness(t)
	const n = 100
	invs := make([]*slacktest.Invocation, n)
	for i := range n {
		text := "list"
		if i%2 == 1 {
			text = "help"
		}
		invs[i] = h.slash(sample.Rep1, "/deal", text)
		if i == n/2 {
			h.srv.DropConnection(h.srv.Connections()[0])
		}
	}
	if err := h.srv.WaitConnected(ctxT(t), 2); err != nil {
		t.Fatal(err)
	}
	h.srv.DropConnection(h.srv.Connections()[0])
	for i, inv := range invs {
		if _, err := inv.WaitResponses(ctxT(t), 1); err != nil {
			t.Fatalf("command %d was never answered: %v", i, err)
		}
	}
	// Let any late duplicate arrive before counting: a final round trip
	// through the same connection orders it after every earlier ack.
	h.answer(h.slash(sample.Rep1, "/deal", "help"))
	for i, inv := range invs {
		if rs := inv.Responses(); len(rs) != 1 {
			t.Errorf("command %d answered %d times", i, len(rs))
		}
	}
}

func TestPanicShowsReferenceAndBotKeepsServing(t *testing.T) {
	h := newHarness(t, withCommands(func(b *bot.Bot) map[string]*bot.Command {
		cmds := b.Commands()
		cmds["/deal"].Subs["boom"] = func(context.Context, bot.Caller, string) (bot.Reply, error) {
			panic("boom")
		}
		return cmds
	}))
	got := h.answer(h.slash(sample.Rep1, "/deal", "boom"))
	if !strings.Contains(got, "Something went wrong") || !strings.Contains(got, "ref ") {
		t.Errorf("panic answer = %q, want an error with a reference", got)
	}
	ref := got[strings.Index(got, "ref ")+4:]
	ref = ref[:strings.IndexAny(ref, ")")]
	if !strings.Contains(h.logText(), ref) || !strings.Contains(h.logText(), "handler panicked") {
		t.Errorf("the reference %s is not in the log", ref)
	}
	if got := h.answer(h.slash(sample.Rep1, "/deal", "help")); !strings.Contains(got, "/deal new") {
		t.Errorf("after the panic, help = %q", got)
	}
}

// TestRetriedEnvelopeNotProcessedTwice holds the first delivery past the ack
// timeout so the server redelivers it; the work runs once and both
// deliveries get the same answer.
func TestRetriedEnvelopeNotProcessedTwice(t *testing.T) {
	var runs atomic.Int32
	release := make(chan struct{})
	var once sync.Once
	h := newHarness(t,
		withServerOptions(slacktest.WithAckTimeout(200*time.Millisecond)),
		withCommands(func(b *bot.Bot) map[string]*bot.Command {
			cmds := b.Commands()
			cmds["/deal"].Subs["slow"] = func(context.Context, bot.Caller, string) (bot.Reply, error) {
				runs.Add(1)
				<-release
				return bot.Notice{Msgs: []bot.Msg{bot.M("raw", "done once")}}, nil
			}
			return cmds
		}))
	inv := h.slash(sample.Rep1, "/deal", "slow")
	// Wait until Slack has redelivered, then let the first run finish.
	err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		for _, e := range st.Envelopes {
			if e.ID == inv.EnvelopeID {
				return len(e.Deliveries) >= 2
			}
		}
		return false
	})
	once.Do(func() { close(release) })
	if err != nil {
		t.Fatal(err)
	}
	if got := h.answer(inv); !strings.Contains(got, "done once") {
		t.Errorf("answer = %q", got)
	}
	h.answer(h.slash(sample.Rep1, "/deal", "help"))
	if n := runs.Load(); n != 1 {
		t.Errorf("the handler ran %d times for one command", n)
	}
	if rs := inv.Responses(); len(rs) != 1 {
		t.Errorf("the user got %d answers: %v", len(rs), rs)
	}
}

// TestRetriedSubmissionCreatesOneDeal redelivers a new-deal submission
// after a restart: the deal is created once.
func TestRetriedSubmissionCreatesOneDeal(t *testing.T) {
	h := newHarness(t)
	view := h.openNewDeal(sample.Rep3)
	sub, err := h.srv.SubmitView(string(sample.Rep3), view.ID, newDealValues("10 000"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sub.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	// The same submission again, as Slack would redeliver it to a new process.
	h.restart()
	dup, err := h.srv.Redeliver(sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dup.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	deals, err := h.store().Deals(context.Background(), domain.DealFilter{})
	if err != nil || len(deals) != 1 {
		t.Errorf("%d deals after a redelivered submission (%v), want 1", len(deals), err)
	}
}

// TestReconnectsOnDisconnectMessages: Slack's "warning" and
// "refresh_requested" disconnects and a dropped socket each lead to a new
// connection, and commands keep being answered.
func TestReconnectsOnDisconnectMessages(t *testing.T) {
	h := newHarness(t)
	for i, reason := range []string{"warning", "refresh_requested", "drop"} {
		t.Run(reason, func(t *testing.T) {
			before := h.srv.Counters().ConnectionsOpened
			if reason == "drop" {
				h.srv.DropConnections()
			} else {
				h.srv.SendDisconnect(reason)
			}
			if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { return st.Counters.ConnectionsOpened > before }); err != nil {
				t.Fatalf("no new connection after %s: %v", reason, err)
			}
			if got := h.answer(h.slash(sample.Rep1, "/deal", "help")); !strings.Contains(got, "/deal new") {
				t.Errorf("after %s (#%d), help = %q", reason, i, got)
			}
		})
	}
}

// TestShutdownFinishesInFlightWork stops the bot (as SIGTERM does) while a
// command is being handled: the command is still answered, and the file is
// closed only after.
func TestShutdownFinishesInFlightWork(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	h := newHarness(t, withCommands(func(b *bot.Bot) map[string]*bot.Command {
		cmds := b.Commands()
		cmds["/deal"].Subs["slow"] = func(ctx context.Context, c bot.Caller, _ string) (bot.Reply, error) {
			close(started)
			<-release
			return bot.Notice{Msgs: []bot.Msg{bot.M("raw", "finished before shutdown")}}, nil
		}
		return cmds
	}))
	inv := h.slash(sample.Rep1, "/deal", "slow")
	<-started
	stopped := make(chan struct{})
	go func() { h.shutdown(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("the bot stopped before its in-flight command finished")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-stopped
	if got := h.answer(inv); !strings.Contains(got, "finished before shutdown") {
		t.Errorf("in-flight command answered %q", got)
	}
}
