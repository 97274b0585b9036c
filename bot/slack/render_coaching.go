package slack

// Rendering of coaching: the reminder DM with its buttons, the manager
// summary and /pipeline. Pure: bot replies in, Block Kit out. The figures,
// leak line and trends are worded by bot/report, as `dealpilot report
// pipeline` words them; the stage table is a Block Kit table here (a code
// block wraps on a phone) where the report prints report.PipelineTable.

import (
	"fmt"
	"strconv"
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
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
		fmt.Fprintf(&b, "%s · %s · %s · %s", dealTitle(d), escapeMax(d.Account, nameMax), escape(i18n.Localize(loc, bot.LineAmount(d))), escapeMax(d.Stage, 200))
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
		coaching.Day(p.From), coaching.Day(p.To), i18n.FormatBP(loc, t.WinRateBP), t.Won, t.Lost,
		money(loc, t.AvgWonAmount, s.Currency), report.Days(loc, t.CycleMedianDays), t.Stalled, report.Hygiene(loc, t)))}
	if lines := report.TrendLines(loc, report.Trends(s.Trend), p, s.SlipPeriod.Name, s.Currency); len(lines) > 0 {
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
		line := tf(loc, "coach.summary.rep", r.Rep, i18n.FormatBP(loc, m.WinRateBP), m.Won, m.Lost,
			money(loc, m.AvgWonAmount, s.Currency), report.Days(loc, m.CycleMedianDays), m.Stalled, report.Hygiene(loc, m))
		var conv []string
		for j, c := range m.Conversion {
			if j >= len(t.Conversion) || t.Conversion[j].Entered == 0 {
				continue
			}
			mine := "—"
			if c.Entered > 0 {
				mine = i18n.FormatBP(loc, c.RateBP)
			}
			conv = append(conv, text(loc, bot.M("coach.summary.conv", c.Stage, mine, i18n.FormatBP(loc, t.Conversion[j].RateBP))))
		}
		if len(conv) > 0 {
			line += "\n" + tf(loc, "coach.summary.conversion", markup(strings.Join(conv, " · ")))
		}
		blocks = append(blocks, section(line))
	}
	talks := []string{bold(text(loc, bot.M("coach.summary.talks")))}
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
	if len(s.Commission) > 0 {
		lines := []string{bold(text(loc, bot.M("commission.h.monday")))}
		for _, m := range s.Commission {
			lines = append(lines, text(loc, m))
		}
		blocks = append(blocks, section(strings.Join(lines, "\n")))
	}
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
	for _, kv := range report.PipelineFigures(loc, p.Metrics, p.Currency, report.Slippages{Quarter: p.SlipPeriod, OfQuarter: p.Slippage, Month: p.SlipMonth, OfMonth: p.SlippageMonth}) {
		fields = append(fields, mrkdwnField(kv[0], escape(kv[1])))
	}
	blocks := []goslack.Block{
		head,
		contextBlock(title + " · " + text(loc, bot.M("pipeline.period", coaching.Day(p.Period.From), coaching.Day(p.Period.To)))),
		goslack.NewSectionBlock(nil, fields, nil),
		pipelineTable(loc, p),
	}
	if leak := report.PipelineLeak(loc, m); leak != "" {
		blocks = append(blocks, contextBlock(escape(leak)))
	}
	if lines := report.TrendLines(loc, report.Trends(p.Trend), p.Period, p.SlipPeriod.Name, p.Currency); len(lines) > 0 {
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

// pipelineTable is the stage table as a Block Kit table: it reads on a
// phone, where a code block wraps.
func pipelineTable(loc i18n.Locale, p bot.Pipeline) *goslack.TableBlock {
	header, rows := report.PipelineStages(loc, p.Metrics, p.Currency)
	cells := func(texts []string) []goslack.TableCell {
		out := make([]goslack.TableCell, len(texts))
		for i, s := range texts {
			out[i] = rawCell(s)
		}
		return out
	}
	t := &goslack.TableBlock{Type: goslack.MBTTable, BlockID: "pipeline_table", Rows: [][]goslack.TableCell{cells(header)}}
	t.ColumnSettings = []goslack.ColumnSetting{{Align: goslack.ColumnAlignmentLeft, IsWrapped: true}}
	for range 5 {
		t.ColumnSettings = append(t.ColumnSettings, goslack.ColumnSetting{Align: goslack.ColumnAlignmentRight})
	}
	for _, r := range rows {
		if len(t.Rows) == maxTableRows {
			break
		}
		t.Rows = append(t.Rows, cells(r))
	}
	return t
}

// hollowLines are the Monday summary's hollow-win scorecard: what the
// shares mean, the team's, then each seller's.
func hollowLines(loc i18n.Locale, s bot.CoachSummary) []string {
	out := []string{text(loc, bot.M("coach.summary.hollow", domain.Percent(s.HollowWinBP)))}
	if s.Hollow.Won == 0 {
		out = append(out, text(loc, bot.M("coach.summary.hollow_team_none")))
	} else {
		h := s.Hollow
		out = append(out, tf(loc, "coach.summary.hollow_team", i18n.FormatBP(loc, h.AnyBP), money(loc, h.WonAmount, s.Currency),
			i18n.FormatBP(loc, h.DiscountBP), i18n.FormatBP(loc, h.TermsBP), i18n.FormatBP(loc, h.UnqualifiedBP)))
	}
	for i, h := range s.HollowReps {
		if i == maxSummaryReps {
			break
		}
		if h.Won == 0 {
			out = append(out, "• "+tf(loc, "coach.summary.hollow_none", h.Rep))
			continue
		}
		out = append(out, "• "+tf(loc, "coach.summary.hollow_rep", h.Rep, i18n.FormatBP(loc, h.AnyBP), money(loc, h.WonAmount, s.Currency),
			i18n.FormatBP(loc, h.DiscountBP), i18n.FormatBP(loc, h.TermsBP), i18n.FormatBP(loc, h.UnqualifiedBP)))
	}
	for i, m := range s.HollowChurns { // a title, then the deals
		if i > 0 {
			out = append(out, "• "+text(loc, m))
		} else {
			out = append(out, text(loc, m))
		}
	}
	return out
}
