package teams

// A rep's reminder and a manager's Monday summary as Adaptive Cards, with
// what Slack's show (bot/slack/render_coaching.go): the reminder's title,
// greeting, each deal's account, amount and stage, what to fix and its
// buttons, and how to stop them; the summary's period figures, trends,
// each rep's figures and conversion against the team's, the hollow wins
// and the deals worth a conversation.

import (
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// maxSummaryReps bounds the reps a summary lists, as Slack's does.
const maxSummaryReps = 45

func (r renderer) reminder(v bot.Reminder) card {
	body := []any{title(r.text(bot.M("coach.reminder.title", len(v.Deals)+v.More))), textBlock(r.text(bot.M("coach.reminder.intro")))}
	for _, rd := range v.Deals {
		d := rd.Deal
		body = append(body, textBlock("**"+d.ID.Ref()+" · "+md(d.Name)+"** · "+md(d.Account)+" · "+md(i18n.Localize(r.loc, bot.LineAmount(d)))+" · "+md(d.Stage)))
		var items []string
		for _, it := range r.msgs(rd.Items) {
			items = append(items, "• "+it)
		}
		if len(items) > 0 {
			body = append(body, map[string]any{"type": "TextBlock", "text": strings.Join(items, "\n"), "wrap": true, "spacing": "None"})
		}
		id := strconv.FormatUint(uint64(d.ID), 10)
		body = append(body, map[string]any{"type": "ActionSet", "actions": []any{
			withStyle(r.dialogButton(r.text(bot.M("coach.button.done")), bot.ActionNudgeDone, bot.NudgeDoneValue(d)), "positive"),
			execute(r.text(bot.M("coach.button.snooze1")), bot.ActionNudgeSnooze1, id),
			execute(r.text(bot.M("coach.button.snooze3")), bot.ActionNudgeSnooze3, id),
			r.dialogButton(r.text(bot.M("coach.button.update")), bot.ActionUpdate, id),
		}})
	}
	if v.More > 0 {
		body = append(body, subtle(r.text(bot.M("coach.reminder.more", v.More))))
	}
	body = append(body, subtle(r.text(bot.M("coach.reminder.footer"))))
	return newCard(body, nil)
}

func (r renderer) coachSummary(s bot.CoachSummary) card {
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: s.Currency} }
	t, p := s.Report.Team, s.Report.Period
	body := []any{title(r.text(bot.M("coach.summary.title", s.Team))),
		textBlock(r.text(bot.M("coach.summary.period", coaching.Day(p.From), coaching.Day(p.To), i18n.FormatBP(r.loc, t.WinRateBP), t.Won, t.Lost,
			money(t.AvgWonAmount), report.Days(r.loc, t.CycleMedianDays), t.Stalled, report.Hygiene(r.loc, t))))}
	if lines := report.TrendLines(r.loc, report.Trends(s.Trend), p, s.SlipPeriod.Name, s.Currency); len(lines) > 0 {
		body = append(body, subtle(md(strings.Join(lines, "\n"))))
	}
	body = append(body, table(mdRowsHead(report.PipelineStages(r.loc, t, s.Currency))))
	if len(s.Report.Reps) == 0 {
		body = append(body, textBlock(r.text(bot.M("coach.summary.no_reps"))))
	}
	for i, rp := range s.Report.Reps {
		if i == maxSummaryReps {
			break
		}
		m := rp.Metrics
		line := r.text(bot.M("coach.summary.rep", rp.Rep, i18n.FormatBP(r.loc, m.WinRateBP), m.Won, m.Lost,
			money(m.AvgWonAmount), report.Days(r.loc, m.CycleMedianDays), m.Stalled, report.Hygiene(r.loc, m)))
		var conv []string
		for j, c := range m.Conversion {
			if j >= len(t.Conversion) || t.Conversion[j].Entered == 0 {
				continue
			}
			mine := "—"
			if c.Entered > 0 {
				mine = i18n.FormatBP(r.loc, c.RateBP)
			}
			conv = append(conv, i18n.T(r.loc, "coach.summary.conv", c.Stage, mine, i18n.FormatBP(r.loc, t.Conversion[j].RateBP)))
		}
		if len(conv) > 0 {
			line += "\n" + r.text(bot.M("coach.summary.conversion", strings.Join(conv, " · ")))
		}
		body = append(body, textBlock(line))
	}
	body = append(body, textBlock(strings.Join(r.hollowLines(s), "\n")))
	talks := []string{"**" + r.text(bot.M("coach.summary.talks")) + "**"}
	if len(t.Talks) == 0 {
		talks = append(talks, r.text(bot.M("coach.summary.no_talks")))
	}
	for _, tk := range t.Talks {
		name := bot.Bold(tk.Deal.Ref())
		if d := s.Deals[tk.Deal]; d != nil {
			name = bot.Bold(d.ID.Ref() + " · " + d.Name)
		}
		reasons := make([]string, len(tk.Reasons))
		for i, k := range tk.Reasons {
			reasons[i] = r.text(bot.M("coach.reason." + string(k)))
		}
		talks = append(talks, "• "+r.text(bot.M("coach.summary.talk", name, tk.Owner, money(tk.Amount), strings.Join(reasons, ", "))))
	}
	body = append(body, textBlock(strings.Join(talks, "\n")))
	if len(s.Commission) > 0 { // commissions configured (bot/commission_rhythm.go)
		lines := append([]string{"**" + r.text(bot.M("commission.h.monday")) + "**"}, r.msgs(s.Commission)...)
		body = append(body, textBlock(strings.Join(lines, "\n")))
	}
	return newCard(body, nil)
}

func (r renderer) hollowLines(s bot.CoachSummary) []string {
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: s.Currency} }
	out := []string{r.text(bot.M("coach.summary.hollow", domain.Percent(s.HollowWinBP)))}
	if s.Hollow.Won == 0 {
		out = append(out, r.text(bot.M("coach.summary.hollow_team_none")))
	} else {
		h := s.Hollow
		out = append(out, r.text(bot.M("coach.summary.hollow_team", i18n.FormatBP(r.loc, h.AnyBP), money(h.WonAmount),
			i18n.FormatBP(r.loc, h.DiscountBP), i18n.FormatBP(r.loc, h.TermsBP), i18n.FormatBP(r.loc, h.UnqualifiedBP))))
	}
	for i, h := range s.HollowReps {
		if i == maxSummaryReps {
			break
		}
		if h.Won == 0 {
			out = append(out, "• "+r.text(bot.M("coach.summary.hollow_none", h.Rep)))
			continue
		}
		out = append(out, "• "+r.text(bot.M("coach.summary.hollow_rep", h.Rep, i18n.FormatBP(r.loc, h.AnyBP), money(h.WonAmount),
			i18n.FormatBP(r.loc, h.DiscountBP), i18n.FormatBP(r.loc, h.TermsBP), i18n.FormatBP(r.loc, h.UnqualifiedBP))))
	}
	for i, m := range s.HollowChurns { // a title, then the deals
		if i > 0 {
			out = append(out, "• "+r.text(m))
		} else {
			out = append(out, r.text(m))
		}
	}
	return out
}

func mdRowsHead(head []string, rows [][]string) ([]string, [][]string) {
	return mdAll(head), mdRows(rows)
}
