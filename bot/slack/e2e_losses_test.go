package slack_test

import (
	"context"
	"testing"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// TestPipelineLosses: three deals of team France lost today, on bbolt,
// through Slack. By hand (€20,000 each; D2 was sold an 8 % discount the
// desk approved at once, net 20,000 − 1,600 = 18,400):
//
//	D1 Rep1 price, competitor on the loss "Rival Inc"          20,000
//	D2 Rep2 competitor, none on the loss, the desk says "rival inc" 18,400
//	D3 Rep2 "budget freeze" (not a configured reason), none    20,000
//	total 3 deals, 58,400. Rival Inc 2 deals (66.67%), 38,400 ÷ 58,400 =
//	6575.34 → 65.75%; unknown 1 (33.33%), 20,000 ÷ 58,400 → 34.25%.
//	Reasons: price 34.25%, competitor 18,400 ÷ 58,400 = 3150.68 → 31.51%.
//	Reps: Rep2 2 deals, 38,400, 65.75%; Rep1 1, 20,000, 34.25%.
func TestPipelineLosses(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	d1 := h.seedDeal(sample.Rep1, "Alpha", "Alpha")
	d2 := h.seedDeal(sample.Rep2, "Beta", "Beta")
	d3 := h.seedDeal(sample.Rep2, "Gamma", "Gamma")
	r, err := desk.NewRequest(desk.Policy{Bands: []desk.Band{{UpTo: 10}}, RequirePlanAbove: 20}, desk.Draft{Deal: d2.ID, Requester: sample.Rep2, DiscountBP: 800, ListAmount: d2.Amount,
		Currency: "EUR", Justification: "match", Competitor: "rival inc", DealVersion: d2.Version}, sample.Manager, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store().CreateDeskRequest(ctx, r, ""); err != nil {
		t.Fatal(err)
	}
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "lost "+d1.ID.Ref()+" price competitor: Rival Inc")), "won by Rival Inc")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "lost "+d2.ID.Ref()+" competitor")), "Lost")
	wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "lost "+d3.ID.Ref()+" budget freeze")), "Lost")
	if d := h.deal(d2.ID); d.NetAmount() != 1_840_000 {
		t.Fatalf("D2 net = %d, want 1,840,000", d.NetAmount())
	}

	tests := []struct {
		name  string
		user  domain.UserID
		text  string
		wants []string
	}{
		{"Team", sample.Manager, "losses", []string{
			"Losses · team France", "3 deals lost, €58,400 net",
			"| Qualification | 3 | €58,400 | 100% | 100% |",
			"| price | 1 | €20,000 | 33.34% | 34.25% |", // 3 × 3333.33 and 2 × 3424.66 + 3150.68: largest remainders
			"| competitor | 1 | €18,400 | 33.33% | 31.51% |",
			"| budget freeze (not in loss_reasons) | 1 | €20,000 | 33.33% | 34.24% |",
			"| <@U0REP2> | 2 | €38,400 | 66.67% | 65.75% |",
			"| <@U0REP1> | 1 | €20,000 | 33.33% | 34.25% |",
			"| Rival Inc | 2 | €38,400 | 66.67% | 65.75% |",
			"| unknown | 1 | €20,000 | 33.33% | 34.25% |",
		}},
		{"French word", sample.Manager, "pertes team quarter", []string{"Losses · team France", "3 deals lost"}},
		{"RepOwn", sample.Rep1, "losses", []string{"Losses · <@U0REP1>", "1 deals lost, €20,000 net", "| Rival Inc | 1 | €20,000 | 100% | 100% |"}},
		{"Teammate", sample.Rep1, "losses <@U0REP2|hugo>", []string{"Losses · <@U0REP2>", "2 deals lost, €38,400 net"}},
		{"SomeoneElse", sample.Rep2, "losses <@U0VP|vp>", []string{"your own team only, and <@U0VP> is not in it"}},
		{"BadPeriod", sample.Manager, "losses team lately", []string{"'lately' is neither"}},
		{"Today", sample.Manager, "losses 1d", []string{"3 deals lost"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantContains(t, h.answer(h.slash(tc.user, "/pipeline", tc.text)), tc.wants...)
		})
	}
	// A hundred days on, the last 90 days hold no loss.
	h.clock.Set(now.AddDate(0, 0, 100))
	wantContains(t, h.answer(h.slash(sample.Manager, "/pipeline", "losses")), "No deal lost from Dec 6, 2026 to Mar 5, 2027.")
}
