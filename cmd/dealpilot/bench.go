package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// benchUsage documents `dealpilot bench`: every mode is bounded in time and
// count and talks to loopback only.
const benchUsage = `usage: dealpilot bench [flags]

Modes (one per run):
  (default)                  load: the bot against a local Slack over real WebSockets, and in
                             the same run the floor (a bare slack-go client acking at once)
  -store-updates             durable store.UpdateDeal calls from -users concurrent writers
  -gen-file PATH             write a file of -deals deals and -history history entries
  -startup PATH              time 'dealpilot serve' on PATH from start to /readyz; idle RSS

The app under test (the floor, then the bot) runs in a child process of its own, as the bot does
beside Slack in production; -same-process keeps everything in one process (for profiles that
should include the local Slack).

Examples:
  dealpilot bench -rate 1000 -duration 10s -mix help=1
  dealpilot bench -rate 200 -duration 10s -mix update=1
  dealpilot bench -rate 0 -users 100 -mix amount=1
  dealpilot bench -gen-file /tmp/big.db -deals 50000 -history 1000000
  dealpilot bench -startup /tmp/big.db

Flags:
`

// benchFlags are the flags of every bench mode.
type benchFlags struct {
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
}

func bench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, benchUsage); fs.PrintDefaults() }
	var f benchFlags
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long to drive the load (measured part; at most 10m)")
	fs.DurationVar(&f.warmup, "warmup", time.Second, "load run before measuring, not counted")
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
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealpilot bench: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if f.duration <= 0 || f.duration > 10*time.Minute || f.warmup < 0 || f.warmup > time.Minute || f.rate < 0 || f.rate > 50_000 ||
		f.users < 1 || f.users > 10_000 || f.deals < 0 || f.deals > 1_000_000 || f.history < 0 || f.history > 20_000_000 || f.runs < 1 || f.runs > 100 {
		fmt.Fprintln(stderr, "dealpilot bench: a flag is out of range (duration ≤ 10m, warmup ≤ 1m, rate ≤ 50000/s, users 1..10000, deals ≤ 1e6, history ≤ 2e7, runs 1..100)")
		return exitUsage
	}
	cmdline := "dealpilot bench " + strings.Join(args, " ")
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
		fmt.Fprintln(stderr, "dealpilot bench:", err)
		return exitFailed
	}
	return exitOK
}

// machineLine says where a number was measured.
func machineLine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = ", load average " + strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%s, %d cores (GOMAXPROCS %d), %s %s/%s%s, %s", model, runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, load, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
}

// procStatus reads a "VmHWM"-style line of /proc/<pid>/status, in bytes.
func procStatus(pid string, key string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == key {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n * 1024
			}
		}
	}
	return 0
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux ≥ 4.0),
// so each phase of a run reports its own peak.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// latencies is a sample of durations.
type latencies []time.Duration

func (l latencies) sorted() latencies {
	c := slices.Clone(l)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	return c
}

// quantile of a sorted sample (nearest rank).
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	i := int(q*float64(len(l))+0.999999) - 1
	return l[min(max(i, 0), len(l)-1)]
}

type summary struct {
	n             int
	p50, p99, max time.Duration
}

func summarize(l latencies) summary {
	s := l.sorted()
	if len(s) == 0 {
		return summary{}
	}
	return summary{n: len(s), p50: s.quantile(0.50), p99: s.quantile(0.99), max: s[len(s)-1]}
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "—"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// ratio prints d as a multiple of the floor's value.
func ratio(d, floor time.Duration) string {
	if floor <= 0 || d <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", float64(d)/float64(floor))
}

func met(ok bool) string {
	if ok {
		return "MET"
	}
	return "NOT MET"
}

// startCPUProfile starts a profile when path is set; the returned func stops it.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeAllocProfile writes the allocations sampled since the process
// started to path ("" does nothing).
func writeAllocProfile(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
