package report

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// samplePipeline is team France's sheet over 2026-08-28…11-25: the sample
// metrics, and slippage of 2026-Q4 (2 of 9 forecast deals, €30,000 of
// €120,000 → 25 %) and of 2026-11 (1 of 4, €10,000 of €40,000 → 25 %).
func samplePipeline() Pipeline {
	return Pipeline{Scope: "team France", Currency: "EUR",
		Period:     coaching.Period{From: domain.NewDate(2026, 8, 28), To: domain.NewDate(2026, 11, 25)},
		SlipPeriod: forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)},
		SlipMonth:  forecast.Period{Name: "2026-11", Kind: forecast.Month, Start: domain.NewDate(2026, 11, 1), End: domain.NewDate(2026, 12, 1)},
		Rows: []PipelineRow{{Who: "team France", Metrics: sample.PipelineMetrics(),
			Slippage:      forecast.Slip{Forecast: 9, Slipped: 2, ForecastAmount: 12_000_000, SlippedAmount: 3_000_000, RateBP: 2500},
			SlippageMonth: forecast.Slip{Forecast: 4, Slipped: 1, ForecastAmount: 4_000_000, SlippedAmount: 1_000_000, RateBP: 2500}}},
	}
}

func TestPipelineTextHasEveryKPI(t *testing.T) {
	got := PipelineText(i18n.EN, samplePipeline())
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
	few := coaching.Metrics{Conversion: sample.WithLosses(sample.Conversion([3]int{9, 1, 1111}, [3]int{4, 2, 5000}), [3]int{0, 8, 0}, [3]int{2, 0, 5000})}
	none := coaching.Metrics{Conversion: sample.Conversion([3]int{6, 6, 10000})}
	for _, c := range []struct {
		name string
		loc  i18n.Locale
		m    coaching.Metrics
		want string
	}{
		{"named en", i18n.EN, sample.PipelineMetrics(), "Deals are lost most after Discovery: 2 of 8 exits (25%)."},
		{"named fr", i18n.FR, sample.PipelineMetrics(), "Les affaires se perdent surtout après Discovery : 2 sorties sur 8 (25\u202f%)."},
		{"too few exits en", i18n.EN, few, "No stage has 5 exits yet (moved on or lost): too few to say where deals are lost."},
		{"too few exits fr", i18n.FR, few, "Aucune étape n'a encore 5 sorties (avancées ou perdues) : trop peu pour dire où les affaires se perdent."},
		{"no loss en", i18n.EN, none, "No deal was lost after a stage with 5 exits or more."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := PipelineLeak(c.loc, c.m); got != c.want {
				t.Errorf("leak line = %q\nwant        %q", got, c.want)
			}
		})
	}
}

// TestPipelineSlippageNothingForecast: a period with no deal forecast says
// so instead of "0% of €0 (0 of 0 deals)".
func TestPipelineSlippageNothingForecast(t *testing.T) {
	p := samplePipeline()
	p.Rows[0].SlippageMonth = forecast.Slip{}
	for loc, want := range map[i18n.Locale]string{i18n.EN: "nothing forecast for 2026-11", i18n.FR: "rien de prévu pour 2026-11"} {
		out := PipelineText(loc, p)
		if !strings.Contains(out, want) || strings.Contains(out, "0 of 0") {
			t.Errorf("%s: %s", loc, out)
		}
	}
}
