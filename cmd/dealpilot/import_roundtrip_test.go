package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestImportRoundTripFromExport: dealpilot export's deals, imported into an
// empty file, are the same deals (every field but the approved discount,
// which only the deal desk grants), each known by its CRM id or by
// "dealpilot:" and its ref; importing the export again changes nothing.
// Texts the export neutralised with an apostrophe ("+33 renewal",
// "-20% …") come back as they were typed. Segment attributes travel as
// attr.<name> columns, read back against the configuration's segments:.
func TestImportRoundTripFromExport(t *testing.T) {
	r := newImportRun(t)
	segments := "segments:\n  - { name: industry, values: [Retail, Software] }\n  - { name: size, values: [\"1-50\", \"51-200\"] }\n"
	if err := os.WriteFile(r.config, []byte(importConfig+segments), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srcPath := filepath.Join(r.dir, "source.db")
	src, err := store.Open(srcPath, store.Options{Clock: domain.ClockFunc(reportNow)})
	if err != nil {
		t.Fatal(err)
	}
	day := domain.NewDate(2027, 1, 15)
	open := &domain.Deal{Name: "Acme, \"phase 2\"", Account: "Acme", Owner: "U0REP1", Amount: 1234550, Currency: "EUR",
		Stage: "Proposal", Category: domain.BestCase, CloseDate: day, Need: "CRM for 40 reps\nand a mobile app", DecisionMakers: "CFO",
		Budget: "50k", Timeline: "Q1", Risk: "-20% if legal drags", NextStep: "Send the proposal", NextStepDue: day.AddDays(-10), Status: domain.Open}
	lost := &domain.Deal{Name: "+33 renewal", Account: "Globex", Owner: "U0REP2", Amount: 900000, Currency: "USD", Stage: "Demo",
		Category: domain.Upside, CloseDate: day.AddDays(-40), Status: domain.Lost, LossReason: "price", Competitor: "Rival Inc"}
	won := &domain.Deal{Name: "Initech", Account: "Initech", Owner: "U0REP1", Amount: 500000, Currency: "EUR", Stage: "Closing",
		Category: domain.Commit, CloseDate: day.AddDays(-30), Status: domain.Won,
		// Issue 20: the contract and who is credited come back too.
		Type: domain.TypeRenewal, TermMonths: 12, Recurring: 2_400_050,
		Splits: []domain.Split{{User: "U0REP1", Share: 6000}, {User: "U0REP2", Share: 4000}, {User: "U0REP3", Share: 1000, Overlay: true}}}
	open.SetAttr("industry", "Retail")
	open.SetAttr("size", "51-200")
	won.SetAttr("industry", "Software")
	for _, d := range []*domain.Deal{open, lost, won} {
		if _, err := src.CreateDeal(ctx, d, d.Owner, ""); err != nil {
			t.Fatal(err)
		}
	}
	fromCRM := &domain.Deal{Name: "Umbrella", Account: "Umbrella", Owner: "U0REP2", Amount: 100, Currency: "EUR", Stage: "Discovery",
		Category: domain.Pipeline, CloseDate: day, Status: domain.Open}
	if _, err := src.ApplyImport(ctx, "import", []store.ImportItem{{ExternalID: "hubspot:77", Create: fromCRM}}); err != nil {
		t.Fatal(err)
	}
	want, err := src.Deals(ctx, domain.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	src.Close()

	csvPath := filepath.Join(r.dir, "export.csv")
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "DEALPILOT_DB" {
			return srcPath
		}
		return ""
	}
	if code := Main(ctx, []string{"export", "-o", csvPath}, &out, &errOut, getenv); code != exitOK {
		t.Fatalf("export exit %d: %s", code, errOut.String())
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}

	code, report, errText := r.run(string(data))
	if code != exitOK {
		t.Fatalf("import of the export: exit %d\n%s%s", code, report, errText)
	}
	mustContain(t, "the import of an export", report, "(dealpilot), UTF-8", "total: 4 create")
	got := r.deals()
	if len(got) != len(want) {
		t.Fatalf("%d deals imported, want %d", len(got), len(want))
	}
	fields := []domain.Field{domain.FieldName, domain.FieldAccount, domain.FieldOwner, domain.FieldAmount, domain.FieldCurrency,
		domain.FieldStage, domain.FieldCategory, domain.FieldCloseDate, domain.FieldNeed, domain.FieldDecisionMakers, domain.FieldBudget,
		domain.FieldTimeline, domain.FieldRisk, domain.FieldNextStep, domain.FieldNextStepDue, domain.FieldStatus,
		domain.FieldLossReason, domain.FieldCompetitor, domain.AttrField("industry"), domain.AttrField("size"),
		domain.FieldType, domain.FieldTerm, domain.FieldRecurring, domain.FieldSplits}
	mustContain(t, "the import of an export", report, `segment attributes: industry from "attr.industry", size from "attr.size"`, "industry Retail, size 51-200")
	for i, w := range want {
		g := got[i]
		for _, f := range fields {
			if g.Get(f) != w.Get(f) {
				t.Errorf("%s %s: imported %q, exported %q", w.ID.Ref(), f, g.Get(f), w.Get(f))
			}
		}
		wantExt := w.ExternalID
		if wantExt == "" {
			wantExt = "dealpilot:" + w.ID.Ref()
		}
		if g.ExternalID != wantExt {
			t.Errorf("%s: external id %q, want %q", w.ID.Ref(), g.ExternalID, wantExt)
		}
	}

	code, report, _ = r.run(string(data))
	if code != exitOK {
		t.Fatalf("re-import exit %d", code)
	}
	mustContain(t, "the re-import of the export", report, "total: 4 unchanged", "nothing to write")
}

// TestImportRefusesExportedFormula: a name that is a formula, which the
// export wrote with an apostrophe so no spreadsheet runs it, is refused by
// the import once the apostrophe is dropped, with a message saying what to
// remove, and nothing is written.
func TestImportRefusesExportedFormula(t *testing.T) {
	r := newImportRun(t)
	ctx := context.Background()
	srcPath := filepath.Join(r.dir, "source.db")
	src, err := store.Open(srcPath, store.Options{Clock: domain.ClockFunc(reportNow)})
	if err != nil {
		t.Fatal(err)
	}
	d := &domain.Deal{Name: `=HYPERLINK("http://evil.example","x")`, Account: "Acme", Owner: "U0REP1", Amount: 100, Currency: "EUR",
		Stage: "Proposal", Category: domain.BestCase, CloseDate: domain.NewDate(2027, 1, 15), Status: domain.Open}
	if _, err := src.CreateDeal(ctx, d, d.Owner, ""); err != nil {
		t.Fatal(err)
	}
	src.Close()
	csvPath := filepath.Join(r.dir, "export.csv")
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "DEALPILOT_DB" {
			return srcPath
		}
		return ""
	}
	if code := Main(ctx, []string{"export", "-o", csvPath}, &out, &errOut, getenv); code != exitOK {
		t.Fatalf("export exit %d: %s", code, errOut.String())
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	code, report, _ := r.run(string(data))
	mustContain(t, "the import of an exported formula", report,
		`starts like a spreadsheet formula once its apostrophe is dropped; remove the leading "'="`, "nothing written")
	if code != exitFailed || len(r.deals()) != 0 {
		t.Errorf("exit %d, %d deals: a formula was imported", code, len(r.deals()))
	}
}
