package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// homeOrder is App Home's order as the bot sorted every deal before
// HomeDeals: next step due before today (or none) first, then close date.
func homeOrder(today domain.Date) func(x, y *domain.Deal) int {
	return func(x, y *domain.Deal) int {
		ox, oy := x.NextStepDue.Before(today), y.NextStepDue.Before(today)
		if ox != oy {
			if ox {
				return -1
			}
			return 1
		}
		return x.CloseDate.Compare(y.CloseDate)
	}
}

// TestDealPageLikeDeals: DealPage and HomeDeals give the deals Deals gives
// (the first ones, in the same order) and the count of all of them, for
// every filter a list uses, after creations and after changes of status,
// stage, category, owner, close date and next step.
func TestDealPageLikeDeals(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(17, 2))
	owners := []domain.UserID{"U1", "U2", "U10"}
	stages := []string{"Qualification", "Demo", "Proposal"}
	cats := []domain.Category{domain.Pipeline, domain.BestCase, domain.Commit}
	randomize := func(d *domain.Deal) {
		d.Owner = owners[rng.IntN(len(owners))]
		d.Stage, d.Category = stages[rng.IntN(len(stages))], cats[rng.IntN(len(cats))]
		d.CloseDate = domain.NewDate(2026, time.Month(1+rng.IntN(3)), 1+rng.IntN(5))
		d.NextStepDue = domain.Date{}
		if rng.IntN(4) > 0 {
			d.NextStep, d.NextStepDue = "Call", domain.NewDate(2025, 11, 1+rng.IntN(20))
		}
		d.Status = []domain.Status{domain.Open, domain.Open, domain.Won, domain.Lost}[rng.IntN(4)]
	}
	var made []domain.DealID
	for i := range 120 {
		d := newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", "2026-01-15", "")
		randomize(d)
		made = append(made, mustCreate(t, db, d, "U1").ID)
	}
	today := domain.NewDate(2025, 11, 10)
	compare := func(t *testing.T) {
		t.Helper()
		for _, o := range owners {
			filters := []domain.DealFilter{{}, {Stage: "demo"}, {Stage: " Proposal "}, {Category: domain.Commit}, {Stage: "Demo", Category: domain.BestCase}}
			for _, f := range filters {
				f.Owners, f.Status = []domain.UserID{o}, domain.Open
				all, err := db.Deals(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, limit := range []int{0, 1, 3, 1000} {
					f.Limit = limit
					got, total, err := db.DealPage(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want := all
					if limit > 0 && len(want) > limit {
						want = want[:limit]
					}
					if total != len(all) || !slices.Equal(ids(got), ids(want)) {
						t.Errorf("DealPage(%+v) = %v of %d; want %v of %d", f, ids(got), total, ids(want), len(all))
					}
				}
			}
			all, err := db.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{o}, Status: domain.Open})
			if err != nil {
				t.Fatal(err)
			}
			slices.SortStableFunc(all, homeOrder(today))
			for _, limit := range []int{0, 1, 5, 1000} {
				got, total, err := db.HomeDeals(ctx, o, today, limit)
				if err != nil {
					t.Fatal(err)
				}
				want := all
				if limit > 0 && len(want) > limit {
					want = want[:limit]
				}
				if total != len(all) || !slices.Equal(ids(got), ids(want)) {
					t.Errorf("HomeDeals(%s, %d) = %v of %d; want %v of %d", o, limit, ids(got), total, ids(want), len(all))
				}
			}
		}
	}
	t.Run("Created", compare)
	for _, id := range made {
		if rng.IntN(2) == 0 {
			continue
		}
		d := mustDeal(t, db, id)
		if _, _, err := db.UpdateDeal(ctx, id, d.Version, "U1", func(d *domain.Deal) error {
			randomize(d)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("Changed", compare)
	// A change that keeps the close date keeps the key: the value moves.
	for i, id := range made {
		d := mustDeal(t, db, id)
		if _, _, err := db.UpdateDeal(ctx, id, d.Version, "U1", func(d *domain.Deal) error {
			switch i % 3 {
			case 0:
				d.Stage = stages[(slices.Index(stages, d.Stage)+1)%len(stages)]
			case 1:
				d.Category = cats[(slices.Index(cats, d.Category)+1)%len(cats)]
			default:
				d.NextStep, d.NextStepDue = "Call", domain.NewDate(2025, 11, 1+i%20)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("ValuesChanged", compare)
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

// TestDealPageDecodesOnlyWhatItReturns: a page of an owner's open deals
// decodes the deals it returns, not the owner's others, whatever their
// number; the count still says how many there are.
func TestDealPageDecodesOnlyWhatItReturns(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	for i := range 300 {
		d := newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28), "2025-11-05")
		if i%3 == 0 {
			d.Stage = "Demo"
		}
		mustCreate(t, db, d, "U1")
	}
	tests := []struct {
		name  string
		read  func() ([]*domain.Deal, int, error)
		total int
	}{
		{"DealPage", func() ([]*domain.Deal, int, error) {
			return db.DealPage(ctx, domain.DealFilter{Owners: []domain.UserID{"U1"}, Status: domain.Open, Limit: 5})
		}, 300},
		{"DealPageStage", func() ([]*domain.Deal, int, error) {
			return db.DealPage(ctx, domain.DealFilter{Owners: []domain.UserID{"U1"}, Status: domain.Open, Stage: "demo", Limit: 5})
		}, 100},
		{"HomeDeals", func() ([]*domain.Deal, int, error) {
			return db.HomeDeals(ctx, "U1", domain.NewDate(2025, 11, 10), 5)
		}, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := DealsDecoded()
			got, total, err := tt.read()
			if err != nil {
				t.Fatal(err)
			}
			if n := DealsDecoded() - before; n != int64(len(got)) || len(got) != 5 || total != tt.total {
				t.Errorf("%d deals of %d returned, %d decoded; want 5 of %d, 5 decoded", len(got), total, n, tt.total)
			}
			for _, d := range got {
				if tt.name == "DealPageStage" && !strings.EqualFold(d.Stage, "demo") {
					t.Errorf("%s in stage %s", d.ID.Ref(), d.Stage)
				}
			}
		})
	}
}

// TestOwnersNarrowTheWordsWalk: a search within one owner's deals (the
// rep's picker) walks that owner's words (idx_owner_word), not the other
// owners' deals matching the word, and gathers no set of them: neither the
// keys it visits nor what it allocates grow with them (3,000 here).
func TestOwnersNarrowTheWordsWalk(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	var items []Imported
	for i := range 20 {
		items = append(items,
			Imported{Deal: newDeal(fmt.Sprintf("Acme %d", i), "Acme", "U1", "2026-01-15", ""), By: "U1"},
			Imported{Deal: newDeal(fmt.Sprintf("Globex %d", i), "Globex", "U1", "2026-01-15", ""), By: "U1"})
	}
	for i := range 3000 {
		items = append(items, Imported{Deal: newDeal(fmt.Sprintf("Acme %d", i), "Acme", "U2", "2026-01-15", ""), By: "U2"})
	}
	if _, err := db.ImportDeals(ctx, items); err != nil {
		t.Fatal(err)
	}
	allocated := func(word string) uint64 {
		f := domain.DealFilter{Owners: []domain.UserID{"U1"}, Words: []string{word}, Status: domain.Open, Limit: 500}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := db.Deals(ctx, f)
		runtime.ReadMemStats(&after)
		if err != nil || len(got) != 20 {
			t.Fatalf("%s: %d deals, %v; want 20", word, len(got), err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	walked := keysWalked.Load()
	allocated("acme") // warm up
	if n := keysWalked.Load() - walked; n > 40 {
		t.Errorf("%d index keys walked to find U1's 20 deals among 3,020 matching the word; want U1's only (idx_owner_word)", n)
	}
	crowded, alone := allocated("acme"), allocated("globex")
	if crowded > alone+24<<10 {
		t.Errorf("U1's 20 deals matching a word 3,000 deals of U2 match cost %d bytes, %d where none does", crowded, alone)
	}
}

// TestSearchReadsWhatItCanShow: a search over every owner's deals (the
// admin's picker) walks at most 8×walk keys of each word and decodes at
// most walk deals, however many deals the word matches (3,000 here), and
// says it was capped; a word matching fewer bounds it and the answer is
// Deals'.
func TestSearchReadsWhatItCanShow(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	var items []Imported
	for i := range 3000 {
		owner := domain.UserID(fmt.Sprintf("U%d", i%30))
		name := fmt.Sprintf("Acme %d", i)
		if i%150 == 0 {
			name = fmt.Sprintf("Acme Globex %d", i) // 20 of them
		}
		items = append(items, Imported{Deal: newDeal(name, "Acme", owner, fmt.Sprintf("2026-%02d-15", 1+i%12), ""), By: owner})
	}
	if _, err := db.ImportDeals(ctx, items); err != nil {
		t.Fatal(err)
	}
	const walk = 100
	search := func(words ...string) ([]*domain.Deal, bool, int64, int64) {
		t.Helper()
		f := domain.DealFilter{Words: words, Status: domain.Open, Limit: walk}
		walked, decoded := keysWalked.Load(), DealsDecoded()
		got, capped, err := db.SearchDeals(ctx, f, walk)
		if err != nil {
			t.Fatal(err)
		}
		return got, capped, keysWalked.Load() - walked, DealsDecoded() - decoded
	}

	got, capped, walked, decoded := search("acme")
	if !capped || len(got) == 0 {
		t.Errorf("acme: %d deals, capped %v; want some, capped", len(got), capped)
	}
	if walked > 8*walk || decoded > walk {
		t.Errorf("acme: %d index keys walked, %d deals decoded among 3,000 matches; want at most %d and %d", walked, decoded, 8*walk, walk)
	}

	got, capped, walked, decoded = search("acme", "glob")
	want, err := db.Deals(ctx, domain.DealFilter{Words: []string{"acme", "glob"}, Status: domain.Open, Limit: walk})
	if err != nil {
		t.Fatal(err)
	}
	if capped || len(got) != 20 || !slices.EqualFunc(got, want, func(a, b *domain.Deal) bool { return a.ID == b.ID }) {
		t.Errorf("acme glob: %d deals, capped %v; want Deals' 20 (%d), not capped", len(got), capped, len(want))
	}
	if walked > 8*walk+20 || decoded > 20 {
		t.Errorf("acme glob: %d index keys walked, %d deals decoded; want at most %d and 20", walked, decoded, 8*walk+20)
	}
}

// TestListCountsWithoutWalking: /deal list's page walks idx_open only until
// it is full (a stage filter: until it has the page's deals of that stage)
// and takes how many there are from open_counts, kept in step as deals
// close, change stage or category, or change hands; the check reports a
// count that drifted.
func TestListCountsWithoutWalking(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	var ids []domain.DealID
	for i := range 300 {
		d := newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28), "")
		if i%3 == 0 {
			d.Stage = "Demo"
		}
		if i%5 == 0 {
			d.Category = domain.Commit
		}
		ids = append(ids, mustCreate(t, db, d, "U1").ID)
	}
	mustCreate(t, db, newDeal("Other", "Globex", "U2", "2026-01-10", ""), "U2")
	page := func(stage string, category domain.Category) (int, int64) {
		t.Helper()
		f := domain.DealFilter{Owners: []domain.UserID{"U1"}, Status: domain.Open, Stage: stage, Category: category, Limit: 5}
		walked := keysWalked.Load()
		got, total, err := db.DealPage(ctx, f)
		walked = keysWalked.Load() - walked
		if err != nil || len(got) != 5 {
			t.Fatalf("%q %q: %d deals, %v", stage, category, len(got), err)
		}
		f.Limit = 0
		all, err := db.Deals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(all) {
			t.Errorf("%q %q: counted %d, want %d", stage, category, total, len(all))
		}
		return total, walked
	}
	if total, walked := page("", ""); total != 300 || walked > 5 {
		t.Errorf("the whole list: %d counted with %d index keys walked; want 300 with 5", total, walked)
	}
	if total, walked := page("demo", ""); total != 100 || walked > 15 {
		t.Errorf("stage demo: %d counted with %d index keys walked; want 100 with at most 15", total, walked)
	}
	page("", domain.Commit)
	page("Demo", domain.Commit)

	// Won, moved to another stage and category, handed to U2.
	change := func(id domain.DealID, fn func(*domain.Deal)) {
		t.Helper()
		d, err := db.Deal(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UpdateDeal(ctx, id, d.Version, "U1", func(d *domain.Deal) error { fn(d); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	change(ids[0], func(d *domain.Deal) { d.Status = domain.Won })
	change(ids[3], func(d *domain.Deal) { d.Stage, d.Category = "Proposal", domain.BestCase })
	change(ids[6], func(d *domain.Deal) { d.Owner = "U2" })
	if total, _ := page("", ""); total != 298 {
		t.Errorf("after a win and a deal handed over: %d counted, want 298", total)
	}
	if total, _ := page("demo", ""); total != 97 {
		t.Errorf("stage demo after three left it: %d counted, want 97", total)
	}
	page("", domain.Commit)

	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		if drift := checkOpenCounts(tx); len(drift) > 0 {
			t.Errorf("drift in step: %q", drift)
		}
		k := openCountKey(&domain.Deal{Owner: "U1", Status: domain.Open, Category: domain.Pipeline, Stage: "Qualification"})
		if err := tx.Bucket(bucketOpenCounts).Put(k, u64(7)); err != nil {
			return err
		}
		if drift := checkOpenCounts(tx); len(drift) != 1 || !strings.Contains(drift[0], "open_counts/U1 pipeline Qualification: drift: holds 7 open deals; idx_open has") {
			t.Errorf("a count set wrong: drift %q", drift)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
