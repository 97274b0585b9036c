package teams

import (
	"sync"
	"time"
)

// seen remembers recent activities by conversation and activity id so a
// redelivered activity is not done twice: a redelivery gets the first
// delivery's answer (waiting for it while the first is still at work).
//
// Keys are kept for keepFor (ten minutes: the channel redelivers within
// seconds) or, when longer, until the request's token expires plus the
// skew: a captured request replayed while its token still passes
// authentication (Bot Framework tokens live an hour) finds its key; at
// most maxSeen keys are kept, oldest dropped first.
type seen struct {
	mu      sync.Mutex
	now     func() time.Time
	keepFor time.Duration
	max     int
	entries map[string]*seenEntry
	order   []seenKey // arrival order, for expiry
}

type seenKey struct {
	key   string
	until time.Time
}

type seenEntry struct {
	done   chan struct{}
	answer answer
}

// answer is what the endpoint sent back for an activity.
type answer struct {
	status int
	body   []byte
}

const (
	seenKeepFor = 10 * time.Minute
	maxSeen     = 100_000
)

func newSeen(now func() time.Time) *seen {
	return &seen{now: now, keepFor: seenKeepFor, max: maxSeen, entries: map[string]*seenEntry{}}
}

// begin returns the entry for key and whether this is its first delivery;
// replayable is when the request's token expires, skew included.
func (s *seen) begin(key string, replayable time.Time) (*seenEntry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for len(s.order) > 0 && (!now.Before(s.order[0].until) || len(s.order) >= s.max) {
		delete(s.entries, s.order[0].key)
		s.order = s.order[1:]
	}
	if e, ok := s.entries[key]; ok {
		return e, false
	}
	e := &seenEntry{done: make(chan struct{})}
	s.entries[key] = e
	until := now.Add(s.keepFor)
	if replayable.After(until) {
		until = replayable
	}
	s.order = append(s.order, seenKey{key, until})
	return e, true
}

// finish records the first delivery's answer.
func (s *seen) finish(e *seenEntry, a answer) {
	e.answer = a
	close(e.done)
}

// forget drops key after its work failed, so a redelivery may do it; the
// waiting redeliveries get the failure.
func (s *seen) forget(key string, e *seenEntry, a answer) {
	s.mu.Lock()
	if s.entries[key] == e {
		delete(s.entries, key)
	}
	s.mu.Unlock()
	s.finish(e, a)
}
