package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxPayload is the largest message Teams takes from a bot: 100 KB of the
// message encoded as UTF-16, base64 images left out (messageSize); past it
// the connector answers 413 MessageSizeTooBig (Microsoft Learn, "Format
// your bot messages"). maxRequest bounds the body whatever it holds (images
// included). The client refuses to send a larger one.
const (
	MaxPayload = 100 * 1024
	maxRequest = 256 * 1024
)

// dataImage is a base64 image inlined in a message (a data: URI).
var dataImage = regexp.MustCompile(`data:image/[A-Za-z0-9.+-]+;base64,[A-Za-z0-9+/=]*`)

// messageSize is an activity's size as Teams counts it: its JSON as
// UTF-16 (plain ASCII counts two bytes a character, an emoji four),
// inlined base64 images left out.
func messageSize(body []byte) int {
	n := 0
	for _, r := range string(dataImage.ReplaceAll(body, nil)) {
		if r > 0xFFFF {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

const (
	// tokenMargin: a cached token is renewed this long before it expires,
	// so a request never leaves with a token that dies on the way.
	tokenMargin = 5 * time.Minute
	// maxAttempts is how many times a call is tried on 429/412/502/504.
	maxAttempts = 5
	// backoffBase and backoffMax bound the exponential backoff used when
	// the answer has no Retry-After.
	backoffBase = time.Second
	backoffMax  = 30 * time.Second
	// maxRetryAfter is the longest Retry-After the client waits out. A
	// connector asking for more (a throttled tenant told to come back in
	// minutes) fails the call at once with an error saying so: a post
	// waiting that long would hold its caller (an invoke, a digest's
	// queue) past any use, and the bot's own retry of failed posts is the
	// place for a later try.
	maxRetryAfter = 60 * time.Second
)

// ErrPayloadTooLarge is returned (wrapped, with the sizes) for an activity
// over MaxPayload; nothing was sent.
var ErrPayloadTooLarge = errors.New("activity over Teams' size limit")

// APIError is a connector or token endpoint answer other than success.
type APIError struct {
	Op      string // send, reply, update, create, token
	Status  int
	Code    string // the connector's error.code or Entra's error
	Message string
}

func (e *APIError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("teams %s: %d %s: %s", e.Op, e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("teams %s: %d %s", e.Op, e.Status, http.StatusText(e.Status))
}

// Client calls the Bot Framework connector at an activity's serviceUrl,
// with an app token from the client-credentials flow.
type Client struct {
	appID, password, tokenURL, scope string
	http                             *http.Client
	clock                            Clock
	limiter                          *limiter
	logf                             func(string, ...any)

	mu      sync.Mutex
	token   string
	expires time.Time
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithClientClock sets the client's clock (token expiry, rate windows,
// retry waits).
func WithClientClock(c Clock) ClientOption {
	return func(cl *Client) { cl.clock = c; cl.limiter = newLimiter(c) }
}

// WithClientHTTP sets the HTTP client.
func WithClientHTTP(h *http.Client) ClientOption { return func(cl *Client) { cl.http = h } }

// WithClientLogf logs retries.
func WithClientLogf(f func(string, ...any)) ClientOption { return func(cl *Client) { cl.logf = f } }

// NewClient makes a connector client for cfg's app.
func NewClient(cfg Config, opts ...ClientOption) *Client {
	c := &Client{
		appID: cfg.AppID, password: cfg.AppPassword, tokenURL: cfg.TokenURL, scope: cfg.TokenScope,
		http:  &http.Client{Timeout: 30 * time.Second},
		clock: realClock{},
		logf:  func(string, ...any) {},
	}
	c.limiter = newLimiter(c.clock)
	for _, o := range opts {
		o(c)
	}
	return c
}

// ResourceResponse is what the connector answers to a post.
type ResourceResponse struct {
	ID string `json:"id"`
}

// ConversationResource is what the connector answers when it creates a
// conversation (or a channel thread, with the first activity's id).
type ConversationResource struct {
	ID         string `json:"id"`
	ActivityID string `json:"activityId,omitempty"`
	ServiceURL string `json:"serviceUrl,omitempty"`
}

// Send posts a to conversation conv; it returns the new activity's id.
func (c *Client) Send(ctx context.Context, serviceURL, conv string, a *Activity) (string, error) {
	var r ResourceResponse
	err := c.do(ctx, "send", http.MethodPost, serviceURL, conv, "/v3/conversations/"+url.PathEscape(conv)+"/activities", a, &r)
	return r.ID, err
}

// Reply posts a in conv as a reply to activity replyTo (in a channel: in
// its thread).
func (c *Client) Reply(ctx context.Context, serviceURL, conv, replyTo string, a *Activity) (string, error) {
	cp := *a
	cp.ReplyToID = replyTo
	var r ResourceResponse
	err := c.do(ctx, "reply", http.MethodPost, serviceURL, conv,
		"/v3/conversations/"+url.PathEscape(conv)+"/activities/"+url.PathEscape(replyTo), &cp, &r)
	return r.ID, err
}

// Update replaces activity id in conv with a, in place for everyone.
func (c *Client) Update(ctx context.Context, serviceURL, conv, id string, a *Activity) error {
	cp := *a
	cp.ID = id
	return c.do(ctx, "update", http.MethodPut, serviceURL, conv,
		"/v3/conversations/"+url.PathEscape(conv)+"/activities/"+url.PathEscape(id), &cp, nil)
}

// CreatePersonal opens (or finds) the 1:1 conversation between the bot and
// user (a "29:…" id) in tenant, for a proactive message; the app must be
// installed for the user. It returns the conversation id.
func (c *Client) CreatePersonal(ctx context.Context, serviceURL, tenantID, user string) (string, error) {
	if tenantID == "" {
		return "", fmt.Errorf("teams create: a 1:1 conversation needs the tenant id (kept from the install, or TEAMS_TENANT_ID)")
	}
	body := map[string]any{
		"isGroup":     false,
		"bot":         Account{ID: "28:" + c.appID},
		"members":     []Account{{ID: user}},
		"tenantId":    tenantID,
		"channelData": map[string]any{"tenant": map[string]string{"id": tenantID}},
	}
	var r ConversationResource
	err := c.do(ctx, "create", http.MethodPost, serviceURL, "", "/v3/conversations", body, &r)
	return r.ID, err
}

// PostInChannel starts a new thread in a team channel ("19:…@thread.tacv2")
// with a; the answer holds the thread's conversation id (for replies) and
// the root activity's id (for updates).
func (c *Client) PostInChannel(ctx context.Context, serviceURL, tenantID, channel string, a *Activity) (ConversationResource, error) {
	body := map[string]any{
		"isGroup":  true,
		"bot":      Account{ID: "28:" + c.appID},
		"activity": a,
		"channelData": map[string]any{
			"channel": map[string]string{"id": channel},
			"tenant":  map[string]string{"id": tenantID},
		},
	}
	var r ConversationResource
	err := c.do(ctx, "post", http.MethodPost, serviceURL, channel, "/v3/conversations", body, &r)
	return r, err
}

// do sends one connector call: the payload size checked first, then for
// each attempt the rate limiter, a token, the request; 429, 412, 502 and
// 504 are retried after Retry-After or an exponential backoff with jitter,
// and a 401 once with a fresh token.
func (c *Client) do(ctx context.Context, op, method, serviceURL, conv, path string, in, out any) error {
	var body []byte
	if in != nil { // a GET sends none
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("teams %s: %w", op, err)
		}
	}
	if n := messageSize(body); n > MaxPayload || len(body) > maxRequest {
		return fmt.Errorf("teams %s: the activity is %d bytes (%d as UTF-16 without its images), over Teams' limits of %d and %d; nothing was sent: %w",
			op, len(body), n, maxRequest, MaxPayload, ErrPayloadTooLarge)
	}
	if serviceURL == "" {
		return fmt.Errorf("teams %s: no serviceUrl (outbound calls go to the activity's serviceUrl)", op)
	}
	endpoint := strings.TrimSuffix(serviceURL, "/") + path
	renewed := false
	for attempt := 1; ; attempt++ {
		if conv != "" {
			if err := c.limiter.wait(ctx, conv); err != nil {
				return err
			}
		}
		tok, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, endpoint, rd)
		if err != nil {
			return fmt.Errorf("teams %s: %w", op, err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("teams %s: %w", op, err)
		}
		rb, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			if out != nil && len(rb) > 0 {
				if err := json.Unmarshal(rb, out); err != nil {
					return fmt.Errorf("teams %s: unreadable answer: %w", op, err)
				}
			}
			return nil
		}
		apiErr := connectorError(op, resp.StatusCode, rb)
		switch {
		case resp.StatusCode == http.StatusUnauthorized && !renewed:
			renewed = true
			c.dropToken(tok)
			continue
		case retryable(resp.StatusCode) && attempt < maxAttempts:
			wait := retryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
			if wait > maxRetryAfter {
				return fmt.Errorf("teams %s: Teams asks to retry in %s, more than the %s this client waits; not retried: %w", op, wait, maxRetryAfter, apiErr)
			}
			if wait <= 0 {
				wait = backoff(attempt)
			}
			c.logf("teams %s: %d, retry %d in %s", op, resp.StatusCode, attempt, wait)
			if err := c.clock.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		return apiErr
	}
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusPreconditionFailed, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(h)); err == nil {
		return time.Duration(max(secs, 0)) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return t.Sub(now)
	}
	return 0
}

// backoff is the wait before retry n (1, 2, …): base·2^(n-1), at most
// backoffMax, plus up to 20% of jitter so clients do not retry in step.
func backoff(n int) time.Duration {
	d := backoffBase << (n - 1)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

func connectorError(op string, status int, body []byte) *APIError {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		Message string `json:"message"`
	}
	json.Unmarshal(body, &e)
	msg := e.Error.Message
	if msg == "" {
		msg = e.Message
	}
	return &APIError{Op: op, Status: status, Code: e.Error.Code, Message: msg}
}

// accessToken returns the cached app token, or gets a new one when there
// is none or it expires within tokenMargin.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.clock.Now().Add(tokenMargin).Before(c.expires) {
		return c.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.appID},
		"client_secret": {c.password},
		"scope":         {c.scope},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("teams token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := c.clock.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("teams token: %w", err)
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		json.Unmarshal(rb, &e)
		return "", &APIError{Op: "token", Status: resp.StatusCode, Code: e.Error, Message: e.Description}
	}
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(rb, &t); err != nil || t.AccessToken == "" {
		return "", fmt.Errorf("teams token: the answer holds no access_token")
	}
	c.token, c.expires = t.AccessToken, start.Add(time.Duration(t.ExpiresIn)*time.Second)
	return c.token, nil
}

// dropToken forgets tok after the connector refused it.
func (c *Client) dropToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == tok {
		c.token = ""
	}
}
