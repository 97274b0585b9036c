package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// sampleLosses is domain/coaching/testdata/losses_q1.txt's team: 4 deals,
// €76,000 net, every figure as computed there.
func sampleLosses(scope bot.Msg) bot.PipelineLosses {
	row := func(key string, deals int, eur int64, dealsBP, amountBP int, listed bool) coaching.LossRow {
		return coaching.LossRow{Key: key, Deals: deals, Amount: eur * 100, DealsBP: dealsBP, AmountBP: amountBP, Listed: listed}
	}
	stage := func(key string, deals int, eur int64, dealsBP, amountBP int, entered, advanced, lost, lossBP int) coaching.StageLoss {
		return coaching.StageLoss{LossRow: row(key, deals, eur, dealsBP, amountBP, true),
			Cohort: coaching.Conversion{Stage: key, Entered: entered, Advanced: advanced, Lost: lost, Open: entered - advanced - lost, LossBP: lossBP}}
	}
	return bot.PipelineLosses{Scope: scope, Currency: "EUR", Losses: coaching.Losses{
		Period: coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)},
		Deals:  4, Amount: 7_600_000,
		ByStage: []coaching.StageLoss{
			stage("Qualification", 1, 5_000, 2500, 658, 13, 10, 1, 909),
			stage("Discovery", 1, 12_000, 2500, 1579, 12, 10, 0, 0),
			stage("Demo", 1, 25_000, 2500, 3289, 9, 5, 1, 1667),
			stage("Proposal", 0, 0, 0, 0, 8, 7, 0, 0),
			stage("Negotiation", 1, 34_000, 2500, 4474, 7, 5, 1, 1667),
			stage("Closing", 0, 0, 0, 0, 3, 2, 0, 0),
		},
		ByReason: []coaching.LossRow{
			row("price", 1, 34_000, 2500, 4474, true), row("competitor", 1, 25_000, 2500, 3289, true),
			row("no decision", 0, 0, 0, 0, true), row("timing", 0, 0, 0, 0, true),
			row("no budget", 1, 12_000, 2500, 1579, true), row("other", 0, 0, 0, 0, true),
			row("budget freeze", 1, 5_000, 2500, 658, false),
		},
		ByRep: []coaching.LossRow{row("U0ANNA", 3, 42_000, 7500, 5526, false), row("U0BRUNO", 1, 34_000, 2500, 4474, false)},
		ByCompetitor: []coaching.LossRow{
			row("Rival <Inc>", 2, 59_000, 5000, 7763, false), row(coaching.UnknownCompetitor, 2, 17_000, 5000, 2237, false),
		},
	}}
}

func TestRenderLossesGolden(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			for name, r := range map[string]bot.PipelineLosses{
				"team": sampleLosses(bot.M("pipeline.scope.team", "France")),
				"user": sampleLosses(bot.M("raw", domain.UserID("U0ANNA"))),
				"none": {Scope: bot.M("pipeline.scope.all"), Currency: "EUR",
					Losses: coaching.Losses{Period: coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)}}},
			} {
				msg := renderReply(loc, r)
				if len(msg.Blocks) > maxMessageBlocks {
					t.Errorf("%d blocks", len(msg.Blocks))
				}
				golden(t, "losses_"+name+"_"+string(loc), msg)
			}
		})
	}
}

// TestRenderLossesManyRows: 60 competitors and 60 reps fit in one table of
// at most 100 rows: each breakdown keeps its first 19 rows and sums the rest
// into one "N more" row.
func TestRenderLossesManyRows(t *testing.T) {
	r := sampleLosses(bot.M("pipeline.scope.all"))
	l := &r.Losses
	l.ByRep, l.ByCompetitor = nil, nil
	l.Deals, l.Amount = 60, 60*100_000
	for i := range 60 {
		// 60 shares of 166.67 by the largest remainder (coaching.Losses):
		// 9960 floored, the 40 points left to the first 40 rows.
		bp := 166
		if i < 40 {
			bp = 167
		}
		one := coaching.LossRow{Key: fmt.Sprintf("Rival %02d", i), Deals: 1, Amount: 100_000, DealsBP: bp, AmountBP: bp}
		l.ByCompetitor = append(l.ByCompetitor, one)
		one.Key = fmt.Sprintf("U%02d", i)
		l.ByRep = append(l.ByRep, one)
	}
	msg := renderReply(i18n.EN, r)

	raw, err := json.Marshal(msg.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []struct {
		Type string  `json:"type"`
		Rows [][]any `json:"rows"`
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	tables, rows := 0, 0
	for _, b := range blocks {
		if b.Type == "table" {
			tables, rows = tables+1, len(b.Rows)
		}
	}
	// 4 titles + 6 stages + 7 reasons + (19 + 1) reps + (19 + 1) competitors.
	if tables != 1 || rows != 57 {
		t.Errorf("%d tables, %d rows; want 1 table (Slack takes one per message) of 57 rows", tables, rows)
	}
	// 41 rows sum to 41 deals, €41,000 and their shares, 21 × 167 + 20 × 166
	// = 6827 bp, so the column shown adds up to 19 × 167 + 6827 = 10000.
	for _, want := range []string{`"41 more"`, `"€41,000"`, `"68.27%"`, `"Rival 18"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("table lacks %s", want)
		}
	}
	if strings.Contains(string(raw), `"Rival 19"`) {
		t.Error("the 20th competitor is shown beside the sum that counts it")
	}
}

func TestLossesTextTable(t *testing.T) {
	var b strings.Builder
	names := map[domain.UserID]string{"U0ANNA": "Anna Keller"}
	if err := report.WriteLossesTable(&b, i18n.EN, "EUR", sampleLosses(bot.M("pipeline.scope.all")).Losses, names); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Stage lost at", "| Demo", "| €25,000 ", "16.67% (1 of 6)", "budget freeze (not in loss_reasons)", "| unknown", "| Anna Keller (U0ANNA)", "55.26% |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
