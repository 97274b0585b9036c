package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

func sampleReminder() bot.Reminder {
	deals := sampleDeals()
	return bot.Reminder{Rep: "U0REP1", Day: domain.NewDate(2026, 11, 25), More: 2, Deals: []bot.ReminderDeal{
		{Deal: deals[0], Items: []bot.Msg{
			bot.M(coaching.KindOverdue.MessageKey(), "Send <b>proposal</b>", coaching.Day(domain.NewDate(2026, 11, 20))),
			bot.M(coaching.KindStalled.MessageKey(), "Proposal", coaching.Days(310), coaching.Days(140)),
			bot.M(coaching.KindMissing.MessageKey(), "Proposal", coaching.Fields{domain.FieldBudget, domain.FieldTimeline}),
		}},
		{Deal: deals[1], Items: []bot.Msg{
			bot.M(coaching.KindClosePast.MessageKey(), coaching.Day(domain.NewDate(2026, 11, 1))),
			bot.M(coaching.KindPushed.MessageKey(), 3, coaching.Day(domain.NewDate(2027, 1, 31))),
			bot.M(coaching.KindDiscountQual.MessageKey(), coaching.Percent(2250), coaching.Percent(1500), coaching.Fields{domain.FieldNeed}),
		}},
	}}
}

func stageConv(rates ...[3]int) []coaching.Conversion {
	names := []string{"Discovery", "Qualification", "Proposal", "Negotiation"}
	out := make([]coaching.Conversion, len(names))
	for i, n := range names {
		out[i].Stage = n
		if i < len(rates) {
			out[i].Entered, out[i].Advanced, out[i].RateBP = rates[i][0], rates[i][1], rates[i][2]
		}
	}
	return out
}

// withLosses sets each stage's {lost, open, loss rate in bp}.
func withLosses(c []coaching.Conversion, rows ...[3]int) []coaching.Conversion {
	for i, r := range rows {
		c[i].Lost, c[i].Open, c[i].LossBP = r[0], r[1], r[2]
	}
	return c
}

func samplePipelineMetrics() coaching.Metrics {
	return coaching.Metrics{
		Won: 3, Lost: 2, WinRateBP: 6000,
		// Lost, still open: Discovery 2, 2 (2 of 8 exits, 25 %), Qualification
		// 1, 1 (1 of 5, 20 %), Proposal 2, 1 (2 of 3, 66.67 %: too few exits
		// to be named). The leak line names Discovery.
		Conversion: withLosses(stageConv([3]int{10, 6, 6000}, [3]int{6, 4, 6667}, [3]int{4, 1, 2500}, [3]int{1, 1, 10000}),
			[3]int{2, 2, 2500}, [3]int{1, 1, 2000}, [3]int{2, 1, 6667}),
		WonAmount: 12_000_000, AvgWonAmount: 4_000_000,
		CycleMedianDays: 42, CycleMeanDays: 47.5,
		AvgDiscountBP: 1250,
		Open:          7, Stalled: 2, Healthy: 5, HygieneBP: 7143, OverdueNextSteps: 1, PastCloseDates: 1, MissingCriteria: 1,
		PerStage: []coaching.StageCount{{Stage: "Discovery", Deals: 3, Amount: 6_000_000}, {Stage: "Qualification", Deals: 2, Amount: 5_500_000}, {Stage: "Proposal", Deals: 1, Amount: 4_800_000}, {Stage: "Negotiation", Deals: 1, Amount: 2_000_000}},
	}
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
	team := samplePipelineMetrics()
	team.Talks = []coaching.Talk{
		{Deal: 12, Owner: "U0REP1", Amount: 4_800_000, Score: 5 * 4_800_000, Reasons: []coaching.Kind{coaching.KindOverdue, coaching.KindStalled}},
		{Deal: 14, Owner: "U0REP2", Amount: 1_250_050, Score: 3 * 1_250_050, Reasons: []coaching.Kind{coaching.KindClosePast}},
	}
	rep1 := samplePipelineMetrics()
	rep1.Conversion = stageConv([3]int{5, 2, 4000}, [3]int{2, 2, 10000})
	rep2 := coaching.Metrics{Conversion: stageConv()}
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
	return bot.Pipeline{Scope: scope, Currency: "EUR", Metrics: samplePipelineMetrics(),
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

func TestPipelineTextHasEveryKPI(t *testing.T) {
	got := PipelineText(i18n.EN, samplePipeline(bot.M("pipeline.scope.team", "France")))
	for _, want := range []string{"Pipeline · team France", "Win rate", "60% (3 won, 2 lost)", "€40,000", "42 days median, 47.5 mean",
		"25% of €120,000 forecast for 2026-Q4 (2 of 9 deals, €30,000, moved to a later period)", "12.5%", "hygiene 71.43% (overdue next steps: 1 · past close dates: 1 · missing criteria: 1)", "| Proposal", "25%", "Deals are lost most after Discovery: 2 of 8 exits"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

// TestPipelineLeakLine: the leak line names a stage only when one has
// enough exits, and says which of the two reasons holds when none is named.
func TestPipelineLeakLine(t *testing.T) {
	few := coaching.Metrics{Conversion: withLosses(stageConv([3]int{9, 1, 1111}, [3]int{4, 2, 5000}), [3]int{0, 8, 0}, [3]int{2, 0, 5000})}
	none := coaching.Metrics{Conversion: stageConv([3]int{6, 6, 10000})}
	for _, c := range []struct {
		name string
		loc  i18n.Locale
		m    coaching.Metrics
		want string
	}{
		{"named en", i18n.EN, samplePipelineMetrics(), "Deals are lost most after Discovery: 2 of 8 exits (25%)."},
		{"named fr", i18n.FR, samplePipelineMetrics(), "Les affaires se perdent surtout après Discovery : 2 sorties sur 8 (25\u202f%)."},
		{"too few exits en", i18n.EN, few, "No stage has 5 exits yet (moved on or lost): too few to say where deals are lost."},
		{"too few exits fr", i18n.FR, few, "Aucune étape n'a encore 5 sorties (avancées ou perdues) : trop peu pour dire où les affaires se perdent."},
		{"no loss en", i18n.EN, none, "No deal was lost after a stage with 5 exits or more."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := pipelineLeak(c.loc, c.m); got != c.want {
				t.Errorf("leak line = %q\nwant        %q", got, c.want)
			}
		})
	}
}

// TestPipelineSlippageNothingForecast: a period with no deal forecast says
// so instead of "0% of €0 (0 of 0 deals)".
func TestPipelineSlippageNothingForecast(t *testing.T) {
	p := samplePipeline(bot.M("pipeline.scope.team", "France"))
	p.SlippageMonth = forecast.Slip{}
	for loc, want := range map[i18n.Locale]string{i18n.EN: "nothing forecast for 2026-11", i18n.FR: "rien de prévu pour 2026-11"} {
		out := PipelineText(loc, p)
		if !strings.Contains(out, want) || strings.Contains(out, "0 of 0") {
			t.Errorf("%s: %s", loc, out)
		}
	}
}
