package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// The guards of POST /import, each checked on a server built as serve
// builds it (a bot on its own file), without Slack: the handler is called
// as net/http would, from a loopback client.

const guardToken = "0123456789abcdef"

func guardServer(t *testing.T, maxBytes int64) *server {
	t.Helper()
	clock := domain.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "dealpilot.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg, err := config.Parse("sample", []byte(importConfig), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock, Import: bot.ImportOptions{MaxBytes: maxBytes, Dir: t.TempDir()}})
	return &server{ctx: t.Context(), bot: b, db: db, log: zerolog.Nop(), token: guardToken}
}

// importBody is a multipart body with parts (form name, content) in order.
func importBody(t *testing.T, parts ...[2]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		w, err := mw.CreateFormFile(p[0], p[0]+".csv")
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p[1])
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func importRequest(token, contentType string, body io.Reader) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/import?name=deals.csv&dry-run=1", body)
	req.RemoteAddr = "127.0.0.1:50000"
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func serveImport(s *server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.importFile(rec, req)
	return rec
}

// TestImportThroughBotWithoutToken: a bot that wrote no token takes no
// import, even from a caller sending an empty one (an empty token would
// compare equal to it).
func TestImportThroughBotWithoutToken(t *testing.T) {
	s := guardServer(t, 0)
	s.token = ""
	ct, body := importBody(t, [2]string{"file", hubspotV1})
	rec := serveImport(s, importRequest("", ct, bytes.NewReader(body)))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "wrote no import token") {
		t.Errorf("an empty token to a bot without one: %d %q", rec.Code, rec.Body.String())
	}
	// The same request with the bot's token is served: the refusal above
	// is the missing token's, not the request's.
	s.token = guardToken
	rec = serveImport(s, importRequest(guardToken, ct, bytes.NewReader(body)))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "exit 0") {
		t.Errorf("with the token: %d %q", rec.Code, rec.Body.String())
	}
}

// TestImportThroughBotOneAtATime: while one import runs through the bot, a
// second is refused with a message saying why; once the first has ended,
// the next is taken.
func TestImportThroughBotOneAtATime(t *testing.T) {
	s := guardServer(t, 0)
	ct, body := importBody(t, [2]string{"file", hubspotV1})

	// The first import's body arrives slowly: its handler holds the lock
	// once it reads the first bytes.
	pr, pw := io.Pipe()
	first := make(chan *httptest.ResponseRecorder, 1)
	go func() { first <- serveImport(s, importRequest(guardToken, ct, pr)) }()
	if _, err := pw.Write(body[:10]); err != nil {
		t.Fatal(err)
	}

	rec := serveImport(s, importRequest(guardToken, ct, bytes.NewReader(body)))
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "another import is running through this bot") {
		t.Errorf("a second import while one runs: %d %q", rec.Code, rec.Body.String())
	}

	if _, err := pw.Write(body[10:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if rec := <-first; rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "exit 0") {
		t.Errorf("the first import: %d %q", rec.Code, rec.Body.String())
	}
	if rec := serveImport(s, importRequest(guardToken, ct, bytes.NewReader(body))); rec.Code != http.StatusOK {
		t.Errorf("an import after the first ended: %d %q", rec.Code, rec.Body.String())
	}
}

// TestImportThroughBotSizeCap: a file larger than the bot's import cap
// (the one a file sent in a direct message has) is refused with a clear
// message, and so is a request made larger by other parts; a file under the
// cap is imported.
func TestImportThroughBotSizeCap(t *testing.T) {
	s := guardServer(t, 1024)
	for _, c := range []struct {
		name  string
		parts [][2]string
		code  int
		says  string
	}{
		{"under the cap", [][2]string{{"file", hubspotV1}}, http.StatusOK, "exit 0"},
		{"file over the cap", [][2]string{{"file", hubspotV1 + strings.Repeat("x", 1024)}}, http.StatusRequestEntityTooLarge,
			"the file is larger than 1 MB, the largest this bot imports"},
		{"request over the cap", [][2]string{{"padding", strings.Repeat("x", 2<<20)}, {"file", hubspotV1}}, http.StatusRequestEntityTooLarge,
			"the request is larger than the 1 MB this bot imports"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct, body := importBody(t, c.parts...)
			rec := serveImport(s, importRequest(guardToken, ct, bytes.NewReader(body)))
			if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.says) {
				t.Errorf("%d %q, want %d saying %q", rec.Code, rec.Body.String(), c.code, c.says)
			}
		})
	}
}
