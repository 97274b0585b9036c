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
type seenSet struct {
	mu      sync.Mutex
	ttl     time.Duration
	entries map[string]*seenEntry
	order   []seenKey // keys in arrival order; order[head:] are live
	head    int
}

type seenKey struct {
	key string
	at  time.Time
}

type seenEntry struct {
	at      time.Time
	once    sync.Once
	done    chan struct{}
	payload any
}

func newSeenSet(ttl time.Duration) *seenSet {
	return &seenSet{ttl: ttl, entries: map[string]*seenEntry{}}
}

// begin returns the entry for key and whether this is its first delivery.
// An empty key is never deduplicated.
func (s *seenSet) begin(key string) (*seenEntry, bool) {
	if key == "" {
		return &seenEntry{at: time.Now(), done: make(chan struct{})}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: order stays sorted by time
	s.expireLocked(now)
	if old, ok := s.entries[key]; ok {
		return old, false
	}
	e := &seenEntry{at: now, done: make(chan struct{})}
	s.entries[key] = e
	s.order = append(s.order, seenKey{key, now})
	return e, true
}

// expireLocked forgets the keys first seen more than ttl before now.
func (s *seenSet) expireLocked(now time.Time) {
	for s.head < len(s.order) && now.Sub(s.order[s.head].at) > s.ttl {
		delete(s.entries, s.order[s.head].key)
		s.order[s.head] = seenKey{}
		s.head++
	}
	if s.head > 1024 && s.head*2 > len(s.order) {
		s.order = append([]seenKey(nil), s.order[s.head:]...)
		s.head = 0
	}
}

// finish records the answer; later calls are ignored.
func (e *seenEntry) finish(payload any) {
	e.once.Do(func() {
		e.payload = payload
		close(e.done)
	})
}

// wait returns the first delivery's answer once it is known.
func (e *seenEntry) wait(ctx context.Context) (any, bool) {
	select {
	case <-e.done:
		return e.payload, true
	case <-ctx.Done():
		return nil, false
	}
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
