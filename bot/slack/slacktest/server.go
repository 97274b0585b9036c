package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fixed identities of the simulated workspace and app.
const (
	// DefaultAppToken is the app-level token (connections:write) accepted by apps.connections.open.
	DefaultAppToken = "xapp-1-A0DEALPLT-1000000000-slacktestappleveltoken"
	// DefaultBotToken is the bot token accepted by every other Web API method.
	DefaultBotToken = "xoxb-1000000000-1000000001-slacktestbottoken"

	TeamID     = "T0DEALPLT"
	TeamDomain = "dealpilot-test"
	TeamName   = "DealPilot Test"
	AppID      = "A0DEALPLT"
	BotUserID  = "U0DEALBOT"
	BotID      = "B0DEALBOT"
	BotName    = "dealpilot"
)

// Errors returned by the driver API.
var (
	// ErrClosed is returned by waits and actions once the server is closed.
	ErrClosed = errors.New("slacktest: server closed")
	// ErrDispatchFailed means no Socket Mode connection was open to deliver a
	// slash command or an interactive payload: Slack fails it at once and
	// shows the user "dispatch_failed".
	ErrDispatchFailed = errors.New("slacktest: dispatch_failed: no Socket Mode connection")
	// ErrNotAcknowledged means the envelope was delivered 1+MaxRetries times
	// without being acknowledged, or an event found no connection on any of
	// its attempts.
	ErrNotAcknowledged = errors.New("slacktest: envelope never acknowledged")
	// ErrNotSubscribed means a user's message was posted but the app was
	// not told: it is not in that conversation, or its manifest does not
	// subscribe to messages there (see Message).
	ErrNotSubscribed = errors.New("slacktest: the app does not subscribe to messages there")
)

// Option configures a Server.
type Option func(*config)

type config struct {
	addr             string
	appToken         string
	botToken         string
	pingInterval     time.Duration
	ackTimeout       time.Duration
	maxRetries       int
	triggerTTL       time.Duration
	eventRetryDelays []time.Duration
	noRateLimits     bool
	disconnectGrace  time.Duration
	maxConnections   int
	observer         func(Line)
	chaos            *Chaos
	clock            func() time.Time
	seed             uint64
	logf             func(format string, args ...any)
	scopes           []string // granted to the bot token (see WithScopes)
	scopesSet        bool
	appScopes        []string // granted to the app-level token
	appScopesSet     bool
	botEvents        []string  // nil: every event
	manifest         *Manifest // see WithManifest
	commands         map[string]ManifestCommand
	strictCommands   bool // refuse a command the manifest does not declare
	messagesTab      bool // users may write in the app's Messages tab
	socketBuffer     int  // SO_RCVBUF and SO_SNDBUF of accepted connections; 0 leaves the system's
}

// WithSocketBuffers sets the receive and send buffers of every connection
// the server accepts to n bytes. On loopback Linux's receive autotuning
// never grows a socket past its default (it sizes by what is read per
// round trip, and loopback's is microseconds), so a reader pausing for
// 20 ms at a few MB/s fills the window and the sender waits for TCP's
// persist timer (200 ms at least): dealbench sets it here and on the
// clients it measures, as Slack's servers and a bot across the internet
// would not stall so. Tests leave it alone.
func WithSocketBuffers(n int) Option { return func(c *config) { c.socketBuffer = n } }

// WithAddr sets the listen address (default "127.0.0.1:0").
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithTokens overrides the app-level ("xapp-") and bot ("xoxb-") tokens.
func WithTokens(appToken, botToken string) Option {
	return func(c *config) { c.appToken, c.botToken = appToken, botToken }
}

// WithPingInterval sets how often the server sends WebSocket PINGs on each
// Socket Mode connection (default 5s). slack-go reconnects when it sees no
// ping for 30s.
func WithPingInterval(d time.Duration) Option { return func(c *config) { c.pingInterval = d } }

// WithAckTimeout sets how long an envelope may stay unacknowledged before it
// is redelivered (default 3s, like Slack).
func WithAckTimeout(d time.Duration) Option { return func(c *config) { c.ackTimeout = d } }

// WithMaxRetries sets how many times an unacknowledged envelope is redelivered
// (default 3, like Slack).
func WithMaxRetries(n int) Option { return func(c *config) { c.maxRetries = n } }

// WithTriggerTTL sets how long a trigger_id stays valid (default 3s, like Slack).
func WithTriggerTTL(d time.Duration) Option { return func(c *config) { c.triggerTTL = d } }

// WithEventRetryDelays sets when Slack tries again to deliver an Events API
// event that found no Socket Mode connection open: the delay before the
// first retry, the second… (default at once, 1 minute, 5 minutes, as Slack
// retries events; the last delay repeats up to MaxRetries). Slash commands
// and interactive payloads are never kept: they fail with dispatch_failed.
func WithEventRetryDelays(d ...time.Duration) Option {
	return func(c *config) {
		if len(d) > 0 {
			c.eventRetryDelays = d
		}
	}
}

// WithDisconnectGrace sets how long the server keeps a connection open after
// sending it a "disconnect" message (default 2s).
func WithDisconnectGrace(d time.Duration) Option {
	return func(c *config) { c.disconnectGrace = d }
}

// WithMaxConnections sets the Socket Mode connection limit (default 10).
func WithMaxConnections(n int) Option { return func(c *config) { c.maxConnections = n } }

// WithObserver registers a callback receiving every transcript line, in
// order, from a dedicated goroutine (it may call Server methods). Close
// waits until every line was delivered, so the callback must not block forever.
func WithObserver(f func(Line)) Option { return func(c *config) { c.observer = f } }

// WithChaos enables random connection drops and disconnect requests.
func WithChaos(ch Chaos) Option { return func(c *config) { c.chaos = &ch } }

// WithClock sets the clock used for timestamps and trigger_id expiry.
// Ack timeouts and pings always use real time.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithSeed seeds the generator of IDs and chaos (default 1).
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithBotEvents sets the bot events the app subscribes to (the manifest's
// settings.event_subscriptions.bot_events); events outside the list, such
// as member_joined_channel, are not sent. Default: the bot_events of
// manifests/slack-app.yaml.
func WithBotEvents(events ...string) Option {
	return func(c *config) { c.botEvents = append([]string{}, events...) }
}

// WithLogf sets a debug logger (for example t.Logf).
func WithLogf(f func(format string, args ...any)) Option { return func(c *config) { c.logf = f } }

// Server is a local Slack-compatible server: Web API, Socket Mode,
// response_url and file upload endpoints, plus a driver API acting as users.
// All methods are safe for concurrent use.
type Server struct {
	cfg      config
	base     string
	ln       net.Listener
	httpSrv  *http.Server
	closeCh  chan struct{}
	wg       sync.WaitGroup
	obsWake  chan struct{}
	obsDone  chan struct{}
	closeOne sync.Once

	mu      sync.Mutex
	changed chan struct{}
	closed  bool
	revoked bool // see RevokeTokens
	st      State
	// envBase is how many envelope records Forget dropped: an
	// envelope's idx counts from the first ever, its record is
	// st.Envelopes[idx-envBase] (envRecLocked).
	envBase int
	rng     *rand.Rand
	seq     int64
	lastTS  int64

	tickets      map[string]time.Time
	limits       *limiter
	rendered     int                      // transcript lines whose Text is produced
	acking       string                   // the invocation whose ack is being applied: its lines are tagged
	checked      map[string]checkedBlocks // see checkMessageLocked
	slashAcks    map[string]slashAck      // see ackSlashLocked
	conns        map[int]*wsConn
	nextConnID   int
	rr           int
	envelopes    map[string]*envelope
	triggers     map[string]*trigger
	responseURLs map[string]*responseURL
	faults       map[string][]*fault
	invocations  map[string]*Invocation
	lastInv      map[string]*Invocation // key user|channel
	cursors      map[string]int         // invocation id -> NextResponse cursor
	obsQueue     []Line
	dms          map[string]string                    // user -> D channel
	viewState    map[string]map[string]map[string]any // view -> block_id -> action_id -> state value
	forge        func(payload map[string]any)         // edits the next payload (Forge), once
}

// New starts a server on loopback. Call Close when done.
func New(opts ...Option) (*Server, error) {
	cfg := config{
		addr:             "127.0.0.1:0",
		appToken:         DefaultAppToken,
		botToken:         DefaultBotToken,
		pingInterval:     5 * time.Second,
		ackTimeout:       3 * time.Second,
		maxRetries:       3,
		triggerTTL:       3 * time.Second,
		eventRetryDelays: []time.Duration{0, time.Minute, 5 * time.Minute},
		disconnectGrace:  2 * time.Second,
		maxConnections:   10,
		clock:            time.Now,
		seed:             1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.applyManifest(); err != nil {
		return nil, err
	}
	if !cfg.scopesSet {
		cfg.scopes = defaultScopes()
	}
	if !cfg.appScopesSet {
		cfg.appScopes = defaultAppScopes
	}
	if !strings.HasPrefix(cfg.appToken, "xapp-") || !strings.HasPrefix(cfg.botToken, "xoxb-") {
		return nil, fmt.Errorf("slacktest: app token must start with xapp- and bot token with xoxb-")
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("slacktest: listen: %w", err)
	}
	s := &Server{
		cfg:          cfg,
		base:         "http://" + ln.Addr().String(),
		ln:           ln,
		closeCh:      make(chan struct{}),
		obsWake:      make(chan struct{}, 1),
		obsDone:      make(chan struct{}),
		changed:      make(chan struct{}),
		rng:          rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x5eed)),
		tickets:      map[string]time.Time{},
		limits:       newLimiter(time.Now),
		conns:        map[int]*wsConn{},
		envelopes:    map[string]*envelope{},
		triggers:     map[string]*trigger{},
		responseURLs: map[string]*responseURL{},
		faults:       map[string][]*fault{},
		invocations:  map[string]*Invocation{},
		lastInv:      map[string]*Invocation{},
		cursors:      map[string]int{},
		dms:          map[string]string{},
		viewState:    map[string]map[string]map[string]any{},
	}
	s.st = newState()
	s.st.Users[BotUserID] = User{ID: BotUserID, Name: BotName, RealName: "DealPilot", IsBot: true, TZ: "UTC", TZLabel: "Coordinated Universal Time"}

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.handleAPI)
	mux.HandleFunc("/link/", s.handleLink)
	mux.HandleFunc("/response/", s.handleResponseURL)
	mux.HandleFunc("/upload/", s.handleUpload)
	mux.HandleFunc("/files-pri/", s.handleDownload)
	mux.HandleFunc("/signin", s.handleSignin)
	s.httpSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var l net.Listener = ln
		if cfg.socketBuffer > 0 {
			l = bufferedListener{ln, cfg.socketBuffer}
		}
		_ = s.httpSrv.Serve(l)
	}()
	go s.runObserver()
	if cfg.chaos != nil {
		s.wg.Add(1)
		go s.runChaos(*cfg.chaos)
	}
	return s, nil
}

// URL returns the base URL, "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.base }

// APIURL returns the Web API base URL with the trailing slash slack-go's
// OptionAPIURL needs, "http://127.0.0.1:PORT/api/".
func (s *Server) APIURL() string { return s.base + "/api/" }

// AppToken returns the app-level token ("xapp-…").
func (s *Server) AppToken() string { return s.cfg.appToken }

// BotToken returns the bot token ("xoxb-…").
func (s *Server) BotToken() string { return s.cfg.botToken }

// Close closes every connection, stops the HTTP server and unblocks waiters.
// Hanging requests (see Hang) are released.
func (s *Server) Close() error {
	var err error
	s.closeOne.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.closeCh)
		for _, e := range s.envelopes {
			e.stopTimers()
		}
		conns := make([]*wsConn, 0, len(s.conns))
		for _, c := range s.conns {
			conns = append(conns, c)
		}
		s.notifyLocked()
		s.mu.Unlock()
		for _, c := range conns {
			c.kill()
		}
		err = s.httpSrv.Close()
		s.wg.Wait()
		<-s.obsDone
	})
	return err
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.logf != nil {
		s.cfg.logf("slacktest: "+format, args...)
	}
}

func (s *Server) now() time.Time { return s.cfg.clock() }

// notifyLocked wakes up every waiter. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor blocks until cond returns true or ctx is done. cond runs with the
// server lock held on the live state: it must not retain the pointer, modify
// the state or call Server methods.
func (s *Server) WaitFor(ctx context.Context, cond func(*State) bool) error {
	_, err := waitValue(ctx, s, func(st *State) (struct{}, bool) { return struct{}{}, cond(st) })
	return err
}

// waitValue waits until f reports ok, returning its value.
func waitValue[T any](ctx context.Context, s *Server, f func(*State) (T, bool)) (T, error) {
	for {
		s.mu.Lock()
		v, ok := f(&s.st)
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if ok {
			return v, nil
		}
		if closed {
			var zero T
			return zero, ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			var zero T
			return zero, fmt.Errorf("slacktest: wait: %w", ctx.Err())
		}
	}
}

// State returns a copy of the recorded state.
func (s *Server) State() *State {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renderTranscriptLocked()
	return s.st.clone()
}

// Counters returns the current counters.
func (s *Server) Counters() Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Counters
	c.LiveConnections = len(s.conns)
	return c
}

// Calls returns the recorded Web API calls, optionally only those of the given methods.
func (s *Server) Calls(methods ...string) []APICall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []APICall
	for _, c := range s.st.Calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall waits for the first Web API call of method after the first
// `after` calls of that method, and returns it.
func (s *Server) WaitCall(ctx context.Context, method string, after int) (APICall, error) {
	return waitValue(ctx, s, func(st *State) (APICall, bool) {
		n := 0
		for _, c := range st.Calls {
			if c.Method == method {
				if n == after {
					return c, true
				}
				n++
			}
		}
		return APICall{}, false
	})
}

// WaitMessage waits for a (non-deleted) message in channel matching match
// (nil matches any) and returns it.
func (s *Server) WaitMessage(ctx context.Context, channel string, match func(Message) bool) (Message, error) {
	return waitValue(ctx, s, func(st *State) (Message, bool) {
		for _, m := range st.Messages[channel] {
			if !m.Deleted && (match == nil || match(m)) {
				return m, true
			}
		}
		return Message{}, false
	})
}

// WaitEphemeral waits for an ephemeral message to user in channel matching
// match (nil matches any).
func (s *Server) WaitEphemeral(ctx context.Context, user, channel string, match func(Message) bool) (Message, error) {
	return waitValue(ctx, s, func(st *State) (Message, bool) {
		for _, m := range st.Ephemerals {
			if m.EphemeralTo == user && m.Channel == channel && !m.Deleted && (match == nil || match(m)) {
				return m, true
			}
		}
		return Message{}, false
	})
}

// WaitViewOpened waits for a views.open (or views.push) that used triggerID.
func (s *Server) WaitViewOpened(ctx context.Context, triggerID string) (View, error) {
	return waitValue(ctx, s, func(st *State) (View, bool) {
		for _, id := range st.ViewOrder {
			if v := st.Views[id]; v.TriggerID == triggerID {
				return v, true
			}
		}
		return View{}, false
	})
}

// WaitConnected waits until at least n Socket Mode connections said hello.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	_, err := waitValue(ctx, s, func(*State) (struct{}, bool) {
		live := 0
		for _, c := range s.conns {
			if !c.draining {
				live++
			}
		}
		return struct{}{}, live >= n
	})
	return err
}

// WaitDisconnected waits until the server holds no Socket Mode connection
// (an app that stopped has had its sockets closed on the server's side too).
func (s *Server) WaitDisconnected(ctx context.Context) error {
	_, err := waitValue(ctx, s, func(*State) (struct{}, bool) { return struct{}{}, len(s.conns) == 0 })
	return err
}

// OpenModals returns the open modal stack of user, bottom first (see
// HomeView for the App Home).
func (s *Server) OpenModals(user string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, id := range s.st.ModalStacks[user] {
		out = append(out, s.st.Views[id])
	}
	return out
}

// TopModal returns the topmost open modal of user.
func (s *Server) TopModal(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st.ModalStacks[user]
	if len(st) == 0 {
		return View{}, false
	}
	return s.st.Views[st[len(st)-1]], true
}

// View returns a view by id.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.st.Views[id]
	return v, ok
}

// HomeView returns the App Home view published for user.
func (s *Server) HomeView(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.st.HomeViews[user]
	if !ok {
		return View{}, false
	}
	return s.st.Views[id], true
}

// Messages returns the messages of channel (thread replies included), in order.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.st.Messages[channel]...)
}

// Ephemerals returns the ephemeral messages shown to user (any channel).
func (s *Server) Ephemerals(user string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.st.Ephemerals {
		if m.EphemeralTo == user {
			out = append(out, m)
		}
	}
	return out
}

// Files returns the files uploaded through the upload v2 flow.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []File
	for _, id := range s.st.FileOrder {
		out = append(out, s.st.Files[id])
	}
	return out
}

// --- ids ----------------------------------------------------------------

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newIDLocked returns prefix followed by 10 random uppercase alphanumerics.
func (s *Server) newIDLocked(prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for range 10 {
		b.WriteByte(idAlphabet[s.rng.IntN(len(idAlphabet))])
	}
	return b.String()
}

func (s *Server) randHexLocked(n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hex[s.rng.IntN(16)]
	}
	return string(b)
}

func (s *Server) randAlnumLocked(n int) string {
	const a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[s.rng.IntN(len(a))]
	}
	return string(b)
}

// newTSLocked returns a unique, increasing message timestamp "sec.micro".
func (s *Server) newTSLocked() string {
	us := s.now().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

func (s *Server) envelopeIDLocked() string {
	h := s.randHexLocked(32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (s *Server) nextSeqLocked() int64 {
	s.seq++
	return s.seq
}

func (s *Server) newTriggerIDLocked() string {
	return strconv.FormatInt(s.now().UnixMilli(), 10) + "." + strconv.FormatInt(1000000000+s.nextSeqLocked(), 10) + "." + s.randHexLocked(32)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("slacktest: marshal: %v", err))
	}
	return b
}

// bufferedListener sets the buffers of each connection it accepts
// (WithSocketBuffers).
type bufferedListener struct {
	net.Listener
	size int
}

func (l bufferedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(l.size)
		_ = tc.SetWriteBuffer(l.size)
	}
	return c, err
}
