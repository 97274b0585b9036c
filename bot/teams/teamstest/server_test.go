package teamstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv, err := New(append([]Option{WithLogf(t.Logf)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// token gets an access token from the token endpoint.
func token(t *testing.T, srv *Server) string {
	t.Helper()
	status, body := tokenRequest(t, srv.TokenURL(), url.Values{
		"grant_type": {"client_credentials"}, "client_id": {srv.AppID()},
		"client_secret": {srv.AppPassword()}, "scope": {srv.Scope()},
	})
	if status != http.StatusOK {
		t.Fatalf("token: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || tok.AccessToken == "" {
		t.Fatalf("token answer %s", body)
	}
	return tok.AccessToken
}

func tokenRequest(t *testing.T, u string, form url.Values) (int, []byte) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func call(t *testing.T, method, u, tok string, body any) (int, http.Header, []byte) {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	req, _ := http.NewRequest(method, u, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func activitiesURL(srv *Server, conv string) string {
	return srv.ServiceURL() + "v3/conversations/" + url.PathEscape(conv) + "/activities"
}

func TestTokenEndpointChecksCredentialsAndScope(t *testing.T) {
	srv := newServer(t)
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.AppID()},
		"client_secret": {srv.AppPassword()}, "scope": {srv.Scope()}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"OK", good, 200, ""},
		{"WrongSecret", with("client_secret", "guess"), 401, "invalid_client"},
		{"WrongClient", with("client_id", "11111111-2222-3333-4444-555555555555"), 400, "unauthorized_client"},
		{"WrongScope", with("scope", "https://graph.microsoft.com/.default"), 400, "invalid_scope"},
		{"WrongGrant", with("grant_type", "password"), 400, "unsupported_grant_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tokenRequest(t, srv.TokenURL(), tc.form)
			if status != tc.status {
				t.Fatalf("status %d, want %d (%s)", status, tc.status, body)
			}
			if tc.code != "" && !strings.Contains(string(body), `"error":"`+tc.code+`"`) {
				t.Errorf("body %s, want error %s", body, tc.code)
			}
		})
	}
}

func TestMetadataAndKeysCarryEndorsements(t *testing.T) {
	srv := newServer(t)
	_, _, meta := call(t, "GET", srv.MetadataURL(), "", nil)
	var m struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	json.Unmarshal(meta, &m)
	if m.Issuer != DefaultIssuer || m.JWKSURI != srv.KeysURL() {
		t.Fatalf("metadata %s", meta)
	}
	_, _, keys := call(t, "GET", m.JWKSURI, "", nil)
	var set struct {
		Keys []struct {
			Kid          string   `json:"kid"`
			Kty          string   `json:"kty"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	json.Unmarshal(keys, &set)
	endorsed := 0
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Kid == "" {
			t.Errorf("key %+v", k)
		}
		for _, e := range k.Endorsements {
			if e == ChannelID {
				endorsed++
			}
		}
	}
	if len(set.Keys) != 2 || endorsed != 1 {
		t.Fatalf("want two keys, one endorsed for msteams: %s", keys)
	}
	if srv.MetadataFetches() != 1 || srv.KeysFetches() != 1 {
		t.Errorf("fetches %d %d", srv.MetadataFetches(), srv.KeysFetches())
	}
}

// TestForgeriesAreWhatTheySay checks each forged token against the JWKS
// with a plain parser: a forgery that is accidentally genuine would make
// the bot's security tests pass for nothing.
func TestForgeriesAreWhatTheySay(t *testing.T) {
	srv := newServer(t)
	_, _, raw := call(t, "GET", srv.KeysURL(), "", nil)
	var set struct {
		Keys []struct {
			Kid          string   `json:"kid"`
			N            string   `json:"n"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	json.Unmarshal(raw, &set)
	check := func(f Forgery) (jwt.MapClaims, []string, error) {
		tok, err := srv.Token(srv.ServiceURL(), f)
		if err != nil {
			t.Fatal(err)
		}
		var endorsements []string
		c := jwt.MapClaims{}
		_, err = jwt.ParseWithClaims(tok, c, func(tk *jwt.Token) (any, error) {
			for _, k := range set.Keys {
				if k.Kid == tk.Header["kid"] {
					endorsements = k.Endorsements
					return jwkPublic(k.N), nil
				}
			}
			return nil, errors.New("unknown kid")
		}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(srv.Issuer()), jwt.WithAudience(srv.AppID()),
			jwt.WithLeeway(5*time.Minute), jwt.WithExpirationRequired())
		return c, endorsements, err
	}
	c, e, err := check(Genuine)
	if err != nil || c["serviceurl"] != srv.ServiceURL() || !contains(e, ChannelID) {
		t.Fatalf("genuine: %v %v %v", err, c, e)
	}
	for _, f := range Forgeries {
		if f == NoToken {
			continue
		}
		t.Run(f.String(), func(t *testing.T) {
			c, e, err := check(f)
			switch f {
			case ServiceURLMismatch:
				if err != nil || c["serviceurl"] == srv.ServiceURL() {
					t.Errorf("want a valid token naming another service URL: %v %v", err, c)
				}
			case NoServiceURLClaim:
				if _, has := c["serviceurl"]; err != nil || has {
					t.Errorf("want a valid token without serviceurl: %v %v", err, c)
				}
			case Unendorsed:
				if err != nil || contains(e, ChannelID) {
					t.Errorf("want a valid token by a key not endorsed for msteams: %v %v", err, e)
				}
			default:
				if err == nil {
					t.Errorf("the forged token passes a plain check")
				}
			}
		})
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestConnectorRequiresALiveToken(t *testing.T) {
	clk := newFakeClock()
	srv := newServer(t, WithClock(clk.Now))
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	msg := map[string]any{"type": "message", "text": "hi"}
	if st, _, b := call(t, "POST", activitiesURL(srv, conv), "", msg); st != 401 {
		t.Errorf("no token: %d %s", st, b)
	}
	if st, _, b := call(t, "POST", activitiesURL(srv, conv), "made-up", msg); st != 401 {
		t.Errorf("made-up token: %d %s", st, b)
	}
	tok := token(t, srv)
	if st, _, b := call(t, "POST", activitiesURL(srv, conv), tok, msg); st != 200 {
		t.Fatalf("live token: %d %s", st, b)
	}
	clk.Advance(time.Hour)
	if st, _, b := call(t, "POST", activitiesURL(srv, conv), tok, msg); st != 401 {
		t.Errorf("expired token: %d %s", st, b)
	}
	tok = token(t, srv)
	srv.RevokeTokens()
	if st, _, b := call(t, "PUT", activitiesURL(srv, conv)+"/1", tok, msg); st != 401 {
		t.Errorf("revoked token on update: %d %s", st, b)
	}
}

// TestConnectorCountsMessagesAsTeams: a message's size is counted as UTF-16
// (ASCII twice, an emoji four bytes), base64 images left out; over 100 KB
// so counted, or a body over 256 KB whatever it holds, is 413
// MessageSizeTooBig and nothing is posted.
func TestConnectorCountsMessagesAsTeams(t *testing.T) {
	msg := func(text string) []byte { return []byte(`{"type":"message","text":"` + text + `"}`) }
	overhead := MessageSize(msg(""))
	img := func(n int) string { return "![chart](data:image/png;base64," + strings.Repeat("A", n) + ")" }
	tests := []struct {
		name string
		body []byte
		want int
	}{
		{"ASCIIFits", msg(strings.Repeat("x", (MaxMessage-overhead)/2)), 200},
		{"ASCIIOverAsUTF16", msg(strings.Repeat("x", (MaxMessage-overhead)/2+1)), 413},
		{"ASCIIUnder100KBAsUTF8ButOver", msg(strings.Repeat("x", 60*1024)), 413},
		{"AccentsCountTwo", msg(strings.Repeat("é", (MaxMessage-overhead)/2)), 200},
		{"EmojiCountFour", msg(strings.Repeat("📈", (MaxMessage-overhead)/4+1)), 413},
		{"Base64ImageLeftOut", msg(strings.Repeat("x", 40*1024) + img(150*1024)), 200},
		{"RequestOver256KB", msg(img(MaxRequest)), 413},
	}
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	tok := token(t, srv)
	posted := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _, b := call(t, "POST", activitiesURL(srv, conv), tok, tc.body)
			if st != tc.want {
				t.Fatalf("%d bytes (%d as Teams counts): %d %s", len(tc.body), MessageSize(tc.body), st, b)
			}
			if st == 200 {
				posted++
			} else if !strings.Contains(string(b), "MessageSizeTooBig") {
				t.Errorf("refusal %s", b)
			}
			if n := len(srv.Posted(conv)); n != posted {
				t.Errorf("%d posted, want %d", n, posted)
			}
		})
	}
}

func TestConnectorRateLimitsPerConversation(t *testing.T) {
	clk := newFakeClock()
	srv := newServer(t, WithClock(clk.Now))
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	bob := srv.AddUser(User{ID: "29:bob", Name: "Bob", Installed: true})
	a, b := srv.PersonalConversation(alice.ID), srv.PersonalConversation(bob.ID)
	tok := token(t, srv)
	msg := map[string]any{"type": "message", "text": "hi"}
	post := func(conv string) (int, string) {
		st, h, _ := call(t, "POST", activitiesURL(srv, conv), tok, msg)
		return st, h.Get("Retry-After")
	}
	for i := range 7 {
		if st, _ := post(a); st != 200 {
			t.Fatalf("post %d in the first second: %d", i+1, st)
		}
	}
	if st, ra := post(a); st != 429 || ra != "1" {
		t.Fatalf("8th post in a second: %d Retry-After %q, want 429 and 1", st, ra)
	}
	if st, _ := post(b); st != 200 {
		t.Fatalf("another conversation is not throttled: %d", st)
	}
	// 8 in 2 s: one more after a second, then the window holds 8.
	clk.Advance(time.Second)
	if st, _ := post(a); st != 200 {
		t.Fatalf("after a second: %d", st)
	}
	if st, _ := post(a); st != 429 {
		t.Fatalf("9th within 2 s: %d, want 429", st)
	}
	// 60 in 30 s: spread posts out so only the 30 s window binds.
	clk.Advance(2 * time.Second)
	sent := 8
	for sent < 60 {
		if st, _ := post(a); st != 200 {
			t.Fatalf("post %d: %d", sent+1, st)
		}
		sent++
		clk.Advance(300 * time.Millisecond)
	}
	st, ra := post(a)
	if st != 429 {
		t.Fatalf("61st within 30 s: %d, want 429", st)
	}
	if ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	clk.Advance(30 * time.Second)
	if st, _ := post(a); st != 200 {
		t.Fatalf("after the window: %d", st)
	}
}

func TestConnectorSendReplyUpdateAndTranscript(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", AADObjectID: "0f7e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	tok := token(t, srv)
	st, _, b := call(t, "POST", activitiesURL(srv, conv), tok, map[string]any{"type": "message", "text": "first"})
	if st != 200 {
		t.Fatalf("send %d %s", st, b)
	}
	var r struct{ ID string }
	json.Unmarshal(b, &r)
	if st, _, b := call(t, "POST", activitiesURL(srv, conv)+"/"+r.ID, tok, map[string]any{"type": "message", "text": "second"}); st != 200 {
		t.Fatalf("reply %d %s", st, b)
	}
	if st, _, _ := call(t, "POST", activitiesURL(srv, conv)+"/999", tok, map[string]any{"type": "message", "text": "x"}); st != 404 {
		t.Errorf("reply to an unknown activity: %d", st)
	}
	if st, _, b := call(t, "PUT", activitiesURL(srv, conv)+"/"+r.ID, tok, map[string]any{"type": "message", "text": "first, edited"}); st != 200 {
		t.Fatalf("update %d %s", st, b)
	}
	if st, _, _ := call(t, "PUT", activitiesURL(srv, conv)+"/999", tok, map[string]any{"type": "message", "text": "x"}); st != 404 {
		t.Errorf("update of an unknown activity: %d", st)
	}
	if st, _, _ := call(t, "POST", activitiesURL(srv, "a:nobody"), tok, map[string]any{"type": "message", "text": "x"}); st != 404 {
		t.Errorf("unknown conversation: %d", st)
	}
	if st, _, _ := call(t, "POST", activitiesURL(srv, conv), tok, map[string]any{"type": "message"}); st != 400 {
		t.Errorf("empty message: %d", st)
	}
	posted := srv.Posted(conv)
	if len(posted) != 2 || posted[0].Text != "first, edited" || posted[1].ReplyToID != r.ID {
		t.Fatalf("posted %+v", posted)
	}
	want := "send    " + conv + " #" + r.ID + ": first\n" +
		"reply   " + conv + " #" + posted[1].ID + " (reply to #" + r.ID + "): second\n" +
		"update  " + conv + " #" + r.ID + ": first, edited\n"
	if got := srv.TranscriptText(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

func TestCreateConversation(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice"})
	bob := srv.AddUser(User{ID: "29:bob", Name: "Bob", Installed: true})
	srv.AddChannel(Channel{ID: "19:desk@thread.tacv2", Name: "deal-desk"})
	tok := token(t, srv)
	u := srv.ServiceURL() + "v3/conversations"
	oneToOne := func(tenant string, user ...string) map[string]any {
		member := alice.ID
		if len(user) > 0 {
			member = user[0]
		}
		return map[string]any{"bot": map[string]string{"id": "28:" + srv.AppID()}, "members": []map[string]string{{"id": member}},
			"channelData": map[string]any{"tenant": map[string]string{"id": tenant}}}
	}
	if st, _, b := call(t, "POST", u, tok, oneToOne("")); st != 400 {
		t.Errorf("no tenant: %d %s", st, b)
	}
	if st, _, b := call(t, "POST", u, tok, oneToOne("ffffffff-0000-0000-0000-000000000000", bob.ID)); st != 403 {
		t.Errorf("other tenant: %d %s", st, b)
	}
	if st, _, b := call(t, "POST", u, tok, oneToOne(srv.TenantID())); st != 403 {
		t.Errorf("app not installed for the user: %d %s", st, b)
	}
	if err := srv.InstallFor(alice.ID); err != nil {
		t.Fatal(err)
	}
	st, _, b := call(t, "POST", u, tok, oneToOne(srv.TenantID()))
	var r struct{ ID, ActivityID string }
	json.Unmarshal(b, &r)
	if st != 201 || r.ID != srv.PersonalConversation(alice.ID) {
		t.Fatalf("1:1: %d %s", st, b)
	}
	thread := map[string]any{"isGroup": true, "bot": map[string]string{"id": "28:" + srv.AppID()},
		"activity":    map[string]any{"type": "message", "text": "Discount request D-12"},
		"channelData": map[string]any{"channel": map[string]string{"id": "19:desk@thread.tacv2"}, "tenant": map[string]string{"id": srv.TenantID()}}}
	st, _, b = call(t, "POST", u, tok, thread)
	r = struct{ ID, ActivityID string }{}
	json.Unmarshal(b, &r)
	if st != 201 || r.ID != "19:desk@thread.tacv2;messageid="+r.ActivityID {
		t.Fatalf("channel thread: %d %s", st, b)
	}
	// the thread's conversation id takes replies
	if st, _, b := call(t, "POST", activitiesURL(srv, r.ID)+"/"+r.ActivityID, tok, map[string]any{"type": "message", "text": "approved"}); st != 200 {
		t.Fatalf("reply in thread: %d %s", st, b)
	}
}

func TestFailNextInjectsRetryableFaults(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	tok := token(t, srv)
	srv.FailNext(1, 502, 2*time.Second)
	st, h, _ := call(t, "POST", activitiesURL(srv, conv), tok, map[string]any{"type": "message", "text": "x"})
	if st != 502 || h.Get("Retry-After") != "2" {
		t.Fatalf("%d %q", st, h.Get("Retry-After"))
	}
	if st, _, _ := call(t, "POST", activitiesURL(srv, conv), tok, map[string]any{"type": "message", "text": "x"}); st != 200 {
		t.Fatalf("after the fault: %d", st)
	}
}

func TestCardSchemaValidatesCards(t *testing.T) {
	dir, err := FindSharedDir()
	if err != nil {
		t.Skipf("the Adaptive Cards schema is absent (the shared folder is missing): %v", err)
	}
	cs, err := LoadCardSchema(dir)
	if err != nil {
		t.Fatal(err)
	}
	good := `{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"D-12 Acme","weight":"Bolder"},
		{"type":"Table","columns":[{"width":1},{"width":1}],"rows":[{"type":"TableRow","cells":[
		{"type":"TableCell","items":[{"type":"TextBlock","text":"Amount"}]},{"type":"TableCell","items":[{"type":"TextBlock","text":"€12,000"}]}]}]},
		{"type":"Input.Text","id":"next","label":"Next step","isRequired":true,"errorMessage":"Say what comes next"}],
		"actions":[{"type":"Action.Execute","title":"Approve","verb":"approve","data":{"deal":"D-12"}}]}`
	tests := []struct {
		name, card, want string
	}{
		{"OK", good, ""},
		{"NoVersion", `{"type":"AdaptiveCard","body":[]}`, "no version"},
		{"Version16", `{"type":"AdaptiveCard","version":"1.6","body":[]}`, "up to 1.5"},
		{"NotACard", `{"type":"HeroCard"}`, "want AdaptiveCard"},
		{"UnknownElement", `{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Blink","text":"x"}]}`, "Adaptive Cards 1.5"},
		{"BadWeight", `{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"x","weight":"heavy"}]}`, "Adaptive Cards 1.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := cs.Validate([]byte(tc.card))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
	// the connector refuses an invalid card when it has the schema
	srv := newServer(t, WithCardSchema(cs))
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	tok := token(t, srv)
	post := func(card string) int {
		st, _, _ := call(t, "POST", activitiesURL(srv, conv), tok, map[string]any{"type": "message",
			"attachments": []map[string]any{{"contentType": AdaptiveCardType, "content": json.RawMessage(card)}}})
		return st
	}
	if st := post(good); st != 200 {
		t.Errorf("valid card: %d", st)
	}
	if st := post(tests[4].card); st != 400 {
		t.Errorf("invalid card: %d", st)
	}
}

func TestDeliverSignsAndRecords(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	conv := srv.PersonalConversation(alice.ID)
	var mu sync.Mutex
	var got []string
	bot := http.NewServeMux()
	bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.Header.Get("Authorization"))
		w.WriteHeader(200)
	})
	ts := newHTTPServer(t, bot)
	srv.SetBotEndpoint(ts + "/api/messages")
	ctx := context.Background()
	d, err := srv.Deliver(ctx, srv.Message(alice, conv, "deal update D-12"))
	if err != nil || d.Status != 200 {
		t.Fatal(err, d)
	}
	if _, err := srv.DeliverForged(ctx, srv.Message(alice, conv, "x"), NoToken); err != nil {
		t.Fatal(err)
	}
	// a user's message cannot be updated by the bot
	tok := token(t, srv)
	if st, _, b := call(t, "PUT", activitiesURL(srv, conv)+"/"+d.Activity.ID, tok, map[string]any{"type": "message", "text": "edited"}); st != 404 {
		t.Errorf("update of the user's message: %d %s", st, b)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !strings.HasPrefix(got[0], "Bearer ey") || got[1] != "" {
		t.Fatalf("authorization headers %q", got)
	}
	if a := d.Activity; a.ChannelID != "msteams" || a.ServiceURL != srv.ServiceURL() || a.From.ID != alice.ID ||
		a.Conversation.TenantID != srv.TenantID() || a.Recipient.ID != "28:"+srv.AppID() {
		t.Errorf("activity %+v", a)
	}
	want := "deliver " + conv + " #" + d.Activity.ID + " message from Alice → 200: deal update D-12\n"
	if got := srv.TranscriptText(); !strings.HasPrefix(got, want) || !strings.Contains(got, "forged ") {
		t.Errorf("transcript:\n%s", got)
	}
}

// TestBotRepliesWhileHandling: the user's message is in its conversation
// before it is delivered (as in Teams), so the bot can reply to it in its
// thread before it has answered the delivery.
func TestBotRepliesWhileHandling(t *testing.T) {
	srv := newServer(t)
	alice := srv.AddUser(User{ID: "29:alice", Name: "Alice", Installed: true})
	ch := srv.AddChannel(Channel{ID: "19:general@thread.tacv2", Name: "General", TeamID: "19:team"})
	tok := token(t, srv)
	status := make(chan int, 1)
	bot := http.NewServeMux()
	bot.HandleFunc("POST /api/messages", func(w http.ResponseWriter, r *http.Request) {
		var a Activity
		json.NewDecoder(r.Body).Decode(&a)
		st, _, _ := call(t, "POST", activitiesURL(srv, ch.ID)+"/"+a.ID, tok, map[string]any{"type": "message", "text": "on it"})
		status <- st
		w.WriteHeader(200)
	})
	srv.SetBotEndpoint(newHTTPServer(t, bot) + "/api/messages")
	if _, err := srv.Deliver(context.Background(), srv.MessageToBot(alice, ch.ID, "deal show D-1")); err != nil {
		t.Fatal(err)
	}
	if st := <-status; st != http.StatusCreated && st != http.StatusOK {
		t.Errorf("a reply to the message being delivered: %d, want it taken", st)
	}
}
