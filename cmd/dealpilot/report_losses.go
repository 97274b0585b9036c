package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

var lossesHelp = subHelp{name: "report losses", args: "[--team T] [--period P] [--format table|csv|json] [--config FILE]",
	about: `Prints /pipeline losses (the deals lost over the period by stage, reason, rep and
competitor) of a team or of every team, from the database file (DEALPILOT_DB), without Slack.
The bot holds the file while it runs: stop it, or report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report losses --period this-quarter
  DEALPILOT_DB=dealpilot.db dealpilot report losses --team France --period 90d --format csv > losses.csv`}

func init() { reports["losses"] = reportLosses }

// reportLosses prints /pipeline losses of a team (or of every team) from
// the file: the deals lost over the period by stage, reason, rep and
// competitor, as tables, CSV or JSON (exact figures: minor units, basis
// points).
func reportLosses(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report losses", flag.ContinueOnError)
	team := fs.String("team", "", "the team's name (default: every team)")
	period := fs.String("period", "90d", "a period: "+forecast.PeriodForms+" (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, lossesHelp, args, stdout, stderr); !ok {
		return code
	}
	if !reportArgsOK(fs, "losses", lossesHelp, *format, stderr) {
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	p, now, code, ok := reportPeriod("dealpilot report losses", b, cfg, *period, stderr)
	if !ok {
		return code
	}
	r, err := b.LossesReport(ctx, *team, p, now)
	if err != nil {
		return reportFailed("dealpilot report losses", cfg, err, stderr)
	}
	scope := i18n.T(cfg.Locale, r.Scope.Key, r.Scope.Args...)
	names, _ := b.People(ctx) // beside the ids when the file keeps them; the figures stand without
	switch *format {
	case "csv":
		err = fcreport.WriteLossesCSV(stdout, r.Currency, r.Losses, names)
	case "json":
		err = fcreport.WriteLossesJSON(stdout, scope, r.Currency, r.Losses, names)
	default:
		l := r.Losses
		from, to := i18n.Localize(cfg.Locale, coaching.Day(l.Period.From)), i18n.Localize(cfg.Locale, coaching.Day(l.Period.To))
		fmt.Fprintln(stdout, i18n.T(cfg.Locale, "losses.title", scope))
		if l.Deals == 0 {
			fmt.Fprintln(stdout, i18n.T(cfg.Locale, "losses.none", from, to))
			break
		}
		fmt.Fprintln(stdout, i18n.T(cfg.Locale, "losses.total", l.Deals, i18n.FormatAmount(cfg.Locale, l.Amount, r.Currency), from, to))
		err = fcreport.WriteLossesTable(stdout, cfg.Locale, r.Currency, l, names)
		if err == nil {
			fmt.Fprintln(stdout, i18n.T(cfg.Locale, "losses.rule"))
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report losses:", err)
		return exitFailed
	}
	return exitOK
}
