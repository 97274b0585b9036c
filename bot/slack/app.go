package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/metrics"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

// DefaultAPIURL is Slack's own Web API.
const DefaultAPIURL = "https://slack.com/api/"

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
}

// App is the bot on Slack.
type App struct {
	api      *goslack.Client
	sm       *socketmode.Client
	bot      *bot.Bot
	log      zerolog.Logger
	commands map[string]*bot.Command
	forms    map[bot.FormKind]bot.SubmitHandler
	changes  map[bot.FormKind]bot.ChangeHandler
	live     *liveViews
	loc      i18n.Locale

	seen     *seenSet
	users    *userCache
	inflight sync.WaitGroup
	draining atomic.Bool
	ready    atomic.Bool
	drainMax time.Duration
	tick     time.Duration
	metrics  *metrics.Metrics

	helpOnce sync.Once
	help     json.RawMessage
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

// New returns an App; Run connects it.
func New(o Options) (*App, error) {
	if !strings.HasPrefix(o.AppToken, "xapp-") {
		return nil, errors.New("SLACK_APP_TOKEN must start with xapp-")
	}
	if !strings.HasPrefix(o.BotToken, "xoxb-") {
		return nil, errors.New("SLACK_BOT_TOKEN must start with xoxb-")
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
		forms:    o.Bot.Forms(),
		changes:  o.Bot.Changes(),
		live:     newLiveViews(),
		loc:      o.Bot.Locale(),
		seen:     newSeenSet(10 * time.Minute),
		drainMax: o.DrainTimeout,
		tick:     o.TickEvery,
		metrics:  o.Metrics,
	}
	if a.tick == 0 {
		a.tick = time.Minute
	}
	a.users = newUserCache(api, o.Bot.Config().Location)
	a.users.call = a.call
	a.sm = socketmode.New(api, socketmode.OptionLog(zerologAdapter{o.Log}))
	return a, nil
}

// Ready reports whether the socket is connected.
func (a *App) Ready() bool { return a.ready.Load() }

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
	sockDone := make(chan error, 1)
	go func() { sockDone <- a.runSocket(sockCtx) }()
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	jobsDone := make(chan struct{})
	if a.tick > 0 {
		go func() { a.runJobs(jobsCtx, a.tick); close(jobsDone) }()
	} else {
		close(jobsDone)
	}
	defer func() { stopJobs(); <-jobsDone }()

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
				case evt := <-a.sm.Events: // keep draining so acks can still be written
					a.observe(evt)
				}
			}
			closeSocket()
			a.ready.Store(false)
			return nil
		case err := <-sockDone:
			return err
		case evt := <-a.sm.Events:
			a.handle(evt)
		}
	}
}

// runSocket keeps the Socket Mode connection up; slack-go reconnects on
// disconnect messages and dropped sockets, and returns only on errors such as
// a failed reconnection, after which we try again with a backoff. A revoked or
// wrong token is final.
func (a *App) runSocket(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for {
		err := a.sm.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		a.ready.Store(false)
		if err != nil && isAuthError(err) {
			return err
		}
		a.log.Warn().Err(err).Dur("retry_in", backoff).Msg("socket mode stopped; reconnecting")
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func isAuthError(err error) bool {
	switch err.Error() {
	case "invalid_auth", "account_inactive", "not_authed", "token_revoked", "not_allowed_token_type":
		return true
	}
	return false
}

// observe tracks connection state; it never acks.
func (a *App) observe(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeHello, socketmode.EventTypeConnected:
		if ce, ok := evt.Data.(*socketmode.ConnectedEvent); ok && ce.ConnectionCount > 0 {
			a.metrics.Reconnected()
		}
		if !a.ready.Swap(true) {
			a.log.Info().Msg("connected to Slack")
		}
	case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect:
		a.ready.Store(false)
	case socketmode.EventTypeConnectionError:
		a.ready.Store(false)
		a.log.Warn().Msg("connection to Slack failed; retrying")
	case socketmode.EventTypeInvalidAuth:
		a.log.Error().Msg("Slack refused the app token")
	}
}

// handle dispatches one event without blocking the event loop: every envelope
// is served in its own goroutine so a slow one never delays another's ack.
func (a *App) handle(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
	default:
		a.observe(evt)
		return
	}
	if evt.Request == nil || a.draining.Load() {
		return
	}
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		a.serve(evt)
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
