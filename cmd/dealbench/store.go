package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// benchStoreUpdates measures durable deal updates (each committed and
// fsynced before it returns; bbolt's Batch shares commits between
// concurrent writers) from -users concurrent writers for -duration.
func benchStoreUpdates(ctx context.Context, f benchFlags, cmdline string, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "dealpilot-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(filepath.Join(dir, "dealpilot.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := fillBenchStore(ctx, db, f.users, f.deals, 0, time.Now(), nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dealbench: durable store.UpdateDeal from %d concurrent users for %s, %d deals\n", f.users, f.duration, f.deals)
	fmt.Fprintf(stdout, "machine: %s\ncommand: %s\n\n", machineLine(), cmdline)

	end := time.Now().Add(f.duration)
	var done atomic.Int64
	var mu sync.Mutex
	var lat latencies
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for u := range f.users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(u), 7))
			var mine latencies
			for i := 0; time.Now().Before(end) && ctx.Err() == nil; i++ {
				per := max(1, f.deals/f.users)
				id := domain.DealID(1 + u + f.users*r.IntN(per))
				t := time.Now()
				_, _, err := db.UpdateDeal(ctx, id, 0, benchRep(u), func(d *domain.Deal) error {
					d.NextStep = "Call back #" + strconv.Itoa(i)
					return nil
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
				done.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	s := summarize(lat)
	rate := float64(done.Load()) / elapsed.Seconds()
	fmt.Fprintf(stdout, "durable updates: %d in %s = %.0f/s; latency p50 %s p99 %s max %s\n", done.Load(), elapsed.Round(time.Millisecond), rate, ms(s.p50), ms(s.p99), ms(s.max))
	fmt.Fprintf(stdout, "target ≥ 2,000 durable updates/s from %d users: %s\n", f.users, met(rate >= 2000))
	return nil
}
