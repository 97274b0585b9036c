package teams

import (
	"context"
	"net"
	"testing"

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
