package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/cmd/internal/appenv"
	"github.com/dealpilot/dealpilot/store"
)

// By default a load run puts the app under test (the floor client or the
// bot) in a process of its own, as in production where Slack's servers are
// not in the bot's process: the local Slack and the driver keep a record of
// every envelope and message, and in one process their heap and garbage
// collection would be charged to the app. Both still share the machine's
// cores. The parent and the child talk over the child's stdin and stdout, one
// line each way:
//
//	parent → child   "start"   child: GC, reset peak RSS, read memory stats → "started"
//	parent → child   "stop"    child: what it spent since → one JSON line of spent
//	parent closes stdin        child: disconnects, closes the store, exits 0
//
// -same-process runs both in the bench process instead (what -cpuprofile
// and -memprofile of the bot's phase need to see the local Slack too).

// cpuTime is the user + system time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchChild is `dealbench -child floor|bot`: the app side of a load
// run. Tokens and the API URL come from SLACK_APP_TOKEN, SLACK_BOT_TOKEN and
// SLACK_API_URL, as for serve.
func benchChild(ctx context.Context, f benchFlags, stdin io.Reader, stdout io.Writer) error {
	e := appenv.Read(os.Getenv)
	if e.AppToken == "" || e.BotToken == "" || e.APIURL == "" {
		return errors.New("-child needs SLACK_APP_TOKEN, SLACK_BOT_TOKEN and SLACK_API_URL")
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var db *store.DB
	defer func() {
		// Disconnect first, then close the store the bot was using.
		cancel()
		wg.Wait()
		if db != nil {
			db.Close()
		}
	}()
	switch f.child {
	case "floor":
		api := goslack.New(e.BotToken, goslack.OptionAppLevelToken(e.AppToken), goslack.OptionAPIURL(e.APIURL))
		runFloorClient(ctx, &wg, api, benchDialer(f.socketBuffer))
	case "bot":
		cfg, err := benchConfig(f.users)
		if err != nil {
			return err
		}
		if db, err = store.Open(f.childDB, store.Options{}); err != nil {
			return err
		}
		app, err := newBenchApp(db, cfg, e.AppToken, e.BotToken, e.APIURL, benchDialer(f.socketBuffer))
		if err != nil {
			return err
		}
		wg.Go(func() { _ = app.Run(ctx) })
	default:
		return fmt.Errorf("-child %q: want floor or bot", f.child)
	}

	var end func() spent
	var stopSampler func() *series
	stopProfile := func() {}
	in := bufio.NewScanner(stdin)
	for in.Scan() {
		switch strings.TrimSpace(in.Text()) {
		case "start":
			end = beginUsage()
			stopSampler = startSampler()
			stop, err := startCPUProfile(f.cpuProfile)
			if err != nil {
				return err
			}
			stopProfile = stop
			fmt.Fprintln(stdout, "started")
		case "stop":
			if end == nil {
				return errors.New(`"stop" before "start"`)
			}
			stopProfile()
			stopProfile = func() {}
			u := end()
			u.Series = stopSampler()
			if err := writeAllocProfile(f.memProfile); err != nil {
				return err
			}
			b, _ := json.Marshal(u)
			fmt.Fprintln(stdout, string(b))
		}
	}
	stopProfile()
	return nil
}

// runFloorClient runs the floor: a bare slack-go socketmode client that acks
// every envelope at once from its event loop and does nothing else.
func runFloorClient(ctx context.Context, wg *sync.WaitGroup, api *goslack.Client, dialer *websocket.Dialer) {
	var opts []socketmode.Option
	if dialer != nil {
		opts = append(opts, socketmode.OptionDialer(dialer))
	}
	sm := socketmode.New(api, opts...)
	wg.Go(func() { _ = sm.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-sm.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" {
					_ = sm.Ack(*evt.Request)
				}
			}
		}
	})
}

// appChild is a child process running the app side of a load run.
type appChild struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	done chan error
}

// startChild starts `dealbench -child kind` against srv.
func startChild(ctx context.Context, kind string, f benchFlags, srv *slacktest.Server, dbPath string, stderr io.Writer) (*appChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-child", kind, "-users", strconv.Itoa(f.users), "-socket-buffer", strconv.Itoa(f.socketBuffer)}
	if kind == "floor" && f.floorProfile != "" {
		args = append(args, "-cpuprofile", f.floorProfile)
	}
	if kind == "bot" {
		args = append(args, "-db", dbPath)
		if f.cpuProfile != "" {
			args = append(args, "-cpuprofile", f.cpuProfile)
		}
		if f.memProfile != "" {
			args = append(args, "-memprofile", f.memProfile)
		}
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_API_URL="+srv.APIURL())
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &appChild{cmd: cmd, in: in, out: bufio.NewReader(out), done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	conns := 1 // the bare client
	if kind == "bot" {
		conns = 2
	}
	if err := waitConnected(ctx, srv, conns); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// ask sends one line and reads the child's answer line.
func (p *appChild) ask(line string) (string, error) {
	if _, err := fmt.Fprintln(p.in, line); err != nil {
		return "", fmt.Errorf("child: %w", err)
	}
	type answer struct {
		s   string
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		s, err := p.out.ReadString('\n')
		ch <- answer{strings.TrimSpace(s), err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			return "", fmt.Errorf("child: %w", a.err)
		}
		return a.s, nil
	case <-time.After(30 * time.Second):
		return "", errors.New("child: no answer after 30 s")
	}
}

func (p *appChild) start() error {
	s, err := p.ask("start")
	if err == nil && s != "started" {
		err = fmt.Errorf("child: unexpected answer %q", s)
	}
	return err
}

func (p *appChild) stop() (spent, error) {
	var st spent
	s, err := p.ask("stop")
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return st, fmt.Errorf("child: unexpected answer %q", s)
	}
	return st, nil
}

// close ends the child: stdin closed, then killed if still there after 10 s.
func (p *appChild) close() {
	p.in.Close()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// runChildPhase drives the load against the app of kind ("floor" or "bot")
// running in a child process.
func runChildPhase(ctx context.Context, f benchFlags, mix []weighted, kind, name, dbPath string, stderr io.Writer) (phaseResult, error) {
	srv, err := slacktest.New(slacktest.WithoutRateLimits(), slacktest.WithSocketBuffers(f.socketBuffer)) // thousands of commands/s: far past what Slack takes
	if err != nil {
		return phaseResult{}, err
	}
	defer srv.Close()
	addBenchPeople(srv, f.users)
	if kind == "bot" {
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			return phaseResult{}, err
		}
		err = fillBenchStore(ctx, db, f.users, f.deals, 0, time.Now(), nil)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return phaseResult{}, err
		}
	}
	p, err := startChild(ctx, kind, f, srv, dbPath, stderr)
	if err != nil {
		return phaseResult{}, err
	}
	defer p.close()
	if err := p.start(); err != nil {
		return phaseResult{}, err
	}
	drv := newDriver(srv, f, mix, kind == "bot")
	harnessProfile := ""
	if kind == "bot" {
		harnessProfile = f.benchProfile
	}
	stopProfile, err := startCPUProfile(harnessProfile)
	if err != nil {
		return phaseResult{}, err
	}
	end := beginUsage()
	var harness spent
	runErr := quietCollector(func() error {
		err := drv.run(ctx)
		harness = end() // before the collection that ends the quiet
		return err
	})
	stopProfile()
	st, err := p.stop()
	if err != nil {
		return phaseResult{}, err
	}
	r := drv.collect(name, srv.State())
	r.spent, r.ownProcess, r.harness = st, true, harness
	return r, runErr
}

// quietCollector runs fn with this process's garbage collector held back
// (it runs only if the heap nears 4 GiB): the local Slack keeps a record of
// every envelope, and its collections, marking a heap that grows with the
// run, would otherwise pause the sending and the reading of envelopes at
// random, in the floor's phase as in the bot's. The app under test, in its
// own process, keeps the runtime's defaults. A long run (the local Slack
// forgetting its old records) is held back the same way: its live heap is
// the window of records kept, and each collection marks all of it, so
// collecting at 1 GiB, as long runs once did, collected eight times in
// the bot's phase of a 60-second run at 4,000/s (its 2 kB answers make
// twice the floor's garbage here) and put pauses of up to 240 ms into the
// bot's acks alone: a p99 120× the floor's that was the bench's own.
func quietCollector(fn func() error) error {
	pct := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(4 << 30)
	defer func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
		runtime.GC()
	}()
	return fn()
}
