package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// seedFilterDeals creates five deals; Deals returns them in close-date order
// 3, 2, 5, 1, 4.
func seedFilterDeals(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	deals := []*domain.Deal{
		newDeal("Société Générale renewal", "Société Générale", "U1", "2026-03-31", "2026-02-10"),
		newDeal("Crédit Agricole pilot", "Crédit Agricole", "U2", "2026-02-28", "2026-02-05"),
		newDeal("Acme expansion", "Acme Corp", "U1", "2026-01-15", "2026-01-10"),
		newDeal("Acme pilot", "Acme Corp", "U3", "2026-03-31", "2026-02-20"),
		newDeal("Zürich Versicherung", "Zürich Insurance", "U2", "2026-02-28", ""),
	}
	deals[0].Stage, deals[0].Category = "Proposal", domain.BestCase
	deals[2].Status = domain.Won
	deals[4].Status, deals[4].LossReason = domain.Lost, "Price"
	for i, d := range deals {
		got, err := db.CreateDeal(ctx, d, "U1", "")
		if err != nil || got.ID != domain.DealID(i+1) {
			t.Fatalf("create %d: %v, %v", i+1, got, err)
		}
	}
}

func TestDeals(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	seedFilterDeals(t, db)

	tests := []struct {
		name   string
		filter domain.DealFilter
		want   []domain.DealID
	}{
		{"All", domain.DealFilter{}, []domain.DealID{3, 2, 5, 1, 4}},
		{"Owner", domain.DealFilter{Owners: []domain.UserID{"U1"}}, []domain.DealID{3, 1}},
		{"Owners", domain.DealFilter{Owners: []domain.UserID{"U1", "U3"}}, []domain.DealID{3, 1, 4}},
		{"OwnerUnknown", domain.DealFilter{Owners: []domain.UserID{"U"}}, nil},
		{"Status", domain.DealFilter{Status: domain.Open}, []domain.DealID{2, 1, 4}},
		{"StatusAndOwner", domain.DealFilter{Status: domain.Open, Owners: []domain.UserID{"U2"}}, []domain.DealID{2}},
		{"Category", domain.DealFilter{Category: domain.BestCase}, []domain.DealID{1}},
		{"StageAnyCase", domain.DealFilter{Stage: "proposal"}, []domain.DealID{1}},
		{"WordPrefix", domain.DealFilter{Words: []string{"soc"}}, []domain.DealID{1}},
		{"WordUpperCase", domain.DealFilter{Words: []string{"SOCIETE"}}, []domain.DealID{1}},
		{"WordAccentInQuery", domain.DealFilter{Words: []string{"Société"}}, []domain.DealID{1}},
		{"WordDecomposedAccent", domain.DealFilter{Words: []string{"socie\u0301te\u0301"}}, []domain.DealID{1}},
		{"WordAccentInName", domain.DealFilter{Words: []string{"credit"}}, []domain.DealID{2}},
		{"WordUmlaut", domain.DealFilter{Words: []string{"zurich"}}, []domain.DealID{5}},
		{"WordInAccount", domain.DealFilter{Words: []string{"insur"}}, []domain.DealID{5}},
		{"WordsAll", domain.DealFilter{Words: []string{"acme", "pil"}}, []domain.DealID{4}},
		{"WordsInOneString", domain.DealFilter{Words: []string{"acme pil"}}, []domain.DealID{4}},
		{"WordShared", domain.DealFilter{Words: []string{"pilot"}}, []domain.DealID{2, 4}},
		{"WordNoMatch", domain.DealFilter{Words: []string{"xyz"}}, nil},
		{"WordNotInfix", domain.DealFilter{Words: []string{"cme"}}, nil},
		{"WordPunctuationOnly", domain.DealFilter{Words: []string{"-"}}, []domain.DealID{3, 2, 5, 1, 4}},
		{"WordAndOwner", domain.DealFilter{Words: []string{"acme"}, Owners: []domain.UserID{"U3"}}, []domain.DealID{4}},
		{"DueTo", domain.DealFilter{DueTo: date("2026-02-10")}, []domain.DealID{3, 2, 1}},
		{"DueToBeforeAll", domain.DealFilter{DueTo: date("2026-01-01")}, nil},
		{"DueToAndStatus", domain.DealFilter{DueTo: date("2026-02-10"), Status: domain.Open}, []domain.DealID{2, 1}},
		{"Limit", domain.DealFilter{Limit: 2}, []domain.DealID{3, 2}},
		{"LimitAboveCount", domain.DealFilter{Limit: 10}, []domain.DealID{3, 2, 5, 1, 4}},
		{"LimitWithIndex", domain.DealFilter{Words: []string{"acme"}, Limit: 1}, []domain.DealID{3}},
		{"LimitAfterStatus", domain.DealFilter{Status: domain.Open, Limit: 1}, []domain.DealID{2}},
		{"CloseRange", domain.DealFilter{CloseFrom: date("2026-02-28"), CloseBefore: date("2026-03-31")}, []domain.DealID{2, 5}},
		{"CloseFromOnly", domain.DealFilter{CloseFrom: date("2026-02-28")}, []domain.DealID{2, 5, 1, 4}},
		{"CloseBeforeOnly", domain.DealFilter{CloseBefore: date("2026-02-28")}, []domain.DealID{3}},
		{"CloseRangeOneDay", domain.DealFilter{CloseFrom: date("2026-03-31"), CloseBefore: date("2026-04-01")}, []domain.DealID{1, 4}},
		{"CloseRangeEmpty", domain.DealFilter{CloseFrom: date("2026-04-01")}, nil},
		{"CloseRangeAndOwner", domain.DealFilter{Owners: []domain.UserID{"U1"}, CloseFrom: date("2026-03-01")}, []domain.DealID{1}},
		{"CloseRangeAndOwnerBefore", domain.DealFilter{Owners: []domain.UserID{"U1"}, CloseBefore: date("2026-03-31")}, []domain.DealID{3}},
		{"CloseRangeAndStatus", domain.DealFilter{Status: domain.Open, CloseFrom: date("2026-02-28"), CloseBefore: date("2026-04-01")}, []domain.DealID{2, 1, 4}},
		{"CloseRangeLimit", domain.DealFilter{CloseFrom: date("2026-02-01"), Limit: 1}, []domain.DealID{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Deals(context.Background(), tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("Deals(%+v) = %v; want %v", tt.filter, ids(got), tt.want)
			}
		})
	}
}

// TestDealsLimitWalk covers the plan that walks idx_close when an index
// leaves many more deals than the limit: it must give the same answer as
// sorting them all.
func TestDealsLimitWalk(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()
	var seed []*domain.Deal
	for i := range 30 {
		owner := domain.UserID("U1")
		if i%4 == 0 {
			owner = "U2"
		}
		day := 1 + (i*7)%28
		seed = append(seed, newDeal(fmt.Sprintf("Deal %d", i), "Acme", owner, fmt.Sprintf("2026-04-%02d", day), ""))
	}
	for _, d := range seed {
		mustCreate(t, db, d, "U1")
	}
	for _, limit := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("Limit%d", limit), func(t *testing.T) {
			all, err := db.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{"U1"}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{"U1"}, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), ids(all[:limit])) {
				t.Errorf("limit %d: %v; want %v", limit, ids(got), ids(all[:limit]))
			}
		})
	}
}

// indexKeysOf lists the keys of an index bucket that point to id.
func indexKeysOf(t *testing.T, db *DB, name []byte, id domain.DealID) []string {
	t.Helper()
	var keys []string
	if err := db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(name).ForEach(func(k, _ []byte) error {
			if idSuffix(k) == id {
				keys = append(keys, string(bytes.TrimRight(k[:len(k)-idLen], "\x00")))
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestIndexMaintenance(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme pilot", "Acme Corp", "U1", "2026-03-31", "2026-02-10"), "U1")
	other := mustCreate(t, db, newDeal("Acme expansion", "Acme Corp", "U1", "2026-03-15", ""), "U1")

	find := func(f domain.DealFilter) []domain.DealID {
		t.Helper()
		got, err := db.Deals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return ids(got)
	}
	if got := find(domain.DealFilter{Words: []string{"pilot"}}); !slices.Equal(got, []domain.DealID{d.ID}) {
		t.Fatalf("before: %v", got)
	}

	_, _, err := db.UpdateDeal(ctx, d.ID, d.Version, "U2", func(d *domain.Deal) error {
		d.Name, d.Account = "Globex rollout", "Globex"
		d.Owner = "U2"
		d.NextStepDue = date("2026-02-20")
		d.CloseDate = date("2026-03-01")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		filter domain.DealFilter
		want   []domain.DealID
	}{
		{"OldWordGone", domain.DealFilter{Words: []string{"pilot"}}, nil},
		{"OldAccountWordGone", domain.DealFilter{Words: []string{"acme"}}, []domain.DealID{other.ID}},
		{"NewWord", domain.DealFilter{Words: []string{"glob", "roll"}}, []domain.DealID{d.ID}},
		{"OldOwnerGone", domain.DealFilter{Owners: []domain.UserID{"U1"}}, []domain.DealID{other.ID}},
		{"NewOwner", domain.DealFilter{Owners: []domain.UserID{"U2"}}, []domain.DealID{d.ID}},
		{"OldDueGone", domain.DealFilter{DueTo: date("2026-02-15")}, nil},
		{"NewDue", domain.DealFilter{DueTo: date("2026-02-20")}, []domain.DealID{d.ID}},
		{"NewCloseDateOrder", domain.DealFilter{}, []domain.DealID{d.ID, other.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := find(tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("Deals(%+v) = %v; want %v", tt.filter, got, tt.want)
			}
		})
	}

	t.Run("RawKeys", func(t *testing.T) {
		if got, want := indexKeysOf(t, db, bucketIdxWord, d.ID), []string{"globex", "rollout"}; !slices.Equal(got, want) {
			t.Errorf("idx_word keys of the deal = %q; want %q", got, want)
		}
		if got := indexKeysOf(t, db, bucketIdxOwner, d.ID); !slices.Equal(got, []string{"U2"}) {
			t.Errorf("idx_owner keys of the deal = %q", got)
		}
		if got := indexKeysOf(t, db, bucketIdxDue, d.ID); len(got) != 1 {
			t.Errorf("idx_due has %d keys for the deal; want 1", len(got))
		}
		if got := indexKeysOf(t, db, bucketIdxClose, d.ID); len(got) != 1 {
			t.Errorf("idx_close has %d keys for the deal; want 1", len(got))
		}
	})

	t.Run("DueCleared", func(t *testing.T) {
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, "U2", func(d *domain.Deal) error {
			d.NextStep, d.NextStepDue = "", domain.Date{}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := indexKeysOf(t, db, bucketIdxDue, d.ID); len(got) != 0 {
			t.Errorf("idx_due still has %d keys for the deal", len(got))
		}
	})
}

func TestDateBytesSortLikeDates(t *testing.T) {
	ds := []string{"0001-01-01", "1999-12-31", "2026-01-31", "2026-02-01", "2026-02-28", "2026-10-01", "2026-12-31", "2027-01-01", "9999-12-31"}
	prev := dateBytes(domain.Date{})
	for _, s := range ds {
		b := dateBytes(date(s))
		if bytes.Compare(prev, b) >= 0 {
			t.Errorf("%s does not sort after the date before it", s)
		}
		prev = b
	}
}

// TestForecastDeals: the forecast's read gives, for every filter it
// accepts, the deals Deals gives, in the same order, with the same
// forecast fields; it refuses the filters it does not implement.
func TestForecastDeals(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	seedFilterDeals(t, db)
	ctx := context.Background()
	won := domain.Won
	if _, _, err := db.UpdateDeal(ctx, 5, 0, "U2", func(d *domain.Deal) error { d.Status = won; return nil }); err != nil {
		t.Fatal(err)
	}
	filters := map[string]domain.DealFilter{
		"All":             {},
		"Owners":          {Owners: []domain.UserID{"U1", "U2"}},
		"Status":          {Status: domain.Open},
		"CloseRange":      {CloseFrom: date("2026-02-28"), CloseBefore: date("2026-03-31")},
		"CloseFrom":       {CloseFrom: date("2026-02-28")},
		"CloseBefore":     {CloseBefore: date("2026-03-31")},
		"OwnerCloseRange": {Owners: []domain.UserID{"U2"}, CloseFrom: date("2026-02-01"), CloseBefore: date("2026-03-01")},
		"Everything":      {Owners: []domain.UserID{"U1", "U3"}, Status: domain.Open, CloseFrom: date("2026-03-31")},
		"Nothing":         {CloseFrom: date("2027-01-01")},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			full, err := db.Deals(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var want []forecast.SnapshotDeal
			for _, d := range full {
				want = append(want, forecast.SnapshotDeal{ID: d.ID, Owner: d.Owner, Amount: d.Amount, Currency: d.Currency,
					Stage: d.Stage, Category: d.Category, CloseDate: d.CloseDate, Status: d.Status})
			}
			var got []forecast.SnapshotDeal
			if err := db.ForecastDeals(ctx, f, func(d *forecast.SnapshotDeal) { got = append(got, *d) }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ForecastDeals(%+v) =\n %+v\nwant\n %+v", f, got, want)
			}
		})
	}
	for _, f := range []domain.DealFilter{{Words: []string{"acme"}}, {Limit: 1}, {Stage: "Proposal"}, {Category: domain.Commit}, {DueTo: date("2026-02-01")}} {
		if err := db.ForecastDeals(ctx, f, func(*forecast.SnapshotDeal) {}); err == nil {
			t.Errorf("ForecastDeals(%+v) accepted a filter it does not apply", f)
		}
	}
}
