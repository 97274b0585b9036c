package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestWritePipelineReps: the sellers' table of `dealpilot report pipeline`
// in both languages (testdata/pipeline_reps_{en,fr}.txt). By hand: the
// team won 2 of 3 closed, €50,000 net; hygiene 1 of 4 open = 2500 bp with 2
// overdue next steps, 1 past close date, 1 missing criteria; 1 of 4 forecast
// deals slipped, €12,500.50 of €50,000 = 2500 bp (rounded from 2500.1);
// €20,000 of the €50,000 won was discounted above 25 %: 4000 bp. Bob won
// nothing, has nothing open and nothing forecast: his hollow share, hygiene
// and slippage are "–", not 0 %.
func TestWritePipelineReps(t *testing.T) {
	team := PipelineRow{Who: "team France",
		Metrics:  coaching.Metrics{Won: 2, Lost: 1, WinRateBP: 6667, WonAmount: 5_000_000, Open: 4, HygieneBP: 2500, OverdueNextSteps: 2, PastCloseDates: 1, MissingCriteria: 1},
		Slippage: forecast.Slip{Forecast: 4, Slipped: 1, ForecastAmount: 5_000_000, SlippedAmount: 1_250_050, RateBP: 2500},
		Hollow:   coaching.Scorecard{Won: 2, WonAmount: 5_000_000, Discount: 2_000_000, Any: 2_000_000, DiscountBP: 4000, AnyBP: 4000}}
	ann := team
	ann.Who, ann.User = "U0ANN", "U0ANN"
	bob := PipelineRow{Who: "U0BOB", User: "U0BOB", Metrics: coaching.Metrics{Lost: 1}}
	p := Pipeline{Scope: "team France", Currency: "EUR", SlipPeriod: forecast.Period{Name: "2026-Q4"}, HollowWinBP: 2500,
		Period: coaching.Period{From: domain.NewDate(2026, 10, 1), To: domain.NewDate(2026, 11, 30)}, Rows: []PipelineRow{team, ann, bob}}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			var out bytes.Buffer
			if err := WritePipelineReps(&out, loc, p); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "pipeline_reps_"+string(loc)+".txt")
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("%s differs (go test -update, then read the diff):\n%s", path, out.String())
			}
		})
	}
}
