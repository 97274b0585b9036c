package export_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/export"
	"github.com/dealpilot/dealpilot/store"
)

// TestCRMExportAttributes: --for a CRM writes, after the CRM's columns,
// one column per segment attribute the deals carry, in name order, headed
// by its name; attr.<name> when the name is already one of the CRM's
// headers (an attribute "amount" beside HubSpot's Amount). Deals without
// attributes add no column.
func TestCRMExportAttributes(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "x.db"), store.Options{Clock: domain.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	header := func() []string {
		tab, err := export.Open(ctx, db, "deals", "hubspot")
		if err != nil {
			t.Fatal(err)
		}
		return tab.Header
	}
	plain := header()
	d := &domain.Deal{Name: "Acme", Account: "Acme", Owner: "U0LEA", Amount: 100, Currency: "EUR", Stage: "Discovery",
		Category: domain.Pipeline, Status: domain.Open, CloseDate: domain.NewDate(2026, 12, 20)}
	if _, err := db.CreateDeal(ctx, d, "U0LEA", ""); err != nil {
		t.Fatal(err)
	}
	if got := header(); !slices.Equal(got, plain) {
		t.Errorf("deals without attributes: header %v, want %v", got, plain)
	}
	d2 := *d
	d2.Name = "Globex"
	d2.SetAttr("industry", "retail")
	d2.SetAttr("amount", "large")
	if _, err := db.CreateDeal(ctx, &d2, "U0LEA", ""); err != nil {
		t.Fatal(err)
	}
	got := header()
	if want := strings.Join(append(slices.Clone(plain), "attr.amount", "industry"), ","); strings.Join(got, ",") != want {
		t.Errorf("header %v\nwant %s", got, want)
	}
}
