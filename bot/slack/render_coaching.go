package slack

// Rendering of coaching: the reminder DM with its buttons, the manager
// summary and /pipeline. Pure: bot replies in, Block Kit out; the stage
// table is a Block Kit table in Slack (a code block wraps on a phone) and a
// tablewriter string in PipelineText for `dealpilot report pipeline`.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// Block ids of the reminder: one actions block per deal, "nudge_<id>".
const (
	blockNudgeDealPrefix    = "nudge_deal_"
	blockNudgeActionsPrefix = "nudge_"
	maxSummaryReps          = 45 // blocks left for reps in a summary
)

// renderReminder is the rep's daily DM: each deal with its items and the
// Done, Snooze 1 day, Snooze 3 days and Update deal buttons.
func renderReminder(loc i18n.Locale, r bot.Reminder) message {
	title := text(loc, bot.M("coach.reminder.title", len(r.Deals)+r.More))
	blocks := []goslack.Block{header(title), section(text(loc, bot.M("coach.reminder.intro")))}
	for _, rd := range r.Deals {
		d := rd.Deal
		var b strings.Builder
		fmt.Fprintf(&b, "%s · %s · %s · %s", dealTitle(d), escapeMax(d.Account, nameMax), escape(amount(loc, d)), escapeMax(d.Stage, 200))
		for _, it := range rd.Items {
			b.WriteString("\n• " + text(loc, it))
		}
		blocks = append(blocks, sectionID(blockNudgeDealPrefix+idStr(d.ID), b.String()))
		blocks = append(blocks, goslack.NewActionBlock(blockNudgeActionsPrefix+idStr(d.ID),
			goslack.NewButtonBlockElement(bot.ActionNudgeDone, bot.NudgeDoneValue(d),
				plain(text(loc, bot.M("coach.button.done")), maxButtonText)).WithStyle(goslack.StylePrimary),
			button(loc, bot.ActionNudgeSnooze1, "coach.button.snooze1", d.ID),
			button(loc, bot.ActionNudgeSnooze3, "coach.button.snooze3", d.ID),
			button(loc, bot.ActionUpdate, "coach.button.update", d.ID),
		))
	}
	if r.More > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("coach.reminder.more", r.More))))
	}
	blocks = append(blocks, contextBlock(text(loc, bot.M("coach.reminder.footer"))))
	return message{Text: title, Blocks: blocks}
}

func idStr(id domain.DealID) string { return strconv.FormatUint(uint64(id), 10) }

// pct renders basis points as a percentage in loc.
func pct(loc i18n.Locale, bp int) string { return coaching.Percent(bp).Localize(loc) }

// days renders a number of days with at most one decimal in loc.
func days(loc i18n.Locale, v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if loc == i18n.FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func money(loc i18n.Locale, minor int64, currency string) string {
	return i18n.FormatAmount(loc, minor, currency)
}

// renderCoachSummary is a manager's Monday DM about one team: the team's
// figures, one paragraph per rep (conversion by stage against the team's)
// and the three deals most worth a conversation.
func renderCoachSummary(loc i18n.Locale, s bot.CoachSummary) message {
	title := text(loc, bot.M("coach.summary.title", s.Team))
	t := s.Report.Team
	p := s.Report.Period
	blocks := []goslack.Block{header(title), section(tf(loc, "coach.summary.period",
		coaching.Day(p.From), coaching.Day(p.To), pct(loc, t.WinRateBP), t.Won, t.Lost,
		money(loc, t.AvgWonAmount, s.Currency), days(loc, t.CycleMedianDays), t.Stalled, hygiene(loc, t)))}
	if lines := trendLines(loc, s.Trend, p, s.SlipPeriod.Name, s.Currency); len(lines) > 0 {
		blocks = append(blocks, section(escape(strings.Join(lines, "\n"))))
	}
	if len(s.Report.Reps) == 0 {
		blocks = append(blocks, section(text(loc, bot.M("coach.summary.no_reps"))))
	}
	for i, r := range s.Report.Reps {
		if i == maxSummaryReps {
			break
		}
		m := r.Metrics
		line := tf(loc, "coach.summary.rep", r.Rep, pct(loc, m.WinRateBP), m.Won, m.Lost,
			money(loc, m.AvgWonAmount, s.Currency), days(loc, m.CycleMedianDays), m.Stalled, hygiene(loc, m))
		var conv []string
		for j, c := range m.Conversion {
			if j >= len(t.Conversion) || t.Conversion[j].Entered == 0 {
				continue
			}
			mine := "—"
			if c.Entered > 0 {
				mine = pct(loc, c.RateBP)
			}
			conv = append(conv, text(loc, bot.M("coach.summary.conv", c.Stage, mine, pct(loc, t.Conversion[j].RateBP))))
		}
		if len(conv) > 0 {
			line += "\n" + tf(loc, "coach.summary.conversion", markup(strings.Join(conv, " · ")))
		}
		blocks = append(blocks, section(line))
	}
	talks := []string{text(loc, bot.M("coach.summary.talks"))}
	if len(t.Talks) == 0 {
		talks = append(talks, text(loc, bot.M("coach.summary.no_talks")))
	}
	for _, tk := range t.Talks {
		name := tk.Deal.Ref()
		if d := s.Deals[tk.Deal]; d != nil {
			name = dealTitle(d)
		}
		reasons := make([]string, len(tk.Reasons))
		for i, k := range tk.Reasons {
			reasons[i] = text(loc, bot.M("coach.reason."+string(k)))
		}
		talks = append(talks, "• "+tf(loc, "coach.summary.talk", markup(name), tk.Owner,
			money(loc, tk.Amount, s.Currency), strings.Join(reasons, ", ")))
	}
	blocks = append(blocks, section(strings.Join(hollowLines(loc, s), "\n")))
	blocks = append(blocks, section(strings.Join(talks, "\n")))
	return message{Text: title, Blocks: blocks}
}

// renderPipeline is /pipeline's ephemeral answer.
func renderPipeline(loc i18n.Locale, p bot.Pipeline) message {
	title := text(loc, bot.M("pipeline.title", p.Scope))
	// The header is plain text, where a mention would show as markup and
	// an id means nothing: a rep's pipeline is headed "Pipeline", and the
	// context line under it mentions them.
	head := header(strings.TrimSpace(plainTitle(loc, p)))
	if namesPerson(bot.M("pipeline.title", p.Scope)) {
		head = header(i18n.T(loc, "pipeline.title_header"))
	}
	m := p.Metrics
	fields := []*goslack.TextBlockObject{}
	for _, kv := range pipelineFigures(loc, p) {
		fields = append(fields, mrkdwnField(kv[0], escape(kv[1])))
	}
	blocks := []goslack.Block{
		head,
		contextBlock(title + " · " + text(loc, bot.M("pipeline.period", coaching.Day(p.Period.From), coaching.Day(p.Period.To)))),
		goslack.NewSectionBlock(nil, fields, nil),
		pipelineTable(loc, p),
	}
	if leak := pipelineLeak(loc, m); leak != "" {
		blocks = append(blocks, contextBlock(escape(leak)))
	}
	if lines := trendLines(loc, p.Trend, p.Period, p.SlipPeriod.Name, p.Currency); len(lines) > 0 {
		blocks = append(blocks, contextBlock(escape(strings.Join(lines, "\n"))))
	}
	if p.Skipped > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("pipeline.skipped", p.Skipped))))
	}
	return message{Text: title, Blocks: blocks}
}

// plainTitle is the header's text: the scope without markup.
func plainTitle(loc i18n.Locale, p bot.Pipeline) string {
	scope := p.Scope
	if scope.Key == "raw" && len(scope.Args) == 1 {
		if u, ok := scope.Args[0].(domain.UserID); ok {
			return i18n.T(loc, "pipeline.title", string(u))
		}
	}
	return i18n.T(loc, "pipeline.title", i18n.T(loc, scope.Key, scope.Args...))
}

// pipelineFigures are the headline KPIs as (label, value) pairs.
func pipelineFigures(loc i18n.Locale, p bot.Pipeline) [][2]string {
	m := p.Metrics
	lbl := func(k string) string { return i18n.T(loc, "pipeline.label."+k) }
	return [][2]string{
		{lbl("win_rate"), i18n.T(loc, "pipeline.value.win_rate", pct(loc, m.WinRateBP), m.Won, m.Lost)},
		{lbl("avg_won"), money(loc, m.AvgWonAmount, p.Currency)},
		{lbl("cycle"), i18n.T(loc, "pipeline.value.cycle", days(loc, m.CycleMedianDays), days(loc, m.CycleMeanDays))},
		{lbl("slippage"), slippage(loc, p.Slippage, p.SlipPeriod, p.Currency)},
		{lbl("slippage_month"), slippage(loc, p.SlippageMonth, p.SlipMonth, p.Currency)},
		{lbl("avg_discount"), pct(loc, m.AvgDiscountBP)},
		{lbl("open"), i18n.T(loc, "pipeline.value.open", m.Open, money(loc, openAmount(m), p.Currency), m.Stalled, hygiene(loc, m))},
	}
}

// slippage is a period's slippage: rate, forecast value, slipped count
// and value.
func slippage(loc i18n.Locale, s forecast.Slip, p forecast.Period, currency string) string {
	if s.Forecast == 0 {
		return i18n.T(loc, "pipeline.value.slippage_none", p.Name)
	}
	return i18n.T(loc, "pipeline.value.slippage", pct(loc, s.RateBP), money(loc, s.ForecastAmount, currency),
		p.Name, s.Slipped, s.Forecast, money(loc, s.SlippedAmount, currency))
}

// hygiene is the hygiene rate with its three causes, each counted on its
// own: "60% (overdue next steps: 1 · past close dates: 1 · missing
// criteria: 3)".
func hygiene(loc i18n.Locale, m coaching.Metrics) string {
	return i18n.T(loc, "pipeline.value.hygiene", pct(loc, m.HygieneBP), m.OverdueNextSteps, m.PastCloseDates, m.MissingCriteria)
}

func openAmount(m coaching.Metrics) int64 {
	var sum int64
	for _, s := range m.PerStage {
		sum += s.Amount
	}
	return sum
}

// pipelineLeak names the stage where deals are lost most (coaching's
// Metrics.Leak), or says why none is named.
func pipelineLeak(loc i18n.Locale, m coaching.Metrics) string {
	st, enough := m.Leak()
	switch {
	case !enough:
		return i18n.T(loc, "pipeline.leak.few", coaching.MinLeakExits)
	case st < 0:
		return i18n.T(loc, "pipeline.leak.none", coaching.MinLeakExits)
	}
	c := m.Conversion[st]
	return i18n.T(loc, "pipeline.leak", c.Stage, c.Lost, c.Exits(), pct(loc, c.LossBP))
}

// PipelineTable is the stage table of a pipeline report: conversion between
// stages and the open deals in each, as plain text.
func PipelineTable(loc i18n.Locale, p bot.Pipeline) string {
	var b strings.Builder
	col := func(k string) string { return i18n.T(loc, "pipeline.col."+k) }
	t := tablewriter.NewTable(&b,
		tablewriter.WithSymbols(tw.NewSymbols(tw.StyleASCII)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: []tw.Align{tw.AlignLeft, tw.AlignRight, tw.AlignRight, tw.AlignRight, tw.AlignRight, tw.AlignRight}}),
	)
	t.Header(col("stage"), col("entered"), col("advanced"), col("conversion"), col("open"), col("amount"))
	m := p.Metrics
	for i, c := range m.Conversion {
		var open int
		var amt int64
		if i < len(m.PerStage) {
			open, amt = m.PerStage[i].Deals, m.PerStage[i].Amount
		}
		conv := "—"
		if c.Entered > 0 {
			conv = pct(loc, c.RateBP)
		}
		_ = t.Append(c.Stage, strconv.Itoa(c.Entered), strconv.Itoa(c.Advanced), report.Monospace(conv), strconv.Itoa(open), report.Monospace(money(loc, amt, p.Currency)))
	}
	_ = t.Render()
	return b.String()
}

// pipelineTable is the stage table as a Block Kit table: it reads on a
// phone, where a code block wraps.
func pipelineTable(loc i18n.Locale, p bot.Pipeline) *goslack.TableBlock {
	col := func(k string) goslack.TableCell { return rawCell(i18n.T(loc, "pipeline.col."+k)) }
	t := &goslack.TableBlock{Type: goslack.MBTTable, BlockID: "pipeline_table",
		Rows: [][]goslack.TableCell{{col("stage"), col("entered"), col("advanced"), col("conversion"), col("open"), col("amount")}}}
	t.ColumnSettings = []goslack.ColumnSetting{{Align: goslack.ColumnAlignmentLeft, IsWrapped: true}}
	for range 5 {
		t.ColumnSettings = append(t.ColumnSettings, goslack.ColumnSetting{Align: goslack.ColumnAlignmentRight})
	}
	m := p.Metrics
	for i, c := range m.Conversion {
		if len(t.Rows) == maxTableRows {
			break
		}
		var open int
		var amt int64
		if i < len(m.PerStage) {
			open, amt = m.PerStage[i].Deals, m.PerStage[i].Amount
		}
		conv := "—"
		if c.Entered > 0 {
			conv = pct(loc, c.RateBP)
		}
		t.Rows = append(t.Rows, []goslack.TableCell{rawCell(c.Stage), rawCell(strconv.Itoa(c.Entered)), rawCell(strconv.Itoa(c.Advanced)),
			rawCell(conv), rawCell(strconv.Itoa(open)), rawCell(money(loc, amt, p.Currency))})
	}
	return t
}

// PipelineText is a pipeline report as plain text, for the terminal.
func PipelineText(loc i18n.Locale, p bot.Pipeline) string {
	var b strings.Builder
	b.WriteString(plainTitle(loc, p) + "\n")
	b.WriteString(i18n.T(loc, "pipeline.period", coaching.Day(p.Period.From), coaching.Day(p.Period.To)) + "\n\n")
	for _, kv := range pipelineFigures(loc, p) {
		fmt.Fprintf(&b, "%-22s %s\n", kv[0], kv[1])
	}
	b.WriteString("\n" + PipelineTable(loc, p))
	if leak := pipelineLeak(loc, p.Metrics); leak != "" {
		b.WriteString(leak + "\n")
	}
	if lines := trendLines(loc, p.Trend, p.Period, p.SlipPeriod.Name, p.Currency); len(lines) > 0 {
		b.WriteString("\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

// trendLines are a Trend as plain text: a title naming the comparison
// periods, then one line per figure with data ("Cycle 28 → 19 days · a
// year ago 31 days"): previous → now when the previous period has data,
// the year-ago value when last year has. Nothing when no figure has data
// to compare with.
func trendLines(loc i18n.Locale, tr bot.Trend, p coaching.Period, slip string, currency string) []string {
	if len(tr.Trends) == 0 {
		return nil
	}
	prev, ly := tr.Compared[0], tr.Compared[1]
	out := []string{i18n.T(loc, "trend.title", p.From.DaysUntil(p.To)+1,
		coaching.Day(prev.From).Localize(loc), coaching.Day(prev.To).Localize(loc),
		coaching.Day(ly.From).Localize(loc), coaching.Day(ly.To).Localize(loc))}
	for _, t := range tr.Trends {
		var v func(coaching.Point) string
		yearAgo := "trend.year_ago"
		switch t.Figure {
		case coaching.FigureAvgWon:
			v = func(pt coaching.Point) string { return money(loc, pt.Amount, currency) }
		case coaching.FigureCycle:
			v = func(pt coaching.Point) string { return days(loc, pt.Days) }
			yearAgo = "trend.year_ago.days"
		default:
			v = func(pt coaching.Point) string { return pct(loc, pt.BP) }
		}
		now, before, last := t.Points[coaching.Now], t.Points[coaching.Previous], t.Points[coaching.LastYear]
		change := v(now)
		if before.Has {
			change = i18n.T(loc, "trend.change", v(before), v(now))
		}
		tail := ""
		if last.Has {
			tail = i18n.T(loc, yearAgo, v(last))
		}
		switch t.Figure {
		case coaching.FigureWinRate:
			out = append(out, i18n.T(loc, "trend.win_rate", change, tail))
		case coaching.FigureAvgWon:
			out = append(out, i18n.T(loc, "trend.avg_won", change, tail))
		case coaching.FigureCycle:
			out = append(out, i18n.T(loc, "trend.cycle", change, tail))
		case coaching.FigureConversion:
			out = append(out, i18n.T(loc, "trend.conversion", t.Stage, change, tail))
		case coaching.FigureSlippage:
			quarters := slip
			if before.Has {
				quarters = i18n.T(loc, "trend.change", tr.SlipCompared[0].Name, slip)
			}
			if last.Has {
				tail = i18n.T(loc, "trend.year_ago.named", tr.SlipCompared[1].Name, v(last))
			}
			out = append(out, i18n.T(loc, "trend.slippage", quarters, change, tail))
		}
	}
	return out
}

// hollowLines are the Monday summary's hollow-win scorecard: what the
// shares mean, the team's, then each seller's.
func hollowLines(loc i18n.Locale, s bot.CoachSummary) []string {
	out := []string{text(loc, bot.M("coach.summary.hollow", coaching.Percent(s.HollowWinBP)))}
	if s.Hollow.Won == 0 {
		out = append(out, text(loc, bot.M("coach.summary.hollow_team_none")))
	} else {
		h := s.Hollow
		out = append(out, tf(loc, "coach.summary.hollow_team", pct(loc, h.AnyBP), money(loc, h.WonAmount, s.Currency),
			pct(loc, h.DiscountBP), pct(loc, h.TermsBP), pct(loc, h.UnqualifiedBP)))
	}
	for i, h := range s.HollowReps {
		if i == maxSummaryReps {
			break
		}
		if h.Won == 0 {
			out = append(out, "• "+tf(loc, "coach.summary.hollow_none", h.Rep))
			continue
		}
		out = append(out, "• "+tf(loc, "coach.summary.hollow_rep", h.Rep, pct(loc, h.AnyBP), money(loc, h.WonAmount, s.Currency),
			pct(loc, h.DiscountBP), pct(loc, h.TermsBP), pct(loc, h.UnqualifiedBP)))
	}
	return out
}
