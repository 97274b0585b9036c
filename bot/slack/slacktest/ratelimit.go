package slacktest

import (
	"math"
	"time"
)

// Slack's Web API rate limits (docs.slack.dev/apis/web-api/rate-limits):
// each method has a tier, limited per app per workspace, and Slack
// "allows bursts" above the per-minute rate for a short while. The local
// Slack enforces them with token buckets: a method may be called Burst
// times at once, then at Rate; past that it answers HTTP 429 with
// Retry-After (whole seconds), as Slack does.
const (
	Tier2PerMinute = 20
	Tier3PerMinute = 50
	Tier4PerMinute = 100
	// PostMessagePerChannelBurst is how many messages chat.postMessage
	// takes at once in one channel before holding it to about one per
	// second (PostMessagePerChannelPerSecond).
	PostMessagePerChannelPerSecond = 1
	PostMessagePerChannelBurst     = 20
	// PostMessagePerMinute is chat.postMessage's workspace-wide limit
	// ("several hundred messages per minute").
	PostMessagePerMinute = 300
)

// methodTiers are the tiers of the methods the local Slack serves; a method
// not listed is Tier 3. chat.postMessage has its own limit (see limitLocked).
var methodTiers = map[string]int{
	"apps.connections.open":        3,
	"auth.test":                    4, // "special", at least Tier 4's rate
	"chat.postEphemeral":           4,
	"chat.update":                  3,
	"chat.delete":                  3,
	"views.open":                   4,
	"views.push":                   4,
	"views.update":                 4,
	"views.publish":                4,
	"users.info":                   4,
	"users.lookupByEmail":          3,
	"users.list":                   2,
	"conversations.list":           2,
	"conversations.open":           3,
	"conversations.info":           3,
	"conversations.members":        4,
	"files.getUploadURLExternal":   4,
	"files.completeUploadExternal": 4,
	"files.info":                   4,
}

func tierPerMinute(tier int) int {
	switch tier {
	case 2:
		return Tier2PerMinute
	case 4:
		return Tier4PerMinute
	default:
		return Tier3PerMinute
	}
}

// WithoutRateLimits turns the Web API rate limits off, for tests and
// benchmarks that drive more load than Slack would take. Throttle still
// injects 429s.
func WithoutRateLimits() Option { return func(c *config) { c.noRateLimits = true } }

// bucket is a token bucket: burst tokens, refilled at rate per second.
type bucket struct {
	tokens float64
	last   time.Time
}

// limiter holds the buckets; rate limits run on real time (a test's manual
// clock must not freeze them), like ack timeouts.
type limiter struct {
	now     func() time.Time
	buckets map[string]*bucket
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, buckets: map[string]*bucket{}}
}

// refill returns key's bucket brought up to now.
func (l *limiter) refill(key string, perSecond float64, burst int) *bucket {
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(burst), last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(float64(burst), b.tokens+el*perSecond)
	}
	b.last = now
	return b
}

// wait is how long until key's bucket holds a token (0 when it does now).
func (l *limiter) wait(key string, perSecond float64, burst int) time.Duration {
	b := l.refill(key, perSecond, burst)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / perSecond * float64(time.Second))
}

func (l *limiter) take(key string) { l.buckets[key].tokens-- }

// limitLocked charges one call of method (with its arguments) and returns
// how long the caller must wait when it is over the limit, else 0.
func (s *Server) limitLocked(method string, r *apiReq) time.Duration {
	if s.cfg.noRateLimits {
		return 0
	}
	type rule struct {
		key       string
		perSecond float64
		burst     int
	}
	var rules []rule
	if method == "chat.postMessage" {
		rules = []rule{
			{"chat.postMessage#" + r.str("channel"), PostMessagePerChannelPerSecond, PostMessagePerChannelBurst},
			{method, PostMessagePerMinute / 60.0, PostMessagePerMinute},
		}
	} else {
		n := tierPerMinute(methodTiers[method])
		rules = []rule{{method, float64(n) / 60, n}}
	}
	var wait time.Duration
	for _, ru := range rules {
		wait = max(wait, s.limits.wait(ru.key, ru.perSecond, ru.burst))
	}
	if wait > 0 {
		return wait
	}
	for _, ru := range rules {
		s.limits.take(ru.key)
	}
	return 0
}

// retryAfterSeconds is the Retry-After header value: whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
