package crm

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

var update = flag.Bool("update", false, "rewrite the golden dry-run reports under testdata/")

// goldenRules is the configuration the fixtures are read with: Léa and
// Hugo, by name, email and Salesforce user id.
func goldenRules() *Rules {
	return &Rules{
		Owners: map[string]domain.UserID{
			OwnerKey("Léa Martin"): "U0LEA", OwnerKey("Lea Martin"): "U0LEA", OwnerKey("lea@example.com"): "U0LEA",
			OwnerKey("0055g00000AbCdEAAV"): "U0LEA",
			OwnerKey("Hugo Bernard"):       "U0HUGO", OwnerKey("hugo@example.com"): "U0HUGO", OwnerKey("0055g00000AbCdFAAV"): "U0HUGO",
		},
		Stages:   []StageMap{{CRM: "Perception Analysis", Stage: "Negotiation", Category: domain.Commit, Status: domain.Open}},
		Known:    func(u domain.UserID) bool { return u == "U0LEA" || u == "U0HUGO" },
		Process:  domain.DefaultStages(),
		Currency: "EUR",
		Today:    domain.NewDate(2026, 12, 1),
	}
}

// TestGoldenDryRuns reads every fixture (written from each CRM's documented
// export columns) as an import into an empty file would, and compares the
// dry-run report with its golden. go test ./crm -run Golden -update
// rewrites them.
func TestGoldenDryRuns(t *testing.T) {
	files, _ := filepath.Glob("testdata/*")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") || strings.HasSuffix(path, ".yaml") {
			continue
		}
		n++
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			opts := Options{}
			if data, err := os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".mapping.yaml"); err == nil {
				m, err := ParseMapping(data)
				if err != nil {
					t.Fatal(err)
				}
				opts.Mapping = m
			}
			var out bytes.Buffer
			dryRun(t, &out, path, opts, goldenRules())
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got := out.String(); got != string(want) {
				t.Errorf("dry run of %s differs from %s:\n--- got\n%s--- want\n%s", name, golden, got, want)
			}
		})
	}
	if n < 8 {
		t.Errorf("%d fixtures, want at least 8", n)
	}
}

// dryRun is an import's dry run into an empty database: every valid row
// is a create.
func dryRun(t *testing.T, out *bytes.Buffer, path string, opts Options, rl *Rules) {
	t.Helper()
	f, err := Open(path, opts)
	if err != nil {
		out.WriteString("refused: " + err.Error() + "\n")
		return
	}
	rep := &Report{W: out}
	rep.Header(filepath.Base(path), f)
	seen := map[string]int{}
	err = f.Each(rl.Currency, func(r *Record) error {
		m := rl.Map(f.Layout, r)
		if first, dup := seen[m.ExternalID]; dup && m.ExternalID != "" {
			m.Problems = append(m.Problems, Problem{Column: ColExternalID, Header: f.Layout.Headers[ColExternalID], Msg: "the same id as line " + itoa(first)})
		} else {
			seen[m.ExternalID] = m.Line
		}
		rep.Outcome(Plan(m, nil, false))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep.Summary()
}

func itoa(n int) string { return strconv.Itoa(n) }
