package teams

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// post sends raw to the endpoint with a genuine token.
func (e *endpoint) post(t *testing.T, method string, raw []byte) (int, string) {
	t.Helper()
	tok, err := e.srv.Token(e.srv.ServiceURL(), teamstest.Genuine)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, e.url, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, e.lastLog()
}

func TestEndpointRefusesMalformedRequests(t *testing.T) {
	e := newEndpoint(t, 0)
	good := e.srv.Message(e.alice, e.conv, "hi")
	noID := good
	noID.ID = ""
	noConv := good
	noConv.Conversation = nil
	marshal := func(a teamstest.Activity) []byte { b, _ := json.Marshal(a); return b }
	huge := marshal(e.srv.Message(e.alice, e.conv, strings.Repeat("x", maxInbound)))
	tests := []struct {
		name   string
		method string
		body   []byte
		status int
	}{
		{"NoID", "POST", marshal(noID), 400},
		{"NoConversation", "POST", marshal(noConv), 400},
		{"NotJSON", "POST", []byte("deal update D-12"), 400},
		{"TooLarge", "POST", huge, 413},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if st, log := e.post(t, tc.method, tc.body); st != tc.status {
				t.Fatalf("status %d, want %d (log %q)", st, tc.status, log)
			}
		})
	}
	// the handler itself (without Mux) takes POST only
	h := NewHandler(NewVerifier(configFor(e.srv)), func(context.Context, *Activity) (*InvokeResponse, error) { return nil, nil })
	base := serve(t, h)
	resp, err := http.Get(base + MessagesPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
	if n := e.handled(); n != 0 {
		t.Errorf("the callback ran %d times", n)
	}
}

// TestFailedActivityMayBeRetried: an activity whose work failed is not
// remembered as done, so Teams' redelivery does it.
func TestFailedActivityMayBeRetried(t *testing.T) {
	srv := newTeams(t)
	var calls atomic.Int32 // the handler runs on the server's goroutines
	h := NewHandler(NewVerifier(configFor(srv)), func(ctx context.Context, a *Activity) (*InvokeResponse, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("store unavailable")
		}
		return nil, nil
	})
	srv.SetBotEndpoint(serve(t, h.Mux()) + MessagesPath)
	alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
	ctx := context.Background()
	d, err := srv.Deliver(ctx, srv.Message(alice, srv.PersonalConversation(alice.ID), "forecast"))
	if err != nil || d.Status != 500 {
		t.Fatalf("first: %v %v", err, d)
	}
	d2, err := srv.Redeliver(ctx, d)
	if err != nil || d2.Status != 200 || calls.Load() != 2 {
		t.Fatalf("redelivery: %v %v, calls %d", err, d2, calls.Load())
	}
	d3, err := srv.Redeliver(ctx, d)
	if err != nil || d3.Status != 200 || calls.Load() != 2 {
		t.Fatalf("after success: %v %v, calls %d", err, d3, calls.Load())
	}
}

// TestWeakAndForeignKeysAreIgnored: a JWKS key under 2048 bits, or not
// RSA, is never used to verify, even with a matching kid.
func TestWeakAndForeignKeysAreIgnored(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	var base string
	mux.HandleFunc("GET /meta", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"jwks_uri": base + "/keys"})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]any{
			{"kty": "RSA", "kid": "weak", "n": base64.RawURLEncoding.EncodeToString(weak.N.Bytes()),
				"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(weak.E)).Bytes()), "endorsements": []string{"msteams"}},
			{"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA", "endorsements": []string{"msteams"}},
		}})
	})
	base = serve(t, mux)
	v := NewVerifier(Config{AppID: "app", Issuer: DefaultIssuer, OpenIDMetadataURL: base + "/meta"})
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": DefaultIssuer, "aud": "app",
		"exp": time.Now().Add(time.Hour).Unix(), "serviceurl": "https://smba.trafficmanager.net/teams/"})
	tok.Header["kid"] = "weak"
	raw, err := tok.SignedString(weak)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Authenticate(context.Background(), "Bearer "+raw)
	var ae *AuthError
	if !errors.As(err, &ae) || !strings.Contains(ae.Reason, "no usable RSA key") {
		t.Fatalf("got %v, want the weak key refused", err)
	}
}

func TestClientNeedsAServiceURL(t *testing.T) {
	e := newClientEnv(t)
	if _, err := e.client.Send(context.Background(), "", e.conv, text("x")); err == nil || !strings.Contains(err.Error(), "no serviceUrl") {
		t.Fatalf("got %v", err)
	}
}

// TestInvokesAreAnsweredInTheResponse: the callback's InvokeResponse is
// the HTTP answer, in a shape Teams takes (teamstest checks it), and a
// card button's Action.Submit reaches the callback as a message with value.
func TestInvokesAreAnsweredInTheResponse(t *testing.T) {
	srv := newTeams(t)
	card := map[string]any{"type": "AdaptiveCard", "version": "1.5",
		"body": []any{map[string]any{"type": "TextBlock", "text": "R-3 approved"}}}
	var submitted atomic.Value
	h := NewHandler(NewVerifier(configFor(srv)), func(ctx context.Context, a *Activity) (*InvokeResponse, error) {
		switch a.Name {
		case InvokeAdaptiveCardAction:
			var v struct {
				Action struct{ Verb string }
			}
			json.Unmarshal(a.Value, &v)
			if v.Action.Verb != "approve" || a.ReplyToID == "" {
				return nil, errors.New("unexpected action " + string(a.Value))
			}
			return &InvokeResponse{Status: 200, Body: map[string]any{"statusCode": 200, "type": AdaptiveCardType, "value": card}}, nil
		case InvokeTaskFetch:
			return &InvokeResponse{Status: 200, Body: map[string]any{"task": map[string]any{"type": "continue",
				"value": map[string]any{"title": "Update D-12", "card": Attachment{ContentType: AdaptiveCardType, Content: mustJSON(card)}}}}}, nil
		case InvokeTaskSubmit:
			return nil, nil // closes the dialog
		}
		if a.Type == TypeMessage && len(a.Value) > 0 {
			submitted.Store(string(a.Value))
		}
		return nil, nil
	})
	srv.SetBotEndpoint(serve(t, h.Mux()) + MessagesPath)
	alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	ctx := context.Background()
	for _, a := range []teamstest.Activity{
		srv.Execute(alice, conv, "1765000000100", "approve", map[string]string{"request": "R-3"}),
		srv.TaskFetch(alice, conv, "1765000000100", map[string]string{"form": "update", "deal": "D-12"}),
		srv.TaskSubmit(alice, conv, map[string]string{"amount": "12000"}),
		srv.Submit(alice, conv, "1765000000100", map[string]string{"verb": "done", "reminder": "N-4"}),
	} {
		d, err := srv.DeliverCrafted(ctx, a) // this handler posts no card to click on
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != 200 || d.InvokeErr != nil {
			t.Fatalf("%s %s: %d %s: %v", a.Type, a.Name, d.Status, d.Body, d.InvokeErr)
		}
	}
	if got, _ := submitted.Load().(string); got != `{"reminder":"N-4","verb":"done"}` {
		t.Errorf("submitted value %q", got)
	}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
