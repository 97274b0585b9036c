package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dealpilot/dealpilot/bot"
	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/i18n"
)

var reportAccuracyHelp = subHelp{name: "report accuracy", args: "[--kind month|quarter] [--team T] [--format table|csv|json] [--config FILE]",
	about: `Prints the signed forecast accuracy of /forecast accuracy (each rep's and team's call against
what closed) over the last four closed months or quarters, from the database file (DEALPILOT_DB),
without Slack. The bot holds the file while it runs: stop it, or report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report accuracy
  DEALPILOT_DB=dealpilot.db dealpilot report accuracy --kind month --team France --format json`}

// reportAccuracyUsage is its usage line, said with a refusal.
var reportAccuracyUsage = reportAccuracyHelp.usage()

func init() { reports["accuracy"] = reportAccuracy }

// reportAccuracy prints the signed forecast accuracy of the last four
// closed months or quarters, per rep and team, from the file (DEALPILOT_DB)
// and the configuration (DEALPILOT_CONFIG): /forecast accuracy's figures.
func reportAccuracy(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report accuracy", flag.ContinueOnError)
	team := fs.String("team", "", "one team (default: every rep and team)")
	kindWord := fs.String("kind", "quarter", "month or quarter: the last four closed ones")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, reportAccuracyHelp, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealpilot report accuracy: unexpected argument %q\n%s\n", fs.Arg(0), reportAccuracyHelp.usage())
		return exitUsage
	}
	kind, ok := bot.ParseAccuracyKind(*kindWord)
	if !ok {
		fmt.Fprintf(stderr, "dealpilot report accuracy: --kind %q: use month or quarter\n", *kindWord)
		return exitUsage
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(stderr, "dealpilot report accuracy: --format %q: use table, csv or json\n", *format)
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	a, err := b.AccuracyTable(ctx, *team, "", kind)
	if err != nil {
		return reportFailed("dealpilot report accuracy", cfg, err, stderr)
	}
	names, _ := b.People(ctx) // beside the ids when the file keeps them; the figures stand without
	for i := range a.Rows {
		if u := a.Rows[i].Row.User; u != "" {
			a.Rows[i].Name = names[u]
		}
	}
	switch *format {
	case "csv":
		err = fcreport.WriteAccuracyCSV(stdout, a.Kind, a.Currency, a.Rows)
	case "json":
		err = fcreport.WriteAccuracyJSON(stdout, a.Kind, a.Currency, a.Periods, a.Rows)
	default:
		loc := cfg.Locale
		fmt.Fprintln(stdout, i18n.T(loc, a.Title.Key, localized(loc, a.Title.Args)...))
		fmt.Fprintln(stdout, i18n.T(loc, "forecast.accuracy.definition"))
		if len(a.Periods) == 0 || len(a.Rows) == 0 {
			fmt.Fprintln(stdout, i18n.T(loc, "forecast.accuracy.none_closed", i18n.T(loc, "forecast.accuracy.kind."+a.Kind.String())))
			return exitOK
		}
		err = fcreport.WriteAccuracyTable(stdout, loc, a.Currency, a.Periods, a.Rows)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report accuracy:", err)
		return exitFailed
	}
	return exitOK
}

// localized turns a message's arguments into plain text for a terminal:
// nested messages are translated, the rest printed as they are.
func localized(loc i18n.Locale, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if m, ok := a.(bot.Msg); ok {
			out[i] = i18n.T(loc, m.Key, localized(loc, m.Args)...)
			continue
		}
		out[i] = a
	}
	return out
}
