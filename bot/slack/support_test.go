package slack

import (
	"context"
	"testing"
	"time"
)

func TestSeenSetForgetsOldKeysInOrder(t *testing.T) {
	s := newSeenSet(time.Millisecond)
	if _, first := s.begin("a"); !first {
		t.Fatal("first delivery of a not seen as first")
	}
	if _, first := s.begin("a"); first {
		t.Fatal("redelivery of a seen as first")
	}
	if _, first := s.begin(""); !first {
		t.Fatal("an empty key is never deduplicated")
	}
	time.Sleep(5 * time.Millisecond)
	if _, first := s.begin("b"); !first {
		t.Fatal("b not first")
	}
	if _, ok := s.index["a"]; ok {
		t.Fatal("a outlived its ttl")
	}
	if _, first := s.begin("a"); !first {
		t.Fatal("a after its ttl is a new delivery")
	}

	// Many keys: the queue is compacted and the map holds only live keys.
	for i := range 5000 {
		s.begin(string(rune('A'+i%26)) + time.Duration(i).String())
	}
	time.Sleep(5 * time.Millisecond)
	s.begin("last")
	if len(s.index) != 1 || len(s.slots)-s.head != 1 {
		t.Fatalf("after expiry: %d keys, %d slots live; want 1 and 1", len(s.index), len(s.slots)-s.head)
	}
	if len(s.slots) > 2048 {
		t.Fatalf("queue not compacted: %d slots", len(s.slots))
	}
}

func TestWebAPITransportKeepsConnectionsForConcurrentCalls(t *testing.T) {
	tr := webAPITransport()
	if tr.MaxIdleConnsPerHost < 32 || tr.MaxIdleConns < tr.MaxIdleConnsPerHost {
		t.Fatalf("idle connections kept: %d per host, %d in all; want ≥ 32 per host", tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if tr.Proxy == nil || tr.TLSHandshakeTimeout == 0 {
		t.Fatal("the transport must keep the default's proxy and timeouts")
	}
}

func TestSeenSetRedeliveryGetsTheFirstAnswer(t *testing.T) {
	s := newSeenSet(time.Minute)
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
	// Once answered, a later redelivery gets it at once.
	late, _ := s.begin("cmd:1")
	if p, ok := late.wait(context.Background()); !ok || p != "answer" {
		t.Fatalf("late redelivery: %v %v", p, ok)
	}
	// A redelivery that gives up returns without an answer.
	other, _ := s.begin("cmd:2")
	_ = other
	dup, _ := s.begin("cmd:2")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, ok := dup.wait(ctx); ok {
		t.Fatal("wait returned an answer that was never given")
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
