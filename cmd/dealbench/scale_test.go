package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scaleCommands are the rows the scaling table must have (issue 17 point 2:
// every command and job).
var scaleCommands = []string{"help", "list", "show", "next", "update modal", "picker keystroke (rep)", "picker keystroke (admin)",
	"/forecast (company)", "/forecast (team)", "/pipeline (company)", "/pipeline (team)",
	"/pipeline segments (company)", "/pipeline segments (company) after 10 writes", "/pipeline retention (company)", "/pipeline retention (company) after 10 writes",
	"/pipeline (company) after 10 writes", "/pipeline (company) cold", "/pipeline (team) after 10 writes", "/pipeline (team) cold", "App Home",
	"digest job (all teams)", "reminder job"}

// TestBenchScaleShort runs dealbench scale at two small sizes, as CI can
// afford: every command and job is driven through the Slack transport and
// answered (a refusal or an error fails the run), and the table has a row
// for each at each size with every column filled: latencies, allocations,
// peak RSS, and the growth exponents at the second size. The numbers are
// measured with the command in BENCHMARKS.md, not asserted here.
func TestBenchScaleShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two files and drives every command and job")
	}
	dir := t.TempDir()
	var out, errs bytes.Buffer
	args := []string{"-sizes", "200,2000", "-calls", "3", "-job-runs", "1", "-dir", dir}
	if code := benchScale(context.Background(), args, &out, &errs); code != exitOK {
		t.Fatalf("dealbench scale %s: exit %d\n%s\n%s", strings.Join(args, " "), code, errs.String(), out.String())
	}
	report := out.String()
	rows := map[string][][]string{}
	for _, l := range strings.Split(report, "\n") {
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| command") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		if len(cells) != 10 {
			t.Errorf("row of %d cells, want 10: %q", len(cells), l)
			continue
		}
		rows[cells[0]] = append(rows[cells[0]], cells)
	}
	for _, name := range scaleCommands {
		rs := rows[name]
		if len(rs) != 2 || rs[0][1] != "200" || rs[1][1] != "2000" {
			t.Errorf("%s: want a row at 200 and at 2000 deals, got %q", name, rs)
			continue
		}
		job := strings.HasSuffix(name, " job") || strings.Contains(name, " job ")
		for k, r := range rs {
			filled := []int{5, 6, 7} // allocated, objects, peak RSS
			if job {
				filled = append(filled, 4) // the run's time
			} else {
				filled = append(filled, 2, 3) // ack p50, p99
			}
			if k == 1 {
				filled = append(filled, 8, 9) // the exponents
			}
			for _, c := range filled {
				if r[c] == "—" || r[c] == "" || r[c] == "0.0 MiB" {
					t.Errorf("%s at %s deals: column %d is empty: %q", name, r[1], c+1, r)
				}
			}
		}
		if !job && !strings.Contains(report, "\n  "+name+" ") {
			t.Errorf("no target line for %s:\n%s", name, report)
		}
	}
	for _, want := range []string{"machine: ", "load average", "command: dealbench scale -sizes 200,2000", "targets at 2000 deals"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	// The files are cached by path, the scratch copies removed.
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 2 || filepath.Base(files[0]) != "deals-200.db" || filepath.Base(files[1]) != "deals-2000.db" {
		t.Errorf("files left in -dir: %q", files)
	}
	if _, err := os.Stat(filepath.Join(dir, "deals-2000.db")); err != nil {
		t.Error(err)
	}
}
