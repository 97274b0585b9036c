package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/dealpilot/dealpilot/bot/teams"
	"io"
	"io/fs"
	"slices"

	"github.com/dealpilot/dealpilot/bot/config"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
)

// configCommands are the `dealpilot config <name>` commands; configCmd
// reaches one only through this table, help and all
// (TestEveryCommandHasHelp).
var configCommands = []struct {
	help subHelp
	run  func(args []string, e env, stdout, stderr io.Writer) int
}{
	{subHelp{name: "config check", args: "[FILE]",
		about: `Validates the configuration file (FILE, or DEALPILOT_CONFIG, default ./dealpilot.yaml) as serve
reads it: a refusal names the file, the line, the key and a fix; a missing file is refused too
(serve will not start without one). Exits 0 when the file is valid, 2 when not.`,
		example: `  dealpilot config check dealpilot.yaml
  DEALPILOT_CONFIG=/etc/dealpilot/dealpilot.yaml dealpilot config check`},
		configCheck},
	{subHelp{name: "config example",
		about:   `Prints a full configuration file, every key commented, to start from.`,
		example: `  dealpilot config example > dealpilot.yaml`},
		func(args []string, _ env, stdout, stderr io.Writer) int {
			if len(args) > 0 {
				fmt.Fprintf(stderr, "dealpilot config example: unexpected argument %q\nusage: dealpilot config example\n", args[0])
				return exitUsage
			}
			fmt.Fprint(stdout, config.Example())
			return exitOK
		}},
}

func configCmd(args []string, e env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: dealpilot config check [FILE] | dealpilot config example")
		return exitUsage
	}
	for _, c := range configCommands {
		if c.help.name != "config "+args[0] {
			continue
		}
		// -h or --help anywhere: these take no flags, so it is never a file name.
		if slices.ContainsFunc(args[1:], isHelp) {
			c.help.write(stdout, nil)
			return exitOK
		}
		return c.run(args[1:], e, stdout, stderr)
	}
	fmt.Fprintf(stderr, "dealpilot config: unknown subcommand %q\n", args[0])
	return exitUsage
}

// configCheck validates the configuration file: FILE, or DEALPILOT_CONFIG.
func configCheck(args []string, e env, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintf(stderr, "dealpilot config check: unexpected argument %q\nusage: dealpilot config check [FILE]\n", args[1])
		return exitUsage
	}
	path := e.Config
	if len(args) > 0 {
		path = args[0]
	}
	// A missing file fails, named or not: serve refuses to start without one.
	cfg, err := config.Load(path, true, servedIDs(e))
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "%s: no such file: serve will not start without a configuration file; %s\n", absPath(path), noConfigFix)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s: OK (%d teams, %d stages, locale %s, time zone %s)\n", path, len(cfg.Teams), len(cfg.Stages), cfg.Locale, cfg.Location)
	return exitOK
}

func init() {
	register(command{name: "config", rank: 60, list: "check [FILE]   validate DEALPILOT_CONFIG (or FILE)\nexample        print a commented example configuration",
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
		}})
}

// configIDs are the id rules a configuration file is read with: Slack's or
// Teams', since one bot may serve both from one store.
func configIDs() config.IDs { return config.Either(slackapp.IDs(), teams.IDs()) }

// servedIDs are the id rules serve, doctor and config check read the file
// with: those of the platforms the environment configures, so that a team
// channel, a desk channel or a person on a platform this process does not
// serve is refused at start, with its line and key, rather than leaving a
// digest or a request that can never be posted. With no platform
// configured (config check on another machine), both.
func servedIDs(e env) config.IDs {
	slack, tm := platforms(e)
	switch {
	case slack && !tm:
		return onlyIDs(slackapp.IDs(), "Teams is not served (DEALPILOT_TEAMS_ADDR is unset), so Teams ids are refused")
	case tm && !slack:
		return onlyIDs(teams.IDs(), "Slack is not served (SLACK_APP_TOKEN and SLACK_BOT_TOKEN are unset), so Slack ids are refused")
	}
	return configIDs()
}

func onlyIDs(ids config.IDs, why string) config.IDs {
	ids.User.What += "; " + why
	ids.Channel.What += "; " + why
	return ids
}
