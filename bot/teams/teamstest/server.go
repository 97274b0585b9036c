package teamstest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Microsoft's public values, which the server answers to by default so that
// a bot configured with the defaults of bot/teams only needs the URLs changed.
const (
	DefaultIssuer = "https://api.botframework.com"
	DefaultScope  = "https://api.botframework.com/.default"
	ChannelID     = "msteams"

	// MaxMessage is the largest message Teams takes from a bot, counted as
	// Teams counts it (MessageSize): 100 KB of the message encoded as
	// UTF-16, base64 images left out; past it the connector answers 413
	// MessageSizeTooBig (Microsoft Learn, "Format your bot messages").
	MaxMessage = 100 * 1024
	// MaxRequest bounds a connector request's body whatever it holds
	// (base64 images included): 413 MessageSizeTooBig, "The request
	// content length exceeded limit of 262144 bytes".
	MaxRequest = 256 * 1024

	// InvokeDeadline is how long Teams waits for the HTTP answer to an
	// invoke (adaptiveCard/action, task/fetch, task/submit): five seconds,
	// after which the user is shown an error and a late answer is ignored
	// (Microsoft Learn, "Respond to the dialog submit action": "Your app has
	// five seconds to respond to the invoke").
	InvokeDeadline = 5 * time.Second
)

// Server is a local Teams: OpenID metadata, JWKS, token endpoint and Bot
// Framework connector on 127.0.0.1, plus a driver that plays the channel
// sending activities to the bot. See the package comment.
type Server struct {
	ln   net.Listener
	srv  *http.Server
	base string

	now           func() time.Time
	logf          func(string, ...any)
	appID         string
	appPassword   string
	tenantID      string
	issuer        string
	scope         string
	tokenLifetime time.Duration
	rateLimits    bool
	cards         *CardSchema
	client        *http.Client
	invokeWithin  time.Duration
	botName       string

	endorsed   *signingKey // published, endorsed for msteams: signs genuine tokens
	unendorsed *signingKey // published, endorsed for another channel only
	rogue      *signingKey // never published

	mu              sync.Mutex
	changed         chan struct{}
	botEndpoint     string
	tokens          map[string]time.Time // access token -> expiry
	tokensIssued    int
	metadataFetches int
	keysFetches     int
	users           map[string]*User
	convs           map[string]*conversation
	seq             int
	windows         map[string][]time.Time // rate limit: conversation -> request times
	faults          []fault
	transcript      []Entry
	calls           []Call
	hold            chan struct{}              // non-nil while HoldConnector holds calls
	holdOnly        []string                   // the calls it holds (Call.Method); none: all
	held            int                        // connector calls waiting on hold
	busy            int                        // requests the Track'ed bot endpoint is serving
	dialogs         map[string]json.RawMessage // user id -> the card of the dialog open for them
	// regions are the service URLs' regions served ("teams", and each
	// AddChannel's or AddUser's Region).
	regions map[string]bool
	// uninstalled are the teams the app is not (or no longer) installed
	// in: the connector answers 403 for their channels.
	uninstalled map[string]bool

	// rsc is the resource-specific consent permissions the installed
	// app's manifest declares (WithManifest): ChannelMessage.Read.Group
	// makes Teams deliver channel messages that do not mention the bot.
	rsc         map[string]bool
	manifestErr error
}

// User is a person in the tenant. ID is the Bot Framework id ("29:…"),
// AADObjectID the Microsoft Entra object id (a GUID).
type User struct {
	ID          string
	AADObjectID string
	Name        string
	// Installed says the app is installed in the user's personal scope, so
	// the bot may open a 1:1 conversation with them.
	Installed bool
	// Region is where the user's personal conversation is served from
	// (ServiceURLFor; "" is DefaultRegion).
	Region string
}

// Channel is a team channel. The app is installed in its team unless
// NotInstalled says otherwise (or UninstallFromTeam removes it).
type Channel struct {
	ID     string // "19:…@thread.tacv2"
	Name   string
	TeamID string // "" means the channel is its team's General channel, whose id is the team's
	// Region is where its team is served from (ServiceURLFor; "" is
	// DefaultRegion): a tenant spread over several regions gets several
	// service URLs, and each conversation answers at its own only.
	Region string
	// NotInstalled: the app is not installed in the channel's team.
	NotInstalled bool
}

// DefaultRegion is the region of the service URL ServiceURL names.
const DefaultRegion = "teams"

type conversation struct {
	id         string
	kind       string // personal, channel, groupChat
	user       string // personal: the user's id
	team       string // channel: its team's id
	name       string // channel: its name
	region     string // the region of the service URL it is reached at
	activities map[string]*Activity
	order      []string
	// history is every version of each bot activity (as posted, then each
	// update): a user may click on any version their client still shows.
	history map[string][]*Activity
}

// Option configures a Server.
type Option func(*Server)

// WithLogf logs what the server does (t.Logf in tests).
func WithLogf(f func(string, ...any)) Option { return func(s *Server) { s.logf = f } }

// WithClock sets the server's clock: token expiry and rate limit windows
// follow it. Tests share one fake clock with the code under test.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithApp sets the registered app id and password (client secret).
func WithApp(id, password string) Option {
	return func(s *Server) { s.appID, s.appPassword = id, password }
}

// WithTenant sets the tenant id.
func WithTenant(id string) Option { return func(s *Server) { s.tenantID = id } }

// WithIssuer sets the iss claim of the channel's tokens and the metadata's
// issuer (a sovereign cloud's).
func WithIssuer(iss string) Option { return func(s *Server) { s.issuer = iss } }

// WithTokenLifetime sets expires_in of the access tokens the token endpoint
// issues (Microsoft: 3600 s).
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.tokenLifetime = d } }

// WithoutRateLimits turns the connector's per-conversation limits off, for
// tests that drive more load than Teams takes.
func WithoutRateLimits() Option { return func(s *Server) { s.rateLimits = false } }

// WithBotEndpoint sets the URL the driver delivers activities to (the bot's
// messaging endpoint, …/api/messages). SetBotEndpoint changes it later.
func WithBotEndpoint(u string) Option { return func(s *Server) { s.botEndpoint = u } }

// WithCardSchema makes the connector refuse (400) an Adaptive Card
// attachment that does not validate against Adaptive Cards 1.5.
func WithCardSchema(c *CardSchema) Option { return func(s *Server) { s.cards = c } }

// WithBotName sets the bot's name as installed (the manifest's name, the
// bot's registration): Teams sends it as the activities' recipient name
// and users mention the bot by it. "dealpilot" by default.
func WithBotName(name string) Option { return func(s *Server) { s.botName = name } }

// WithInvokeDeadline sets how long the driver waits for the bot's answer
// to an invoke (InvokeDeadline, as Teams, by default). Tests that make the
// bot late on purpose shorten it so that they do not wait five seconds.
func WithInvokeDeadline(d time.Duration) Option { return func(s *Server) { s.invokeWithin = d } }

// WithManifest installs the app with the Teams app manifest raw
// (manifest.json): what Teams does depends on what it declares. Today that
// is its resource-specific consent permissions
// (authorization.permissions.resourceSpecific): without
// ChannelMessage.Read.Group a channel message reaches the bot only when it
// mentions the bot (see Deliver). Without WithManifest the app declares
// none, as the project's manifest. New fails on a manifest it cannot read.
func WithManifest(raw []byte) Option {
	return func(s *Server) {
		var m struct {
			Authorization struct {
				Permissions struct {
					ResourceSpecific []struct {
						Name string `json:"name"`
						Type string `json:"type"`
					} `json:"resourceSpecific"`
				} `json:"permissions"`
			} `json:"authorization"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			s.manifestErr = fmt.Errorf("teamstest: the manifest: %w", err)
			return
		}
		s.rsc = map[string]bool{}
		for _, p := range m.Authorization.Permissions.ResourceSpecific {
			// Receiving messages is an application permission: the
			// bot gets them with no user signed in.
			if p.Type == "Application" {
				s.rsc[p.Name] = true
			}
		}
	}
}

// New starts a server on 127.0.0.1.
func New(opts ...Option) (*Server, error) {
	s := &Server{
		now:           time.Now,
		logf:          func(string, ...any) {},
		appID:         "6f1c2a4e-0d3b-4c5a-9e8f-1a2b3c4d5e6f",
		appPassword:   "teamstest-app-password",
		tenantID:      "3c7d9e2a-5b1f-4e6a-8d2c-9f0e1a2b3c4d",
		issuer:        DefaultIssuer,
		scope:         DefaultScope,
		tokenLifetime: time.Hour,
		rateLimits:    true,
		invokeWithin:  InvokeDeadline,
		client:        &http.Client{Timeout: 30 * time.Second},
		changed:       make(chan struct{}),
		tokens:        map[string]time.Time{},
		users:         map[string]*User{},
		convs:         map[string]*conversation{},
		windows:       map[string][]time.Time{},
		dialogs:       map[string]json.RawMessage{},
		regions:       map[string]bool{DefaultRegion: true},
		uninstalled:   map[string]bool{},
		botName:       "dealpilot",
	}
	for _, o := range opts {
		o(s)
	}
	if s.manifestErr != nil {
		return nil, s.manifestErr
	}
	keys, err := initialKeys()
	if err != nil {
		return nil, err
	}
	s.endorsed, s.unendorsed, s.rogue = keys[0], keys[1], keys[2]
	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.base = "http://" + s.ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/.well-known/openidconfiguration", s.handleMetadata)
	mux.HandleFunc("GET /v1/.well-known/keys", s.handleKeys)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.handleToken)
	mux.HandleFunc("POST /{region}/v3/conversations", s.handleCreateConversation)
	mux.HandleFunc("POST /{region}/v3/conversations/{conv}/activities", s.handleSend)
	mux.HandleFunc("POST /{region}/v3/conversations/{conv}/activities/{activity}", s.handleReply)
	mux.HandleFunc("PUT /{region}/v3/conversations/{conv}/activities/{activity}", s.handleUpdate)
	mux.HandleFunc("GET /{region}/v3/conversations/{conv}/pagedmembers", s.handlePagedMembers)
	mux.HandleFunc("GET /{region}/v3/teams/{team}/conversations", s.handleTeamChannels)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(s.ln)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// AppID is the registered app's id (the bot's audience), AppPassword its secret,
// TenantID the tenant.
func (s *Server) AppID() string       { return s.appID }
func (s *Server) AppPassword() string { return s.appPassword }
func (s *Server) TenantID() string    { return s.tenantID }

// Issuer is the iss claim of the channel's tokens.
func (s *Server) Issuer() string { return s.issuer }

// MetadataURL is the OpenID metadata URL (TEAMS_OPENID_METADATA_URL).
func (s *Server) MetadataURL() string { return s.base + "/v1/.well-known/openidconfiguration" }

// KeysURL is the JWKS URL the metadata names.
func (s *Server) KeysURL() string { return s.base + "/v1/.well-known/keys" }

// TokenURL is the client-credentials token endpoint (TEAMS_TOKEN_URL).
func (s *Server) TokenURL() string { return s.base + "/botframework.com/oauth2/v2.0/token" }

// Scope is the scope the token endpoint grants (TEAMS_TOKEN_SCOPE).
func (s *Server) Scope() string { return s.scope }

// ServiceURL is the connector's service URL, as activities carry it (with
// a trailing slash, as Teams sends https://smba.trafficmanager.net/teams/).
func (s *Server) ServiceURL() string { return s.ServiceURLFor(DefaultRegion) }

// ServiceURLFor is the service URL of a region ("emea", "amer", as Teams'
// https://smba.trafficmanager.net/emea/): a channel or user added with
// that Region is reached there, and only there.
func (s *Server) ServiceURLFor(region string) string {
	if region == "" {
		region = DefaultRegion
	}
	return s.base + "/" + region + "/"
}

// SetBotEndpoint sets the URL the driver delivers activities to.
func (s *Server) SetBotEndpoint(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.botEndpoint = u
}

// AddUser adds a person to the tenant. An Installed user gets a personal
// conversation at once (PersonalConversation).
func (s *Server) AddUser(u User) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := u
	if cp.Region == "" {
		cp.Region = DefaultRegion
	}
	s.regions[cp.Region] = true
	s.users[u.ID] = &cp
	if cp.Installed {
		s.personalLocked(cp.ID)
	}
	s.notifyLocked()
	return &cp
}

// AddChannel adds a team channel; the app is installed in its team unless
// c.NotInstalled (a team that is installed stays so).
func (s *Server) AddChannel(c Channel) Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.TeamID == "" {
		c.TeamID = c.ID
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	s.regions[c.Region] = true
	if c.NotInstalled {
		s.uninstalled[c.TeamID] = true
	}
	s.convs[c.ID] = &conversation{id: c.ID, kind: "channel", team: c.TeamID, name: c.Name, region: c.Region, activities: map[string]*Activity{}, history: map[string][]*Activity{}}
	s.notifyLocked()
	return c
}

// UninstallFromTeam removes the app from a team: from then on the
// connector answers 403 BotNotInConversationRoster to anything for its
// channels, and Teams hands the bot nothing from them. Teams also tells
// the bot (BotRemovedFromTeam builds what it sends).
func (s *Server) UninstallFromTeam(teamID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uninstalled[teamID] = true
	s.notifyLocked()
}

// InstallInTeam installs the app in a team again.
func (s *Server) InstallInTeam(teamID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.uninstalled, teamID)
	s.notifyLocked()
}

// PersonalConversation is the id of the 1:1 conversation between the bot
// and the user, creating it (as installing the app does).
func (s *Server) PersonalConversation(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.personalLocked(userID).id
}

func (s *Server) personalLocked(userID string) *conversation {
	for _, c := range s.convs {
		if c.kind == "personal" && c.user == userID {
			return c
		}
	}
	id := "a:1" + hex.EncodeToString([]byte(userID))
	region := DefaultRegion
	if u := s.users[userID]; u != nil && u.Region != "" {
		region = u.Region
	}
	c := &conversation{id: id, kind: "personal", user: userID, region: region, activities: map[string]*Activity{}, history: map[string][]*Activity{}}
	s.convs[id] = c
	return c
}

// RevokeTokens invalidates every access token issued so far (the
// connector answers 401 to them).
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// TokensIssued counts the access tokens the token endpoint issued.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokensIssued
}

// MetadataFetches and KeysFetches count GETs of the OpenID metadata and
// the JWKS (to test the bot's key cache).
func (s *Server) MetadataFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.metadataFetches
}

func (s *Server) KeysFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keysFetches
}

// RotateKeys replaces the published signing keys with new ones (the
// endorsed one keeps its endorsements): tokens are signed with a kid the
// bot has not seen yet.
func (s *Server) RotateKeys() error {
	e, err := newSigningKey(s.endorsed.endorsements)
	if err != nil {
		return err
	}
	u, err := newSigningKey(s.unendorsed.endorsements)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endorsed, s.unendorsed = e, u
	return nil
}

// FailNext makes the next n connector calls answer status (with
// Retry-After when retryAfter > 0) without doing anything.
func (s *Server) FailNext(n, status int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, fault{status: status, retryAfter: retryAfter})
	}
}

// HoldConnector makes every connector call wait (after its token is
// checked) until release is called: a connector as slow as it pleases, to
// show what the bot does while its calls hang. With methods (Call.Method:
// "send", "reply", "update", "create", "members"), only those calls wait.
// Held counts the calls waiting. release is idempotent.
func (s *Server) HoldConnector(methods ...string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold == nil {
		s.hold = make(chan struct{})
	}
	s.holdOnly = methods
	ch := s.hold
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.hold == ch {
				s.hold = nil
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

// Held is the number of connector calls waiting on HoldConnector.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// waitHold blocks a connector call while the connector is held (for its
// method); false when the caller gave up first.
func (s *Server) waitHold(r *http.Request, method string) bool {
	s.mu.Lock()
	ch := s.hold
	if ch == nil || (len(s.holdOnly) > 0 && !slices.Contains(s.holdOnly, method)) {
		s.mu.Unlock()
		return true
	}
	s.held++
	s.notifyLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.held--
		s.notifyLocked()
		s.mu.Unlock()
	}()
	select {
	case <-ch:
		return true
	case <-r.Context().Done():
		return false
	}
}

// Track wraps the bot's endpoint handler (the code under test, served on
// loopback) so that Settle knows when the bot has finished with what it
// was delivered, including the work it does after it has answered.
func (s *Server) Track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.busy++
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.busy--
			s.notifyLocked()
			s.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// Settle waits until the Track'ed bot endpoint serves no request: every
// activity delivered so far is done, with the work that followed its
// answer. A test calls it after Deliver before it looks at what the bot
// posted.
func (s *Server) Settle(ctx context.Context) error {
	return s.WaitFor(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.busy == 0
	})
}

type fault struct {
	status     int
	retryAfter time.Duration
}

// WaitFor blocks until cond (called with the server unlocked) holds, or
// ctx ends. cond is re-checked whenever the server's state changes.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextIDLocked() string {
	s.seq++
	return fmt.Sprintf("%d", 1765000000000+s.seq)
}

// initialKeys are the keys every server starts with, generated once per
// process: a 2048-bit RSA key costs tens of milliseconds (more under -race),
// and servers in one test binary need not differ. RotateKeys makes new ones.
var initialKeys = sync.OnceValues(func() ([3]*signingKey, error) {
	var keys [3]*signingKey
	for i, endorsements := range [][]string{{ChannelID, "webchat"}, {"webchat", "skype"}, {ChannelID}} {
		k, err := newSigningKey(endorsements)
		if err != nil {
			return keys, err
		}
		keys[i] = k
	}
	return keys, nil
})

// signingKey is an RSA key with the Bot Framework's endorsements.
type signingKey struct {
	kid          string
	priv         *rsa.PrivateKey
	endorsements []string
}

func newSigningKey(endorsements []string) (*signingKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	kid := make([]byte, 12)
	if _, err := rand.Read(kid); err != nil {
		return nil, err
	}
	return &signingKey{kid: base64.RawURLEncoding.EncodeToString(kid), priv: priv, endorsements: endorsements}, nil
}

func (k *signingKey) jwk() map[string]any {
	return map[string]any{
		"kty":          "RSA",
		"use":          "sig",
		"kid":          k.kid,
		"n":            base64.RawURLEncoding.EncodeToString(k.priv.N.Bytes()),
		"e":            base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.priv.E)).Bytes()),
		"endorsements": k.endorsements,
	}
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

var errNotFound = errors.New("not found")

// baseConversation is a channel thread's channel ("19:…;messageid=1" → "19:…").
func baseConversation(id string) string {
	if i := strings.Index(id, ";messageid="); i >= 0 {
		return id[:i]
	}
	return id
}
