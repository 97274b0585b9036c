package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// sampleConfigFile writes the sample team's configuration into dir.
func sampleConfigFile(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(path, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeRefusesWithoutConfig: without a configuration file (the default
// path absent, or the file named absent) serve does not start: one line
// naming the file and both ways out, and no connection to Slack. It used to
// start on the defaults, open to everyone.
func TestServeRefusesWithoutConfig(t *testing.T) {
	srv, err := slacktest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	t.Chdir(dir) // the default ./dealpilot.yaml is absent here
	for _, tt := range []struct{ name, config, want string }{
		{"DefaultPathAbsent", "", filepath.Join(dir, "dealpilot.yaml")},
		{"NamedFileAbsent", filepath.Join(dir, "absent.yaml"), filepath.Join(dir, "absent.yaml")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(),
				"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json"}
			if tt.config != "" {
				env["DEALPILOT_CONFIG"] = tt.config
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a bot that started would serve until then
			defer cancel()
			var out, errOut lockedBuffer
			code := Main(ctx, []string{"serve"}, &out, &errOut, envOf(env))
			if code != exitUsage {
				t.Errorf("serve exited %d, want %d", code, exitUsage)
			}
			line := strings.TrimSpace(errOut.String())
			if strings.Contains(line, "\n") || !strings.HasPrefix(line, "dealpilot: no configuration file at "+tt.want+":") ||
				!strings.Contains(line, "dealpilot config example") || !strings.Contains(line, "--no-config") {
				t.Errorf("stderr = %q, want one line naming %s, how to write one and --no-config", line, tt.want)
			}
		})
	}
	if n := len(srv.Calls("apps.connections.open")); n != 0 {
		t.Errorf("%d apps.connections.open: the bot started without a configuration", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "d.db")); err == nil {
		t.Error("the database file was created: the bot went on")
	}
}

// TestServeSaysWhichConfig: serve names the file it loaded in its start
// line; with --no-config it starts on the defaults and says so loudly,
// first thing in the log and again among the start-up checks.
func TestServeSaysWhichConfig(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel, sample.SalesChannel}, []string{sample.SalesChannel})
	dir := t.TempDir()
	t.Chdir(dir)
	cfg := sampleConfigFile(t, t.TempDir())
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"File", nil, map[string]string{"DEALPILOT_CONFIG": cfg}, []string{`"config":"` + cfg + `"`, `"message":"dealpilot started"`}},
		{"NoConfig", []string{"--no-config"}, nil, []string{
			`{"level":"warn","config":"none","time"`, "STARTING WITHOUT A CONFIGURATION FILE (--no-config): no teams, no admins",
			"everyone who writes to the bot is a rep without admin rights",
			`"config":"none (--no-config)"`, `"check":"FAIL"`, "config: none (--no-config)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(),
				"DEALPILOT_DB": filepath.Join(t.TempDir(), "d.db"), "DEALPILOT_HTTP_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json"}
			for k, v := range tt.env {
				env[k] = v
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var logs lockedBuffer
			done := make(chan int, 1)
			go func() { done <- Main(ctx, append([]string{"serve"}, tt.args...), &logs, &logs, envOf(env)) }()
			waitLog(t, &logs, `"message":"config: `) // the start-up checks, logged once connected
			for _, w := range tt.want {
				if !strings.Contains(logs.String(), w) {
					t.Errorf("the log lacks %s:\n%s", w, logs.String())
				}
			}
			if strings.Contains(logs.String(), "WITHOUT A CONFIGURATION") != (tt.args != nil) {
				t.Errorf("the warning is shown when it should not, or missing:\n%s", logs.String())
			}
			if tt.args != nil {
				if first := strings.SplitN(logs.String(), "\n", 2)[0]; !strings.Contains(first, "WITHOUT A CONFIGURATION FILE") {
					t.Errorf("the first log line is %s, want the warning", first)
				}
			}
			cancel()
			if code := <-done; code != exitOK {
				t.Errorf("serve exited %d:\n%s", code, logs.String())
			}
		})
	}
}

// TestConfigCheckOfAMissingFile: config check fails on a file that does not
// exist, named or the default one; it used to say OK for the defaults.
func TestConfigCheckOfAMissingFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, env := range []map[string]string{nil, {"DEALPILOT_CONFIG": filepath.Join(dir, "absent.yaml")}} {
		code, out, errOut := run(t, env, "config", "check")
		if code == exitOK || strings.Contains(out, "OK") || !strings.Contains(errOut, "no such file") || !strings.Contains(errOut, "dealpilot config example") {
			t.Errorf("config check with %v: exit %d, %q %q", env, code, out, errOut)
		}
	}
}
