// Command dealpilot runs the dealpilot Slack assistant and its tools. Each
// subcommand is one file that registers it (name, place in the command
// list, --help with an example, and what runs it) from its init; Main, the
// command list and the README's copy of it are made from those
// registrations only. The load harness is another binary: cmd/dealbench.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

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
// subcommand is reachable only once its file registers it, help and all
// (TestEveryCommandHasHelp, TestREADMEShowsTheRealHelp).
type command struct {
	name string
	rank int    // its place in the command list: lower first
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

// commands are the registered subcommands, in the command list's order.
var commands []command

// register adds a subcommand; each command's file calls it from its init.
// A second command of the same name or rank is a programming error.
func register(c command) {
	if c.name == "" || c.help == nil || c.run == nil || c.list == "" {
		panic(fmt.Sprintf("dealpilot: command %q registered without its name, list line, help or run", c.name))
	}
	for _, o := range commands {
		if o.name == c.name || o.rank == c.rank {
			panic(fmt.Sprintf("dealpilot: command %q registered with the name or rank of %q", c.name, o.name))
		}
	}
	i, _ := slices.BinarySearchFunc(commands, c.rank, func(o command, rank int) int { return o.rank - rank })
	commands = slices.Insert(commands, i, c)
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
