package main

import (
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"
)

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
