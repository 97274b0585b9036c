package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

const lossesUsage = "usage: dealpilot report losses [--team T] [--period P] [--format table|csv|json]"

func init() { reports["losses"] = reportLosses }

// reportLosses prints /pipeline losses of a team (or of every team) from
// the file: the deals lost over the period by stage, reason, rep and
// competitor, as tables, CSV or JSON (exact figures: minor units, basis
// points).
func reportLosses(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report losses", flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.String("team", "", "the team's name (default: every team)")
	period := fs.String("period", "90d", "a period: "+forecast.PeriodForms+" (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, lossesUsage)
		return exitUsage
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(stderr, "dealpilot report losses: --format %q: use table, csv or json\n", *format)
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	now := time.Now()
	p, err := b.ParsePeriod(*period, domain.DateOf(now.In(cfg.Location)))
	if err != nil {
		fmt.Fprintf(stderr, "dealpilot report losses: --period: %s\n", domain.ErrorMessage(cfg.Locale, err))
		return exitUsage
	}
	r, err := b.LossesReport(ctx, *team, p, now)
	if err != nil {
		fmt.Fprintf(stderr, "dealpilot report losses: %s\n", domain.ErrorMessage(cfg.Locale, err))
		if domain.ErrorCode(err) == domain.EINTERNAL {
			return exitFailed
		}
		return exitUsage
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
		from, to := coaching.Day(l.Period.From).Localize(cfg.Locale), coaching.Day(l.Period.To).Localize(cfg.Locale)
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
