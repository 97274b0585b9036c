package store

import (
	"context"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestForecastReadsTheApprovedDiscount follows the deal desk's outcomes on
// real bbolt and reads the deal back as the rollup does (ForecastDeals,
// snapshots): a rejected, withdrawn or expired request leaves the list
// amount; an approved one is recorded on the deal and the forecast counts
// its net amount (domain/forecast/testdata/net_d4.txt has the arithmetic);
// a later approved request replaces it; a discount approved after the win
// counts in the won amount.
func TestForecastReadsTheApprovedDiscount(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()
	open := newDeal("D-4", "Acme", "U1", "2026-03-31", "")
	open.Amount = 9_991_000
	d := mustCreate(t, db, open, "U1")

	request := func(id domain.DealID, bp int) *desk.Request {
		t.Helper()
		cur := mustDeal(t, db, id)
		r, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: id, Requester: "U1", DiscountBP: bp, ListAmount: cur.Amount,
			Currency: "EUR", Justification: "Rival", DealVersion: cur.Version}, "UMGR", t0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.CreateDeskRequest(ctx, r, "")
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	update := func(r *desk.Request, fn func(*desk.Request) error) *desk.Request {
		t.Helper()
		got, _, err := db.UpdateDeskRequest(ctx, r.ID, 0, fn)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	decide := func(by domain.UserID, v desk.Verdict) func(*desk.Request) error {
		return func(x *desk.Request) error { return x.Decide(by, v, "why", t0.Add(time.Hour)) }
	}
	approve := func(r *desk.Request) *desk.Request {
		t.Helper()
		r = update(r, decide("UMGR", desk.Approve))
		return update(r, decide("UVP", desk.Approve))
	}
	// forecastDeal reads deal id as the live rollup reads it.
	forecastDeal := func(id domain.DealID) forecast.SnapshotDeal {
		t.Helper()
		var out forecast.SnapshotDeal
		n := 0
		err := db.ForecastDeals(ctx, domain.DealFilter{}, func(s *forecast.SnapshotDeal) {
			if s.ID == id {
				out, n = *s, n+1
			}
		})
		if err != nil || n != 1 {
			t.Fatalf("ForecastDeals: deal %d seen %d times, %v", id, n, err)
		}
		return out
	}
	check := func(step string, id domain.DealID, bp int, net int64) {
		t.Helper()
		deal := mustDeal(t, db, id)
		fd := forecastDeal(id)
		if deal.Discount != bp || deal.NetAmount() != net || fd.Discount != bp || fd.NetAmount() != net {
			t.Errorf("%s: deal discount %d net %d, forecast discount %d net %d; want %d, %d",
				step, deal.Discount, deal.NetAmount(), fd.Discount, fd.NetAmount(), bp, net)
		}
	}

	r := request(d.ID, 2500)
	update(r, decide("UMGR", desk.Reject))
	check("rejected", d.ID, 0, 9_991_000)

	r = request(d.ID, 2500)
	update(r, func(x *desk.Request) error { return x.Withdraw("U1", t0.Add(time.Hour)) })
	check("withdrawn", d.ID, 0, 9_991_000)

	r = request(d.ID, 2500)
	update(r, func(x *desk.Request) error {
		if !x.Expire(x.ExpiresAt) {
			t.Fatal("the request did not expire")
		}
		return nil
	})
	check("expired", d.ID, 0, 9_991_000)

	approve(request(d.ID, 2500))
	check("approved 25%", d.ID, 2500, 7_493_250)

	// A later request, sent back and revised to 20 %, then approved: the
	// latest approved discount counts.
	r = update(request(d.ID, 3000), decide("UMGR", desk.Changes))
	r = update(r, func(x *desk.Request) error {
		cur := mustDeal(t, db, d.ID)
		return x.Revise("U1", desk.Draft{DiscountBP: 2000, ListAmount: cur.Amount, Currency: "EUR", Justification: "Rival",
			DealVersion: cur.Version}, deskPolicy(), "UMGR", t0.Add(2*time.Hour))
	})
	approve(r)
	check("revision approved 20%", d.ID, 2000, 7_992_800)

	// Snapshots keep the discount, so the digest's rollup is net too.
	s := forecast.TakeSnapshot(forecast.Calendar{Location: time.UTC}, t0, []*domain.Deal{mustDeal(t, db, d.ID)}, domain.NewDate(2026, 1, 1))
	if _, _, err := db.SaveSnapshot(ctx, s); err != nil {
		t.Fatal(err)
	}
	back, ok, err := db.Snapshot(ctx, s.Week)
	if err != nil || !ok || len(back.Deals) != 1 || back.Deals[0].Discount != 2000 || back.Deals[0].NetAmount() != 7_992_800 {
		t.Fatalf("snapshot read back %+v, %v, %v", back, ok, err)
	}

	// Won first, discount approved after the win.
	won := newDeal("D-5", "Acme", "U1", "2026-03-31", "")
	won.Amount = 9_991_000
	w := mustCreate(t, db, won, "U1")
	if _, _, err := db.UpdateDeal(ctx, w.ID, 0, "U1", func(x *domain.Deal) error { x.Status = domain.Won; return nil }); err != nil {
		t.Fatal(err)
	}
	approve(request(w.ID, 2500))
	check("approved after the win", w.ID, 2500, 7_493_250)
	if fd := forecastDeal(w.ID); fd.Status != domain.Won {
		t.Errorf("status %s", fd.Status)
	}
}
