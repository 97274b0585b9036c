package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestCloseCommissions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, newClock(0))
	cal := forecast.Calendar{FiscalYearStart: time.January}
	nov := cal.Month(domain.NewDate(2026, time.November, 1))
	q4 := cal.Quarter(nov.Start)
	m := commission.Close(commission.Month{
		Period: nov,
		// The whole plan is kept (every rule set here), read back as Kept.
		Term: &commission.Term{Plan: commission.Plan{Name: "AE", Tiers: []commission.Tier{{UpTo: 5000, Rate: 300}, {Rate: 500}},
			Mode: commission.Marginal, TrueUp: true, Decelerator: &commission.Factor{At: 3000, Factor: 5000},
			Accelerators: []commission.Factor{{At: 10000, Factor: 15000}}, CapPayout: 60_000_00, CapAttainment: 20000,
			TypeRates: map[commission.DealType]int{commission.Renewal: 125},
			Spiffs:    []commission.Spiff{{Name: "Q4 push", Amount: 500_00, Type: commission.New, MinAmount: 20_000_00}},
			Draw:      commission.Draw{Amount: 2_000_00, Recoverable: true}, Clawback: commission.Clawback{Days: 120, Recovery: commission.ProRata}},
			Period: q4, Quota: 100_000_00, Kept: true},
		Lines: []commission.Line{
			{Kind: commission.KindTier, Deal: 12, On: domain.NewDate(2026, time.November, 20), DealAmount: 48_000_00, Split: 6000,
				Type: commission.New, Tier: 2, Rate: 500, Factor: commission.Unit, Base: 28_800_00, Amount: 1_440_00},
			{Kind: commission.KindClawback, Deal: 9, On: domain.NewDate(2026, time.November, 3), Paid: 500_00, Days: 30, Window: 90,
				Recovery: commission.ProRata, TermMonths: 12, Served: 1, Amount: -458_33},
			{Kind: commission.KindClawback, Deal: 9, On: domain.NewDate(2026, time.November, 20), Paid: 500_00, Days: 47, Window: 90,
				Recovery: commission.Full, Lost: 6_000_00, ARR: 24_000_00, Amount: -125_00},
		},
		Credit: 28_800_00,
		Earned: 856_67,
		Draw:   commission.DrawStep{Draw: 2_000_00, Recoverable: true, Pay: 2_000_00, Advance: 1_018_33, OwedAfter: 1_018_33},
	})
	if err := db.CloseCommissions(ctx, "2026-11", "U0ADMIN", map[domain.UserID]commission.Month{"U0REP1": m}); err != nil {
		t.Fatal(err)
	}
	got, err := db.ClosedCommissions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got["2026-11"]["U0REP1"], m) {
		t.Errorf("read back\n%+v\nwant\n%+v", got["2026-11"]["U0REP1"], m)
	}
	// Closing again is refused, and the month stays as it was closed.
	other := m
	other.Earned = 1
	err = db.CloseCommissions(ctx, "2026-11", "U0ADMIN", map[domain.UserID]commission.Month{"U0REP1": other})
	if e, ok := err.(*domain.Error); !ok || e.Key != "commission.already_closed" {
		t.Fatalf("second close = %v, want commission.already_closed", err)
	}
	again, _ := db.ClosedCommissions(ctx)
	if again["2026-11"]["U0REP1"].Earned != m.Earned {
		t.Error("a second close rewrote the month")
	}
}

// TestCheckFileReadsIssue20Buckets: dealpilot check reads the accounts,
// the closed commission months and idx_renew as the bot does: a clean file
// with each passes; a garbled account, a closed month of a record version
// this build does not know (every statement would fail on it) and a
// renewal pointing to no deal are each reported by bucket and key.
func TestCheckFileReadsIssue20Buckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db := openPath(t, path, newClock(time.Second))
	ctx := context.Background()
	d := newDeal("Renewal", "Acme", "U1", "2026-03-31", "")
	d.Status, d.TermMonths, d.Recurring = domain.Won, 12, 24_000_00
	mustCreate(t, db, d, "U1")
	if _, err := db.AddAccountEvent(ctx, "Acme", domain.AccountEvent{Kind: domain.EventDowngrade, On: domain.NewDate(2026, 4, 2),
		Amount: 1_000_00, Currency: "EUR", By: "U1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseCommissions(ctx, "2026-03", "U0ADMIN", map[domain.UserID]commission.Month{"U1": {
		Period: forecast.Period{Name: "2026-03", Kind: forecast.Month, Start: domain.NewDate(2026, 3, 1), End: domain.NewDate(2026, 4, 1)}}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if rep, err := CheckFile(path); err != nil || !rep.OK() {
		t.Fatalf("clean file: %+v, %v", rep, err)
	}
	db = openPath(t, path, newClock(time.Second))
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		return errors.Join(tx.Bucket(bucketAccounts).Put([]byte("initech"), []byte("{")),
			tx.Bucket(bucketClosedCommissions).Put([]byte("2026-04"), []byte(`{"v":9,"statements":{}}`)),
			tx.Bucket(bucketIdxRenew).Put(renewKey("U1", domain.NewDate(2027, 3, 31), 99), nil))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	rep, err := CheckFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rep.BadRecords, "\n")
	for _, want := range []string{"accounts/initech: ", "cm_closed/2026-04: record version 9 not understood", "idx_renew/", "points to D-99, which does not exist"} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckFile bad records lack %q:\n%s", want, got)
		}
	}
	if len(rep.BadRecords) != 3 {
		t.Errorf("%d bad records, want 3:\n%s", len(rep.BadRecords), got)
	}
}
