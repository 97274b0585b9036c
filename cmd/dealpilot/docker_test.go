package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dockerignore is the build context's exclusion list, matched as Docker
// matches it (docs.docker.com/build/concepts/context/#dockerignore-files):
// paths relative to the context root, filepath.Match patterns plus "**"
// for any number of directories, a pattern matching a directory excluding
// everything under it, "!" re-including, the last matching line winning.
type dockerignore []struct {
	re      *regexp.Regexp
	include bool
}

func readDockerignore(t *testing.T, path string) dockerignore {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var d dockerignore
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		include := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(strings.TrimPrefix(line, "!"), "/")
		var re strings.Builder
		re.WriteString("^")
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case c == '*':
				re.WriteString("[^/]*")
			case c == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString("(/.*)?$") // a directory takes its contents with it
		d = append(d, struct {
			re      *regexp.Regexp
			include bool
		}{regexp.MustCompile(re.String()), include})
	}
	return d
}

// excluded reports whether the file at path (slash-separated, relative to
// the context root) stays out of the build context.
func (d dockerignore) excluded(path string) bool {
	out := false
	for _, p := range d {
		if p.re.MatchString(path) {
			out = !p.include
		}
	}
	return out
}

// TestDockerignoreKeepsTheBuild: the build context keeps every file `go
// build ./cmd/dealpilot` reads (the module's Go sources and embedded
// files, go.mod, go.sum) and everything the Dockerfile COPYs, and leaves
// out the git history, local databases and configuration, and test data.
// (Checked by reasoning where no Docker daemon runs; `docker build .`
// where one does.)
func TestDockerignoreKeepsTheBuild(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ign := readDockerignore(t, filepath.Join(root, ".dockerignore"))

	needed := []string{"go.mod", "go.sum"}
	cmd := exec.Command("go", "list", "-deps", "-json", ".")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			Dir, ImportPath                             string
			Standard                                    bool
			GoFiles, EmbedFiles, CgoFiles, IgnoredFiles []string
			Module                                      *struct{ Path string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Standard || p.Module == nil || p.Module.Path != "github.com/dealpilot/dealpilot" {
			continue // the standard library, and modules go mod download fetches
		}
		for _, files := range [][]string{p.GoFiles, p.EmbedFiles, p.CgoFiles} {
			for _, f := range files {
				rel, err := filepath.Rel(root, filepath.Join(p.Dir, f))
				if err != nil {
					t.Fatal(err)
				}
				needed = append(needed, filepath.ToSlash(rel))
			}
		}
	}
	if len(needed) < 20 || !slices.Contains(needed, "manifests/slack-app.yaml") {
		t.Fatalf("go list found only %v: the test proves nothing", needed)
	}
	for _, f := range needed {
		if ign.excluded(f) {
			t.Errorf(".dockerignore leaves out %s, which the build reads", f)
		}
	}

	// What the Dockerfile copies from the context exists and is kept.
	df, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, line := range strings.Split(string(df), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != "COPY" || strings.HasPrefix(fields[1], "--from=") {
			continue
		}
		for _, src := range fields[1 : len(fields)-1] {
			if strings.HasPrefix(src, "--") {
				continue
			}
			copies++
			if src == "." {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, src)); err != nil || ign.excluded(src) {
				t.Errorf("the Dockerfile copies %s, which the context lacks (%v)", src, err)
			}
		}
	}
	if copies < 3 {
		t.Errorf("found %d COPY sources in the Dockerfile: the test proves nothing", copies)
	}

	for _, f := range []string{".git/HEAD", ".git/objects/ab/cdef", "dealpilot.db", "data/dealpilot.db", "store/testdata/v1.db",
		"bot/slack/testdata/modal_new_deal_en.json", "domain/forecast/testdata/x.txt", "dealpilot.yaml", "dealpilot",
		"bot/deals_test.go", "README.md", "cmd/dealpilot/cpu.prof", "backups/dealpilot-2026-12-06.db"} {
		if !ign.excluded(f) {
			t.Errorf(".dockerignore lets %s into the build context", f)
		}
	}
}
