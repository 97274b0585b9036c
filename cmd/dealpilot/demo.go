package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/manifests"
	"github.com/dealpilot/dealpilot/store"
)

// demoNow is the demo's clock: a Wednesday morning in Paris, so the output is
// the same on every run.
var demoNow = time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)

// demo runs the bot against the local Slack-compatible server with the
// sample team, plays a scripted session through real Socket Mode envelopes
// and prints the conversation.
func demo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: dealpilot demo [-v] [--db FILE [--reset]] [--serve]\n\n"+
			"Plays a scripted session of the sample team against a local Slack and prints it.\n"+
			"With --serve, the local Slack and the bot then keep running and a prompt reads commands,\n"+
			"one a line, typed as a sample user in #sales (help lists what can be typed; quit or Ctrl-D ends):\n"+
			"  lea> /deal list\n  lea> as claire /pipeline team quarter\n  lea> as hugo\n  hugo> /deal show D-12\n\n")
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExamples: keep the sample's year in a file, then report on it; type commands after the tour\n"+
			"  dealpilot demo --db demo.db && DEALPILOT_DB=demo.db dealpilot report pipeline\n"+
			"  dealpilot demo --serve\n")
	}
	verbose := fs.Bool("v", false, "also print the bot's log")
	keep := fs.String("db", "", "keep the demo's database in this `FILE`, which must not exist (default: a temporary file)")
	reset := fs.Bool("reset", false, "with --db, replace the file if it exists (a previous demo's)")
	serveFlag := fs.Bool("serve", false, "after the tour, keep the local Slack and the bot running and read commands from the standard input")
	teamsFlag := fs.Bool("teams", false, "play the same story on a local Microsoft Teams instead (commands typed to the bot, dialogs, Action.Execute, a reply to @dealpilot in a thread)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealpilot demo: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *teamsFlag {
		if *keep != "" || *serveFlag {
			fmt.Fprintln(stderr, "dealpilot demo: --teams plays its own story; it takes neither --db nor --serve")
			return exitUsage
		}
		if err := demoTeams(ctx, stdout); err != nil {
			fmt.Fprintln(stderr, "dealpilot demo --teams:", err)
			return exitFailed
		}
		return exitOK
	}
	if *reset && *keep == "" {
		fmt.Fprintln(stderr, "dealpilot demo: --reset replaces the file of --db; without --db the demo keeps nothing")
		return exitUsage
	}
	if *keep != "" {
		if _, err := os.Stat(*keep); err == nil {
			if !*reset {
				fmt.Fprintf(stderr, "dealpilot demo: %s already exists; the demo writes a new file: choose another, or add --reset to replace it\n", *keep)
				return exitUsage
			}
			if err := os.Remove(*keep); err != nil {
				fmt.Fprintln(stderr, "dealpilot demo:", err)
				return exitFailed
			}
		} else if !errors.Is(err, iofs.ErrNotExist) {
			fmt.Fprintln(stderr, "dealpilot demo:", err)
			return exitFailed
		}
	}
	var in io.Reader
	if *serveFlag {
		if in = stdin; in == nil {
			in = strings.NewReader("")
		}
	}
	if err := runDemo(ctx, in, stdout, stderr, *verbose, *keep); err != nil {
		fmt.Fprintln(stderr, "dealpilot demo:", err)
		return exitFailed
	}
	return exitOK
}

// runDemo plays the tour, then, when in is not nil (--serve), the
// commands read from it.
func runDemo(ctx context.Context, in io.Reader, stdout, stderr io.Writer, verbose bool, keep string) error {
	parent := ctx // the bot's and the prompt's: --serve runs as long as it is used
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	// The demo's Slack knows the app as the manifest declares it.
	m, err := slacktest.ParseManifest(manifests.SlackApp)
	if err != nil {
		return err
	}
	srv, err := slacktest.New(slacktest.WithManifest(m))
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, p := range sample.People {
		srv.AddUser(slacktest.User{ID: string(p.ID), Name: p.Name, RealName: p.RealName, TZ: p.TZ})
	}
	for _, c := range []string{sample.ForecastChannel, sample.DeskChannel, sample.SalesChannel} {
		srv.AddChannel(slacktest.Channel{ID: c, Name: map[string]string{sample.ForecastChannel: "forecast", sample.DeskChannel: "deal-desk", sample.SalesChannel: "sales"}[c], Members: []string{slacktest.BotUserID}})
	}

	dir, err := os.MkdirTemp("", "dealpilot-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := keep
	if path == "" {
		path = filepath.Join(dir, "dealpilot.db")
	}
	cfg, err := config.Parse("sample team", []byte(sample.Config), slackapp.IDs())
	if err != nil {
		return err
	}
	clock := domain.NewManualClock(demoNow)
	deals, err := seed(ctx, path, clock, cfg)
	if err != nil {
		return err
	}

	logOut := io.Discard
	if verbose {
		logOut = stderr
	}
	log := zerolog.New(zerolog.ConsoleWriter{Out: logOut, NoColor: true}).Level(zerolog.DebugLevel)
	e := env{AppToken: srv.AppToken(), BotToken: srv.BotToken(), APIURL: srv.APIURL(), DB: path, HTTPAddr: "off", Ticks: -1}
	botCtx, stopBot := context.WithCancel(parent)
	s, err := start(botCtx, e, cfg, log, clock)
	if err != nil {
		stopBot()
		return err
	}
	defer func() {
		stopBot()
		_ = s.wait()
	}()
	if err := srv.WaitConnected(ctx, 1); err != nil {
		return fmt.Errorf("the bot did not connect: %w", err)
	}

	fmt.Fprintf(stdout, "dealpilot demo: the sample team (Claire manages Léa, Hugo and Sam) with %s of history,\n", "a year")
	fmt.Fprintf(stdout, "a local Slack on %s, and the real bot over Socket Mode. It is %s in Paris.\n",
		strings.TrimSuffix(srv.URL(), "/"), demoNow.In(cfg.Location).Format("Monday 2 January 2006, 15:04"))
	d := &demoRun{ctx: ctx, srv: srv, app: s.app, clock: clock, newDeal: domain.DealID(len(deals) + 1).Ref()}
	for _, x := range deals {
		if x.Account == demoDeskAccount {
			d.deskDeal = x.ID.Ref()
		}
	}
	for _, step := range demoScript {
		if err := step(d); err != nil {
			d.print(stdout, cfg.Location)
			return err
		}
	}
	d.print(stdout, cfg.Location)
	fmt.Fprintln(stdout, "\nEnd of the demo: every envelope was acknowledged and answered.")
	if in == nil {
		return nil
	}
	var commands []string
	for c := range m.Commands {
		commands = append(commands, c)
	}
	slices.Sort(commands)
	return d.serve(parent, in, stdout, cfg.Location, commands, stdinTerminal(in))
}

// stdinTerminal tells whether in is a terminal, where the prompt shows
// who types ("lea> "); piped input gets no prompt.
func stdinTerminal(in io.Reader) bool {
	f, ok := in.(*os.File)
	return ok && isTerminal(f)
}

// seed writes the sample team's year into a new file.
func seed(ctx context.Context, path string, clock *domain.ManualClock, cfg *config.Config) ([]*domain.Deal, error) {
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		return nil, err
	}
	deals, err := sample.Year(ctx, db, clock, demoNow, cfg.Stages)
	if err != nil {
		db.Close()
		return nil, err
	}
	return deals, db.Close()
}

// demoRun plays the script through the local server as the sample users.
type demoRun struct {
	ctx   context.Context
	srv   *slacktest.Server
	app   *slackapp.App       // ticks the scheduled jobs (the demo's clock is manual)
	clock *domain.ManualClock // shared by the bot and its store

	newDeal  string // the deal Léa creates ("D-42")
	deskDeal string // the deal of the discount request
	scenes   []scene
}

// scene is a heading of the transcript: when what follows happens.
type scene struct {
	line  int // the transcript's length when the scene began
	at    time.Time
	title string
}

// scene sets the clock to at and starts a scene there, so a reader sees
// the date of each step instead of the clock jumping.
func (d *demoRun) scene(at time.Time, title string) {
	d.clock.Set(at)
	d.scenes = append(d.scenes, scene{line: len(d.srv.Transcript()), at: at, title: title})
}

// print writes the transcript with each scene's heading ("Monday 30
// November, 08:00 — the digest") and people by name ("@lea", not
// "<@U0REP1>"): the demo's rendering only, the bot sends Slack's syntax.
func (d *demoRun) print(w io.Writer, loc *time.Location) {
	names := demoUserNames(d.srv)
	lines := acksInPlace(d.srv.Transcript())
	next := 0
	for i := 0; i <= len(lines); i++ {
		for next < len(d.scenes) && d.scenes[next].line <= i {
			sc := d.scenes[next]
			fmt.Fprintf(w, "\n── %s — %s ──\n", sc.at.In(loc).Format("Monday 2 January, 15:04"), sc.title)
			next++
		}
		if i < len(lines) {
			fmt.Fprintln(w, demoNames(lines[i].Text, names))
		}
	}
}

// acksInPlace puts what each ack showed (an ephemeral answer, a modal
// closed or refused) right after the action it answers. The bot acks and
// then calls the Web API (response_url, a post in a channel); the ack goes
// over the socket and the calls over HTTP, so they reach Slack in either
// order, as they would reach a user's screen: the transcript shows one
// order, the ack first. Each scene waits for its acks and answers, so an
// ack never crosses a heading.
func acksInPlace(lines []slacktest.Line) []slacktest.Line {
	out := make([]slacktest.Line, 0, len(lines))
	for _, l := range lines {
		at := len(out)
		if l.Ack {
			for i := len(out) - 1; i >= 0; i-- {
				if out[i].Invocation == l.Invocation {
					at = i + 1
					break
				}
			}
		}
		out = append(out[:at], append([]slacktest.Line{l}, out[at:]...)...)
	}
	return out
}

// demoMention is a user mention in Slack's syntax, with an optional label.
var demoMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)

// demoNames writes mentions as @name, the way Slack shows them.
func demoNames(text string, names map[string]string) string {
	return demoMention.ReplaceAllStringFunc(text, func(m string) string {
		id := demoMention.FindStringSubmatch(m)[1]
		if n, ok := names[id]; ok {
			return "@" + n
		}
		return m
	})
}

// say runs a slash command and waits for the bot's answer.
func (d *demoRun) say(user domain.UserID, command, text string) (*slacktest.Invocation, error) {
	inv, err := d.srv.SlashCommand(string(user), sample.SalesChannel, command, text)
	if err != nil {
		return nil, err
	}
	if _, err := inv.NextResponse(d.ctx); err != nil {
		return nil, fmt.Errorf("%s %s got no answer: %w", command, text, err)
	}
	return inv, nil
}

// submit fills in the modal and waits for the ack.
func (d *demoRun) submit(user domain.UserID, viewID string, v slacktest.Values) (slacktest.Ack, error) {
	sub, err := d.srv.SubmitView(string(user), viewID, v)
	if err != nil {
		return slacktest.Ack{}, err
	}
	return sub.WaitAck(d.ctx)
}

// demoScript is the session the demo plays; each feature adds its steps.
var demoScript = []func(*demoRun) error{
	func(d *demoRun) error {
		d.scene(demoNow, "Léa works her deals")
		_, err := d.say(sample.Rep1, "/deal", "help")
		return err
	},
	func(d *demoRun) error { _, err := d.say(sample.Rep1, "/deal", "list"); return err },
	func(d *demoRun) error {
		inv, err := d.say(sample.Rep1, "/deal", "new")
		if err != nil {
			return err
		}
		view, err := inv.WaitView(d.ctx)
		if err != nil {
			return err
		}
		// Discovery needs a Need: choosing the stage makes the form show it
		// (dispatch_action on Stage, answered with views.update).
		pick, err := d.srv.BlockAction(string(sample.Rep1), slacktest.InView(view.ID), slacktest.Action{ActionID: "stage", Value: "Discovery"})
		if err != nil {
			return err
		}
		if _, err := pick.WaitAck(d.ctx); err != nil {
			return err
		}
		if err := d.srv.WaitFor(d.ctx, func(st *slacktest.State) bool {
			v := st.Views[view.ID]
			return v.Updates > view.Updates && strings.Contains(string(v.Blocks), `"text":"Need"`)
		}); err != nil {
			return fmt.Errorf("choosing Discovery did not show Need: %w", err)
		}
		values := slacktest.Values{
			"name": "Fromagerie Lemoine rollout", "account": "Fromagerie Lemoine", "amount": "48kk",
			"close_date": "2026-12-18", "need": "Traceability for 3 cheese dairies",
			"next_step": "Demo to the owners", "next_step_due": "2026-11-27",
		}
		ack, err := d.submit(sample.Rep1, view.ID, values)
		if err != nil {
			return err
		}
		if ack.ResponseAction != "errors" {
			return fmt.Errorf("a mistyped amount was accepted")
		}
		values["amount"] = "48k"
		ack, err = d.submit(sample.Rep1, view.ID, values)
		if err != nil {
			return err
		}
		if len(ack.Errors) > 0 {
			return fmt.Errorf("the corrected deal was refused: %v", ack.Errors)
		}
		// The confirmation comes through the command's response_url.
		_, err = inv.WaitResponses(d.ctx, 2)
		return err
	},
	func(d *demoRun) error { _, err := d.say(sample.Rep1, "/deal", "list"); return err },
	// Deal updates: a quick next step, a stage move the criteria refuse, the
	// update modal reached through the picker, the card, and a win.
	func(d *demoRun) error {
		_, err := d.say(sample.Rep1, "/deal", "next lemoine Send the proposal by fri")
		return err
	},
	func(d *demoRun) error {
		_, err := d.say(sample.Rep1, "/deal", "stage "+d.newDeal+" proposal")
		return err
	},
	func(d *demoRun) error {
		inv, err := d.srv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", "update lemoine")
		if err != nil {
			return err
		}
		view, err := inv.WaitView(d.ctx)
		if err != nil {
			return err
		}
		ack, err := d.submit(sample.Rep1, view.ID, slacktest.Values{
			"stage": "Proposal", "need": "Traceability for 3 cheese dairies", "decision_makers": "Owner and head of quality",
			"budget": "50k this year", "timeline": "Live before the spring season", "amount": "52k",
		})
		if err != nil {
			return err
		}
		if len(ack.Errors) > 0 {
			return fmt.Errorf("the update was refused: %v", ack.Errors)
		}
		_, err = inv.WaitResponses(d.ctx, 2)
		return err
	},
	func(d *demoRun) error { _, err := d.say(sample.Rep1, "/deal", "show "+d.newDeal); return err },
	func(d *demoRun) error {
		if _, err := d.say(sample.Rep1, "/deal", "won "+d.newDeal); err != nil {
			return err
		}
		_, err := d.srv.WaitMessage(d.ctx, sample.ForecastChannel, func(m slacktest.Message) bool { return strings.Contains(m.Text, "Fromagerie") })
		return err
	},
	demoCoaching, // demo_coaching.go: reminders, Snooze, Done, the manager summary
	demoForecast, // demo_forecast.go: a quota, two calls and the Monday digest
	demoPipeline, // demo_forecast.go: the team's pipeline for the quarter
	demoDesk,     // demo_desk.go: a plan, a 25 % request approved by button and thread reply
}

func init() {
	register(command{name: "demo", rank: 30, list: "play a scripted session against a local Slack; no account or network needed",
		help: withFlags(`usage: dealpilot demo [flags]

Starts the bot against dealpilot's own Slack-compatible server on loopback, seeds a sample team
and plays a session through real Socket Mode envelopes, printing the conversation.

Example:
  dealpilot demo
`, func(ctx context.Context, args []string, stderr io.Writer) int {
			return demo(ctx, args, nil, io.Discard, stderr)
		}),
		run: func(ctx context.Context, args []string, _ env, stdout, stderr io.Writer) int {
			return demo(ctx, args, os.Stdin, stdout, stderr)
		}})
}
