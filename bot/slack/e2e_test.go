package slack_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/manifests"
	"github.com/dealpilot/dealpilot/store"
)

// harness runs the real bot (store, bot, Slack transport with slack-go's
// socketmode client) against the local Slack-compatible server.
type harness struct {
	t     *testing.T
	srv   *slacktest.Server
	cfg   *config.Config
	clock *domain.ManualClock
	path  string
	cmds  func(*bot.Bot) map[string]*bot.Command
	// appOpts, when set, adjusts the App's options before New.
	appOpts func(*slackapp.Options)
	// backupDir, when set, turns on the daily backup job.
	backupDir string
	// notIn lists the channels the bot was never invited to.
	notIn []string
	// httpClient, when set, makes the bot's Web API calls.
	httpClient *http.Client
	// people are extra workspace members (a generated team's reps).
	people []slacktest.User
	// importOpts tune the import of files sent to the bot.
	importOpts bot.ImportOptions

	mu      sync.Mutex
	logs    *bytes.Buffer
	db      *store.DB
	bot     *bot.Bot
	app     *slackapp.App
	stop    context.CancelFunc
	stopped chan error
}

type harnessOption func(*harness, *[]slacktest.Option)

func withServerOptions(opts ...slacktest.Option) harnessOption {
	return func(_ *harness, o *[]slacktest.Option) { *o = append(*o, opts...) }
}

// withBotNotIn creates channels the bot was never invited to, as an admin
// who forgot /invite leaves them.
func withBotNotIn(channels ...string) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) { h.notIn = append(h.notIn, channels...) }
}

// withHTTPClient makes the bot call the Web API through c (a short time-out).
func withHTTPClient(c *http.Client) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) { h.httpClient = c }
}

// withPeople adds workspace members (a generated team's reps).
func withPeople(people ...slacktest.User) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) { h.people = append(h.people, people...) }
}

// withAppOptions adjusts the App's options before New.
func withAppOptions(f func(*slackapp.Options)) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) { h.appOpts = f }
}

func withCommands(f func(*bot.Bot) map[string]*bot.Command) harnessOption {
	return func(h *harness, _ *[]slacktest.Option) { h.cmds = f }
}

// now is the harness's wall clock: a Wednesday morning in Paris.
var now = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), slackapp.IDs())
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, cfg: cfg, clock: domain.NewManualClock(now), path: filepath.Join(t.TempDir(), "dealpilot.db"), logs: &bytes.Buffer{}}
	// Slack knows the app as its manifest declares it: commands escaped,
	// message events only where subscribed.
	m, err := slacktest.ParseManifest(manifests.SlackApp)
	if err != nil {
		t.Fatal(err)
	}
	srvOpts := []slacktest.Option{slacktest.WithLogf(t.Logf), slacktest.WithManifest(m)}
	for _, o := range opts {
		o(h, &srvOpts)
	}
	h.srv, err = slacktest.New(srvOpts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.srv.Close() })
	for _, p := range sample.People {
		h.srv.AddUser(slacktest.User{ID: string(p.ID), Name: p.Name, RealName: p.RealName, TZ: p.TZ})
	}
	for _, u := range h.people {
		h.srv.AddUser(u)
	}
	for _, c := range []string{sample.ForecastChannel, sample.DeskChannel, sample.SalesChannel} {
		ch := slacktest.Channel{ID: c, Name: strings.ToLower(c), Members: []string{slacktest.BotUserID}}
		if slices.Contains(h.notIn, c) {
			ch.Members = nil // every person, not the bot
		}
		h.srv.AddChannel(ch)
	}
	h.start()
	t.Cleanup(h.shutdown)
	return h
}

// start opens the file and connects the bot, waiting for both its sockets.
func (h *harness) start() {
	h.t.Helper()
	db, err := store.Open(h.path, store.Options{Clock: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	if h.importOpts.Dir == "" {
		h.importOpts.Dir = h.t.TempDir() // the test's: no file left in the system's
	}
	b := bot.New(bot.Options{Store: db, Config: h.cfg, Clock: h.clock, BackupDir: h.backupDir, Import: h.importOpts})
	var cmds map[string]*bot.Command
	if h.cmds != nil {
		cmds = h.cmds(b)
	}
	log := zerolog.New(syncWriter{h}).Level(zerolog.DebugLevel)
	opts := slackapp.Options{
		AppToken: h.srv.AppToken(), BotToken: h.srv.BotToken(), APIURL: h.srv.APIURL(),
		Bot: b, Log: log, Commands: cmds, TickEvery: -1, HTTPClient: h.httpClient,
	}
	if h.appOpts != nil {
		h.appOpts(&opts)
	}
	app, err := slackapp.New(opts)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	h.mu.Lock()
	h.db, h.stop, h.stopped, h.bot, h.app = db, cancel, done, b, app
	h.mu.Unlock()
	wait, cancelWait := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelWait()
	if err := h.srv.WaitConnected(wait, 2); err != nil { // the bot holds two
		h.t.Fatalf("bot did not connect: %v", err)
	}
}

// shutdown stops the bot as SIGTERM would and closes the file.
func (h *harness) shutdown() {
	h.mu.Lock()
	stop, stopped, db := h.stop, h.stopped, h.db
	h.stop, h.db = nil, nil
	h.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	if err := <-stopped; err != nil {
		h.t.Errorf("bot stopped with %v", err)
	}
	// Until the server saw the sockets close, a restart's WaitConnected
	// would count the old ones and an action sent then fail dispatch.
	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.srv.WaitDisconnected(wait); err != nil && !errors.Is(err, slacktest.ErrClosed) {
		h.t.Errorf("the bot's sockets stayed open on the server: %v", err)
	}
	if err := db.Close(); err != nil {
		h.t.Errorf("closing the file: %v", err)
	}
}

// restart stops the bot and starts a new one on the same file.
func (h *harness) restart() {
	h.t.Helper()
	h.shutdown()
	h.start()
}

func (h *harness) store() *store.DB {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.db
}

type syncWriter struct{ h *harness }

func (w syncWriter) Write(p []byte) (int, error) {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	return w.h.logs.Write(p)
}

func (h *harness) logText() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.logs.String()
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// slash runs a slash command as user in the sales channel.
func (h *harness) slash(user domain.UserID, command, text string) *slacktest.Invocation {
	h.t.Helper()
	inv, err := h.srv.SlashCommand(string(user), sample.SalesChannel, command, text)
	if err != nil {
		h.t.Fatal(err)
	}
	return inv
}

// answer waits for the one response the user sees and returns it as text.
func (h *harness) answer(inv *slacktest.Invocation) string {
	h.t.Helper()
	r, err := inv.NextResponse(ctxT(h.t))
	if err != nil {
		h.t.Fatalf("no answer to %s: %v", inv.ID, err)
	}
	return r.Render()
}

// tick runs the scheduled jobs once at the harness clock's time, as the
// running bot does every minute, and fails the test on a job error.
func (h *harness) tick() {
	h.t.Helper()
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	for _, err := range b.Tick(ctxT(h.t), app) {
		h.t.Errorf("scheduled job: %v", err)
	}
}
