package teams

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

type clientEnv struct {
	srv    *teamstest.Server
	clock  *fakeClock
	client *Client
	alice  *teamstest.User
	conv   string
}

func newClientEnv(t *testing.T, opts ...teamstest.Option) *clientEnv {
	t.Helper()
	clk := newFakeClock()
	srv := newTeams(t, append([]teamstest.Option{teamstest.WithClock(clk.Now)}, opts...)...)
	alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
	return &clientEnv{srv: srv, clock: clk, client: NewClient(configFor(srv), WithClientClock(clk), WithClientLogf(t.Logf)),
		alice: alice, conv: srv.PersonalConversation(alice.ID)}
}

func text(s string) *Activity { return &Activity{Type: TypeMessage, Text: s} }

func statuses(calls []teamstest.Call) []int {
	var out []int
	for _, c := range calls {
		out = append(out, c.Status)
	}
	return out
}

func TestClientSendReplyUpdateCreatePost(t *testing.T) {
	e := newClientEnv(t)
	ctx := context.Background()
	su := e.srv.ServiceURL()
	id, err := e.client.Send(ctx, su, e.conv, text("Deal D-12 updated"))
	if err != nil {
		t.Fatal(err)
	}
	rid, err := e.client.Reply(ctx, su, e.conv, id, text("Next step saved"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.Update(ctx, su, e.conv, id, text("Deal D-12 updated (stage Proposal)")); err != nil {
		t.Fatal(err)
	}
	posted := e.srv.Posted(e.conv)
	if len(posted) != 2 || posted[0].Text != "Deal D-12 updated (stage Proposal)" || posted[1].ID != rid || posted[1].ReplyToID != id {
		t.Fatalf("posted %+v", posted)
	}

	// proactive 1:1: needs the tenant, and the app installed for the user
	bob := e.srv.AddUser(teamstest.User{ID: "29:bob", Name: "Bob"})
	if _, err := e.client.CreatePersonal(ctx, su, "", bob.ID); err == nil || !strings.Contains(err.Error(), "tenant id") {
		t.Errorf("no tenant: %v", err)
	}
	var apiErr *APIError
	if _, err := e.client.CreatePersonal(ctx, su, e.srv.TenantID(), bob.ID); !errors.As(err, &apiErr) || apiErr.Status != 403 {
		t.Errorf("not installed: %v", err)
	}
	if err := e.srv.InstallFor(bob.ID); err != nil {
		t.Fatal(err)
	}
	conv, err := e.client.CreatePersonal(ctx, su, e.srv.TenantID(), bob.ID)
	if err != nil || conv != e.srv.PersonalConversation(bob.ID) {
		t.Fatalf("create: %q %v", conv, err)
	}
	if _, err := e.client.Send(ctx, su, conv, text("Reminder: D-12 next step is due")); err != nil {
		t.Fatal(err)
	}

	// a new thread in a channel, a reply in it, the root updated in place
	desk := e.srv.AddChannel(teamstest.Channel{ID: "19:desk@thread.tacv2", Name: "deal-desk"})
	thread, err := e.client.PostInChannel(ctx, su, e.srv.TenantID(), desk.ID, text("Discount request D-12: 15%"))
	if err != nil {
		t.Fatal(err)
	}
	if thread.ID != desk.ID+";messageid="+thread.ActivityID {
		t.Fatalf("thread %+v", thread)
	}
	if _, err := e.client.Reply(ctx, su, thread.ID, thread.ActivityID, text("Approved by Carol")); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Update(ctx, su, thread.ID, thread.ActivityID, text("Discount request D-12: 15% (approved)")); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"send    a:132393a616c696365 #1765000000001: Deal D-12 updated",
		"reply   a:132393a616c696365 #1765000000002 (reply to #1765000000001): Next step saved",
		"update  a:132393a616c696365 #1765000000001: Deal D-12 updated (stage Proposal)",
		"create  a:132393a626f62",
		"send    a:132393a626f62 #1765000000003: Reminder: D-12 next step is due",
		"post    19:desk@thread.tacv2 #1765000000004: Discount request D-12: 15%",
		"reply   19:desk@thread.tacv2;messageid=1765000000004 #1765000000005 (reply to #1765000000004): Approved by Carol",
		"update  19:desk@thread.tacv2;messageid=1765000000004 #1765000000004: Discount request D-12: 15% (approved)",
	}, "\n") + "\n"
	if got := e.srv.TranscriptText(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if n := e.srv.TokensIssued(); n != 1 {
		t.Errorf("%d tokens issued for one client, want 1 (cached)", n)
	}
}

func TestClientTokenCachedUntilNearExpiry(t *testing.T) {
	e := newClientEnv(t)
	ctx := context.Background()
	send := func() {
		t.Helper()
		if _, err := e.client.Send(ctx, e.srv.ServiceURL(), e.conv, text("x")); err != nil {
			t.Fatal(err)
		}
	}
	send()
	e.clock.Advance(54 * time.Minute) // 6 minutes left: still used
	send()
	if n := e.srv.TokensIssued(); n != 1 {
		t.Fatalf("%d tokens, want 1", n)
	}
	e.clock.Advance(2 * time.Minute) // 4 minutes left: renewed
	send()
	if n := e.srv.TokensIssued(); n != 2 {
		t.Fatalf("%d tokens, want 2", n)
	}
	// a token the connector refuses is renewed once
	e.srv.RevokeTokens()
	send()
	if n := e.srv.TokensIssued(); n != 3 {
		t.Fatalf("%d tokens after revocation, want 3", n)
	}
}

func TestClientBadCredentials(t *testing.T) {
	e := newClientEnv(t)
	cfg := configFor(e.srv)
	cfg.AppPassword = "wrong"
	c := NewClient(cfg, WithClientClock(e.clock))
	_, err := c.Send(context.Background(), e.srv.ServiceURL(), e.conv, text("x"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Op != "token" || apiErr.Code != "invalid_client" {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the secret: %v", err)
	}
}

func TestClientHonoursRateLimits(t *testing.T) {
	e := newClientEnv(t)
	ctx := context.Background()
	start := e.clock.Now()
	for i := range 70 {
		if _, err := e.client.Send(ctx, e.srv.ServiceURL(), e.conv, text("digest line")); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	for _, c := range e.srv.Calls() {
		if c.Status != 200 {
			t.Fatalf("the connector answered %d: the client went past a limit (%v)", c.Status, statuses(e.srv.Calls()))
		}
	}
	// 70 posts: the 61st waits for the 1st to leave the 30 s window
	if took := e.clock.Now().Sub(start); took < 30*time.Second {
		t.Errorf("70 posts took %s of clock, want at least 30 s", took)
	}
	// another conversation has its own windows
	bob := e.srv.AddUser(teamstest.User{ID: "29:bob", Name: "Bob", Installed: true})
	before := e.clock.Now()
	if _, err := e.client.Send(ctx, e.srv.ServiceURL(), e.srv.PersonalConversation(bob.ID), text("x")); err != nil {
		t.Fatal(err)
	}
	if e.clock.Now() != before {
		t.Errorf("a post to another conversation waited")
	}
}

func TestClientRetries(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		times      int
		retryAfter time.Duration
		wantErr    bool
	}{
		{"TooManyRequests", 429, 2, 3 * time.Second, false},
		{"PreconditionFailed", 412, 1, 0, false},
		{"BadGateway", 502, 1, 0, false},
		{"GatewayTimeout", 504, 4, 0, false},
		{"GivesUp", 429, 5, time.Second, true},
		{"ServerErrorNotRetried", 500, 1, 0, true},
		{"ForbiddenNotRetried", 403, 1, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newClientEnv(t)
			e.srv.FailNext(tc.times, tc.status, tc.retryAfter)
			_, err := e.client.Send(context.Background(), e.srv.ServiceURL(), e.conv, text("x"))
			var apiErr *APIError
			if tc.wantErr {
				if !errors.As(err, &apiErr) || apiErr.Status != tc.status {
					t.Fatalf("got %v, want an APIError %d", err, tc.status)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			calls := e.srv.Calls()
			wantCalls := tc.times + 1
			if tc.wantErr {
				wantCalls = min(tc.times, maxAttempts)
			}
			if len(calls) != wantCalls {
				t.Fatalf("calls %v, want %d", statuses(calls), wantCalls)
			}
			slept := e.clock.Slept()
			if len(slept) != wantCalls-1 && !(tc.wantErr && len(slept) == wantCalls-1) {
				t.Fatalf("slept %v", slept)
			}
			for i, d := range slept {
				if tc.retryAfter > 0 && d != tc.retryAfter {
					t.Errorf("wait %d: %s, want Retry-After %s", i+1, d, tc.retryAfter)
				}
				if tc.retryAfter == 0 {
					base := backoffBase << i
					if d < base || d > base+base/5 {
						t.Errorf("wait %d: %s, want backoff %s plus at most 20%%", i+1, d, base)
					}
				}
			}
		})
	}
}

// TestClientRefusesPayloadsOver100KB: the client counts a message as Teams
// does (UTF-16, so 51,200 ASCII characters already make 100 KB) and sends
// nothing over it.
func TestClientRefusesPayloadsOver100KB(t *testing.T) {
	e := newClientEnv(t)
	ctx := context.Background()
	big := text(strings.Repeat("x", MaxPayload/2))
	_, err := e.client.Send(ctx, e.srv.ServiceURL(), e.conv, big)
	if !errors.Is(err, ErrPayloadTooLarge) || !strings.Contains(err.Error(), "nothing was sent") {
		t.Fatalf("got %v", err)
	}
	if err := e.client.Update(ctx, e.srv.ServiceURL(), e.conv, "1", big); !errors.Is(err, ErrPayloadTooLarge) {
		t.Fatalf("update: %v", err)
	}
	if calls := e.srv.Calls(); len(calls) != 0 || e.srv.TokensIssued() != 0 {
		t.Fatalf("the oversized activity reached Teams: %v", calls)
	}
	// just under the limit goes through
	fits := text(strings.Repeat("x", MaxPayload/2-64))
	if _, err := e.client.Send(ctx, e.srv.ServiceURL(), e.conv, fits); err != nil {
		t.Fatal(err)
	}
}

func TestClientErrorsSayWhat(t *testing.T) {
	e := newClientEnv(t)
	_, err := e.client.Send(context.Background(), e.srv.ServiceURL(), "a:nobody", text("x"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || apiErr.Code != "ConversationNotFound" {
		t.Fatalf("got %v", err)
	}
	if want := "teams send: 404 ConversationNotFound: Conversation not found."; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestLimiterForgetsIdleConversations(t *testing.T) {
	clk := newFakeClock()
	l := newLimiter(clk)
	ctx := context.Background()
	for i := range 200 {
		if err := l.wait(ctx, "a:"+strings.Repeat("x", i%50+1)); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(time.Hour)
	if err := l.wait(ctx, "a:new"); err != nil {
		t.Fatal(err)
	}
	if n := len(l.times); n != 1 {
		t.Fatalf("%d conversations kept, want only the active one", n)
	}
}

// TestClientCapsRetryAfter: a Retry-After up to maxRetryAfter is waited
// out; a longer one fails the call at once, with the connector's error
// inside and a message saying why, nothing slept.
func TestClientCapsRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
		failed     bool
	}{
		{"AtTheCap", 60 * time.Second, false},
		{"OverTheCap", 61 * time.Second, true},
		{"Hours", 2 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newClientEnv(t)
			e.srv.FailNext(1, http.StatusTooManyRequests, tc.retryAfter)
			_, err := e.client.Send(context.Background(), e.srv.ServiceURL(), e.conv, text("x"))
			slept := e.clock.Slept()
			if !tc.failed {
				if err != nil || len(slept) != 1 || slept[0] != maxRetryAfter {
					t.Fatalf("err %v, slept %v; want one wait of %s, then sent", err, slept, maxRetryAfter)
				}
				return
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != http.StatusTooManyRequests || !strings.Contains(err.Error(), "more than the 1m0s this client waits") {
				t.Fatalf("got %v, want the 429 with why it was not waited out", err)
			}
			if len(slept) != 0 || len(e.srv.Calls()) != 1 {
				t.Fatalf("slept %v over %d calls, want no wait and one call", slept, len(e.srv.Calls()))
			}
		})
	}
}
