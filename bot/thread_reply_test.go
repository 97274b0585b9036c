package bot_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// threadSaid is one message the bot sent through a threadMessenger.
type threadSaid struct {
	kind            string // post, update, dm, ephemeral
	ref             string // the message's reference
	channel, thread string
	user            domain.UserID
	reply           bot.Reply
}

// threadMessenger is a Messenger on no platform: it keeps what the bot
// says as the bot's own values (replies, messages and their arguments), so
// a test reads who is named by id rather than by any platform's markup.
type threadMessenger struct {
	mu   sync.Mutex
	n    int
	said []threadSaid
}

func (r *threadMessenger) add(s threadSaid) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	s.ref = fmt.Sprintf("m%d", r.n)
	r.said = append(r.said, s)
	return s.ref
}

func (r *threadMessenger) Post(_ context.Context, channel, thread string, rep bot.Reply) (string, error) {
	return r.add(threadSaid{kind: "post", channel: channel, thread: thread, reply: rep}), nil
}

func (r *threadMessenger) PostParts(ctx context.Context, channel, thread string, rep bot.Reply, _ []string, saved func(int, string) error) (string, error) {
	ref, _ := r.Post(ctx, channel, thread, rep)
	return ref, saved(0, ref)
}

func (r *threadMessenger) Update(_ context.Context, channel, ref string, rep bot.Reply) error {
	r.add(threadSaid{kind: "update", channel: channel, thread: ref, reply: rep})
	return nil
}

func (r *threadMessenger) DM(_ context.Context, user domain.UserID, rep bot.Reply) error {
	r.add(threadSaid{kind: "dm", user: user, reply: rep})
	return nil
}

func (r *threadMessenger) Ephemeral(_ context.Context, channel, thread string, user domain.UserID, rep bot.Reply) error {
	r.add(threadSaid{kind: "ephemeral", channel: channel, thread: thread, user: user, reply: rep})
	return nil
}

func (r *threadMessenger) Upload(context.Context, string, string, string, []byte) error { return nil }
func (r *threadMessenger) Location(context.Context, domain.UserID) *time.Location       { return nil }
func (r *threadMessenger) DisplayName(context.Context, domain.UserID) string            { return "" }

// since returns what was said from the i-th message on.
func (r *threadMessenger) since(i int) []threadSaid {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.said[i:])
}

func (r *threadMessenger) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.said)
}

// threadMsgs are the catalogue messages of a Notice or an Announcement.
func threadMsgs(rep bot.Reply) []bot.Msg {
	switch v := rep.(type) {
	case bot.Notice:
		return v.Msgs
	case bot.Announcement:
		return v.Msgs
	}
	return nil
}

// msgNames reports whether m names u by value among its arguments, the
// way every user reaches a transport to be rendered as its mention.
func msgNames(m bot.Msg, u domain.UserID) bool {
	for _, a := range m.Args {
		switch v := a.(type) {
		case domain.UserID:
			if v == u {
				return true
			}
		case bot.Mention:
			if domain.UserID(v) == u {
				return true
			}
		case desk.Users:
			if slices.Contains(v, u) {
				return true
			}
		case bot.Msg:
			if msgNames(v, u) {
				return true
			}
		}
	}
	return false
}

// TestThreadRepliesOnNeutralText: a reply in a request's thread reaches the
// bot as the transport hands it over, plain text (the bot's own mention
// removed) with the users it names by id (Caller.Mentions), and decides
// only as a command; a reply addressed to a person never decides; the
// thread's answers name people by id, never by markup.
func TestThreadRepliesOnNeutralText(t *testing.T) {
	b, db := deskBot(t)
	ctx := context.Background()
	rec := &threadMessenger{}
	d := deskDeal(t, db, sample.Rep1, 1)
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	// Above 20 % a request needs a mutual action plan.
	_, version, err := db.PlanVersion(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Forms()[bot.FormPlan](ctx, rep, bot.FormMeta{Deal: d.ID, Version: version},
		bot.Values{desk.FieldPlan: "2026-12-01 | customer | Security review\n2026-12-10 | us | Contract sent"}, "view:plan1"); err != nil {
		t.Fatal(err)
	}
	d, err = db.Deal(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := b.Forms()[bot.FormDiscount](ctx, rep, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: fmt.Sprintf(`{"p":2500,"a":%d}`, d.Amount)},
		bot.Values{desk.FieldDiscount: "25", desk.FieldJustification: "Rival at 20% off"}, "view:thread1")
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
	var root string
	for _, s := range rec.since(0) {
		if s.kind == "post" && s.channel == sample.DeskChannel && s.thread == "" {
			root = s.ref
		}
	}
	if root == "" {
		t.Fatalf("the request was not posted in the desk channel: %+v", rec.since(0))
	}
	mentions := map[string]domain.UserID{"@vp": sample.VP}
	say := func(u domain.UserID, text string) []threadSaid {
		t.Helper()
		from := rec.count()
		posts, err := b.ThreadReply(ctx, rec, bot.Caller{User: u, Channel: sample.DeskChannel, Mentions: mentions}, sample.DeskChannel, root, text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		for _, p := range posts {
			if err := p.Run(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		return rec.since(from)
	}
	request := func() *desk.Request {
		t.Helper()
		rs, err := db.DeskRequests(ctx, d.ID, false)
		if err != nil || len(rs) != 1 {
			t.Fatalf("requests: %v, %v", rs, err)
		}
		return rs[0].Request
	}

	// Conversation, or a word to someone else: the approver it waits on is
	// told how to decide, and nothing is decided.
	for _, text := range []string{"approve if finance agrees", "Approved already? I thought finance had to look first", "approve?", "@vp approve", "@vp: approve, fine by me"} {
		out := say(sample.Manager, text)
		if len(out) != 1 || out[0].kind != "ephemeral" || out[0].user != sample.Manager || out[0].thread != root ||
			len(threadMsgs(out[0].reply)) != 1 || threadMsgs(out[0].reply)[0].Key != "deskbot.reply.not_taken" {
			t.Errorf("%q: threadSaid %+v, want the manager told it is not taken, in the thread", text, out)
		}
		if r := request(); len(r.Decisions) != 0 {
			t.Fatalf("%q decided: %+v", text, r.Decisions)
		}
	}
	if out := say(sample.Manager, "looks good to me"); len(out) != 0 {
		t.Errorf("plain conversation answered: %+v", out)
	}
	if out := say(sample.Rep2, "approve?"); len(out) != 0 {
		t.Errorf("a question from someone the request does not wait on answered: %+v", out)
	}

	// Someone the request does not wait on: refused, to them only, naming
	// who can decide by id.
	out := say(sample.Rep2, "approve")
	if len(out) != 1 || out[0].kind != "ephemeral" || out[0].user != sample.Rep2 || !msgNames(threadMsgs(out[0].reply)[0], sample.Manager) {
		t.Errorf("a non-approver's approve: threadSaid %+v, want a refusal to them naming the manager", out)
	}

	// A command decides; the thread names the approver
	// and who is next by id.
	out = say(sample.Manager, "approve margin still above floor")
	r := request()
	if len(r.Decisions) != 1 || r.Decisions[0].By != sample.Manager || r.Decisions[0].Comment != "margin still above floor" || r.Current != 1 {
		t.Fatalf("decisions %+v at step %d", r.Decisions, r.Current)
	}
	var line *bot.Msg
	for _, s := range out {
		if s.kind == "post" && s.thread == root {
			line = &threadMsgs(s.reply)[0]
		}
	}
	if line == nil || line.Key != "deskbot.thread.step_approved" || !msgNames(*line, sample.Manager) || !msgNames(*line, sample.VP) {
		t.Errorf("thread line %+v, want step_approved naming the manager and the vp by id", line)
	}

	// Without the bot's name, a command decides too.
	say(sample.VP, "Changes: ask for a 2-year term")
	if r := request(); r.Status != desk.StatusChangesRequested || len(r.Decisions) != 2 || r.Decisions[1].Comment != "ask for a 2-year term" {
		t.Fatalf("request %s, decisions %+v", r.Status, r.Decisions)
	}
}
