package main

import (
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// env is the process environment dealpilot reads; the names are an
// interface admins rely on.
type env struct {
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
}

// defaultMetricsAddr keeps /metrics on this machine: what the bot does and
// how often is not for every network the host (or container) is on.
const defaultMetricsAddr = "127.0.0.1:8081"

func readEnv(getenv func(string) string) env {
	e := env{
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
		e.MetricsAddr = defaultMetricsAddr
	}
	return e
}

// newLogger builds the logger: JSON by default, console on a terminal,
// LOG_FORMAT forcing either.
func newLogger(e env, w io.Writer) zerolog.Logger {
	level, err := zerolog.ParseLevel(strings.ToLower(e.LogLevel))
	if err != nil || e.LogLevel == "" {
		level = zerolog.InfoLevel
	}
	format := strings.ToLower(e.LogFormat)
	if format == "" && isTerminal(w) {
		format = "console"
	}
	if format == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
