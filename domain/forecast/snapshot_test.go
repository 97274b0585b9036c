package forecast_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func TestTakeSnapshot(t *testing.T) {
	taken := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC) // Monday 00:30 in CET
	since := day("2026-10-01")
	d := func(id domain.DealID, st domain.Status, closeDate string, updated time.Time) *domain.Deal {
		return &domain.Deal{ID: id, Owner: "A", Amount: int64(id), Currency: "EUR", Stage: "Demo",
			Category: domain.Upside, CloseDate: day(closeDate), Status: st, UpdatedAt: updated}
	}
	s := forecast.TakeSnapshot(cal, taken, []*domain.Deal{
		d(5, domain.Open, "2025-01-01", time.Time{}),                                    // open: always kept
		d(4, domain.Won, "2026-10-01", time.Time{}),                                     // closes on the day: kept
		d(3, domain.Lost, "2026-09-30", time.Date(2026, 9, 30, 23, 30, 0, 0, time.UTC)), // changed Oct 1 in CET: kept
		d(2, domain.Won, "2026-09-30", time.Date(2026, 9, 30, 22, 30, 0, 0, time.UTC)),  // all before: dropped
		d(1, domain.Open, "2026-12-01", time.Time{}),
	}, since)
	if s.Week != "2026-W48" || !s.Taken.Equal(taken) {
		t.Errorf("Week = %s, Taken = %v", s.Week, s.Taken)
	}
	var ids []domain.DealID
	for _, sd := range s.Deals {
		ids = append(ids, sd.ID)
	}
	if want := []domain.DealID{1, 3, 4, 5}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v (sorted, D2 dropped)", ids, want)
	}
	want := forecast.SnapshotDeal{ID: 1, Owner: "A", Amount: 1, Currency: "EUR", Stage: "Demo",
		Category: domain.Upside, CloseDate: day("2026-12-01"), Status: domain.Open}
	if s.Deals[0] != want {
		t.Errorf("Deals[0] = %+v, want %+v", s.Deals[0], want)
	}
}

func TestCompareRules(t *testing.T) {
	q := period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01")
	sd := func(id domain.DealID, owner domain.UserID, amount int64, cat domain.Category, closeDate string, st domain.Status) forecast.SnapshotDeal {
		return forecast.SnapshotDeal{ID: id, Owner: owner, Amount: amount, Currency: "EUR", Stage: "S",
			Category: cat, CloseDate: day(closeDate), Status: st}
	}
	ids := func(items []forecast.Item) []domain.DealID {
		var out []domain.DealID
		for _, it := range items {
			out = append(out, it.Deal)
		}
		return out
	}
	tests := []struct {
		name      string
		prev, cur []forecast.SnapshotDeal
		want      map[string][]domain.DealID
	}{
		{"Nothing", nil, nil, nil},
		{"NewAndWonSameWeek", nil,
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", won)},
			map[string][]domain.DealID{"New": {1}, "Won": {1}}},
		{"NewOutsidePeriod", nil,
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2027-02-01", open)}, nil},
		{"Gone", []forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", open)}, nil,
			map[string][]domain.DealID{"Gone": {1}}},
		// A won deal leaving the snapshots (kept no more) is not news.
		{"ClosedDropsOut", []forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", won)}, nil, nil},
		{"Reopened",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", lost)},
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-12-01", open)},
			map[string][]domain.DealID{"Reopened": {1}}},
		// Several changes at once land in several lists.
		{"Many",
			[]forecast.SnapshotDeal{sd(1, "A", 10, upside, "2026-11-01", open)},
			[]forecast.SnapshotDeal{sd(1, "B", 20, commit, "2026-11-02", open)},
			map[string][]domain.DealID{"AmountUp": {1}, "CategoryMoves": {1}, "Reassigned": {1}}},
		// Slipping while growing: both.
		{"SlippedAndUp",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-12-31", open)},
			[]forecast.SnapshotDeal{sd(1, "A", 11, commit, "2027-01-01", open)},
			map[string][]domain.DealID{"Slipped": {1}, "AmountUp": {1}}},
		{"MovedBeforeStart",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-10-01", open)},
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-09-30", open)},
			map[string][]domain.DealID{"Slipped": {1}}},
		// Changes entirely outside the period are not the period's.
		{"OutsideBoth",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2027-02-01", open)},
			[]forecast.SnapshotDeal{sd(1, "A", 99, upside, "2027-03-01", lost)}, nil},
		{"WonOutOfPeriod",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-12-31", open)},
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2027-01-02", won)},
			map[string][]domain.DealID{"Won": {1}}},
		// A deal closed before both snapshots is not news when it is edited
		// afterwards: no amount, category, owner or date moves are listed.
		{"WonEditedLater",
			[]forecast.SnapshotDeal{sd(1, "A", 10, upside, "2026-11-01", won)},
			[]forecast.SnapshotDeal{sd(1, "B", 20, commit, "2027-02-01", won)}, nil},
		{"LostEditedLater",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2027-02-01", lost)},
			[]forecast.SnapshotDeal{sd(1, "A", 5, upside, "2026-11-01", lost)}, nil},
		// Only the close date moved, inside the period: nothing to say.
		{"DateInside",
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", open)},
			[]forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-12-01", open)}, nil},
		// Order: largest amount first, then lowest id; amount changes by delta.
		{"Order",
			[]forecast.SnapshotDeal{
				sd(1, "A", 100, commit, "2026-11-01", open),
				sd(2, "A", 100, commit, "2026-11-01", open),
				sd(3, "A", 100, commit, "2026-11-01", open),
				sd(4, "A", 100, commit, "2026-11-01", open),
				sd(5, "A", 100, commit, "2026-11-01", open),
			},
			[]forecast.SnapshotDeal{
				sd(1, "A", 110, commit, "2026-11-01", open),
				sd(2, "A", 150, commit, "2026-11-01", open),
				sd(3, "A", 50, commit, "2026-11-01", open),
				sd(4, "A", 90, commit, "2026-11-01", open),
				sd(5, "A", 50, commit, "2026-11-01", open),
				sd(6, "A", 10, commit, "2026-11-01", open),
				sd(7, "A", 30, commit, "2026-11-01", open),
				sd(8, "A", 30, commit, "2026-11-01", open),
			},
			map[string][]domain.DealID{"AmountUp": {2, 1}, "AmountDown": {3, 5, 4}, "New": {7, 8, 6}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, reversed := range []bool{false, true} {
				prev, cur := tc.prev, tc.cur
				if reversed { // unsorted snapshots give the same answer
					prev, cur = reverse(prev), reverse(cur)
				}
				ch := forecast.Compare(forecast.Snapshot{Week: "2026-W47", Deals: prev}, forecast.Snapshot{Week: "2026-W48", Deals: cur}, q)
				got := map[string][]domain.DealID{}
				for name, l := range map[string][]forecast.Item{"New": ch.New, "Won": ch.Won, "Lost": ch.Lost, "Reopened": ch.Reopened,
					"Slipped": ch.Slipped, "PulledIn": ch.PulledIn, "AmountUp": ch.AmountUp, "AmountDown": ch.AmountDown,
					"CategoryMoves": ch.CategoryMoves, "Reassigned": ch.Reassigned, "Gone": ch.Gone} {
					if len(l) > 0 {
						got[name] = ids(l)
					}
				}
				want := tc.want
				if want == nil {
					want = map[string][]domain.DealID{}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("reversed=%v: got %v, want %v", reversed, got, want)
				}
			}
		})
	}
	t.Run("InputUntouched", func(t *testing.T) {
		cur := []forecast.SnapshotDeal{sd(2, "A", 1, commit, "2026-11-01", open), sd(1, "A", 1, commit, "2026-11-01", open)}
		forecast.Compare(forecast.Snapshot{}, forecast.Snapshot{Deals: cur}, q)
		if cur[0].ID != 2 {
			t.Error("Compare sorted its caller's slice")
		}
	})
	t.Run("Duplicates", func(t *testing.T) {
		// A snapshot listing a deal twice (not one TakeSnapshot makes):
		// its last state counts.
		cur := []forecast.SnapshotDeal{sd(1, "A", 30, commit, "2026-11-01", open), sd(1, "A", 20, commit, "2026-11-01", open)}
		prev := []forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", open)}
		ch := forecast.Compare(forecast.Snapshot{Deals: prev}, forecast.Snapshot{Deals: cur}, q)
		if len(ch.AmountUp) != 1 || ch.AmountUp[0].Amount != 20 || ch.Len() != 1 {
			t.Errorf("changes = %+v", ch)
		}
	})
	t.Run("GoneItem", func(t *testing.T) {
		ch := forecast.Compare(forecast.Snapshot{Deals: []forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", open)}}, forecast.Snapshot{}, q)
		want := forecast.Item{Deal: 1, Owner: "A", OldOwner: "A", Currency: "EUR", Amount: 10, OldAmount: 10,
			Stage: "S", OldStage: "S", Category: commit, OldCategory: commit, CloseDate: day("2026-11-01"), OldCloseDate: day("2026-11-01")}
		if len(ch.Gone) != 1 || ch.Gone[0] != want {
			t.Errorf("Gone = %+v", ch.Gone)
		}
	})
	t.Run("FilterReassigned", func(t *testing.T) {
		// Moved from A (team 1) to B (team 2): both teams hear of it.
		ch := forecast.Compare(
			forecast.Snapshot{Deals: []forecast.SnapshotDeal{sd(1, "A", 10, commit, "2026-11-01", open)}},
			forecast.Snapshot{Deals: []forecast.SnapshotDeal{sd(1, "B", 10, commit, "2026-11-01", open)}}, q)
		for _, u := range []domain.UserID{"A", "B"} {
			if f := ch.Filter(func(o domain.UserID) bool { return o == u }); len(f.Reassigned) != 1 {
				t.Errorf("filter %s: %+v", u, f.Reassigned)
			}
		}
		if f := ch.Filter(func(domain.UserID) bool { return false }); f.Len() != 0 {
			t.Errorf("filter none: %d items", f.Len())
		}
	})
}

func reverse(ds []forecast.SnapshotDeal) []forecast.SnapshotDeal {
	out := make([]forecast.SnapshotDeal, len(ds))
	for i, d := range ds {
		out[len(ds)-1-i] = d
	}
	return out
}
