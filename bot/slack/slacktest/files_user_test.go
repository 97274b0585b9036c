package slacktest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestUploadFileSharedEvent: a user's file in the app's DM reaches the
// app as a file_shared event naming only the file, the user and the
// conversation, and as a file_share message where it hears of messages;
// without files:read, without the subscription, or in a conversation the
// app is not in, no file_shared is sent.
func TestUploadFileSharedEvent(t *testing.T) {
	srv := newServer(t, WithBotEvents("file_shared", "message.im"))
	dm := srv.DMChannel("U0ALICE")
	inv, err := srv.UploadFile("U0ALICE", dm, "deals.csv", []byte("a,b\n1,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	var outer struct {
		Event map[string]any `json:"event"`
	}
	if err := json.Unmarshal(inv.Payload, &outer); err != nil {
		t.Fatal(err)
	}
	ev := outer.Event
	if ev["type"] != "file_shared" || ev["file_id"] != inv.FileID || ev["user_id"] != "U0ALICE" || ev["channel_id"] != dm {
		t.Fatalf("file_shared event %v", ev)
	}
	if _, named := ev["name"]; named {
		t.Errorf("file_shared names the file: %v", ev)
	}
	var shares int
	for _, e := range srv.State().Envelopes {
		if strings.Contains(string(e.Payload), `"subtype":"file_share"`) {
			shares++
		}
	}
	if shares != 1 {
		t.Errorf("%d file_share message events, want 1", shares)
	}

	srv.SetScopes("chat:write")
	if _, err := srv.UploadFile("U0ALICE", dm, "deals.csv", []byte("a")); !errors.Is(err, ErrNotSubscribed) {
		t.Errorf("without files:read: %v, want ErrNotSubscribed", err)
	}
	other := newServer(t, WithBotEvents("message.im"))
	if _, err := other.UploadFile("U0ALICE", other.DMChannel("U0ALICE"), "deals.csv", []byte("a")); !errors.Is(err, ErrNotSubscribed) {
		t.Errorf("without the file_shared subscription: %v, want ErrNotSubscribed", err)
	}
}

// TestDownloadNeedsBotToken: files.info gives a user's file's
// url_private_download; the file server serves it only with the bot
// token (files:read, the bot in a conversation it is shared in): without
// one, or with another, it redirects to the sign-in page, which answers
// 200 with HTML, as Slack's does.
func TestDownloadNeedsBotToken(t *testing.T) {
	srv := newServer(t, WithBotEvents("file_shared"))
	ctx := testCtx(t)
	dm := srv.DMChannel("U0ALICE")
	inv, err := srv.UploadFile("U0ALICE", dm, "deals.csv", []byte("a,b\n1,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, _, _, err := apiClient(srv).GetFileInfoContext(ctx, inv.FileID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.User != "U0ALICE" || f.Name != "deals.csv" || f.Size != 8 || f.URLPrivateDownload == "" || len(f.IMs) != 1 {
		t.Fatalf("files.info %+v", f)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(c *http.Client, token string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.URLPrivateDownload, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
	}
	if code, _, body := get(noRedirect, srv.BotToken()); code != 200 || body != "a,b\n1,2\n" {
		t.Fatalf("with the bot token: %d %q", code, body)
	}
	for _, tok := range []string{"", "xoxb-another-workspace", srv.AppToken()} {
		if code, _, _ := get(noRedirect, tok); code != http.StatusFound {
			t.Errorf("token %q: %d, want a redirect to sign in", tok, code)
		}
		// Followed, the redirect ends on a 200 web page, not the file.
		if code, ct, body := get(http.DefaultClient, tok); code != 200 || !strings.HasPrefix(ct, "text/html") || strings.Contains(body, "a,b") {
			t.Errorf("token %q, redirect followed: %d %s %q", tok, code, ct, body)
		}
	}
	srv.SetScopes("chat:write")
	if code, _, _ := get(noRedirect, srv.BotToken()); code != http.StatusFound {
		t.Errorf("without files:read: %d, want a redirect to sign in", code)
	}
	srv.SetScopes("files:read")
	srv.RevokeTokens()
	if code, _, _ := get(noRedirect, srv.BotToken()); code != http.StatusFound {
		t.Errorf("with a revoked token: %d, want a redirect to sign in", code)
	}
}

// TestUserFileVisibleWhereTheBotIs: a person's file shared only where the
// bot is not is not found by files.info, and not served.
func TestUserFileVisibleWhereTheBotIs(t *testing.T) {
	srv := newServer(t)
	srv.AddChannel(Channel{ID: "C0OTHER", Name: "other", Members: []string{"U0ALICE"}})
	inv, err := srv.UploadFile("U0ALICE", "C0OTHER", "deals.csv", []byte("a"))
	if !errors.Is(err, ErrNotSubscribed) {
		t.Fatalf("upload where the bot is not: %v", err)
	}
	if _, _, _, err := apiClient(srv).GetFileInfoContext(testCtx(t), inv.FileID, 0, 0); err == nil || err.Error() != "file_not_found" {
		t.Errorf("files.info of a file the bot cannot see: %v", err)
	}
	req, _ := http.NewRequestWithContext(testCtx(t), http.MethodGet, srv.URL()+downloadPath(srv.State().Files[inv.FileID]), nil)
	req.Header.Set("Authorization", "Bearer "+srv.BotToken())
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("a file the bot cannot see was served: %d", resp.StatusCode)
	}
}
