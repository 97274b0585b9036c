package teams

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Skew is the clock skew allowed on a token's exp and nbf, as the Bot
// Framework SDKs allow.
const Skew = 5 * time.Minute

const (
	// keysMaxAge is how long fetched keys are used before they are fetched
	// again (in the background; they are used until that succeeds).
	// Microsoft says the list is stable and may be cached for long (the
	// SDKs: 5 days); a day keeps a rotation from taking that long to reach
	// us while costing two GETs a day.
	keysMaxAge = 24 * time.Hour
	// keysMaxStale caps how long keys are used while refreshing them
	// fails: a day past keysMaxAge. Microsoft removes a compromised key
	// from the list; keys we cannot refresh for that long may be such a
	// key, and a bot that refuses (saying why) is better than one that
	// trusts forever a metadata endpoint it can no longer reach.
	keysMaxStale = keysMaxAge + 24*time.Hour
	// unknownKIDRefresh is the least time between two fetches caused by a
	// token whose kid we do not know: a rotated key is picked up at once,
	// but forged kids cannot make us hammer the metadata endpoint.
	unknownKIDRefresh = 5 * time.Minute
	// maxDocument bounds the metadata and JWKS documents we read.
	maxDocument = 1 << 20
)

// AuthError is why an inbound request was refused (answered 401). Reason
// is safe to log: it never holds the token.
type AuthError struct{ Reason string }

func (e *AuthError) Error() string { return "teams auth: " + e.Reason }

func authErrorf(format string, args ...any) error {
	return &AuthError{Reason: fmt.Sprintf(format, args...)}
}

// Verifier checks the bearer tokens Teams sends with each activity, as the
// Bot Framework's "connector to bot" authentication asks: an RS256
// signature by a key of the JWKS named by the OpenID metadata, the issuer,
// the audience (the bot's app id), exp and nbf with 5 minutes of skew, the
// serviceurl claim equal to the activity's serviceUrl, and the signing
// key's endorsements holding the activity's channelId; and that channel
// must be Teams (msteams).
type Verifier struct {
	issuer string
	appID  string
	now    func() time.Time
	keys   *keyCache
}

// VerifierOption configures a Verifier.
type VerifierOption func(*Verifier)

// WithVerifierClock sets the verifier's clock (expiry and key cache age).
func WithVerifierClock(now func() time.Time) VerifierOption {
	return func(v *Verifier) { v.now = now; v.keys.now = now }
}

// WithVerifierHTTPClient sets the client that fetches metadata and keys.
func WithVerifierHTTPClient(c *http.Client) VerifierOption {
	return func(v *Verifier) { v.keys.client = c }
}

// NewVerifier makes a verifier for cfg's app id, issuer and metadata URL.
// Keys are fetched on first use.
func NewVerifier(cfg Config, opts ...VerifierOption) *Verifier {
	v := &Verifier{
		issuer: cfg.Issuer,
		appID:  cfg.AppID,
		now:    time.Now,
		keys: &keyCache{
			metadataURL: cfg.OpenIDMetadataURL,
			client:      &http.Client{Timeout: 10 * time.Second},
			now:         time.Now,
		},
	}
	for _, o := range opts {
		o(v)
	}
	return v
}

// claims are the Bot Framework token's claims we check.
type claims struct {
	jwt.RegisteredClaims
	ServiceURL string `json:"serviceurl"`
}

// Identity is a verified token: what remains to check against the activity.
type Identity struct {
	serviceURL   string
	endorsements []string
	// replayable is until when the token passes (its exp plus the skew).
	replayable time.Time
}

// Authenticate verifies the Authorization header of an inbound request.
// It must pass before the body is even read.
func (v *Verifier) Authenticate(ctx context.Context, authorization string) (*Identity, error) {
	if v.appID == "" || v.issuer == "" || v.keys.metadataURL == "" {
		// jwt would skip an empty issuer check, and an empty audience would
		// match a token without aud: refuse everything instead
		return nil, authErrorf("the verifier has no app id, issuer or metadata URL")
	}
	raw, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, authErrorf("no bearer token")
	}
	var key *jwkKey
	var keyErr error
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(v.issuer),
		jwt.WithAudience(v.appID),
		jwt.WithLeeway(Skew),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(v.now),
	)
	var c claims
	_, err := parser.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			keyErr = authErrorf("token has no kid")
			return nil, keyErr
		}
		key, keyErr = v.keys.get(ctx, kid)
		if keyErr != nil {
			return nil, keyErr
		}
		return key.pub, nil
	})
	if err != nil {
		var ae *AuthError
		if errors.As(keyErr, &ae) {
			return nil, ae
		}
		if keyErr != nil {
			return nil, authErrorf("signing keys unavailable: %v", keyErr)
		}
		return nil, authErrorf("%v", err)
	}
	if c.ServiceURL == "" {
		return nil, authErrorf("token has no serviceurl claim")
	}
	id := &Identity{serviceURL: c.ServiceURL, endorsements: key.endorsements}
	if c.ExpiresAt != nil {
		id.replayable = c.ExpiresAt.Add(Skew)
	}
	return id, nil
}

// teamsChannel is the only channelId admitted.
const teamsChannel = "msteams"

// Admit checks the activity against the verified token: its serviceUrl is
// the token's serviceurl claim, the signing key is endorsed for its
// channelId, and that channel is Teams.
func (id *Identity) Admit(a *Activity) error {
	if a.ServiceURL != id.serviceURL {
		return authErrorf("the activity's serviceUrl is not the token's serviceurl claim")
	}
	if a.ChannelID == "" {
		return authErrorf("the activity has no channelId")
	}
	if !slices.Contains(id.endorsements, a.ChannelID) {
		return authErrorf("the signing key is not endorsed for channel %q", a.ChannelID)
	}
	// Microsoft's keys are endorsed for Web Chat and Direct Line too, where
	// the client writes from and channelData itself: anyone holding a
	// Direct Line secret could act as any configured person. Only Teams
	// vouches for who the sender is.
	if a.ChannelID != teamsChannel {
		return authErrorf("channel %q is not Teams (%s): its sender is not vouched for", a.ChannelID, teamsChannel)
	}
	return nil
}

// keyCache holds the JWKS keys, with their endorsements.
//
// The metadata endpoint is Microsoft's and may be slow or down; the keys
// it gave us stay good for days. So a request is never made to wait for
// a fetch it does not need: a token whose key is cached passes with it,
// however old, and a refresh of old keys runs in the background. Only a
// token whose kid is unknown (or the first one) waits for a fetch. One
// fetch runs at a time, outside the lock, and after a failed one none is
// tried for retryAfterFailure: a failing endpoint costs one GET per five
// minutes, not one per request, and unauthenticated requests cannot make
// us call out faster than that either.
type keyCache struct {
	metadataURL string
	client      *http.Client
	now         func() time.Time

	mu       sync.Mutex
	keys     map[string]*jwkKey
	fetched  time.Time     // last successful fetch
	kidFetch time.Time     // last fetch caused by an unknown kid
	failed   time.Time     // end of the last failed fetch (zero after a success)
	lastErr  error         // why it failed
	inflight chan struct{} // closed when the fetch under way ends; nil when none
	started  int           // fetches started (tests)
}

const (
	// retryAfterFailure is the least time between a failed fetch and the
	// next one, whatever asks for it.
	retryAfterFailure = 5 * time.Minute
	// fetchTimeout bounds one fetch (metadata and JWKS), whatever the
	// HTTP client's own timeout.
	fetchTimeout = 10 * time.Second
)

type jwkKey struct {
	pub          *rsa.PublicKey
	endorsements []string
}

// get returns the key kid. A cached key is returned at once; when the keys
// are older than keysMaxAge a refresh is started in the background. An
// unknown kid (or no keys yet) waits for a fetch: the one under way, or a
// new one unless the last fetch failed less than retryAfterFailure ago or
// an unknown kid caused one less than unknownKIDRefresh ago. Keys older
// than keysMaxStale are not used: the request waits for a fetch as if
// there were none, and is refused, saying why, when it fails.
func (k *keyCache) get(ctx context.Context, kid string) (*jwkKey, error) {
	k.mu.Lock()
	now := k.now()
	stale := k.staleLocked(now)
	if key, ok := k.keys[kid]; ok && !stale {
		if now.Sub(k.fetched) >= keysMaxAge {
			k.startLocked(now)
		}
		k.mu.Unlock()
		return key, nil
	}
	wait := k.inflight
	if wait == nil {
		if !stale && k.keys != nil && !k.kidFetch.IsZero() && now.Sub(k.kidFetch) < unknownKIDRefresh {
			k.mu.Unlock()
			return nil, authErrorf("no signing key with the token's kid")
		}
		if wait = k.startLocked(now); wait == nil { // backing off
			err := k.missingLocked(now)
			k.mu.Unlock()
			return nil, err
		}
		if k.keys != nil && !stale {
			k.kidFetch = now
		}
	}
	k.mu.Unlock()
	select {
	case <-wait:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	now = k.now()
	if key, ok := k.keys[kid]; ok && !k.staleLocked(now) {
		return key, nil
	}
	return nil, k.missingLocked(now)
}

// staleLocked reports whether the keys held were fetched keysMaxStale ago
// or more (refreshing them has failed since).
func (k *keyCache) staleLocked(now time.Time) bool {
	return k.keys != nil && now.Sub(k.fetched) >= keysMaxStale
}

// missingLocked is why a kid has no key: the keys are too old to use, none
// is known, or no keys at all (and why).
func (k *keyCache) missingLocked(now time.Time) error {
	if k.staleLocked(now) {
		return authErrorf("the signing keys were fetched %s ago, more than %s, and refreshing them fails (%v): not trusted any longer",
			now.Sub(k.fetched).Round(time.Minute), keysMaxStale, k.lastErr)
	}
	if k.keys != nil {
		return authErrorf("no signing key with the token's kid")
	}
	if k.lastErr == nil {
		return errors.New("not fetched")
	}
	return fmt.Errorf("%w (not fetched again before %s)", k.lastErr, k.failed.Add(retryAfterFailure).UTC().Format(time.RFC3339))
}

// backingOffLocked reports whether the last fetch failed less than
// retryAfterFailure ago.
func (k *keyCache) backingOffLocked(now time.Time) bool {
	return !k.failed.IsZero() && now.Sub(k.failed) < retryAfterFailure
}

// startLocked starts a fetch unless one is under way or the last one
// failed too recently, and returns the channel closed when the fetch
// under way ends (nil when none).
func (k *keyCache) startLocked(now time.Time) chan struct{} {
	if k.inflight != nil || k.backingOffLocked(now) {
		return k.inflight
	}
	done := make(chan struct{})
	k.inflight = done
	k.started++
	go func() {
		// not the request's context: the fetch serves every request, and
		// one caller hanging up must not make it fail for the others
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		keys, err := k.fetch(ctx)
		cancel()
		k.mu.Lock()
		if err != nil {
			k.failed, k.lastErr = k.now(), err
		} else {
			k.keys, k.fetched, k.failed, k.lastErr = keys, k.now(), time.Time{}, nil
		}
		k.inflight = nil
		k.mu.Unlock()
		close(done)
	}()
	return done
}

// settle waits until no fetch is under way (tests: a background refresh
// has ended).
func (k *keyCache) settle() {
	k.mu.Lock()
	wait := k.inflight
	k.mu.Unlock()
	if wait != nil {
		<-wait
	}
}

// fetch reads the metadata, then the JWKS it names.
func (k *keyCache) fetch(ctx context.Context) (map[string]*jwkKey, error) {
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, k.metadataURL, &meta); err != nil {
		return nil, fmt.Errorf("openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return nil, fmt.Errorf("openid metadata %s has no jwks_uri", k.metadataURL)
	}
	var set struct {
		Keys []struct {
			Kty          string   `json:"kty"`
			Kid          string   `json:"kid"`
			N            string   `json:"n"`
			E            string   `json:"e"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	if err := k.getJSON(ctx, meta.JWKSURI, &set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	keys := map[string]*jwkKey{}
	for _, j := range set.Keys {
		if j.Kty != "RSA" || j.Kid == "" {
			continue
		}
		n, err1 := b64(j.N)
		e, err2 := b64(j.E)
		if err1 != nil || err2 != nil || len(n) == 0 || len(e) == 0 || len(e) > 4 {
			continue
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pub.N.BitLen() < 2048 {
			continue
		}
		keys[j.Kid] = &jwkKey{pub: pub, endorsements: j.Endorsements}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("jwks %s holds no usable RSA key", meta.JWKSURI)
	}
	return keys, nil
}

func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func (k *keyCache) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, maxDocument)).Decode(v)
}
