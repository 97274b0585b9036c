package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// benchStoreUpdates measures durable deal updates (each committed and
// fsynced before it returns; bbolt's Batch shares commits between
// concurrent writers) from -users concurrent writers for -duration.
func benchStoreUpdates(ctx context.Context, f benchFlags, cmdline string, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "dealpilot-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(filepath.Join(dir, "dealpilot.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := fillBenchStore(ctx, db, f.users, f.deals, 0, time.Now(), nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dealpilot bench: durable store.UpdateDeal from %d concurrent users for %s, %d deals\n", f.users, f.duration, f.deals)
	fmt.Fprintf(stdout, "machine: %s\ncommand: %s\n\n", machineLine(), cmdline)

	end := time.Now().Add(f.duration)
	var done atomic.Int64
	var mu sync.Mutex
	var lat latencies
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for u := range f.users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(u), 7))
			var mine latencies
			for i := 0; time.Now().Before(end) && ctx.Err() == nil; i++ {
				per := max(1, f.deals/f.users)
				id := domain.DealID(1 + u + f.users*r.IntN(per))
				t := time.Now()
				_, _, err := db.UpdateDeal(ctx, id, 0, benchRep(u), func(d *domain.Deal) error {
					d.NextStep = "Call back #" + strconv.Itoa(i)
					return nil
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
				done.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	s := summarize(lat)
	rate := float64(done.Load()) / elapsed.Seconds()
	fmt.Fprintf(stdout, "durable updates: %d in %s = %.0f/s; latency p50 %s p99 %s max %s\n", done.Load(), elapsed.Round(time.Millisecond), rate, ms(s.p50), ms(s.p99), ms(s.max))
	fmt.Fprintf(stdout, "target ≥ 2,000 durable updates/s from %d users: %s\n", f.users, met(rate >= 2000))
	return nil
}

// benchStartup starts `dealpilot serve` (this very binary) on the file
// -startup against a local Slack, -runs times, and reports the time from
// the process start to /readyz answering 200, and the RSS once idle.
func benchStartup(ctx context.Context, f benchFlags, cmdline string, stdout, stderr io.Writer) error {
	exe, err := os.Executable()
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
	fmt.Fprintf(stdout, "dealpilot bench: serve start-up on %s (%d deals, %d history entries, %s), %d runs\n",
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
