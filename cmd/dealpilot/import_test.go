package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

const importConfig = sample.Config + `import:
  stages:
    - crm: Verbal agreement
      stage: Closing
  owners:
    Léa Martin: U0REP1
    hugo@example.com: U0REP2
`

type importRun struct {
	t      *testing.T
	dir    string
	db     string
	config string
}

func newImportRun(t *testing.T) *importRun {
	t.Helper()
	dir := t.TempDir()
	r := &importRun{t: t, dir: dir, db: filepath.Join(dir, "dealpilot.db"), config: filepath.Join(dir, "dealpilot.yaml")}
	if err := os.WriteFile(r.config, []byte(importConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	saved := reportNow
	reportNow = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { reportNow = saved })
	return r
}

// run imports content (a CSV) with args; it returns the exit code, stdout
// and stderr.
func (r *importRun) run(content string, args ...string) (int, string, string) {
	r.t.Helper()
	path := filepath.Join(r.dir, "deals.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		switch k {
		case "DEALPILOT_DB":
			return r.db
		case "DEALPILOT_CONFIG":
			return r.config
		}
		return ""
	}
	code := Main(context.Background(), append([]string{"import", path}, args...), &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

func (r *importRun) deals() []*domain.Deal {
	r.t.Helper()
	db, err := store.Open(r.db, store.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.Deals(context.Background(), domain.DealFilter{})
	if err != nil {
		r.t.Fatal(err)
	}
	return ds
}

func (r *importRun) history(id domain.DealID) []domain.HistoryEntry {
	r.t.Helper()
	db, err := store.Open(r.db, store.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	h, err := db.History(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

const hubspotV1 = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
	"11,Acme renewal,Contract Sent,2026-12-15,Léa Martin,12000,Acme,Send the order form\n" +
	"12,Globex rollout,Verbal agreement,2027-01-20,hugo@example.com,\"4,500.50\",Globex,\n"

func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, s)
		}
	}
}

// TestImportRoundsOfOneCRM: a dry run writes nothing; the import creates
// the deals with their CRM ids; importing the same file again changes
// nothing; a newer export updates only what it changed, with history by
// the import; a field also changed in dealpilot is a conflict, kept as
// dealpilot has it, until --prefer-file.
func TestImportRoundsOfOneCRM(t *testing.T) {
	r := newImportRun(t)

	code, out, errOut := r.run(hubspotV1, "--dry-run")
	if code != exitOK {
		t.Fatalf("dry run exit %d: %s%s", code, out, errOut)
	}
	mustContain(t, "the dry run", out, `line 2: create    "Acme renewal" (hubspot:11)`, `line 3: create    "Globex rollout" (hubspot:12): Globex, Closing, 4500.50 EUR`, "total: 2 create", "dry run: nothing written")
	if n := len(r.deals()); n != 0 {
		t.Fatalf("%d deals after a dry run", n)
	}

	code, out, errOut = r.run(hubspotV1)
	if code != exitOK {
		t.Fatalf("import exit %d: %s%s", code, out, errOut)
	}
	mustContain(t, "the import", out, `written: 2 created, 0 updated (history by "import")`)
	ds := r.deals()
	if len(ds) != 2 {
		t.Fatalf("%d deals", len(ds))
	}
	acme := ds[0]
	if acme.Name != "Acme renewal" || acme.ExternalID != "hubspot:11" || acme.Owner != "U0REP1" || acme.Amount != 1200000 || acme.CreatedBy != "import" ||
		acme.NextStep != "Send the order form" || acme.NextStepDue.String() != "2026-12-01" || acme.Stage != "Negotiation" {
		t.Errorf("Acme = %+v", acme)
	}

	code, out, _ = r.run(hubspotV1)
	if code != exitOK {
		t.Fatalf("re-import exit %d", code)
	}
	mustContain(t, "the re-import", out, "line 2: unchanged D-1", "line 3: unchanged D-2", "total: 2 unchanged", "nothing to write")
	if again := r.deals(); again[0].Version != acme.Version || again[1].Version != ds[1].Version {
		t.Error("a re-import of the same file changed a deal's version")
	}

	// In dealpilot, Léa raises Acme's amount.
	db, err := store.Open(r.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.UpdateDeal(context.Background(), acme.ID, 0, "U0REP1", func(d *domain.Deal) error { d.Amount = 1500000; return nil }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// The newer export moves Acme's amount and close date, and renames Globex.
	v2 := strings.NewReplacer("2026-12-15,Léa Martin,12000", "2027-01-10,Léa Martin,13000", "Globex rollout", "Globex rollout EU").Replace(hubspotV1)
	code, out, errOut = r.run(v2)
	if code != exitOK {
		t.Fatalf("newer export exit %d: %s%s", code, out, errOut)
	}
	mustContain(t, "the newer export", out,
		`line 2: conflict  D-1 "Acme renewal": close_date "2026-12-15" → "2027-01-10"; amount changed in dealpilot (15000.00 EUR) and in the file (13000.00 EUR): dealpilot's kept`,
		`line 3: update    D-2 "Globex rollout": name "Globex rollout" → "Globex rollout EU"`,
		"written: 0 created, 2 updated")
	ds = r.deals()
	if ds[0].Amount != 1500000 || ds[0].CloseDate.String() != "2027-01-10" || ds[1].Name != "Globex rollout EU" {
		t.Errorf("after the newer export: %+v / %+v", ds[0], ds[1])
	}
	h := r.history(ds[1].ID)
	if last := h[len(h)-1]; last.Field != domain.FieldName || last.By != "import" || last.Old != "Globex rollout" {
		t.Errorf("Globex's last history entry: %+v", last)
	}

	// The same export again: the conflict stands until someone settles it;
	// nothing moves.
	code, out, _ = r.run(v2)
	mustContain(t, "the newer export again", out, "line 2: conflict", "line 3: unchanged D-2", "total: 1 unchanged, 1 conflict")
	if code != exitOK {
		t.Errorf("exit %d", code)
	}

	// A third export changes the amount again: --prefer-file takes it.
	v3 := strings.Replace(v2, "Léa Martin,13000", "Léa Martin,14000", 1)
	_, out, _ = r.run(v3, "--dry-run")
	mustContain(t, "a conflicting export", out, "line 2: conflict", "dealpilot's kept")
	code, out, _ = r.run(v3, "--prefer-file")
	mustContain(t, "--prefer-file", out, `line 2: update    D-1 "Acme renewal": amount 15000.00 EUR → 14000.00 EUR`)
	if code != exitOK || r.deals()[0].Amount != 1400000 {
		t.Errorf("--prefer-file: exit %d, amount %d", code, r.deals()[0].Amount)
	}
}

// TestImportPreferFileAfterConflict: a written import that reported a
// conflict keeps the field's old base, so the same file imported again
// reports the conflict again, and with --prefer-file the file's value wins,
// with history by the import.
func TestImportPreferFileAfterConflict(t *testing.T) {
	r := newImportRun(t)
	if code, out, errOut := r.run(hubspotV1); code != exitOK {
		t.Fatalf("import exit %d: %s%s", code, out, errOut)
	}
	acme := r.deals()[0]
	db, err := store.Open(r.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.UpdateDeal(context.Background(), acme.ID, 0, "U0REP1", func(d *domain.Deal) error { d.Amount = 1500000; return nil }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	v2 := strings.Replace(hubspotV1, "Léa Martin,12000", "Léa Martin,13000", 1)
	code, out, _ := r.run(v2)
	mustContain(t, "the newer export", out, "line 2: conflict", "dealpilot's kept")
	if code != exitOK || r.deals()[0].Amount != 1500000 {
		t.Fatalf("newer export: exit %d, amount %d", code, r.deals()[0].Amount)
	}

	_, out, _ = r.run(v2)
	mustContain(t, "the newer export again", out, "line 2: conflict", "amount changed in dealpilot (15000.00 EUR) and in the file (13000.00 EUR): dealpilot's kept")
	if r.deals()[0].Amount != 1500000 {
		t.Fatalf("the conflict moved the amount to %d", r.deals()[0].Amount)
	}

	code, out, _ = r.run(v2, "--prefer-file")
	mustContain(t, "--prefer-file", out, `line 2: update    D-1 "Acme renewal": amount 15000.00 EUR → 13000.00 EUR`, "written: 0 created, 1 updated")
	if code != exitOK || r.deals()[0].Amount != 1300000 {
		t.Fatalf("--prefer-file: exit %d, amount %d", code, r.deals()[0].Amount)
	}
	h := r.history(acme.ID)
	if last := h[len(h)-1]; last.Field != domain.FieldAmount || last.By != "import" || last.Old != "1500000" || last.New != "1300000" {
		t.Errorf("Acme's last history entry: %+v", last)
	}
}

// TestImportWritesNothingUnlessAllValid: one invalid row stops the whole
// import unless --skip-invalid; a file that cannot be read writes nothing.
func TestImportWritesNothingUnlessAllValid(t *testing.T) {
	r := newImportRun(t)
	bad := hubspotV1 + "13,Initech,Contract Sent,2026-12-15,j.doe@example.com,100,Initech,\n"
	code, out, _ := r.run(bad)
	mustContain(t, "an import with an invalid row", out,
		`line 4: invalid   Deal owner: unknown owner "j.doe@example.com"`, "nothing written: 1 invalid rows; fix them, or pass --skip-invalid")
	if code != exitFailed || len(r.deals()) != 0 {
		t.Fatalf("exit %d, %d deals", code, len(r.deals()))
	}
	code, out, _ = r.run(bad, "--skip-invalid")
	mustContain(t, "--skip-invalid", out, "written: 2 created", "skipped: 1 invalid rows")
	if code != exitOK || len(r.deals()) != 2 {
		t.Fatalf("exit %d, %d deals", code, len(r.deals()))
	}

	for name, content := range map[string]string{
		"truncated": hubspotV1 + "14,\"Hooli,Contract Sent,2026-12-15\n",
		"latin1":    strings.Replace(hubspotV1, "Léa", "L\xe9a", 1),
		"10MB":      hubspotV1 + "15,\"" + strings.Repeat("x", 10<<20) + "\",Contract Sent,2026-12-15,Léa Martin,1,A,\n",
	} {
		code, out, errOut := r.run(content)
		if code != exitFailed || out != "" || !strings.Contains(errOut, "nothing imported") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
		if n := len(r.deals()); n != 2 {
			t.Errorf("%s: %d deals after a refused file", name, n)
		}
	}
}

func TestImportUsage(t *testing.T) {
	r := newImportRun(t)
	for _, args := range [][]string{{"--dates", "ymd"}, {"--mapping", filepath.Join(r.dir, "none.yaml")}} {
		if code, _, _ := r.run(hubspotV1, args...); code != exitUsage {
			t.Errorf("import %v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestImportKeepsCRMCreationDate: a deal imported from a file with the
// CRM's creation date is created on that day (midnight in the team's zone,
// which the KPIs' cycle reads), a future one leaves the import's time, and
// every history entry is at or after the deal's creation.
func TestImportKeepsCRMCreationDate(t *testing.T) {
	r := newImportRun(t)
	file := "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step,Create Date\n" +
		"11,Acme renewal,Contract Sent,2026-12-15,Léa Martin,12000,Acme,Send the order form,2026-09-01\n" +
		"12,Globex rollout,Contract Sent,2027-01-20,hugo@example.com,4500,Globex,,2027-01-01\n"
	code, out, errOut := r.run(file)
	if code != exitOK {
		t.Fatalf("import exit %d: %s%s", code, out, errOut)
	}
	mustContain(t, "the import", out, "created 2027-01-01, after today: dated from the import")
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	want := map[string]time.Time{
		"Acme renewal":   time.Date(2026, 9, 1, 0, 0, 0, 0, loc),
		"Globex rollout": reportNow(),
	}
	for _, d := range r.deals() {
		if !d.CreatedAt.Equal(want[d.Name]) {
			t.Errorf("%s created %v, want %v", d.Name, d.CreatedAt, want[d.Name])
		}
		for _, e := range r.history(d.ID) {
			if e.At.Before(d.CreatedAt) {
				t.Errorf("%s: history entry %s at %v, before its creation %v", d.Name, e.Field, e.At, d.CreatedAt)
			}
		}
	}
}

// TestImportMappingAttributes: a mapping file's attr.industry: Sector
// imports the column into the segment attribute, as configured (the dry
// run names it); a mapping naming an attribute the configuration lacks is
// refused before anything is read, nothing imported.
func TestImportMappingAttributes(t *testing.T) {
	r := newImportRun(t)
	if err := os.WriteFile(r.config, []byte(importConfig+"segments:\n  - { name: industry, values: [retail, software] }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mapping := filepath.Join(r.dir, "mapping.yaml")
	write := func(s string) {
		if err := os.WriteFile(mapping, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const base = "external_id: Ref\nname: Opportunity\naccount: Customer\nstage: Phase\nowner: Rep\namount: Value\nclose_date: Close\n"
	file := "Ref,Opportunity,Customer,Phase,Rep,Value,Close,Sector\n" +
		"R1,Acme renewal,Acme,Closing,Léa Martin,12000,2026-12-15,RETAIL\n" +
		"R2,Globex rollout,Globex,Closing,Léa Martin,4500,2027-01-20,Software\n"

	write(base + "attr.region: Area\n")
	code, out, errOut := r.run(file, "--mapping", mapping)
	if code != exitUsage || !strings.Contains(errOut, "mapping file: attr.region: not an attribute of segments: (industry)") || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("unknown attribute: exit %d: %s%s", code, out, errOut)
	}
	if n := len(r.deals()); n != 0 {
		t.Fatalf("%d deals after a refused mapping", n)
	}

	write(base + "attr.industry: Sector\n")
	code, out, errOut = r.run(file, "--mapping", mapping, "--dry-run")
	if code != exitOK || !strings.Contains(out, `segment attributes: industry from "Sector"`) {
		t.Fatalf("dry run: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut = r.run(file, "--mapping", mapping); code != exitOK {
		t.Fatalf("import: exit %d: %s%s", code, out, errOut)
	}
	got := map[string]string{}
	for _, d := range r.deals() {
		got[d.Name] = d.Attributes.Get("industry")
	}
	if got["Acme renewal"] != "retail" || got["Globex rollout"] != "software" {
		t.Errorf("attributes imported = %v", got)
	}
}
