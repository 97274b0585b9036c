package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestDealCardCarriesSlacksContent: the deal card shows what Slack's does:
// the qualification, when the next step is due (or that there is none),
// the mutual action plan, won or lost (and to whom), and Update, Next step,
// Request discount and History; a closed deal keeps Update and History.
func TestDealCardCarriesSlacksContent(t *testing.T) {
	r := renderer{loc: i18n.EN, name: func(domain.UserID) string { return "Léa Martin" }}
	tt := func(key string, args ...any) string { return r.text(bot.M(key, args...)) }
	buttons := func(c card) string {
		var b []string
		for _, a := range asList(c["actions"]) {
			b = append(b, a["title"].(string))
		}
		return strings.Join(b, ",")
	}
	d := fixtureDeal()
	d.Need, d.Budget = "Renew 200 seats", "Approved"
	d.NextStepDue = domain.NewDate(2026, 12, 9)
	plan := desk.Plan{Milestones: []desk.Milestone{{What: "Security review", Side: desk.Customer, Due: domain.NewDate(2026, 12, 1), Done: true}, {What: "Order form", Side: desk.Ours, Due: domain.NewDate(2026, 12, 10)}}}
	c := r.dealCard(bot.Card{Deal: d, Today: today, Plan: plan})
	got := cardText(checkCard(t, "an open deal's card", c))
	wantIn(t, "an open deal's card", got, "Renew 200 seats", "Approved", r.label(domain.FieldDecisionMakers), tt("due.in_days", 2, d.NextStepDue),
		i18n.T(i18n.EN, "deskbot.plan.progress", 1, 2), "☑", "Order form")
	if b := buttons(c); b != "Update,Next step,Request discount,History" {
		t.Errorf("an open deal's buttons: %s", b)
	}

	d.NextStep = ""
	wantIn(t, "a card without a next step", cardText(checkCard(t, "", r.dealCard(bot.Card{Deal: d, Today: today}))), tt("card.no_next_step", bot.Bold(bot.M("card.no_next_step.title"))))

	won := *d
	won.Status = domain.Won
	c = r.dealCard(bot.Card{Deal: &won, Today: today})
	got = cardText(checkCard(t, "a won deal's card", c))
	wantIn(t, "a won deal's card", got, i18n.T(i18n.EN, "card.won"))
	if b := buttons(c); b != "Update,History" || strings.Contains(got, tt("card.no_next_step", bot.Bold(bot.M("card.no_next_step.title")))) {
		t.Errorf("a won deal's buttons %s, or a next step asked:\n%s", b, got)
	}
	lost := *d
	lost.Status, lost.LossReason, lost.Competitor = domain.Lost, "price", "Rival Inc"
	wantIn(t, "a lost deal's card", cardText(checkCard(t, "", r.dealCard(bot.Card{Deal: &lost, Today: today}))), "price", tt("card.competitor", "Rival Inc"))
}

// TestReminderAndSummaryCarrySlacksContent: the reminder has Slack's title,
// greeting, each deal's account, amount and stage, the deals left for
// another day and how to stop them; the Monday summary has the period's
// figures, each rep's line and the deals worth a conversation.
func TestReminderAndSummaryCarrySlacksContent(t *testing.T) {
	r := digestRenderer(i18n.EN, 2)
	d := fixtureDeal()
	got := cardText(checkCard(t, "a reminder", r.reminder(bot.Reminder{Rep: d.Owner, Day: today, More: 2,
		Deals: []bot.ReminderDeal{{Deal: d, Items: []bot.Msg{bot.M("nudge.no_next_step")}}}})))
	wantIn(t, "a reminder", got, r.text(bot.M("coach.reminder.title", 3)), r.text(bot.M("coach.reminder.intro")), "Acme · €48,000 · proposal",
		"• "+r.text(bot.M("nudge.no_next_step")), r.text(bot.M("coach.reminder.more", 2)), r.text(bot.M("coach.reminder.footer")))

	m := sample.PipelineMetrics()
	m.Talks = []coaching.Talk{{Deal: d.ID, Owner: repID(0), Amount: d.Amount, Reasons: []coaching.Kind{coaching.KindStalled}}}
	s := bot.CoachSummary{Team: "France", Currency: "EUR", Deals: map[domain.DealID]*domain.Deal{d.ID: d},
		Report: coaching.Report{Period: coaching.Period{From: domain.NewDate(2026, 10, 1), To: domain.NewDate(2026, 12, 1)}, Team: m,
			Reps: []coaching.RepMetrics{{Rep: repID(1), Metrics: m}}}}
	got = cardText(checkCard(t, "a summary", r.coachSummary(s)))
	wantIn(t, "a summary", got, "Oct 1, 2026 to Dec 1, 2026", "Rep 02", "**"+d.ID.Ref()+" · Acme renewal**", "Rep 01", r.text(bot.M("coach.reason.stalled")),
		r.text(bot.M("coach.summary.talks")))
}

// TestDealCardButtonsOpenTheirForms: on Teams, the deal card's Update and
// Request discount open their form in a dialog at once, as Slack's buttons
// open the modal.
func TestDealCardButtonsOpenTheirForms(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.Message(e.lea, conv, "deal show D-1"))
	posted := e.srv.Posted(conv)
	cardAct := posted[len(posted)-1]
	for i, want := range map[int]string{0: e.app.r.text(bot.M("form.update.title", "D-1")), 2: e.app.r.text(bot.M("deskbot.form.title", "D-1"))} {
		d := e.deliver(e.srv.TaskFetch(e.lea, conv, cardAct.ID, actionData(t, cardAct.Attachments[0].Content, i)))
		if got := dialogText(t, d.Body); !strings.HasPrefix(got, want+"\n") {
			t.Errorf("button %d opened %q, want the dialog %q", i, got, want)
		}
	}
}
