package main

import (
	"errors"
	"net"

	"github.com/dealpilot/dealpilot/cmd/internal/appenv"
)

// env is the process environment dealpilot reads (package appenv, which
// the bench's child reads too).
type env = appenv.Env

func readEnv(getenv func(string) string) env { return appenv.Read(getenv) }

// loopbackAddr is addr with an unspecified host (":8080", "0.0.0.0:8080")
// made 127.0.0.1, the address a command on the same machine dials.
func loopbackAddr(addr string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// platforms says which chat platforms the environment configures: Slack
// when either Slack token is set (checkTokens then wants both), Teams when
// DEALPILOT_TEAMS_ADDR is (teams.ConfigFromEnv then wants its
// credentials). One process serves either or both, from one store.
func platforms(e env) (slack, teams bool) {
	slack = e.AppToken != "" || e.BotToken != ""
	teams = e.Getenv != nil && e.Getenv("DEALPILOT_TEAMS_ADDR") != ""
	return slack, teams
}

// errNoPlatform: neither platform is configured; it names both sets of
// variables, since the admin may be after either.
var errNoPlatform = errors.New("no chat platform is configured: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN to serve Slack " +
	"(manifests/slack-app.yaml), or DEALPILOT_TEAMS_ADDR, TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID to serve " +
	"Microsoft Teams (see the README), or both")

// checkPlatforms returns the one line an admin needs when no platform is
// configured or Slack's half is: what serve and doctor refuse first.
func checkPlatforms(e env) (slack, teams bool, err error) {
	slack, teams = platforms(e)
	switch {
	case !slack && !teams:
		return false, false, errNoPlatform
	case slack:
		err = checkTokens(e)
	}
	return slack, teams, err
}

// serving names the platforms served, for the start line.
func serving(slack, teams bool) string {
	switch {
	case slack && teams:
		return "Slack and Teams"
	case teams:
		return "Teams only"
	}
	return "Slack only"
}
