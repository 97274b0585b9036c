package teams

// /pipeline and /pipeline losses as Adaptive Cards, with what Slack's show
// (bot/slack/render_coaching.go, render_losses.go): the period, the
// figures, the stage table, where deals leak, the trends; the losses' total,
// their four breakdowns (reps by name), each stage's loss rate and the
// rules.

import (
	"strings"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// maxLossRows bounds each breakdown's rows; the rest is one "N more" row.
const maxLossRows = 20

func (r renderer) pipeline(v bot.Pipeline) card {
	t := r.text(bot.M("pipeline.title", v.Scope))
	var fs [][2]string
	for _, p := range report.PipelineFigures(r.loc, v.Metrics, v.Currency, report.Slippages{Quarter: v.SlipPeriod, OfQuarter: v.Slippage, Month: v.SlipMonth, OfMonth: v.SlippageMonth}) {
		fs = append(fs, [2]string{md(p[0]), md(p[1])})
	}
	head, rows := report.PipelineStages(r.loc, v.Metrics, v.Currency)
	body := []any{title(t), subtle(r.text(bot.M("pipeline.period", coaching.Day(v.Period.From), coaching.Day(v.Period.To)))),
		facts(fs), table(mdAll(head), mdRows(rows))}
	if leak := report.PipelineLeak(r.loc, v.Metrics); leak != "" {
		body = append(body, subtle(md(leak)))
	}
	if lines := report.TrendLines(r.loc, report.Trends(v.Trend), v.Period, v.SlipPeriod.Name, v.Currency); len(lines) > 0 {
		body = append(body, subtle(md(strings.Join(lines, "\n"))))
	}
	if v.Skipped > 0 {
		body = append(body, subtle(r.text(bot.M("pipeline.skipped", v.Skipped))))
	}
	return newCard(body, nil)
}

func (r renderer) losses(v bot.PipelineLosses) card {
	body := []any{title(r.text(bot.M("losses.title", v.Scope)))}
	l := v.Losses
	from, to := coaching.Day(l.Period.From), coaching.Day(l.Period.To)
	if l.Deals == 0 {
		return newCard(append(body, textBlock(r.text(bot.M("losses.none", from, to)))), nil)
	}
	body = append(body, textBlock(r.text(bot.M("losses.total", l.Deals, domain.Money{Minor: l.Amount, Currency: v.Currency}, from, to))))
	cols := mdAll(report.LossColumns(r.loc)[:4])
	for _, g := range report.LossGroups(l) {
		rows := g.Rows
		var rest []coaching.LossRow
		if len(rows) > maxLossRows {
			rows, rest = rows[:maxLossRows-1], rows[maxLossRows-1:]
		}
		var cells [][]string
		for _, row := range rows {
			first := md(report.LossLabel(r.loc, g.Kind, row))
			if g.Kind == report.LossByRep {
				first = r.person(domain.UserID(row.Key))
			}
			cells = append(cells, append([]string{first}, mdAll(report.LossCells(r.loc, v.Currency, row))...))
		}
		if len(rest) > 0 {
			cells = append(cells, append([]string{md(i18n.T(r.loc, "losses.more", len(rest)))}, mdAll(report.LossCells(r.loc, v.Currency, l.Sum("", rest)))...))
		}
		body = append(body, table(append([]string{md(g.Title(r.loc))}, cols...), cells))
	}
	var rates []string
	for _, s := range l.ByStage {
		if s.Cohort.Exits() > 0 {
			rates = append(rates, s.Key+" "+report.LossRate(r.loc, s.Cohort))
		}
	}
	if len(rates) > 0 {
		body = append(body, subtle(md(i18n.T(r.loc, "losses.loss_rates", strings.Join(rates, " · ")))))
	}
	return newCard(append(body, subtle(md(i18n.T(r.loc, "losses.rule")))), nil)
}

func mdAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = md(s)
	}
	return out
}

func mdRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = mdAll(r)
	}
	return out
}
