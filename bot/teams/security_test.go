package teams

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// endpoint is a messaging endpoint on loopback wired to a local Teams; it
// counts the activities handed to the callback and keeps the log.
type endpoint struct {
	srv      *teamstest.Server
	clock    *fakeClock
	verifier *Verifier
	mu       sync.Mutex
	got      []*Activity
	logs     []string
	alice    *teamstest.User
	conv     string
	url      string
}

func newEndpoint(t *testing.T, verifierOffset time.Duration) *endpoint {
	t.Helper()
	return newEndpointWith(t, verifierOffset, nil)
}

// newEndpointWith is newEndpoint with the verifier's configuration changed
// by change (when not nil).
func newEndpointWith(t *testing.T, verifierOffset time.Duration, change func(srv *teamstest.Server, c *Config)) *endpoint {
	t.Helper()
	clk := newFakeClock()
	srv := newTeams(t, teamstest.WithClock(clk.Now))
	e := &endpoint{srv: srv, clock: clk}
	cfg := configFor(srv)
	if change != nil {
		change(srv, &cfg)
	}
	v := NewVerifier(cfg, WithVerifierClock(func() time.Time { return clk.Now().Add(verifierOffset) }))
	e.verifier = v
	h := NewHandler(v, func(ctx context.Context, a *Activity) (*InvokeResponse, error) {
		e.mu.Lock()
		e.got = append(e.got, a)
		e.mu.Unlock()
		if a.Type == TypeInvoke {
			return &InvokeResponse{Status: 200, Body: map[string]any{"task": map[string]any{"type": "message", "value": "seen " + a.ID}}}, nil
		}
		return nil, nil
	}, WithHandlerLogf(func(f string, args ...any) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.logs = append(e.logs, strings.TrimSpace(sprintf(f, args...)))
	}), WithHandlerClock(clk.Now))
	e.url = serve(t, h.Mux()) + MessagesPath
	srv.SetBotEndpoint(e.url)
	e.alice = srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", AADObjectID: "0f7e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", Installed: true})
	e.conv = srv.PersonalConversation(e.alice.ID)
	return e
}

func (e *endpoint) handled() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.got)
}

func (e *endpoint) lastLog() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.logs) == 0 {
		return ""
	}
	return e.logs[len(e.logs)-1]
}

// TestEveryForgedTokenIsRefused: each forgery teamstest knows gets 401,
// the callback is not called, and the log holds the reason only (no
// token, no activity text).
func TestEveryForgedTokenIsRefused(t *testing.T) {
	reasons := map[teamstest.Forgery]string{
		teamstest.NoToken:            "no bearer token",
		teamstest.WrongAudience:      "invalid audience",
		teamstest.WrongIssuer:        "invalid issuer",
		teamstest.Expired:            "token is expired",
		teamstest.NotYetValid:        "token is not valid yet",
		teamstest.ServiceURLMismatch: "serviceUrl is not the token's serviceurl claim",
		teamstest.NoServiceURLClaim:  "no serviceurl claim",
		teamstest.Unendorsed:         `not endorsed for channel "msteams"`,
		teamstest.UnknownKID:         "no signing key with the token's kid",
		teamstest.BadSignature:       "signature is invalid",
		teamstest.AlgNone:            "signing method none is invalid",
		teamstest.AlgHS256:           "signing method HS256 is invalid",
		teamstest.NoExpiry:           "token is missing required claim: exp claim is required",
		teamstest.NoKID:              "token has no kid",
	}
	e := newEndpoint(t, 0)
	ctx := context.Background()
	for _, f := range teamstest.Forgeries {
		t.Run(f.String(), func(t *testing.T) {
			for _, a := range []teamstest.Activity{
				e.srv.Message(e.alice, e.conv, "secret deal text"),
				e.srv.Invoke(e.alice, e.conv, InvokeAdaptiveCardAction, map[string]any{"action": map[string]any{"verb": "approve"}}),
			} {
				d, err := e.srv.DeliverForged(ctx, a, f)
				if err != nil {
					t.Fatal(err)
				}
				if d.Status != 401 {
					t.Fatalf("%s: status %d, want 401 (%s)", a.Type, d.Status, d.Body)
				}
				if n := e.handled(); n != 0 {
					t.Fatalf("the callback ran %d times", n)
				}
				log := e.lastLog()
				if !strings.HasPrefix(log, "teams: 401:") || !strings.Contains(log, reasons[f]) {
					t.Errorf("log %q, want the reason %q", log, reasons[f])
				}
				if strings.Contains(log, "secret deal text") || strings.Contains(log, "eyJ") {
					t.Errorf("log %q holds more than the reason", log)
				}
			}
		})
	}
	if _, ok := reasons[teamstest.Genuine]; ok || len(reasons) != len(teamstest.Forgeries) {
		t.Errorf("a forgery has no expected reason")
	}
}

// TestTokenMustMatchTheActivity: a genuine token does not admit an activity
// whose serviceUrl or channelId it does not vouch for.
func TestTokenMustMatchTheActivity(t *testing.T) {
	e := newEndpoint(t, 0)
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(a *teamstest.Activity)
		reason string
	}{
		{"ChannelNotEndorsed", func(a *teamstest.Activity) { a.ChannelID = "skype" }, `not endorsed for channel "skype"`},
		{"NoChannel", func(a *teamstest.Activity) { a.ChannelID = "" }, "no channelId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.srv.Message(e.alice, e.conv, "hello")
			tc.change(&a)
			d, err := e.srv.Deliver(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != 401 || e.handled() != 0 || !strings.Contains(e.lastLog(), tc.reason) {
				t.Fatalf("status %d, handled %d, log %q", d.Status, e.handled(), e.lastLog())
			}
		})
	}
	// the serviceUrl of the body is checked against the claim made for the
	// genuine URL: an attacker replaying a token cannot redirect replies.
	tok, err := e.srv.Token(e.srv.ServiceURL(), teamstest.Genuine)
	if err != nil {
		t.Fatal(err)
	}
	v := NewVerifier(configFor(e.srv), WithVerifierClock(e.clock.Now))
	id, err := v.Authenticate(ctx, "Bearer "+tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := id.Admit(&Activity{ServiceURL: "https://smba.attacker.example.com/teams/", ChannelID: "msteams"}); err == nil {
		t.Error("a redirected serviceUrl is admitted")
	}
}

func TestGenuineActivitiesAreHandledOnce(t *testing.T) {
	e := newEndpoint(t, 0)
	ctx := context.Background()
	d, err := e.srv.Deliver(ctx, e.srv.Message(e.alice, e.conv, "deal update D-12"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != 200 || e.handled() != 1 {
		t.Fatalf("status %d (%s), handled %d", d.Status, d.Body, e.handled())
	}
	e.mu.Lock()
	got := e.got[0]
	e.mu.Unlock()
	if got.Text != "deal update D-12" || got.From.AADObjectID != e.alice.AADObjectID || got.Conversation.TenantID != e.srv.TenantID() {
		t.Errorf("parsed %+v", got)
	}
	// a redelivery (fresh token, same activity) is not done again
	d2, err := e.srv.Redeliver(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if d2.Status != 200 || e.handled() != 1 {
		t.Fatalf("redelivery: status %d, handled %d", d2.Status, e.handled())
	}
	// an invoke's answer is the HTTP response, the same on redelivery
	inv, err := e.srv.DeliverCrafted(ctx, e.srv.Invoke(e.alice, e.conv, InvokeTaskFetch, map[string]any{"data": map[string]string{"deal": "D-12"}})) // no card here
	if err != nil {
		t.Fatal(err)
	}
	inv2, err := e.srv.Redeliver(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Task struct{ Value string }
	}
	json.Unmarshal(inv.Body, &body)
	if inv.Status != 200 || body.Task.Value != "seen "+inv.Activity.ID || string(inv2.Body) != string(inv.Body) || e.handled() != 2 {
		t.Fatalf("invoke: %d %s / %d %s, handled %d", inv.Status, inv.Body, inv2.Status, inv2.Body, e.handled())
	}
	// the same activity id in another conversation is another activity
	bob := e.srv.AddUser(teamstest.User{ID: "29:bob", Name: "Bob", Installed: true})
	other := e.srv.Message(bob, e.srv.PersonalConversation(bob.ID), "forecast")
	other.ID = d.Activity.ID
	if d3, err := e.srv.Deliver(ctx, other); err != nil || d3.Status != 200 || e.handled() != 3 {
		t.Fatalf("same id, other conversation: %v %v handled %d", err, d3, e.handled())
	}
}

func TestSkewIsFiveMinutes(t *testing.T) {
	ctx := context.Background()
	// tokens last an hour; a verifier whose clock is 64 minutes ahead still
	// takes them, 66 minutes ahead does not
	for _, tc := range []struct {
		ahead  time.Duration
		status int
	}{{64 * time.Minute, 200}, {66 * time.Minute, 401}} {
		e := newEndpoint(t, tc.ahead)
		d, err := e.srv.Deliver(ctx, e.srv.Message(e.alice, e.conv, "hi"))
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != tc.status {
			t.Errorf("verifier %s ahead: %d, want %d", tc.ahead, d.Status, tc.status)
		}
	}
}

func TestKeysAreCachedAndRefreshed(t *testing.T) {
	e := newEndpoint(t, 0)
	ctx := context.Background()
	deliver := func(f teamstest.Forgery) int {
		t.Helper()
		d, err := e.srv.DeliverForged(ctx, e.srv.Message(e.alice, e.conv, "hi"), f)
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}
	for range 3 {
		if st := deliver(teamstest.Genuine); st != 200 {
			t.Fatalf("status %d", st)
		}
	}
	if n := e.srv.KeysFetches(); n != 1 {
		t.Fatalf("keys fetched %d times for three activities, want once", n)
	}
	// unknown kids: one refresh, then none for five minutes
	deliver(teamstest.UnknownKID)
	deliver(teamstest.UnknownKID)
	if n := e.srv.KeysFetches(); n != 2 {
		t.Fatalf("keys fetched %d times after two unknown kids, want 2", n)
	}
	// a rotation is picked up at the first token with the new kid, once
	// the five minutes have passed
	if err := e.srv.RotateKeys(); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(5 * time.Minute)
	if st := deliver(teamstest.Genuine); st != 200 {
		t.Fatalf("after rotation: %d", st)
	}
	if n := e.srv.KeysFetches(); n != 3 {
		t.Fatalf("keys fetched %d times after rotation, want 3", n)
	}
	// and the keys are fetched again after a day (in the background)
	e.clock.Advance(24 * time.Hour)
	if st := deliver(teamstest.Genuine); st != 200 {
		t.Fatalf("a day later: %d", st)
	}
	e.verifier.keys.settle()
	if n := e.srv.KeysFetches(); n != 4 {
		t.Fatalf("keys fetched %d times after a day, want 4", n)
	}
}

// TestOnlyTheTeamsChannelIsAdmitted: the test key is endorsed for webchat
// too, as Microsoft's keys are. On Web Chat and Direct Line the client
// writes from and channelData itself, so a genuine token with an activity
// of another channel must not act as the user it names: 401, the deal
// unchanged, and only the reason in the log.
func TestOnlyTheTeamsChannelIsAdmitted(t *testing.T) {
	e := newE2E(t)
	var logs []string
	var mu sync.Mutex
	h := NewHandler(NewVerifier(configFor(e.srv), WithVerifierClock(e.clock.Now)), e.app.Handle,
		WithHandlerLogf(func(f string, args ...any) { mu.Lock(); logs = append(logs, sprintf(f, args...)); mu.Unlock() }),
		WithHandlerClock(e.clock.Now))
	e.srv.SetBotEndpoint(serve(t, e.srv.Track(h.Mux())) + MessagesPath)
	conv := e.srv.PersonalConversation(e.lea.ID)
	for _, channel := range []string{"webchat", "directline", "skype"} {
		msg := e.srv.Message(e.lea, conv, "deal amount D-1 99k")
		msg.ChannelID = channel
		d, err := e.srv.DeliverCrafted(e.ctx, msg)
		if err != nil {
			t.Fatal(err)
		}
		e.settle()
		if d.Status != 401 {
			t.Errorf("%s: status %d (%s), want 401", channel, d.Status, d.Body)
		}
		mu.Lock()
		last := ""
		if len(logs) > 0 {
			last = logs[len(logs)-1]
		}
		mu.Unlock()
		if !strings.HasPrefix(last, "teams: 401:") || !strings.Contains(last, channel) || strings.Contains(last, "99k") {
			t.Errorf("%s: log %q, want the reason only", channel, last)
		}
	}
	if got, _ := e.db.Deal(e.ctx, e.deal.ID); got.Amount != 48_000_00 {
		t.Errorf("the amount is %d after activities of other channels", got.Amount)
	}
	if n := len(e.srv.Posted(conv)); n != 0 {
		t.Errorf("the bot answered %d times:\n%s", n, e.srv.TranscriptText())
	}
}
