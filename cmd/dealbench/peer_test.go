package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestChoosePeer: which -peer runs, which is skipped with what message, and
// which is refused, for each tool or file missing (PATH is given as the
// lookPath the run would use).
func TestChoosePeer(t *testing.T) {
	full := t.TempDir()
	for _, f := range []string{"app.js", "package.json"} {
		if err := os.WriteFile(filepath.Join(full, f), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	noApp := t.TempDir()
	if err := os.WriteFile(filepath.Join(noApp, "package.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := func(have ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			for _, h := range have {
				if h == name {
					return "/usr/bin/" + name, nil
				}
			}
			return "", exec.ErrNotFound
		}
	}
	for _, tc := range []struct {
		name, peer, dir string
		path            func(string) (string, error)
		run             bool   // a plan comes back
		skip            string // the skip message holds this
		err             string // refused with this
	}{
		{name: "no peer asked", peer: "", dir: full, path: path("node", "npm")},
		{name: "bolt-js with Node", peer: "bolt-js", dir: full, path: path("node", "npm"), run: true},
		{name: "unknown peer", peer: "bolt-python", dir: full, path: path("node", "npm"), err: `-peer "bolt-python": the only peer is bolt-js`},
		{name: "no Node", peer: "bolt-js", dir: full, path: path("npm"), skip: "peer bolt-js skipped: Node is not installed (no node on PATH"},
		{name: "no npm", peer: "bolt-js", dir: full, path: path("node"), skip: "peer bolt-js skipped: npm is not installed"},
		{name: "no app.js", peer: "bolt-js", dir: noApp, path: path("node", "npm"), skip: "peer bolt-js skipped: no app.js in " + noApp},
		{name: "no folder", peer: "bolt-js", dir: filepath.Join(full, "nowhere"), path: path("node", "npm"), skip: "peer bolt-js skipped: no app.js in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, skip, err := choosePeer(tc.peer, tc.dir, tc.path)
			switch {
			case tc.err != "":
				if err == nil || err.Error() != tc.err {
					t.Errorf("err %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Fatalf("err %v", err)
			case tc.skip != "":
				if plan != nil || !strings.HasPrefix(skip, tc.skip) {
					t.Errorf("plan %v, skip %q; want skipped with %q", plan, skip, tc.skip)
				}
			case tc.run:
				if plan == nil || skip != "" || plan.node != "/usr/bin/node" || plan.npm != "/usr/bin/npm" || plan.dir != tc.dir {
					t.Errorf("plan %+v, skip %q; want it to run", plan, skip)
				}
			default:
				if plan != nil || skip != "" {
					t.Errorf("plan %v, skip %q; want nothing", plan, skip)
				}
			}
		})
	}
}

// TestInstallPeerFailureSays: an npm install that fails (here a
// package.json that is not JSON, refused before any download) comes back
// as an error carrying npm's own words, and leaves no half-installed copy
// for the next run to trust. The peer's folder is never written to.
func TestInstallPeerFailureSays(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed")
	}
	dir, cache := t.TempDir(), t.TempDir()
	for f, body := range map[string]string{"app.js": "", "package.json": "{not json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err = installPeer(ctx, &peerPlan{name: peerBoltJS, dir: dir, npm: npm}, cache)
	if err == nil || !strings.Contains(err.Error(), "npm install in a copy of "+dir+" failed") || !strings.Contains(err.Error(), "JSON") {
		t.Fatalf("err %v: want npm's JSON complaint", err)
	}
	if left, _ := os.ReadDir(cache); len(left) != 0 {
		t.Errorf("a failed install left %d entries in the cache", len(left))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the peer's folder was written to: %d entries", len(entries))
	}
}

// TestReportRatios: every latency of the peer is printed as a ratio to the
// floor's ack latency, every latency of the bot to the floor's and Bolt's;
// without a peer the bot's ratios are to the floor alone, as before.
// Hand-computed (the golden must say exactly these):
//
//	floor ack  p50 100 µs  p99 200 µs  max 1 ms
//	Bolt ack   p50 500 µs  p99 1 ms    max 5 ms   → 5.00× the floor at each quantile
//	bot ack    p50 110 µs  p99 300 µs  max 2 ms   → 1.10×, 1.50×, 2.00× the floor;
//	                                                0.22×, 0.30×, 0.40× Bolt
//	bot views.open p50 4 ms, p99 8 ms, max 10 ms  → 40.00×, 40.00×, 10.00× the floor;
//	                                                8.00×, 8.00×, 2.00× Bolt
//	target: 300 / 200 = 1.50× → MET; beside Bolt 300 µs / 1 ms = 0.30×; Bolt 1 ms / 200 µs = 5.00× the floor
func TestReportRatios(t *testing.T) {
	f := benchFlags{rate: 1000, duration: 10 * time.Second}
	us := time.Microsecond
	phase := func(name string, p50, p99, max time.Duration) phaseResult {
		s := summary{n: 10000, p50: p50, p99: p99, max: max}
		return phaseResult{name: name, window: f.duration, commands: 10000, acked: 10000, ack: s,
			ackByKind: map[string]summary{"help": s}, ownProcess: true,
			spent:   spent{Mallocs: 600000, AllocBytes: 60 << 20, GCs: 10, PeakRSS: 20 << 20, CPU: 2 * time.Second},
			harness: spent{AllocBytes: 100 << 20, PeakRSS: 80 << 20, CPU: 3 * time.Second}}
	}
	floor := phase(floorName, 100*us, 200*us, 1000*us)
	bolt := phase(boltName, 500*us, 1000*us, 5000*us)
	bolt.foreign, bolt.spent = true, spent{PeakRSS: 120 << 20, CPU: 4 * time.Second}
	bot := phase(botName, 110*us, 300*us, 2000*us)
	bot.viewOpen = summary{n: 100, p50: 4 * time.Millisecond, p99: 8 * time.Millisecond, max: 10 * time.Millisecond}
	bot.spent.Mallocs = 900000
	for _, tc := range []struct {
		golden      string
		floor, peer *phaseResult
	}{
		{"report_floor_bolt.txt", &floor, &bolt},
		{"report_floor.txt", &floor, nil},
		{"report_alone.txt", nil, nil},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var b bytes.Buffer
			report(&b, f, bot, tc.floor, tc.peer)
			golden(t, filepath.Join("testdata", tc.golden), b.String())
		})
	}
}

// golden compares got with the file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s is missing: run with -update and read it", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -run %s -update, then read the diff):\n%s", path, t.Name(), got)
	}
}
