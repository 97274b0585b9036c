package slack

import (
	"encoding/json"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// accuracyFixture is the months of domain/forecast/testdata/accuracy_h1_2027.txt
// judged on 2027-07-05 (2027-03 .. 2027-06), as /forecast accuracy month
// shows them to North's manager: each cell the call's signed error at the
// start / at M-1, nil where no call stood.
func accuracyFixture() bot.ForecastAccuracy {
	periods := []string{"2027-03", "2027-04", "2027-05", "2027-06"}
	pt := func(bp *int) *forecast.Accuracy {
		if bp == nil {
			return &forecast.Accuracy{}
		}
		return &forecast.Accuracy{HasCall: true, ErrorBP: *bp}
	}
	n := func(v int) *int { return &v }
	row := func(user domain.UserID, team string, start, m1 []*int, sb, mb forecast.Bias) forecast.AccuracyRow {
		r := forecast.AccuracyRow{User: user, Team: team, StartBias: sb, M1Bias: mb}
		for i, p := range periods {
			r.Cells = append(r.Cells, forecast.AccuracyCell{Period: p, Start: pt(start[i]), M1: pt(m1[i])})
		}
		return r
	}
	// ana won nothing in March and May: her calls of 15,000 (March's
	// start) and 12,000 (May's start and M-1) cannot be measured.
	ana := row("U0ANA", "North", []*int{nil, n(1000), nil, n(2000)}, []*int{n(0), n(500), nil, n(500)}, forecast.BiasOver, forecast.BiasOver)
	na := func(euros int64) *forecast.Accuracy {
		return &forecast.Accuracy{HasCall: true, Called: euros * 100, Unmeasurable: true}
	}
	ana.Cells[0].Start, ana.Cells[2].Start, ana.Cells[2].M1 = na(15_000), na(12_000), na(12_000)
	return bot.ForecastAccuracy{Title: bot.M("forecast.accuracy.title_team", "North", bot.M("forecast.accuracy.kind.month")),
		Kind: forecast.Month, Currency: "EUR", Periods: periods,
		Rows: []report.AccuracyRow{
			{Label: "U0ANA", Row: ana},
			{Label: "U0BEN", Row: row("U0BEN", "North", []*int{n(-2500), n(-2000), nil, n(-1000)}, []*int{n(-2500), n(-500), n(-1250), n(0)}, forecast.BiasUnder, forecast.BiasUnder)},
			{Label: "U0CY", Row: row("U0CY", "North", []*int{nil, nil, nil, nil}, []*int{nil, nil, nil, n(0)}, forecast.BiasUnknown, forecast.BiasUnknown)},
			{Label: "North", Row: row("", "North", []*int{nil, nil, n(2500), n(-909)}, []*int{nil, nil, n(2500), n(-909)}, forecast.BiasMixed, forecast.BiasMixed)},
		}}
}

func TestRenderAccuracyGolden(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			golden(t, "forecast_accuracy_"+string(loc), renderReply(loc, accuracyFixture()))
			// A rep's own, before any month closed with a call or a snapshot.
			golden(t, "forecast_accuracy_none_"+string(loc), renderReply(loc, bot.ForecastAccuracy{
				Title: bot.M("forecast.accuracy.title_rep", domain.UserID("U0ANA"), bot.M("forecast.accuracy.kind.month")), Kind: forecast.Month, Currency: "EUR"}))
		})
	}
}

// TestRenderAccuracyNobodyLeans: reps measured, none labelled: the reply
// says so rather than naming no one.
func TestRenderAccuracyNobodyLeans(t *testing.T) {
	a := accuracyFixture()
	a.Rows = a.Rows[2:] // cy (unknown) and the team
	b, err := json.Marshal(renderReply(i18n.EN, a))
	if err != nil {
		t.Fatal(err)
	}
	if !contains(string(b), "No over-caller or sandbagger at the start over these periods.") {
		t.Errorf("does not say nobody leans: %s", b)
	}
	if contains(string(b), "Over-call at the start") {
		t.Errorf("names over-callers: %s", b)
	}
}
