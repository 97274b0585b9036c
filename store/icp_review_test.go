package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// TestDealAttributesStored: a deal's attributes are saved, read back,
// tracked in history, and writing the map given to fn (rather than
// through SetAttr) is still seen as a change.
func TestDealAttributesStored(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db := openPath(t, path, newClock(time.Second))
	nd := newDeal("Acme", "Acme", "U1", "2026-12-01", "")
	nd.SetAttr("industry", "retail")
	d, err := db.CreateDeal(ctx, nd, "U1", "")
	if err != nil {
		t.Fatal(err)
	}
	upd, changes, err := db.UpdateDeal(ctx, d.ID, 0, "U1", func(x *domain.Deal) error {
		x.SetAttr("industry", "software")
		x.SetAttr("region", "north")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || upd.Attributes.Get("industry") != "software" {
		t.Fatalf("changes = %+v, deal %v", changes, upd.Attributes)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPath(t, path, newClock(time.Second))
	got, err := db.Deal(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Attributes.Get("industry") != "software" || got.Attributes.Get("region") != "north" || got.Attributes.Len() != 2 {
		t.Errorf("read back %v", got.Attributes.Map())
	}
	hist, err := db.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var attrs []string
	for _, e := range hist {
		if _, ok := e.Field.Attr(); ok {
			attrs = append(attrs, string(e.Field)+"="+e.New)
		}
	}
	if len(attrs) != 3 || attrs[0] != "attr.industry=retail" || attrs[1] != "attr.industry=software" || attrs[2] != "attr.region=north" {
		t.Errorf("history = %v", attrs)
	}
	// A v1 record (no attributes) still reads.
	if d, err := decodeDeal(1, []byte(`{"v":1,"name":"x","account":"y","owner":"U1","amount":1,"currency":"EUR","stage":"s","category":"pipeline","status":"open","version":1}`)); err != nil || d.Attributes.Len() != 0 {
		t.Errorf("v1 record: %v, %v", d, err)
	}
}

// TestICPReviewKeptOnce: a quarter's review of a team is made once (a
// second save gets the first), survives a restart, and each proposal is
// decided once.
func TestICPReviewKeptOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db := openPath(t, path, newClock(0))
	p := segment.Posted{Quarter: "2026-Q3", From: date("2026-07-01"), To: date("2026-09-30"), Before: []string{"2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"},
		Team: "France", Manager: "U0MGR", FitNow: segment.Group{Won: 1, Lost: 4, WinRateBP: 2000, CycleMedianDays: 42}, MinDeals: 5, MadeAt: t0,
		Proposals: []segment.Decided{{Proposal: segment.Proposal{Kind: segment.Remove, Attribute: "industry", Value: "retail",
			Drift: segment.Drift{Attribute: "industry", Value: "retail", InICP: true, Now: segment.Group{Won: 1, Lost: 4, WinRateBP: 2000, CycleMedianDays: 42},
				Before: segment.Group{Won: 5, WinRateBP: 10000, CycleMedianDays: 41}, Quarters: []segment.Group{{}, {}, {Won: 5, WinRateBP: 10000, CycleMedianDays: 41}, {}}}}}},
	}
	kept, created, err := db.SaveICPReview(ctx, p)
	if err != nil || !created {
		t.Fatalf("first save: %v, created %v", err, created)
	}
	second := p
	second.Proposals = nil
	kept, created, err = db.SaveICPReview(ctx, second)
	if err != nil || created || len(kept.Proposals) != 1 {
		t.Fatalf("second save: %v, created %v, kept %+v", err, created, kept)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPath(t, path, newClock(0))
	got, ok, err := db.ICPReview(ctx, "2026-Q3", "France")
	if err != nil || !ok {
		t.Fatalf("ICPReview: %v %v", ok, err)
	}
	pr := got.Proposals[0]
	if pr.Kind != segment.Remove || pr.Drift.Before.WinRateBP != 10000 || len(pr.Drift.Quarters) != 4 || pr.Drift.Quarters[2].Won != 5 ||
		got.FitNow.CycleMedianDays != 42 || got.Before[0] != "2025-Q3" || got.From != date("2026-07-01") || !got.PostedAt.IsZero() {
		t.Errorf("read back %+v", got)
	}
	decide := func(d segment.Decision) error {
		_, err := db.UpdateICPReview(ctx, "2026-Q3", "France", func(x *segment.Posted) error { return x.Decide(0, d, "U0MGR", t0) })
		return err
	}
	if err := decide(segment.Accepted); err != nil {
		t.Fatal(err)
	}
	if err := decide(segment.Dismissed); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("second decision: %v", err)
	}
	if got, _, _ := db.ICPReview(ctx, "2026-Q3", "France"); got.Proposals[0].Decision != segment.Accepted || got.Proposals[0].By != "U0MGR" {
		t.Errorf("decision kept = %+v", got.Proposals[0])
	}
	if _, err := db.UpdateICPReview(ctx, "2026-Q2", "France", func(*segment.Posted) error { return nil }); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("no review: %v", err)
	}
	if _, ok, err := db.ICPReview(ctx, "2026-Q3", "Spain"); ok || err != nil {
		t.Errorf("another team's: %v %v", ok, err)
	}
}
