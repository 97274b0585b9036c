package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/metrics"
	"github.com/dealpilot/dealpilot/bot/seal"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/manifests"
)

// DefaultAPIURL is Slack's own Web API.
const DefaultAPIURL = "https://slack.com/api/"

// socketConns is how many Socket Mode connections the app holds. slack-go
// closes a connection before it opens its replacement when Slack asks it to
// (disconnect "warning" or "refresh_requested", every few hours), and Slack
// fails a slash command or click sent while the app has no connection
// (dispatch_failed; only events are retried). With two, Slack sends
// everything to the other one during that gap. Slack allows 10 per app and
// spreads envelopes across them; a redelivery that lands on the other
// connection is recognised by the seen set (dedupe.go).
const socketConns = 2

// Options wires an App.
type Options struct {
	AppToken string // xapp-…, for Socket Mode
	BotToken string // xoxb-…, for the Web API
	// APIURL is the Web API base (GovSlack, or a local server in tests and the
	// demo); with or without the trailing slash. Empty means Slack's.
	APIURL string
	Bot    *bot.Bot
	Log    zerolog.Logger
	// Commands overrides the bot's slash commands (tests use it to add a
	// handler that panics). Nil means Bot.Commands().
	Commands map[string]*bot.Command
	// Answer, when set, sees every answer of the bot before the app acts
	// on it, with the kind of request answered ("slash_command",
	// "block_actions", "view_submission", "message" in a thread,
	// "app_home_opened"), and returns the answer to act on. Tests use it
	// to add work after answers of every kind. Nil changes nothing.
	Answer func(kind string, r bot.Reply) bot.Reply
	// HTTPClient is used for every Web API call; nil means a client with a
	// 10 s timeout.
	HTTPClient *http.Client
	// DrainTimeout bounds how long Run waits for in-flight work at shutdown.
	DrainTimeout time.Duration
	// Metrics, when set, records latencies, Web API errors and reconnects.
	Metrics *metrics.Metrics
	// TickEvery is how often scheduled jobs run (default one minute); a
	// negative value disables them (tests call Bot.Tick themselves).
	TickEvery time.Duration
	// WebProbeEvery is how often Run checks that the Web API still answers
	// for the bot token (auth.test; default one minute). Ready is false
	// while it does not.
	WebProbeEvery time.Duration
	// Checker, when set, is the checker whose Tokens already passed before
	// the App was built (see Checked); nil makes one.
	Checker *Checker
	// Clock times how long the app has been without a connection
	// (Disconnected); nil is the system clock.
	Clock domain.Clock
	// Posts, when set, is the Messenger the work an answer leaves for
	// after it (bot.Post) runs with: one process serving several
	// platforms routes a post to the platform of its channel or person,
	// as its scheduled jobs are. Nil means this App.
	Posts bot.Messenger
	// BotName is the bot's name as people see it in Slack (the
	// manifest's features.bot_user.display_name), written "@name" in a
	// message that mentions the bot before the app knows its user id
	// (auth.test): once known, the mention <@U…> shows whatever name the
	// workspace gave it. Empty means the shipped manifest's.
	BotName string
	// Dialer, when set, opens the Socket Mode connections (dealbench
	// gives the bot and the bare client it compares it with the same
	// one); nil is slack-go's default.
	Dialer *websocket.Dialer
}

// App is the bot on Slack.
type App struct {
	api      *goslack.Client
	socks    [socketConns]*socketmode.Client
	bot      *bot.Bot
	log      zerolog.Logger
	commands map[string]*bot.Command
	answer   func(kind string, r bot.Reply) bot.Reply // Options.Answer
	forms    map[bot.FormKind]bot.SubmitHandler
	changes  map[bot.FormKind]bot.ChangeHandler
	live     *liveViews
	loc      i18n.Locale
	seal     *seal.Sealer // form metadata and button values (untrusted.go)
	replies  *replyBook   // response_urls of open forms (untrusted.go)
	apiBase  *url.URL     // the Web API's base: response_urls must be on its host

	seen     *seenSet
	users    *userCache
	inflight sync.WaitGroup
	draining atomic.Bool
	up       [socketConns]atomic.Bool // connection i said hello and is not known lost
	ready    atomic.Bool              // at least one connection is up
	webOK    atomic.Bool              // the Web API answers for the bot token
	clock    domain.Clock
	connMu   sync.Mutex
	downAt   time.Time // since when no connection is up; zero while one is
	checker  *Checker
	apiURL   string
	// hc and botToken download the files people send the bot (files.go).
	hc       *http.Client
	botToken string
	probe    time.Duration
	drainMax time.Duration
	tick     time.Duration
	metrics  *metrics.Metrics
	posts    bot.Messenger // Options.Posts

	helpOnce sync.Once
	help     json.RawMessage
	// self is the bot's user id (auth.test), nil until known: messages
	// mention the bot with it (knowSelf, withSelf).
	self atomic.Pointer[string]
	// name is Options.BotName: how a message names the bot while self
	// is unknown.
	name string
}

// postsTo is the Messenger an answer's posts run with (Options.Posts).
func (a *App) postsTo() bot.Messenger {
	if a.posts != nil {
		return a.posts
	}
	return a
}

// NormalizeAPIURL adds the trailing slash slack-go needs.
func NormalizeAPIURL(u string) string {
	if u == "" {
		return DefaultAPIURL
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// CheckSettings checks what New would refuse in the tokens and the Web
// API base without calling Slack, so that a process can refuse them before
// it creates anything (the database file).
func CheckSettings(appToken, botToken, apiURL string) error {
	_, err := checkSettings(appToken, botToken, apiURL)
	return err
}

func checkSettings(appToken, botToken, apiURL string) (*url.URL, error) {
	if !strings.HasPrefix(appToken, "xapp-") {
		return nil, errors.New("SLACK_APP_TOKEN must start with xapp-")
	}
	if !strings.HasPrefix(botToken, "xoxb-") {
		return nil, errors.New("SLACK_BOT_TOKEN must start with xoxb-")
	}
	apiBase, err := url.Parse(NormalizeAPIURL(apiURL))
	if err != nil || apiBase.Host == "" || (apiBase.Scheme != "https" && apiBase.Scheme != "http") {
		return nil, fmt.Errorf("SLACK_API_URL %q is not an http(s) URL", apiURL)
	}
	return apiBase, nil
}

// New returns an App; Run connects it.
func New(o Options) (*App, error) {
	apiBase, err := checkSettings(o.AppToken, o.BotToken, o.APIURL)
	if err != nil {
		return nil, err
	}
	sealer, err := o.Bot.Sealer()
	if err != nil {
		return nil, err
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second, Transport: webAPITransport()}
	}
	api := goslack.New(o.BotToken,
		goslack.OptionAppLevelToken(o.AppToken),
		goslack.OptionAPIURL(NormalizeAPIURL(o.APIURL)),
		goslack.OptionHTTPClient(hc),
	)
	cmds := o.Commands
	if cmds == nil {
		cmds = o.Bot.Commands()
	}
	if o.DrainTimeout == 0 {
		o.DrainTimeout = 10 * time.Second
	}
	a := &App{
		api:      api,
		bot:      o.Bot,
		log:      o.Log,
		commands: cmds,
		answer:   o.Answer,
		forms:    o.Bot.Forms(),
		changes:  o.Bot.Changes(),
		live:     newLiveViews(),
		loc:      o.Bot.Locale(),
		seal:     sealer,
		replies:  newReplyBook(),
		apiBase:  apiBase,
		seen:     newSeenSet(10 * time.Minute),
		drainMax: o.DrainTimeout,
		tick:     o.TickEvery,
		metrics:  o.Metrics,
		apiURL:   NormalizeAPIURL(o.APIURL),
		hc:       hc,
		botToken: o.BotToken,
		probe:    o.WebProbeEvery,
		checker:  o.Checker,
		clock:    o.Clock,
		posts:    o.Posts,
		name:     o.BotName,
	}
	if a.name == "" {
		a.name = manifests.SlackBotName()
	}
	if a.checker == nil {
		a.checker = NewChecker(CheckerOptions{AppToken: o.AppToken, BotToken: o.BotToken, APIURL: o.APIURL, HTTPClient: hc})
	}
	if a.clock == nil {
		a.clock = domain.SystemClock{}
	}
	a.downAt = a.now() // not connected yet
	if a.tick == 0 {
		a.tick = time.Minute
	}
	if a.probe <= 0 {
		a.probe = time.Minute
	}
	a.users = newUserCache(api, o.Bot.Config().Location)
	a.users.call = a.call
	a.users.seen = func(_ context.Context, user, name string) {
		// Reports offline show people by the names Slack gives them;
		// the bot writes them with its next tick.
		o.Bot.PersonSeen(domain.UserID(user), name)
	}
	for i := range a.socks {
		opts := []socketmode.Option{socketmode.OptionLog(zerologAdapter{o.Log.With().Int("conn", i).Logger()})}
		if o.Dialer != nil {
			opts = append(opts, socketmode.OptionDialer(o.Dialer))
		}
		a.socks[i] = socketmode.New(api, opts...)
	}
	return a, nil
}

// Ready reports whether the bot can serve: at least one Socket Mode
// connection is up (Slack delivers to any of them) and the Web API answers
// for the bot token (a wrong or revoked bot token leaves the sockets up while
// every form and post fails).
func (a *App) Ready() bool { return a.NotReady() == "" }

// NotReady says why the bot is not ready, or "" when it is.
func (a *App) NotReady() string {
	switch {
	case !a.webOK.Load():
		return "the Slack Web API does not answer for the bot token (see the log)"
	case !a.ready.Load():
		return "not connected to Slack (Socket Mode)"
	}
	return ""
}

// Preflight checks both tokens (see Checker.Tokens) before Run: a
// *TokenError means the bot cannot run; an *UnreachableError means Slack did
// not answer, and Run keeps trying.
func (a *App) Preflight(ctx context.Context) (Identity, []Check, error) {
	id, checks, err := a.checker.Tokens(ctx)
	if err == nil {
		a.Checked(id)
	}
	return id, checks, err
}

// Checked records that the tokens passed the checks of Preflight, made
// with Options.Checker before the App was built: the Web API answers, and
// id is the bot's own identity.
func (a *App) Checked(id Identity) {
	a.webOK.Store(true)
	if id.BotUserID != "" { // knowSelf need not ask auth.test again
		a.self.CompareAndSwap(nil, &id.BotUserID)
	}
}

// Disconnected is how long the app has had no Socket Mode connection up:
// 0 while one is; else since the last one was lost or, never connected,
// since New. A health check uses it: a short gap is a reconnection, a long
// one a bot that cannot reach Slack.
func (a *App) Disconnected() time.Duration {
	a.connMu.Lock()
	defer a.connMu.Unlock()
	if a.downAt.IsZero() {
		return 0
	}
	return max(a.now().Sub(a.downAt), 0)
}

// now is the time on the app's clock.
func (a *App) now() time.Time {
	if a.clock == nil {
		return time.Now()
	}
	return a.clock.Now()
}

// CheckWorkspace runs the checks of dealpilot doctor after the tokens':
// scopes, configured channels and users.
func (a *App) CheckWorkspace(ctx context.Context, id Identity) []Check {
	return a.checker.Workspace(ctx, id, a.bot.Config())
}

// watchWebAPI checks the bot token with auth.test now (unless Preflight just
// did) and then every a.probe, and after a failure with a backoff, so Ready
// follows whether the Web API answers. It logs changes, with the cause and
// the URL tried.
func (a *App) watchWebAPI(ctx context.Context) {
	wait := time.Duration(0)
	if a.webOK.Load() {
		wait = a.probe
	}
	backoff := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		id, err := a.checker.Bot(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			if id.BotUserID != "" { // auth.test said who the bot is: mention it so
				a.self.CompareAndSwap(nil, &id.BotUserID)
			}
			if !a.webOK.Swap(true) {
				a.log.Info().Str("url", a.apiURL+"auth.test").Msg("the Slack Web API answers for the bot token")
			}
			wait, backoff = a.probe, time.Second
			continue
		}
		if a.webOK.Swap(false) || backoff == time.Second {
			a.log.Error().Str("url", a.apiURL+"auth.test").Str("cause", err.Error()).Msg("the Slack Web API does not answer for the bot token; not ready")
		}
		wait, backoff = backoff, min(backoff*2, a.probe)
	}
}

// setUp records connection i's state and recomputes readiness.
func (a *App) setUp(i int, up bool) {
	a.connMu.Lock() // one connection's change at a time: the last one decides
	defer a.connMu.Unlock()
	a.up[i].Store(up)
	someUp := false
	for j := range a.up {
		someUp = someUp || a.up[j].Load()
	}
	switch {
	case someUp:
		a.downAt = time.Time{}
	case a.downAt.IsZero():
		a.downAt = a.now()
	}
	if someUp && !a.ready.Swap(true) {
		a.log.Info().Msg("connected to Slack")
	} else if !someUp {
		a.ready.Store(false)
	}
}

// SlashCommands lists the slash commands the app routes (the manifest must
// declare exactly these).
func (a *App) SlashCommands() []string {
	names := make([]string, 0, len(a.commands))
	for n := range a.commands {
		names = append(names, n)
	}
	return names
}

// Run connects and serves until ctx is cancelled, then drains: it stops
// taking envelopes (Slack redelivers them to another connection), lets
// in-flight work finish and ack, and only then closes the socket.
func (a *App) Run(ctx context.Context) error {
	sockCtx, closeSocket := context.WithCancel(context.Background())
	defer closeSocket()
	sockDone := make(chan error, socketConns)
	for i := range a.socks {
		go func() { sockDone <- a.runSocket(sockCtx, i) }()
	}
	// Both connections' events are served by this loop; socketConns is 2.
	ev0, ev1 := a.socks[0].Events, a.socks[1].Events
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	jobsDone := make(chan struct{})
	if a.tick > 0 {
		go func() { a.runJobs(jobsCtx, a.tick); close(jobsDone) }()
	} else {
		close(jobsDone)
	}
	probeDone := make(chan struct{})
	go func() { a.watchWebAPI(jobsCtx); close(probeDone) }()
	defer func() { stopJobs(); <-jobsDone; <-probeDone }()

	for {
		select {
		case <-ctx.Done():
			a.draining.Store(true)
			a.log.Info().Msg("shutting down: finishing in-flight work")
			drained := make(chan struct{})
			go func() { a.inflight.Wait(); close(drained) }()
			timeout := time.NewTimer(a.drainMax)
			defer timeout.Stop()
		wait:
			for {
				select {
				case <-drained:
					break wait
				case <-timeout.C:
					a.log.Warn().Msg("shutdown: in-flight work still running after the drain timeout")
					break wait
				case evt := <-ev0: // keep draining so acks can still be written
					a.observe(0, evt)
				case evt := <-ev1:
					a.observe(1, evt)
				}
			}
			closeSocket()
			for i := range a.socks {
				a.setUp(i, false)
			}
			// The names learnt since the last tick, before the file closes.
			if err := a.bot.FlushPeople(context.WithoutCancel(ctx)); err != nil {
				a.log.Warn().Err(err).Msg("shutdown: keeping the display names learnt for the reports failed")
			}
			return nil
		case err := <-sockDone:
			if err != nil {
				return err
			}
		case evt := <-ev0:
			a.handle(0, evt)
		case evt := <-ev1:
			a.handle(1, evt)
		}
	}
}

// runSocket keeps Socket Mode connection i up; slack-go reconnects on
// disconnect messages and dropped sockets, and returns only on errors such as
// a failed reconnection, after which we try again with a backoff. A revoked or
// wrong token is final.
func (a *App) runSocket(ctx context.Context, i int) error {
	backoff := 100 * time.Millisecond
	for {
		err := a.socks[i].RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		a.setUp(i, false)
		if err != nil && isAuthError(err) {
			return err
		}
		a.log.Warn().Str("cause", a.checker.scrub(errText(err))).Str("url", a.apiURL+"apps.connections.open").Int("conn", i).Dur("retry_in", backoff).Msg("socket mode stopped; reconnecting")
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func errText(err error) string {
	if err == nil {
		return "unknown"
	}
	return err.Error()
}

func isAuthError(err error) bool {
	switch err.Error() {
	case "invalid_auth", "account_inactive", "not_authed", "token_revoked", "not_allowed_token_type":
		return true
	}
	return false
}

// observe tracks connection i's state; it never acks.
func (a *App) observe(i int, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeHello, socketmode.EventTypeConnected:
		if ce, ok := evt.Data.(*socketmode.ConnectedEvent); ok && ce.ConnectionCount > 0 {
			a.metrics.Reconnected()
		}
		a.setUp(i, true)
	case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect:
		a.setUp(i, false)
	case socketmode.EventTypeConnectionError:
		a.setUp(i, false)
		ev := a.log.Warn().Int("conn", i).Str("url", a.apiURL+"apps.connections.open")
		if ce, ok := evt.Data.(*goslack.ConnectionErrorEvent); ok {
			ev = ev.Str("cause", a.checker.scrub(errText(ce.ErrorObj))).Int("attempt", ce.Attempt).Dur("retry_in", ce.Backoff)
		}
		ev.Msg("connection to Slack failed; retrying")
	case socketmode.EventTypeInvalidAuth:
		a.log.Error().Str("url", a.apiURL+"apps.connections.open").Msg("Slack refused the app token (SLACK_APP_TOKEN): " + tokenFix("SLACK_APP_TOKEN"))
	}
}

// handle dispatches one event of connection i without blocking the event
// loop: every envelope is served in its own goroutine so a slow one never
// delays another's ack.
func (a *App) handle(i int, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
	default:
		a.observe(i, evt)
		return
	}
	if evt.Request == nil || a.draining.Load() {
		return
	}
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		a.serve(a.socks[i], evt)
	}()
}

// webAPITransport is the HTTP transport of Web API calls. The default one
// keeps only 2 idle connections per host: when more calls run at once (a
// deal-desk decision updates a message and posts a thread reply while other
// users' commands open modals; a reminder fan-out), every connection beyond
// the second was closed after its call and the next call dialed again, a
// TCP and TLS handshake with slack.com each time. Keeping up to 32 idle
// connections to Slack avoids that churn.
func webAPITransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	return t
}

// zerologAdapter lets slack-go's socketmode log through zerolog.
type zerologAdapter struct{ log zerolog.Logger }

func (z zerologAdapter) Output(_ int, s string) error {
	z.log.Debug().Str("component", "socketmode").Msg(strings.TrimSpace(s))
	return nil
}
