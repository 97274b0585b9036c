package forecast_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// benchData is a year of a large company: 100 reps in 10 teams, 50,000
// deals and 52 weekly snapshots, the last taken "now".
type benchData struct {
	org    *forecast.Org
	period forecast.Period
	deals  []*domain.Deal
	snaps  []forecast.Snapshot
}

func newBenchData(tb testing.TB) *benchData {
	tb.Helper()
	const (
		reps, teamSize  = 100, 10
		totalDeals      = 50_000
		weeks           = 52
		newPerWeek      = 100
		changedPerMille = 50 // of open deals, each week
	)
	rng := rand.New(rand.NewPCG(1, 2))
	stages := domain.DefaultStages()
	var teams []forecast.Team
	var quotas []forecast.Quota
	var users []domain.UserID
	for i := range reps {
		u := domain.UserID(fmt.Sprintf("U%05d", i))
		users = append(users, u)
		if i%teamSize == 0 {
			teams = append(teams, forecast.Team{Name: fmt.Sprintf("Team %d", i/teamSize), Manager: domain.UserID(fmt.Sprintf("M%05d", i))})
		}
		teams[len(teams)-1].Members = append(teams[len(teams)-1].Members, u)
		quotas = append(quotas, forecast.Quota{User: u, Period: "quarter", Amount: 300_000_00})
	}
	org, err := forecast.NewOrg(cal, "EUR", stages, teams, quotas)
	if err != nil {
		tb.Fatal(err)
	}
	first := monday8("2025-12-08")
	today := day("2025-12-08")
	newDeal := func(id int) *domain.Deal {
		st := stages[rng.IntN(len(stages))]
		d := &domain.Deal{
			ID: domain.DealID(id), Owner: users[rng.IntN(reps)], Amount: 1_000_00 + rng.Int64N(200_000_00),
			Currency: "EUR", Stage: st.Name, Category: st.Category, Status: domain.Open,
			CloseDate: today.AddDays(rng.IntN(400)),
		}
		if rng.IntN(50) == 0 {
			d.Currency = "USD"
		}
		return d
	}
	var deals []*domain.Deal
	for len(deals) < totalDeals-weeks*newPerWeek {
		deals = append(deals, newDeal(len(deals)+1))
	}
	var snaps []forecast.Snapshot
	for w := range weeks {
		taken := first.AddDate(0, 0, 7*w)
		today = cal.Today(taken)
		for _, d := range deals {
			if d.Status != domain.Open || rng.IntN(1000) >= changedPerMille {
				continue
			}
			switch rng.IntN(6) {
			case 0:
				d.Amount += rng.Int64N(20_000_00) - 10_000_00
				d.Amount = max(d.Amount, 100_00)
			case 1:
				d.Category = domain.Categories[rng.IntN(len(domain.Categories))]
			case 2:
				d.CloseDate = d.CloseDate.AddDays(7 + rng.IntN(60))
			case 3:
				d.CloseDate = d.CloseDate.AddDays(-rng.IntN(60))
			case 4:
				d.Status, d.CloseDate = domain.Won, today
			case 5:
				d.Status, d.CloseDate, d.LossReason = domain.Lost, today, "price"
			}
		}
		for range newPerWeek {
			deals = append(deals, newDeal(len(deals)+1))
		}
		// Keep every closed deal: the largest snapshots the digest could take.
		snaps = append(snaps, forecast.TakeSnapshot(cal, taken, deals, domain.Date{Year: 1, Month: 1, Day: 1}))
	}
	now := snaps[len(snaps)-1].Taken
	return &benchData{org: org, period: cal.Current(now), deals: deals, snaps: snaps}
}

// BenchmarkRollupAndWoW measures the forecast's work on 100 reps, 50,000
// deals and 52 weekly snapshots:
//
//   - digest: one Monday digest, the rollup of the live deals and the
//     comparison of this week's snapshot with last week's;
//   - year: the bottom-up rollup of each of the 52 snapshots and the 51
//     week-over-week comparisons between them (the trend of a year).
//
// heap-MB is the live heap holding the deals and the 52 snapshots.
func BenchmarkRollupAndWoW(b *testing.B) {
	data := newBenchData(b)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heapMB := float64(ms.HeapAlloc) / (1 << 20)
	n := len(data.snaps)

	b.Run("digest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := data.org.Rollup(data.period, data.deals)
			ch := forecast.Compare(data.snaps[n-2], data.snaps[n-1], data.period)
			if r.Company.Pipeline == 0 || ch.Len() == 0 {
				b.Fatal("nothing computed")
			}
		}
		b.ReportMetric(heapMB, "heap-MB")
	})
	b.Run("year", func(b *testing.B) {
		b.ReportAllocs()
		cal := data.org.Calendar()
		for b.Loop() {
			changes := 0
			for i := range data.snaps {
				s := &data.snaps[i]
				r := data.org.RollupSnapshot(cal.Current(s.Taken), s)
				if len(r.Teams) != 10 {
					b.Fatal("bad rollup")
				}
				if i > 0 {
					ch := forecast.Compare(data.snaps[i-1], *s, cal.Current(s.Taken))
					changes += ch.Len()
				}
			}
			if changes == 0 {
				b.Fatal("no changes")
			}
		}
		b.ReportMetric(heapMB, "heap-MB")
	})
}

// TestBenchData keeps the benchmark's generator honest at a glance: the
// last snapshot holds the 50,000 deals and the digest finds changes.
func TestBenchData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 52 snapshots of 50,000 deals")
	}
	data := newBenchData(t)
	last := data.snaps[len(data.snaps)-1]
	if len(data.deals) != 50_000 || len(last.Deals) != 50_000 || last.Week != cal.Week(last.Taken) {
		t.Fatalf("%d deals, %d in the last snapshot", len(data.deals), len(last.Deals))
	}
	ch := forecast.Compare(data.snaps[len(data.snaps)-2], last, data.period)
	r := data.org.Rollup(data.period, data.deals)
	if ch.Len() == 0 || len(r.Lines()) != 100 || len(r.Skipped) == 0 || r.Company.Won == 0 {
		t.Errorf("changes %d, lines %d, skipped %d, won %d", ch.Len(), len(r.Lines()), len(r.Skipped), r.Company.Won)
	}
	if !last.Taken.Equal(monday8("2025-12-08").AddDate(0, 0, 7*51)) {
		t.Errorf("last snapshot taken %v", last.Taken)
	}
}
