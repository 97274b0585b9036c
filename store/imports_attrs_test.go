package store

import (
	"context"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestApplyImportAttributes: the segment values an import writes are the
// deal's, with history by the import, and its account remembers them; a
// later import that changes one moves both, and one that clears it leaves
// the account's value (its other deals may hold it).
func TestApplyImportAttributes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	d := newDeal("Acme renewal", "Acme", "U1", "2026-12-15", "")
	d.SetAttr("industry", "Retail")
	ids, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:101", Create: d,
		Base: map[domain.Field]string{domain.AttrField("industry"): "Retail"}}})
	if err != nil {
		t.Fatal(err)
	}
	got := mustDeal(t, db, ids[0])
	if got.Attributes.Get("industry") != "Retail" {
		t.Errorf("deal attributes = %v", got.Attributes.Map())
	}
	account := func() map[string]string {
		t.Helper()
		a, ok, err := db.Account(ctx, "Acme")
		if err != nil || !ok {
			t.Fatalf("Account = %v, %v, %v", a, ok, err)
		}
		return a.Attributes
	}
	if v := account()["industry"]; v != "Retail" {
		t.Errorf("account industry = %q after create, want Retail", v)
	}

	after := *got
	after.SetAttr("industry", "Software")
	if _, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:101", Update: got.ID, Version: got.Version, After: &after,
		Base: map[domain.Field]string{domain.AttrField("industry"): "Software"}}}); err != nil {
		t.Fatal(err)
	}
	got = mustDeal(t, db, ids[0])
	if got.Attributes.Get("industry") != "Software" || account()["industry"] != "Software" {
		t.Errorf("after update: deal %v, account %v", got.Attributes.Map(), account())
	}
	hs, err := db.History(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	var moved bool
	for _, h := range hs {
		moved = moved || (h.Field == domain.AttrField("industry") && h.By == importer && h.Old == "Retail" && h.New == "Software")
	}
	if !moved {
		t.Errorf("no history of industry Retail → Software by the import: %+v", hs)
	}

	after = *got
	after.SetAttr("industry", "")
	if _, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:101", Update: got.ID, Version: got.Version, After: &after,
		Base: map[domain.Field]string{domain.AttrField("industry"): ""}}}); err != nil {
		t.Fatal(err)
	}
	if got = mustDeal(t, db, ids[0]); got.Attributes.Get("industry") != "" || account()["industry"] != "Software" {
		t.Errorf("after clearing: deal %v, account %v", got.Attributes.Map(), account())
	}
}
