package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

func sampleReminder() bot.Reminder {
	deals := sampleDeals()
	// The Léon pilot's 22.50 % discount is approved: its line shows the
	// net, €12,500.50 less €2,812.61 (half up) = €9,687.89.
	deals[1].Discount = 2250
	return bot.Reminder{Rep: "U0REP1", Day: domain.NewDate(2026, 11, 25), More: 2, Deals: []bot.ReminderDeal{
		{Deal: deals[0], Items: []bot.Msg{
			bot.M(coaching.KindOverdue.MessageKey(), "Send <b>proposal</b>", coaching.Day(domain.NewDate(2026, 11, 20))),
			bot.M(coaching.KindStalled.MessageKey(), "Proposal", coaching.Days(310), coaching.Days(140)),
			bot.M(coaching.KindMissing.MessageKey(), "Proposal", coaching.Fields{domain.FieldBudget, domain.FieldTimeline}),
		}},
		{Deal: deals[1], Items: []bot.Msg{
			bot.M(coaching.KindClosePast.MessageKey(), coaching.Day(domain.NewDate(2026, 11, 1))),
			bot.M(coaching.KindPushed.MessageKey(), 3, coaching.Day(domain.NewDate(2027, 1, 31))),
			bot.M(coaching.KindDiscountQual.MessageKey(), domain.Percent(2250), domain.Percent(1500), coaching.Fields{domain.FieldNeed}),
		}},
	}}
}

// sampleTrend compares 2026-08-28…11-25 (90 days) with 2026-05-30…08-27
// and 2025-08-28…11-25, and 2026-Q4's slippage with 2026-Q3's and
// 2025-Q4's. Last year has no closed deal (no win rate) and no Qualification
// entry; the previous period no Discovery entry.
func sampleTrend() bot.Trend {
	p := coaching.Period{From: domain.NewDate(2026, 8, 28), To: domain.NewDate(2026, 11, 25)}
	var tr bot.Trend
	tr.Compared[0], tr.Compared[1] = coaching.Comparisons(p)
	tr.SlipCompared = [2]forecast.Period{
		{Name: "2026-Q3", Kind: forecast.Quarter, Start: domain.NewDate(2026, 7, 1), End: domain.NewDate(2026, 10, 1)},
		{Name: "2025-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2025, 10, 1), End: domain.NewDate(2026, 1, 1)},
	}
	bp := func(v int) coaching.Point { return coaching.Point{Has: true, BP: v} }
	tr.Trends = []coaching.Trend{
		{Figure: coaching.FigureWinRate, Points: [3]coaching.Point{bp(6000), bp(4000), {}}},
		{Figure: coaching.FigureAvgWon, Points: [3]coaching.Point{{Has: true, Amount: 4_000_000}, {Has: true, Amount: 3_000_000}, {Has: true, Amount: 2_500_050}}},
		{Figure: coaching.FigureCycle, Points: [3]coaching.Point{{Has: true, Days: 19}, {Has: true, Days: 28}, {Has: true, Days: 31.5}}},
		{Figure: coaching.FigureConversion, Stage: "Qualification", Points: [3]coaching.Point{bp(6000), bp(5000), {}}},
		{Figure: coaching.FigureConversion, Stage: "Discovery <b>", Points: [3]coaching.Point{bp(6667), {}, bp(7500)}},
		{Figure: coaching.FigureSlippage, Points: [3]coaching.Point{bp(2500), bp(1000), bp(3000)}},
	}
	return tr
}

func sampleSummary() bot.CoachSummary {
	team := sample.PipelineMetrics()
	team.Talks = []coaching.Talk{
		{Deal: 12, Owner: "U0REP1", Amount: 4_800_000, Score: 5 * 4_800_000, Reasons: []coaching.Kind{coaching.KindOverdue, coaching.KindStalled}},
		{Deal: 14, Owner: "U0REP2", Amount: 1_250_050, Score: 3 * 1_250_050, Reasons: []coaching.Kind{coaching.KindClosePast}},
	}
	rep1 := sample.PipelineMetrics()
	rep1.Conversion = sample.Conversion([3]int{5, 2, 4000}, [3]int{2, 2, 10000})
	rep2 := coaching.Metrics{Conversion: sample.Conversion()}
	deals := sampleDeals()
	return bot.CoachSummary{Team: "France", Currency: "EUR",
		Report: coaching.Report{
			Period: coaching.Period{From: domain.NewDate(2026, 8, 28), To: domain.NewDate(2026, 11, 25)},
			Team:   team,
			Reps:   []coaching.RepMetrics{{Rep: "U0REP1", Metrics: rep1}, {Rep: "U0REP2", Metrics: rep2}},
		},
		Deals:      map[domain.DealID]*domain.Deal{12: deals[0], 14: deals[1]},
		SlipPeriod: forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)},
		Trend:      sampleTrend(),
		// Won €120,000: €40,000 above the discount level, €20,000 on
		// non-standard terms (one of them also discounted), €40,000
		// unqualified, €80,000 hollow for at least one cause.
		Hollow: coaching.Scorecard{Won: 3, WonAmount: 12_000_000, Discount: 4_000_000, Terms: 2_000_000, Unqualified: 4_000_000, Any: 8_000_000,
			DiscountBP: 3333, TermsBP: 1667, UnqualifiedBP: 3333, AnyBP: 6667},
		HollowReps: []coaching.Scorecard{
			{Rep: "U0REP1", Won: 3, WonAmount: 12_000_000, Discount: 4_000_000, Terms: 2_000_000, Unqualified: 4_000_000, Any: 8_000_000,
				DiscountBP: 3333, TermsBP: 1667, UnqualifiedBP: 3333, AnyBP: 6667},
			{Rep: "U0REP2"},
		},
		HollowWinBP: 2500,
	}
}

func samplePipeline(scope bot.Msg) bot.Pipeline {
	// Slippage of 2026-Q4: 2 of 9 forecast deals, €30,000 of €120,000 → 25 %.
	return bot.Pipeline{Scope: scope, Currency: "EUR", Metrics: sample.PipelineMetrics(),
		SlipPeriod: forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)},
		Slippage:   forecast.Slip{Forecast: 9, Slipped: 2, ForecastAmount: 12_000_000, SlippedAmount: 3_000_000, RateBP: 2500, Deals: []domain.DealID{12, 14}},
		// Slippage of 2026-11 (the month of the window's last day): 1 of 4, €10,000 of €40,000 → 25 %.
		SlipMonth:     forecast.Period{Name: "2026-11", Kind: forecast.Month, Start: domain.NewDate(2026, 11, 1), End: domain.NewDate(2026, 12, 1)},
		SlippageMonth: forecast.Slip{Forecast: 4, Slipped: 1, ForecastAmount: 4_000_000, SlippedAmount: 1_000_000, RateBP: 2500, Deals: []domain.DealID{14}},
		Period:        coaching.Period{From: domain.NewDate(2026, 8, 28), To: domain.NewDate(2026, 11, 25)},
		Trend:         sampleTrend()}
}

func TestRenderCoachingGolden(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			golden(t, "coach_reminder_"+string(loc), renderReply(loc, sampleReminder()))
			golden(t, "coach_summary_"+string(loc), renderReply(loc, sampleSummary()))
			golden(t, "pipeline_team_"+string(loc), renderReply(loc, samplePipeline(bot.M("pipeline.scope.team", "France"))))
			golden(t, "pipeline_user_"+string(loc), renderReply(loc, samplePipeline(bot.M("raw", domain.UserID("U0REP1")))))
			// Three deals in another currency left out: one more line.
			skipped := samplePipeline(bot.M("pipeline.scope.team", "France"))
			skipped.Skipped = 3
			golden(t, "pipeline_skipped_"+string(loc), renderReply(loc, skipped))
		})
	}
}

func TestRenderReminderEscapesAndFits(t *testing.T) {
	r := sampleReminder()
	raw, _ := json.Marshal(renderReply(i18n.EN, r))
	for _, bad := range []string{"<!channel>", "<b>"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("reminder contains %q unescaped", bad)
		}
	}
	// The fullest reminder the bot builds stays within Slack's 50 blocks.
	var full bot.Reminder
	for i := range 20 {
		d := *sampleDeals()[1]
		d.ID = domain.DealID(i + 1)
		full.Deals = append(full.Deals, bot.ReminderDeal{Deal: &d, Items: r.Deals[1].Items})
	}
	full.More = 5
	if m := renderReply(i18n.EN, full); len(m.Blocks) > maxMessageBlocks {
		t.Errorf("%d blocks, Slack allows %d", len(m.Blocks), maxMessageBlocks)
	}
}
