package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

const benchDeals = 10_000

var (
	benchFirst = []string{"Acme", "Globex", "Initech", "Umbrella", "Société", "Crédit", "Zürich", "Hooli", "Stark", "Wayne",
		"Wonka", "Cyberdyne", "Soylent", "Tyrell", "Nakatomi", "Gringotts", "Oscorp", "Aperture", "Vandelay", "Monarch"}
	benchSecond = []string{"Générale", "Agricole", "Industries", "Holdings", "Systems", "Logistics", "Energie", "Santé",
		"Finance", "Retail", "Media", "Labs", "Foods", "Motors", "Pharma", "Assurance"}
	benchKind = []string{"renewal", "pilot", "expansion", "upsell", "migration", "rollout", "audit", "training"}
)

// seedBench writes n deals in one transaction (a bulk load, not n commits).
func seedBench(b *testing.B, db *DB, n int) {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		now := db.txTime(tx)
		for i := range n {
			account := benchFirst[r.IntN(len(benchFirst))] + " " + benchSecond[r.IntN(len(benchSecond))]
			d := newDeal(account+" "+benchKind[r.IntN(len(benchKind))], account,
				domain.UserID(fmt.Sprintf("U%02d", r.IntN(40))),
				domain.NewDate(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28)).String(),
				domain.NewDate(2026, time.Month(1+r.IntN(3)), 1+r.IntN(28)).String())
			if _, err := createDeal(tx, now, d, d.Owner, fmt.Sprintf("seed-%d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkUpdateDeal measures durable updates (each committed and synced)
// on a file of 10,000 deals: one writer at a time, and 100 concurrent
// writers that bbolt's Batch coalesces into shared commits; each of a
// field the forecast does not read (the next step), and of the amount and
// close date, which move the deal's contribution to the forecast's sums.
func BenchmarkUpdateDeal(b *testing.B) {
	db := openTest(b, domain.SystemClock{})
	seedBench(b, db, benchDeals)
	ctx := context.Background()
	update := func(r *rand.Rand, i int) {
		id := domain.DealID(1 + r.IntN(benchDeals))
		if _, _, err := db.UpdateDeal(ctx, id, 0, "U01", func(d *domain.Deal) error {
			d.NextStep = fmt.Sprintf("step %d", i)
			return nil
		}); err != nil {
			b.Error(err)
		}
	}

	// moveSums changes what the forecast's sums (fc_sums, since v7) hold:
	// the amount and the close month, so the deal's contribution leaves
	// one sum record for another.
	moveSums := func(r *rand.Rand, i int) {
		id := domain.DealID(1 + r.IntN(benchDeals))
		if _, _, err := db.UpdateDeal(ctx, id, 0, "U01", func(d *domain.Deal) error {
			d.Amount++
			d.CloseDate = domain.NewDate(2026, time.Month(1+i%12), 15)
			return nil
		}); err != nil {
			b.Error(err)
		}
	}
	for _, w := range []struct {
		name  string
		write func(*rand.Rand, int)
	}{{"", update}, {"ForecastFields", moveSums}} {
		b.Run("Serial"+w.name, func(b *testing.B) {
			b.ReportAllocs()
			r := rand.New(rand.NewPCG(3, 4))
			i := 0
			for b.Loop() {
				w.write(r, i)
				i++
			}
		})
		b.Run("Concurrent100"+w.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(max(1, 100/runtime.GOMAXPROCS(0)))
			var seed atomic.Uint64
			b.RunParallel(func(pb *testing.PB) {
				r := rand.New(rand.NewPCG(seed.Add(1), 5))
				i := 0
				for pb.Next() {
					w.write(r, i)
					i++
				}
			})
		})
	}
}

// BenchmarkDealsByWords measures prefix search over 10,000 deals.
func BenchmarkDealsByWords(b *testing.B) {
	db := openTest(b, domain.SystemClock{})
	seedBench(b, db, benchDeals)
	ctx := context.Background()
	cases := []struct {
		name   string
		filter domain.DealFilter
	}{
		{"Rare", domain.DealFilter{Words: []string{"wonka", "pharma", "audit"}}},
		{"AccentFolded", domain.DealFilter{Words: []string{"societe", "gen"}}},
		{"Common", domain.DealFilter{Words: []string{"re"}}},
		{"CommonLimit20", domain.DealFilter{Words: []string{"re"}, Limit: 20}},
		{"WordsOwnerOpen", domain.DealFilter{Words: []string{"acme"}, Owners: []domain.UserID{"U07"}, Status: domain.Open}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				got, err := db.Deals(ctx, c.filter)
				if err != nil {
					b.Fatal(err)
				}
				n = len(got)
			}
			b.ReportMetric(float64(n), "deals")
		})
	}
}
