package slack

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"
)

// seenSet remembers the work keys of recent envelopes and the answer each
// got, so a redelivery is acked with the same answer and not done twice.
// Keys are forgotten ttl after their first delivery, oldest first, from a
// queue in arrival order: no sweep of the whole set under the lock, which at
// thousands of envelopes a second held every handler for milliseconds.
//
// The set holds ten minutes of envelopes, so it is kept light for the
// garbage collector, which marks it on every cycle: one slot per key in a
// slice (the key's string and the answer are its only pointers; most
// answers are nil or the shared help), and a channel only for the rare
// redelivery that arrives while the first delivery is still at work.
type seenSet struct {
	mu      sync.Mutex
	ttl     time.Duration
	index   map[string]uint64 // key -> sequence number of its slot
	slots   []seenSlot        // arrival order; slots[head:] are live
	head    int
	base    uint64 // sequence number of slots[0]
	waiters map[uint64]chan struct{}
}

type seenSlot struct {
	key     string
	at      int64 // unix nanoseconds of the first delivery
	done    bool
	payload any
}

// seenEntry is a delivery's handle on its slot; the zero value (an
// envelope that is never deduplicated) does nothing.
type seenEntry struct {
	set *seenSet
	seq uint64
}

func newSeenSet(ttl time.Duration) *seenSet {
	return &seenSet{ttl: ttl, index: map[string]uint64{}, waiters: map[uint64]chan struct{}{}}
}

// begin returns the entry for key and whether this is its first delivery.
// An empty key is never deduplicated.
func (s *seenSet) begin(key string) (seenEntry, bool) {
	if key == "" {
		return seenEntry{}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: slots stay sorted by time
	s.expireLocked(now)
	if seq, ok := s.index[key]; ok {
		return seenEntry{s, seq}, false
	}
	seq := s.base + uint64(len(s.slots))
	s.slots = append(s.slots, seenSlot{key: key, at: now.UnixNano()})
	s.index[key] = seq
	return seenEntry{s, seq}, true
}

// expireLocked forgets the keys first seen more than ttl before now.
func (s *seenSet) expireLocked(now time.Time) {
	limit := now.Add(-s.ttl).UnixNano()
	for s.head < len(s.slots) && s.slots[s.head].at < limit {
		sl := &s.slots[s.head]
		delete(s.index, sl.key)
		if ch, ok := s.waiters[s.base+uint64(s.head)]; ok {
			close(ch) // a waiter gives up: its envelope is acked bare
			delete(s.waiters, s.base+uint64(s.head))
		}
		*sl = seenSlot{}
		s.head++
	}
	if s.head > 1024 && s.head*2 > len(s.slots) {
		s.base += uint64(s.head)
		s.slots = append([]seenSlot(nil), s.slots[s.head:]...)
		s.head = 0
	}
}

// slotLocked returns the live slot of seq, or nil once it expired.
func (s *seenSet) slotLocked(seq uint64) *seenSlot {
	if seq < s.base+uint64(s.head) || seq >= s.base+uint64(len(s.slots)) {
		return nil
	}
	return &s.slots[seq-s.base]
}

// finish records the answer; later calls are ignored.
func (e seenEntry) finish(payload any) {
	if e.set == nil {
		return
	}
	s := e.set
	s.mu.Lock()
	defer s.mu.Unlock()
	sl := s.slotLocked(e.seq)
	if sl == nil || sl.done {
		return
	}
	sl.done, sl.payload = true, payload
	if ch, ok := s.waiters[e.seq]; ok {
		close(ch)
		delete(s.waiters, e.seq)
	}
}

// wait returns the first delivery's answer once it is known.
func (e seenEntry) wait(ctx context.Context) (any, bool) {
	if e.set == nil {
		return nil, false
	}
	s := e.set
	s.mu.Lock()
	sl := s.slotLocked(e.seq)
	if sl == nil {
		s.mu.Unlock()
		return nil, false
	}
	if sl.done {
		p := sl.payload
		s.mu.Unlock()
		return p, true
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
	if sl := s.slotLocked(e.seq); sl != nil && sl.done {
		return sl.payload, true
	}
	return nil, false
}

// userCache keeps what Slack told us about users' time zones, so no event
// waits on users.info.
type userCache struct {
	api      *goslack.Client
	fallback *time.Location
	// call runs the users.info request, retrying 429s and server errors
	// (App.call); nil calls it once.
	call  func(ctx context.Context, method string, fn func() error) error
	mu    sync.RWMutex
	zones map[string]*time.Location
	// asking holds the users whose users.info is in flight.
	asking map[string]bool
}

func newUserCache(api *goslack.Client, fallback *time.Location) *userCache {
	return &userCache{api: api, fallback: fallback, zones: map[string]*time.Location{}, asking: map[string]bool{}}
}

// location returns the user's zone, or nil while it is unknown.
func (c *userCache) location(user string) *time.Location {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.zones[user]
}

// warm asks Slack for the user's zone once.
func (c *userCache) warm(ctx context.Context, user string) {
	if user == "" {
		return
	}
	c.mu.Lock()
	_, known := c.zones[user]
	asking := c.asking[user]
	if !known && !asking {
		c.asking[user] = true
	}
	c.mu.Unlock()
	if known || asking { // one users.info per user at a time
		return
	}
	defer func() {
		c.mu.Lock()
		delete(c.asking, user)
		c.mu.Unlock()
	}()
	var u *goslack.User
	get := func() error {
		var err error
		u, err = c.api.GetUserInfoContext(ctx, user)
		return err
	}
	var err error
	if c.call != nil {
		err = c.call(ctx, "users.info", get)
	} else {
		err = get()
	}
	loc := c.fallback
	if err == nil && u.TZ != "" {
		if l, err := time.LoadLocation(u.TZ); err == nil {
			loc = l
		}
	}
	if err != nil {
		return // try again on the next command
	}
	c.mu.Lock()
	c.zones[user] = loc
	c.mu.Unlock()
}

// zerologAdapter lets slack-go's socketmode log through zerolog.
type zerologAdapter struct{ log zerolog.Logger }

func (z zerologAdapter) Output(_ int, s string) error {
	z.log.Debug().Str("component", "socketmode").Msg(strings.TrimSpace(s))
	return nil
}
