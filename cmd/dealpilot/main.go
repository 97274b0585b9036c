// Command dealpilot runs the dealpilot Slack assistant and its tools.
//
//	dealpilot serve            the bot (Socket Mode) plus /healthz and /readyz; refuses to start without a config file unless --no-config
//	dealpilot doctor           check the tokens, scopes, channels and users the bot needs
//	dealpilot demo             a scripted session against a local Slack, no account needed
//	dealpilot backup FILE      a copy of the bbolt file, through the running bot if there is one
//	dealpilot check FILE       report bad pages and undecodable records of a file
//	dealpilot config check     validate the configuration file
//	dealpilot config example   print a commented example configuration
//	dealpilot report forecast  print the forecast rollup from the file
//	dealpilot version          print the version
//	dealpilot bench            measure speed against a local Slack (see bench -h)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
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

const usage = `usage: dealpilot <command>

commands:
  serve            run the bot (needs SLACK_APP_TOKEN, SLACK_BOT_TOKEN and the configuration file;
                   serve --no-config runs on the built-in defaults: no teams, no admins)
  doctor           check the Slack app and the configuration: tokens, scopes, channels, users
  demo             play a scripted session against a local Slack; no account or network needed
  backup FILE      copy the database (DEALPILOT_DB) to FILE; safe while the bot runs (asks it on DEALPILOT_HTTP_ADDR)
  check FILE       report bad pages and records that cannot be read in a database file or backup
  config check     validate DEALPILOT_CONFIG (or the file named after it)
  config example   print a commented example configuration
  report forecast  print the forecast from DEALPILOT_DB [--team T] [--period P] [--format table|csv|json]
  health           check a running bot's /healthz (for container health checks)
  report pipeline  print the pipeline KPIs from DEALPILOT_DB, offline (report pipeline -h)
  bench            measure the bot's speed against a local Slack (bench -h)
  version          print the version
`

// Main runs one subcommand and returns the process exit code. Environment
// is read only through getenv, so tests can run it in-process.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	env := readEnv(getenv)
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], env, stderr)
	case "doctor":
		return doctor(ctx, args[1:], env, stdout, stderr)
	case "demo":
		return demo(ctx, args[1:], stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], env, stdout, stderr)
	case "check":
		return check(args[1:], stdout, stderr)
	case "config":
		return configCmd(args[1:], env, stdout, stderr)
	case "health":
		return health(env, stdout, stderr)
	case "report":
		return reportCmd(ctx, args[1:], env, stdout, stderr) // report_pipeline.go
	case "bench":
		return bench(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "dealpilot", buildVersion())
		return exitOK
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "dealpilot: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
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
