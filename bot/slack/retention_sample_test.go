package slack

import (
	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// sampleRetention is /pipeline retention's answer for team France over
// 2026-Q4 so far, with domain/retention's story figures and a hollow win
// of owner's.
func sampleRetention(owner domain.UserID) bot.Retention {
	p := coaching.Period{From: domain.NewDate(2026, 10, 1), To: domain.NewDate(2026, 12, 6)}
	team := bot.M("pipeline.scope.team", "France")
	return bot.Retention{Scope: team, Currency: "EUR", Period: p, Rows: []bot.RetentionRow{
		{Who: team, Figures: retention.Figures{Period: retention.Period{From: p.From, To: p.To}, Customers: 6, Start: 322_000_00,
			Churn: 90_000_00, Downgrade: 20_000_00, Expansion: 40_000_00, HasStart: true, GRRBP: 6584, NRRBP: 7826,
			Renewals: 3, RenewalDays: 334, Hollow: []retention.HollowWin{{Deal: 7, Owner: owner, Account: "Echo & <Sons>",
				Won: domain.NewDate(2026, 9, 30), Churned: domain.NewDate(2026, 10, 15), Days: 15, Recurring: 30_000_00}}}},
		{Who: bot.M("pipeline.scope.team", "Benelux")},
	}}
}
