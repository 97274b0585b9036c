package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/domain"
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

// reportPipeline prints /pipeline's KPIs of a team (or every team) in the
// terminal: the same figures and stage table, computed from the file.
func reportPipeline(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report pipeline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.String("team", "", "the team's name (default: every team)")
	period := fs.String("period", "90d", "30d, 12w, month, quarter or year, ending today")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	b, cfg, closeDB, code := openReport(e, stderr)
	if b == nil {
		return code
	}
	defer closeDB()
	now := time.Now()
	p, ok := b.ParsePeriod(*period, domain.DateOf(now.In(cfg.Location)))
	if !ok {
		fmt.Fprintf(stderr, "dealpilot report pipeline: -period %q: use 30d, 12w, month, quarter or year\n", *period)
		return exitUsage
	}
	r, err := b.PipelineReport(ctx, *team, p, now)
	if err != nil {
		fmt.Fprintf(stderr, "dealpilot report pipeline: %s\n", domain.ErrorMessage(cfg.Locale, err))
		return exitUsage
	}
	fmt.Fprint(stdout, slackapp.PipelineText(cfg.Locale, r))
	return exitOK
}
