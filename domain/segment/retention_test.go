package segment_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// retentionStory is testdata/segments_retention.md's deals and accounts.
func retentionStory(t *testing.T) retention.Input {
	t.Helper()
	date := func(s string) domain.Date {
		d, err := domain.ParseISODate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	const eur = 100
	won := func(id domain.DealID, account string, typ domain.DealType, closed string, arr int64, industry string) *domain.Deal {
		d := &domain.Deal{ID: id, Name: account + " deal", Account: account, Owner: "U0LEA", Type: typ, Status: domain.Won,
			CloseDate: date(closed), Recurring: arr * eur, Currency: "EUR", Amount: arr * eur}
		if industry != "" {
			d.SetAttr("industry", industry)
		}
		return d
	}
	deals := []*domain.Deal{
		won(1, "Acme", domain.TypeNew, "2025-11-15", 120_000, ""),
		won(2, "Acme", domain.TypeRenewal, "2026-11-15", 150_000, ""),
		won(3, "Bravo", domain.TypeNew, "2026-02-01", 60_000, ""),
		won(4, "Cobalt", domain.TypeNew, "2026-03-10", 80_000, ""),
		won(5, "Cobalt", domain.TypeExpansion, "2026-11-28", 10_000, ""),
		won(6, "Delta", domain.TypeNew, "2026-10-05", 40_000, ""),
		won(7, "Echo", "", "2026-09-30", 30_000, ""),
		won(8, "Foxtrot", domain.TypeNew, "2025-12-01", 20_000, "software"),
		won(9, "Foxtrot", domain.TypeRenewal, "2026-10-31", 20_000, "retail"),
		won(10, "Golf", domain.TypeNew, "2026-02-15", 12_000, ""),
		won(11, "Hotel", domain.TypeNew, "2026-01-10", 0, ""),
		won(12, "Hotel", domain.TypeRenewal, "2026-12-01", 0, ""),
		won(13, "India", domain.TypeNew, "2026-01-05", 99_000, ""),
		won(14, "Acme", domain.TypeExpansion, "2026-11-20", 50_000, "software"),
	}
	deals[12].Currency = "USD"
	deals[13].Status = domain.Lost
	ev := func(kind domain.AccountEventKind, on string, amount int64) domain.AccountEvent {
		return domain.AccountEvent{Kind: kind, On: date(on), Amount: amount * eur, Currency: "EUR"}
	}
	acc := func(key, industry string, events ...domain.AccountEvent) *domain.Account {
		a := &domain.Account{Key: key, Events: events}
		if industry != "" {
			a.Attributes = map[string]string{"industry": industry}
		}
		return a
	}
	accounts := map[string]*domain.Account{
		"acme":   acc("acme", "retail"),
		"bravo":  acc("bravo", "retail", ev(domain.EventChurn, "2026-12-01", 60_000)),
		"cobalt": acc("cobalt", "software", ev(domain.EventDowngrade, "2026-10-20", 20_000)),
		"delta":  acc("delta", "software", ev(domain.EventChurn, "2026-12-03", 40_000)),
		"echo":   acc("echo", "", ev(domain.EventChurn, "2026-10-15", 30_000)),
		"golf":   acc("golf", "fintech"),
		"hotel":  acc("hotel", "retail"),
	}
	return retention.Input{Deals: deals, Accounts: accounts, Currency: "EUR"}
}

// TestRetainFixture reproduces every figure of
// testdata/segments_retention.md: the accounts' industries (step 1), each
// industry's starting ARR, changes, GRR and NRR (steps 2-4) and the rows
// (step 5).
func TestRetainFixture(t *testing.T) {
	in := retentionStory(t)
	var ci coaching.Input
	ci.Settings = coaching.DefaultSettings()
	ci.Settings.Location = time.UTC
	for _, d := range in.Deals {
		ci.Deals = append(ci.Deals, coaching.DealInput{Deal: d})
	}
	q4 := period(t, "2026-10-01", "2026-12-31")
	tab := segment.KPIs(ci, fixtureSchema, nil, "industry", q4, fixtureNow, fixtureTh)
	segment.Retain(&tab, fixtureSchema, in)

	type want struct {
		value                      string
		listed                     bool
		customers                  int
		start, churn, down, expand int64 // euros
		hasStart                   bool
		grr, nrr                   int
	}
	wants := []want{
		{"retail", true, 3, 200_000, 60_000, 0, 30_000, true, 7000, 8500},
		{"software", true, 1, 80_000, 0, 20_000, 10_000, true, 7500, 8750},
		{"healthcare", true, 0, 0, 0, 0, 0, false, 0, 0},
		{"fintech", false, 1, 12_000, 0, 0, 0, true, 10000, 10000},
		{segment.NotSet, false, 1, 30_000, 30_000, 0, 0, true, 0, 0},
	}
	if len(tab.Rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(tab.Rows), len(wants), tab.Rows)
	}
	got := func(v string, listed bool, f retention.Figures) want {
		return want{v, listed, f.Customers, f.Start / 100, f.Churn / 100, f.Downgrade / 100, f.Expansion / 100, f.HasStart, f.GRRBP, f.NRRBP}
	}
	for i, w := range wants {
		r := tab.Rows[i]
		if g := got(r.Value, r.Listed, r.Retention); g != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if fin := tab.Rows[3]; !fin.TooFew || fin.Closed() != 0 || len(fin.Metrics.Conversion) != len(tab.Total.Metrics.Conversion) {
		t.Errorf("fintech, an account's value alone: %+v", fin)
	}
	if g, w := got("", false, tab.Total.Retention), (want{"", false, 6, 322_000, 90_000, 20_000, 40_000, true, 6584, 7826}); g != w {
		t.Errorf("total:\n got %+v\nwant %+v", g, w)
	}
}

// TestAccountValue: the account's remembered value first, else its deal
// won last that carries one.
func TestAccountValue(t *testing.T) {
	deal := func(id domain.DealID, status domain.Status, closed string, industry string) *domain.Deal {
		d := &domain.Deal{ID: id, Status: status}
		d.CloseDate, _ = domain.ParseISODate(closed)
		if industry != "" {
			d.SetAttr("industry", industry)
		}
		return d
	}
	remembered := &domain.Account{Attributes: map[string]string{"industry": "retail"}}
	tests := []struct {
		name    string
		account *domain.Account
		deals   []*domain.Deal
		want    string
	}{
		{"Remembered", remembered, []*domain.Deal{deal(1, domain.Won, "2026-10-01", "software")}, "retail"},
		{"NoAccount", nil, []*domain.Deal{deal(1, domain.Won, "2026-10-01", "software")}, "software"},
		{"WonLast", &domain.Account{}, []*domain.Deal{deal(1, domain.Won, "2026-11-01", "software"), deal(2, domain.Won, "2026-10-01", "retail")}, "software"},
		{"WonBeforeOpen", nil, []*domain.Deal{deal(1, domain.Won, "2026-01-01", "software"), deal(2, domain.Open, "2026-12-01", "retail")}, "software"},
		{"SameDayHighestID", nil, []*domain.Deal{deal(2, domain.Won, "2026-10-01", "software"), deal(1, domain.Won, "2026-10-01", "retail")}, "software"},
		{"NoneWon", nil, []*domain.Deal{deal(1, domain.Lost, "2026-10-01", "retail"), deal(2, domain.Open, "2026-11-01", "software")}, "software"},
		{"NotSet", nil, []*domain.Deal{deal(1, domain.Won, "2026-10-01", "")}, segment.NotSet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segment.AccountValue("industry", tt.account, tt.deals); got != tt.want {
				t.Errorf("AccountValue = %q, want %q", got, tt.want)
			}
		})
	}
}
