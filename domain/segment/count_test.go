package segment_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// partsStory is n deals of 40 accounts over two years, with what every
// figure of the table reads: industries (some unlisted, some not set),
// an ICP's size band, stages and closes in history, discounts, won deals
// with a recurring value and a term (renewals among them), and accounts
// that churned, downgraded or remember an industry of their own.
func partsStory(n int) (coaching.Input, map[string]*domain.Account) { return storyOf(n, 40) }

// storyOf is partsStory's n deals over m accounts.
func storyOf(n, m int) (coaching.Input, map[string]*domain.Account) {
	s := coaching.DefaultSettings()
	s.Location = time.UTC
	r := rand.New(rand.NewPCG(7, 21))
	base := fixtureNow.AddDate(-2, 0, 0)
	industries := []string{"retail", "software", "healthcare", "mining", ""}
	bands := []string{"1-50", "51-200", ""}
	in := coaching.Input{Settings: s}
	for i := range n {
		created := base.Add(time.Duration(r.IntN(700*24)) * time.Hour)
		stage := r.IntN(len(s.Stages))
		d := &domain.Deal{
			ID: domain.DealID(i + 1), Name: "Deal", Account: fmt.Sprintf("Account %d", r.IntN(m)),
			Owner: domain.UserID(fmt.Sprintf("U%d", i%7)), Amount: int64(1+r.IntN(200)) * 100_000, Currency: "EUR",
			Stage: s.Stages[stage].Name, Category: domain.Pipeline, Need: "need", DecisionMakers: "CFO", Budget: "yes",
			Timeline: "Q2", Risk: "low", NextStep: "Call", NextStepDue: domain.DateOf(created).AddDays(r.IntN(400)),
			CloseDate: domain.DateOf(created).AddDays(30 + r.IntN(200)), Status: domain.Open, CreatedAt: created, UpdatedAt: created,
			Discount: r.IntN(3) * 500,
		}
		if r.IntN(8) == 0 {
			d.Category = domain.Omitted
		}
		d.Attributes = domain.AttrsOf(map[string]string{"industry": industries[r.IntN(len(industries))], "size_band": bands[r.IntN(len(bands))]})
		h := []domain.HistoryEntry{
			{Deal: d.ID, At: created, Field: domain.FieldStage, New: s.Stages[0].Name},
			{Deal: d.ID, At: created, Field: domain.FieldStatus, New: "open"},
		}
		at := created
		for st := 1; st <= stage; st++ {
			at = at.Add(time.Duration(1+r.IntN(20*24)) * time.Hour)
			h = append(h, domain.HistoryEntry{Deal: d.ID, At: at, Field: domain.FieldStage, Old: s.Stages[st-1].Name, New: s.Stages[st].Name})
		}
		if r.IntN(10) < 5 {
			at = at.Add(time.Duration(1+r.IntN(30*24)) * time.Hour)
			d.Status = domain.Won
			if r.IntN(3) == 0 {
				d.Status = domain.Lost
			}
			d.CloseDate = domain.DateOf(at)
			h = append(h, domain.HistoryEntry{Deal: d.ID, At: at, Field: domain.FieldStatus, Old: "open", New: string(d.Status)})
			if d.Status == domain.Won && r.IntN(3) > 0 {
				d.Recurring = int64(1+r.IntN(50)) * 1_000_00
				d.TermMonths = 12 * r.IntN(3)
				if r.IntN(4) == 0 {
					d.Type = domain.TypeRenewal
				}
			}
		}
		in.Deals = append(in.Deals, coaching.DealInput{Deal: d, History: h, Discount: coaching.DiscountInfo{ApprovedBP: d.Discount}})
	}
	accounts := map[string]*domain.Account{}
	for i := range m {
		a := &domain.Account{Key: domain.AccountKey(fmt.Sprintf("Account %d", i))}
		switch i % 5 {
		case 0:
			a.Events = append(a.Events, domain.AccountEvent{Kind: domain.EventChurn, On: domain.DateOf(fixtureNow).AddDays(-r.IntN(300))})
		case 1:
			a.Events = append(a.Events, domain.AccountEvent{Kind: domain.EventDowngrade, On: domain.DateOf(fixtureNow).AddDays(-r.IntN(300)), Amount: 5_000_00})
		case 2:
			a.Attributes = map[string]string{"industry": "fintech"}
		}
		accounts[a.Key] = a
	}
	return in, accounts
}

// TestCountInPartsLikeOnePass: the deals counted in parts, each frozen and
// merged, give exactly the table of KPIs then Retain over them all (rows,
// pipeline, fit, retention by value), whatever the parts' size, and a part
// merged into two counts serves both.
func TestCountInPartsLikeOnePass(t *testing.T) {
	in, accounts := partsStory(1500)
	icp := segment.ICP{{Name: "industry", Values: []string{"retail", "software"}}, {Name: "size_band", Values: []string{"51-200"}}}
	th := segment.Thresholds{MinDeals: 3, StopPct: 50}
	// The won deals' contracts, as a caller keeps them, and won deals in
	// dollars of the same accounts, which a table in euros leaves out.
	var given []domain.Deal
	for _, di := range in.Deals {
		if di.Deal.Status == domain.Won {
			given = append(given, retention.ContractOf(di.Deal))
			usd := retention.ContractOf(di.Deal)
			usd.ID, usd.Currency = usd.ID+10_000, "USD"
			given = append(given, usd)
		}
	}
	for _, p := range []coaching.Period{period(t, "2026-10-01", "2026-12-31"), period(t, "2026-04-01", "2026-12-31")} {
		for _, attr := range []string{"industry", "size_band"} {
			want := segment.KPIs(in, fixtureSchema, icp, attr, p, fixtureNow, th)
			deals := make([]*domain.Deal, len(in.Deals))
			for i, di := range in.Deals {
				deals[i] = di.Deal
			}
			segment.Retain(&want, fixtureSchema, retention.Input{Deals: deals, Accounts: accounts, Currency: "EUR"})
			if want.Total.Retention.Churn == 0 || want.Total.Pipeline == 0 || want.Fit.Fit.Closed() == 0 || len(want.Rows) < 3 {
				t.Fatalf("%s over %v: the story shows too little: %d rows, fit %+v, total %+v", attr, p, len(want.Rows), want.Fit, want.Total)
			}
			for _, size := range []int{1, 7, 256, len(in.Deals)} {
				var parts []*segment.Count
				days := domain.NewDays(time.UTC)
				for from := 0; from < len(in.Deals); from += size {
					part := segment.NewCount(in, fixtureSchema, icp, attr, p, fixtureNow.Add(-time.Duration(from)*time.Second), th)
					part.UseDays(days)
					part.Add(in.Deals[from:min(from+size, len(in.Deals))])
					part.Freeze()
					parts = append(parts, part)
				}
				for round := range 2 {
					got := segment.NewCount(in, fixtureSchema, icp, attr, p, fixtureNow, th)
					for _, part := range parts {
						got.Merge(part)
					}
					if tab := got.Table(accounts, "EUR"); !reflect.DeepEqual(tab, want) {
						t.Fatalf("%s over %v, parts of %d, round %d: the merged table differs\n got %+v\nwant %+v", attr, p, size, round, tab, want)
					}
				}
				// Parts keeping no contract, the merged count given them
				// (with won deals of another currency, not counted).
				got := segment.NewCount(in, fixtureSchema, icp, attr, p, fixtureNow, th)
				for from := 0; from < len(in.Deals); from += size {
					part := segment.NewCount(in, fixtureSchema, icp, attr, p, fixtureNow, th)
					part.WithoutContracts()
					part.Add(in.Deals[from:min(from+size, len(in.Deals))])
					part.Freeze()
					got.Merge(part)
				}
				got.Contracts(given)
				if tab := got.Table(accounts, "EUR"); !reflect.DeepEqual(tab, want) {
					t.Fatalf("%s over %v, parts of %d without contracts, given them: the merged table differs\n got %+v\nwant %+v", attr, p, size, tab, want)
				}
			}
		}
	}
}

// TestCountRefusesMisuse: a part not frozen is not merged (its stays would
// be read unsorted), and nothing is added to a frozen one.
func TestCountRefusesMisuse(t *testing.T) {
	in, _ := partsStory(10)
	p := period(t, "2026-10-01", "2026-12-31")
	part := segment.NewCount(in, fixtureSchema, nil, "industry", p, fixtureNow, segment.DefaultThresholds())
	part.Add(in.Deals)
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	mustPanic("Merge of a part not frozen", func() {
		segment.NewCount(in, fixtureSchema, nil, "industry", p, fixtureNow, segment.DefaultThresholds()).Merge(part)
	})
	part.Freeze()
	mustPanic("Add to a frozen part", func() { part.Add(in.Deals) })
}

// BenchmarkCountTable: what a call after a write pays for segments'
// table at 100,000 deals (98 parts of 1,024, kept frozen) when nothing
// kept answers it: merging the parts and measuring every account, with 160
// accounts (the large sample's) and 20,000 (one for five deals).
//
//	go test ./domain/segment -run '^$' -bench CountTable -benchmem
func BenchmarkCountTable(b *testing.B) {
	for _, m := range []int{160, 20_000} {
		b.Run(fmt.Sprintf("Accounts%d", m), func(b *testing.B) {
			in, accounts := storyOf(100_000, m)
			p := coaching.Period{From: domain.DateOf(fixtureNow).AddDays(-89), To: domain.DateOf(fixtureNow)}
			th := segment.DefaultThresholds()
			var parts []*segment.Count
			for from := 0; from < len(in.Deals); from += 1024 {
				part := segment.NewCount(in, fixtureSchema, nil, "industry", p, fixtureNow, th)
				part.Add(in.Deals[from:min(from+1024, len(in.Deals))])
				part.Freeze()
				parts = append(parts, part)
			}
			b.ReportAllocs()
			for b.Loop() {
				c := segment.NewCount(in, fixtureSchema, nil, "industry", p, fixtureNow, th)
				for _, part := range parts {
					c.Merge(part)
				}
				c.Table(accounts, "EUR")
			}
		})
	}
}
