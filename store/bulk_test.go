package store

import (
	"context"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

func TestImportDealsWritesThePastFirst(t *testing.T) {
	clock := domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	db := openTest(t, clock)
	ctx := context.Background()
	mustCreate(t, db, newDeal("Before", "Acme", "U01", "2026-12-01", ""), "U01")
	past := []domain.HistoryEntry{
		{At: clock.Now().Add(-48 * time.Hour), By: "U02", Field: domain.FieldAmount, Old: "100", New: "200"},
		{At: clock.Now().Add(-24 * time.Hour), By: "U02", Field: domain.FieldStage, Old: "Discovery", New: "Qualification"},
	}
	ids, err := db.ImportDeals(ctx, []Imported{
		{Deal: newDeal("Imported one", "Globex", "U02", "2026-12-10", ""), By: "U02", History: past},
		{Deal: newDeal("Imported two", "Initech", "U03", "2026-12-11", ""), By: "U03"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != 2 || ids[1] != 3 {
		t.Fatalf("ids = %v, want [2 3]", ids)
	}
	hist, err := db.History(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) < 3 || hist[0].Field != domain.FieldAmount || hist[1].Field != domain.FieldStage || !hist[0].At.Equal(past[0].At) {
		t.Fatalf("history = %+v, want the imported past first", hist)
	}
	for _, e := range hist[2:] {
		if !e.At.Equal(clock.Now()) || e.By != "U02" {
			t.Errorf("creation entry %+v, want now by U02", e)
		}
	}
	if d := mustDeal(t, db, ids[1]); d.Name != "Imported two" || d.Version != 1 {
		t.Errorf("deal = %+v", d)
	}
	if got, err := db.Deals(ctx, domain.DealFilter{Words: []string{"globex"}}); err != nil || len(got) != 1 {
		t.Errorf("the word index misses the imported deal: %v %v", got, err)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
}
