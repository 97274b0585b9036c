package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

var commissionsHelp = subHelp{name: "report commissions", args: "--period P [--format csv|json] [--config FILE]",
	about: `Prints every seller's commission statement for a month (one row per line with the rule
that produced it, then earned, draw, recovered, to pay and owed), for payroll, from the
database file (DEALPILOT_DB). A closed month is printed as it was closed. The plans are the
commissions: the bot last started with, kept in the file with the rest of its configuration
(--config or DEALPILOT_CONFIG reads a file's instead). The bot holds the file while it runs:
stop it, or report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report commissions --period 2026-11 > 2026-11.csv
  DEALPILOT_DB=dealpilot.db dealpilot report commissions --period last-month --format json`}

func init() { reports["commissions"] = reportCommissions }

// reportCommissions prints a month's statements as CSV or JSON: exact
// figures (minor units, basis points) and each line's rule in words.
func reportCommissions(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report commissions", flag.ContinueOnError)
	period := fs.String("period", "", "a month: 2026-11, this-month or last-month")
	format := fs.String("format", "csv", "csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, commissionsHelp, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealpilot report commissions: unexpected argument %q\n%s\n", fs.Arg(0), commissionsHelp.usage())
		return exitUsage
	}
	if *period == "" {
		fmt.Fprintf(stderr, "dealpilot report commissions: --period is required (a month: 2026-11, this-month or last-month)\n%s\n", commissionsHelp.usage())
		return exitUsage
	}
	switch *format {
	case "csv", "json":
	default:
		fmt.Fprintf(stderr, "dealpilot report commissions: --format %q: use csv or json\n", *format)
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	now := reportNow()
	month, err := b.CommissionMonth(*period, domain.DateOf(now.In(cfg.Location)))
	if err != nil {
		fmt.Fprintf(stderr, "dealpilot report commissions: --period: %s\n", i18n.ErrorMessage(cfg.Locale, err))
		return exitUsage
	}
	ss, err := b.CommissionReport(ctx, month)
	if err != nil {
		fmt.Fprintf(stderr, "dealpilot report commissions: %s\n", i18n.ErrorMessage(cfg.Locale, err))
		return exitFailed
	}
	names, _ := b.People(ctx)
	if *format == "json" {
		err = fcreport.WriteCommissionsJSON(stdout, cfg.Locale, month.Name, cfg.Currency, ss, names)
	} else {
		err = fcreport.WriteCommissionsCSV(stdout, cfg.Locale, month.Name, cfg.Currency, ss, names)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report commissions:", err)
		return exitFailed
	}
	return exitOK
}
