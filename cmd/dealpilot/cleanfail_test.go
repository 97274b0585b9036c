package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// TestRefusedStartLeavesNoFile: serve checks the tokens (their form, then
// Slack's answer), the API URL and the configuration before it creates
// anything, so a failed start leaves the directory as it was: no empty
// dealpilot.db for the next try to trip on.
func TestRefusedStartLeavesNoFile(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel}, nil)
	tests := []struct {
		name string
		env  map[string]string // over a good environment
		want string            // in the one line on stderr
	}{
		{"BotTokenRefused", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1-2-wrong"}, "Slack refused SLACK_BOT_TOKEN (invalid_auth)"},
		{"AppTokenRefused", map[string]string{"SLACK_APP_TOKEN": "xapp-1-wrong"}, "Slack refused SLACK_APP_TOKEN (invalid_auth)"},
		{"UserTokenForBot", map[string]string{"SLACK_BOT_TOKEN": "xoxp-1-2-3"}, "SLACK_BOT_TOKEN must start with xoxb-"},
		{"BadAPIURL", map[string]string{"SLACK_API_URL": "ftp://slack.example/api/"}, `SLACK_API_URL "ftp://slack.example/api/" is not an http(s) URL`},
		{"BadConfig", map[string]string{"DEALPILOT_CONFIG": "bad.yaml"}, "schedules.digest"},
		{"HTTPAddrTaken", map[string]string{"DEALPILOT_HTTP_ADDR": "taken"}, "DEALPILOT_HTTP_ADDR"},
		{"MetricsAddrTaken", map[string]string{"DEALPILOT_METRICS_ADDR": "taken"}, "DEALPILOT_METRICS_ADDR"},
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("currency: EUR\nschedules:\n  digest: \"every monday\"\n"), 0o600)
			env := map[string]string{
				"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(),
				"DEALPILOT_CONFIG": sampleConfigFile(t, dir), "DEALPILOT_DB": filepath.Join(dir, "dealpilot.db"),
				"DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "DEALPILOT_METRICS_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
			}
			for k, v := range tt.env {
				switch {
				case v == "taken":
					v = taken.Addr().String()
				case k == "DEALPILOT_CONFIG":
					v = filepath.Join(dir, v)
				}
				env[k] = v
			}
			before := files(t, dir)
			// A bot that went on would serve until cancelled: bound it.
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			var stdout, stderr lockedBuffer
			code := Main(ctx, []string{"serve"}, &stdout, &stderr, envOf(env))
			if code == exitOK {
				t.Fatalf("serve started: %s", stderr.String())
			}
			if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); !strings.Contains(lines[len(lines)-1], tt.want) {
				t.Errorf("stderr = %q, want it to end with a line naming %q", stderr.String(), tt.want)
			}
			if after := files(t, dir); !slices.Equal(before, after) {
				t.Errorf("a refused start left files behind: %v, before %v", after, before)
			}
		})
	}
}

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// get fetches url and returns its status code and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHealthzFailsAfterAMinuteWithoutSocket: /healthz (the container's
// health check, through dealpilot health) stays healthy through a short
// reconnection and turns unhealthy once the bot has been without a Socket
// Mode connection for more than a minute, on the bot's clock.
func TestHealthzFailsAfterAMinuteWithoutSocket(t *testing.T) {
	srv := workspace(t, nil, nil)
	dir := t.TempDir()
	clock := domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	e := env{AppToken: srv.AppToken(), BotToken: srv.BotToken(), APIURL: srv.APIURL(),
		DB: filepath.Join(dir, "d.db"), HTTPAddr: "127.0.0.1:0", Ticks: -1}
	ctx, cancel := context.WithCancel(t.Context())
	s, err := start(ctx, e, config.Default(), zerolog.Nop(), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); s.wait() }()
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	if err := srv.WaitConnected(wait, 2); err != nil {
		t.Fatal(err)
	}
	// The bot sees its connection up a moment after the server does. Not
	// Disconnected() == 0: on a clock that has not moved, that holds before
	// any connection is up too (0 s since New).
	for !s.app.Ready() {
		if wait.Err() != nil {
			t.Fatal("the bot never saw its connection up")
		}
		time.Sleep(5 * time.Millisecond)
	}
	health := func() (int, string) {
		t.Helper()
		code, body := get(t, "http://"+s.addr+"/healthz")
		// dealpilot health, as the image's HEALTHCHECK runs it, agrees.
		var out, errOut strings.Builder
		if rc := health(env{HTTPAddr: s.addr}, &out, &errOut); (rc == exitOK) != (code == http.StatusOK) {
			t.Errorf("dealpilot health exited %d for /healthz %d (%s)", rc, code, errOut.String())
		}
		return code, body
	}
	clock.Advance(2 * time.Minute) // connected all along
	if code, body := health(); code != http.StatusOK {
		t.Fatalf("/healthz while connected = %d %q", code, body)
	}
	// Slack unreachable: no connection comes back.
	srv.FailWith("apps.connections.open", 1000, http.StatusServiceUnavailable)
	srv.DropConnections()
	for s.app.Disconnected() == 0 && s.app.Ready() {
		if wait.Err() != nil {
			t.Fatal("the bot never saw its connections drop")
		}
		time.Sleep(5 * time.Millisecond)
	}
	clock.Advance(time.Minute)
	if code, body := health(); code != http.StatusOK {
		t.Fatalf("/healthz a minute into a reconnection = %d %q", code, body)
	}
	clock.Advance(time.Second)
	code, body := health()
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "no Socket Mode connection to Slack for 1m1s (more than 1m0s)") {
		t.Fatalf("/healthz after 61 s without a connection = %d %q", code, body)
	}
}

// TestMetricsOnLoopbackByDefault: /metrics is served on its own address,
// 127.0.0.1 unless DEALPILOT_METRICS_ADDR says otherwise, and no longer on
// DEALPILOT_HTTP_ADDR (which the image opens to every interface for the
// health endpoints).
func TestMetricsOnLoopbackByDefault(t *testing.T) {
	e := readEnv(envOf(nil))
	host, _, err := net.SplitHostPort(e.MetricsAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() || ip.String() != "127.0.0.1" {
		t.Fatalf("default DEALPILOT_METRICS_ADDR %q is not on 127.0.0.1", e.MetricsAddr)
	}
	if e := readEnv(envOf(map[string]string{"DEALPILOT_METRICS_ADDR": "0.0.0.0:9464"})); e.MetricsAddr != "0.0.0.0:9464" || !e.MetricsAddrSet {
		t.Fatalf("DEALPILOT_METRICS_ADDR not read: %+v", e)
	}

	srv := workspace(t, nil, nil)
	dir := t.TempDir()
	for _, tt := range []struct {
		name         string
		metrics      string
		onHTTP, seen bool // /metrics on the HTTP address; on its own
	}{
		{"Default", "127.0.0.1:0", false, true}, // the default's host, any port
		{"SameAsHTTP", "same", true, false},
		{"Off", "off", false, false},
		// The default address taken (another bot on the machine): the bot
		// serves without metrics rather than not at all.
		{"DefaultTaken", "taken", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := env{AppToken: srv.AppToken(), BotToken: srv.BotToken(), APIURL: srv.APIURL(),
				DB: filepath.Join(dir, tt.name+".db"), HTTPAddr: "127.0.0.1:0", MetricsAddr: tt.metrics, Ticks: -1}
			if tt.metrics == "same" {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				e.HTTPAddr = ln.Addr().String()
				e.MetricsAddr = e.HTTPAddr
				ln.Close()
			}
			if tt.metrics == "taken" {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				e.MetricsAddr = ln.Addr().String() // as readEnv's default: MetricsAddrSet false
			}
			ctx, cancel := context.WithCancel(t.Context())
			s, err := start(ctx, e, config.Default(), zerolog.Nop(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { cancel(); s.wait() }()
			if code, _ := get(t, "http://"+s.addr+"/metrics"); (code == http.StatusOK) != tt.onHTTP {
				t.Errorf("/metrics on DEALPILOT_HTTP_ADDR: %d", code)
			}
			if got := s.metricsAddr != "" && s.metricsAddr != s.addr; got != tt.seen {
				t.Fatalf("metrics served on its own address %q: %v, want %v", s.metricsAddr, got, tt.seen)
			}
			if !tt.seen {
				return
			}
			if host, _, _ := net.SplitHostPort(s.metricsAddr); host != "127.0.0.1" {
				t.Errorf("/metrics bound to %s", s.metricsAddr)
			}
			if code, body := get(t, "http://"+s.metricsAddr+"/metrics"); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
				t.Errorf("/metrics = %d", code)
			}
		})
	}
}
