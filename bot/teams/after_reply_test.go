package teams

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// One way to do work after a reply (issue 15 point 4), on Teams: for every
// kind of activity whose answer leaves work for after it (a bot.Post), the
// answer reaches Teams while that work is still waiting, the work is done
// once it may go on, and work that fails is reported to whoever acted, not
// dropped. The work runs through heldPosts, the Messenger the App hands
// Posts (AppOptions.Posts): it lets the test hold the work, or break it.

// heldPosts is a Messenger that passes every call a Post makes to the App
// once open is closed; with broken set it panics instead, and with err set
// it fails with err: a Post's work gone wrong.
type heldPosts struct {
	bot.Messenger
	open    chan struct{}
	arrived chan struct{} // closed at the first call
	once    sync.Once
	broken  bool
	err     error
}

func holdPosts(e *e2e) *heldPosts {
	h := &heldPosts{Messenger: e.app, open: make(chan struct{}), arrived: make(chan struct{})}
	e.app.postsTo = h
	return h
}

func (h *heldPosts) pass(ctx context.Context) error {
	h.once.Do(func() { close(h.arrived) })
	select {
	case <-h.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	if h.broken {
		panic("a post's work broke")
	}
	return h.err
}

func (h *heldPosts) Post(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	if err := h.pass(ctx); err != nil {
		return "", err
	}
	return h.Messenger.Post(ctx, channel, thread, r)
}

func (h *heldPosts) PostParts(ctx context.Context, channel, thread string, r bot.Reply, posted []string, saved func(int, string) error) (string, error) {
	if err := h.pass(ctx); err != nil {
		return "", err
	}
	return h.Messenger.PostParts(ctx, channel, thread, r, posted, saved)
}

func (h *heldPosts) Update(ctx context.Context, channel, ref string, r bot.Reply) error {
	if err := h.pass(ctx); err != nil {
		return err
	}
	return h.Messenger.Update(ctx, channel, ref, r)
}

func (h *heldPosts) DM(ctx context.Context, user domain.UserID, r bot.Reply) error {
	if err := h.pass(ctx); err != nil {
		return err
	}
	return h.Messenger.DM(ctx, user, r)
}

func (h *heldPosts) Ephemeral(ctx context.Context, channel, thread string, user domain.UserID, r bot.Reply) error {
	if err := h.pass(ctx); err != nil {
		return err
	}
	return h.Messenger.Ephemeral(ctx, channel, thread, user, r)
}

func (h *heldPosts) Upload(ctx context.Context, channel, filename, title string, data []byte) error {
	if err := h.pass(ctx); err != nil {
		return err
	}
	return h.Messenger.Upload(ctx, channel, filename, title, data)
}

// afterKind is one kind of activity whose answer leaves work for after it.
type afterKind struct {
	name string
	// setup readies what the activity acts on (with the App's own
	// Messenger) and returns the activity and who sends it.
	setup func(e *e2e) (teamstest.Activity, *teamstest.User)
	// answered checks the answer d, given while the work is held.
	answered func(t *testing.T, e *e2e, d *teamstest.Delivery)
	// pending checks the work's effect is not there yet; done that it is.
	pending, done func(t *testing.T, e *e2e)
	// crafted: no card the bot delivers offers this activity today, so
	// teamstest only lets it through as crafted; the path is kept honest
	// for the day a button offers it.
	crafted bool
}

// digestCount is the number of cards the bot posted in the forecast channel.
func digestCount(e *e2e) int { return len(e.srv.Posted(fcst01)) }

// knowMarc has Marc write to the bot, so that it can DM him.
func knowMarc(e *e2e) string {
	conv := e.srv.PersonalConversation(e.marc.ID)
	e.deliver(e.srv.Message(e.marc, conv, "deal help"))
	return conv
}

func requestState(e *e2e) string {
	return cardText(e.srv.Posted(desk01)[0].Attachments[0].Content)
}

var afterKinds = []afterKind{
	{
		name: "message",
		setup: func(e *e2e) (teamstest.Activity, *teamstest.User) {
			return e.srv.Message(e.marc, knowMarc(e), "forecast digest"), e.marc
		},
		answered: func(t *testing.T, e *e2e, d *teamstest.Delivery) {
			wantIn(t, "the answer to forecast digest", e.last(e.srv.PersonalConversation(e.marc.ID)), "Posting the France digest")
		},
		pending: func(t *testing.T, e *e2e) {
			if n := digestCount(e); n != 0 {
				t.Errorf("the digest was posted (%d) while its work was held", n)
			}
		},
		done: func(t *testing.T, e *e2e) {
			if n := digestCount(e); n == 0 {
				t.Errorf("the digest was not posted after the answer:\n%s", e.srv.TranscriptText())
			}
		},
	},
	{
		name: "message in a request's thread",
		setup: func(e *e2e) (teamstest.Activity, *teamstest.User) {
			root := e.requestCard()
			return e.mentioned(e.marc, desk01+";messageid="+root.ID, "approve fine by me"), e.marc
		},
		answered: func(t *testing.T, e *e2e, d *teamstest.Delivery) {
			rs, err := e.db.DeskRequests(e.ctx, e.deal.ID, false)
			if err != nil || len(rs) != 1 || string(rs[0].Request.Status) != "approved" {
				t.Errorf("the decision is not stored when the reply is answered: %+v, %v", rs, err)
			}
		},
		pending: func(t *testing.T, e *e2e) {
			if s := requestState(e); !strings.Contains(s, "pending") {
				t.Errorf("the request's card changed while the work was held:\n%s", s)
			}
		},
		done: func(t *testing.T, e *e2e) { wantIn(t, "the request card", requestState(e), "approved", "Marc Dubois") },
	},
	{
		name: "invoke adaptiveCard/action",
		setup: func(e *e2e) (teamstest.Activity, *teamstest.User) {
			root := e.requestCard()
			return e.srv.Execute(e.marc, desk01, root.ID, bot.ActionDeskApprove, actionData(e.t, root.Attachments[0].Content, 0)), e.marc
		},
		answered: func(t *testing.T, e *e2e, d *teamstest.Delivery) {
			if got := executeText(t, d); !strings.Contains(got, "#1") {
				t.Errorf("Marc's approval answered %q", got)
			}
		},
		pending: func(t *testing.T, e *e2e) {
			if s := requestState(e); !strings.Contains(s, "pending") {
				t.Errorf("the request's card changed while the work was held:\n%s", s)
			}
		},
		done: func(t *testing.T, e *e2e) { wantIn(t, "the request card", requestState(e), "approved", "Marc Dubois") },
	},
	{
		name:    "invoke task/fetch",
		crafted: true, // a task/fetch typing a command that answers with a message and a post
		setup: func(e *e2e) (teamstest.Activity, *teamstest.User) {
			conv := knowMarc(e)
			posted := e.srv.Posted(conv)
			return e.srv.TaskFetch(e.marc, conv, posted[len(posted)-1].ID, map[string]any{commandKey: "forecast digest"}), e.marc
		},
		answered: func(t *testing.T, e *e2e, d *teamstest.Delivery) {
			if !strings.Contains(string(d.Body), "Posting the France digest") {
				t.Errorf("the task/fetch answered %s", d.Body)
			}
		},
		pending: func(t *testing.T, e *e2e) {
			if n := digestCount(e); n != 0 {
				t.Errorf("the digest was posted (%d) while its work was held", n)
			}
		},
		done: func(t *testing.T, e *e2e) {
			if n := digestCount(e); n == 0 {
				t.Errorf("the digest was not posted after the answer:\n%s", e.srv.TranscriptText())
			}
		},
	},
	{
		name: "invoke task/submit",
		setup: func(e *e2e) (teamstest.Activity, *teamstest.User) {
			knowMarc(e)
			lconv := e.srv.PersonalConversation(e.lea.ID)
			form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
			form["justification"] = "Competitive bid against Globex"
			return e.srv.TaskSubmit(e.lea, lconv, form), e.lea
		},
		answered: func(t *testing.T, e *e2e, d *teamstest.Delivery) {
			if len(d.Body) != 0 {
				t.Errorf("the dialog did not close: %s", d.Body)
			}
		},
		pending: func(t *testing.T, e *e2e) {
			if n := len(e.srv.Posted(desk01)); n != 0 {
				t.Errorf("the request was posted (%d) while its work was held", n)
			}
		},
		done: func(t *testing.T, e *e2e) {
			if n := len(e.srv.Posted(desk01)); n != 1 {
				t.Fatalf("the desk channel has %d messages after the work:\n%s", n, e.srv.TranscriptText())
			}
			wantIn(t, "the request card", requestState(e), "Discount request #1", "pending")
		},
	},
}

// TestWorkAfterTheReplyForEveryKind: for each kind, the activity is
// answered (HTTP 200, for an invoke an answer Teams can show) while the
// work its reply leaves is held, that work's effect is not there yet, and
// once the work may go on it is done.
func TestWorkAfterTheReplyForEveryKind(t *testing.T) {
	for _, k := range afterKinds {
		t.Run(k.name, func(t *testing.T) {
			e := newE2E(t)
			a, _ := k.setup(e)
			h := holdPosts(e)
			released := false
			release := func() {
				if !released {
					released = true
					close(h.open)
				}
			}
			defer release() // a failing check must not leave the endpoint stuck
			// Teams gives up on any answer in time; a bot that did its work
			// before answering would never answer here.
			ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
			defer cancel()
			deliver := e.srv.Deliver
			if k.crafted {
				deliver = e.srv.DeliverCrafted
			}
			d, err := deliver(ctx, a)
			if err != nil {
				t.Fatalf("no answer while the work after it was held: %v\n%s", err, e.srv.TranscriptText())
			}
			if d.Status != 200 || d.InvokeErr != nil {
				t.Fatalf("answered %d, %v: %s", d.Status, d.InvokeErr, d.Body)
			}
			k.answered(t, e, d)
			select {
			case <-h.arrived:
			case <-ctx.Done():
				t.Fatalf("the answer left no work for after it:\n%s", e.srv.TranscriptText())
			}
			k.pending(t, e)
			release()
			e.settle()
			k.done(t, e)
		})
	}
}

// TestFailedWorkAfterTheReplyIsToldForEveryKind: for each kind, the work
// the reply leaves breaking (a panic in it) does not pass in silence: the
// person who acted is sent a reference to quote, after their answer. The
// digest asked by message, whose post fails with an error, is told too.
func TestFailedWorkAfterTheReplyIsToldForEveryKind(t *testing.T) {
	prefix, _, _ := strings.Cut(i18n.T(i18n.EN, "error.ref"), "%s")
	check := func(t *testing.T, k afterKind, breakIt func(*heldPosts)) {
		e := newE2E(t)
		knowMarc(e)
		a, who := k.setup(e)
		h := holdPosts(e)
		breakIt(h)
		close(h.open)
		if k.crafted {
			e.deliverCrafted(a)
		} else {
			e.deliver(a)
		}
		if got := e.last(e.srv.PersonalConversation(who.ID)); !strings.Contains(got, prefix) {
			t.Errorf("%s was not told the work after the answer failed: %q\n%s", who.Name, got, e.srv.TranscriptText())
		}
	}
	for _, k := range afterKinds {
		t.Run(k.name, func(t *testing.T) {
			check(t, k, func(h *heldPosts) { h.broken = true })
		})
	}
	t.Run("message, an error", func(t *testing.T) {
		check(t, afterKinds[0], func(h *heldPosts) { h.err = errors.New("connector down") })
	})
}

// TestInstallLeavesNoWorkAfter: a conversationUpdate (the bot installed
// for a user) is answered with the welcome alone; its answer leaves no
// work for after it, so nothing is held.
func TestInstallLeavesNoWorkAfter(t *testing.T) {
	e := newE2E(t)
	h := holdPosts(e)
	conv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.ConversationUpdate(e.lea, conv, e.srv.Bot()))
	wantIn(t, "the welcome", e.last(conv), "deal new")
	select {
	case <-h.arrived:
		t.Error("the install left work for after its answer")
	default:
	}
}
