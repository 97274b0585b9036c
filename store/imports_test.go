package store

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

const importer domain.UserID = "import"

func TestApplyImportCreatesThenUpdatesByExternalID(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	d := newDeal("Acme renewal", "Acme", "U1", "2026-12-15", "")
	base := map[domain.Field]string{domain.FieldName: "Acme renewal", domain.FieldAmount: "12000000"}

	ids, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:101", Create: d, Base: base}})
	if err != nil || len(ids) != 1 {
		t.Fatalf("ApplyImport = %v, %v", ids, err)
	}
	got := mustDeal(t, db, ids[0])
	if got.ExternalID != "hubspot:101" || got.CreatedBy != importer {
		t.Errorf("created %+v", got)
	}
	found, err := db.ImportedDeals(ctx, []string{"hubspot:101", "hubspot:999"})
	if err != nil || len(found) != 1 || found["hubspot:101"].Deal.ID != ids[0] || found["hubspot:101"].Base[domain.FieldName] != "Acme renewal" {
		t.Fatalf("ImportedDeals = %+v, %v", found, err)
	}

	// The same external id is never created twice.
	if _, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:101", Create: d}}); err == nil {
		t.Error("a second create of hubspot:101 was accepted")
	}

	after := *got
	after.Amount = 15_000_00
	_, err = db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:101", Update: got.ID, Version: got.Version, After: &after, Base: base}})
	if err != nil {
		t.Fatal(err)
	}
	upd := mustDeal(t, db, got.ID)
	if upd.Amount != 15_000_00 || upd.Version != 2 || upd.UpdatedBy != importer || upd.ExternalID != "hubspot:101" {
		t.Errorf("updated %+v", upd)
	}
	h := mustHistory(t, db, got.ID)
	last := h[len(h)-1]
	if last.Field != domain.FieldAmount || last.By != importer || last.Version != 2 {
		t.Errorf("last history entry %+v", last)
	}
}

// TestApplyImportIsAllOrNothing: an item that cannot be written (a deal
// changed since the plan) leaves every item of the call unwritten.
func TestApplyImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	ids, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "pipedrive:7", Create: newDeal("Globex", "Globex", "U1", "2026-12-15", "")}})
	if err != nil {
		t.Fatal(err)
	}
	cur := mustDeal(t, db, ids[0])
	// Someone changes the deal in dealpilot after the import read it.
	if _, _, err := db.UpdateDeal(ctx, cur.ID, cur.Version, "U1", func(d *domain.Deal) error { d.Account = "Globex Corp"; return nil }); err != nil {
		t.Fatal(err)
	}
	after := *cur
	after.Name = "Globex 2"
	_, err = db.ApplyImport(ctx, importer, []ImportItem{
		{ExternalID: "pipedrive:8", Create: newDeal("Initech", "Initech", "U1", "2026-12-15", "")},
		{ExternalID: "pipedrive:7", Update: cur.ID, Version: cur.Version, After: &after},
	})
	if !errors.Is(err, ErrImportConflict) {
		t.Fatalf("ApplyImport = %v, want ErrImportConflict", err)
	}
	found, _ := db.ImportedDeals(ctx, []string{"pipedrive:8"})
	if len(found) != 0 {
		t.Error("pipedrive:8 was created by a call that failed")
	}
	if ds, _ := db.Deals(ctx, domain.DealFilter{}); len(ds) != 1 {
		t.Errorf("%d deals after a failed import, want 1", len(ds))
	}
}

func TestApplyImportRefusesUnknownUpdate(t *testing.T) {
	db := openTest(t, newClock(0))
	_, err := db.ApplyImport(context.Background(), importer, []ImportItem{{ExternalID: "salesforce:006x", After: &domain.Deal{}}})
	if err == nil || !strings.Contains(err.Error(), "never imported") {
		t.Errorf("ApplyImport = %v", err)
	}
	_, err = db.ApplyImport(context.Background(), importer, []ImportItem{{Create: newDeal("a", "b", "U1", "2026-12-15", "")}})
	if err == nil || !strings.Contains(err.Error(), "without external id") {
		t.Errorf("ApplyImport = %v", err)
	}
}

// TestApplyImportCreatedAt: a deal an import creates is created at the
// CRM's creation date when it has one that is not in the future, else at
// the import; its history is written at the import, so no entry is dated
// before its creation.
func TestApplyImportCreatedAt(t *testing.T) {
	tests := []struct {
		name    string
		created time.Time
		want    time.Time
	}{
		{"CRMDate", t0.AddDate(0, -3, 0), t0.AddDate(0, -3, 0)},
		{"Now", t0, t0},
		{"NoDate", time.Time{}, t0},
		{"Future", t0.Add(time.Hour), t0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, newClock(0))
			d := newDeal("Acme renewal", "Acme", "U1", "2026-12-15", "")
			d.CreatedAt = tt.created
			ids, err := db.ApplyImport(context.Background(), importer, []ImportItem{{ExternalID: "hubspot:101", Create: d}})
			if err != nil {
				t.Fatal(err)
			}
			got := mustDeal(t, db, ids[0])
			if !got.CreatedAt.Equal(tt.want) || !got.UpdatedAt.Equal(t0) {
				t.Errorf("created %v, updated %v; want created %v, updated %v", got.CreatedAt, got.UpdatedAt, tt.want, t0)
			}
			for _, e := range mustHistory(t, db, ids[0]) {
				if e.At.Before(got.CreatedAt) {
					t.Errorf("history entry %s at %v, before the deal's creation %v", e.Field, e.At, got.CreatedAt)
				}
			}
		})
	}
}

// TestApplyImportDatesACloseAtItsCloseDate: a deal the CRM already won or
// lost must not count as closed on the import's day (the KPIs date a close
// by its status entry, and a cycle runs to it): its whole first history is
// dated at noon UTC of its close date, kept between its creation and the
// import, all at one instant so no stay in its last stage is invented for
// the stall limits. Without a CRM creation date it was created at that
// close. An open deal's history is dated at the import.
func TestApplyImportDatesACloseAtItsCloseDate(t *testing.T) {
	created := t0.AddDate(0, -6, 0)
	noon := func(day string) time.Time { return date(day).Time(time.UTC).Add(12 * time.Hour) }
	tests := []struct {
		name        string
		status      domain.Status
		close       string
		created     time.Time
		wantCreated time.Time
		wantAt      time.Time // every first-history entry
		unknown     bool      // CreatedUnknown: no cycle
	}{
		{"Won", domain.Won, "2025-10-15", created, created, noon("2025-10-15"), false},
		{"Lost", domain.Lost, "2025-11-02", created, created, noon("2025-11-02"), false},
		{"NoCreationDate", domain.Won, "2025-10-15", time.Time{}, noon("2025-10-15"), noon("2025-10-15"), true},
		{"CreationInTheFuture", domain.Lost, "2025-10-15", t0.Add(time.Hour), noon("2025-10-15"), noon("2025-10-15"), true},
		{"ClosedAfterTheImport", domain.Won, "2026-05-01", created, created, t0, false},
		{"ClosedBeforeItsCreation", domain.Won, "2025-01-01", created, created, created, false},
		{"Open", domain.Open, "2026-05-01", created, created, t0, false},
		{"OpenNoCreationDate", domain.Open, "2026-05-01", time.Time{}, t0, t0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, newClock(0))
			d := newDeal("Acme renewal", "Acme", "U1", tt.close, "")
			d.CreatedAt, d.Status = tt.created, tt.status
			if tt.status == domain.Lost {
				d.LossReason, d.Competitor = "price", "Rival"
			}
			ids, err := db.ApplyImport(context.Background(), importer, []ImportItem{{ExternalID: "hubspot:7", Create: d}})
			if err != nil {
				t.Fatal(err)
			}
			got := mustDeal(t, db, ids[0])
			if !got.CreatedAt.Equal(tt.wantCreated) {
				t.Errorf("created %v, want %v", got.CreatedAt, tt.wantCreated)
			}
			for _, e := range mustHistory(t, db, ids[0]) {
				if !e.At.Equal(tt.wantAt) {
					t.Errorf("%s (%q) dated %v, want %v", e.Field, e.New, e.At, tt.wantAt)
				}
			}
			// Kept on the deal and in its digest, which /pipeline reads.
			if got.CreatedUnknown != tt.unknown {
				t.Errorf("CreatedUnknown %v, want %v", got.CreatedUnknown, tt.unknown)
			}
			n := 0
			err = db.PipelineView(context.Background(), []domain.UserID{"U1"}, 0, func(chunks iter.Seq[[]coaching.DealInput]) error {
				for ds := range chunks {
					for _, di := range ds {
						n++
						if di.Deal.CreatedUnknown != tt.unknown {
							t.Errorf("the digest's CreatedUnknown %v, want %v", di.Deal.CreatedUnknown, tt.unknown)
						}
					}
				}
				return nil
			})
			if err != nil || n != 1 {
				t.Fatalf("%d deals in the pipeline view (%v), want 1", n, err)
			}
		})
	}
}

// TestApplyImportDatesALaterCloseAtItsCloseDate: a deal an import made
// open, which a later export says the CRM won or lost, is closed at noon
// UTC of its CRM close date (the KPIs count the close in that period, not
// the import's), never after the import nor before the deal's last write
// (its history stays in time order); a change that does not close it is
// dated at the import.
func TestApplyImportDatesALaterCloseAtItsCloseDate(t *testing.T) {
	noon := func(day string) time.Time { return date(day).Time(time.UTC).Add(12 * time.Hour) }
	later := t0.AddDate(0, 2, 0) // the second import: 2026-04-02
	tests := []struct {
		name   string
		status domain.Status
		close  string
		wantAt time.Time
	}{
		{"WonAfterTheFirstImport", domain.Won, "2026-03-10", noon("2026-03-10")},
		{"LostAfterTheFirstImport", domain.Lost, "2026-03-20", noon("2026-03-20")},
		{"ClosedBeforeTheDealsLastWrite", domain.Won, "2026-01-15", t0},
		{"ClosedAfterTheImport", domain.Won, "2026-05-01", later},
		{"StillOpen", domain.Open, "2026-03-10", later},
		// Won at the first import (closed at 2026-01-20), its amount moved
		// since in the CRM: the change is dated at the second import.
		{"AlreadyClosed", domain.Won, "2026-01-20", later},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock(0)
			db := openTest(t, clk)
			d := newDeal("Acme renewal", "Acme", "U1", "2026-03-01", "")
			if tt.name == "AlreadyClosed" {
				d.Status, d.CloseDate = domain.Won, date("2026-01-20")
			}
			ids, err := db.ApplyImport(context.Background(), importer, []ImportItem{{ExternalID: "hubspot:8", Create: d}})
			if err != nil {
				t.Fatal(err)
			}
			cur := mustDeal(t, db, ids[0])
			after := *cur
			after.Status, after.CloseDate, after.Amount = tt.status, date(tt.close), cur.Amount+100
			if tt.status == domain.Lost {
				after.LossReason = "price"
			}
			clk.Advance(later.Sub(t0))
			if _, err := db.ApplyImport(context.Background(), importer, []ImportItem{{ExternalID: "hubspot:8", Update: cur.ID, Version: cur.Version, After: &after}}); err != nil {
				t.Fatal(err)
			}
			h := mustHistory(t, db, cur.ID)
			n := 0
			for _, e := range h {
				if e.Version == cur.Version+1 {
					n++
					if !e.At.Equal(tt.wantAt) {
						t.Errorf("%s (%q) dated %v, want %v", e.Field, e.New, e.At, tt.wantAt)
					}
				}
			}
			if n == 0 {
				t.Fatal("no history for the update")
			}
			for i := 1; i < len(h); i++ {
				if h[i].At.Before(h[i-1].At) {
					t.Errorf("history out of time order: %v after %v", h[i].At, h[i-1].At)
				}
			}
			if got := mustDeal(t, db, cur.ID); got.Status != tt.status || !got.UpdatedAt.Equal(tt.wantAt) {
				t.Errorf("deal %s updated %v, want %s at %v", got.Status, got.UpdatedAt, tt.status, tt.wantAt)
			}
		})
	}
}

// TestCreatedUnknownIsTheStores: whether a deal's creation date is known is
// set by the import that creates it, never by an update (as its creation
// time is the store's).
func TestCreatedUnknownIsTheStores(t *testing.T) {
	db := openTest(t, newClock(0))
	d := mustCreate(t, db, newDeal("Acme renewal", "Acme", "U1", "2026-12-15", ""), "U1")
	got, _, err := db.UpdateDeal(context.Background(), d.ID, 0, "U1", func(x *domain.Deal) error {
		x.CreatedUnknown, x.Amount = true, x.Amount+100
		return nil
	})
	if err != nil || got.CreatedUnknown || mustDeal(t, db, d.ID).CreatedUnknown {
		t.Errorf("an update set CreatedUnknown: %+v, %v", got, err)
	}
}
