package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

func TestCreateDeal(t *testing.T) {
	clk := newClock(time.Second) // every reading differs
	db := openTest(t, clk)
	ctx := context.Background()

	in := newDeal("Société Générale renewal", "Société Générale", "U1", "2026-03-31", "2026-02-10")
	before := *in
	wantAt := clk.Peek()
	d, err := db.CreateDeal(ctx, in, "U9", "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*in, before) {
		t.Errorf("CreateDeal modified its argument: %+v", in)
	}
	if d.ID != 1 || d.Version != 1 {
		t.Errorf("ID, Version = %d, %d; want 1, 1", d.ID, d.Version)
	}
	if !d.CreatedAt.Equal(wantAt) || d.UpdatedAt != d.CreatedAt || d.CreatedBy != "U9" || d.UpdatedBy != "U9" {
		t.Errorf("created %v by %s, updated %v by %s; want both %v by U9", d.CreatedAt, d.CreatedBy, d.UpdatedAt, d.UpdatedBy, wantAt)
	}
	if got := mustDeal(t, db, d.ID); !reflect.DeepEqual(got, d) {
		t.Errorf("Deal read back differs:\n got %+v\nwant %+v", got, d)
	}

	h := mustHistory(t, db, d.ID)
	wantFields := []domain.Field{
		domain.FieldName, domain.FieldAccount, domain.FieldOwner, domain.FieldAmount, domain.FieldCurrency,
		domain.FieldStage, domain.FieldCategory, domain.FieldCloseDate, domain.FieldNextStep,
		domain.FieldNextStepDue, domain.FieldStatus,
	}
	var gotFields []domain.Field
	for _, e := range h {
		gotFields = append(gotFields, e.Field)
		if e.Deal != d.ID || e.By != "U9" || !e.At.Equal(d.CreatedAt) || e.Old != "" || e.New != d.Get(e.Field) {
			t.Errorf("history entry %+v; want deal 1, by U9 at %v, old empty, new %q", e, d.CreatedAt, d.Get(e.Field))
		}
	}
	if !slices.Equal(gotFields, wantFields) {
		t.Errorf("history fields = %v; want %v", gotFields, wantFields)
	}

	d2 := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U9")
	if d2.ID != 2 || !d2.CreatedAt.After(d.CreatedAt) {
		t.Errorf("second deal: ID %d created %v; want 2, after %v", d2.ID, d2.CreatedAt, d.CreatedAt)
	}
}

func TestCreateDealIdempotent(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()

	first, err := db.CreateDeal(ctx, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1", "view-123")
	if err != nil {
		t.Fatal(err)
	}
	retry, err := db.CreateDeal(ctx, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1", "view-123")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(retry, first) {
		t.Errorf("retry returned %+v; want the first deal %+v", retry, first)
	}
	other, err := db.CreateDeal(ctx, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1", "view-456")
	if err != nil {
		t.Fatal(err)
	}
	if other.ID != 2 {
		t.Errorf("a new key created deal %d; want 2", other.ID)
	}
	all, err := db.Deals(ctx, domain.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Errorf("%d deals saved; want 2", len(all))
	}
	if n := len(mustHistory(t, db, first.ID)); n != len(mustHistory(t, db, other.ID)) {
		t.Errorf("the retry wrote history: %d entries", n)
	}
}

func TestCreateDealIdempotentConcurrent(t *testing.T) {
	db := openTest(t, newClock(time.Millisecond))
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	got := make([]*domain.Deal, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = db.CreateDeal(ctx, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1", "same-key")
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if got[i].ID != 1 {
			t.Errorf("call %d got deal %d; want 1", i, got[i].ID)
		}
	}
	if s, err := db.Stats(); err != nil || s.Deals != 1 || s.CreateKeys != 1 {
		t.Errorf("Stats = %+v, %v; want 1 deal, 1 key", s, err)
	}
}

func TestNotFound(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")

	calls := []struct {
		name string
		call func() error
	}{
		{"Deal", func() error { _, err := db.Deal(ctx, 99); return err }},
		{"UpdateDeal", func() error {
			_, _, err := db.UpdateDeal(ctx, 99, 0, "U1", func(d *domain.Deal) error { d.Name = "x"; return nil })
			return err
		}},
		{"History", func() error { _, err := db.History(ctx, 99); return err }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.ENOTFOUND || e.Key != "deal.not_found" ||
				len(e.Args) != 1 || e.Args[0] != "D-99" {
				t.Fatalf("err = %#v; want ENOTFOUND deal.not_found D-99", err)
			}
			if got := i18n.Message(i18n.EN, e); got != "There is no deal D-99." {
				t.Errorf("message %q", got)
			}
		})
	}
}

func TestUpdateDeal(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name         string
		version      uint64 // 0: the current version
		skipCheck    bool   // pass version 0
		fn           func(*domain.Deal) error
		wantErr      error // compared with errors.Is; nil for none
		wantConflict bool
		wantChanges  []domain.Change
	}{
		{
			name: "OK",
			fn: func(d *domain.Deal) error {
				d.Stage, d.Need = "Discovery", "Faster invoicing"
				return nil
			},
			wantChanges: []domain.Change{
				{Field: domain.FieldStage, Old: "Qualification", New: "Discovery"},
				{Field: domain.FieldNeed, Old: "", New: "Faster invoicing"},
			},
		},
		{
			name:      "VersionZeroSkipsCheck",
			skipCheck: true,
			fn:        func(d *domain.Deal) error { d.Amount = 5; return nil },
			wantChanges: []domain.Change{
				{Field: domain.FieldAmount, Old: "12000000", New: "5"},
			},
		},
		{
			name:         "ErrConflict",
			version:      1, // the deal is at 2 when the case runs
			fn:           func(d *domain.Deal) error { d.Name = "Stale"; return nil },
			wantConflict: true,
		},
		{
			name: "ErrFromFn",
			fn: func(d *domain.Deal) error {
				d.Name = "Half done"
				return errBoom
			},
			wantErr: errBoom,
		},
		{
			name: "NoChange",
			fn: func(d *domain.Deal) error {
				d.Name = d.Name + ""
				return nil
			},
		},
		{
			name: "StoreFieldsAreNotFns",
			fn: func(d *domain.Deal) error {
				d.ID, d.Version, d.CreatedBy, d.UpdatedBy = 77, 99, "UX", "UX"
				d.CreatedAt, d.UpdatedAt = time.Time{}, time.Time{}
				return nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock(time.Minute)
			db := openTest(t, clk)
			ctx := context.Background()
			created := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", "2026-02-10"), "U1")
			// A first change by U2 so that conflicts have someone to name.
			base, _, err := db.UpdateDeal(ctx, created.ID, 1, "U2", func(d *domain.Deal) error { d.Risk = "Budget freeze"; return nil })
			if err != nil {
				t.Fatal(err)
			}
			historyBefore := mustHistory(t, db, base.ID)

			version := base.Version
			if tt.version != 0 {
				version = tt.version
			}
			if tt.skipCheck {
				version = 0
			}
			got, changes, err := db.UpdateDeal(ctx, base.ID, version, "U3", tt.fn)

			saved := mustDeal(t, db, base.ID)
			historyAfter := mustHistory(t, db, base.ID)
			if tt.wantConflict || tt.wantErr != nil || tt.wantChanges == nil {
				// Nothing saved.
				if !reflect.DeepEqual(saved, base) {
					t.Errorf("deal changed:\n got %+v\nwant %+v", saved, base)
				}
				if len(historyAfter) != len(historyBefore) {
					t.Errorf("history grew from %d to %d entries", len(historyBefore), len(historyAfter))
				}
			}
			switch {
			case tt.wantConflict:
				var c *domain.Conflict
				if !errors.As(err, &c) {
					t.Fatalf("err = %v; want *domain.Conflict", err)
				}
				if c.Deal != base.ID || c.By != "U2" || !c.At.Equal(base.UpdatedAt) {
					t.Errorf("conflict %+v; want deal %d by U2 at %v", c, base.ID, base.UpdatedAt)
				}
				// It names what changed since: U2's risk.
				if want := []domain.HistoryEntry{{Deal: base.ID, At: base.UpdatedAt, By: "U2", Field: domain.FieldRisk, New: "Budget freeze", Version: 2}}; !reflect.DeepEqual(c.Changes, want) {
					t.Errorf("conflict changes %+v; want %+v", c.Changes, want)
				}
				if domain.ErrorCode(err) != domain.ECONFLICT {
					t.Errorf("ErrorCode = %q", domain.ErrorCode(err))
				}
				return
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v; want %v", err, tt.wantErr)
				}
				if got != nil || changes != nil {
					t.Errorf("got %v, %v with an error", got, changes)
				}
				return
			case err != nil:
				t.Fatalf("UpdateDeal: %v", err)
			case tt.wantChanges == nil:
				if changes != nil || !reflect.DeepEqual(got, base) {
					t.Errorf("no-op update returned %+v, %v; want the deal as it was", got, changes)
				}
				return
			}

			if !reflect.DeepEqual(changes, tt.wantChanges) {
				t.Errorf("changes = %+v; want %+v", changes, tt.wantChanges)
			}
			if got.Version != base.Version+1 || got.UpdatedBy != "U3" || !got.UpdatedAt.After(base.UpdatedAt) ||
				got.CreatedAt != base.CreatedAt || got.CreatedBy != base.CreatedBy {
				t.Errorf("stamps: version %d, updated %v by %s, created %v by %s", got.Version, got.UpdatedAt, got.UpdatedBy, got.CreatedAt, got.CreatedBy)
			}
			if !reflect.DeepEqual(saved, got) {
				t.Errorf("saved deal differs from returned:\n got %+v\nwant %+v", saved, got)
			}
			newEntries := historyAfter[len(historyBefore):]
			if len(newEntries) != len(tt.wantChanges) {
				t.Fatalf("%d new history entries; want %d", len(newEntries), len(tt.wantChanges))
			}
			for i, e := range newEntries {
				c := tt.wantChanges[i]
				want := domain.HistoryEntry{Deal: base.ID, At: got.UpdatedAt, By: "U3", Field: c.Field, Old: c.Old, New: c.New, Version: got.Version}
				if !reflect.DeepEqual(e, want) {
					t.Errorf("history entry %d = %+v; want %+v", i, e, want)
				}
			}
		})
	}
}

func TestUpdateDealHistoryOrder(t *testing.T) {
	db := openTest(t, newClock(time.Minute))
	ctx := context.Background()
	a := mustCreate(t, db, newDeal("A", "A", "U1", "2026-03-31", ""), "U1")
	b := mustCreate(t, db, newDeal("B", "B", "U1", "2026-03-31", ""), "U1")
	for i := range 3 {
		for _, id := range []domain.DealID{a.ID, b.ID} {
			if _, _, err := db.UpdateDeal(ctx, id, 0, "U2", func(d *domain.Deal) error {
				d.NextStep = fmt.Sprintf("step %d", i)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := mustHistory(t, db, a.ID)
	var steps []string
	for i, e := range h {
		if e.Deal != a.ID {
			t.Errorf("entry of deal %d in the history of %d", e.Deal, a.ID)
		}
		if i > 0 && e.At.Before(h[i-1].At) {
			t.Errorf("entry %d at %v is before entry %d at %v", i, e.At, i-1, h[i-1].At)
		}
		if e.Field == domain.FieldNextStep {
			steps = append(steps, e.New)
		}
	}
	if want := []string{"step 0", "step 1", "step 2"}; !slices.Equal(steps, want) {
		t.Errorf("next steps in history = %q; want %q", steps, want)
	}
}

// TestConcurrentUpdates has many goroutines update one deal from the same
// version, round after round: exactly one wins each round, and every other
// gets a Conflict naming the winner.
func TestConcurrentUpdates(t *testing.T) {
	db := openTest(t, newClock(time.Millisecond))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U0", "2026-03-31", "2026-02-10"), "U0")
	const workers, rounds = 50, 5

	for round := range rounds {
		version := mustDeal(t, db, d.ID).Version
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for i := range workers {
			wg.Go(func() {
				<-start
				_, _, errs[i] = db.UpdateDeal(ctx, d.ID, version, domain.UserID(fmt.Sprintf("U%d", i+1)), func(d *domain.Deal) error {
					d.NextStep = fmt.Sprintf("round %d by %d", round, i+1)
					return nil
				})
			})
		}
		close(start)
		wg.Wait()

		now := mustDeal(t, db, d.ID)
		if now.Version != version+1 {
			t.Fatalf("round %d: version %d; want %d", round, now.Version, version+1)
		}
		wins := 0
		for i, err := range errs {
			var c *domain.Conflict
			switch {
			case err == nil:
				wins++
				if now.UpdatedBy != domain.UserID(fmt.Sprintf("U%d", i+1)) {
					t.Errorf("round %d: U%d won but the deal says %s", round, i+1, now.UpdatedBy)
				}
			case errors.As(err, &c):
				if c.By != now.UpdatedBy || !c.At.Equal(now.UpdatedAt) {
					t.Errorf("round %d: conflict names %s at %v; want %s at %v", round, c.By, c.At, now.UpdatedBy, now.UpdatedAt)
				}
			default:
				t.Errorf("round %d, worker %d: %v", round, i, err)
			}
		}
		if wins != 1 {
			t.Errorf("round %d: %d winners; want 1", round, wins)
		}
	}
	h := mustHistory(t, db, d.ID)
	if created := len(domain.Diff(&domain.Deal{}, d)); len(h) != created+rounds {
		t.Errorf("%d history entries; want %d", len(h), created+rounds)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

// TestConcurrentUpdatesManyDeals checks batched writers that mix wins,
// conflicts and fn errors in one bbolt transaction: each gets its own answer.
func TestConcurrentUpdatesManyDeals(t *testing.T) {
	db := openTest(t, newClock(time.Millisecond))
	ctx := context.Background()
	const n = 60
	var deals []*domain.Deal
	for i := range n {
		deals = append(deals, mustCreate(t, db, newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", "2026-03-31", ""), "U1"))
	}
	// Every third deal is changed first, so that an update on version 1
	// is stale.
	for i, d := range deals {
		if i%3 == 2 {
			if _, _, err := db.UpdateDeal(ctx, d.ID, 0, "U3", func(d *domain.Deal) error { d.Risk = "first"; return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	errOdd := errors.New("odd")
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, d := range deals {
		wg.Go(func() {
			<-start
			version := d.Version // stale for every third deal
			_, _, errs[i] = db.UpdateDeal(ctx, d.ID, version, "U2", func(d *domain.Deal) error {
				d.Amount++
				if i%3 == 1 {
					return errOdd
				}
				return nil
			})
		})
	}
	close(start)
	wg.Wait()
	for i, d := range deals {
		got := mustDeal(t, db, d.ID)
		var c *domain.Conflict
		switch i % 3 {
		case 0:
			if errs[i] != nil || got.Version != 2 || got.Amount != d.Amount+1 {
				t.Errorf("deal %d: err %v, version %d, amount %d; want saved", i, errs[i], got.Version, got.Amount)
			}
		case 1:
			if !errors.Is(errs[i], errOdd) || got.Version != 1 {
				t.Errorf("deal %d: err %v, version %d; want fn's error, nothing saved", i, errs[i], got.Version)
			}
		case 2:
			if !errors.As(errs[i], &c) || got.Version != 2 || len(c.Changes) != 1 || c.Changes[0].New != "first" {
				t.Errorf("deal %d: err %v, version %d; want a conflict, nothing saved", i, errs[i], got.Version)
			}
		}
	}
}

func TestTxTimeIsFixedPerTransaction(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	var a, b, c time.Time
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		a, b = db.txTime(tx), db.txTime(tx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		c = db.txTime(tx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) || !c.After(a) {
		t.Errorf("times %v, %v in one transaction, %v in the next; want the first two equal and the third later", a, b, c)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	clk := newClock(time.Second)
	db, err := Open(path, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Société Générale", "SG", "U1", "2026-03-31", "2026-02-10"), "U1")
	d, _, err = db.UpdateDeal(ctx, d.ID, d.Version, "U2", func(d *domain.Deal) error { d.Stage = "Demo"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	h := mustHistory(t, db, d.ID)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openPath(t, path, clk)
	if got := mustDeal(t, db, d.ID); !reflect.DeepEqual(got, d) {
		t.Errorf("after reopen:\n got %+v\nwant %+v", got, d)
	}
	if got := mustHistory(t, db, d.ID); !reflect.DeepEqual(got, h) {
		t.Errorf("history after reopen:\n got %+v\nwant %+v", got, h)
	}
	found, err := db.Deals(ctx, domain.DealFilter{Words: []string{"generale"}})
	if err != nil || len(found) != 1 {
		t.Errorf("search after reopen: %v, %v", ids(found), err)
	}
	if d2 := mustCreate(t, db, newDeal("Next", "Next", "U1", "2026-03-31", ""), "U1"); d2.ID != 2 {
		t.Errorf("next id after reopen = %d; want 2", d2.ID)
	}
}

func TestOpenInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	openPath(t, path, nil)
	// bbolt's flock is per open file, so a second Open in this process
	// meets the lock just as another process would.
	_, err := Open(path, Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v; want ErrInUse", err)
	}
	t.Log(err)
}

func TestContextCancelled(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.CreateDeal(ctx, newDeal("A", "A", "U1", "2026-03-31", ""), "U1", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateDeal: %v", err)
	}
	if s, _ := db.Stats(); s.Deals != 0 {
		t.Errorf("a cancelled create saved a deal")
	}
}

func TestCheck(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	for i := range 50 {
		mustCreate(t, db, newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", "2026-03-31", "2026-02-10"), "U1")
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	s, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if s.SchemaVersion != schemaVersion || s.Deals != 50 || s.HistoryEntries != 50*11 || s.FileBytes == 0 {
		t.Errorf("Stats = %+v", s)
	}
}

// TestBatchRetryWritesOnce makes bbolt retry a batch (one call in it
// panics) and checks that the other calls, run again in a fresh
// transaction, are each saved exactly once.
func TestBatchRetryWritesOnce(t *testing.T) {
	db := openTest(t, newClock(time.Millisecond))
	ctx := context.Background()
	const n = 20
	var deals []*domain.Deal
	for i := range n + 1 {
		deals = append(deals, mustCreate(t, db, newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", "2026-03-31", ""), "U1"))
	}
	// One batch of exactly the n+1 calls below, run when the last joins.
	db.bolt.MaxBatchSize, db.bolt.MaxBatchDelay = n+1, time.Hour

	// A solo writer holds the write lock so the others must batch.
	entered, release := make(chan struct{}), make(chan struct{})
	blockerDone := make(chan error)
	go func() {
		_, _, err := db.UpdateDeal(ctx, deals[n].ID, 0, "U0", func(d *domain.Deal) error {
			close(entered)
			<-release
			d.Risk = "blocker"
			return nil
		})
		blockerDone <- err
	}()
	<-entered

	var calls [n]atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, _, errs[i] = db.UpdateDeal(ctx, deals[i].ID, 1, "U2", func(d *domain.Deal) error {
				calls[i].Add(1)
				d.Amount++
				return nil
			})
		})
	}
	for db.writers.Load() < n+1 {
		runtime.Gosched() // wait for the n writers to queue behind the blocker
	}
	panicked := make(chan any)
	go func() {
		defer func() { panicked <- recover() }()
		_, _, _ = db.UpdateDeal(ctx, deals[0].ID, 0, "U3", func(*domain.Deal) error { panic("boom") })
	}()
	for db.writers.Load() < n+2 {
		runtime.Gosched()
	}
	close(release)
	if err := <-blockerDone; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if p := <-panicked; p != "boom" {
		t.Errorf("the panicking update recovered %v; want its panic", p)
	}

	retried := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("update %d: %v", i, errs[i])
			continue
		}
		if calls[i].Load() > 1 {
			retried++
		}
		got := mustDeal(t, db, deals[i].ID)
		h := mustHistory(t, db, deals[i].ID)
		created := len(domain.Diff(&domain.Deal{}, deals[i]))
		if got.Version != 2 || got.Amount != deals[i].Amount+1 || len(h) != created+1 {
			t.Errorf("deal %d: version %d, amount %d, %d history entries; want one update saved once", i, got.Version, got.Amount, len(h))
		}
	}
	t.Logf("%d of %d calls ran more than once", retried, n)
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

// TestLastChange: the newest entry of the deal asked, never its neighbour's
// (deals before and after it have history too, and the last deal of the
// bucket ends the keys); nil for none; an undecodable newest entry gives
// the one before it.
func TestLastChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db := openPath(t, path, newClock(time.Minute))
	ctx := context.Background()
	var ids []domain.DealID
	for _, n := range []string{"A", "B", "C"} {
		ids = append(ids, mustCreate(t, db, newDeal(n, n, "U1", "2026-03-31", ""), "U1").ID)
	}
	for i := range 3 {
		for _, id := range ids {
			if _, _, err := db.UpdateDeal(ctx, id, 0, "U2", func(d *domain.Deal) error {
				d.NextStep = fmt.Sprintf("%s step %d", d.Name, i)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, want := range []string{"A step 2", "B step 2", "C step 2"} {
		e, err := db.LastChange(ctx, ids[i])
		if err != nil || e == nil || e.New != want || e.Deal != ids[i] {
			t.Errorf("LastChange(%d) = %+v, %v; want the entry %q", ids[i], e, err, want)
		}
		h := mustHistory(t, db, ids[i])
		if e != nil && !reflect.DeepEqual(*e, h[len(h)-1]) {
			t.Errorf("LastChange(%d) = %+v; History's last is %+v", ids[i], *e, h[len(h)-1])
		}
	}
	if _, err := db.LastChange(ctx, 99); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("LastChange of no deal: %v; want not found", err)
	}
	// The newest entry of B unreadable: the one before it.
	var lastOfB []byte
	_ = db.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketHistory).Cursor()
		c.Seek(idKey(ids[2]))
		k, _ := c.Prev()
		lastOfB = bytes.Clone(k)
		return nil
	})
	db.Close()
	garble(t, path, map[string]map[string][]byte{"history": {string(lastOfB): []byte(`not json`)}})
	db = openPath(t, path, newClock(time.Minute))
	if e, err := db.LastChange(ctx, ids[1]); err != nil || e == nil || e.New != "B step 1" {
		t.Errorf("LastChange past an unreadable entry = %+v, %v; want \"B step 1\"", e, err)
	}
}
