package slacktest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

const waitTimeout = 10 * time.Second

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv, err := New(append([]Option{WithPingInterval(500 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	srv.AddUser(User{ID: "U0ALICE", Name: "alice", RealName: "Alice Martin", TZ: "Europe/Paris", TZOffset: 3600, IsAdmin: true})
	srv.AddUser(User{ID: "U0BOB", Name: "bob"})
	srv.AddChannel(Channel{ID: "C0SALES", Name: "sales", Members: []string{BotUserID}})
	return srv
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

func apiClient(srv *Server) *slack.Client {
	return slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken(srv.AppToken()))
}

// startBot runs a real slack-go Socket Mode client; handle gets every event.
func startBot(t *testing.T, srv *Server, handle func(sm *socketmode.Client, evt socketmode.Event)) *socketmode.Client {
	t.Helper()
	sm := socketmode.New(apiClient(srv))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = sm.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-sm.Events:
				if evt.Request != nil && evt.Type != socketmode.EventTypeHello {
					handle(sm, evt)
				}
			}
		}
	})
	t.Cleanup(func() { cancel(); wg.Wait() })
	if err := srv.WaitConnected(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	return sm
}

func TestSlashCommandAckRecorded(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	got := make(chan slack.SlashCommand, 1)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		cmd := evt.Data.(slack.SlashCommand)
		got <- cmd
		_ = sm.Ack(*evt.Request, map[string]any{"text": "Working on *" + cmd.Text + "*", "blocks": []any{
			map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": "Deal"}},
			map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "Creating " + cmd.Text}},
			map[string]any{"type": "actions", "elements": []any{map[string]any{"type": "button", "action_id": "open", "text": map[string]any{"type": "plain_text", "text": "Open"}}}},
		}})
	})

	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "new Acme")
	if err != nil {
		t.Fatal(err)
	}
	cmd := <-got
	if cmd.Command != "/deal" || cmd.Text != "new Acme" || cmd.UserID != "U0ALICE" || cmd.UserName != "alice" ||
		cmd.ChannelID != "C0SALES" || cmd.TriggerID != inv.TriggerID || cmd.ResponseURL != inv.ResponseURL || cmd.APIAppID != AppID {
		t.Fatalf("unexpected slash command %+v", cmd)
	}
	ack, err := inv.WaitAck(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Rejected != "" || !strings.Contains(string(ack.Payload), "Working on") || ack.RetryAttempt != 0 || ack.Latency < 0 {
		t.Fatalf("unexpected ack %+v", ack)
	}
	resp, err := inv.NextResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Kind != ResponseAck || resp.ResponseType != "ephemeral" || !strings.Contains(resp.Render(), "Creating new Acme") {
		t.Fatalf("unexpected response %+v", resp)
	}
	if n := len(inv.Responses()); n != 1 {
		t.Fatalf("want exactly one response, got %d", n)
	}
	env := inv.Envelope()
	if env.Type != "slash_commands" || len(env.Deliveries) != 1 || env.Deliveries[0].Outcome != "acked" || env.Ack == nil {
		t.Fatalf("unexpected envelope %+v", env)
	}
	if eph := srv.Ephemerals("U0ALICE"); len(eph) != 1 || eph[0].Source != "ack" {
		t.Fatalf("unexpected ephemerals %+v", eph)
	}
	tr := srv.TranscriptText()
	for _, want := range []string{"@alice in #sales: /deal new Acme", "# Deal", "[Open]", "only visible to them"} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %q:\n%s", want, tr)
		}
	}
	if c := srv.Counters(); c.Acks != 1 || c.Envelopes != 1 {
		t.Fatalf("counters %+v", c)
	}
}

// TestDropOfTheOnlyConnection: what the app's only socket did not ack when
// it dropped finds no connection to go to. A slash command is lost for the
// user (dispatch_failed); an event is retried on Slack's schedule and
// reaches the app once it reconnected, retry_attempt counting every try.
func TestDropOfTheOnlyConnection(t *testing.T) {
	// Slack retries an undelivered event at once, then later: 250 ms leaves the
	// client ample time to reconnect, so the second try finds it.
	srv := newServer(t, WithEventRetryDelays(0, 250*time.Millisecond))
	ctx := testCtx(t)
	attempts := make(chan socketmode.Request, 8)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		attempts <- *evt.Request
		if evt.Request.RetryAttempt > 0 {
			_ = sm.Ack(*evt.Request)
		}
	})
	cmd, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "x")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := srv.Message("U0ALICE", "C0SALES", "hello bot", "")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if r := <-attempts; r.RetryAttempt != 0 || r.RetryReason != "" {
			t.Fatalf("first delivery %+v", r)
		}
	}
	if n := srv.DropConnections(); n != 1 {
		t.Fatalf("dropped %d connections", n)
	}
	if _, err := cmd.WaitAck(ctx); !errors.Is(err, ErrDispatchFailed) {
		t.Fatalf("slash command: want ErrDispatchFailed, got %v", err)
	}
	ack, err := ev.WaitAck(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env := ev.Envelope()
	last := env.Deliveries[len(env.Deliveries)-1]
	if len(env.Deliveries) != 2 || env.Deliveries[0].Outcome != "connection_lost" || last.Outcome != "acked" ||
		ack.RetryAttempt < 2 || last.RetryReason != "connection_failed" {
		t.Fatalf("event deliveries %+v ack %+v", env.Deliveries, ack)
	}
	if c := srv.Counters(); c.Drops != 1 || c.Redeliveries != 1 || c.ConnectionsOpened < 2 {
		t.Fatalf("counters %+v", c)
	}
}

func TestAckTimeoutRetriesThenFails(t *testing.T) {
	srv := newServer(t, WithAckTimeout(50*time.Millisecond))
	ctx := testCtx(t)
	var mu sync.Mutex
	var seen []socketmode.Request
	startBot(t, srv, func(_ *socketmode.Client, evt socketmode.Event) {
		mu.Lock()
		seen = append(seen, *evt.Request)
		mu.Unlock()
	})
	inv, err := srv.Message("U0ALICE", "C0SALES", "hello bot", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctx); !errors.Is(err, ErrNotAcknowledged) {
		t.Fatalf("want ErrNotAcknowledged, got %v", err)
	}
	env := inv.Envelope()
	if len(env.Deliveries) != 4 || !env.Failed {
		t.Fatalf("envelope %+v", env)
	}
	for i, d := range env.Deliveries {
		if d.RetryAttempt != i || d.Outcome != "timeout" || (i > 0 && d.RetryReason != "timeout") {
			t.Fatalf("delivery %d: %+v", i, d)
		}
	}
	// The client saw the same envelope with increasing retry_attempt.
	err = srv.WaitFor(ctx, func(*State) bool { mu.Lock(); defer mu.Unlock(); return len(seen) == 4 })
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for i, r := range seen {
		if r.EnvelopeID != env.ID || r.RetryAttempt != i || r.Type != "events_api" {
			t.Fatalf("seen %d: %+v", i, r)
		}
	}
}

// TestNoConnectionFailsUserActionsAtOnce: with no Socket Mode connection
// open, Slack does not hold a slash command or a click for the app: the user
// gets dispatch_failed on the spot, and a connection opened later never sees
// it.
func TestNoConnectionFailsUserActionsAtOnce(t *testing.T) {
	srv := newServer(t)
	var invs []*Invocation
	cmd, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "")
	if err != nil {
		t.Fatal(err)
	}
	invs = append(invs, cmd)
	short, err := srv.Shortcut("U0ALICE", "new_deal")
	if err != nil {
		t.Fatal(err)
	}
	invs = append(invs, short)
	for _, inv := range invs {
		// Failed as the call returned: no grace period, no wait.
		if env := inv.Envelope(); !env.Failed || env.FailReason != "dispatch_failed" || len(env.Deliveries) != 0 {
			t.Fatalf("%s: envelope %+v, want failed with dispatch_failed at once", inv.Kind, env)
		}
		if _, err := inv.WaitAck(testCtx(t)); !errors.Is(err, ErrDispatchFailed) {
			t.Fatalf("%s: want ErrDispatchFailed, got %v", inv.Kind, err)
		}
	}
	if !strings.Contains(srv.TranscriptText(), `/deal failed with the error "dispatch_failed" (shown to @alice)`) {
		t.Errorf("the user's error is not in the transcript:\n%s", srv.TranscriptText())
	}
	var got []string
	var mu sync.Mutex
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		mu.Lock()
		got = append(got, evt.Request.EnvelopeID)
		mu.Unlock()
		_ = sm.Ack(*evt.Request)
	})
	// A command after the connection is delivered; the failed ones never are.
	after, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "later")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := after.WaitAck(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != after.EnvelopeID {
		t.Fatalf("the app received %v, want only %s", got, after.EnvelopeID)
	}
}

// TestNoConnectionRetriesEvents: an event that finds no connection is not
// lost at once as a command is; Slack tries again on its schedule, counting
// the attempts in retry_attempt, and gives up after the last retry.
func TestNoConnectionRetriesEvents(t *testing.T) {
	t.Run("DeliveredOnALaterAttempt", func(t *testing.T) {
		srv := newServer(t, WithEventRetryDelays(0, 20*time.Millisecond))
		inv, err := srv.Message("U0ALICE", "C0SALES", "hello bot", "")
		if err != nil {
			t.Fatal(err)
		}
		// The first attempt and the immediate retry found no connection.
		if env := inv.Envelope(); env.Failed || len(env.Deliveries) != 0 {
			t.Fatalf("envelope %+v, want waiting for its retry", env)
		}
		if c := srv.Counters(); c.UndeliveredEvents != 2 {
			t.Fatalf("%d undelivered attempts, want 2", c.UndeliveredEvents)
		}
		seen := make(chan socketmode.Request, 4)
		startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
			seen <- *evt.Request
			_ = sm.Ack(*evt.Request)
		})
		ack, err := inv.WaitAck(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if ack.RetryAttempt < 2 {
			t.Errorf("acked on retry_attempt %d, want at least 2 (two attempts found no connection)", ack.RetryAttempt)
		}
		r := <-seen
		if r.RetryAttempt != ack.RetryAttempt || r.RetryReason != "connection_failed" {
			t.Errorf("the app saw retry_attempt %d reason %q", r.RetryAttempt, r.RetryReason)
		}
	})
	t.Run("GivesUpAfterTheLastRetry", func(t *testing.T) {
		srv := newServer(t, WithEventRetryDelays(0))
		inv, err := srv.Message("U0ALICE", "C0SALES", "hello bot", "")
		if err != nil {
			t.Fatal(err)
		}
		env := inv.Envelope()
		if !env.Failed || env.FailReason != "connection_failed" || len(env.Deliveries) != 0 {
			t.Fatalf("envelope %+v, want failed after 1+%d attempts", env, 3)
		}
		if c := srv.Counters(); c.UndeliveredEvents != 3 {
			t.Fatalf("%d undelivered attempts, want 3 retries", c.UndeliveredEvents)
		}
		if _, err := inv.WaitAck(testCtx(t)); !errors.Is(err, ErrNotAcknowledged) {
			t.Fatalf("want ErrNotAcknowledged, got %v", err)
		}
	})
}

// TestDropOneConnectionRedeliversToTheOther: what one dropped socket did not
// ack goes at once to the app's other connection.
func TestDropOneConnectionRedeliversToTheOther(t *testing.T) {
	srv := newServer(t)
	attempts := make(chan socketmode.Request, 4)
	handle := func(sm *socketmode.Client, evt socketmode.Event) {
		attempts <- *evt.Request
		if evt.Request.RetryAttempt > 0 {
			_ = sm.Ack(*evt.Request)
		}
	}
	startBot(t, srv, handle)
	startBot(t, srv, handle)
	if err := srv.WaitConnected(testCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "x")
	if err != nil {
		t.Fatal(err)
	}
	<-attempts
	first := inv.Envelope().Deliveries[0].ConnID
	if !srv.DropConnection(first) {
		t.Fatalf("connection %d was not live", first)
	}
	ack, err := inv.WaitAck(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	env := inv.Envelope()
	if len(env.Deliveries) != 2 || env.Deliveries[0].Outcome != "connection_lost" || env.Deliveries[1].ConnID == first || ack.RetryAttempt != 1 {
		t.Fatalf("deliveries %+v ack %+v", env.Deliveries, ack)
	}
}

func blocksN(n int) []slack.Block {
	out := make([]slack.Block, n)
	for i := range out {
		out[i] = slack.NewDividerBlock()
	}
	return out
}

func modal(title string, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject("plain_text", title, false, false),
		Submit: slack.NewTextBlockObject("plain_text", "Save", false, false), Blocks: slack.Blocks{BlockSet: blocks}}
}

func TestLimitsRejected(t *testing.T) {
	var now time.Time
	var clockMu sync.Mutex
	clock := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
	now = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newServer(t, WithClock(clock))
	api := apiClient(srv)
	ctx := testCtx(t)

	_, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionBlocks(blocksN(51)...))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_blocks" || len(se.ResponseMetadata.Messages) == 0 ||
		!strings.Contains(se.ResponseMetadata.Messages[0], "must be less than 51 items") {
		t.Fatalf("51 blocks: %v %+v", err, se)
	}
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionBlocks(blocksN(50)...)); err != nil {
		t.Fatalf("50 blocks: %v", err)
	}
	longBtn := slack.NewActionBlock("a", slack.NewButtonBlockElement("b", "v", slack.NewTextBlockObject("plain_text", strings.Repeat("x", 76), false, false)))
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionBlocks(longBtn)); err == nil || err.Error() != "invalid_blocks" {
		t.Fatalf("76-char button: %v", err)
	}
	input := slack.NewInputBlock("in", slack.NewTextBlockObject("plain_text", "Name", false, false), nil,
		slack.NewPlainTextInputBlockElement(nil, "name"))
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionBlocks(input)); err == nil || err.Error() != "invalid_blocks" {
		t.Fatalf("input block in message: %v", err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText(strings.Repeat("y", 40001), false)); err == nil || err.Error() != "msg_too_long" {
		t.Fatalf("long text: %v", err)
	}

	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = api.OpenViewContext(ctx, inv.TriggerID, modal(strings.Repeat("t", 25), input))
	if !errors.As(err, &se) || se.Err != "invalid_arguments" || !strings.Contains(strings.Join(se.ResponseMetadata.Messages, " "), "/view/title/text") {
		t.Fatalf("25-char title: %v %+v", err, se)
	}
	if _, err := api.OpenViewContext(ctx, "123.456.deadbeef", modal("Deal", input)); err == nil || err.Error() != "invalid_trigger_id" {
		t.Fatalf("unknown trigger: %v", err)
	}
	vr, err := api.OpenViewContext(ctx, inv.TriggerID, modal("Deal", input))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(vr.ID, "V") || vr.Hash == "" || vr.Title.Text != "Deal" {
		t.Fatalf("view %+v", vr.View)
	}
	if _, err := api.OpenViewContext(ctx, inv.TriggerID, modal("Deal", input)); err == nil || err.Error() != "exchanged_trigger_id" {
		t.Fatalf("reused trigger: %v", err)
	}
	inv2, _ := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "")
	clockMu.Lock()
	now = now.Add(3*time.Second + time.Millisecond)
	clockMu.Unlock()
	if _, err := api.OpenViewContext(ctx, inv2.TriggerID, modal("Deal", input)); err == nil || err.Error() != "expired_trigger_id" {
		t.Fatalf("expired trigger: %v", err)
	}
	// views.update with a stale hash.
	if _, err := api.UpdateViewContext(ctx, modal("Deal 2", input), "", "stale", vr.ID); err == nil || err.Error() != "hash_conflict" {
		t.Fatalf("stale hash: %v", err)
	}
	if _, err := api.UpdateViewContext(ctx, modal("Deal 2", input), "", vr.Hash, vr.ID); err != nil {
		t.Fatal(err)
	}
	// Home tabs accept 100 blocks, not 101.
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocksN(101)}}
	if _, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U0ALICE", View: home}); err == nil || err.Error() != "invalid_arguments" {
		t.Fatalf("101 home blocks: %v", err)
	}
	calls := srv.Calls("chat.postMessage")
	if len(calls) != 5 || calls[0].Error != "invalid_blocks" || calls[1].Error != "" || calls[0].Token != "bot" {
		t.Fatalf("calls %+v", calls)
	}
}

func TestAuthAndTokens(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	resp, err := apiClient(srv).AuthTestContext(ctx)
	if err != nil || resp.UserID != BotUserID || resp.TeamID != TeamID {
		t.Fatalf("auth.test: %+v %v", resp, err)
	}
	bad := slack.New("xoxb-wrong", slack.OptionAPIURL(srv.APIURL()))
	if _, err := bad.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Fatalf("wrong token: %v", err)
	}
	appAsBot := slack.New(srv.AppToken(), slack.OptionAPIURL(srv.APIURL()))
	if _, _, err := appAsBot.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("x", false)); err == nil || err.Error() != "not_allowed_token_type" {
		t.Fatalf("app token on chat.postMessage: %v", err)
	}
	u, err := apiClient(srv).GetUserInfoContext(ctx, "U0ALICE")
	if err != nil || u.Name != "alice" || u.TZ != "Europe/Paris" || u.TZOffset != 3600 || !u.IsAdmin {
		t.Fatalf("users.info: %+v %v", u, err)
	}
	if _, err := apiClient(srv).GetUserInfoContext(ctx, "U0NOBODY"); err == nil || err.Error() != "user_not_found" {
		t.Fatalf("unknown user: %v", err)
	}
	ch, _, _, err := apiClient(srv).OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0ALICE"}})
	if err != nil || !strings.HasPrefix(ch.ID, "D") || ch.ID != srv.DMChannel("U0ALICE") {
		t.Fatalf("conversations.open: %+v %v", ch, err)
	}
	info, err := apiClient(srv).GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C0SALES"})
	if err != nil || info.Name != "sales" {
		t.Fatalf("conversations.info: %+v %v", info, err)
	}
}

func TestThrottleFailAndHang(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	api := apiClient(srv)
	srv.Throttle("chat.postMessage", 1, 2*time.Second)
	_, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("hi", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("want RateLimitedError, got %v", err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("after throttle: %v", err)
	}
	srv.FailWith("*", 1, 500)
	var sce slack.StatusCodeError
	if _, err := api.GetUserInfoContext(ctx, "U0ALICE"); !errors.As(err, &sce) || sce.Code != 500 {
		t.Fatalf("want 500, got %v", err)
	}
	srv.Hang("users.info", 1)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := api.GetUserInfoContext(short, "U0ALICE"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline exceeded, got %v", err)
	}
	if c := srv.Counters(); c.RateLimited != 1 || c.InjectedFailures != 3 {
		t.Fatalf("counters %+v", c)
	}
}

func TestUploadV2(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	fs, err := apiClient(srv).UploadFileContext(ctx, slack.UploadFileParameters{
		Content: "id,name\n1,Acme\n", FileSize: 15, Filename: "deals.csv", Title: "Deals", Channel: "C0SALES", InitialComment: "Export",
	})
	if err != nil {
		t.Fatal(err)
	}
	files := srv.Files()
	if len(files) != 1 || files[0].ID != fs.ID || string(files[0].Content) != "id,name\n1,Acme\n" || !files[0].Completed || files[0].Title != "Deals" {
		t.Fatalf("files %+v", files)
	}
	msgs := srv.Messages("C0SALES")
	if len(msgs) != 1 || msgs[0].Text != "Export" || len(msgs[0].Files) != 1 {
		t.Fatalf("messages %+v", msgs)
	}
	// Completing twice fails.
	if _, err := apiClient(srv).CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: fs.ID}}}); err == nil {
		t.Fatal("second completion accepted")
	}
}

// TestModalFlow drives a modal: open from a slash command, field errors,
// update, push, block suggestion, clear.
func TestModalFlow(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	nameInput := slack.NewInputBlock("name_block", slack.NewTextBlockObject("plain_text", "Name", false, false), nil,
		slack.NewPlainTextInputBlockElement(nil, "name"))
	stage := slack.NewInputBlock("stage_block", slack.NewTextBlockObject("plain_text", "Stage", false, false), nil,
		slack.NewOptionsSelectBlockElement("static_select", nil, "stage",
			slack.NewOptionBlockObject("lead", slack.NewTextBlockObject("plain_text", "Lead", false, false), nil),
			slack.NewOptionBlockObject("won", slack.NewTextBlockObject("plain_text", "Won", false, false), nil)))
	due := slack.NewInputBlock("due_block", slack.NewTextBlockObject("plain_text", "Due", false, false), nil,
		slack.NewDatePickerBlockElement("due"))
	due.Optional = true
	company := slack.NewInputBlock("company_block", slack.NewTextBlockObject("plain_text", "Company", false, false), nil,
		slack.NewOptionsSelectBlockElement("external_select", nil, "company"))
	company.Optional = true

	var subsMu sync.Mutex
	var subs []slack.InteractionCallback
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		switch evt.Type {
		case socketmode.EventTypeSlashCommand:
			cmd := evt.Data.(slack.SlashCommand)
			_ = sm.Ack(*evt.Request)
			_, err := sm.OpenViewContext(ctx, cmd.TriggerID, modal("New deal", nameInput, stage, due, company))
			if err != nil {
				t.Errorf("views.open: %v", err)
			}
		case socketmode.EventTypeInteractive:
			cb := evt.Data.(slack.InteractionCallback)
			switch cb.Type {
			case slack.InteractionTypeBlockSuggestion:
				_ = sm.Ack(*evt.Request, map[string]any{"options": []any{
					map[string]any{"text": map[string]any{"type": "plain_text", "text": "Acme Corp"}, "value": "acme"}}})
			case slack.InteractionTypeViewSubmission:
				subsMu.Lock()
				subs = append(subs, cb)
				n := len(subs)
				subsMu.Unlock()
				switch n {
				case 1:
					_ = sm.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"nope": "bad"}))
				case 2:
					_ = sm.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"name_block": "Name taken"}))
				case 3:
					_ = sm.Ack(*evt.Request, slack.NewUpdateViewSubmissionResponse(&slack.ModalViewRequest{Type: slack.VTModal,
						Title:  slack.NewTextBlockObject("plain_text", "Confirm", false, false),
						Submit: slack.NewTextBlockObject("plain_text", "OK", false, false),
						Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Sure?", false, false), nil, nil)}}}))
				default:
					_ = sm.Ack(*evt.Request, slack.NewClearViewSubmissionResponse())
				}
			default:
				_ = sm.Ack(*evt.Request)
			}
		}
	})

	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "new")
	if err != nil {
		t.Fatal(err)
	}
	v, err := inv.WaitView(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.Title != "New deal" || !strings.Contains(v.Render(), "Name: ____") {
		t.Fatalf("view %+v\n%s", v, v.Render())
	}
	if _, err := srv.SubmitView("U0ALICE", v.ID, Values{"stage": "won"}); err == nil || !strings.Contains(err.Error(), "required input") {
		t.Fatalf("missing required input: %v", err)
	}
	if _, err := srv.SubmitView("U0ALICE", v.ID, Values{"name": "Acme", "stage": "lost"}); err == nil {
		t.Fatal("unknown option accepted")
	}
	opts, err := srv.BlockSuggestion(ctx, "U0ALICE", v.ID, "company", "acm")
	if err != nil || len(opts) != 1 || opts[0].Value != "acme" {
		t.Fatalf("suggestions %v %v", opts, err)
	}
	values := Values{"name": "Acme", "stage": "won", "due": "2025-03-01", "company": SelectOption{Text: "Acme Corp", Value: "acme"}}
	sub := func() Ack {
		t.Helper()
		inv, err := srv.SubmitView("U0ALICE", v.ID, values)
		if err != nil {
			t.Fatal(err)
		}
		ack, err := inv.WaitAck(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	if ack := sub(); ack.Rejected != "invalid_errors" {
		t.Fatalf("errors on unknown block: %+v", ack)
	}
	subsMu.Lock()
	st := subs[0].View.State.Values
	subsMu.Unlock()
	if st["name_block"]["name"].Value != "Acme" || st["stage_block"]["stage"].SelectedOption.Value != "won" ||
		st["due_block"]["due"].SelectedDate != "2025-03-01" || st["company_block"]["company"].SelectedOption.Value != "acme" {
		t.Fatalf("state values %+v", st)
	}
	if ack := sub(); ack.Rejected != "" || ack.Errors["name_block"] != "Name taken" {
		t.Fatalf("field errors: %+v", ack)
	}
	if top, ok := srv.TopModal("U0ALICE"); !ok || top.ID != v.ID {
		t.Fatal("view closed after errors")
	}
	if ack := sub(); ack.ResponseAction != "update" {
		t.Fatalf("update: %+v", ack)
	}
	top, _ := srv.TopModal("U0ALICE")
	if top.ID != v.ID || top.Title != "Confirm" {
		t.Fatalf("after update %+v", top)
	}
	values = Values{}
	if ack := sub(); ack.ResponseAction != "clear" {
		t.Fatalf("clear: %+v", ack)
	}
	if _, ok := srv.TopModal("U0ALICE"); ok {
		t.Fatal("modal still open after clear")
	}
	if !strings.Contains(srv.TranscriptText(), `opened modal "New deal" for @alice`) {
		t.Fatalf("transcript:\n%s", srv.TranscriptText())
	}
}

func TestResponseURLAndBlockAction(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		_ = sm.Ack(*evt.Request)
		switch evt.Type {
		case socketmode.EventTypeSlashCommand:
			cmd := evt.Data.(slack.SlashCommand)
			_, _, _ = sm.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeInChannel),
				slack.MsgOptionBlocks(slack.NewActionBlock("acts", slack.NewButtonBlockElement("approve", "deal-1",
					slack.NewTextBlockObject("plain_text", "Approve", false, false)))))
		case socketmode.EventTypeInteractive:
			cb := evt.Data.(slack.InteractionCallback)
			a := cb.ActionCallback.BlockActions[0]
			_, _, _ = sm.PostMessageContext(ctx, "", slack.MsgOptionReplaceOriginal(cb.ResponseURL),
				slack.MsgOptionText("Approved "+a.Value, false))
		}
	})
	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "list")
	if err != nil {
		t.Fatal(err)
	}
	r, err := inv.NextResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != ResponseURL || r.ResponseType != "in_channel" || r.Render() != "[Approve]" {
		t.Fatalf("response %+v", r)
	}
	click, err := srv.BlockAction("U0ALICE", InMessage("C0SALES", r.TS), Action{ActionID: "approve"})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := click.NextResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.ReplaceOriginal || r2.TS != r.TS {
		t.Fatalf("replace %+v", r2)
	}
	msg, err := srv.WaitMessage(ctx, "C0SALES", func(m Message) bool { return m.Text == "Approved deal-1" })
	if err != nil || msg.TS != r.TS || !msg.Edited {
		t.Fatalf("replaced message %+v %v", msg, err)
	}
	// response_url accepts 5 posts only.
	api := apiClient(srv)
	for i := 2; i <= 5; i++ {
		if _, _, err := api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(inv.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("n", false)); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	var sce slack.StatusCodeError
	if _, _, err := api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(inv.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("n", false)); !errors.As(err, &sce) || sce.Code != 404 {
		t.Fatalf("6th post: %v", err)
	}
	if n := len(inv.Responses()); n != 5 {
		t.Fatalf("want 5 responses, got %d", n)
	}
}

func TestEventsAndHome(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		_ = sm.Ack(*evt.Request)
		ev := evt.Data.(slackevents.EventsAPIEvent)
		switch inner := ev.InnerEvent.Data.(type) {
		case *slackevents.MessageEvent:
			_, _, _ = sm.PostMessageContext(ctx, inner.Channel, slack.MsgOptionText("echo: "+inner.Text, false), slack.MsgOptionTS(inner.TimeStamp))
		case *slackevents.AppHomeOpenedEvent:
			_, _ = sm.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: inner.User, View: slack.HomeTabViewRequest{
				Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject("plain_text", "Your deals", false, false))}}}})
		}
	})
	inv, err := srv.Message("U0ALICE", "C0SALES", "ping", "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := srv.WaitMessage(ctx, "C0SALES", func(m Message) bool { return m.User == BotUserID })
	if err != nil || m.Text != "echo: ping" || m.ThreadTS != inv.MessageTS {
		t.Fatalf("echo %+v %v", m, err)
	}
	if _, err := srv.AppHomeOpened("U0ALICE"); err != nil {
		t.Fatal(err)
	}
	err = srv.WaitFor(ctx, func(st *State) bool { _, ok := st.HomeViews["U0ALICE"]; return ok })
	if err != nil {
		t.Fatal(err)
	}
	home, _ := srv.HomeView("U0ALICE")
	if home.Render() != "# Your deals" {
		t.Fatalf("home %q", home.Render())
	}
}

func TestDisconnectReconnects(t *testing.T) {
	srv := newServer(t, WithDisconnectGrace(time.Second), WithMaxRetries(20), WithAckTimeout(500*time.Millisecond))
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) { _ = sm.Ack(*evt.Request) })
	if n := srv.SendDisconnect(DisconnectRefreshRequested); n != 1 {
		t.Fatalf("disconnect sent to %d", n)
	}
	err := srv.WaitFor(ctx, func(st *State) bool { return st.Counters.ConnectionsOpened >= 2 })
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	inv, _ := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "after refresh")
	if _, err := inv.WaitAck(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestChaosEventuallyAcked runs an app with two connections, as Slack
// allows, while chaos drops them or asks them to reconnect. A command sent
// while both happen to be down fails for the user (dispatch_failed, and the
// user sends it again); every other command is acknowledged exactly once,
// redelivered to the surviving connection when its own went away.
func TestChaosEventuallyAcked(t *testing.T) {
	srv := newServer(t, WithChaos(Chaos{MinInterval: 20 * time.Millisecond, MaxInterval: 60 * time.Millisecond}),
		WithDisconnectGrace(50*time.Millisecond), WithMaxRetries(50), WithAckTimeout(300*time.Millisecond))
	ctx := testCtx(t)
	ack := func(sm *socketmode.Client, evt socketmode.Event) { _ = sm.Ack(*evt.Request) }
	startBot(t, srv, ack)
	startBot(t, srv, ack)
	// Keep the user busy until chaos struck several times.
	n, failed := 0, 0
	for c := srv.Counters(); c.Drops+c.Disconnects < 4; c = srv.Counters() {
		if err := srv.WaitConnected(ctx, 1); err != nil {
			t.Fatal(err)
		}
		inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "x")
		if err != nil {
			t.Fatal(err)
		}
		n++
		if _, err := inv.WaitAck(ctx); errors.Is(err, ErrDispatchFailed) {
			failed++
		} else if err != nil {
			t.Fatalf("command %d: %v (counters %+v)", n, err, srv.Counters())
		}
	}
	st := srv.State()
	for _, e := range st.Envelopes {
		if (e.Ack == nil) != (e.Failed && e.FailReason == "dispatch_failed") {
			t.Fatalf("envelope neither acked nor failed for want of a connection: %+v", e)
		}
	}
	if c := srv.Counters(); c.Acks != n-failed || c.ConnectionsOpened < 3 {
		t.Fatalf("counters %+v after %d commands, %d failed", c, n, failed)
	}
}

func TestObserverAndConnectionLimit(t *testing.T) {
	lines := make(chan Line, 100)
	srv := newServer(t, WithObserver(func(l Line) { lines <- l }), WithMaxConnections(1))
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		_ = sm.Ack(*evt.Request, map[string]any{"text": "pong"})
	})
	inv, err := srv.SlashCommand("U0BOB", "C0SALES", "/ping", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitResponses(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"@bob in #sales: /ping", "dealpilot → @bob (only visible to them) in #sales: pong"} {
		select {
		case l := <-lines:
			if l.Text != want {
				t.Fatalf("line %q, want %q", l.Text, want)
			}
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
	// A second app instance is refused beyond the limit.
	extra := socketmode.New(apiClient(srv))
	ectx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = extra.RunContext(ectx) }()
	go func() {
		for {
			select {
			case <-extra.Events:
			case <-done:
				return
			}
		}
	}()
	err = srv.WaitFor(ctx, func(st *State) bool { return st.Counters.ConnectionsDenied > 0 })
	cancel()
	<-done
	if err != nil {
		t.Fatal(err)
	}
}

// fakeLimiterClock makes the server's rate limits read a manual clock.
func fakeLimiterClock(srv *Server) func(time.Duration) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	srv.mu.Lock()
	srv.limits = newLimiter(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	srv.mu.Unlock()
	return func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}

// TestRateLimitTiers: each tier takes its per-minute count in a burst, then
// refuses until a token comes back (60/n seconds later), for one method at a
// time: another method of the same tier has its own limit.
func TestRateLimitTiers(t *testing.T) {
	tests := []struct {
		method, other string
		perMinute     int
	}{
		{"conversations.list", "users.list", Tier2PerMinute},
		{"chat.update", "conversations.info", Tier3PerMinute},
		{"users.info", "views.open", Tier4PerMinute},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			srv := newServer(t)
			advance := fakeLimiterClock(srv)
			srv.mu.Lock()
			defer srv.mu.Unlock()
			for i := range tt.perMinute {
				if w := srv.limitLocked(tt.method, &apiReq{}); w != 0 {
					t.Fatalf("call %d of the burst refused (wait %s)", i+1, w)
				}
			}
			w := srv.limitLocked(tt.method, &apiReq{})
			if want := time.Minute / time.Duration(tt.perMinute); w != want {
				t.Fatalf("call %d: wait %s, want %s", tt.perMinute+1, w, want)
			}
			if w := srv.limitLocked(tt.other, &apiReq{}); w != 0 {
				t.Fatalf("%s refused because %s is at its limit", tt.other, tt.method)
			}
			srv.mu.Unlock()
			advance(time.Minute / time.Duration(tt.perMinute))
			srv.mu.Lock()
			if w := srv.limitLocked(tt.method, &apiReq{}); w != 0 {
				t.Fatalf("refused after a token came back (wait %s)", w)
			}
			if w := srv.limitLocked(tt.method, &apiReq{}); w == 0 {
				t.Fatal("took two calls for one token")
			}
		})
	}
}

// TestRateLimitedOverHTTP: past a method's limit the Web API answers 429
// with Retry-After, which slack-go reports as *slack.RateLimitedError; the
// refused call is recorded and does nothing.
func TestRateLimitedOverHTTP(t *testing.T) {
	srv := newServer(t)
	fakeLimiterClock(srv)
	api := apiClient(srv)
	ctx := testCtx(t)
	for range Tier4PerMinute {
		if _, err := api.GetUserInfoContext(ctx, "U0ALICE"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := api.GetUserInfoContext(ctx, "U0ALICE")
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("users.info #%d: %v, want 429 with Retry-After 1", Tier4PerMinute+1, err)
	}
	calls := srv.Calls("users.info")
	if last := calls[len(calls)-1]; last.Status != 429 || last.Error != "ratelimited" {
		t.Fatalf("refused call recorded as %+v", last)
	}
	for range Tier3PerMinute {
		if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C0SALES"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C0SALES"}); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("conversations.info #%d: %v, want 429 with Retry-After 2 (50 a minute: one every 1.2 s)", Tier3PerMinute+1, err)
	}
	if c := srv.Counters(); c.RateLimited != 2 {
		t.Errorf("%d calls rate limited, want 2", c.RateLimited)
	}
}

// TestPostMessagePerChannelLimit: chat.postMessage takes a burst in one
// channel, then about one message a second there, while other channels
// still take theirs; the refused message is not posted.
func TestPostMessagePerChannelLimit(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "C0DESK", Name: "deal-desk", Members: []string{BotUserID}})
	advance := fakeLimiterClock(srv)
	api := apiClient(srv)
	ctx := testCtx(t)
	post := func(ch string) error {
		_, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("hello", false))
		return err
	}
	for i := range PostMessagePerChannelBurst {
		if err := post("C0SALES"); err != nil {
			t.Fatalf("message %d of the burst: %v", i+1, err)
		}
	}
	var rl *slack.RateLimitedError
	if err := post("C0SALES"); !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("message %d in #sales: %v, want 429 with Retry-After 1", PostMessagePerChannelBurst+1, err)
	}
	if n := len(srv.Messages("C0SALES")); n != PostMessagePerChannelBurst {
		t.Fatalf("%d messages in #sales, want %d: the refused one was posted", n, PostMessagePerChannelBurst)
	}
	if err := post("C0DESK"); err != nil {
		t.Fatalf("another channel refused: %v", err)
	}
	advance(time.Second)
	if err := post("C0SALES"); err != nil {
		t.Fatalf("a second later: %v", err)
	}
	if err := post("C0SALES"); !errors.As(err, &rl) {
		t.Fatalf("two messages in one second after the burst: %v", err)
	}
}

// TestPostMessageWorkspaceLimit: past several hundred messages a minute
// across channels, chat.postMessage is refused in any channel.
func TestPostMessageWorkspaceLimit(t *testing.T) {
	srv := newServer(t)
	fakeLimiterClock(srv)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for i := range PostMessagePerMinute {
		if w := srv.limitLocked("chat.postMessage", &apiReq{form: url.Values{"channel": {fmt.Sprintf("C%04d", i)}}}); w != 0 {
			t.Fatalf("message %d refused (wait %s)", i+1, w)
		}
	}
	if w := srv.limitLocked("chat.postMessage", &apiReq{form: url.Values{"channel": {"C9999"}}}); w == 0 {
		t.Fatal("a fresh channel took a message past the workspace limit")
	}
}

// TestWithoutRateLimits: a test or benchmark that drives more than Slack
// takes turns the limits off explicitly.
func TestWithoutRateLimits(t *testing.T) {
	srv := newServer(t, WithoutRateLimits())
	api := apiClient(srv)
	ctx := testCtx(t)
	for i := range 2 * PostMessagePerChannelBurst {
		if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("hello", false)); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
}

// A response_url post can fail as Web API calls do: FailWith answers 5xx
// without posting, FailAfter posts and then answers 5xx (the app cannot
// tell it went out), Throttle answers 429 with Retry-After.
func TestResponseURLFaults(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) { _ = sm.Ack(*evt.Request) })
	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/deal", "list")
	if err != nil {
		t.Fatal(err)
	}
	post := func(text string) error {
		return slack.PostWebhookContext(ctx, inv.ResponseURL, &slack.WebhookMessage{ResponseType: "ephemeral", Text: text})
	}
	var sce slack.StatusCodeError
	srv.FailWith(ResponseURLMethod, 1, http.StatusInternalServerError)
	if err := post("refused"); !errors.As(err, &sce) || sce.Code != 500 {
		t.Fatalf("FailWith: %v", err)
	}
	srv.FailAfter(ResponseURLMethod, 1, http.StatusServiceUnavailable)
	if err := post("shown"); !errors.As(err, &sce) || sce.Code != 503 {
		t.Fatalf("FailAfter: %v", err)
	}
	srv.Throttle(ResponseURLMethod, 1, time.Second)
	var rl *slack.RateLimitedError
	if err := post("throttled"); !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("Throttle: %v", err)
	}
	if err := post("fine"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range inv.Responses() {
		if r.Kind == ResponseURL {
			got = append(got, r.Text)
		}
	}
	if strings.Join(got, ",") != "shown,fine" {
		t.Errorf("shown to the user: %v, want shown,fine", got)
	}
}
