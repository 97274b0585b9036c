package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// t0 is when the tests' clocks start.
var t0 = time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)

// testClock is a clock the test moves. With step set, every reading
// advances it, so two readings never agree: a test can tell whether two
// timestamps came from one reading (one transaction) or two.
type testClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func newClock(step time.Duration) *testClock { return &testClock{now: t0, step: step} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.step)
	return t
}

// Peek returns the next reading without taking it.
func (c *testClock) Peek() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// openTest opens a new file in a temporary directory, closed at cleanup.
func openTest(t testing.TB, clk domain.Clock) *DB {
	t.Helper()
	return openPath(t, filepath.Join(t.TempDir(), "dealpilot.db"), clk)
}

func openPath(t testing.TB, path string, clk domain.Clock) *DB {
	t.Helper()
	db, err := Open(path, Options{Clock: clk, Logf: t.Logf})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func date(s string) domain.Date {
	if s == "" {
		return domain.Date{}
	}
	d, err := domain.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// newDeal returns an open deal that passes domain validation.
func newDeal(name, account string, owner domain.UserID, closeDate, due string) *domain.Deal {
	d := &domain.Deal{
		Name: name, Account: account, Owner: owner,
		Amount: 120_000_00, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline,
		CloseDate: date(closeDate), Status: domain.Open,
	}
	if due != "" {
		d.NextStep, d.NextStepDue = "Call "+account, date(due)
	}
	return d
}

func mustCreate(t testing.TB, db *DB, d *domain.Deal, by domain.UserID) *domain.Deal {
	t.Helper()
	got, err := db.CreateDeal(context.Background(), d, by, "")
	if err != nil {
		t.Fatalf("CreateDeal(%s): %v", d.Name, err)
	}
	return got
}

func mustDeal(t testing.TB, db *DB, id domain.DealID) *domain.Deal {
	t.Helper()
	d, err := db.Deal(context.Background(), id)
	if err != nil {
		t.Fatalf("Deal(%d): %v", id, err)
	}
	return d
}

func mustHistory(t testing.TB, db *DB, id domain.DealID) []domain.HistoryEntry {
	t.Helper()
	h, err := db.History(context.Background(), id)
	if err != nil {
		t.Fatalf("History(%d): %v", id, err)
	}
	return h
}

func ids(ds []*domain.Deal) []domain.DealID {
	out := make([]domain.DealID, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}
