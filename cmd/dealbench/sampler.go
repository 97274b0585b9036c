package main

import (
	"fmt"
	"io"
	"math"
	"runtime/metrics"
	"slices"
	"time"
)

// second is the app's process at the end of one second of a phase.
type second struct {
	Sec int   `json:"s"`   // 1 for the phase's first second
	RSS int64 `json:"rss"` // resident set, bytes (VmRSS)
	// RSSAnon and RSSFile split RSS: the process's own memory (heap,
	// stacks) and the pages of mapped files resident (the bot's bbolt
	// file, which grows with every change written).
	RSSAnon  int64  `json:"rss_anon"`
	RSSFile  int64  `json:"rss_file"`
	HeapLive uint64 `json:"heap_live"` // heap marked live by the latest collection, bytes
	GCs      uint64 `json:"gcs"`       // collections that ended in this second
	// PauseMax is the longest stop-the-world pause of a collection in this
	// second, in seconds (the upper bound of its runtime/metrics bucket); 0
	// for none.
	PauseMax float64 `json:"pause_max"`
}

// series is what a sampler saw of a phase: each second, and the
// collections' pauses over the whole of it.
type series struct {
	Samples  []second `json:"samples"`
	Pauses   uint64   `json:"pauses"`    // stop-the-world GC pauses
	PauseP50 float64  `json:"pause_p50"` // seconds, bucket upper bounds
	PauseP99 float64  `json:"pause_p99"`
	PauseMax float64  `json:"pause_max"`
}

// The runtime/metrics the sampler reads.
var sampledMetrics = []string{"/gc/heap/live:bytes", "/gc/cycles/total:gc-cycles", "/sched/pauses/total/gc:seconds"}

// startSampler samples this process every second (RSS, live heap,
// collections, their pauses) until the returned function is called, which
// returns the series. It reads runtime/metrics, which does not stop the
// world, and /proc/self/status.
func startSampler() (stop func() *series) {
	t := time.NewTicker(time.Second)
	stopSampling := sampleOn(t.C)
	return func() *series { t.Stop(); return stopSampling() }
}

// sampleOn takes a sample at each tick (a test ticks by hand).
func sampleOn(tick <-chan time.Time) (stop func() *series) {
	ms := make([]metrics.Sample, len(sampledMetrics))
	for i, n := range sampledMetrics {
		ms[i].Name = n
	}
	metrics.Read(ms)
	first := hist(ms[2])
	quit, done := make(chan struct{}), make(chan *series, 1)
	go func() {
		s := &series{}
		prev := first
		prevGCs := ms[1].Value.Uint64()
		last := first
		for {
			select {
			case <-quit:
				s.Pauses, s.PauseP50, s.PauseP99, s.PauseMax = pauseStats(first, last)
				done <- s
				return
			case <-tick:
			}
			metrics.Read(ms)
			h := hist(ms[2])
			_, _, _, worst := pauseStats(prev, h)
			gcs := ms[1].Value.Uint64()
			s.Samples = append(s.Samples, second{Sec: len(s.Samples) + 1, RSS: procStatus("self", "VmRSS"),
				RSSAnon: procStatus("self", "RssAnon"), RSSFile: procStatus("self", "RssFile"),
				HeapLive: ms[0].Value.Uint64(), GCs: gcs - prevGCs, PauseMax: worst})
			prev, prevGCs, last = h, gcs, h
		}
	}()
	return func() *series { close(quit); return <-done }
}

// histogram is a copy of a runtime/metrics histogram.
type histogram struct {
	counts  []uint64
	buckets []float64
}

func hist(s metrics.Sample) histogram {
	if s.Value.Kind() != metrics.KindFloat64Histogram {
		return histogram{}
	}
	h := s.Value.Float64Histogram()
	return histogram{counts: slices.Clone(h.Counts), buckets: slices.Clone(h.Buckets)}
}

// pauseStats is the count, median, 99th percentile and maximum of the
// pauses recorded between two readings of the pause histogram, each the
// upper bound of its bucket (its lower bound for the last, open bucket).
func pauseStats(from, to histogram) (n uint64, p50, p99, max float64) {
	if len(to.counts) == 0 || len(from.counts) != len(to.counts) {
		return 0, 0, 0, 0
	}
	delta := make([]uint64, len(to.counts))
	for i := range delta {
		delta[i] = to.counts[i] - from.counts[i]
		n += delta[i]
	}
	if n == 0 {
		return 0, 0, 0, 0
	}
	bound := func(i int) float64 {
		if b := to.buckets[i+1]; !math.IsInf(b, 1) {
			return b
		}
		return to.buckets[i]
	}
	at := func(q float64) float64 {
		rank := uint64(math.Ceil(q * float64(n)))
		var seen uint64
		for i, c := range delta {
			seen += c
			if seen >= rank && c > 0 {
				return bound(i)
			}
		}
		return 0
	}
	for i := len(delta) - 1; i >= 0; i-- {
		if delta[i] > 0 {
			max = bound(i)
			break
		}
	}
	return n, at(0.50), at(0.99), max
}

// seriesReport prints a phase's series: the whole run in one line, then,
// for runs of two minutes or more, one line a minute and the growth after
// the first minute, per command received since.
func seriesReport(w io.Writer, s *series, commandsPerSecond float64) {
	if s == nil || len(s.Samples) == 0 {
		return
	}
	median := func(ss []second, f func(second) int64) (lo, med, hi int64) {
		v := make([]int64, len(ss))
		for i, x := range ss {
			v[i] = f(x)
		}
		slices.Sort(v)
		return v[0], v[len(v)/2], v[len(v)-1]
	}
	rss := func(ss []second) (lo, med, hi int64) { return median(ss, func(x second) int64 { return x.RSS }) }
	anon := func(ss []second) int64 { _, m, _ := median(ss, func(x second) int64 { return x.RSSAnon }); return m }
	file := func(ss []second) int64 { _, m, _ := median(ss, func(x second) int64 { return x.RSSFile }); return m }
	live := func(ss []second) uint64 {
		v := make([]uint64, len(ss))
		for i, x := range ss {
			v[i] = x.HeapLive
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	lo, _, hi := rss(s.Samples)
	fmt.Fprintf(w, "  sampled each second (the app's own process, %d samples): RSS %s to %s; GC pauses %d, p50 %s, p99 %s, max %s\n",
		len(s.Samples), mib(lo), mib(hi), s.Pauses, seconds(s.PauseP50), seconds(s.PauseP99), seconds(s.PauseMax))
	if len(s.Samples) < 120 {
		return
	}
	for m := 0; m*60 < len(s.Samples); m++ {
		ss := s.Samples[m*60 : min(len(s.Samples), m*60+60)]
		_, med, hi := rss(ss)
		var gcs uint64
		var worst float64
		for _, x := range ss {
			gcs += x.GCs
			worst = max(worst, x.PauseMax)
		}
		fmt.Fprintf(w, "    minute %2d: RSS median %s (max %s; own %s, mapped files %s), live heap median %s, %d GCs, longest pause %s\n",
			m+1, mib(med), mib(hi), mib(anon(ss)), mib(file(ss)), mib(int64(live(ss))), gcs, seconds(worst))
	}
	firstMin, lastMin := s.Samples[:60], s.Samples[len(s.Samples)-60:]
	_, a, _ := rss(firstMin)
	_, b, _ := rss(lastMin)
	la, lb := live(firstMin), live(lastMin)
	received := commandsPerSecond * float64(len(s.Samples)-60)
	fmt.Fprintf(w, "  growth, first minute's median to the last's: RSS %+.1f MiB (own %+.1f, mapped files %+.1f), live heap %+.1f MiB = %.0f B of live heap per command received since\n",
		float64(b-a)/(1<<20), float64(anon(lastMin)-anon(firstMin))/(1<<20), float64(file(lastMin)-file(firstMin))/(1<<20),
		(float64(lb)-float64(la))/(1<<20), (float64(lb)-float64(la))/max(1, received))
}

// seconds prints a duration given in seconds.
func seconds(s float64) string {
	if s == 0 {
		return "—"
	}
	return ms(time.Duration(s * float64(time.Second)))
}

// writeSamples writes a series as CSV: one line a second.
func writeSamples(w io.Writer, s *series) error {
	if _, err := fmt.Fprintln(w, "second,rss_bytes,rss_anon_bytes,rss_file_bytes,heap_live_bytes,gcs,pause_max_seconds"); err != nil {
		return err
	}
	for _, x := range s.Samples {
		if _, err := fmt.Fprintf(w, "%d,%d,%d,%d,%d,%d,%g\n", x.Sec, x.RSS, x.RSSAnon, x.RSSFile, x.HeapLive, x.GCs, x.PauseMax); err != nil {
			return err
		}
	}
	return nil
}
