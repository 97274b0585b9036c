package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/dealpilot/dealpilot/bot"
	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

var retentionHelp = subHelp{name: "report retention", args: "[--team T] [--period P] [--format table|csv|json] [--config FILE]",
	about: `Prints /pipeline retention (starting ARR, GRR, NRR, churn, downgrades, expansion, hollow wins,
time from the first win to the first renewal) of a team, or of the company and each team, from the
database file (DEALPILOT_DB), without Slack. The bot holds the file while it runs: stop it, or
report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report retention --period 2026-Q4
  DEALPILOT_DB=dealpilot.db dealpilot report retention --team France --period last-quarter --format csv > retention.csv`}

func init() { reports["retention"] = reportRetention }

// reportRetention prints /pipeline retention of a team (or of the company
// and every team) from the file, as text, CSV or JSON (exact figures:
// amounts in currency units, ratios in basis points).
func reportRetention(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report retention", flag.ContinueOnError)
	team := fs.String("team", "", "the team's name (default: the company and every team)")
	period := fs.String("period", "this-quarter", "a period: "+forecast.PeriodForms+" (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, retentionHelp, args, stdout, stderr); !ok {
		return code
	}
	if !reportArgsOK(fs, "retention", retentionHelp, *format, stderr) {
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	p, _, code, ok := reportPeriod("dealpilot report retention", b, cfg, *period, stderr)
	if !ok {
		return code
	}
	r, err := b.RetentionReport(ctx, *team, p)
	if err != nil {
		return reportFailed("dealpilot report retention", cfg, err, stderr)
	}
	rows := make([]fcreport.RetentionRow, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = fcreport.RetentionRow{Scope: i18n.T(cfg.Locale, row.Who.Key, row.Who.Args...), Figures: row.Figures}
	}
	names, _ := b.People(ctx)
	switch *format {
	case "csv":
		err = fcreport.WriteRetentionCSV(stdout, r.Currency, rows)
	case "json":
		err = fcreport.WriteRetentionJSON(stdout, r.Currency, rows, names)
	default:
		for _, m := range r.Lines() {
			fmt.Fprintln(stdout, plainLine(cfg.Locale, m))
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report retention:", err)
		return exitFailed
	}
	return exitOK
}

// plainLine writes a bot message as plain text: mentions as @ids.
func plainLine(loc i18n.Locale, m bot.Msg) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case bot.Mention:
			args[i] = "@" + string(v)
		case bot.Msg:
			args[i] = plainLine(loc, v)
		case domain.UserID:
			args[i] = "@" + string(v)
		default:
			args[i] = a
		}
	}
	return i18n.T(loc, m.Key, args...)
}
