package teams

// The deal card, with what Slack's shows (bot/slack/render_deal.go): the
// won or lost status, the key figures, the qualification, the next step
// and when it is due, the mutual action plan, the last change, and the
// buttons Update, Next step and Request discount (each opening its form
// in a dialog) and History.

import (
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// planShown bounds the milestones a card lists; the rest are counted.
const planShown = 15

func (r renderer) dealCard(c bot.Card) card {
	d := c.Deal
	var body []any
	for _, n := range r.msgs(c.Note) {
		body = append(body, textBlock(n))
	}
	body = append(body, title(d.ID.Ref()+" · "+md(d.Name)), subtle(md(d.Account)))
	switch d.Status {
	case domain.Won:
		body = append(body, textBlock(withGlyph(bot.IconWon, "**"+md(i18n.T(r.loc, "card.won"))+"**")))
	case domain.Lost:
		status := r.text(bot.M("card.lost", bot.Bold(bot.M("card.lost.title")), orDash(d.LossReason)))
		if d.Competitor != "" {
			status += " · " + r.text(bot.M("card.competitor", d.Competitor))
		}
		body = append(body, textBlock(status))
	}
	fs := [][2]string{
		{r.label(domain.FieldAmount), md(i18n.FormatAmount(r.loc, d.Amount, d.Currency)) + r.net(d)},
		{r.label(domain.FieldStage), md(d.Stage)},
		{r.label(domain.FieldCategory), md(i18n.Localize(r.loc, d.Category))},
		{r.label(domain.FieldCloseDate), md(i18n.Localize(r.loc, d.CloseDate))},
		{r.label(domain.FieldOwner), r.person(d.Owner)},
	}
	for _, f := range []domain.Field{domain.FieldNeed, domain.FieldDecisionMakers, domain.FieldBudget, domain.FieldTimeline, domain.FieldRisk} {
		fs = append(fs, [2]string{r.label(f), md(d.Get(f))})
	}
	body = append(body, facts(fs))
	if lines := r.msgs(c.Segments.Lines()); len(lines) > 0 { // segments (issue 21)
		body = append(body, subtle(strings.Join(lines, " · ")))
	}
	if m, ok := bot.ContractMsg(d); ok { // type, term, ARR (issue 20)
		body = append(body, textBlock(r.text(m)))
	}
	if d.Status == domain.Open {
		if strings.TrimSpace(d.NextStep) == "" {
			body = append(body, textBlock(r.text(bot.M("card.no_next_step", bot.Bold(bot.M("card.no_next_step.title"))))))
		} else {
			body = append(body, textBlock(r.text(bot.M("card.next_step", bot.Bold(bot.M("card.next_step.title")), cardDue(r, d.NextStepDue, c.Today)))+"\n"+md(d.NextStep)))
		}
	}
	if p := c.Plan; len(p.Milestones) > 0 {
		body = append(body, textBlock(r.plan(p)))
	}
	if e := c.LastChange; e != nil {
		body = append(body, subtle(r.change(*e, d.Currency)+" · "+r.person(e.By)+" · "+i18n.Localize(r.loc, domain.DateOf(e.At))))
	}
	id := strconv.FormatUint(uint64(d.ID), 10)
	actions := []any{withStyle(r.dialogButton(i18n.T(r.loc, "card.button.update"), bot.ActionUpdate, id), "positive")}
	if d.Status == domain.Open {
		actions = append(actions,
			r.dialogButton(i18n.T(r.loc, "card.button.next_step"), bot.ActionNextStep, id),
			r.dialogButton(i18n.T(r.loc, "card.button.discount"), bot.ActionDiscount, id))
	}
	actions = append(actions, command(i18n.T(r.loc, "card.button.history"), "deal history "+d.ID.Ref()))
	return newCard(body, actions)
}

// cardDue says when a next step is due, seen from today, as Slack's card
// does: overdue in bold, today, tomorrow, in N days.
func cardDue(r renderer, due, today domain.Date) any {
	switch {
	case due.IsZero():
		return bot.M("due.none")
	case today.IsZero():
		return bot.M("due.on", due)
	case due.Before(today):
		return bot.Bold(bot.M("due.overdue", due))
	}
	switch n := today.DaysUntil(due); n {
	case 0:
		return bot.M("due.today")
	case 1:
		return bot.M("due.tomorrow")
	default:
		return bot.M("due.in_days", n, due)
	}
}

// plan is a mutual action plan: its progress, then each milestone by date.
func (r renderer) plan(p desk.Plan) string {
	done, total := p.Progress()
	lines := []string{"**" + md(i18n.T(r.loc, "desk.field.plan")) + "** · " + md(i18n.T(r.loc, "deskbot.plan.progress", done, total))}
	ms := p.Sorted()
	for i, m := range ms {
		if i == planShown {
			lines = append(lines, md(i18n.T(r.loc, "deskbot.plan.more", len(ms)-i)))
			break
		}
		box := "☐"
		if m.Done {
			box = "☑"
		}
		lines = append(lines, box+" "+md(i18n.Localize(r.loc, m.Due))+" · "+md(i18n.Localize(r.loc, m.Side))+" · "+md(m.What))
	}
	return strings.Join(lines, "\n")
}
