package store

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// sumsOrg is a company for the sums' tests: two teams, a rep in no team
// (sumsOwners[6]), the default stages plus deals in a stage the
// configuration does not know (0%).
func sumsOrg(t testing.TB, fiscalStart time.Month) *forecast.Org {
	t.Helper()
	teams := []forecast.Team{
		{Name: "France", Manager: "UMGR", Members: []domain.UserID{"U1", "U2", "U3"}},
		{Name: "Nordics", Manager: "UMGR2", Members: []domain.UserID{"U4", "U5"}},
	}
	quotas := []forecast.Quota{{User: "U1", Period: "quarter", Amount: 500_000_00}, {Team: "Nordics", Period: "year", Amount: 2_000_000_00}}
	org, err := forecast.NewOrg(forecast.Calendar{FiscalYearStart: fiscalStart}, "EUR", domain.DefaultStages(), teams, quotas)
	if err != nil {
		t.Fatal(err)
	}
	return org
}

var (
	sumsOwners     = []domain.UserID{"U1", "U2", "U3", "U4", "U5", "UMGR", "UGONE"}
	sumsCategories = []domain.Category{domain.Commit, domain.BestCase, domain.Upside, domain.Pipeline, domain.Omitted}
	sumsStatuses   = []domain.Status{domain.Open, domain.Open, domain.Won, domain.Lost}
)

// sumsDay draws a close date from 2025-10 to 2027-03, half of them on a
// month's first or last day, where periods meet.
func sumsDay(r *rand.Rand) domain.Date {
	m := time.Month(10 + r.IntN(18))
	first := domain.NewDate(2025, m, 1)
	switch r.IntN(4) {
	case 0:
		return first
	case 1:
		return domain.NewDate(2025, m+1, 0)
	}
	return first.AddDays(r.IntN(28))
}

func sumsStage(r *rand.Rand) string {
	stages := domain.DefaultStages()
	if r.IntN(10) == 0 {
		return "Legacy stage" // not in the configuration: 0%
	}
	s := stages[r.IntN(len(stages))].Name
	if r.IntN(8) == 0 {
		s = strings.ToLower(s) // as an old record may hold it
	}
	return s
}

func sumsSetStatus(d *domain.Deal, s domain.Status) {
	d.Status, d.LossReason = s, ""
	if s == domain.Lost {
		d.LossReason = "Price"
	}
}

func randomDeal(r *rand.Rand, i int) *domain.Deal {
	d := newDeal(fmt.Sprintf("Deal %d", i), "Acme", sumsOwners[r.IntN(len(sumsOwners))], "", "")
	d.Amount = int64(1+r.IntN(2_000_000)) * int64(1+r.IntN(100)) // odd cents, up to 2 billion minor units
	d.Discount = []int{0, 0, 0, 1, 333, 1250, 5000, 9999}[r.IntN(8)]
	d.Currency = []string{"EUR", "EUR", "EUR", "USD"}[r.IntN(4)]
	d.Stage, d.Category, d.CloseDate = sumsStage(r), sumsCategories[r.IntN(len(sumsCategories))], sumsDay(r)
	sumsSetStatus(d, sumsStatuses[r.IntN(len(sumsStatuses))])
	return d
}

// sumsPeriods are every month, quarter and fiscal year from 2025-10 to
// 2027-03, and ranges that start or end inside a month (read partly from
// the deals).
func sumsPeriods(org *forecast.Org, r *rand.Rand) []forecast.Period {
	cal := org.Calendar()
	var ps []forecast.Period
	seen := map[string]bool{}
	for d := domain.NewDate(2025, 10, 1); d.Before(domain.NewDate(2027, 4, 1)); d = domain.NewDate(d.Year, d.Month+1, 1) {
		for _, k := range []forecast.Kind{forecast.Month, forecast.Quarter, forecast.Year} {
			if p := cal.Period(k, d); !seen[p.Name] {
				seen[p.Name] = true
				ps = append(ps, p)
			}
		}
	}
	for i := range 6 {
		from := sumsDay(r)
		if from.Day == 1 {
			from = from.AddDays(1 + r.IntN(5))
		}
		before := from.AddDays(1 + r.IntN(120))
		ps = append(ps, forecast.Period{Name: fmt.Sprintf("range-%d", i), Kind: forecast.Month, Start: from, End: before})
	}
	ps = append(ps, forecast.Period{Name: "inside", Kind: forecast.Month, Start: domain.NewDate(2026, 2, 3), End: domain.NewDate(2026, 2, 27)})
	return ps
}

// fromSums is /forecast's rollup: the store's sums, deals only for parts
// of months.
func fromSums(t testing.TB, db *DB, org *forecast.Org, p forecast.Period) *forecast.Rollup {
	t.Helper()
	b := org.NewBuilder(p)
	if err := db.ForecastSums(context.Background(), p.Start, p.End, b.AddSum, b.Add); err != nil {
		t.Fatal(err)
	}
	return b.Finish()
}

// sameRollup compares a rollup from sums with Rollup of every deal: every
// figure, to the minor unit; the deals skipped for their currency by
// number (sums do not list them).
func sameRollup(t testing.TB, step string, got, want *forecast.Rollup) bool {
	t.Helper()
	if want.SkippedDeals != len(want.Skipped) {
		t.Fatalf("%s: Rollup: SkippedDeals %d for %d skipped", step, want.SkippedDeals, len(want.Skipped))
	}
	g, w := *got, *want
	g.Skipped, w.Skipped = nil, nil
	if !reflect.DeepEqual(&g, &w) {
		t.Errorf("%s %s: the rollup from the sums differs from Rollup of every deal:\n got %+v\nwant %+v", step, want.Period.Name, g, w)
		return false
	}
	return true
}

// checkAgainstEveryDeal compares, for every period, the rollup of the
// sums with Rollup of every deal read back, and the stored sums with the
// deals' (the check's drift report).
func checkAgainstEveryDeal(t *testing.T, step string, db *DB, org *forecast.Org, periods []forecast.Period) {
	t.Helper()
	all, err := db.Deals(context.Background(), domain.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range periods {
		if !sameRollup(t, step, fromSums(t, db, org, p), org.Rollup(p, all)) {
			t.FailNow()
		}
	}
	if err := db.bolt.View(func(tx *bbolt.Tx) error {
		if drift := checkSums(tx); len(drift) > 0 {
			t.Fatalf("%s: the sums drifted from the deals:\n%s", step, strings.Join(drift, "\n"))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestSumsRollUpLikeEveryDeal: random deal sets on real bbolt files, then
// random sequences of every write a deal goes through (create, import, an
// update of each field the forecast reads, an update from a form, a
// discount approved and revised through the deal desk, win, loss, reopen,
// a change of owner, an update of a field the forecast does not read);
// after each step the rollup read from the sums equals Rollup of every
// deal, every figure to the cent, for every month, quarter and fiscal year
// of the deals' dates (fiscal years starting in January, April and
// October) and for ranges starting and ending inside months.
func TestSumsRollUpLikeEveryDeal(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 13))
			org := sumsOrg(t, []time.Month{time.January, time.April, time.October}[seed%3])
			db := openTest(t, newClock(time.Second))
			ctx := context.Background()
			periods := sumsPeriods(org, r)
			n := 0
			var ids []domain.DealID
			for range 40 + r.IntN(40) {
				n++
				ids = append(ids, mustCreate(t, db, randomDeal(r, n), "U1").ID)
			}
			var items []Imported
			for range 20 {
				n++
				items = append(items, Imported{Deal: randomDeal(r, n), By: "U2"})
			}
			imported, err := db.ImportDeals(ctx, items)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, imported...)
			checkAgainstEveryDeal(t, "created", db, org, periods)

			for step := range 150 {
				id := ids[r.IntN(len(ids))]
				var what string
				change := func(fn func(d *domain.Deal)) {
					t.Helper()
					if _, _, err := db.UpdateDeal(ctx, id, 0, "U1", func(d *domain.Deal) error { fn(d); return nil }); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
				}
				switch k := r.IntN(15); k {
				case 0:
					what = "create"
					n++
					ids = append(ids, mustCreate(t, db, randomDeal(r, n), "U3").ID)
				case 1:
					what = "amount"
					change(func(d *domain.Deal) { d.Amount = int64(1 + r.IntN(900_000_000)) })
				case 2:
					what = "close date"
					change(func(d *domain.Deal) { d.CloseDate = sumsDay(r) })
				case 3:
					what = "owner"
					change(func(d *domain.Deal) { d.Owner = sumsOwners[r.IntN(len(sumsOwners))] })
				case 4:
					what = "stage"
					change(func(d *domain.Deal) { d.Stage = sumsStage(r) })
				case 5:
					what = "category"
					change(func(d *domain.Deal) { d.Category = sumsCategories[r.IntN(len(sumsCategories))] })
				case 6:
					what = "win"
					change(func(d *domain.Deal) { sumsSetStatus(d, domain.Won) })
				case 7:
					what = "lose"
					change(func(d *domain.Deal) { sumsSetStatus(d, domain.Lost) })
				case 8:
					what = "reopen"
					change(func(d *domain.Deal) { sumsSetStatus(d, domain.Open) })
				case 9:
					what = "currency"
					change(func(d *domain.Deal) { d.Currency = []string{"EUR", "USD", "GBP"}[r.IntN(3)] })
				case 10:
					what = "discount"
					change(func(d *domain.Deal) { d.Discount = r.IntN(10_001) })
				case 11:
					what = "next step (not a forecast field)"
					change(func(d *domain.Deal) { d.NextStep = fmt.Sprintf("Call %d", step) })
				case 12:
					what = "form"
					cur := mustDeal(t, db, id)
					if _, _, err := db.UpdateDealForm(ctx, id, "U1", fmt.Sprintf("view-%d", step), fnForm{cur.Version, func(d *domain.Deal) error {
						d.Amount, d.Category, d.CloseDate = d.Amount+int64(r.IntN(1000)), sumsCategories[r.IntN(len(sumsCategories))], sumsDay(r)
						return nil
					}}); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
				case 13:
					what = "several fields at once"
					change(func(d *domain.Deal) {
						d.Owner, d.Stage, d.CloseDate, d.Amount = sumsOwners[r.IntN(len(sumsOwners))], sumsStage(r), sumsDay(r), d.Amount*2+1
						sumsSetStatus(d, sumsStatuses[r.IntN(len(sumsStatuses))])
					})
				case 14:
					what = "discount approved through the desk"
					cur := mustDeal(t, db, id)
					if cur.Status != domain.Open {
						change(func(d *domain.Deal) { sumsSetStatus(d, domain.Open) })
						cur = mustDeal(t, db, id)
					}
					approveDiscount(t, db, cur, 500+r.IntN(3000))
				}
				if step%10 == 9 || r.IntN(8) == 0 {
					checkAgainstEveryDeal(t, fmt.Sprintf("step %d (%s)", step, what), db, org, periods)
				}
			}
			checkAgainstEveryDeal(t, "end", db, org, periods)
		})
	}
}

// approveDiscount asks for bp on d through the deal desk and has both
// approvers approve it: store.applyDiscount sets it on the deal.
func approveDiscount(t testing.TB, db *DB, d *domain.Deal, bp int) *desk.Request {
	t.Helper()
	ctx := context.Background()
	req, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: d.ID, Requester: "U1", DiscountBP: bp, ListAmount: d.Amount,
		Currency: d.Currency, Justification: "Rival", DealVersion: d.Version}, "UMGR", t0)
	if err != nil {
		t.Fatal(err)
	}
	req, err = db.CreateDeskRequest(ctx, req, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []domain.UserID{"UMGR", "UVP", "UFIN"} {
		if req.Status != desk.StatusPending {
			break
		}
		if req, _, err = db.UpdateDeskRequest(ctx, req.ID, 0, func(x *desk.Request) error {
			return x.Decide(by, desk.Approve, "ok", t0.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
	}
	if got := mustDeal(t, db, d.ID).Discount; got != bp {
		t.Fatalf("the approved discount of %d bp is not on the deal: %d", bp, got)
	}
	return req
}

// TestSumsFollowEachWritePath: each way a deal is written moves its
// contribution to the sums in the write's own transaction. A deal of the
// quarter is written through one path, and the quarter's rollup from the
// sums must show it at once. Every path reaches the sums through putDeal;
// removing resum from it fails every subtest, and a new path that wrote
// the deals bucket directly would fail its own (and
// TestOnlyPutDealWritesTheDealsBucket).
func TestSumsFollowEachWritePath(t *testing.T) {
	org := sumsOrg(t, time.January)
	q, _ := org.Calendar().ParsePeriod("2026-Q1")
	ctx := context.Background()
	committed := func(t *testing.T, db *DB, want int64) {
		t.Helper()
		got := fromSums(t, db, org, q)
		if got.Company.Commit != want {
			t.Errorf("the quarter's commit from the sums is %d, want %d", got.Company.Commit, want)
		}
		checkAgainstEveryDeal(t, t.Name(), db, org, []forecast.Period{q})
	}
	deal := func() *domain.Deal {
		d := newDeal("Edge", "Acme", "U1", "2026-03-31", "")
		d.Category, d.Amount = domain.Commit, 100_000_00
		return d
	}
	t.Run("CreateDeal", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		mustCreate(t, db, deal(), "U1")
		committed(t, db, 100_000_00)
	})
	t.Run("ImportDeals", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		if _, err := db.ImportDeals(ctx, []Imported{{Deal: deal(), By: "U1"}}); err != nil {
			t.Fatal(err)
		}
		committed(t, db, 100_000_00)
	})
	t.Run("UpdateDeal", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, deal(), "U1")
		for _, c := range []struct {
			field string
			fn    func(*domain.Deal)
			want  int64
		}{
			{"amount", func(d *domain.Deal) { d.Amount = 80_000_00 }, 80_000_00},
			{"discount", func(d *domain.Deal) { d.Discount = 2500 }, 60_000_00},
			{"close date out of the quarter", func(d *domain.Deal) { d.CloseDate = date("2026-04-01") }, 0},
			{"close date back", func(d *domain.Deal) { d.CloseDate = date("2026-01-01") }, 60_000_00},
			{"category", func(d *domain.Deal) { d.Category = domain.Upside }, 0},
			{"category back", func(d *domain.Deal) { d.Category = domain.Commit }, 60_000_00},
			{"currency", func(d *domain.Deal) { d.Currency = "USD" }, 0},
			{"currency back", func(d *domain.Deal) { d.Currency = "EUR" }, 60_000_00},
			{"stage", func(d *domain.Deal) { d.Stage = "Negotiation" }, 60_000_00},
			{"owner", func(d *domain.Deal) { d.Owner = "U4" }, 60_000_00},
			{"lose", func(d *domain.Deal) { sumsSetStatus(d, domain.Lost) }, 0},
			{"reopen", func(d *domain.Deal) { sumsSetStatus(d, domain.Open) }, 60_000_00},
			{"win", func(d *domain.Deal) { sumsSetStatus(d, domain.Won) }, 60_000_00},
		} {
			if _, _, err := db.UpdateDeal(ctx, d.ID, 0, "U1", func(d *domain.Deal) error { c.fn(d); return nil }); err != nil {
				t.Fatal(err)
			}
			t.Run(c.field, func(t *testing.T) { committed(t, db, c.want) })
		}
		if l, _ := fromSums(t, db, org, q).Rep("U4"); l.Won != 60_000_00 || l.WonDeals != 1 {
			t.Errorf("the new owner's line: won %d in %d deals, want 6000000 in 1", l.Won, l.WonDeals)
		}
	})
	t.Run("UpdateDealForm", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, deal(), "U1")
		if _, _, err := db.UpdateDealForm(ctx, d.ID, "U1", "view-1", fnForm{d.Version, func(d *domain.Deal) error {
			d.Amount = 70_000_00
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
		committed(t, db, 70_000_00)
	})
	t.Run("DeskApproval", func(t *testing.T) {
		db := openTest(t, newClock(time.Second))
		d := mustCreate(t, db, deal(), "U1")
		approveDiscount(t, db, d, 2000)
		committed(t, db, 80_000_00)
		// A revision approved later replaces it.
		d = mustDeal(t, db, d.ID)
		rev, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: d.ID, Requester: "U1", DiscountBP: 1000, ListAmount: d.Amount,
			Currency: "EUR", Justification: "Rival", DealVersion: d.Version}, "UMGR", t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDeskRequest(ctx, rev, ""); err != nil { // 10%: approved without approvers
			t.Fatal(err)
		}
		committed(t, db, 90_000_00)
	})
	t.Run("BackupAndRestore", func(t *testing.T) {
		// A backup is a copy of the file: the sums travel with the deals,
		// and a file restored from it reads the same forecast.
		db := openTest(t, newClock(time.Second))
		mustCreate(t, db, deal(), "U1")
		dst := filepath.Join(t.TempDir(), "backup.db")
		if err := writeFileAtomic(dst, func(w io.Writer) error { _, err := db.Backup(w); return err }); err != nil {
			t.Fatal(err)
		}
		committed(t, openPath(t, dst, newClock(time.Second)), 100_000_00)
	})
	t.Run("Migration", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "v6.db")
		db := openPath(t, path, newClock(time.Second))
		mustCreate(t, db, deal(), "U1")
		// The file as version 6 wrote it: no sums.
		if err := db.bolt.Update(func(tx *bbolt.Tx) error {
			if err := tx.DeleteBucket(bucketSums); err != nil {
				return err
			}
			return setFileVersion(tx, 6)
		}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db = openPath(t, path, newClock(time.Second))
		committed(t, db, 100_000_00)
	})
}

// TestOnlyPutDealWritesTheDealsBucket: the sums are kept by putDeal; a
// write to the deals bucket anywhere else would leave them behind.
func TestOnlyPutDealWritesTheDealsBucket(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var writes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src := mustRead(t, f)
		for i, line := range strings.Split(src, "\n") {
			if strings.Contains(line, "deals.Put(") || strings.Contains(line, "deals.Delete(") {
				writes = append(writes, fmt.Sprintf("%s:%d", f, i+1))
			}
		}
	}
	if len(writes) != 1 || !strings.HasPrefix(writes[0], "deals.go:") {
		t.Errorf("writes to the deals bucket at %v; want one, putDeal's", writes)
	}
}

// TestMigrationBuildsTheSums: migration 7 builds the sums of a version 6
// file's deals, skipping a deal that cannot be read (the forecast skipped
// it before), and the check finds no drift afterwards.
func TestMigrationBuildsTheSums(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	db := openPath(t, path, newClock(time.Second))
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 50 {
		mustCreate(t, db, randomDeal(r, i), "U1")
	}
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketSums); err != nil {
			return err
		}
		if err := tx.Bucket(bucketDeals).Put(idKey(7), []byte("{not json")); err != nil {
			return err
		}
		return setFileVersion(tx, 6)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openPath(t, path, newClock(time.Second))
	org := sumsOrg(t, time.January)
	checkAgainstEveryDeal(t, "migrated", db, org, sumsPeriods(org, r))
	db.Close()
	rep, err := CheckFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"deals/D-7: store: deal 7: invalid character 'n' looking for beginning of object key string"}; !slices.Equal(rep.BadRecords, want) || len(rep.Drift) != 0 {
		t.Errorf("CheckFile: %q, drift %q; want only the bad deal %q", rep.BadRecords, rep.Drift, want)
	}
}

// TestCheckFileReportsSumsDrift: a sum record that disagrees with the
// deals, one missing and one too many, and an unreadable one are each
// reported by dealpilot check.
func TestCheckFileReportsSumsDrift(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drift.db")
	db := openPath(t, path, newClock(time.Second))
	a := newDeal("A", "Acme", "U1", "2026-03-31", "")
	a.Category = domain.Commit
	mustCreate(t, db, a, "U1")
	b := newDeal("B", "Acme", "U2", "2026-11-02", "")
	mustCreate(t, db, b, "U2")
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		s := tx.Bucket(bucketSums)
		ka := sumKey(mustDealTx(t, tx, 1))
		if err := s.Put(ka, encodeSumValue(2, 1)); err != nil {
			return err
		}
		if err := s.Delete(sumKey(mustDealTx(t, tx, 2))); err != nil {
			return err
		}
		ghost := newDeal("C", "Acme", "U3", "2027-01-15", "")
		if err := s.Put(sumKey(ghost), encodeSumValue(1, 5)); err != nil {
			return err
		}
		return s.Put(append(monthKey(date("2026-05-01")), "U9"...), []byte{1})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	rep, err := CheckFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"fc_sums/" + quotedKey(append(monthKey(date("2026-05-01")), "U9"...)) +
		`: the key is not <month><owner>0x00<currency>0x00<status>0x00<category>0x00<stage>`}; !slices.Equal(rep.BadRecords, want) {
		t.Errorf("CheckFile bad records:\n%s\nwant\n%s", strings.Join(rep.BadRecords, "\n"), strings.Join(want, "\n"))
	}
	want := []string{
		`fc_sums/2026-03 U1 EUR open commit "Qualification": drift: holds 2 deals, net 1; the deals give 1 deals, net 12000000`,
		`fc_sums/2026-11 U2 EUR open pipeline "Qualification": drift: missing; the deals give 1 deals, net 12000000`,
		`fc_sums/2027-01 U3 EUR open pipeline "Qualification": drift: holds 1 deals, net 5; the deals give 0 deals, net 0`,
	}
	if !slices.Equal(rep.Drift, want) || rep.OK() {
		t.Errorf("CheckFile drift:\n%s\nwant\n%s", strings.Join(rep.Drift, "\n"), strings.Join(want, "\n"))
	}
}

// TestSplitMonths: the whole months of a range are read from the sums,
// the rest from the deals.
func TestSplitMonths(t *testing.T) {
	for _, c := range []struct {
		from, before string
		whole        [2]string
		parts        [][2]string
	}{
		{"2026-01-01", "2026-04-01", [2]string{"2026-01-01", "2026-04-01"}, nil},
		{"2026-10-01", "2027-10-01", [2]string{"2026-10-01", "2027-10-01"}, nil},
		{"2026-01-15", "2026-04-01", [2]string{"2026-02-01", "2026-04-01"}, [][2]string{{"2026-01-15", "2026-02-01"}}},
		{"2026-01-01", "2026-03-10", [2]string{"2026-01-01", "2026-03-01"}, [][2]string{{"2026-03-01", "2026-03-10"}}},
		{"2026-01-15", "2026-03-10", [2]string{"2026-02-01", "2026-03-01"}, [][2]string{{"2026-01-15", "2026-02-01"}, {"2026-03-01", "2026-03-10"}}},
		{"2026-01-15", "2026-02-10", [2]string{"2026-02-01", "2026-02-01"}, [][2]string{{"2026-01-15", "2026-02-10"}}},
		{"2026-01-15", "2026-02-01", [2]string{"2026-02-01", "2026-02-01"}, [][2]string{{"2026-01-15", "2026-02-01"}}},
		{"2026-01-01", "2026-01-20", [2]string{"2026-01-01", "2026-01-01"}, [][2]string{{"2026-01-01", "2026-01-20"}}},
		{"2026-12-31", "2027-01-01", [2]string{"2027-01-01", "2027-01-01"}, [][2]string{{"2026-12-31", "2027-01-01"}}},
	} {
		whole, parts := splitMonths(date(c.from), date(c.before))
		var gotParts [][2]string
		for _, p := range parts {
			gotParts = append(gotParts, [2]string{p[0].String(), p[1].String()})
		}
		if got := [2]string{whole[0].String(), whole[1].String()}; got != c.whole || !reflect.DeepEqual(gotParts, c.parts) {
			t.Errorf("splitMonths(%s, %s) = %v, %v; want %v, %v", c.from, c.before, got, gotParts, c.whole, c.parts)
		}
	}
}

func mustRead(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustDealTx(t testing.TB, tx *bbolt.Tx, id domain.DealID) *domain.Deal {
	t.Helper()
	d, err := readDeal(tx.Bucket(bucketDeals), id)
	if err != nil || d == nil {
		t.Fatalf("deal %d: %v", id, err)
	}
	return d
}
