package slack

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// commissionFixture is a month of a statement with a split deal cut
// across two tiers, a SPIFF and a recoverable draw. By hand: quota
// €100,000, tiers 3 % up to 50 % and 5 % above, accelerator ×1.5 above
// 100 %; D-7 €40,000 on Nov 3 fills €0 → €40,000 at 3 % = €1,200 and its
// SPIFF €500; D-12 €48,000 × 60 % = €28,800 on Nov 20 fills €40,000 →
// €68,800: €10,000 at 3 % = €300 and €18,800 at 5 % = €940, and €500 × 60 % =
// €300 of SPIFF. Earned 1,200 + 500 + 300 + 940 + 300 = €3,240, above the
// €3,000 draw: pay €3,240.
func commissionFixture() commission.Month {
	q4 := forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)}
	nov := forecast.Period{Name: "2026-11", Kind: forecast.Month, Start: domain.NewDate(2026, 11, 1), End: domain.NewDate(2026, 12, 1)}
	plan := commission.Plan{Name: "AE plan", Tiers: []commission.Tier{{UpTo: 5000, Rate: 300}, {Rate: 500}},
		Accelerators: []commission.Factor{{At: 10000, Factor: 15000}}, Spiffs: []commission.Spiff{{Name: "Q4 push", Amount: 500_00}},
		Draw: commission.Draw{Amount: 3_000_00, Recoverable: true}}
	terms := []commission.Term{{Plan: plan, Period: q4, Quota: 100_000_00}}
	sales := []commission.Sale{{Deal: 12, Amount: 48_000_00, Split: 6000, ClosedOn: domain.NewDate(2026, 11, 20)},
		{Deal: 7, Amount: 40_000_00, ClosedOn: domain.NewDate(2026, 11, 3)}}
	return commission.Settle(commission.Compute(terms, []forecast.Period{nov}, sales), nil, 0)[0]
}

func TestRenderCommission(t *testing.T) {
	m := commissionFixture()
	if m.Earned != 3_240_00 || m.Draw.Pay != 3_240_00 {
		t.Fatalf("earned %d, pay %d; the hand computation says 324000 both", m.Earned, m.Draw.Pay)
	}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			golden(t, "commission_statement_"+string(loc), renderReply(loc, bot.StatementReply("U0REP1", m, "EUR")))
		})
	}
}
