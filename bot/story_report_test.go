package bot_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// storyBlock is the fenced block "```csv name" of the story, line by line.
func storyBlock(t *testing.T, name string) []string {
	t.Helper()
	raw, err := os.ReadFile(storyFile)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "```csv "+name+"\n")
	if !ok {
		t.Fatalf("%s has no ```csv %s block", storyFile, name)
	}
	block, _, _ := strings.Cut(rest, "```")
	return strings.Split(strings.TrimSuffix(block, "\n"), "\n")
}

// checkStoryReport: `dealpilot report pipeline`'s CSV and JSON of the
// story's Q3 (the scope's lines) and of the team's /pipeline at the end
// (its trend lines) are exactly the lines the story states, each value
// computed there by hand.
func checkStoryReport(t *testing.T, b *bot.Bot, team bot.Pipeline, now time.Time) {
	t.Run("Report", func(t *testing.T) {
		q3, err := b.PipelineDetail(t.Context(), "France", coaching.Period{From: domain.NewDate(2026, 7, 1), To: domain.NewDate(2026, 9, 30)}, now)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := report.WritePipelineCSV(&out, q3.Sheet(i18n.EN)); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out.String(), "\n")
		want := storyBlock(t, "report-q3")
		if len(lines) < len(want) || !slices.Equal(lines[:len(want)], want) {
			t.Errorf("report pipeline --format csv, Q3, begins\n%s\nthe story says\n%s", strings.Join(lines[:min(8, len(lines))], "\n"), strings.Join(want, "\n"))
		}

		end, err := b.PipelineDetail(t.Context(), "France", team.Period, now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(end.Pipeline, team) {
			t.Fatalf("the report's figures differ from /pipeline's:\n%+v\n%+v", end.Pipeline, team)
		}
		out.Reset()
		if err := report.WritePipelineCSV(&out, end.Sheet(i18n.EN)); err != nil {
			t.Fatal(err)
		}
		var trends []string
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, ",trend,") {
				trends = append(trends, l)
			}
		}
		if want := storyBlock(t, "report-trends"); !slices.Equal(trends, want) {
			t.Errorf("report pipeline --format csv, trend lines at the end:\n%s\nthe story says\n%s", strings.Join(trends, "\n"), strings.Join(want, "\n"))
		}

		out.Reset()
		if err := report.WritePipelineJSON(&out, q3.Sheet(i18n.EN)); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			PeriodFrom string `json:"period_from"`
			Scope      string
			Rows       []map[string]any
			Trends     []map[string]any
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		scope := doc.Rows[0]
		for k, v := range map[string]any{
			"row": "scope", "user": "", "won": 3.0, "lost": 3.0, "cycle_mean_days": 59.666666666666664, "open_amount": 194166.37,
			"missing_criteria": 1.0, "overdue_next_steps": 3.0, "past_close_dates": 1.0, "hygiene_bp": 4286.0,
			"leak_stage": "Demo", "leak_enough": true, "slip_period": "2026-Q3", "slipped": 2.0, "slipped_amount": 87000.00,
			"slip_rate_bp": 3686.0, "slipped_deals": []any{"D-3", "D-7"}, "hollow_level_bp": 1500.0, "hollow_discount_amount": 40000.00, "hollow_any_bp": 4255.0,
		} {
			if !reflect.DeepEqual(scope[k], v) {
				t.Errorf("JSON rows[0].%s = %#v, want %#v", k, scope[k], v)
			}
		}
		demo := scope["stages"].([]any)[2].(map[string]any)
		if demo["stage"] != "Demo" || demo["cohort_lost"] != 1.0 || demo["cohort_loss_bp"] != 1667.0 || demo["conversion_bp"] != 8333.0 {
			t.Errorf("JSON rows[0].stages[2] = %v", demo)
		}
		if doc.PeriodFrom != "2026-07-01" || doc.Scope != "team France" || len(doc.Trends) != 0 || len(doc.Rows) != 5 {
			t.Errorf("JSON: period_from %s, scope %q, %d trends (the story has none in Q3), %d rows (the scope and four sellers)",
				doc.PeriodFrom, doc.Scope, len(doc.Trends), len(doc.Rows))
		}
	})
}

// checkStoryCSV: `dealpilot report losses` over 2026-Q3 and `dealpilot
// report accuracy` (quarters) as CSV are exactly the lines the story states,
// each value computed there by hand. They write what the replies hold, as
// the commands do (no one was named by Slack: no names).
func checkStoryCSV(t *testing.T, q3 bot.PipelineLosses, acc bot.ForecastAccuracy) {
	t.Run("CSV", func(t *testing.T) {
		for _, c := range []struct {
			block string
			write func(*bytes.Buffer) error
		}{
			{"report-losses-q3", func(w *bytes.Buffer) error { return report.WriteLossesCSV(w, q3.Currency, q3.Losses, nil) }},
			{"report-accuracy", func(w *bytes.Buffer) error { return report.WriteAccuracyCSV(w, acc.Kind, acc.Currency, acc.Rows) }},
		} {
			var out bytes.Buffer
			if err := c.write(&out); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if want := storyBlock(t, c.block); !slices.Equal(got, want) {
				t.Errorf("%s:\n%s\nthe story says\n%s", c.block, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	})
}
