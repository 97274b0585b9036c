package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goldenImportConfig is crm's goldenRules (crm/golden_test.go) as a
// configuration: Léa and Hugo by name, email and Salesforce user id, the
// mapped stages, EUR, the default stages.
const goldenImportConfig = `currency: EUR
locale: en
timezone: Europe/Paris
fiscal_year_start: 1
admins: [U0ADMIN]
teams:
  - name: France
    manager: U0MGR
    members: [U0LEA, U0HUGO]
    channel: C0FORECAST
import:
  stages:
    - { crm: Perception Analysis, stage: Negotiation, category: commit, status: open }
    - { crm: Premier contact, stage: Discovery, category: pipeline, status: open }
    - { crm: Proposition envoyée, stage: Proposal, category: best_case, status: open }
    - { crm: Négociation, stage: Negotiation, category: commit, status: open }
  owners:
    Léa Martin: U0LEA
    Lea Martin: U0LEA
    lea@example.com: U0LEA
    0055g00000AbCdEAAV: U0LEA
    Hugo Bernard: U0HUGO
    hugo@example.com: U0HUGO
    0055g00000AbCdFAAV: U0HUGO
`

// TestImportDryRunPrintsCRMGoldens: `dealpilot import FILE --dry-run` prints,
// for every fixture under crm/testdata, its golden dry run and then that
// nothing was written: the goldens are what users read.
func TestImportDryRunPrintsCRMGoldens(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(config, []byte(goldenImportConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	saved := reportNow
	reportNow = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { reportNow = saved })
	getenv := func(k string) string {
		switch k {
		case "DEALPILOT_DB":
			return filepath.Join(dir, "dealpilot.db")
		case "DEALPILOT_CONFIG":
			return config
		}
		return ""
	}
	files, _ := filepath.Glob("../../crm/testdata/*")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") || strings.HasSuffix(path, ".yaml") {
			continue
		}
		base := strings.TrimSuffix(path, filepath.Ext(path))
		want, err := os.ReadFile(base + ".golden")
		if err != nil || bytes.HasPrefix(want, []byte("refused: ")) {
			continue // no golden (crm's test says so), or a refusal crm words alone
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			args := []string{"import", path, "--dry-run"}
			if _, err := os.Stat(base + ".mapping.yaml"); err == nil {
				args = append(args, "--mapping", base+".mapping.yaml")
			}
			var out, errOut bytes.Buffer
			if code := Main(context.Background(), args, &out, &errOut, getenv); code != exitOK {
				t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
			}
			if got := out.String(); got != string(want)+"dry run: nothing written\n" {
				t.Errorf("dealpilot import %s --dry-run prints:\n%s--- crm's golden:\n%s", filepath.Base(path), got, want)
			}
		})
	}
	if n < 10 {
		t.Errorf("%d fixtures compared, want at least 10", n)
	}
}
