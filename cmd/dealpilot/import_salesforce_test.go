package main

import (
	"context"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// A Salesforce report gives 15-character ids, a Data Loader export the
// 18-character ids of the same records.
const (
	sfReport = "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Opportunity Owner\n" +
		"0063000000XyZab,Acme renewal,Acme,Negotiation/Review,12000,2026-12-15,Léa Martin\n"
	sfDataLoader = "Id,Name,Account Name,StageName,Amount,CloseDate,OwnerId\n" +
		"0063000000XyZabAAF,Acme renewal,Acme,Negotiation/Review,13000,2026-12-15,U0REP1\n"
)

// TestImportSalesforceIDsOfBothLengths: a deal imported from a report is
// found again by a Data Loader export's 18-character id (updated, not
// duplicated), and the other way round.
func TestImportSalesforceIDsOfBothLengths(t *testing.T) {
	r := newImportRun(t)
	if code, out, errOut := r.run(sfReport); code != exitOK {
		t.Fatalf("report: exit %d: %s%s", code, out, errOut)
	}
	ds := r.deals()
	if len(ds) != 1 || ds[0].ExternalID != "salesforce:0063000000XyZabAAF" {
		t.Fatalf("after the report: %d deals, %+v", len(ds), ds)
	}
	code, out, errOut := r.run(sfDataLoader)
	mustContain(t, "the Data Loader export", out, `line 2: update    D-1 "Acme renewal": amount 12000.00 EUR → 13000.00 EUR`)
	if code != exitOK || len(r.deals()) != 1 {
		t.Fatalf("Data Loader: exit %d, %d deals: %s%s", code, len(r.deals()), out, errOut)
	}
	_, out, _ = r.run(strings.Replace(sfReport, "12000", "13000", 1))
	mustContain(t, "the report again", out, "line 2: unchanged D-1", "total: 1 unchanged")
}

// TestImportFindsSalesforceDealsKeptBy15: a deal an older import kept under
// its 15-character id is found by the 18-character one, updated, and kept
// under the 18-character key from then on.
func TestImportFindsSalesforceDealsKeptBy15(t *testing.T) {
	// The deal as an import of the report makes it, kept as older imports
	// kept it: under the 15-character key.
	model := newImportRun(t)
	if code, out, errOut := model.run(sfReport); code != exitOK {
		t.Fatalf("report: exit %d: %s%s", code, out, errOut)
	}
	d := *model.deals()[0]
	d.ID, d.Version, d.ExternalID = 0, 0, ""
	base := map[domain.Field]string{domain.FieldName: "Acme renewal", domain.FieldAmount: "1200000"}

	r := newImportRun(t)
	db, err := store.Open(r.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.ApplyImport(ctx, "import", []store.ImportItem{{ExternalID: "salesforce:0063000000XyZab", Create: &d, Base: base}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errOut := r.run(sfDataLoader)
	mustContain(t, "the Data Loader export", out, `line 2: update    D-1 "Acme renewal": amount 12000.00 EUR → 13000.00 EUR`)
	if code != exitOK || len(r.deals()) != 1 || r.deals()[0].Amount != 1300000 {
		t.Fatalf("Data Loader: exit %d, %d deals: %s%s", code, len(r.deals()), out, errOut)
	}
	db, err = store.Open(r.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	found, err := db.ImportedDeals(ctx, []string{"salesforce:0063000000XyZab", "salesforce:0063000000XyZabAAF"})
	if _, old := found["salesforce:0063000000XyZab"]; err != nil || old || found["salesforce:0063000000XyZabAAF"].Base[domain.FieldAmount] != "1300000" {
		t.Errorf("kept keys after the move: %+v, %v", found, err)
	}
}
