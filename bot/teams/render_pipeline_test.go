package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestPipelineCardsCarrySlacksContent: /pipeline's card has Slack's stage
// table and period besides the figures; the losses' card is titled as
// losses, gives the total, names reps (never by id), caps a long
// breakdown with one "more" row, and ends with the rules; /forecast
// accuracy names reps and who over-calls or sandbags.
func TestPipelineCardsCarrySlacksContent(t *testing.T) {
	r := digestRenderer(i18n.EN, 30)
	q4 := forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)}
	period := coaching.Period{From: domain.NewDate(2026, 10, 1), To: domain.NewDate(2026, 12, 1)}

	c, _, _ := r.render(bot.Pipeline{Scope: bot.M("pipeline.scope.team", "France"), Currency: "EUR", Metrics: sample.PipelineMetrics(), SlipPeriod: q4, Period: period})
	got := cardText(checkCard(t, "/pipeline", c))
	head, _ := report.PipelineStages(i18n.EN, sample.PipelineMetrics(), "EUR")
	wantIn(t, "/pipeline", got, r.text(bot.M("pipeline.period", coaching.Day(period.From), coaching.Day(period.To))), head[1], "Discovery")

	losses := coaching.Losses{Period: period, Deals: 30, Amount: 300_000_00,
		ByReason: []coaching.LossRow{{Key: "price", Deals: 30, Amount: 300_000_00, DealsBP: 10000, AmountBP: 10000, Listed: true}}}
	for i := range 30 {
		losses.ByRep = append(losses.ByRep, coaching.LossRow{Key: string(repID(i)), Deals: 1, Amount: 10_000_00, DealsBP: 333, AmountBP: 333})
	}
	c, _, _ = r.render(bot.PipelineLosses{Scope: bot.M("pipeline.scope.team", "France"), Currency: "EUR", Losses: losses})
	got = cardText(checkCard(t, "/pipeline losses", c))
	wantIn(t, "/pipeline losses", got, r.text(bot.M("losses.title", bot.M("pipeline.scope.team", "France"))),
		r.text(bot.M("losses.total", 30, domain.Money{Minor: 300_000_00, Currency: "EUR"}, coaching.Day(period.From), coaching.Day(period.To))),
		"Rep 01", "Rep 19", md(i18n.T(i18n.EN, "losses.more", 11)), md(i18n.T(i18n.EN, "losses.rule")))
	if strings.Contains(got, string(repID(0))) || strings.Contains(got, "Rep 20\n") {
		t.Errorf("the losses show a rep's id, or more than %d rows of a breakdown:\n%s", maxLossRows, got)
	}

	acc := bot.ForecastAccuracy{Title: bot.M("forecast.title_team", "France", "2026-Q4"), Kind: forecast.Quarter, Currency: "EUR", Periods: []string{"2026-Q3"},
		Rows: []report.AccuracyRow{
			{Label: string(repID(0)), Row: forecast.AccuracyRow{User: repID(0), Cells: make([]forecast.AccuracyCell, 1), StartBias: forecast.BiasOver}},
			{Label: "France", Row: forecast.AccuracyRow{Team: "France", Cells: make([]forecast.AccuracyCell, 1)}}}}
	c, _, _ = r.render(acc)
	got = cardText(checkCard(t, "/forecast accuracy", c))
	wantIn(t, "/forecast accuracy", got, r.text(bot.M("forecast.accuracy.definition")), "Rep 01\n", r.text(bot.M("forecast.accuracy.over", domain.UserList{repID(0)})))
	if strings.Contains(got, string(repID(0))) {
		t.Errorf("/forecast accuracy shows a rep's id:\n%s", got)
	}
}

// TestNoQuotaAnyone: a team where no one has a quota says so under its
// figures, naming everyone.
func TestNoQuotaAnyone(t *testing.T) {
	d := digestFixture(t, 3, func(int) bool { return false })
	r := digestRenderer(i18n.FR, 3)
	got := cardText(checkCard(t, "the digest", r.digest(d).card))
	wantIn(t, "the digest", got, r.text(bot.M("forecast.no_quota_any", d.NoQuota)))
}
