package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

var reportHelp = subHelp{name: "report forecast", args: "[--team T] [--period P] [--format table|csv|json] [--config FILE]",
	about: `Prints the forecast rollup of /forecast (per rep, team and the company: quota, closed,
commit, best case, pipeline) from the database file (DEALPILOT_DB), without Slack. A forecast is
kept per fiscal period: --period takes no number of days (90d). The bot holds the file while it
runs: stop it, or report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report forecast --period 2026-Q4
  DEALPILOT_DB=dealpilot.db dealpilot report forecast --team France --format csv > forecast.csv`}

func init() { reports["forecast"] = reportForecast }

// reportForecast prints the forecast rollup from the file (DEALPILOT_DB)
// and the configuration (DEALPILOT_CONFIG). The bot holds the file while it
// runs: stop it, or report on a backup (DEALPILOT_DB=backup.db).
func reportForecast(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report forecast", flag.ContinueOnError)
	team := fs.String("team", "", "one team (default: every team and the company)")
	period := fs.String("period", "this-quarter", "a fiscal period: "+forecast.FiscalForms+" (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, reportHelp, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealpilot report forecast: unexpected argument %q\n%s\n", fs.Arg(0), reportHelp.usage())
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
		return reportFailed("dealpilot report", cfg, err, stderr)
	}
	switch *format {
	case "csv":
		err = fcreport.WriteCSV(stdout, r.Period.Name, r.Currency, r.Rows)
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

// configFlag adds --config FILE to a report's flags: the configuration to
// read, over DEALPILOT_CONFIG, ./dealpilot.yaml and the one kept in the file.
func configFlag(fs *flag.FlagSet, e *env) {
	fs.Func("config", "the configuration `FILE` (default: DEALPILOT_CONFIG, else ./dealpilot.yaml, else the one the bot kept in the database file)",
		func(path string) error {
			e.Config, e.ConfigSet = path, true
			return nil
		})
}

// openReport opens the file for a report and finds its configuration:
// the one named (--config or DEALPILOT_CONFIG), else ./dealpilot.yaml when
// it exists, else the one the bot kept in the file when it last started
// (teams and members, quotas, calendar, stages, currency), so a copied
// file reports alone. It says on stderr which it used. On failure it has
// said why on stderr and returns a nil bot and the exit code.
// reportFailed writes why report (its words in messages: "dealpilot
// report", "dealpilot report losses") could not be made and gives the exit
// code: failed for an internal error, usage for anything the caller asked.
func reportFailed(report string, cfg *config.Config, err error, stderr io.Writer) int {
	fmt.Fprintf(stderr, "%s: %s\n", report, i18n.ErrorMessage(cfg.Locale, err))
	if domain.ErrorCode(err) == domain.EINTERNAL {
		return exitFailed
	}
	return exitUsage
}

// reportPeriod reads a report's --period as of now (reportNow) in the
// company's time zone; a period that does not read is said and gives
// exitUsage (ok false).
func reportPeriod(report string, b *bot.Bot, cfg *config.Config, word string, stderr io.Writer) (p coaching.Period, now time.Time, code int, ok bool) {
	now = reportNow() // the clock every report reads, injectable in tests
	p, err := b.ParsePeriod(word, domain.DateOf(now.In(cfg.Location)))
	if err != nil {
		fmt.Fprintf(stderr, "%s: --period: %s\n", report, i18n.ErrorMessage(cfg.Locale, err))
		return p, now, exitUsage, false
	}
	return p, now, 0, true
}

func openReport(e env, stderr io.Writer) (*bot.Bot, *config.Config, func(), int) {
	if _, err := os.Stat(e.DB); err != nil {
		fmt.Fprintf(stderr, "dealpilot report: %s: no such database file (DEALPILOT_DB)\n", e.DB)
		return nil, nil, nil, exitUsage
	}
	db, err := store.Open(e.DB, store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report:", err)
		return nil, nil, nil, exitFailed
	}
	cfg, code := reportConfig(e, db, stderr)
	if cfg == nil {
		db.Close()
		return nil, nil, nil, code
	}
	return bot.New(bot.Options{Store: db, Config: cfg}), cfg, func() { db.Close() }, exitOK
}

func reportConfig(e env, db *store.DB, stderr io.Writer) (*config.Config, int) {
	_, statErr := os.Stat(e.Config)
	if e.ConfigSet || statErr == nil {
		cfg, err := config.Load(e.Config, true, configIDs())
		if err != nil {
			fmt.Fprintln(stderr, err)
			return nil, exitUsage
		}
		fmt.Fprintf(stderr, "dealpilot report: configuration %s\n", e.Config)
		return cfg, exitOK
	}
	s, at, ok, err := db.Setup(context.Background())
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report:", err)
		return nil, exitFailed
	}
	if !ok {
		fmt.Fprintf(stderr, "dealpilot report: no configuration: no --config, no DEALPILOT_CONFIG, no %s, and %s keeps none (no bot has started on it since reports kept one): pass --config FILE\n", e.Config, e.DB)
		return nil, exitUsage
	}
	cfg, err := config.FromSetup(s)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report:", err)
		return nil, exitFailed
	}
	fmt.Fprintf(stderr, "dealpilot report: configuration kept in %s by the bot started %s (no --config, DEALPILOT_CONFIG or %s)\n",
		e.DB, at.UTC().Format("2006-01-02 15:04 UTC"), e.Config)
	return cfg, exitOK
}

func init() {
	register(command{name: "report", rank: 70, list: "forecast   print the forecast from DEALPILOT_DB, offline (report forecast -h)\n" +
		"pipeline   print the pipeline KPIs from DEALPILOT_DB, offline (report pipeline -h)\n" +
		"losses     print the deals lost by stage, reason, rep and competitor, offline (report losses -h)\n" +
		"accuracy   print the signed forecast accuracy per rep and team, offline (report accuracy -h)\n" +
		"commissions  print a month's commission statements for payroll (report commissions -h)\n" +
		"segments   print the KPIs by segment value and fit against the ICP, offline (report segments -h)\n" +
		"retention  print starting ARR, GRR, NRR, churn and hollow wins per team, offline (report retention -h)",
		help: text(`usage: dealpilot report accuracy|commissions|forecast|losses|pipeline|retention|segments [flags]

Prints a report from the database file (DEALPILOT_DB) without Slack: the forecast rollup, the
pipeline KPIs, the losses of /pipeline losses, the signed accuracy of /forecast accuracy, the
KPIs by segment of /pipeline segments, the retention of /pipeline retention, or a month's
commission statements (report commissions: the plans come from the configuration file). The
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
		run: reportCmd})
}

// reportArgsOK refuses, on stderr, what `dealpilot report name` cannot
// take after its flags: a positional argument (with h's usage) or a
// --format other than table, csv or json.
func reportArgsOK(fs *flag.FlagSet, name string, h subHelp, format string, stderr io.Writer) bool {
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealpilot report %s: unexpected argument %q\n%s\n", name, fs.Arg(0), h.usage())
		return false
	}
	switch format {
	case "table", "csv", "json":
		return true
	}
	fmt.Fprintf(stderr, "dealpilot report %s: --format %q: use table, csv or json\n", name, format)
	return false
}
