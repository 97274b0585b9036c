package slack

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// TestDownloadRefusesWhatIsNotTheFile: a download is the file only when
// Slack's file server serves it directly: its sign-in page (200, HTML), a
// redirect (to sign in, wherever it leads) or an error status is refused,
// never saved as the file; and the bot token goes only to Slack's host.
func TestDownloadRefusesWhatIsNotTheFile(t *testing.T) {
	var sawToken []string
	mux := http.NewServeMux()
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		sawToken = append(sawToken, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write([]byte("a,b\n"))
	})
	mux.HandleFunc("/signin", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html>Sign in</html>"))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/file", http.StatusFound)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base, _ := url.Parse(srv.URL + "/api/")
	a := &App{hc: srv.Client(), botToken: "xoxb-test", apiBase: base}
	ctx := context.Background()

	var got bytes.Buffer
	if err := a.download(ctx, srv.URL+"/file", &got); err != nil || got.String() != "a,b\n" || sawToken[0] != "Bearer xoxb-test" {
		t.Fatalf("the file: %v %q %v", err, got.String(), sawToken)
	}
	for _, path := range []string{"/signin", "/moved", "/gone"} {
		got.Reset()
		if err := a.download(ctx, srv.URL+path, &got); !errors.Is(err, errNotServed) || got.Len() > 0 {
			t.Errorf("%s: %v, saved %q; want errNotServed and nothing saved", path, err, got.String())
		}
	}
	other := httptest.NewServer(mux) // another host (port): not Slack's
	defer other.Close()
	n := len(sawToken)
	if err := a.download(ctx, other.URL+"/file", &got); !errors.Is(err, errNotServed) || len(sawToken) != n {
		t.Errorf("a file on another host: %v; the token was sent %d times", err, len(sawToken)-n)
	}
	for _, u := range []string{"https://files.slack.com/files-pri/T1-F1/x.csv", "https://files.slack-gov.com/x"} {
		p, _ := url.Parse(u)
		if !a.fileHost(p) {
			t.Errorf("%s is Slack's file host", u)
		}
	}
	for _, u := range []string{"http://files.slack.com/x", "https://files.slack.com.evil.example/x", "https://evil.example/x"} {
		p, _ := url.Parse(u)
		if a.fileHost(p) {
			t.Errorf("%s taken for Slack's file host", u)
		}
	}
}
