package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// buildBinary compiles dealbench into a temporary directory: the load
// runs the app side in a child process of the same binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dealbench")
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBenchLoadShort runs the load command briefly, as CI can afford, in
// both arrangements: the app under test in a child process (the default)
// and in the bench process, with every kind of the mix (update modals
// submitted, discount requests approved by the rep's manager). Every
// command of the mix is answered, nothing is
// refused, and the report has the floor, the bot and the targets. The
// numbers themselves are measured with the commands in BENCHMARKS.md, not
// asserted here.
func TestBenchLoadShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two short loads")
	}
	bin := buildBinary(t)
	for _, mode := range []string{"child", "same-process"} {
		t.Run(mode, func(t *testing.T) {
			args := []string{"-rate", "150", "-duration", "1s", "-warmup", "300ms", "-users", "20",
				"-mix", "help=1,list=1,show=1,next=1,amount=1,update=1,discount=1"}
			if mode == "same-process" {
				args = append(args, "-same-process")
			}
			out, err := exec.Command(bin, args...).CombinedOutput()
			report := string(out)
			if err != nil {
				t.Fatalf("dealbench %s: %v\n%s", strings.Join(args, " "), err, report)
			}
			for _, want := range []string{floorName, botName, "targets:", "ack p99 ≤ 1.5× floor at 150 commands/s", "command → views.open", "submission → confirmation", "discount sent → posted", "Approve → decision posted"} {
				if !strings.Contains(report, want) {
					t.Errorf("report lacks %q:\n%s", want, report)
				}
			}
			if mode == "child" && !strings.Contains(report, "allocations (the app's own process)") {
				t.Errorf("child mode does not report the app's own allocations:\n%s", report)
			}
			sent := regexp.MustCompile(`sent (\d+) slash commands in \S+ \(\d+/s\), acked (\d+), failed (\d+), redelivered \d+, acks Slack would reject (\d+)`)
			phases := sent.FindAllStringSubmatch(report, -1)
			if len(phases) != 2 {
				t.Fatalf("want two phases in the report, got %d:\n%s", len(phases), report)
			}
			for _, p := range phases {
				if p[1] != p[2] || p[3] != "0" || p[4] != "0" || p[1] == "0" {
					t.Errorf("phase %q: every command must be acked, none failed or rejected\n%s", p[0], report)
				}
			}
			if strings.Contains(report, "WARNING") || strings.Contains(report, "driver error") {
				t.Errorf("warnings in the report:\n%s", report)
			}
		})
	}
}
