package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	fcreport "github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// reports are the `dealpilot report <name>` commands, by name; each feature
// may add its own.
var reports = map[string]func(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int{
	"pipeline": reportPipeline,
}

// reportCmd runs `dealpilot report <name> …` offline on DEALPILOT_DB.
func reportCmd(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	names := make([]string, 0, len(reports))
	for n := range reports {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(args) == 0 || reports[args[0]] == nil {
		fmt.Fprintf(stderr, "usage: dealpilot report %s [flags]   (reads DEALPILOT_DB and DEALPILOT_CONFIG; stop the bot first)\n", strings.Join(names, "|"))
		return exitUsage
	}
	return reports[args[0]](ctx, args[1:], e, stdout, stderr)
}

// reportNow is the instant a report is made; tests fix it.
var reportNow = time.Now

var pipelineHelp = subHelp{name: "report pipeline", args: "[--team T] [--period P] [--format table|csv|json] [--config FILE]",
	about: `Prints /pipeline's KPIs of a team or of every team (win rate, cycle, velocity, the stage
table), each seller's, the hollow-win scorecard and the trends, from the database file
(DEALPILOT_DB), without Slack. The bot holds the file while it runs: stop it, or report on a backup.`,
	example: `  DEALPILOT_DB=/backups/dealpilot-2026-12-06.db dealpilot report pipeline --period 90d
  DEALPILOT_DB=dealpilot.db dealpilot report pipeline --team France --period 2026-Q4 --format json`}

// reportPipeline prints /pipeline's KPIs of a team (or every team) from the
// file, with each seller's, the hollow-win scorecard and the trends: as a
// table (the same figures and stage table as /pipeline), CSV or JSON (exact
// figures: minor units, basis points; README: Reports).
func reportPipeline(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report pipeline", flag.ContinueOnError)
	team := fs.String("team", "", "the team's name (default: every team)")
	period := fs.String("period", "90d", "a period: "+forecast.PeriodForms+" (README: Periods)")
	format := fs.String("format", "table", "table, csv or json")
	configFlag(fs, &e)
	if code, ok := parseSub(fs, pipelineHelp, args, stdout, stderr); !ok {
		return code
	}
	if !reportArgsOK(fs, "pipeline", pipelineHelp, *format, stderr) {
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	p, now, code, ok := reportPeriod("dealpilot report pipeline", b, cfg, *period, stderr)
	if !ok {
		return code
	}
	r, err := b.PipelineDetail(ctx, *team, p, now)
	if err != nil {
		return reportFailed("dealpilot report pipeline", cfg, err, stderr)
	}
	sheet := r.Sheet(cfg.Locale)
	names, _ := b.People(ctx) // beside the ids when the file keeps them; the figures stand without
	for i := range sheet.Rows {
		if u := sheet.Rows[i].User; u != "" {
			sheet.Rows[i].Name = names[u]
		}
	}
	switch *format {
	case "csv":
		err = fcreport.WritePipelineCSV(stdout, sheet)
	case "json":
		err = fcreport.WritePipelineJSON(stdout, sheet)
	default:
		fmt.Fprint(stdout, fcreport.PipelineText(cfg.Locale, sheet))
		fmt.Fprintln(stdout)
		err = fcreport.WritePipelineReps(stdout, cfg.Locale, sheet)
	}
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot report pipeline:", err)
		return exitFailed
	}
	return exitOK
}
