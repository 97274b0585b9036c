package main

import (
	"bytes"
	"context"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// TestSamplerTakesOneSampleATick: each tick is one sample of this very
// process: its RSS and live heap, and the collections (with their pauses)
// since the previous one; the series' pause figures cover the whole.
// Ticked by hand: no waiting on the clock.
func TestSamplerTakesOneSampleATick(t *testing.T) {
	tick := make(chan time.Time)
	stop := sampleOn(tick)
	runtime.GC()
	runtime.GC()
	tick <- time.Now() // second 1: two collections
	tick <- time.Now() // second 2: none
	runtime.GC()
	tick <- time.Now() // second 3: one
	s := stop()
	if len(s.Samples) != 3 {
		t.Fatalf("%d samples for 3 ticks", len(s.Samples))
	}
	for i, x := range s.Samples {
		if x.Sec != i+1 || x.RSS <= 0 || x.HeapLive == 0 {
			t.Errorf("sample %d: %+v", i, x)
		}
	}
	if g := []uint64{s.Samples[0].GCs, s.Samples[1].GCs, s.Samples[2].GCs}; g[0] < 2 || g[2] < 1 {
		t.Errorf("collections per second %v: want at least 2, then at least 1 in the third", g)
	}
	if s.Samples[0].PauseMax <= 0 {
		t.Errorf("no pause recorded in a second with two collections: %+v", s.Samples[0])
	}
	// Each collection stops the world twice (sweep termination, mark termination).
	if s.Pauses < 6 || s.PauseMax <= 0 || s.PauseP99 > s.PauseMax || s.PauseP50 > s.PauseP99 {
		t.Errorf("pauses over the run: %d, p50 %g, p99 %g, max %g", s.Pauses, s.PauseP50, s.PauseP99, s.PauseMax)
	}
}

// TestPauseStats: count and quantiles of the pauses between two readings
// of the histogram, each its bucket's upper bound (the open last bucket:
// its lower bound). Hand-computed: buckets [0,1) [1,2) [2,4) [4,+Inf);
// 10 pauses recorded before, 100 more since: 50 in [0,1), 49 in [1,2),
// 1 in [4,+Inf) → p50 = 1 (rank 50 is the last of the first bucket),
// p99 = 2 (rank 99), max = 4.
func TestPauseStats(t *testing.T) {
	b := []float64{0, 1, 2, 4, math.Inf(1)}
	from := histogram{counts: []uint64{10, 0, 0, 0}, buckets: b}
	to := histogram{counts: []uint64{60, 49, 0, 1}, buckets: b}
	n, p50, p99, max := pauseStats(from, to)
	if n != 100 || p50 != 1 || p99 != 2 || max != 4 {
		t.Errorf("pauseStats = %d, %g, %g, %g; want 100, 1, 2, 4", n, p50, p99, max)
	}
	if n, _, _, max := pauseStats(to, to); n != 0 || max != 0 {
		t.Errorf("no pause between equal readings: %d, %g", n, max)
	}
}

// TestSeriesReportMinutes: a run of two minutes or more gets a line a
// minute and the growth after the first, per command received since.
// Hand-computed: 180 seconds, RSS 100 MiB in minute 1, 101 in minute 2,
// 102 in minute 3; live heap 10, 10.5, 11 MiB; 1 MiB of live heap over
// 120 s × 1,000 commands/s = 1,048,576 / 120,000 = 9 B per command. Of
// the RSS, the process's own memory is 80, 80, 80 MiB and mapped files
// 20, 21, 22 MiB: its growth is all the file's.
func TestSeriesReportMinutes(t *testing.T) {
	var s series
	for i := range 180 {
		m := int64(i / 60)
		s.Samples = append(s.Samples, second{Sec: i + 1, RSS: (100 + m) << 20, RSSAnon: 80 << 20, RSSFile: (20 + m) << 20, HeapLive: uint64(10<<20 + m*512<<10), GCs: 1, PauseMax: 0.0002})
	}
	s.Pauses, s.PauseP50, s.PauseP99, s.PauseMax = 360, 0.0001, 0.0002, 0.0002
	var b bytes.Buffer
	seriesReport(&b, &s, 1000)
	for _, want := range []string{
		"sampled each second (the app's own process, 180 samples): RSS 100.0 MiB to 102.0 MiB; GC pauses 360, p50 100 µs, p99 200 µs, max 200 µs",
		"minute  1: RSS median 100.0 MiB (max 100.0 MiB; own 80.0 MiB, mapped files 20.0 MiB), live heap median 10.0 MiB, 60 GCs, longest pause 200 µs",
		"minute  3: RSS median 102.0 MiB (max 102.0 MiB; own 80.0 MiB, mapped files 22.0 MiB), live heap median 11.0 MiB, 60 GCs, longest pause 200 µs",
		"growth, first minute's median to the last's: RSS +2.0 MiB (own +0.0, mapped files +2.0), live heap +1.0 MiB = 9 B of live heap per command received since",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

// TestForgetThenCollectCountsEachCommandOnce: the records a long run has
// the local Slack forget are counted as they go, and the final count of
// the rest adds to them: every command once, none lost, none twice. Real
// slack-go floor client acking on loopback.
func TestForgetThenCollectCountsEachCommandOnce(t *testing.T) {
	srv, err := slacktest.New(slacktest.WithoutRateLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addBenchPeople(srv, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	cctx, stopClient := context.WithCancel(ctx)
	defer func() { stopClient(); wg.Wait() }()
	runFloorClient(cctx, &wg, goslack.New(srv.BotToken(), goslack.OptionAppLevelToken(srv.AppToken()), goslack.OptionAPIURL(srv.APIURL())), nil)
	if err := srv.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f := benchFlags{users: 10, deals: 50, duration: time.Minute}
	mix, _ := parseMix("help=1,list=1")
	d := newDriver(srv, f, mix, false)
	d.measured, d.ended = time.Now(), time.Now().Add(time.Hour)
	batch := func(n, from int) {
		for i := range n {
			d.send(d.next(from + i))
		}
		if err := srv.WaitFor(ctx, func(st *slacktest.State) bool { return st.Counters.Acks >= st.Counters.Envelopes }); err != nil {
			t.Fatal(err)
		}
	}
	batch(30, 0)
	gone := srv.Forget(time.Now())
	if len(gone.Envelopes) != 30 {
		t.Fatalf("Forget handed over %d envelopes, want the 30 acked", len(gone.Envelopes))
	}
	d.harvest(gone.Envelopes, gone.Responses, false)
	batch(20, 30)
	if n := len(srv.State().Envelopes); n != 20 {
		t.Errorf("the local Slack holds %d envelopes, want the 20 sent since", n)
	}
	r := d.collect("floor", srv.State())
	if r.commands != 50 || r.acked != 50 || r.failed != 0 || r.ack.n != 50 {
		t.Errorf("counted %d commands, %d acked, %d failed, %d latencies; want 50, 50, 0, 50", r.commands, r.acked, r.failed, r.ack.n)
	}
	if got := r.ackByKind["help"].n + r.ackByKind["list"].n; got != 50 {
		t.Errorf("by kind: %d, want 50", got)
	}
	if len(d.kinds) != 0 {
		t.Errorf("the driver still holds %d invocations' kinds after counting them", len(d.kinds))
	}
}
