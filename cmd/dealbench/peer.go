package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// Peers are other Slack apps measured under the same load in the same run,
// beside the floor: what a team would otherwise build on. -peer names one.
const (
	peerBoltJS = "bolt-js"
	// defaultPeerDir is where the bolt-js peer lives, relative to the
	// repository's root (the directory dealbench is run from).
	defaultPeerDir = "../shared/peers/bolt-js"
	boltName       = "Bolt for JavaScript (Socket Mode, ack with a help text)"
)

// peerPlan is a peer that can run: its folder and the tools it needs.
type peerPlan struct {
	name string
	dir  string // the peer's sources (app.js, package.json), never written to
	node string
	npm  string
}

// choosePeer decides whether the -peer of this run can run. name "" is no
// peer. An unknown name is the caller's mistake (an error: exit 2). A peer
// whose tools or files are missing is skipped: plan nil and skip the message
// saying why, and the run goes on with the floor and the bot.
func choosePeer(name, dir string, lookPath func(string) (string, error)) (plan *peerPlan, skip string, err error) {
	switch name {
	case "":
		return nil, "", nil
	case peerBoltJS:
	default:
		return nil, "", fmt.Errorf("-peer %q: the only peer is %s", name, peerBoltJS)
	}
	node, err := lookPath("node")
	if err != nil {
		return nil, "peer bolt-js skipped: Node is not installed (no node on PATH; Node 20 is enough)", nil
	}
	npm, err := lookPath("npm")
	if err != nil {
		return nil, "peer bolt-js skipped: npm is not installed (no npm on PATH; it comes with Node)", nil
	}
	for _, f := range []string{"app.js", "package.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.IsDir() {
			return nil, fmt.Sprintf("peer bolt-js skipped: no %s in %s (-peer-dir: the folder of the Bolt app, %s from the repository's root)", f, dir, defaultPeerDir), nil
		}
	}
	return &peerPlan{name: name, dir: dir, node: node, npm: npm}, "", nil
}

// installPeer makes a copy of the peer's folder with its node_modules
// installed and returns it. The copy is kept in cacheRoot under a name
// made of the sources' hash, so later runs start at once; a copy whose
// install failed is removed. An install that fails is a skip: the message
// carries npm's own last lines.
func installPeer(ctx context.Context, p *peerPlan, cacheRoot string) (string, error) {
	sum := sha256.New()
	for _, f := range []string{"package.json", "package-lock.json", "app.js"} {
		b, err := os.ReadFile(filepath.Join(p.dir, f))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		fmt.Fprintf(sum, "%s %d\n", f, len(b))
		sum.Write(b)
	}
	dst := filepath.Join(cacheRoot, p.name+"-"+hex.EncodeToString(sum.Sum(nil))[:12])
	if st, err := os.Stat(filepath.Join(dst, "node_modules", "@slack", "bolt", "package.json")); err == nil && !st.IsDir() {
		return dst, nil
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	for _, f := range []string{"package.json", "package-lock.json", "app.js"} {
		b, err := os.ReadFile(filepath.Join(p.dir, f))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			return "", err
		}
	}
	ictx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ictx, p.npm, "install", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dst
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dst)
		return "", fmt.Errorf("npm install in a copy of %s failed (%v): %s", p.dir, err, lastLines(out.String(), 6))
	}
	return dst, nil
}

// lastLines is the last n non-empty lines of s, joined with " | ".
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "(no output)"
	}
	return strings.Join(lines, " | ")
}

// peerCacheRoot is where installed peers are kept between runs.
func peerCacheRoot() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "dealbench", "peers")
	}
	return filepath.Join(os.TempDir(), "dealbench-peers")
}

// runNodePeerPhase drives the load against the Bolt app in appDir, run as
// `node app.js` in a child process against a local Slack of its own, as the
// floor's phase does with the bare client. Its peak RSS and CPU time are
// read from /proc (a Node process reports no Go allocations).
func runNodePeerPhase(ctx context.Context, f benchFlags, mix []weighted, p *peerPlan, appDir string, stderr io.Writer) (phaseResult, error) {
	srv, err := slacktest.New(slacktest.WithoutRateLimits(), slacktest.WithSocketBuffers(f.socketBuffer)) // thousands of commands/s: far past what Slack takes
	if err != nil {
		return phaseResult{}, err
	}
	defer srv.Close()
	addBenchPeople(srv, f.users)
	cmd := exec.Command(p.node, "app.js")
	cmd.Dir = appDir
	cmd.Env = append(os.Environ(), "SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_API_URL="+srv.APIURL())
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		return phaseResult{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second) // Node loads Bolt first
	err = srv.WaitConnected(wctx, 1)
	cancel()
	if err != nil {
		return phaseResult{}, fmt.Errorf("the Bolt app did not connect within 30 s: %w", err)
	}
	pid := strconv.Itoa(cmd.Process.Pid)
	_ = os.WriteFile("/proc/"+pid+"/clear_refs", []byte("5"), 0) // its peak RSS from here
	cpu0 := procCPU(pid)
	drv := newDriver(srv, f, mix, false)
	end := beginUsage()
	var harness spent
	runErr := quietCollector(func() error {
		err := drv.run(ctx)
		harness = end()
		return err
	})
	r := drv.collect(boltName, srv.State())
	r.spent = spent{PeakRSS: procStatus(pid, "VmHWM"), CPU: procCPU(pid) - cpu0}
	r.ownProcess, r.foreign, r.harness = true, true, harness
	return r, runErr
}

// procCPU is the user + system time of process pid, from /proc/pid/stat.
func procCPU(pid string) time.Duration {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count from its ")".
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return 0
	}
	// utime and stime are fields 14 and 15 of the line, 12 and 13 after ")".
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on Linux.
const clockTicks = 100
