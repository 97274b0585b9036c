package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeBlock returns the lines of the first ```sh block of README.md after
// the line holding marker, comments cut.
func readmeBlock(t *testing.T, readme, marker string) []string {
	t.Helper()
	_, after, ok := strings.Cut(readme, marker)
	if !ok {
		t.Fatalf("the README has no %q", marker)
	}
	m := regexp.MustCompile("(?s)```sh\n(.*?)\n\\s*```").FindStringSubmatch(after)
	if m == nil {
		t.Fatalf("no sh block after %q", marker)
	}
	var lines []string
	for _, l := range strings.Split(m[1], "\n") {
		l, _, _ = strings.Cut(l, "#")
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestREADMEWalkthrough follows the README literally as far as it needs
// no Slack: "Get the binary" in the clone (go install, with GOBIN a
// temporary directory on PATH), then install step 4 in an empty directory
// (the example configuration written and checked), then the Reports
// example on the demo's file in another empty directory, with no
// configuration anywhere. Each command exits 0.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and installs the binary")
	}
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin, work := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "GOBIN="+bin, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	sh := func(dir, line string) string {
		t.Helper()
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s (in %s): %v\n%s", line, dir, err, out)
		}
		return string(out)
	}
	get := readmeBlock(t, readme, "## Get the binary")
	if len(get) != 2 || !strings.HasPrefix(get[0], "go install ./cmd/dealpilot") || get[1] != "dealpilot --help" {
		t.Fatalf("Get the binary says %q: update this test with it", get)
	}
	sh(root, get[0])
	if _, err := os.Stat(filepath.Join(bin, "dealpilot")); err != nil {
		t.Fatalf("go install ./cmd/dealpilot put no dealpilot in GOBIN: %v", err)
	}
	help := sh(work, get[1])
	if !strings.Contains(readme, "```text\n$ dealpilot --help\n"+help+"```") {
		t.Errorf("the installed dealpilot --help is not the README's:\n%s", help)
	}
	step4 := readmeBlock(t, readme, "4. Write a configuration")
	if len(step4) != 2 {
		t.Fatalf("step 4 says %q: update this test with it", step4)
	}
	for _, line := range step4 {
		sh(work, line)
	}
	if out := sh(work, step4[len(step4)-1]); !strings.Contains(out, "dealpilot.yaml: OK") {
		t.Errorf("config check of the example: %q", out)
	}
	// Reports: the demo's file (demo --db, as "Try it" shows) reported on
	// alone, the README's example line as written.
	reports := readmeBlock(t, readme, "### Reports")
	if len(reports) != 1 || !strings.HasPrefix(reports[0], "DEALPILOT_DB=backup.db dealpilot report ") {
		t.Fatalf("Reports says %q: update this test with it", reports)
	}
	alone := t.TempDir()
	sh(alone, "dealpilot demo --db backup.db > /dev/null")
	out := sh(alone, reports[0])
	for _, want := range []string{"configuration kept in backup.db", "period,who,user,name,team,currency,",
		"2026-Q4,U0REP1,U0REP1,Léa Dubois,France,EUR,"} {
		if !strings.Contains(out, want) {
			t.Errorf("%s on the demo's file, no configuration: lacks %q:\n%s", reports[0], want, out)
		}
	}
}
