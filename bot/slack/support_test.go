package slack

import (
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
	if _, ok := s.entries["a"]; ok {
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
	if len(s.entries) != 1 || len(s.order)-s.head != 1 {
		t.Fatalf("after expiry: %d entries, %d queued; want 1 and 1", len(s.entries), len(s.order)-s.head)
	}
	if len(s.order) > 2048 {
		t.Fatalf("queue not compacted: %d slots", len(s.order))
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
