package slack

import (
	"bytes"
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/store"
)

// TestResponseURLNeverInErrors: slack-go's error for a failed post to a
// response_url names the whole URL (a credential); redactURL keeps only the
// host and keeps the error's kind for the retry logic.
func TestResponseURLNeverInErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: the post fails in the network
	const secret = "/actions/T0AAA/4242/SECRETxTOKENxPART"
	raw := "http://" + addr + secret
	postErr := goslack.PostWebhookContext(context.Background(), raw, &goslack.WebhookMessage{Text: "hi"})
	if postErr == nil || !strings.Contains(postErr.Error(), "SECRET") {
		t.Fatalf("slack-go's error %v does not name the URL: the test shows nothing", postErr)
	}
	err = redactURL(postErr, raw)
	if strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "http://"+addr+"/…") {
		t.Errorf("redacted: %q, want the host only", err)
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("the redacted error lost its kind: %T", errors.Unwrap(err))
	}
	t.Run("RespondLogsTheHostOnly", func(t *testing.T) {
		var logs bytes.Buffer
		db, err := store.Open(filepath.Join(t.TempDir(), "dealpilot.db"), store.Options{}) // the signing key
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		a, err := New(Options{AppToken: "xapp-1", BotToken: "xoxb-1", APIURL: "http://" + addr + "/api/",
			Bot: bot.New(bot.Options{Store: db, Config: config.Default()}), Log: zerolog.New(&logs).Level(zerolog.DebugLevel)})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.respond(t.Context(), raw, message{Text: "hi"}); err == nil {
			t.Fatal("the post to a closed port succeeded")
		}
		if strings.Contains(logs.String(), "SECRET") || !strings.Contains(logs.String(), `"host":"http://`+addr+`/…"`) {
			t.Errorf("the log names more than the host:\n%s", logs.String())
		}
	})
	if redactURL(nil, raw) != nil {
		t.Error("redactURL(nil) is not nil")
	}
	for _, c := range []struct{ raw, want string }{
		{"https://hooks.slack.com/commands/T0/1/abc", "https://hooks.slack.com/…"},
		{"https://hooks.slack-gov.com/actions/T0/1/abc?x=y", "https://hooks.slack-gov.com/…"},
		{"not a url", "(a URL)"},
		{"", "(a URL)"},
	} {
		if got := urlHost(c.raw); got != c.want {
			t.Errorf("urlHost(%q) = %q, want %q", c.raw, got, c.want)
		}
	}
}
