// Command dealbench measures dealpilot against a local Slack
// (bot/slack/slacktest): slash-command load over real WebSockets with the
// floor (a bare slack-go client) and, with -peer bolt-js, Bolt for
// JavaScript measured under the same load in the same run; durable store
// updates; serve's start-up. It is not part of the product binary: the
// commands and results are in BENCHMARKS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bench(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// benchUsage documents dealbench: every mode is bounded in time and count
// and talks to loopback only.
const benchUsage = `usage: dealbench [flags]

Modes (one per run):
  (default)                  load: the bot against a local Slack over real WebSockets, and in
                             the same run the floor (a bare slack-go client acking at once)
  -store-updates             durable store.UpdateDeal calls from -users concurrent writers
  -gen-file PATH             write a file of -deals deals and -history history entries
  -startup PATH              time 'dealpilot serve' (-dealpilot BIN) on PATH from start to /readyz; idle RSS
  scale [flags]              every command and job on files of 1k to 1M deals: the scaling table (dealbench scale -h)

The app under test (the floor, then the -peer if any, then the bot) runs in a child process of
its own, as the bot does beside Slack in production; -same-process keeps everything in one
process (for profiles that should include the local Slack).

Runs of a minute or more have the local Slack hand over and forget its records older than 30 s
every 5 s (Forget), so the bench process holds a window of them however long it runs. Every
phase samples the app's process each second (RSS, live heap, collections, their pauses): one
line per run, one per minute for runs of two minutes or more, the series as CSV with -samples.

Examples:
  dealbench -rate 1000 -duration 10s -mix help=1
  dealbench -rate 1000 -duration 10s -mix help=1 -peer bolt-js
  dealbench -rate 1000 -duration 10m -floor=false -samples bot.csv
  dealbench -rate 200 -duration 10s -mix update=1
  dealbench -rate 0 -users 100 -mix amount=1
  dealbench -gen-file /tmp/big.db -deals 50000 -history 1000000
  dealbench -startup /tmp/big.db

Flags:
`

// benchFlags are the flags of every bench mode.
type benchFlags struct {
	socketBuffer int // -socket-buffer
	duration     time.Duration
	warmup       time.Duration
	rate         float64
	users        int
	deals        int
	history      int
	mix          string
	floor        bool
	genFile      string
	startup      string
	runs         int
	storeUpdates bool
	cpuProfile   string
	memProfile   string
	floorProfile string
	benchProfile string
	seed         uint64
	sameProcess  bool
	child        string
	childDB      string
	dealpilot    string
	peer         string
	peerDir      string
	samples      string
}

func bench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "scale" {
		return benchScale(ctx, args[1:], stdout, stderr) // scale.go
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, benchUsage); fs.PrintDefaults() }
	var f benchFlags
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long to drive the load (measured part; at most 1h: runs of a minute or more hold a window of records)")
	fs.DurationVar(&f.warmup, "warmup", time.Second, "load run before measuring, not counted")
	fs.IntVar(&f.socketBuffer, "socket-buffer", 4<<20, "receive and send buffers, in bytes, of the local Slack's connections and of the clients measured (floor and bot); 0 keeps the system's (on loopback they stay at 128 KiB and a reader's short pause stalls its sender for TCP's 200 ms persist timer)")
	fs.Float64Var(&f.rate, "rate", 1000, "slash commands per second; 0 drives as fast as it goes with -users commands in flight")
	fs.IntVar(&f.users, "users", 100, "simulated users (reps, 10 per team)")
	fs.IntVar(&f.deals, "deals", 0, "deals in the file (default 5 per user; -gen-file: 50000)")
	fs.IntVar(&f.history, "history", 0, "history entries to add to the generated file (-gen-file)")
	fs.StringVar(&f.mix, "mix", defaultMix, "weights of the simulated actions: "+strings.Join(benchKinds, ", "))
	fs.BoolVar(&f.floor, "floor", true, "also measure the bare slack-go client under the same load")
	fs.StringVar(&f.genFile, "gen-file", "", "write a benchmark file to this path and exit")
	fs.StringVar(&f.startup, "startup", "", "measure serve's start-up on this file")
	fs.IntVar(&f.runs, "runs", 5, "start-ups to time (-startup)")
	fs.BoolVar(&f.storeUpdates, "store-updates", false, "measure durable deal updates in the store alone")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the bot's phase to this file")
	fs.StringVar(&f.memProfile, "memprofile", "", "write an allocation profile to this file after the bot's phase (with -floor=false it holds the bot's phase alone)")
	fs.StringVar(&f.floorProfile, "floor-cpuprofile", "", "write a CPU profile of the floor client's process to this file (child process only)")
	fs.StringVar(&f.benchProfile, "harness-cpuprofile", "", "write a CPU profile of the bench process (local Slack and driver) during the bot's phase (child process only)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of the load")
	fs.BoolVar(&f.sameProcess, "same-process", false, "run the app under test in the bench process, beside the local Slack and the driver (default: a child process)")
	fs.StringVar(&f.child, "child", "", "internal: be the app side (floor or bot) of a load run, driven over stdin")
	fs.StringVar(&f.childDB, "db", "", "internal: the store file of -child bot")
	fs.StringVar(&f.peer, "peer", "", "also measure this peer under the same load: bolt-js (Bolt for JavaScript; needs Node, skipped with a message without it)")
	fs.StringVar(&f.peerDir, "peer-dir", defaultPeerDir, "the folder of the -peer bolt-js app (app.js, package.json); npm install runs in a copy of it")
	fs.StringVar(&f.samples, "samples", "", "write the bot's process sampled each second (RSS, live heap, GCs, longest pause) to this CSV file")
	fs.StringVar(&f.dealpilot, "dealpilot", "", "the dealpilot binary -startup runs (default: dealpilot beside dealbench, else on PATH)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealbench: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if f.duration <= 0 || f.duration > time.Hour || f.warmup < 0 || f.warmup > time.Minute || f.rate < 0 || f.rate > 50_000 ||
		f.users < 1 || f.users > 10_000 || f.deals < 0 || f.deals > 1_000_000 || f.history < 0 || f.history > 20_000_000 || f.runs < 1 || f.runs > 100 {
		fmt.Fprintln(stderr, "dealbench: a flag is out of range (duration ≤ 1h, warmup ≤ 1m, rate ≤ 50000/s, users 1..10000, deals ≤ 1e6, history ≤ 2e7, runs 1..100)")
		return exitUsage
	}
	cmdline := strings.TrimSpace("dealbench " + strings.Join(args, " "))
	var err error
	switch {
	case f.child != "":
		err = benchChild(ctx, f, os.Stdin, stdout)
	case f.genFile != "":
		if f.deals == 0 {
			f.deals = 50_000
		}
		err = benchGenerate(ctx, f, stdout)
	case f.startup != "":
		err = benchStartup(ctx, f, cmdline, stdout, stderr)
	case f.storeUpdates:
		if f.deals == 0 {
			f.deals = 10_000
		}
		err = benchStoreUpdates(ctx, f, cmdline, stdout)
	default:
		if f.deals == 0 {
			f.deals = 5 * f.users
		}
		var mix []weighted
		if mix, err = parseMix(f.mix); err == nil {
			err = benchLoad(ctx, f, mix, cmdline, stdout, stderr)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealbench:", err)
		return exitFailed
	}
	return exitOK
}
