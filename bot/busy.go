package bot

import (
	"context"
	"sync"

	"github.com/dealpilot/dealpilot/domain"
)

// Heavy commands (/pipeline and the forecast's tables) read a whole team's
// deals, or everyone's: at 100,000 deals one call costs seconds and up to
// gigabytes allocated (BENCHMARKS.md). A user has at most one of them in
// flight; a second one, typed while the first is being worked on, is
// answered at once with busy.still_working and costs nothing.

// inFlight is the set of users with a heavy command being worked on.
type inFlight struct {
	mu    sync.Mutex
	users map[domain.UserID]struct{}
}

// begin claims u's slot; false when u already holds it.
func (f *inFlight) begin(u domain.UserID) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, busy := f.users[u]; busy {
		return false
	}
	if f.users == nil {
		f.users = map[domain.UserID]struct{}{}
	}
	f.users[u] = struct{}{}
	return true
}

// end frees u's slot.
func (f *inFlight) end(u domain.UserID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.users, u)
}

// oneAtATime runs h for a caller with no other heavy command in flight,
// and refuses it with busy.still_working otherwise.
func (b *Bot) oneAtATime(h Handler) Handler {
	return func(ctx context.Context, c Caller, args string) (Reply, error) {
		if !b.heavy.begin(c.User) {
			return nil, domain.Errorf(domain.EBUSY, "busy.still_working")
		}
		defer b.heavy.end(c.User)
		return h(ctx, c, args)
	}
}
