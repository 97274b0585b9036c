package slack

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestSeenSet(keep time.Duration) (*seenSet, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	return newSeenSetClock(keep, c.now), c
}

func TestSeenSetForgetsOldKeysInOrder(t *testing.T) {
	s, clock := newTestSeenSet(10 * time.Minute)
	if _, first := s.begin("a"); !first {
		t.Fatal("first delivery of a not seen as first")
	}
	if _, first := s.begin("a"); first {
		t.Fatal("redelivery of a seen as first")
	}
	if _, first := s.begin(""); !first {
		t.Fatal("an empty key is never deduplicated")
	}
	clock.advance(10*time.Minute - time.Nanosecond)
	if _, first := s.begin("a"); first {
		t.Fatal("a forgotten before its time")
	}
	clock.advance(time.Nanosecond)
	if _, first := s.begin("b"); !first {
		t.Fatal("b not first")
	}
	if s.keys.len() != 1 || len(s.index) != 1 {
		t.Fatalf("a outlived its time: %d keys, %d indexed", s.keys.len(), len(s.index))
	}
	if _, first := s.begin("a"); !first {
		t.Fatal("a after its time is a new delivery")
	}

	// A burst: the queues wrap, expire oldest first, and give their memory
	// back; the index holds only live keys.
	clock.advance(time.Hour)
	for i := range 5000 {
		s.begin(fmt.Sprint("burst:", i))
		clock.advance(time.Millisecond) // 5 s in all
	}
	clock.advance(10*time.Minute - 2501*time.Millisecond) // burst:0 to burst:2499 are too old
	s.begin("last")
	if got := s.keys.len(); got != 2501 || len(s.index) != 2501 {
		t.Fatalf("after half the burst expired: %d keys, %d indexed; want 2501", got, len(s.index))
	}
	for i := range 5000 {
		_, first := s.begin(fmt.Sprint("burst:", i))
		if first != (i < 2500) {
			t.Fatalf("burst:%d first=%v", i, first)
		}
	}
	clock.advance(time.Hour)
	s.begin("alone")
	if s.keys.len() != 1 || s.answers.len() != 1 || len(s.index) != 1 {
		t.Fatalf("after an hour: %d keys, %d answers, %d indexed; want 1 each", s.keys.len(), s.answers.len(), len(s.index))
	}
	if len(s.keys.chunks) != 1 || len(s.answers.chunks) != 1 {
		t.Fatalf("the burst's memory is kept: %d and %d chunks", len(s.keys.chunks), len(s.answers.chunks))
	}
}

func TestSeenSetRedeliveryGetsTheFirstAnswer(t *testing.T) {
	s, clock := newTestSeenSet(10 * time.Minute)
	first, ok := s.begin("cmd:1")
	if !ok {
		t.Fatal("first delivery not first")
	}
	again, ok := s.begin("cmd:1")
	if ok {
		t.Fatal("redelivery seen as first")
	}
	got := make(chan any, 1)
	go func() {
		p, _ := again.wait(context.Background())
		got <- p
	}()
	time.Sleep(5 * time.Millisecond) // the redelivery waits for the first answer
	first.finish("answer")
	first.finish("ignored")
	select {
	case p := <-got:
		if p != "answer" {
			t.Fatalf("redelivery answered %v, want the first answer", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting redelivery was never answered")
	}
	// Once answered, a later redelivery gets it at once, for as long as the
	// answer is kept.
	clock.advance(answerWindow - time.Nanosecond)
	late, _ := s.begin("cmd:1")
	if p, ok := late.wait(context.Background()); !ok || p != "answer" {
		t.Fatalf("late redelivery: %v %v", p, ok)
	}
	// After that the key is still known (not done twice) but acked bare.
	clock.advance(time.Nanosecond)
	later, first2 := s.begin("cmd:1")
	if first2 {
		t.Fatal("a redelivery after the answer window was taken as new work")
	}
	if p, ok := later.wait(context.Background()); ok || p != nil {
		t.Fatalf("answer kept past its window: %v %v", p, ok)
	}
	first.finish("too late") // a slow first delivery finishing late is ignored

	// A redelivery that gives up returns without an answer.
	other, _ := s.begin("cmd:2")
	_ = other
	dup, _ := s.begin("cmd:2")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, ok := dup.wait(ctx); ok {
		t.Fatal("wait returned an answer that was never given")
	}
	// A waiter whose answer expires is let go at once.
	waiting := make(chan bool, 1)
	go func() {
		_, ok := dup.wait(context.Background())
		waiting <- ok
	}()
	time.Sleep(5 * time.Millisecond)
	clock.advance(answerWindow)
	s.begin("cmd:3")
	select {
	case ok := <-waiting:
		if ok {
			t.Fatal("an expired wait returned an answer")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter of an expired answer was never let go")
	}
	// The zero entry (never deduplicated) does nothing.
	none, ok := s.begin("")
	if !ok {
		t.Fatal("an empty key is always first")
	}
	none.finish("x")
	if _, ok := none.wait(context.Background()); ok {
		t.Fatal("the zero entry has no answer")
	}
}

func TestQueueNumbersItemsAcrossChunks(t *testing.T) {
	var r queue[int]
	next := 0 // the value of the item numbered seq is seq
	check := func() {
		t.Helper()
		for seq := r.first(); seq < r.first()+uint64(r.len()); seq++ {
			if v := r.at(seq); v == nil || *v != int(seq) {
				t.Fatalf("at(%d) = %v", seq, v)
			}
		}
		if r.at(r.first()+uint64(r.len())) != nil || (r.first() > 0 && r.at(r.first()-1) != nil) {
			t.Fatal("at found an item that is not live")
		}
	}
	// Push and pop in uneven steps so the front and the back cross chunk
	// boundaries at every offset.
	for round := range 40 {
		for range 1000 + round*370 {
			if seq := r.push(next); seq != uint64(next) {
				t.Fatalf("push numbered %d, want %d", seq, next)
			}
			next++
		}
		check()
		for range 800 + round*300 {
			r.pop()
		}
		check()
	}
	for r.len() > 0 {
		r.pop()
	}
	if len(r.chunks) > 1 {
		t.Fatalf("an empty queue keeps %d chunks", len(r.chunks))
	}
	if pushed := r.push(-1); pushed != uint64(next) {
		t.Fatalf("after emptying, push numbered %d, want %d", pushed, next)
	}
}

// BenchmarkSeenSetBegin is the dedupe cost of one envelope with a steady
// 10 minutes of keys behind it (600,000 at 1,000 envelopes/s): begin,
// finish, and the expiry of one key and one answer.
func BenchmarkSeenSetBegin(b *testing.B) {
	s, clock := newTestSeenSet(10 * time.Minute)
	keys := make([]string, 1<<20) // 17 minutes of distinct keys
	for i := range keys {
		keys[i] = triggerID(i)
	}
	answer := any("help")
	for i := range 600_000 {
		clock.advance(time.Millisecond)
		e, _ := s.begin(keys[i])
		e.finish(answer)
	}
	b.ReportAllocs()
	for i := 600_000; b.Loop(); i++ {
		clock.advance(time.Millisecond)
		e, _ := s.begin(keys[i%len(keys)])
		e.finish(answer)
	}
}

// triggerID is a key shaped like a slash command's.
func triggerID(i int) string {
	return fmt.Sprintf("cmd:%d.%d.%032x", 7000000000000+i, 4000000000+i*31, i*2654435761)
}

// BenchmarkGCWithFullSeenSet is the time of one full garbage collection
// while the set holds 10 minutes of keys at 4,000 envelopes/s (2.4 million):
// what every GC cycle of the bot pays for the set.
func BenchmarkGCWithFullSeenSet(b *testing.B) {
	s, clock := newTestSeenSet(10 * time.Minute)
	answer := any("help")
	for i := range 2_400_000 {
		clock.advance(250 * time.Microsecond) // the last 30 s keep answers
		e, _ := s.begin(triggerID(i))
		e.finish(answer)
	}
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
	}
	runtime.KeepAlive(s)
}

// BenchmarkGCEmpty is the same collection with nothing held: the baseline.
func BenchmarkGCEmpty(b *testing.B) {
	runtime.GC()
	for b.Loop() {
		runtime.GC()
	}
}
