package teams

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
)

// reviewConfig is the end-to-end configuration with segments and an ICP,
// two closed deals enough evidence (min_deals: 2).
const reviewConfig = e2eConfig + `segments:
  - { name: industry, values: [retail, software] }
icp:
  industry: [retail]
  min_deals: 2
`

// closedDeal stores a deal of Léa's of industry, created on created and
// won or lost on closed, each at 10:00 UTC, as the store saw it then.
func (e *e2e) closedDeal(industry, created, closed string, status domain.Status) {
	e.t.Helper()
	back := e.clock.Now()
	defer e.clock.Set(back)
	day := func(s string) time.Time {
		d, err := domain.ParseISODate(s)
		if err != nil {
			e.t.Fatal(err)
		}
		return d.Time(time.UTC).Add(10 * time.Hour)
	}
	e.clock.Set(day(created))
	nd := &domain.Deal{Name: industry + " " + created, Account: industry + " SA", Owner: leaAAD, Amount: 1_000_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.DateOf(day(closed)), Status: domain.Open}
	nd.SetAttr("industry", industry)
	d, err := e.db.CreateDeal(e.ctx, nd, leaAAD, "")
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Set(day(closed))
	if _, _, err := e.db.UpdateDeal(e.ctx, d.ID, 0, leaAAD, func(x *domain.Deal) error {
		x.Status = status
		if status == domain.Lost {
			x.LossReason = "price"
		}
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

// reviewButtons are the Accept and Dismiss buttons (Action.Execute) of
// each proposal of a review card, in order: verb and data.
func reviewButtons(t *testing.T, content json.RawMessage) (accept, dismiss []map[string]any) {
	t.Helper()
	var c struct {
		Body []struct {
			Actions []struct {
				Verb string         `json:"verb"`
				Data map[string]any `json:"data"`
			} `json:"actions"`
		} `json:"body"`
	}
	if err := json.Unmarshal(content, &c); err != nil {
		t.Fatal(err)
	}
	for _, b := range c.Body {
		for _, a := range b.Actions {
			switch a.Verb {
			case bot.ActionICPAccept:
				accept = append(accept, a.Data)
			case bot.ActionICPDismiss:
				dismiss = append(dismiss, a.Data)
			}
		}
	}
	return accept, dismiss
}

// TestICPReviewButtonsOnTeams: the quarterly ICP review on Teams, as on
// Slack (TestICPReviewOnceWithButtons). On 2026-12-07 the review of
// 2026-Q3 goes to Marc, France's manager, as a DM card, once: another
// tick, then a restart and a tick, send nothing more. Its Accept and
// Dismiss work (Action.Execute): Léa, a rep, is refused; Marc accepts the
// first proposal (told which line to change), dismisses the second, and a
// second decision on the first is refused; the decisions are kept.
//
// By hand (min_deals 2, stop_pct 50): retail (in the ICP) won 2 of 2 in
// 2026-Q1 and 0 of 2 in 2026-Q3: 0% ≤ 50% of 100% → remove retail;
// software won 2 of 2 in 2026-Q3, above the fit deals' 0% (2 closed) →
// add software.
func TestICPReviewButtonsOnTeams(t *testing.T) {
	e := newE2E(t)
	e.restart(reviewConfig)
	for range 2 {
		e.closedDeal("retail", "2026-01-12", "2026-02-20", domain.Won)
		e.closedDeal("retail", "2026-07-06", "2026-08-17", domain.Lost)
		e.closedDeal("software", "2026-07-06", "2026-08-17", domain.Won)
	}
	mconv := e.srv.PersonalConversation(e.marc.ID)
	e.deliver(e.srv.ConversationUpdate(e.marc, mconv, e.srv.Bot()))                               // installed: the bot may DM him
	e.deliver(e.srv.ConversationUpdate(e.lea, e.srv.PersonalConversation(e.lea.ID), e.srv.Bot())) // and Léa her reminder
	reviews := func() []teamstest.Activity {
		var out []teamstest.Activity
		for _, p := range e.srv.Posted(mconv) {
			if len(p.Attachments) > 0 && strings.Contains(cardText(p.Attachments[0].Content), "Quarterly ICP review") {
				out = append(out, p)
			}
		}
		return out
	}
	tick := func() {
		t.Helper()
		for _, err := range e.bot.Tick(e.ctx, e.app) {
			t.Errorf("tick: %v", err)
		}
	}
	tick()
	got := reviews()
	if len(got) != 1 {
		t.Fatalf("%d reviews to Marc, want 1:\n%s", len(got), e.srv.TranscriptText())
	}
	review := got[0]
	wantIn(t, "the review", cardText(review.Attachments[0].Content), "Quarterly ICP review · France · 2026-Q3",
		"Remove Industry: retail from the ICP: it stopped winning. It won 0% of 2 closed deals in 2026-Q3",
		"Add Industry: software to the ICP. It won 100% of 2 closed deals in 2026-Q3", "Accept", "Dismiss")

	tick()
	e.reopen()
	tick()
	if n := len(reviews()); n != 1 {
		t.Fatalf("%d reviews after a tick and a restart, want 1", n)
	}

	accept, dismiss := reviewButtons(t, review.Attachments[0].Content)
	if len(accept) != 2 || len(dismiss) != 2 {
		t.Fatalf("buttons: %d Accept, %d Dismiss, want 2 each:\n%s", len(accept), len(dismiss), review.Attachments[0].Content)
	}
	// Léa never sees Marc's card: only a tampered client sends her click.
	refused := executeText(t, e.deliverCrafted(e.srv.Execute(e.lea, mconv, review.ID, bot.ActionICPAccept, accept[0])))
	wantIn(t, "Léa's click", refused, "Only the team's manager or an admin decides the ICP review.")
	wantIn(t, "Marc's Accept", executeText(t, e.deliver(e.srv.Execute(e.marc, mconv, review.ID, bot.ActionICPAccept, accept[0]))),
		"Proposal remove Industry: retail: Accepted by Marc Dubois", "remove industry: from icp:")
	wantIn(t, "Marc's Dismiss", executeText(t, e.deliver(e.srv.Execute(e.marc, mconv, review.ID, bot.ActionICPDismiss, dismiss[1]))),
		"Proposal add Industry: software: Dismissed by Marc Dubois")
	wantIn(t, "a second decision", executeText(t, e.deliver(e.srv.Execute(e.marc, mconv, review.ID, bot.ActionICPDismiss, dismiss[0]))),
		"This proposal was already decided: Accepted by Marc Dubois")

	p, ok, err := e.db.ICPReview(e.ctx, "2026-Q3", "France")
	if err != nil || !ok || len(p.Proposals) != 2 || p.Proposals[0].Decision != "accepted" || p.Proposals[0].By != marcAAD ||
		p.Proposals[1].Decision != "dismissed" || p.PostedAt.IsZero() {
		t.Fatalf("kept review = %+v, %v, %v", p, ok, err)
	}
}
