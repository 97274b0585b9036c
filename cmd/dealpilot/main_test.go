package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(t.Context(), args, &out, &errOut, envOf(env))
	return code, out.String(), errOut.String()
}

// TestDemoTranscript plays the demo and compares its transcript with
// testdata/demo.txt (the local Slack's address and a thread's timestamp
// vary from run to run). bot/sample/testdata/story.md
// tells the sample's year the figures come from.
func TestDemoTranscript(t *testing.T) {
	code, out, errOut := run(t, nil, "demo")
	if code != 0 {
		t.Fatalf("demo exited %d: %s\n%s", code, errOut, out)
	}
	for _, want := range []string{"/deal help", `opened modal "New deal"`, "Created D-41", "End of the demo",
		"── Monday 30 November, 08:00 — the weekly digest", "@lea won"} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo transcript lacks %q", want)
		}
	}
	if strings.Contains(out, "<@U") {
		t.Errorf("the transcript shows user ids, not names:\n%s", out)
	}
	out = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).ReplaceAllString(out, "http://127.0.0.1:PORT")
	out = regexp.MustCompile(`\(thread \d+\.\d+\)`).ReplaceAllString(out, "(thread TS)")
	// Every line is compared in order, scene headings included: each scene
	// waits for all of its output, and what an ack showed is printed right
	// after the action it answers (acksInPlace).
	path := filepath.Join("testdata", "demo.txt")
	if *update {
		goldenText(t, "demo", out)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("the transcript differs from %s (go test ./cmd/dealpilot -run TestDemoTranscript -update to accept):\n%s", path, out)
	}
}

// TestDemoDB: --db keeps the demo's file, refuses to write over an existing
// one (leaving it as it was) unless --reset says to replace it.
func TestDemoDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errOut := run(t, nil, "demo", "--db", path); code != exitOK {
		t.Fatalf("first demo --db: exit %d: %s", code, errOut)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, nil, "demo", "--db", path)
	if code != exitUsage || out != "" || !strings.Contains(errOut, path+" already exists") || !strings.Contains(errOut, "--reset") {
		t.Errorf("second demo --db: exit %d, %q %q; want a refusal naming the file and --reset", code, out, errOut)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("the refused run changed the file")
	}
	if code, out, errOut := run(t, nil, "demo", "--db", path, "--reset"); code != exitOK || !strings.Contains(out, "End of the demo") {
		t.Fatalf("demo --db --reset: exit %d: %s", code, errOut)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deals, err := db.Deals(t.Context(), domain.DealFilter{})
	if err != nil || len(deals) != 41 { // the sample's 40 and Léa's new deal, once
		t.Errorf("the reset file holds %d deals (%v), want 41", len(deals), err)
	}
	if code, _, errOut := run(t, nil, "demo", "--reset"); code != exitUsage || !strings.Contains(errOut, "--reset replaces the file of --db") {
		t.Errorf("--reset without --db: exit %d, %q", code, errOut)
	}
}

func TestMissingTokensNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"NoAppToken", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN is not set"},
		{"NoBotToken", map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.env, "serve")
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if lines := strings.Count(strings.TrimSpace(errOut), "\n") + 1; lines != 1 || !strings.Contains(errOut, tt.want) ||
				!strings.Contains(errOut, "manifests/slack-app.yaml") {
				t.Errorf("stderr = %q, want one line naming the variable and how to get it", errOut)
			}
		})
	}
}

func TestConfigCommands(t *testing.T) {
	code, example, _ := run(t, nil, "config", "example")
	if code != 0 || !strings.Contains(example, "deal_desk:") {
		t.Fatalf("config example: %d %q", code, example)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte(example), 0o600)
	if code, out, errOut := run(t, nil, "config", "check", good); code != 0 || !strings.Contains(out, "OK") {
		t.Errorf("config check of the example: %d %s %s", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("currency: EUR\nlocale: en\nschedules:\n  digest: \"every monday\"\n"), 0o600)
	code, _, errOut := run(t, nil, "config", "check", bad)
	if code == 0 || !strings.Contains(errOut, "bad.yaml:4") || !strings.Contains(errOut, "schedules.digest") {
		t.Errorf("config check of a bad cron: exit %d, %q; want file, line and key", code, errOut)
	}
	// config check reads ids by Slack's and Teams' rules: the binary runs both.
	names := filepath.Join(dir, "names.yaml")
	os.WriteFile(names, []byte("admins: [\"@marie\"]\n"), 0o600)
	code, _, errOut = run(t, nil, "config", "check", names)
	if want := `names.yaml:1: admins[0]: "@marie" is not a Slack user id (U or W then capitals and digits, e.g. U0123ABCD; Slack shows it under the user's profile, Copy member ID)`; code == 0 || !strings.Contains(errOut, want) {
		t.Errorf("config check of a name where an id belongs: exit %d, %q; want %q", code, errOut, want)
	}
	if want := `or a Microsoft Entra object id (a GUID in lower case`; !strings.Contains(errOut, want) {
		t.Errorf("config check of a name where an id belongs: %q; want Teams' form too: %q", errOut, want)
	}
	both := filepath.Join(dir, "both.yaml")
	os.WriteFile(both, []byte("admins: [U0ADMIN, 8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e]\nteams:\n  - { name: Lyon, manager: 8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e, members: [U0REP1], channel: \"19:lyon01@thread.tacv2\" }\nmsteams:\n  service_url: https://smba.trafficmanager.net/emea/\n"), 0o600)
	if code, out, errOut := run(t, nil, "config", "check", both); code != 0 || !strings.Contains(out, "OK (1 teams") {
		t.Errorf("config check of a file with Slack and Teams ids: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run(t, map[string]string{"DEALPILOT_CONFIG": filepath.Join(dir, "absent.yaml")}, "config", "check"); code == 0 {
		t.Errorf("a named config file that does not exist passed: %s", errOut)
	}
}

func TestBackupThenOpenCopy(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dealpilot.db")
	clock := domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(src, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Seed(t.Context(), db, clock, clock.Now(), domain.DefaultStages()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dst := filepath.Join(dir, "copy.db")
	if code, _, errOut := run(t, map[string]string{"DEALPILOT_DB": src}, "backup", dst); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	cp, err := store.Open(dst, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	deals, err := cp.Deals(t.Context(), domain.DealFilter{})
	if err != nil || len(deals) != 25 {
		t.Errorf("the copy holds %d deals (%v), want 25", len(deals), err)
	}
	if err := cp.Check(); err != nil {
		t.Errorf("the copy fails bbolt's check: %v", err)
	}
}

// TestServeNeverLogsTokens runs the real serve command at debug level
// against the local Slack, with a session that touches every path that
// logs, and looks for the tokens in everything it wrote.
func TestServeNeverLogsTokens(t *testing.T) {
	const appToken, botToken = "xapp-1-A0SECRETAPP-4242-deadbeefcafe", "xoxb-4242-SECRETBOT-feedfacef00d"
	srv, err := slacktest.New(slacktest.WithTokens(appToken, botToken))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser(slacktest.User{ID: string(sample.Rep1), Name: "lea", TZ: "Europe/Paris"})
	srv.AddChannel(slacktest.Channel{ID: sample.SalesChannel, Name: "sales", Members: []string{slacktest.BotUserID}})
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(cfgPath, []byte(sample.Config), 0o600)
	env := map[string]string{
		"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken, "SLACK_API_URL": strings.TrimSuffix(srv.APIURL(), "/"),
		"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_CONFIG": cfgPath, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0",
		"DEALPILOT_METRICS_ADDR": "127.0.0.1:0", "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(t.Context())
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	if err := srv.WaitConnected(wait, 1); err != nil {
		t.Fatal(err)
	}
	checkHealth(t, logs.String)
	metricsAt := logField(t, logs.String, "metrics")
	srv.Throttle("views.open", 1, 10*time.Millisecond)
	for _, text := range []string{"help", "list", "new", "boom"} {
		inv, err := srv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inv.NextResponse(wait); err != nil {
			t.Fatal(err)
		}
	}
	srv.DropConnections()
	if err := srv.WaitConnected(wait, 1); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + metricsAt + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`dealpilot_ack_seconds_count{kind="slash"} 4`, `dealpilot_slack_api_rate_limited_total{method="views.open"} 1`,
		`dealpilot_handler_seconds_bucket{kind="slash"`, "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
	out := logs.String()
	if !strings.Contains(out, `"envelope_id"`) {
		t.Fatalf("the log has no request lines; the test proves nothing:\n%s", out)
	}
	for _, secret := range []string{appToken, botToken, "SECRETAPP", "SECRETBOT"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	// Nor anything a user was shown, the error answers included.
	st := srv.State()
	var shown strings.Builder
	for _, rs := range st.Responses {
		for _, r := range rs {
			shown.WriteString(r.Render())
			shown.Write(r.Blocks)
		}
	}
	for _, p := range st.ResponsePosts {
		shown.Write(p.Body)
	}
	for _, m := range st.Ephemerals {
		shown.WriteString(m.Text)
		shown.Write(m.Blocks)
	}
	for _, v := range st.Views {
		shown.Write(v.Raw)
	}
	if shown.Len() == 0 {
		t.Fatal("no answer recorded; the test proves nothing")
	}
	for _, secret := range []string{appToken, botToken, "SECRETAPP", "SECRETBOT"} {
		if strings.Contains(shown.String(), secret) {
			t.Errorf("a user was shown %q", secret)
		}
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// logField waits for the start-up line and returns its field name (an
// address).
func logField(t *testing.T, logs func() string, name string) string {
	t.Helper()
	// The start-up line may be written just after the socket connects.
	re := regexp.MustCompile(`"` + name + `":"([^"]+)"`)
	var m []string
	for deadline := time.Now().Add(5 * time.Second); m == nil; time.Sleep(5 * time.Millisecond) {
		if m = re.FindStringSubmatch(logs()); m == nil && time.Now().After(deadline) {
			t.Fatalf("no %s address in the log:\n%s", name, logs())
		}
	}
	return m[1]
}

// checkHealth reads the health address from the start-up line and checks
// that /healthz and /readyz answer 200 once the bot is connected.
func checkHealth(t *testing.T, logs func() string) string {
	t.Helper()
	addr := logField(t, logs, "http")
	for _, path := range []string{"/healthz", "/readyz"} {
		// The bot marks itself ready when it reads Slack's hello, a moment
		// after the server sees the connection: poll briefly.
		deadline := time.Now().Add(5 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("%s = %s", path, resp.Status)
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return addr
}
