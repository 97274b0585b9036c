package slack

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// seenSet remembers the work keys of recent envelopes and the answer each
// got, so a redelivery is acked with the same answer and not done twice.
//
// It keeps two things for two lengths of time:
//   - every key for keepKeys (ten minutes: Slack may redeliver that late),
//     as a 64-bit hash in a queue and a map that hold no pointers, so the
//     garbage collector neither marks them nor scans them. At 4,000
//     envelopes a second that is 2.4 million keys; held as strings they made
//     every GC cycle mark millions of objects, and the bot's ack p99 grew
//     through a run (2.2 ms after 10 s, 30–78 ms after 60 s; one full GC
//     with 2.4 million keys took 178 ms, now 2 ms: BenchmarkGCWithFullSeenSet).
//   - the first answer for keepAnswers (30 s): an answer only helps while
//     Slack still waits for the ack (3 s, then up to 3 retries, or a
//     redelivery on reconnect). A redelivery after that is acked bare;
//     the work is still not done twice.
//
// Both expire oldest first from queues in arrival order, never by a sweep
// of the whole set under the lock. Two different keys share a hash with a
// probability of about n/2^64 per new key (1e-13 with 2.4 million kept).
type seenSet struct {
	mu          sync.Mutex
	now         func() time.Time
	origin      time.Time // times are kept as nanoseconds since origin
	seed        maphash.Seed
	keepKeys    time.Duration
	keepAnswers time.Duration
	index       map[uint64]uint64 // key hash -> sequence number
	keys        queue[seenKey]    // every kept key, by sequence number
	answers     queue[seenAnswer] // the newest of them, same numbering
	waiters     map[uint64]chan struct{}
}

type seenKey struct {
	hash uint64
	at   int64 // first delivery, in nanoseconds since the set's origin
}

type seenAnswer struct {
	done    bool
	payload any
}

// seenEntry is a delivery's handle on its key; the zero value (an envelope
// that is never deduplicated) does nothing.
type seenEntry struct {
	set *seenSet
	seq uint64
}

// answerWindow is how long a first answer is kept for its redeliveries.
const answerWindow = 30 * time.Second

func newSeenSet(keepKeys time.Duration) *seenSet {
	return newSeenSetClock(keepKeys, time.Now)
}

func newSeenSetClock(keepKeys time.Duration, now func() time.Time) *seenSet {
	return &seenSet{
		now:         now,
		origin:      now(), // with time.Now, a monotonic origin: wall clock steps do not matter
		seed:        maphash.MakeSeed(),
		keepKeys:    keepKeys,
		keepAnswers: min(answerWindow, keepKeys),
		index:       map[uint64]uint64{},
	}
}

// begin returns the entry for key and whether this is its first delivery.
// An empty key is never deduplicated.
func (s *seenSet) begin(key string) (seenEntry, bool) {
	if key == "" {
		return seenEntry{}, true
	}
	h := maphash.String(s.seed, key)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := int64(s.now().Sub(s.origin)) // under the lock: the queues stay sorted by time
	s.expireLocked(now)
	if seq, ok := s.index[h]; ok {
		return seenEntry{s, seq}, false
	}
	seq := s.keys.push(seenKey{hash: h, at: now})
	s.answers.push(seenAnswer{})
	s.index[h] = seq
	return seenEntry{s, seq}, true
}

// expireLocked forgets the answers and keys whose time has passed at now.
func (s *seenSet) expireLocked(now int64) {
	// Answers go first: they are kept no longer than keys, so the key of
	// every live answer is still in keys and holds its time.
	answersBefore := now - int64(s.keepAnswers)
	for s.answers.len() > 0 {
		seq := s.answers.first()
		if s.keys.at(seq).at > answersBefore {
			break
		}
		if ch, ok := s.waiters[seq]; ok {
			close(ch) // a waiter gives up: its envelope is acked bare
			delete(s.waiters, seq)
		}
		s.answers.pop()
	}
	keysBefore := now - int64(s.keepKeys)
	for s.keys.len() > 0 {
		k := s.keys.at(s.keys.first())
		if k.at > keysBefore {
			break
		}
		delete(s.index, k.hash)
		s.keys.pop()
	}
}

// finish records the answer; later calls are ignored.
func (e seenEntry) finish(payload any) {
	if e.set == nil {
		return
	}
	s := e.set
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.answers.at(e.seq)
	if a == nil || a.done {
		return
	}
	a.done, a.payload = true, payload
	if ch, ok := s.waiters[e.seq]; ok {
		close(ch)
		delete(s.waiters, e.seq)
	}
}

// wait returns the first delivery's answer once it is known, or false when
// it is no longer kept or ctx ends first.
func (e seenEntry) wait(ctx context.Context) (any, bool) {
	if e.set == nil {
		return nil, false
	}
	s := e.set
	s.mu.Lock()
	a := s.answers.at(e.seq)
	if a == nil {
		s.mu.Unlock()
		return nil, false
	}
	if a.done {
		p := a.payload
		s.mu.Unlock()
		return p, true
	}
	if s.waiters == nil {
		s.waiters = map[uint64]chan struct{}{}
	}
	ch, ok := s.waiters[e.seq]
	if !ok {
		ch = make(chan struct{})
		s.waiters[e.seq] = ch
	}
	s.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.answers.at(e.seq); a != nil && a.done {
		return a.payload, true
	}
	return nil, false
}

// queue is a queue numbered by sequence: push appends at the back and
// returns the item's number, pop drops the front, at finds a live item by
// number. Items live in fixed chunks, so it never copies what it holds as
// it grows (a doubling slice copied megabytes under the set's lock), and a
// chunk goes back to the collector once its last item is popped.
type queue[T any] struct {
	chunks []*[queueChunk]T
	front  int    // index in chunks[0] of the front item
	n      int    // live items
	base   uint64 // sequence number of the front item
}

const queueChunk = 4096

func (q *queue[T]) len() int      { return q.n }
func (q *queue[T]) first() uint64 { return q.base }

func (q *queue[T]) push(v T) uint64 {
	i := q.front + q.n
	if i == len(q.chunks)*queueChunk {
		q.chunks = append(q.chunks, new([queueChunk]T))
	}
	q.chunks[i/queueChunk][i%queueChunk] = v
	q.n++
	return q.base + uint64(q.n-1)
}

func (q *queue[T]) pop() {
	var zero T
	q.chunks[0][q.front] = zero // let go of what the item points to
	q.front++
	q.n--
	q.base++
	if q.front == queueChunk {
		q.chunks[0] = nil
		q.chunks = q.chunks[1:]
		q.front = 0
	}
}

// at returns the item numbered seq, or nil when it is not live.
func (q *queue[T]) at(seq uint64) *T {
	if seq < q.base || seq-q.base >= uint64(q.n) {
		return nil
	}
	i := q.front + int(seq-q.base)
	return &q.chunks[i/queueChunk][i%queueChunk]
}
