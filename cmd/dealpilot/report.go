package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/i18n"
	"github.com/dealpilot/dealpilot/store"
)

const reportUsage = "usage: dealpilot report forecast [--team T] [--period 2026-Q4] [--format table|csv|json]"

func init() { reports["forecast"] = reportForecast }

// reportForecast prints the forecast rollup from the file (DEALPILOT_DB)
// and the configuration (DEALPILOT_CONFIG). The bot holds the file while it
// runs: stop it, or report on a backup (DEALPILOT_DB=backup.db).
func reportForecast(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report forecast", flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.String("team", "", "one team (default: every team and the company)")
	period := fs.String("period", "this-quarter", "a fiscal period: 2026-Q4, 2026-11, 2026, this-quarter, this-month, this-year, last-quarter, last-month, last-year (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, reportUsage)
		return exitUsage
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(stderr, "dealpilot report: --format %q: use table, csv or json\n", *format)
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	r, err := b.ForecastTable(ctx, *team, *period)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report:", domain.ErrorMessage(cfg.Locale, err))
		if domain.ErrorCode(err) == domain.EINTERNAL {
			return exitFailed
		}
		return exitUsage
	}
	switch *format {
	case "csv":
		err = fcreport.WriteCSV(stdout, r.Period.Name, r.Rows)
	case "json":
		err = fcreport.WriteJSON(stdout, r.Period.Name, r.Currency, r.Rows)
	default:
		fmt.Fprintln(stdout, i18n.T(cfg.Locale, r.Title.Key, r.Title.Args...))
		err = fcreport.WriteTable(stdout, cfg.Locale, r.Currency, r.Rows)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report:", err)
		return exitFailed
	}
	return exitOK
}

// openReport loads the configuration and opens the file read for a report;
// on failure it has said why on stderr and returns a nil bot and the exit
// code.
func openReport(e env, stderr io.Writer) (*bot.Bot, *config.Config, func(), int) {
	cfg, err := config.Load(e.Config, e.ConfigSet)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, nil, nil, exitUsage
	}
	db, err := store.Open(e.DB, store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report:", err)
		return nil, nil, nil, exitFailed
	}
	return bot.New(bot.Options{Store: db, Config: cfg}), cfg, func() { db.Close() }, exitOK
}
