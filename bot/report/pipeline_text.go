package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// PipelineText is a pipeline report as plain text, for the terminal
// (`dealpilot report pipeline`): the scope's figures, stage table, leak
// line and trends, from the sheet's first row. /pipeline in Slack shows
// the same figures, lines and trends (bot/slack renders them with these
// functions), with a Block Kit table.
func PipelineText(loc i18n.Locale, p Pipeline) string {
	var scope PipelineRow
	if len(p.Rows) > 0 {
		scope = p.Rows[0]
	}
	var b strings.Builder
	b.WriteString(i18n.T(loc, "pipeline.title", p.Scope) + "\n")
	b.WriteString(i18n.T(loc, "pipeline.period", coaching.Day(p.Period.From), coaching.Day(p.Period.To)) + "\n\n")
	for _, kv := range PipelineFigures(loc, scope.Metrics, p.Currency, Slippages{p.SlipPeriod, scope.Slippage, p.SlipMonth, scope.SlippageMonth}) {
		fmt.Fprintf(&b, "%-22s %s\n", kv[0], kv[1])
	}
	b.WriteString("\n" + PipelineTable(loc, scope.Metrics, p.Currency))
	if leak := PipelineLeak(loc, scope.Metrics); leak != "" {
		b.WriteString(leak + "\n")
	}
	if lines := TrendLines(loc, Trends{p.Compared, p.SlipCompared, p.Trends}, p.Period, p.SlipPeriod.Name, p.Currency); len(lines) > 0 {
		b.WriteString("\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

// Slippages are a scope's slippage of the fiscal quarter holding a
// period's last day and of the calendar month holding it.
type Slippages struct {
	Quarter   forecast.Period
	OfQuarter forecast.Slip
	Month     forecast.Period
	OfMonth   forecast.Slip
}

// PipelineFigures are the headline KPIs as (label, value) pairs.
func PipelineFigures(loc i18n.Locale, m coaching.Metrics, currency string, s Slippages) [][2]string {
	lbl := func(k string) string { return i18n.T(loc, "pipeline.label."+k) }
	return [][2]string{
		{lbl("win_rate"), i18n.T(loc, "pipeline.value.win_rate", i18n.FormatBP(loc, m.WinRateBP), m.Won, m.Lost)},
		{lbl("avg_won"), i18n.FormatAmount(loc, m.AvgWonAmount, currency)},
		{lbl("cycle"), i18n.T(loc, "pipeline.value.cycle", Days(loc, m.CycleMedianDays), Days(loc, m.CycleMeanDays))},
		{lbl("slippage"), slippage(loc, s.OfQuarter, s.Quarter, currency)},
		{lbl("slippage_month"), slippage(loc, s.OfMonth, s.Month, currency)},
		{lbl("avg_discount"), i18n.FormatBP(loc, m.AvgDiscountBP)},
		{lbl("open"), i18n.T(loc, "pipeline.value.open", m.Open, i18n.FormatAmount(loc, openAmount(m), currency), m.Stalled, Hygiene(loc, m))},
	}
}

// slippage is a period's slippage: rate, forecast value, slipped count
// and value.
func slippage(loc i18n.Locale, s forecast.Slip, p forecast.Period, currency string) string {
	if s.Forecast == 0 {
		return i18n.T(loc, "pipeline.value.slippage_none", p.Name)
	}
	return i18n.T(loc, "pipeline.value.slippage", i18n.FormatBP(loc, s.RateBP), i18n.FormatAmount(loc, s.ForecastAmount, currency),
		p.Name, s.Slipped, s.Forecast, i18n.FormatAmount(loc, s.SlippedAmount, currency))
}

// Hygiene is the hygiene rate with its three causes, each counted on its
// own: "60% (overdue next steps: 1 · past close dates: 1 · missing
// criteria: 3)".
func Hygiene(loc i18n.Locale, m coaching.Metrics) string {
	return i18n.T(loc, "pipeline.value.hygiene", i18n.FormatBP(loc, m.HygieneBP), m.OverdueNextSteps, m.PastCloseDates, m.MissingCriteria)
}

func openAmount(m coaching.Metrics) int64 {
	var sum int64
	for _, s := range m.PerStage {
		sum += s.Amount
	}
	return sum
}

// PipelineLeak names the stage where deals are lost most (coaching's
// Metrics.Leak), or says why none is named.
func PipelineLeak(loc i18n.Locale, m coaching.Metrics) string {
	st, enough := m.Leak()
	switch {
	case !enough:
		return i18n.T(loc, "pipeline.leak.few", coaching.MinLeakExits)
	case st < 0:
		return i18n.T(loc, "pipeline.leak.none", coaching.MinLeakExits)
	}
	c := m.Conversion[st]
	return i18n.T(loc, "pipeline.leak", c.Stage, c.Lost, c.Exits(), i18n.FormatBP(loc, c.LossBP))
}

// PipelineStages are the stage table's header and rows: per stage the deals
// that entered it, moved on, the conversion ("—" when none entered), and
// the open deals with their amount. PipelineTable prints them; bot/slack
// makes a Block Kit table of them.
func PipelineStages(loc i18n.Locale, m coaching.Metrics, currency string) (header []string, rows [][]string) {
	for _, k := range []string{"stage", "entered", "advanced", "conversion", "open", "amount"} {
		header = append(header, i18n.T(loc, "pipeline.col."+k))
	}
	for i, c := range m.Conversion {
		var open int
		var amt int64
		if i < len(m.PerStage) {
			open, amt = m.PerStage[i].Deals, m.PerStage[i].Amount
		}
		conv := "—"
		if c.Entered > 0 {
			conv = i18n.FormatBP(loc, c.RateBP)
		}
		rows = append(rows, []string{c.Stage, strconv.Itoa(c.Entered), strconv.Itoa(c.Advanced), conv, strconv.Itoa(open), i18n.FormatAmount(loc, amt, currency)})
	}
	return header, rows
}

// PipelineTable is the stage table of a pipeline report (PipelineStages)
// as plain text.
func PipelineTable(loc i18n.Locale, m coaching.Metrics, currency string) string {
	var b strings.Builder
	t := tablewriter.NewTable(&b,
		tablewriter.WithSymbols(tw.NewSymbols(tw.StyleASCII)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: []tw.Align{tw.AlignLeft, tw.AlignRight, tw.AlignRight, tw.AlignRight, tw.AlignRight, tw.AlignRight}}),
	)
	header, rows := PipelineStages(loc, m, currency)
	t.Header(header)
	for _, r := range rows {
		_ = t.Append(r[0], r[1], r[2], Monospace(r[3]), r[4], Monospace(r[5]))
	}
	_ = t.Render()
	return b.String()
}

// Trends are a scope's KPIs beside the previous period of the same length
// (Compared[0]) and the same period last year (Compared[1]), and its
// slippage beside the previous quarter and the same quarter last year
// (SlipCompared); Trends holds only the figures with data (coaching.Trends).
type Trends struct {
	Compared     [2]coaching.Period
	SlipCompared [2]forecast.Period
	Trends       []coaching.Trend
}

// TrendLines are trends as plain text: a title naming the comparison
// periods, then one line per figure with data ("Cycle 28 → 19 days · a
// year ago 31 days"): previous → now when the previous period has data,
// the year-ago value when last year has. Nothing when no figure has data
// to compare with.
func TrendLines(loc i18n.Locale, tr Trends, p coaching.Period, slip string, currency string) []string {
	if len(tr.Trends) == 0 {
		return nil
	}
	prev, ly := tr.Compared[0], tr.Compared[1]
	out := []string{i18n.T(loc, "trend.title", p.From.DaysUntil(p.To)+1,
		i18n.Localize(loc, coaching.Day(prev.From)), i18n.Localize(loc, coaching.Day(prev.To)),
		i18n.Localize(loc, coaching.Day(ly.From)), i18n.Localize(loc, coaching.Day(ly.To)))}
	for _, t := range tr.Trends {
		var v func(coaching.Point) string
		yearAgo := "trend.year_ago"
		switch t.Figure {
		case coaching.FigureAvgWon:
			v = func(pt coaching.Point) string { return i18n.FormatAmount(loc, pt.Amount, currency) }
		case coaching.FigureCycle:
			v = func(pt coaching.Point) string { return Days(loc, pt.Days) }
			yearAgo = "trend.year_ago.days"
		default:
			v = func(pt coaching.Point) string { return i18n.FormatBP(loc, pt.BP) }
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

// Days renders a number of days with at most one decimal in loc.
func Days(loc i18n.Locale, v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if loc == i18n.FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
