package slacktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/manifests"
)

// rawCall posts a form-encoded Web API call and returns the decoded answer
// and its headers, to see fields slack-go does not surface.
func rawCall(t *testing.T, srv *Server, method, token string, form url.Values) (map[string]any, http.Header) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("token", token)
	resp, err := http.PostForm(srv.APIURL()+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out, resp.Header
}

func TestScopesDefaultToTheManifest(t *testing.T) {
	srv := newServer(t)
	if got, want := srv.Scopes(), manifests.BotScopes(); !slices.Equal(got, want) {
		t.Fatalf("granted %v, the manifest asks for %v", got, want)
	}
	// Every answer names the token's scopes, as Slack's do; auth.test is how
	// a client learns them.
	_, h := rawCall(t, srv, "auth.test", srv.BotToken(), nil)
	if got := h.Get("X-OAuth-Scopes"); got != strings.Join(manifests.BotScopes(), ",") {
		t.Fatalf("x-oauth-scopes %q", got)
	}
	_, h = rawCall(t, srv, "apps.connections.open", srv.AppToken(), nil)
	if got := h.Get("X-OAuth-Scopes"); got != "connections:write" {
		t.Fatalf("app token x-oauth-scopes %q", got)
	}
	// Errors carry it too.
	_, h = rawCall(t, srv, "users.info", srv.BotToken(), url.Values{"user": {"U0NOBODY"}})
	if h.Get("X-OAuth-Scopes") == "" || h.Get("X-Accepted-OAuth-Scopes") != "users:read" {
		t.Fatalf("headers of an error: %v", h)
	}
}

func TestMissingScopeRefused(t *testing.T) {
	srv := newServer(t, WithScopes("commands", "chat:write"))
	ctx := testCtx(t)
	api := apiClient(srv)

	if _, err := api.GetUserInfoContext(ctx, "U0ALICE"); err == nil || err.Error() != "missing_scope" {
		t.Fatalf("users.info without users:read: %v", err)
	}
	res, _ := rawCall(t, srv, "users.info", srv.BotToken(), url.Values{"user": {"U0ALICE"}})
	if res["error"] != "missing_scope" || res["needed"] != "users:read" || res["provided"] != "commands,chat:write" {
		t.Fatalf("missing_scope answer %v", res)
	}
	// The digest chart upload: files:write.
	_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Content: "a,b\n", FileSize: 4, Filename: "x.csv", Channel: "C0SALES"})
	if err == nil || !strings.Contains(err.Error(), "missing_scope") {
		t.Fatalf("upload without files:write: %v", err)
	}
	if c := srv.Calls("files.getUploadURLExternal"); len(c) != 1 || c[0].Error != "missing_scope" || len(srv.Files()) != 0 {
		t.Fatalf("upload calls %+v, files %v", c, srv.Files())
	}
	if _, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U0ALICE"}}); err == nil || err.Error() != "missing_scope" {
		t.Fatalf("conversations.open without im:write: %v", err)
	}
	// What is granted still works.
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("chat.postMessage with chat:write: %v", err)
	}
	// Granting the scope (reinstalling the app) lets the call through.
	srv.SetScopes("commands", "chat:write", "users:read")
	if _, err := api.GetUserInfoContext(ctx, "U0ALICE"); err != nil {
		t.Fatalf("users.info after granting users:read: %v", err)
	}
	srv.SetScopes("users:read")
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("hi", false)); err == nil || err.Error() != "missing_scope" {
		t.Fatalf("chat.postMessage without chat:write: %v", err)
	}
}

// TestConversationScopesByKind: conversations.info needs the :read scope of
// the conversation's kind (channels, groups, im), as Slack's needed field says.
func TestConversationScopesByKind(t *testing.T) {
	srv := newServer(t, WithScopes("channels:read"))
	srv.AddChannel(Channel{ID: "G0DESK", Name: "deal-desk", IsPrivate: true})
	ctx := testCtx(t)
	api := apiClient(srv)
	if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C0SALES"}); err != nil {
		t.Fatalf("public channel with channels:read: %v", err)
	}
	res, _ := rawCall(t, srv, "conversations.info", srv.BotToken(), url.Values{"channel": {"G0DESK"}})
	if res["error"] != "missing_scope" || res["needed"] != "groups:read" {
		t.Fatalf("private channel without groups:read: %v", res)
	}
	// An unknown channel is reported as such to a token holding any :read scope.
	if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C0NONE"}); err == nil || err.Error() != "channel_not_found" {
		t.Fatalf("unknown channel: %v", err)
	}
	srv.SetScopes("chat:write")
	res, _ = rawCall(t, srv, "conversations.info", srv.BotToken(), url.Values{"channel": {"C0NONE"}})
	if res["error"] != "missing_scope" || res["needed"] != "channels:read,groups:read,im:read,mpim:read" {
		t.Fatalf("unknown channel without any :read scope: %v", res)
	}
}

// TestWrongAndRevokedTokens: a token Slack does not know answers invalid_auth,
// for the bot token and the app-level token alike.
func TestWrongAndRevokedTokens(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	wrongBot := slack.New("xoxb-1-2-wrong", slack.OptionAPIURL(srv.APIURL()))
	if _, err := wrongBot.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Fatalf("wrong bot token: %v", err)
	}
	wrongApp := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken("xapp-1-wrong"))
	if _, _, err := wrongApp.StartSocketModeContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Fatalf("wrong app token: %v", err)
	}
	if _, _, err := apiClient(srv).StartSocketModeContext(ctx); err != nil {
		t.Fatalf("right app token: %v", err)
	}
	// auth.test takes the app-level token too, and says its scope.
	res, h := rawCall(t, srv, "auth.test", srv.AppToken(), nil)
	if res["ok"] != true || h.Get("X-OAuth-Scopes") != "connections:write" {
		t.Fatalf("auth.test with the app token: %v %v", res, h)
	}
	if res, _ := rawCall(t, srv, "auth.test", "xapp-1-wrong", nil); res["error"] != "invalid_auth" {
		t.Fatalf("auth.test with a wrong app token: %v", res)
	}
	// Other methods still refuse it.
	if res, _ := rawCall(t, srv, "users.info", srv.AppToken(), url.Values{"user": {"U0ALICE"}}); res["error"] != "not_allowed_token_type" {
		t.Fatalf("users.info with the app token: %v", res)
	}
	srv.RevokeTokens()
	if _, err := apiClient(srv).AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Fatalf("revoked bot token: %v", err)
	}
	if _, _, err := apiClient(srv).StartSocketModeContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Fatalf("revoked app token: %v", err)
	}
	if res, _ := rawCall(t, srv, "auth.test", srv.AppToken(), nil); res["error"] != "invalid_auth" {
		t.Fatalf("auth.test with the revoked app token: %v", res)
	}
	_, h = rawCall(t, srv, "auth.test", srv.BotToken(), nil)
	if h.Get("X-OAuth-Scopes") != "" {
		t.Fatalf("a refused token was told its scopes: %q", h.Get("X-OAuth-Scopes"))
	}
}

// TestAppTokenNeedsConnectionsWrite: an app-level token made without
// connections:write cannot open a Socket Mode connection.
func TestAppTokenNeedsConnectionsWrite(t *testing.T) {
	srv := newServer(t, WithAppTokenScopes("authorizations:read"))
	res, h := rawCall(t, srv, "apps.connections.open", srv.AppToken(), nil)
	if res["error"] != "missing_scope" || res["needed"] != "connections:write" || h.Get("X-OAuth-Scopes") != "authorizations:read" {
		t.Fatalf("apps.connections.open without connections:write: %v %v", res, h)
	}
	if res, _ := rawCall(t, srv, "auth.test", srv.AppToken(), nil); res["ok"] != true {
		t.Fatalf("auth.test needs no scope: %v", res)
	}
}
