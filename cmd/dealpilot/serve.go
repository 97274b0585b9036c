package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/metrics"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/manifests"
	"github.com/dealpilot/dealpilot/store"
)

const tokenHelp = "create the app from manifests/slack-app.yaml at https://api.slack.com/apps, then copy"

// checkTokens returns the one line an admin needs when a token is missing.
func checkTokens(e env) error {
	switch {
	case e.AppToken == "":
		return fmt.Errorf("SLACK_APP_TOKEN is not set: %s the app-level token (xapp-…, scope connections:write) from Basic Information > App-Level Tokens", tokenHelp)
	case e.BotToken == "":
		return fmt.Errorf("SLACK_BOT_TOKEN is not set: %s the Bot User OAuth Token (xoxb-…) from OAuth & Permissions after installing the app", tokenHelp)
	}
	return nil
}

func serve(ctx context.Context, args []string, e env, stderr io.Writer) int {
	noConfig := false
	for _, a := range args {
		switch a {
		case "--no-config", "-no-config":
			noConfig = true
		default:
			fmt.Fprintf(stderr, "dealpilot serve: unknown argument %q\nusage: dealpilot serve [--no-config]\n", a)
			return exitUsage
		}
	}
	slackOn, teamsOn, err := checkPlatforms(e)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot:", err)
		return exitUsage
	}
	log := newLogger(e, stderr)
	var (
		cfg      *config.Config
		cfgCheck slackapp.Check
	)
	if noConfig {
		cfg = config.Default()
		cfgCheck = slackapp.Check{Detail: "config: none (--no-config): built-in defaults, no teams, no admins, no deal desk; everyone is a rep without admin rights",
			Fix: noConfigFix + ", then restart without --no-config"}
	} else {
		cfg, cfgCheck, err = loadConfig(e)
		if err != nil {
			// One line: what is wrong, and both ways out.
			if errors.Is(err, errNoConfig) {
				fmt.Fprintf(stderr, "dealpilot: %v: %s, or start with dealpilot serve --no-config (no teams, no admins: everyone a rep)\n", err, noConfigFix)
				return exitUsage
			}
			fmt.Fprintln(stderr, "dealpilot:", err)
			return exitUsage
		}
	}
	e.NoConfig = noConfig
	if noConfig {
		// Loud, at start, and again in the start-up checks.
		log.Warn().Str("config", "none").Msg("STARTING WITHOUT A CONFIGURATION FILE (--no-config): no teams, no admins, no deal desk; everyone who writes to the bot is a rep without admin rights")
	}
	srv, err := start(ctx, e, cfg, log, nil)
	if err != nil {
		// One line an admin can act on (a refused token says which and
		// what to do); no stack trace, no retry loop.
		fmt.Fprintln(stderr, "dealpilot:", err)
		return exitFailed
	}
	if srv.checked || !slackOn {
		// The checks of dealpilot doctor, logged while the bot serves:
		// those of the platforms served.
		go func() {
			checks := []slackapp.Check{cfgCheck}
			if srv.app != nil {
				checks = append(checks, srv.preflight...)
				checks = append(checks, srv.app.CheckWorkspace(ctx, srv.identity)...)
			}
			if teamsOn {
				checks = append(checks, teamsChecks(ctx, e, cfg, func(context.Context) (map[string]string, error) {
					return srv.teams.Channels(), nil
				})...)
			}
			if ctx.Err() == nil { // cut short by a shutdown: its failures are not the workspace's
				logChecks(log, checks)
			}
		}()
	}
	if err := srv.wait(); err != nil {
		log.Error().Err(err).Msg("stopped")
		return exitFailed
	}
	return exitOK
}

// server is a running bot: the store, the Slack app, the Teams endpoint
// and the health endpoint.
type server struct {
	ctx  context.Context // the bot's run: an import through it stops with it
	bot  *bot.Bot
	db   *store.DB
	app  *slackapp.App // nil when Slack is not served
	http *http.Server
	addr string
	done chan error
	log  zerolog.Logger

	metrics     *metrics.Metrics
	metricsHTTP *http.Server
	metricsAddr string // where /metrics is served, "" for nowhere
	teamsAddr   string // where the Teams endpoint listens, "" when Teams is off
	teams       *teams.App
	teamsClient *teams.Client
	// teamsStopped is closed when the Teams endpoint has stopped serving,
	// teamsErr then says why (nil after a shutdown).
	teamsStopped chan struct{}
	teamsErr     error
	// ticksStopped is closed when the Teams side's scheduled jobs have
	// stopped (nil when they do not run there): a job under way at the
	// shutdown finishes before the file closes.
	ticksStopped chan struct{}

	// token is what dealpilot import sends to import through this bot,
	// written beside the file (import_bot.go); "" when none was written.
	token     string
	importing sync.Mutex // one import through the bot at a time

	// identity and preflight are what the token checks found; checked is
	// false when Slack did not answer them.
	identity  slackapp.Identity
	preflight []slackapp.Check
	checked   bool
}

// healthGrace is how long the bot may be without a Socket Mode connection
// and still be healthy: slack-go reconnects within seconds, and Slack asks
// for a new connection every few hours; a minute without one is a bot that
// cannot reach Slack.
const healthGrace = time.Minute

// start checks the settings of the platforms configured (Slack's when its
// tokens are set, Teams' when DEALPILOT_TEAMS_ADDR is), then opens the
// file, connects to Slack and serves the Teams endpoint; the bot serves
// until ctx is cancelled. clock may be nil for the system clock. Nothing
// is created on disk before the settings pass: a refused token leaves no
// empty database behind.
func start(ctx context.Context, e env, cfg *config.Config, log zerolog.Logger, clock domain.Clock) (*server, error) {
	if clock == nil {
		clock = domain.SystemClock{}
	}
	slackOn, teamsOn, err := checkPlatforms(e)
	if err != nil {
		return nil, err
	}
	if slackOn {
		if err := slackapp.CheckSettings(e.AppToken, e.BotToken, e.APIURL); err != nil {
			return nil, err
		}
	}
	// Teams' settings next: a missing app id or password stops the bot
	// before anything is created.
	tcfg := teams.Config{}
	if teamsOn {
		if tcfg, err = teams.ConfigFromEnv(e.Getenv); err != nil {
			return nil, err
		}
	}
	m := metrics.New()
	s := &server{done: make(chan error, 1), log: log, metrics: m}
	// Both tokens are checked before anything is created or served: a
	// wrong one would otherwise leave a bot that connects (or retries
	// forever) and fails every form.
	var checker *slackapp.Checker
	if slackOn {
		checker = slackapp.NewChecker(slackapp.CheckerOptions{AppToken: e.AppToken, BotToken: e.BotToken, APIURL: e.APIURL})
		s.identity, s.preflight, err = checker.Tokens(ctx)
		var unreachable *slackapp.UnreachableError
		var refused *slackapp.TokenError
		switch {
		case errors.As(err, &refused): // only a refused token stops the bot
			return nil, err
		case errors.As(err, &unreachable):
			log.Warn().Str("url", unreachable.URL).Str("cause", unreachable.Cause).Msg("could not check the tokens: Slack did not answer; retrying, not ready until it does")
		case err != nil: // a 5xx or a rate limit: Slack's trouble, not the tokens'
			log.Warn().Str("cause", err.Error()).Msg("could not check the tokens: Slack answered with an error; retrying, not ready until it answers")
		default:
			s.checked = true
		}
	}
	// The addresses next, so that a taken port creates no file either.
	var ln, mln, tln net.Listener
	closeListeners := func() {
		for _, l := range []net.Listener{ln, mln, tln} {
			if l != nil {
				l.Close()
			}
		}
	}
	if on(e.HTTPAddr) {
		if ln, err = net.Listen("tcp", e.HTTPAddr); err != nil {
			return nil, fmt.Errorf("DEALPILOT_HTTP_ADDR %s: %w", e.HTTPAddr, err)
		}
		s.addr = ln.Addr().String()
	}
	if tcfg.Enabled() {
		if tln, err = net.Listen("tcp", tcfg.Addr); err != nil {
			closeListeners()
			return nil, fmt.Errorf("DEALPILOT_TEAMS_ADDR %s: %w", tcfg.Addr, err)
		}
		s.teamsAddr = tln.Addr().String()
	}
	// The same address for both (not a port chosen by the system, ":0"):
	// one listener serves both.
	_, port, _ := net.SplitHostPort(e.MetricsAddr)
	metricsOnHTTP := on(e.MetricsAddr) && ln != nil && e.MetricsAddr == e.HTTPAddr && port != "0"
	if on(e.MetricsAddr) && !metricsOnHTTP {
		mln, err = net.Listen("tcp", e.MetricsAddr)
		switch {
		case err != nil && e.MetricsAddrSet:
			closeListeners()
			return nil, fmt.Errorf("DEALPILOT_METRICS_ADDR %s: %w", e.MetricsAddr, err)
		case err != nil:
			// The default port is taken (another bot on this machine): the
			// bot serves without metrics rather than not at all.
			log.Error().Str("addr", e.MetricsAddr).Err(err).Msg("/metrics not served: its default address is taken; set DEALPILOT_METRICS_ADDR (or off)")
			mln = nil
		default:
			s.metricsAddr = mln.Addr().String()
		}
	} else if metricsOnHTTP {
		s.metricsAddr = s.addr
	}
	db, err := store.Open(e.DB, store.Options{Clock: clock, ObserveWrite: m.Write,
		Logf: func(format string, args ...any) { log.Info().Msg(fmt.Sprintf(format, args...)) },
		BadRecord: func(bucket, key string, err error) {
			log.Error().Str("bucket", bucket).Str("key", key).Err(err).
				Msg("skipped an undecodable record; everything else keeps working: run dealpilot check on a backup")
			m.BadRecord(bucket)
		}})
	if err != nil {
		closeListeners()
		return nil, err
	}
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock, ObserveJob: m.Job, BackupDir: e.BackupDir})
	// The imports a manager sent before a restart were lost with it: their
	// files are not.
	if n, err := b.SweepImportFiles(); err != nil {
		log.Warn().Err(err).Msg("removing the files of imports lost at a restart failed")
	} else if n > 0 {
		log.Info().Int("files", n).Msg("removed the files of imports lost at a restart")
	}
	// The file keeps what reports need of the configuration, so a copy of
	// it reports alone (dealpilot report without --config).
	if changed, err := b.RecordSetup(ctx); err != nil {
		log.Warn().Err(err).Msg("keeping the configuration in the file for the reports failed; reports on a copy will need --config")
	} else if changed {
		log.Info().Msg("kept the configuration's teams, quotas, calendar and stages in the file, for the reports")
	}
	ticks := e.Ticks
	// With Teams on, the jobs and the work answers leave (a post after the
	// answer) go through one Messenger for both platforms: a request
	// asked on Slack reaches a desk channel on Teams.
	var route *both
	var posts bot.Messenger
	if tcfg.Enabled() {
		ticks = -1 // the jobs run in startTeams, on route
		route = &both{}
		posts = route
	}
	s.db, s.bot, s.ctx = db, b, ctx
	if ln != nil {
		if s.token, err = writeToken(e.DB); err != nil {
			log.Warn().Err(err).Str("file", tokenPath(e.DB)).Msg("no import token written beside the database: dealpilot import cannot go through this bot")
		}
	}
	if slackOn {
		app, err := slackapp.New(slackapp.Options{
			AppToken: e.AppToken, BotToken: e.BotToken, APIURL: e.APIURL, Bot: b, Log: log, Metrics: m,
			TickEvery: ticks, Checker: checker, Clock: clock, Posts: posts,
		})
		if err != nil {
			closeListeners()
			db.Close()
			return nil, err
		}
		s.app = app
		if route != nil {
			route.slack = app // else nil: Slack's ids are refused (slackOff)
		}
	}
	if tln != nil {
		if err := s.startTeams(ctx, tcfg, tln, b, e.Ticks, route); err != nil {
			closeListeners()
			db.Close()
			return nil, err
		}
	}
	if s.checked {
		s.app.Checked(s.identity)
	}
	if ln != nil {
		s.http = &http.Server{Handler: s.routes(metricsOnHTTP), ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = s.http.Serve(ln) }()
	}
	if mln != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		s.metricsHTTP = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = s.metricsHTTP.Serve(mln) }()
	}
	go func() {
		var err error
		if s.app != nil {
			err = s.app.Run(ctx)
		} else {
			<-ctx.Done() // Teams only: the endpoint serves until the end
		}
		if s.teamsStopped != nil {
			// Activities under way finish before the file closes.
			<-s.teamsStopped
		}
		if s.ticksStopped != nil {
			<-s.ticksStopped // and so does a scheduled job under way
		}
		for _, hs := range []*http.Server{s.http, s.metricsHTTP} {
			if hs != nil {
				shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				_ = hs.Shutdown(shut)
				cancel()
			}
		}
		if s.token != "" {
			_ = os.Remove(tokenPath(e.DB))
		}
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		log.Info().Msg("stopped")
		s.done <- err
	}()
	configFile := absPath(e.Config)
	switch {
	case e.NoConfig:
		configFile = "none (--no-config)"
	case e.Config == "":
		configFile = "built in (demo)"
	}
	started := log.Info().Str("serving", serving(slackOn, teamsOn)).Str("db", e.DB).Str("config", configFile).Str("http", s.addr).Str("metrics", s.metricsAddr)
	if s.teamsAddr != "" {
		started = started.Str("teams", s.teamsAddr)
	}
	started.Str("version", buildVersion()).Msg("dealpilot started")
	return s, nil
}

// on reports whether an address setting asks for a listener.
func on(addr string) bool { return addr != "" && addr != "off" }

func (s *server) wait() error { return <-s.done }

// teamsDown says why the Teams endpoint no longer listens, "" while it
// does or when Teams is not served.
func (s *server) teamsDown() string {
	if s.teamsStopped == nil {
		return ""
	}
	select {
	case <-s.teamsStopped:
		why := "the Teams endpoint stopped listening"
		if s.teamsErr != nil {
			why += ": " + s.teamsErr.Error()
		}
		return why + "; see the log"
	default:
		return ""
	}
}

func (s *server) routes(withMetrics bool) http.Handler {
	mux := http.NewServeMux()
	// Healthy unless a platform served cannot be served: Slack after no
	// Socket Mode connection for more than healthGrace, Teams once its
	// endpoint has stopped listening (a container health check restarts
	// the bot then).
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		if s.app != nil {
			if d := s.app.Disconnected(); d > healthGrace {
				http.Error(w, fmt.Sprintf("unhealthy: no Socket Mode connection to Slack for %s (more than %s); see the log", d.Round(time.Second), healthGrace), http.StatusServiceUnavailable)
				return
			}
		}
		if why := s.teamsDown(); why != "" {
			http.Error(w, "unhealthy: "+why, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	// Ready when every platform served can be used: Slack's socket
	// connected and its Web API answering; Teams' endpoint listening and
	// an app token obtainable (the client keeps it until near expiry, so
	// a probe costs a token request about once an hour).
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if s.app != nil {
			if why := s.app.NotReady(); why != "" {
				http.Error(w, why, http.StatusServiceUnavailable)
				return
			}
		}
		if why := s.teamsDown(); why != "" {
			http.Error(w, why, http.StatusServiceUnavailable)
			return
		}
		if s.teamsClient != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := s.teamsClient.CheckToken(ctx); err != nil {
				http.Error(w, "not ready: Teams: "+oneLine(err.Error())+"; run dealpilot doctor", http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ready")
	})
	if withMetrics { // DEALPILOT_METRICS_ADDR names the same address
		mux.Handle("GET /metrics", s.metrics.Handler())
	}
	mux.HandleFunc("GET /backup", s.backup)
	mux.HandleFunc("GET "+channelsPath, s.teamsChannels)
	mux.HandleFunc("POST /import", s.importFile) // import_bot.go
	return mux
}

// backupDBHeader names the file a /backup answer is a copy of.
const backupDBHeader = "X-Dealpilot-Db"

// backup streams a consistent copy of the file (one read transaction:
// writers are not blocked) for `dealpilot backup` on the same machine. The
// copy is everything the bot knows, so it is served only to a loopback
// client naming a loopback host (not to the network when
// DEALPILOT_HTTP_ADDR listens on every interface, nor to a web page whose
// name was rebound to 127.0.0.1).
func (s *server) backup(w http.ResponseWriter, r *http.Request) {
	if !loopbackRequest(r) {
		s.log.Warn().Str("remote", r.RemoteAddr).Str("host", r.Host).Msg("refused a backup request from outside this machine")
		http.Error(w, "backups are served to this machine only (loopback)", http.StatusForbidden)
		return
	}
	path := s.dbPath()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set(backupDBHeader, path)
	started := false
	n, err := s.db.BackupStream(w, func(size int64) {
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		started = true
	})
	if err != nil {
		s.log.Error().Err(err).Int64("bytes", n).Msg("backup request failed")
		if !started {
			http.Error(w, "backup failed; see the bot's log", http.StatusInternalServerError)
			return
		}
		panic(http.ErrAbortHandler) // cut the connection: the client sees a short copy, not a good one
	}
	s.log.Info().Int64("bytes", n).Msg("backup served")
}

// dbPath is the absolute path of the file this bot serves.
func (s *server) dbPath() string {
	path, err := filepath.Abs(s.db.Path())
	if err != nil {
		return s.db.Path()
	}
	return path
}

// loopbackRequest: the client is on this machine and asked for a loopback
// host by address or as localhost.
func loopbackRequest(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return false
	}
	name := r.Host
	if h, _, err := net.SplitHostPort(name); err == nil {
		name = h
	}
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(name, "[]"))
	return ip != nil && ip.IsLoopback()
}

func init() {
	register(command{name: "serve", rank: 10, list: "run the bot on Slack (needs SLACK_APP_TOKEN, SLACK_BOT_TOKEN), Teams (DEALPILOT_TEAMS_ADDR,\n" +
		"TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID) or both, and the configuration file;\n" +
		"serve --no-config runs on the built-in defaults: no teams, no admins",
		help: text(`usage: dealpilot serve [--no-config]

Runs the bot on the platforms configured, from one database: Slack over Socket Mode when
SLACK_APP_TOKEN and SLACK_BOT_TOKEN are set, Microsoft Teams on DEALPILOT_TEAMS_ADDR (POST
/api/messages) when it is set with TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID; it refuses
to start with neither, and its start line says which it serves. /healthz and /readyz on
DEALPILOT_HTTP_ADDR (127.0.0.1:8080), /metrics on DEALPILOT_METRICS_ADDR (127.0.0.1:8081). Reads the
configuration file (DEALPILOT_CONFIG, default ./dealpilot.yaml), and refuses to start without it or
when it names a channel or person of a platform not served; the settings are checked before the
database file (DEALPILOT_DB) is created.
--no-config runs on the built-in defaults instead: no teams, no admins, everyone a rep.

Example:
  export SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… DEALPILOT_CONFIG=./dealpilot.yaml
  dealpilot serve
`),
		run: func(ctx context.Context, args []string, e env, _, stderr io.Writer) int {
			return serve(ctx, args, e, stderr)
		}})
}

// startTeams serves the Teams endpoint on ln (DEALPILOT_TEAMS_ADDR) for the
// same bot, and runs the scheduled jobs every tick (a minute by default)
// with a Messenger that posts to whichever platform each channel and person
// is on, until ctx ends.
func (s *server) startTeams(ctx context.Context, cfg teams.Config, ln net.Listener, b *bot.Bot, every time.Duration, route *both) error {
	logf := func(format string, args ...any) {
		s.log.Info().Str("transport", "teams").Msg(fmt.Sprintf(format, args...))
	}
	client := teams.NewClient(cfg, teams.WithClientLogf(logf))
	tapp, err := teams.NewApp(teams.AppOptions{Bot: b, Client: client,
		AppID: cfg.AppID, TenantID: cfg.TenantID, ServiceURL: b.Config().MSTeams.ServiceURL, Logf: logf, Keep: s.db, Posts: route,
		BotName: manifests.TeamsBotName()})
	if err != nil {
		return err
	}
	route.teams = tapp
	h := teams.NewHandler(teams.NewVerifier(cfg), tapp.Handle, teams.WithHandlerLogf(logf))
	s.teamsClient, s.teamsStopped = client, make(chan struct{})
	go func() {
		defer close(s.teamsStopped)
		if err := teams.Serve(ctx, ln, h.Mux()); err != nil {
			s.teamsErr = err
			s.log.Error().Err(err).Msg("the Teams endpoint stopped")
		}
	}()
	if every >= 0 {
		if every == 0 {
			every = time.Minute
		}
		m := route
		tl := newTickLog(s.log)
		s.ticksStopped = make(chan struct{})
		// A job under way at the shutdown gets the endpoint's grace to
		// finish what it is posting rather than leave it half done, then
		// is cancelled; the file closes once it has returned.
		jobs, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
		stopAfter := context.AfterFunc(ctx, func() { time.AfterFunc(teams.ShutdownGrace, cancelJobs) })
		go func() {
			defer close(s.ticksStopped)
			defer stopAfter()
			defer cancelJobs()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				tl.errors(b.Tick(jobs, m))
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	s.teams = tapp
	return nil
}
