package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot/config"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
)

// loadConfig loads the configuration and says which file that was: the
// admin's first question when the bot does not do what the file says. A
// missing file is an error, named or not: on the built-in defaults the bot
// has no teams and no admins, which nobody should get by a typo in a path.
func loadConfig(e env) (*config.Config, slackapp.Check, error) {
	abs := absPath(e.Config)
	cfg, err := config.Load(e.Config, true, servedIDs(e))
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("%w at %s", errNoConfig, abs)
		return nil, slackapp.Check{Detail: "config: " + err.Error(), Fix: noConfigFix}, err
	}
	if err != nil {
		return nil, slackapp.Check{Detail: "config: " + oneLine(err.Error()),
			Fix: "run dealpilot config check to see every problem, fix the file, run dealpilot doctor again"}, err
	}
	return cfg, slackapp.Check{OK: true, Detail: fmt.Sprintf("config: %s loaded (teams: %d, locale %s, time zone %s)",
		abs, len(cfg.Teams), cfg.Locale, cfg.Location)}, nil
}

// errNoConfig: the configuration file does not exist.
var errNoConfig = errors.New("no configuration file")

// noConfigFix says what to do without a configuration file.
const noConfigFix = "write one (dealpilot config example > dealpilot.yaml, then put in your people's and channels' Slack or Teams ids) and set DEALPILOT_CONFIG to its path"

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 1 {
		return fmt.Sprintf("%s (and %d more)", lines[0], len(lines)-1)
	}
	return lines[0]
}

// doctor checks, line by line, what the bot needs from the platforms
// configured: the configuration file; on Slack both tokens, the scopes,
// every configured channel (found, the bot a member) and user (found, time
// zone); on Teams the settings, an app token and every configured Teams
// channel (reachable at its service URL). Each failing line says
// what to do. It exits 1 when a check failed.
func doctor(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: dealpilot doctor (reads SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL, DEALPILOT_TEAMS_ADDR, TEAMS_*, DEALPILOT_CONFIG)")
		return exitUsage
	}
	slackOn, teamsOn, err := checkPlatforms(e)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot:", err)
		return exitUsage
	}
	if slackOn {
		fmt.Fprintf(stdout, "dealpilot doctor: checking %s\n", slackapp.NormalizeAPIURL(e.APIURL))
	}
	if teamsOn {
		fmt.Fprintln(stdout, "dealpilot doctor: checking Microsoft Teams (DEALPILOT_TEAMS_ADDR is set)")
	}
	if !slackOn {
		fmt.Fprintln(stdout, "dealpilot doctor: Slack is not checked: SLACK_APP_TOKEN and SLACK_BOT_TOKEN are unset")
	}
	cfg, cfgCheck, cfgErr := loadConfig(e)
	checks := []slackapp.Check{cfgCheck}
	if slackOn {
		c := slackapp.NewChecker(slackapp.CheckerOptions{AppToken: e.AppToken, BotToken: e.BotToken, APIURL: e.APIURL})
		if cfgErr != nil {
			_, tok, _ := c.Tokens(ctx)
			checks = append(checks, tok...)
		} else {
			checks = append(checks, c.All(ctx, cfg)...)
		}
	}
	if cfgErr != nil {
		cfg = nil
	}
	checks = append(checks, teamsChecks(ctx, e, cfg, storedChannelURLs(e))...)
	failed := 0
	for _, ch := range checks {
		if ch.OK {
			fmt.Fprintf(stdout, "ok    %s\n", ch.Detail)
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL  %s\n      fix: %s\n", ch.Detail, ch.Fix)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "%d of %d checks failed: fix the FAIL lines, then run dealpilot doctor again.\n", failed, len(checks))
		return exitFailed
	}
	fmt.Fprintf(stdout, "All %d checks passed.\n", len(checks))
	return exitOK
}

// logChecks logs the doctor's checks at start, one line each; failures are
// warnings with their fix (the bot runs on: a missing channel only stops
// what needs it).
func logChecks(log zerolog.Logger, checks []slackapp.Check) {
	failed := 0
	for _, ch := range checks {
		if ch.OK {
			log.Info().Str("check", "ok").Msg(ch.Detail)
			continue
		}
		failed++
		log.Warn().Str("check", "FAIL").Str("fix", ch.Fix).Msg(ch.Detail)
	}
	if failed > 0 {
		log.Warn().Int("failed", failed).Int("checks", len(checks)).Msg("start-up checks failed; run dealpilot doctor for the list")
	}
}

func init() {
	register(command{name: "doctor", rank: 20, list: "check the Slack app, the Teams bot and the configuration: tokens, scopes, channels, users",
		help: text(`usage: dealpilot doctor

Checks, line by line, the configuration file (DEALPILOT_CONFIG) and the platforms configured. Slack,
when SLACK_APP_TOKEN or SLACK_BOT_TOKEN is set: both tokens, the scopes granted, every configured
channel (found, the bot a member) and user (found, with a time zone). Teams, when
DEALPILOT_TEAMS_ADDR is set: TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID, an app token from
the token endpoint, and every configured Teams channel (the bot installed in its team, reached at
the service URL Teams wrote from, read from DEALPILOT_DB or asked of the running bot on
DEALPILOT_HTTP_ADDR). Each FAIL line says what to do; it exits 1 until all pass.

Example:
  export SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… DEALPILOT_CONFIG=./dealpilot.yaml
  dealpilot doctor
`),
		run: doctor})
}
