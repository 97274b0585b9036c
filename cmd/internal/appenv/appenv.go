// Package appenv reads the process environment of dealpilot: the names
// are an interface admins rely on. The dealpilot binary reads all of it;
// the bench's app-side child (cmd/dealbench) reads the Slack settings the
// same way, so both take the same names and trim them alike.
package appenv

import (
	"strings"
	"time"
)

// Env is the process environment dealpilot reads.
type Env struct {
	AppToken  string // SLACK_APP_TOKEN
	BotToken  string // SLACK_BOT_TOKEN
	APIURL    string // SLACK_API_URL
	DB        string // DEALPILOT_DB
	Config    string // DEALPILOT_CONFIG
	ConfigSet bool   // DEALPILOT_CONFIG was given
	NoConfig  bool   // serve --no-config: the built-in defaults, no file read
	HTTPAddr  string // DEALPILOT_HTTP_ADDR
	// MetricsAddr is DEALPILOT_METRICS_ADDR, where /metrics is served:
	// loopback unless it says otherwise; "off" serves none.
	MetricsAddr    string
	MetricsAddrSet bool   // DEALPILOT_METRICS_ADDR was given
	BackupDir      string // DEALPILOT_BACKUP_DIR
	LogLevel       string // LOG_LEVEL
	LogFormat      string // LOG_FORMAT
	// Ticks is how often scheduled jobs run; not read from the
	// environment: 0 is every minute, negative lets the caller tick (demo).
	Ticks      time.Duration
	DefaultDB  bool
	DefaultCfg bool
	// Getenv is how the environment was read, for the settings a
	// transport reads itself (bot/teams' TEAMS_* and DEALPILOT_TEAMS_ADDR).
	Getenv func(string) string
}

// DefaultMetricsAddr keeps /metrics on this machine: what the bot does and
// how often is not for every network the host (or container) is on.
const DefaultMetricsAddr = "127.0.0.1:8081"

// Read reads the environment through getenv (os.Getenv, or a map in
// tests), with the defaults filled in.
func Read(getenv func(string) string) Env {
	e := Env{
		AppToken:    strings.TrimSpace(getenv("SLACK_APP_TOKEN")),
		BotToken:    strings.TrimSpace(getenv("SLACK_BOT_TOKEN")),
		APIURL:      strings.TrimSpace(getenv("SLACK_API_URL")),
		DB:          getenv("DEALPILOT_DB"),
		Config:      getenv("DEALPILOT_CONFIG"),
		HTTPAddr:    getenv("DEALPILOT_HTTP_ADDR"),
		MetricsAddr: getenv("DEALPILOT_METRICS_ADDR"),
		BackupDir:   getenv("DEALPILOT_BACKUP_DIR"),
		LogLevel:    getenv("LOG_LEVEL"),
		LogFormat:   getenv("LOG_FORMAT"),
		Getenv:      getenv,
	}
	if e.DB == "" {
		e.DB = "./dealpilot.db"
	}
	e.ConfigSet = e.Config != ""
	if e.Config == "" {
		e.Config = "./dealpilot.yaml"
	}
	if e.HTTPAddr == "" {
		e.HTTPAddr = "127.0.0.1:8080"
	}
	e.MetricsAddrSet = e.MetricsAddr != ""
	if e.MetricsAddr == "" {
		e.MetricsAddr = DefaultMetricsAddr
	}
	return e
}
