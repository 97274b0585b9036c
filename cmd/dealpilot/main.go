// Command dealpilot runs the dealpilot Slack assistant and its tools. The
// subcommands, each with its --help and an example, are the commands table
// below: serve, doctor, demo, backup, check, config, report, health, bench,
// version.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// command is one subcommand: how the command list names it, its --help,
// and what runs it. Main dispatches through commands only, so a
// subcommand is reachable only once it is listed here, help and all
// (TestEveryCommandHasHelp).
type command struct {
	name string
	list string // its lines in the command list, after the name's column
	// help is what --help (or -h, or dealpilot help NAME) prints: usage,
	// what it reads and does, and an example.
	help func(ctx context.Context) string
	run  func(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int
}

// text is a help that is only text.
func text(s string) func(context.Context) string { return func(context.Context) string { return s } }

// withFlags is help followed by the flags a command's own flag set
// documents (run with -h, which parses nothing else), so the two never
// drift apart; or, when the flag set's usage is a whole help (it starts
// with "usage: dealpilot"), that usage alone.
func withFlags(help string, run func(ctx context.Context, args []string, stderr io.Writer) int) func(context.Context) string {
	return func(ctx context.Context) string {
		var buf bytes.Buffer
		run(ctx, []string{"-h"}, &buf)
		flags := buf.String()
		if strings.HasPrefix(flags, "usage: dealpilot ") {
			return flags // the command's flag set documents it whole
		}
		if first, rest, ok := strings.Cut(flags, "\n"); ok && strings.HasPrefix(first, "Usage of ") {
			flags = rest
		}
		return help + "\nFlags:\n" + flags
	}
}

var commands = []command{
	{name: "serve", list: "run the bot (needs SLACK_APP_TOKEN, SLACK_BOT_TOKEN and the configuration file;\n" +
		"serve --no-config runs on the built-in defaults: no teams, no admins)",
		help: text(`usage: dealpilot serve [--no-config]

Runs the bot: Socket Mode to Slack, /healthz and /readyz on DEALPILOT_HTTP_ADDR (127.0.0.1:8080),
/metrics on DEALPILOT_METRICS_ADDR (127.0.0.1:8081). Reads SLACK_APP_TOKEN, SLACK_BOT_TOKEN and the
configuration file (DEALPILOT_CONFIG, default ./dealpilot.yaml), and refuses to start without them;
the tokens are checked with Slack before the database file (DEALPILOT_DB) is created.
--no-config runs on the built-in defaults instead: no teams, no admins, everyone a rep.

Example:
  export SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… DEALPILOT_CONFIG=./dealpilot.yaml
  dealpilot serve
`),
		run: func(ctx context.Context, args []string, e env, _, stderr io.Writer) int {
			return serve(ctx, args, e, stderr)
		}},
	{name: "doctor", list: "check the Slack app and the configuration: tokens, scopes, channels, users",
		help: text(`usage: dealpilot doctor

Checks, line by line, the configuration file (DEALPILOT_CONFIG), both tokens (SLACK_APP_TOKEN,
SLACK_BOT_TOKEN), the scopes granted, every configured channel (found, the bot a member) and user
(found, with a time zone). Each FAIL line says what to do; it exits 1 until all pass.

Example:
  export SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… DEALPILOT_CONFIG=./dealpilot.yaml
  dealpilot doctor
`),
		run: doctor},
	{name: "demo", list: "play a scripted session against a local Slack; no account or network needed",
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
		}},
	{name: "backup", list: "copy the database (DEALPILOT_DB) to FILE; safe while the bot runs (asks it on DEALPILOT_HTTP_ADDR)",
		help: text(`usage: dealpilot backup FILE

Copies the database (DEALPILOT_DB, default ./dealpilot.db) to FILE. While a bot runs it holds the
file: the copy is asked of the bot on DEALPILOT_HTTP_ADDR (a consistent copy, writers not blocked);
with no bot answering there, the file is copied directly. FILE is written only once it opens.

Example:
  dealpilot backup /backups/dealpilot-2026-12-06.db
`),
		run: backup},
	{name: "check", list: "report bad pages and records that cannot be read in a database file or backup",
		help: text(`usage: dealpilot check FILE

Reports bad pages (bbolt's consistency check) and records that can no longer be read, by bucket
and key, in a database file or a backup of one. Run it on a backup: the bot holds the live file.

Example:
  dealpilot check /backups/dealpilot-2026-12-06.db
`),
		run: func(_ context.Context, args []string, _ env, stdout, stderr io.Writer) int {
			return check(args, stdout, stderr)
		}},
	{name: "config", list: "check [FILE]   validate DEALPILOT_CONFIG (or FILE)\nexample        print a commented example configuration",
		help: text(`usage: dealpilot config check [FILE]
       dealpilot config example

check validates the configuration file (FILE, or DEALPILOT_CONFIG, default ./dealpilot.yaml): a
refusal names the file, the line, the key and a fix. example prints the full file, commented.

Example:
  dealpilot config example > dealpilot.yaml
  dealpilot config check dealpilot.yaml
`),
		run: func(_ context.Context, args []string, e env, stdout, stderr io.Writer) int {
			return configCmd(args, e, stdout, stderr)
		}},
	{name: "report", list: "forecast   print the forecast from DEALPILOT_DB, offline (report forecast -h)\n" +
		"pipeline   print the pipeline KPIs from DEALPILOT_DB, offline (report pipeline -h)\n" +
		"losses     print the deals lost by stage, reason, rep and competitor, offline (report losses -h)\n" +
		"accuracy   print the signed forecast accuracy per rep and team, offline (report accuracy -h)",
		help: text(`usage: dealpilot report accuracy|forecast|losses|pipeline [flags]

Prints a report from the database file (DEALPILOT_DB) without Slack: the forecast rollup, the
pipeline KPIs, the losses of /pipeline losses, or the signed accuracy of /forecast accuracy. The
bot holds the file while it runs: stop it, or report on a backup. dealpilot report NAME -h lists a
report's flags.

No configuration is needed: --config FILE, else DEALPILOT_CONFIG, else ./dealpilot.yaml, else the
configuration the bot kept in the file when it last started (stderr says which). --period takes
2026-Q4, 2026-11, 2026, 90d, 12w, this-quarter, this-month, this-year, last-quarter, last-month or
last-year (report forecast: no 90d or 12w, a forecast is kept per fiscal period). CSV and JSON
give amounts in currency units (74932.50) with the currency, names beside ids.

Example:
  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report forecast --period 2026-Q4
  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report losses --team France --period this-quarter --format csv
`),
		run: reportCmd}, // report_pipeline.go
	{name: "health", list: "check a running bot's /healthz (for container health checks)",
		help: text(`usage: dealpilot health

Asks the bot running on this machine for /healthz at DEALPILOT_HTTP_ADDR (on 127.0.0.1 when it
listens on every interface) and exits 0 when it is healthy, 1 when not: unhealthy once the bot has
had no Socket Mode connection to Slack for more than a minute. The image's HEALTHCHECK runs it.

Example:
  docker exec dealpilot dealpilot health
`),
		run: func(_ context.Context, _ []string, e env, stdout, stderr io.Writer) int {
			return health(e, stdout, stderr)
		}},
	{name: "bench", list: "measure the bot's speed against a local Slack (bench -h)",
		help: func(ctx context.Context) string {
			var buf bytes.Buffer
			bench(ctx, []string{"-h"}, io.Discard, &buf)
			return buf.String()
		},
		run: func(ctx context.Context, args []string, _ env, stdout, stderr io.Writer) int {
			return bench(ctx, args, stdout, stderr)
		}},
	{name: "version", list: "print the version",
		help: text(`usage: dealpilot version

Prints the version the binary was built as.

Example:
  dealpilot version
`),
		run: func(_ context.Context, _ []string, _ env, stdout, _ io.Writer) int {
			fmt.Fprintln(stdout, "dealpilot", buildVersion())
			return exitOK
		}},
}

// usage is the command list, printed by dealpilot --help.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: dealpilot <command> [arguments]\n\ncommands:\n")
	for _, c := range commands {
		for i, line := range strings.Split(c.list, "\n") {
			name := ""
			if i == 0 {
				name = c.name
			}
			fmt.Fprintf(&b, "  %-9s%s\n", name, line)
		}
	}
	b.WriteString("\nRun dealpilot <command> --help for a command's usage and an example.\n")
	return b.String()
}

func isHelp(arg string) bool { return arg == "--help" || arg == "-h" || arg == "-help" }

// Main runs one subcommand and returns the process exit code. Environment
// is read only through getenv, so tests can run it in-process.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	name := args[0]
	switch {
	case name == "--version" || name == "-v":
		name = "version"
	case name == "help" || isHelp(name):
		if len(args) < 2 {
			fmt.Fprint(stdout, usage())
			return exitOK
		}
		// help report forecast is report forecast --help.
		name = args[1]
		args = append(slices.Clone(args[1:]), "--help")
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		fmt.Fprintf(stderr, "dealpilot: unknown command %q\n\n%s", name, usage())
		return exitUsage
	}
	c := commands[i]
	if len(args) > 1 && isHelp(args[1]) {
		fmt.Fprint(stdout, c.help(ctx))
		return exitOK
	}
	return c.run(ctx, args[1:], readEnv(getenv), stdout, stderr)
}

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}
