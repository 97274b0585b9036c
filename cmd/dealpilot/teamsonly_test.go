package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
)

// A company on Microsoft Teams alone: the sample team with Teams ids.
const (
	tmAdmin    = "0a1b2c3d-0000-4000-8000-00000000000a"
	tmManager  = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5"
	tmRep      = "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e"
	tmForecast = "19:forecast01@thread.tacv2"
	tmDesk     = "19:desk01@thread.tacv2"
)

// teamsOnlyConfig is the sample configuration with every Slack id made a
// Teams one, and the service URL of srv to post to before Teams has sent
// anything.
func teamsOnlyConfig(srv *teamstest.Server) string {
	return strings.NewReplacer(
		"U0ADMIN", tmAdmin, "U0MGR", tmManager, "U0REP1", tmRep,
		"U0REP2", "2b3c4d5e-0000-4000-8000-000000000002", "U0REP3", "3c4d5e6f-0000-4000-8000-000000000003",
		"U0VP", "4d5e6f70-0000-4000-8000-000000000004", "U0FIN", "5e6f7081-0000-4000-8000-000000000005",
		"C0FORECAST", `"`+tmForecast+`"`, "C0DESK", `"`+tmDesk+`"`,
	).Replace(sample.Config) + "msteams:\n  service_url: " + srv.ServiceURL() + "\n"
}

// teamsOnlyEnv is the environment of a bot serving Teams only: no Slack
// variable at all, the configuration cfg written in dir.
func teamsOnlyEnv(t *testing.T, srv *teamstest.Server, dir, cfg string) map[string]string {
	t.Helper()
	path := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_CONFIG": path, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0",
		"DEALPILOT_METRICS_ADDR": "off", "LOG_FORMAT": "json",
		"DEALPILOT_TEAMS_ADDR": "127.0.0.1:0", "TEAMS_APP_ID": srv.AppID(), "TEAMS_APP_PASSWORD": srv.AppPassword(),
		"TEAMS_TENANT_ID": srv.TenantID(), "TEAMS_OPENID_METADATA_URL": srv.MetadataURL(), "TEAMS_ISSUER": srv.Issuer(),
		"TEAMS_TOKEN_URL": srv.TokenURL(), "TEAMS_TOKEN_SCOPE": srv.Scope(),
	}
}

func newTeams(t *testing.T) *teamstest.Server {
	t.Helper()
	srv, err := teamstest.New(teamstest.WithLogf(t.Logf))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddChannel(teamstest.Channel{ID: tmForecast, Name: "Forecast", TeamID: "19:team"})
	srv.AddChannel(teamstest.Channel{ID: tmDesk, Name: "Deal desk", TeamID: "19:team"})
	return srv
}

// TestServeTeamsOnly: with only the Teams variables set, serve starts
// (it stopped at "SLACK_APP_TOKEN is not set"), says it serves Teams only,
// answers a command typed in Teams, and is healthy and ready without any
// Socket Mode connection; dealpilot health agrees.
func TestServeTeamsOnly(t *testing.T) {
	tsrv := newTeams(t)
	env := teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	tsrv.SetBotEndpoint("http://" + logField(t, logs.String, "teams") + teams.MessagesPath)
	if !strings.Contains(logs.String(), `"serving":"Teams only"`) {
		t.Errorf("the start line does not say Teams only is served:\n%s", logs.String())
	}
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	lea := tsrv.AddUser(teamstest.User{ID: "29:lea", AADObjectID: tmRep, Name: "Léa", Installed: true})
	conv := tsrv.PersonalConversation(lea.ID)
	if d, err := tsrv.Deliver(wait, tsrv.Message(lea, conv, "deal help")); err != nil || d.Status != 200 {
		t.Fatalf("deal help on Teams: %v %+v\n%s", err, d, logs.String())
	}
	if got := tsrv.TranscriptText(); !strings.Contains(got, "send    "+conv) {
		t.Errorf("the bot did not answer on Teams:\n%s", got)
	}
	addr := checkHealth(t, logs.String)
	if code, out, errOut := run(t, map[string]string{"DEALPILOT_HTTP_ADDR": addr}, "health"); code != exitOK || !strings.Contains(out, "healthy") {
		t.Errorf("dealpilot health on a Teams-only bot: exit %d %s%s", code, out, errOut)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
	if strings.Contains(logs.String(), "Socket Mode") || strings.Contains(logs.String(), "slack.com") {
		t.Errorf("a Teams-only bot spoke of Slack:\n%s", logs.String())
	}
}

// TestServeTeamsOnlyNotReadyWithoutToken: a Teams-only bot whose app
// password the token endpoint refuses starts (the endpoint still answers
// Teams' retries) but is not ready, saying why; it stays healthy, since a
// restart would not bring a token.
func TestServeTeamsOnlyNotReadyWithoutToken(t *testing.T) {
	tsrv := newTeams(t)
	env := teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))
	env["TEAMS_APP_PASSWORD"] = "wrong"
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	addr := logField(t, logs.String, "http")
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 512)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		return resp.StatusCode, b.String()
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "Teams: no token for app "+tsrv.AppID()) {
		t.Errorf("/readyz without a Teams token = %d %q", code, body)
	}
	if code, body := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz without a Teams token = %d %q", code, body)
	}
	cancel()
	<-done
}

// TestHealthTeamsEndpointStopped: once the Teams endpoint no longer
// listens, /healthz and /readyz say so (the container is restarted).
func TestHealthTeamsEndpointStopped(t *testing.T) {
	s := &server{teamsStopped: make(chan struct{}), teamsErr: errors.New("accept tcp: use of closed network connection")}
	h := s.routes(false)
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s while the Teams endpoint listens = %d %s", path, rec.Code, rec.Body)
		}
	}
	close(s.teamsStopped)
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "the Teams endpoint stopped listening: accept tcp") {
			t.Errorf("%s after the Teams endpoint stopped = %d %s", path, rec.Code, rec.Body)
		}
	}
}

// TestServeTeamsOnlyMondayDigest: the scheduled jobs run on a Teams-only
// bot, through the Messenger of the platforms served: Monday's 08:00 tick
// posts the team's digest, with its chart, in its Teams channel.
func TestServeTeamsOnlyMondayDigest(t *testing.T) {
	tsrv := newTeams(t)
	e := readEnv(envOf(teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))))
	e.Ticks = time.Hour // the first tick runs at once
	cfg, check, err := loadConfig(e)
	if err != nil {
		t.Fatalf("%v (%s)", err, check.Detail)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	clock := domain.NewManualClock(time.Date(2026, 12, 7, 8, 5, 0, 0, paris)) // a Monday, after 08:00
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s, err := start(ctx, e, cfg, zerolog.New(t.Output()), clock)
	if err != nil {
		t.Fatal(err)
	}
	if s.app != nil {
		t.Error("a Teams-only bot made a Slack app")
	}
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	// The digest, its chart and its CSV.
	if err := tsrv.WaitFor(wait, func() bool { return len(tsrv.Posted(tmForecast)) >= 3 }); err != nil {
		t.Fatalf("no digest in the Teams channel: %v\n%s", err, tsrv.TranscriptText())
	}
	got := tsrv.TranscriptText()
	for _, want := range []string{"post    " + tmForecast + " #", "[card: France forecast · 2026-Q4]", "[card: France: forecast vs quota per rep"} {
		if !strings.Contains(got, want) {
			t.Errorf("the digest in Teams lacks %q:\n%s", want, got)
		}
	}
	cancel()
	if err := s.wait(); err != nil {
		t.Errorf("stopped with %v", err)
	}
}

// TestTeamsOnlyRefusesSlackIDs: a Teams-only bot given a configuration
// naming Slack channels and people (the digest and desk requests could
// never be posted) refuses to start, naming the line, the id and why;
// nothing is created. config check and doctor say the same.
func TestTeamsOnlyRefusesSlackIDs(t *testing.T) {
	tsrv := newTeams(t)
	dir := t.TempDir()
	env := teamsOnlyEnv(t, tsrv, dir, sample.Config)
	// Bounded: a bot that wrongly starts serves until cancelled.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var stdout, stderr lockedBuffer
	code := Main(ctx, []string{"serve"}, &stdout, &stderr, envOf(env))
	errOut := stderr.String()
	if code != exitUsage || !strings.Contains(errOut, `channel: "C0FORECAST" is not a Teams channel id`) ||
		!strings.Contains(errOut, "Slack is not served (SLACK_APP_TOKEN and SLACK_BOT_TOKEN are unset)") {
		t.Errorf("serve Teams-only with Slack ids: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(env["DEALPILOT_DB"]); err == nil {
		t.Error("a refused start created the database")
	}
	if code, _, errOut := run(t, env, "config", "check"); code != exitUsage || !strings.Contains(errOut, `"C0FORECAST" is not a Teams channel id`) {
		t.Errorf("config check Teams-only with Slack ids: exit %d %s", code, errOut)
	}
	code, out, _ := run(t, env, "doctor")
	if code != exitFailed || !strings.Contains(out, "FAIL  config:") || !strings.Contains(out, "Slack is not served") {
		t.Errorf("doctor Teams-only with Slack ids: exit %d %s", code, out)
	}
}

// TestDoctorTeamsOnly: with only the Teams variables set, doctor checks
// the configuration and Teams (the token, the two channels configured,
// which the bot heard from), says Slack is not checked, and passes.
func TestDoctorTeamsOnly(t *testing.T) {
	tsrv := newTeams(t)
	env := teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))
	keepChannels(t, env["DEALPILOT_DB"], [3]string{tmForecast, "19:team", tsrv.ServiceURL()}, [3]string{tmDesk, "19:team", tsrv.ServiceURL()})
	code, out, errOut := run(t, env, "doctor")
	if code != exitOK || !strings.Contains(out, "ok    config:") || !strings.Contains(out, "ok    teams: app "+tsrv.AppID()+" gets a token") ||
		!strings.Contains(out, "Slack is not checked") || !strings.Contains(out, "All 4 checks passed.") {
		t.Errorf("doctor Teams-only: exit %d\n%s%s", code, out, errOut)
	}
	env["TEAMS_APP_PASSWORD"] = "wrong"
	if code, out, _ := run(t, env, "doctor"); code != exitFailed || !strings.Contains(out, "FAIL  teams: no token for app") {
		t.Errorf("doctor Teams-only, wrong password: exit %d\n%s", code, out)
	}
}

// TestNoPlatformRefused: with neither Slack's nor Teams' variables, serve
// and doctor refuse in one line naming both sets, and create nothing.
func TestNoPlatformRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(cfg, []byte(sample.Config), 0o600)
	db := filepath.Join(dir, "d.db")
	for _, cmd := range []string{"serve", "doctor"} {
		// Bounded: a bot that wrongly starts serves until cancelled.
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		var stdout, stderr lockedBuffer
		code := Main(ctx, []string{cmd}, &stdout, &stderr, envOf(map[string]string{"DEALPILOT_DB": db, "DEALPILOT_CONFIG": cfg}))
		cancel()
		out, errOut := stdout.String(), stderr.String()
		if code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || out != "" {
			t.Errorf("%s with no platform: exit %d %q %q", cmd, code, out, errOut)
		}
		for _, v := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "DEALPILOT_TEAMS_ADDR", "TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"} {
			if !strings.Contains(errOut, v) {
				t.Errorf("%s with no platform does not name %s: %s", cmd, v, errOut)
			}
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused start created the database")
	}
}

// TestSlackOffRefuses: on a Teams-only bot, what the store still holds
// for Slack (a deal owned by a Slack user from before) is refused with an
// error saying Slack is not served, which the jobs log; nothing panics.
func TestSlackOffRefuses(t *testing.T) {
	m := both{}
	ctx := t.Context()
	_, postErr := m.Post(ctx, "C0DESK", "", bot.Notice{})
	for _, err := range []error{postErr, m.DM(ctx, "U0REP1", bot.Notice{}), m.Upload(ctx, "C0FORECAST", "a.png", "a", nil),
		m.Ephemeral(ctx, "C0DESK", "", "U0REP1", bot.Notice{}), m.Update(ctx, "C0DESK", "1.2", bot.Notice{})} {
		if !errors.Is(err, errSlackOff) {
			t.Errorf("a Slack post on a Teams-only bot: %v", err)
		}
	}
	if m.Location(ctx, "U0REP1") != nil || m.DisplayName(ctx, "U0REP1") != "" {
		t.Error("a Slack person on a Teams-only bot has a time zone or name")
	}
}

// TestSlackOnlyRefusesTeamsIDs: the reverse holds too: with only Slack's
// tokens set, a Teams channel in the configuration is refused, saying
// Teams is not served; with no platform set (config check on another
// machine) both platforms' ids are accepted.
func TestSlackOnlyRefusesTeamsIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.yaml")
	os.WriteFile(path, []byte(strings.Replace(sample.Config, "C0FORECAST", `"`+tmForecast+`"`, 1)), 0o600)
	slackOnly := map[string]string{"SLACK_APP_TOKEN": "xapp-1-A0X-1-ab", "SLACK_BOT_TOKEN": "xoxb-1-ab", "DEALPILOT_CONFIG": path}
	if code, _, errOut := run(t, slackOnly, "config", "check"); code != exitUsage || !strings.Contains(errOut, "is not a Slack channel id") ||
		!strings.Contains(errOut, "Teams is not served (DEALPILOT_TEAMS_ADDR is unset)") {
		t.Errorf("config check Slack-only with a Teams channel: exit %d %s", code, errOut)
	}
	if code, out, errOut := run(t, map[string]string{"DEALPILOT_CONFIG": path}, "config", "check"); code != exitOK {
		t.Errorf("config check with no platform set: exit %d %s%s", code, out, errOut)
	}
}
