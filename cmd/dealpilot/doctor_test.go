package main

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/manifests"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenText compares got with testdata/name.txt.
func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/dealpilot -run %s -update to accept):\n%s", path, t.Name(), got)
	}
}

// workspace is a local Slack holding the sample team; channels lists the
// channels to create, each one with the bot invited unless its id is in
// withoutBot.
func workspace(t *testing.T, channels []string, withoutBot []string, opts ...slacktest.Option) *slacktest.Server {
	t.Helper()
	srv, err := slacktest.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, p := range sample.People {
		srv.AddUser(slacktest.User{ID: string(p.ID), Name: p.Name, RealName: p.RealName, TZ: p.TZ})
	}
	for _, c := range channels {
		ch := slacktest.Channel{ID: c, Name: strings.ToLower(strings.TrimPrefix(c, "C0"))}
		if !slices.Contains(withoutBot, c) {
			ch.Members = []string{slacktest.BotUserID}
		}
		srv.AddChannel(ch)
	}
	return srv
}

// runDoctor runs `dealpilot doctor` on cfg against srv and returns the exit
// code and the output with the temporary path and the server's port
// replaced, so it can be compared with a golden file.
func runDoctor(t *testing.T, srv *slacktest.Server, cfg string, tokens ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	app, bot := srv.AppToken(), srv.BotToken()
	if len(tokens) == 2 {
		app, bot = tokens[0], tokens[1]
	}
	code, out, errOut := run(t, map[string]string{
		"SLACK_APP_TOKEN": app, "SLACK_BOT_TOKEN": bot, "SLACK_API_URL": srv.APIURL(), "DEALPILOT_CONFIG": path,
	}, "doctor")
	out = strings.ReplaceAll(out, dir, "/CONFIG")
	out = strings.ReplaceAll(out, srv.URL(), "http://SLACK")
	return code, out, errOut
}

func TestDoctorGoodWorkspace(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel}, nil)
	code, out, errOut := runDoctor(t, srv, sample.Config)
	if code != exitOK {
		t.Errorf("doctor exited %d on a good workspace: %s\n%s", code, errOut, out)
	}
	goldenText(t, "doctor_good", out)
}

// TestDoctorBrokenWorkspace: a scope not granted, the bot not in a channel,
// a channel and a user the workspace does not have; each line says what to do.
func TestDoctorBrokenWorkspace(t *testing.T) {
	var scopes []string
	for _, s := range manifests.BotScopes() {
		if s != "files:write" {
			scopes = append(scopes, s)
		}
	}
	srv := workspace(t, []string{sample.ForecastChannel}, []string{sample.ForecastChannel}, slacktest.WithScopes(scopes...))
	cfg := strings.Replace(sample.Config, "members: [U0REP1, U0REP2, U0REP3]", "members: [U0REP1, U0GHOST, U0REP3]", 1)
	cfg = strings.Replace(cfg, "channel: C0DESK", "channel: C0GONE", 1)
	if cfg == sample.Config {
		t.Fatal("the sample configuration changed; the test breaks nothing")
	}
	code, out, _ := runDoctor(t, srv, cfg)
	if code != exitFailed {
		t.Errorf("doctor exited %d on a broken workspace, want %d", code, exitFailed)
	}
	for _, want := range []string{"FAIL  scopes: missing files:write", "channel #forecast C0FORECAST (teams[0].channel): the bot is not a member",
		"/invite @dealpilot", "channel C0GONE (deal_desk.channel): not found", "user U0GHOST (teams[0].members): not found"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q", want)
		}
	}
	goldenText(t, "doctor_broken", out)
}

// TestDoctorWrongTokens: a token Slack refuses is named, with where to get
// the right one, and nothing else is checked.
func TestDoctorWrongTokens(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel}, nil)
	code, out, _ := runDoctor(t, srv, sample.Config, srv.AppToken(), "xoxb-1-2-wrong")
	if code != exitFailed || !strings.Contains(out, "FAIL  bot token: refused by Slack (invalid_auth)") || strings.Contains(out, "user ") {
		t.Errorf("wrong bot token: exit %d\n%s", code, out)
	}
	code, out, _ = runDoctor(t, srv, sample.Config, "xapp-1-wrong", srv.BotToken())
	if code != exitFailed || !strings.Contains(out, "ok    bot token") || !strings.Contains(out, "FAIL  app token: refused by Slack (invalid_auth)") ||
		!strings.Contains(out, "App-Level Tokens") {
		t.Errorf("wrong app token: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "xoxb-1-2-wrong") || strings.Contains(out, srv.BotToken()) {
		t.Errorf("doctor printed a token:\n%s", out)
	}
}

// TestServeRefusesAWrongToken: a token Slack refuses stops serve at once with
// one line naming it; the bot neither connects nor retries.
func TestServeRefusesAWrongToken(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel}, nil)
	for _, tt := range []struct{ name, app, bot, want string }{
		{"bot", srv.AppToken(), "xoxb-1-2-wrong", "Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token"},
		{"app", "xapp-1-wrong", srv.BotToken(), "Slack refused SLACK_APP_TOKEN (invalid_auth): create an app-level token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// A bot that went on would serve until cancelled: bound it.
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			var stdout, stderr lockedBuffer
			code := Main(ctx, []string{"serve"}, &stdout, &stderr, envOf(map[string]string{
				"SLACK_APP_TOKEN": tt.app, "SLACK_BOT_TOKEN": tt.bot, "SLACK_API_URL": srv.APIURL(), "DEALPILOT_CONFIG": sampleConfigFile(t, dir),
				"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
			}))
			out, errOut := stdout.String(), stderr.String()
			if code != exitFailed {
				t.Errorf("serve exited %d, want %d", code, exitFailed)
			}
			if lines := strings.Split(strings.TrimSpace(errOut), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "dealpilot: "+tt.want) {
				t.Errorf("stderr = %q, want the one line %q…", errOut, tt.want)
			}
			if out != "" {
				t.Errorf("stdout = %q", out)
			}
		})
	}
	if n := srv.Counters().LiveConnections; n != 0 || len(srv.Calls("apps.connections.open")) != 0 {
		t.Errorf("%d connections and %d apps.connections.open: the bot went on after a refused token", n, len(srv.Calls("apps.connections.open")))
	}
}

// TestReadyzFollowsTheBotToken: /readyz is ready only while the Web API
// answers for the bot token; a revoked token makes it fail even though the
// socket stays up.
func TestReadyzFollowsTheBotToken(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel, sample.SalesChannel}, []string{sample.SalesChannel})
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(cfgPath, []byte(sample.Config), 0o600)
	env := map[string]string{
		"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(),
		"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_CONFIG": cfgPath, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	if err := srv.WaitConnected(wait, 1); err != nil {
		t.Fatal(err)
	}
	addr := checkHealth(t, logs.String)
	// The start-up checks are logged, the config file named.
	waitLog(t, &logs, `"message":"config: `+cfgPath+` loaded`)
	waitLog(t, &logs, `"message":"user U0FIN @finance`)

	srv.RevokeTokens()
	inv, err := srv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", "new")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitCall(wait, "views.open", 0); err != nil {
		t.Fatal(err)
	}
	_ = inv
	status, body := "", ""
	for deadline := time.Now().Add(5 * time.Second); status != "503 Service Unavailable" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 200)
		n, _ := resp.Body.Read(b)
		resp.Body.Close()
		status, body = resp.Status, string(b[:n])
	}
	if status != "503 Service Unavailable" || !strings.Contains(body, "Web API") {
		t.Errorf("/readyz after the bot token was revoked: %s %q", status, body)
	}
	if srv.Counters().LiveConnections == 0 {
		t.Error("the socket dropped: the test no longer shows that a live socket is not enough")
	}
	cancel()
	<-done
}

// TestConnectionFailureLogsCauseAndURL: when Slack does not answer, the log
// says why and which URL was tried, never a token.
func TestConnectionFailureLogsCauseAndURL(t *testing.T) {
	srv := workspace(t, nil, nil)
	url := srv.APIURL()
	srv.Close() // nothing listens there any more
	const appToken, botToken = "xapp-1-A0SECRET-1-feedface", "xoxb-1-2-SECRETBOT"
	dir := t.TempDir()
	env := map[string]string{
		"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken, "SLACK_API_URL": url, "DEALPILOT_CONFIG": sampleConfigFile(t, dir),
		"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(t.Context())
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	line := waitLog(t, &logs, `"message":"connection to Slack failed; retrying"`)
	for _, want := range []string{`"url":"` + url + `apps.connections.open"`, `"cause":"`, "connection refused"} {
		if !strings.Contains(line, want) {
			t.Errorf("the connection failure line lacks %s: %s", want, line)
		}
	}
	waitLog(t, &logs, `"message":"could not check the tokens: Slack did not answer`)
	cancel()
	<-done
	for _, secret := range []string{appToken, botToken, "SECRET"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

// waitLog waits for a log line containing s and returns it.
func waitLog(t *testing.T, logs *lockedBuffer, s string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^.*` + regexp.QuoteMeta(s) + `.*$`)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if m := re.FindString(logs.String()); m != "" {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %s:\n%s", s, logs.String())
		}
	}
}

// TestDoctorNamesTheConfigFile: doctor says which file it read, and when it
// read none (defaults) or could not use it, says so as a failure with a fix.
func TestDoctorNamesTheConfigFile(t *testing.T) {
	srv := workspace(t, nil, nil)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("currency: EUR\nschedules:\n  digest: \"every monday\"\n"), 0o600)
	for _, tt := range []struct {
		name, config string
		want         []string
	}{
		{"default file absent", "", []string{"FAIL  config: no configuration file at ", "dealpilot.yaml", "fix: write one"}},
		{"named file absent", filepath.Join(dir, "absent.yaml"), []string{"FAIL  config: no configuration file at " + filepath.Join(dir, "absent.yaml"), "fix: write one"}},
		{"invalid file", bad, []string{"FAIL  config: " + bad + ":3", "schedules.digest", "ok    bot token"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL()}
			if tt.config != "" {
				env["DEALPILOT_CONFIG"] = tt.config
			}
			code, out, _ := run(t, env, "doctor")
			if code != exitFailed {
				t.Errorf("exit %d, want %d", code, exitFailed)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestServeStartsThroughASlackOutage: a 5xx from auth.test at start is
// Slack's trouble, not a bad token: serve starts, and is ready once Slack
// answers again.
func TestServeStartsThroughASlackOutage(t *testing.T) {
	srv := workspace(t, nil, nil)
	srv.FailWith("auth.test", 1, http.StatusServiceUnavailable)
	dir := t.TempDir()
	env := map[string]string{
		"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(), "DEALPILOT_CONFIG": sampleConfigFile(t, dir),
		"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	waitLog(t, &logs, `"message":"could not check the tokens: Slack answered with an error`)
	checkHealth(t, logs.String) // /readyz turns 200 once auth.test answers
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
}
