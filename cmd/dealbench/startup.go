package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/store"
)

// benchStartup starts `dealpilot serve` (the -dealpilot binary) on the file
// -startup against a local Slack, -runs times, and reports the time from
// the process start to /readyz answering 200, and the RSS once idle.
func benchStartup(ctx context.Context, f benchFlags, cmdline string, stdout, stderr io.Writer) error {
	exe, err := dealpilotBinary(f.dealpilot)
	if err != nil {
		return err
	}
	db, err := store.Open(f.startup, store.Options{})
	if err != nil {
		return err
	}
	st, err := db.Stats()
	db.Close()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dealpilot-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(benchConfigYAML(f.users)), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dealbench: serve start-up on %s (%d deals, %d history entries, %s), %d runs\n",
		f.startup, st.Deals, st.HistoryEntries, mib(st.FileBytes), f.runs)
	fmt.Fprintf(stdout, "machine: %s\ncommand: %s\n\n", machineLine(), cmdline)

	var ups latencies
	var worstRSS, worstAnon int64
	for run := range f.runs {
		up, rss, anon, err := startOnce(ctx, exe, f.startup, cfgPath, stderr)
		if err != nil {
			return fmt.Errorf("run %d: %w", run+1, err)
		}
		fmt.Fprintf(stdout, "  run %d: ready in %s; idle RSS %s (anonymous %s, file pages %s)\n", run+1, ms(up), mib(rss), mib(anon), mib(rss-anon))
		ups = append(ups, up)
		worstRSS, worstAnon = max(worstRSS, rss), max(worstAnon, anon)
	}
	s := summarize(ups)
	fmt.Fprintf(stdout, "\nstart-up to ready: p50 %s, max %s → ≤ 300 ms %s\n", ms(s.p50), ms(s.max), met(s.max <= 300*time.Millisecond))
	fmt.Fprintf(stdout, "idle RSS: max %s (anonymous %s) → ≤ 40 MB %s\n", mib(worstRSS), mib(worstAnon), met(worstRSS <= 40_000_000))
	return nil
}

// dealpilotBinary finds the product binary -startup measures: the one
// given, else dealpilot in dealbench's own directory (go build -o bin/
// ./cmd/...), else dealpilot on PATH.
func dealpilotBinary(given string) (string, error) {
	if given != "" {
		return exec.LookPath(given)
	}
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), "dealpilot")
		if st, err := os.Stat(beside); err == nil && !st.IsDir() {
			return beside, nil
		}
	}
	if p, err := exec.LookPath("dealpilot"); err == nil {
		return p, nil
	}
	return "", errors.New("-startup runs dealpilot serve, and no dealpilot binary was found beside dealbench or on PATH: build it (go build -o bin/ ./cmd/dealpilot ./cmd/dealbench) or give -dealpilot PATH")
}

// startOnce runs serve once: time to ready, then RSS after a second idle.
func startOnce(ctx context.Context, exe, path, cfgPath string, stderr io.Writer) (up time.Duration, rss, anon int64, err error) {
	srv, err := slacktest.New(slacktest.WithoutRateLimits()) // thousands of commands/s: far past what Slack takes
	if err != nil {
		return 0, 0, 0, err
	}
	defer srv.Close()
	addr, err := freeAddr()
	if err != nil {
		return 0, 0, 0, err
	}
	cmd := exec.CommandContext(ctx, exe, "serve")
	cmd.Env = append(os.Environ(),
		"SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_API_URL="+srv.APIURL(),
		"DEALPILOT_DB="+path, "DEALPILOT_CONFIG="+cfgPath, "DEALPILOT_HTTP_ADDR="+addr, "DEALPILOT_METRICS_ADDR=off", "LOG_LEVEL=warn", "LOG_FORMAT=json")
	cmd.Stderr = stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	client := http.Client{Timeout: time.Second}
	deadline := start.Add(30 * time.Second)
	for {
		if time.Now().After(deadline) {
			return 0, 0, 0, fmt.Errorf("serve was not ready after 30 s")
		}
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				up = time.Since(start)
				break
			}
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(time.Second) // idle
	pid := strconv.Itoa(cmd.Process.Pid)
	return up, procStatus(pid, "VmRSS"), procStatus(pid, "RssAnon"), nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
