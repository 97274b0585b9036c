package teams

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

func TestServeRunsTheEndpointUntilCancelled(t *testing.T) {
	srv := newTeams(t)
	alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
	handled := make(chan string, 1)
	h := NewHandler(NewVerifier(configFor(srv)), func(ctx context.Context, a *Activity) (*InvokeResponse, error) {
		handled <- a.Text
		return nil, nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, h.Mux()) }()
	srv.SetBotEndpoint("http://" + ln.Addr().String() + MessagesPath)
	d, err := srv.Deliver(context.Background(), srv.Message(alice, srv.PersonalConversation(alice.ID), "pipeline"))
	if err != nil || d.Status != 200 {
		t.Fatalf("%v %v", err, d)
	}
	if got := <-handled; got != "pipeline" {
		t.Errorf("handled %q", got)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := srv.Deliver(context.Background(), srv.Message(alice, srv.PersonalConversation(alice.ID), "x")); err == nil {
		t.Error("the endpoint still answers after shutdown")
	}
}

// TestUnconfiguredVerifierRefusesEverything: with no app id or issuer,
// jwt would skip those checks; the verifier refuses instead.
func TestUnconfiguredVerifierRefusesEverything(t *testing.T) {
	srv := newTeams(t)
	tok, err := srv.Token(srv.ServiceURL(), teamstest.Genuine)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(c *Config)
	}{
		{"NoAppID", func(c *Config) { c.AppID = "" }},
		{"NoIssuer", func(c *Config) { c.Issuer = "" }},
		{"NoMetadataURL", func(c *Config) { c.OpenIDMetadataURL = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := configFor(srv)
			tc.change(&cfg)
			if _, err := NewVerifier(cfg).Authenticate(context.Background(), "Bearer "+tok); err == nil {
				t.Fatal("a verifier without configuration admits a genuine token")
			}
		})
	}
	// the same token passes a configured verifier
	if _, err := NewVerifier(configFor(srv)).Authenticate(context.Background(), "Bearer "+tok); err != nil {
		t.Fatal(err)
	}
}

// TestServeGivesRequestsUnderWayTheirGrace: an activity still being
// handled when the serve context ends is not cut off: its context lives
// on while the server shuts down (no new connection taken), and its
// answer reaches Teams.
func TestServeGivesRequestsUnderWayTheirGrace(t *testing.T) {
	srv := newTeams(t)
	alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
	entered, release := make(chan struct{}), make(chan struct{})
	h := NewHandler(NewVerifier(configFor(srv)), func(ctx context.Context, a *Activity) (*InvokeResponse, error) {
		close(entered)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("cut off: %w", context.Cause(ctx))
		case <-release:
			return nil, nil
		}
	}, WithHandlerLogf(t.Logf))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, h.Mux()) }()
	srv.SetBotEndpoint("http://" + addr + MessagesPath)
	delivered := make(chan *teamstest.Delivery, 1)
	go func() {
		d, err := srv.Deliver(context.Background(), srv.Message(alice, srv.PersonalConversation(alice.ID), "pipeline"))
		if err != nil {
			t.Error(err)
		}
		delivered <- d
	}()
	<-entered
	cancel()
	// The shutdown is under way once the endpoint takes no connection.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		runtime.Gosched()
	}
	close(release)
	if d := <-delivered; d == nil || d.Status != 200 {
		t.Errorf("the activity under way at the shutdown: %+v, want 200", d)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestServeCutsOffAfterTheGrace: a request still running when the grace
// is over is cancelled, the work after its answer too, and Serve returns
// only once its handler has (the bot closes its file after Serve).
func TestServeCutsOffAfterTheGrace(t *testing.T) {
	defer func(g time.Duration) { serveGrace = g }(serveGrace)
	serveGrace = 50 * time.Millisecond
	for _, tt := range []struct {
		name  string
		after bool // the work after the answer is what is still running
	}{{"Answer", false}, {"WorkAfterTheAnswer", true}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTeams(t)
			alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
			entered := make(chan struct{})
			var returned atomic.Bool
			block := func(ctx context.Context) {
				close(entered)
				<-ctx.Done()
				returned.Store(true)
			}
			h := NewHandler(NewVerifier(configFor(srv)), func(ctx context.Context, a *Activity) (*InvokeResponse, error) {
				if tt.after {
					return &InvokeResponse{After: []func(context.Context){block}}, nil
				}
				block(ctx)
				return nil, ctx.Err()
			}, WithHandlerLogf(t.Logf))
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			served := make(chan error, 1)
			go func() { served <- Serve(ctx, ln, h.Mux()) }()
			srv.SetBotEndpoint("http://" + ln.Addr().String() + MessagesPath)
			go srv.Deliver(context.Background(), srv.Message(alice, srv.PersonalConversation(alice.ID), "pipeline"))
			<-entered
			cancel()
			err = <-served
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Serve after the grace: %v, want the shutdown's deadline", err)
			}
			if !returned.Load() {
				t.Error("Serve returned before the work under way did")
			}
		})
	}
}
