package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

var segmentsHelp = subHelp{name: "report segments", args: "[--attribute A] [--team T] [--period P] [--format table|csv|json] [--config FILE]",
	about: `Prints /pipeline segments (the KPIs by value of one segment attribute: won and lost, win rate,
average won deal, cycle, pipeline, weighted pipeline, discount, loss rate by stage; fit deals
against the others) of a team or of every team, from the database file (DEALPILOT_DB), without
Slack. The attributes are the configuration's segments: (the first by default); the
configuration the bot keeps in the file has none, so give the YAML with --config or
DEALPILOT_CONFIG. The bot holds the file while it runs: stop it, or report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report segments --attribute industry --period 2026
  DEALPILOT_DB=dealpilot.db dealpilot report segments --team France --period this-year --format csv > segments.csv`}

func init() { reports["segments"] = reportSegments }

// reportSegments prints /pipeline segments of a team (or of every team)
// from the file, as a table, CSV or JSON (exact figures: minor units,
// basis points).
func reportSegments(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report segments", flag.ContinueOnError)
	attr := fs.String("attribute", "", "a segment attribute (default: the first of segments:)")
	team := fs.String("team", "", "the team's name (default: every team)")
	period := fs.String("period", "90d", "a period: "+forecast.PeriodForms+" (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, segmentsHelp, args, stdout, stderr); !ok {
		return code
	}
	if !reportArgsOK(fs, "segments", segmentsHelp, *format, stderr) {
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	if len(cfg.Segments) == 0 {
		fmt.Fprintf(stderr, "dealpilot report segments: %s\n", i18n.ErrorMessage(cfg.Locale, domain.Errorf(domain.EINVALID, "segment.none")))
		return exitUsage
	}
	p, now, code, ok := reportPeriod("dealpilot report segments", b, cfg, *period, stderr)
	if !ok {
		return code
	}
	r, err := b.SegmentsReportFor(ctx, *team, *attr, p, now)
	if err != nil {
		return reportFailed("dealpilot report segments", cfg, err, stderr)
	}
	scope := i18n.T(cfg.Locale, r.Scope.Key, r.Scope.Args...)
	switch *format {
	case "csv":
		err = fcreport.WriteSegmentsCSV(stdout, r.Currency, r.Table)
	case "json":
		err = fcreport.WriteSegmentsJSON(stdout, scope, r.Currency, r.Table, r.HasICP)
	default:
		loc := cfg.Locale
		t := r.Table
		fmt.Fprintln(stdout, i18n.T(loc, "segment.title", domain.AttrField(t.Attribute), scope))
		fmt.Fprintln(stdout, i18n.T(loc, "segment.period", coaching.Day(t.Period.From), coaching.Day(t.Period.To)))
		err = fcreport.WriteSegmentsTable(stdout, loc, r.Currency, t)
		if err == nil {
			for _, line := range fcreport.SegmentFit(loc, t, r.HasICP) {
				fmt.Fprintln(stdout, line)
			}
			if r.Skipped > 0 {
				fmt.Fprintln(stdout, i18n.T(loc, "pipeline.skipped", r.Skipped))
			}
			fmt.Fprintln(stdout, i18n.T(loc, "segment.rule", r.MinDeals))
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report segments:", err)
		return exitFailed
	}
	return exitOK
}
