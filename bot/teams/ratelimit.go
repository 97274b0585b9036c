package teams

import (
	"context"
	"sync"
	"time"
)

// Teams' per bot per thread limits: at most n operations in any window.
// The connector answers 429 past them; the client waits instead.
var threadLimits = []struct {
	n      int
	window time.Duration
}{
	{7, time.Second},
	{8, 2 * time.Second},
	{60, 30 * time.Second},
	{1800, time.Hour},
}

// limiter keeps the times of recent operations per conversation (sliding
// windows), so a burst never goes past a limit.
type limiter struct {
	mu    sync.Mutex
	clock Clock
	times map[string][]time.Time
	swept time.Time
}

func newLimiter(c Clock) *limiter { return &limiter{clock: c, times: map[string][]time.Time{}} }

// wait blocks until an operation on conv is within every limit, and takes it.
func (l *limiter) wait(ctx context.Context, conv string) error {
	for {
		d := l.reserve(conv)
		if d <= 0 {
			return nil
		}
		if err := l.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reserve takes an operation now, or says how long until one fits.
func (l *limiter) reserve(conv string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if now.Sub(l.swept) >= time.Hour {
		// once an hour, forget conversations with nothing in the last
		// hour, so a bot that writes to thousands of people once does not
		// keep them all
		l.swept = now
		for c, ts := range l.times {
			if now.Sub(ts[len(ts)-1]) >= time.Hour {
				delete(l.times, c)
			}
		}
	}
	times := l.times[conv]
	for len(times) > 0 && now.Sub(times[0]) >= time.Hour {
		times = times[1:]
	}
	var wait time.Duration
	for _, lim := range threadLimits {
		in := 0
		for i := len(times) - 1; i >= 0 && now.Sub(times[i]) < lim.window; i-- {
			in++
		}
		if in >= lim.n {
			// the operation that must leave the window first
			oldest := times[len(times)-lim.n]
			if d := oldest.Add(lim.window).Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		l.times[conv] = times
		return wait
	}
	l.times[conv] = append(times, now)
	return 0
}
