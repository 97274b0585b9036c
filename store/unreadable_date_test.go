package store

import (
	"context"
	"reflect"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestDateItCouldNotReadBackIsNotStored: a next step due on the zero date
// plus some days (year -1) used to be written as "-001-12-07", which the
// store then failed to read, hiding the deal from every list. The write is
// refused and the deal stays as it was, readable.
func TestDateItCouldNotReadBackIsNotStored(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, nil)
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", "2026-02-10"), "U1")
	bad := domain.Date{}.AddDays(5)
	if bad.Year >= 0 {
		t.Fatalf("the zero date plus 5 days is %v: the case this test is about is gone", bad)
	}
	if _, _, err := db.UpdateDeal(ctx, d.ID, d.Version, "U1", func(x *domain.Deal) error {
		x.NextStepDue = bad
		return nil
	}); err == nil {
		t.Fatal("a next step due in year -1 was stored")
	}
	if got := mustDeal(t, db, d.ID); !reflect.DeepEqual(got, d) {
		t.Errorf("the deal changed:\n got %+v\nwant %+v", got, d)
	}
	open, err := db.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{"U1"}, Status: domain.Open})
	if err != nil || len(open) != 1 {
		t.Errorf("the owner's open deals: %d, %v; want the deal, readable", len(open), err)
	}
}
