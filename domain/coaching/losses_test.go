package coaching_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// configured is the default loss_reasons.
var configured = []string{"price", "competitor", "no decision", "timing", "no budget", "other"}

// lossFixture is the KPI fixture with what testdata/losses_q1.txt adds to
// its lost deals (and to D20, lost then reopened).
func lossFixture(t testing.TB) coaching.Input {
	t.Helper()
	in := fixture(t)
	for i := range in.Deals {
		di := &in.Deals[i]
		d := di.Deal
		switch d.ID {
		case 6:
			d.LossReason = "no budget"
		case 7:
			d.LossReason, d.Competitor = "competitor", "Rival Inc"
			di.Discount.Competitor = "Other Co"
		case 8:
			d.LossReason, d.Discount = "price", 1500
			di.Discount.ApprovedBP, di.Discount.Competitor = 1500, " rival   INC "
		case 9:
			d.LossReason = "budget freeze"
		case 20:
			d.LossReason, d.Competitor = "competitor", "Rival Inc"
		}
	}
	return in
}

func row(key string, deals int, eur int64, dealsBP, amountBP int, listed bool) coaching.LossRow {
	return coaching.LossRow{Key: key, Deals: deals, Amount: eur * 100, DealsBP: dealsBP, AmountBP: amountBP, Listed: listed}
}

func stageRow(key string, deals int, eur int64, dealsBP, amountBP int, lost, exits, lossBP int) coaching.StageLoss {
	return coaching.StageLoss{LossRow: row(key, deals, eur, dealsBP, amountBP, true), Cohort: coaching.Conversion{Lost: lost, LossBP: lossBP, Advanced: exits - lost}}
}

// cohortOf keeps of each stage's cohort what the fixture file writes down:
// lost, exits (as Advanced + Lost) and the loss rate.
func cohortOf(l coaching.Losses) coaching.Losses {
	for i := range l.ByStage {
		c := l.ByStage[i].Cohort
		l.ByStage[i].Cohort = coaching.Conversion{Lost: c.Lost, Advanced: c.Advanced, LossBP: c.LossBP}
	}
	return l
}

// TestFixtureLosses reproduces testdata/losses_q1.txt.
func TestFixtureLosses(t *testing.T) {
	got := cohortOf(coaching.LossAnalysis(lossFixture(t), q1, configured, reportAt))
	want := coaching.Losses{
		Period: q1, Deals: 4, Amount: 7_600_000,
		ByStage: []coaching.StageLoss{
			stageRow("Qualification", 1, 5_000, 2500, 658, 1, 11, 909),
			stageRow("Discovery", 1, 12_000, 2500, 1579, 0, 10, 0),
			stageRow("Demo", 1, 25_000, 2500, 3289, 1, 6, 1667),
			stageRow("Proposal", 0, 0, 0, 0, 0, 7, 0),
			stageRow("Negotiation", 1, 34_000, 2500, 4474, 1, 6, 1667),
			stageRow("Closing", 0, 0, 0, 0, 0, 2, 0),
		},
		ByReason: []coaching.LossRow{
			row("price", 1, 34_000, 2500, 4474, true),
			row("competitor", 1, 25_000, 2500, 3289, true),
			row("no decision", 0, 0, 0, 0, true),
			row("timing", 0, 0, 0, 0, true),
			row("no budget", 1, 12_000, 2500, 1579, true),
			row("other", 0, 0, 0, 0, true),
			row("budget freeze", 1, 5_000, 2500, 658, false),
		},
		ByRep: []coaching.LossRow{
			row(string(anna), 3, 42_000, 7500, 5526, false),
			row(string(bruno), 1, 34_000, 2500, 4474, false),
		},
		ByCompetitor: []coaching.LossRow{
			row("Rival Inc", 2, 59_000, 5000, 7763, false),
			row(coaching.UnknownCompetitor, 2, 17_000, 5000, 2237, false),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("losses =\n%+v\nwant\n%+v", got, want)
	}

	// Anna alone: the deals she owns.
	in := lossFixture(t)
	var mine []coaching.DealInput
	for _, d := range in.Deals {
		if d.Deal.Owner == anna {
			mine = append(mine, d)
		}
	}
	in.Deals = mine
	a := cohortOf(coaching.LossAnalysis(in, q1, configured, reportAt))
	if a.Deals != 3 || a.Amount != 4_200_000 {
		t.Fatalf("anna: %d deals, %d", a.Deals, a.Amount)
	}
	wantStages := []coaching.StageLoss{
		stageRow("Qualification", 1, 5_000, 3334, 1191, 1, 8, 1250), // the point left by 9999 (losses_q1.txt)
		stageRow("Discovery", 1, 12_000, 3333, 2857, 0, 6, 0),
		stageRow("Demo", 1, 25_000, 3333, 5952, 1, 4, 2500),
		stageRow("Proposal", 0, 0, 0, 0, 0, 3, 0),
		stageRow("Negotiation", 0, 0, 0, 0, 0, 4, 0),
		stageRow("Closing", 0, 0, 0, 0, 0, 1, 0),
	}
	if !reflect.DeepEqual(a.ByStage, wantStages) {
		t.Errorf("anna by stage =\n%+v\nwant\n%+v", a.ByStage, wantStages)
	}
	wantRivals := []coaching.LossRow{
		row("Rival Inc", 1, 25_000, 3333, 5952, false),
		row(coaching.UnknownCompetitor, 2, 17_000, 6667, 4048, false),
	}
	if !reflect.DeepEqual(a.ByCompetitor, wantRivals) {
		t.Errorf("anna by competitor =\n%+v\nwant\n%+v", a.ByCompetitor, wantRivals)
	}
}

// TestLosses covers the definitions' edge cases, one deal or two at a time.
func TestLosses(t *testing.T) {
	period := coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)}
	now := at(t, "2026-04-01 08:00")
	type deal struct {
		stages     []string // entries at 10:00 on consecutive days from 01-05
		status     []string // status entries after the stages, at day "at"
		at         string   // the day the status entries happen
		reason     string
		competitor string
		desk       string
		discount   int
		owner      domain.UserID
		eur        int64
	}
	build := func(t *testing.T, ds []deal) coaching.Input {
		s := coaching.DefaultSettings()
		in := coaching.Input{Settings: s}
		for i, sp := range ds {
			start := at(t, "2026-01-05 10:00")
			owner := sp.owner
			if owner == "" {
				owner = anna
			}
			d := &domain.Deal{ID: domain.DealID(i + 1), Owner: owner, Amount: sp.eur * 100, Currency: "EUR",
				Stage: sp.stages[len(sp.stages)-1], Status: domain.Open, CreatedAt: start, UpdatedAt: start,
				LossReason: sp.reason, Competitor: sp.competitor, Discount: sp.discount}
			h := []domain.HistoryEntry{change(d.ID, start, domain.FieldStatus, "", "open")}
			for k, st := range sp.stages {
				old := ""
				if k > 0 {
					old = sp.stages[k-1]
				}
				h = append(h, change(d.ID, start.AddDate(0, 0, k), domain.FieldStage, old, st))
			}
			prev := "open"
			for _, st := range sp.status {
				h = append(h, change(d.ID, at(t, sp.at), domain.FieldStatus, prev, st))
				prev, d.Status = st, domain.Status(st)
			}
			in.Deals = append(in.Deals, coaching.DealInput{Deal: d, History: h,
				Discount: coaching.DiscountInfo{ApprovedBP: sp.discount, Competitor: sp.desk}})
		}
		return in
	}
	lost := func(stages ...string) deal {
		return deal{stages: stages, status: []string{"lost"}, at: "2026-02-10 10:00", reason: "price", eur: 10_000}
	}
	tests := []struct {
		name  string
		deals []deal
		check func(t *testing.T, l coaching.Losses)
	}{
		{"LostInTheStageItEntered", []deal{lost("Demo")}, func(t *testing.T, l coaching.Losses) {
			// Created at Demo in the period and lost there: lost at Demo, and
			// Demo's cohort has one entry, one loss, no advance.
			de := l.ByStage[2]
			if de.Key != "Demo" || de.Deals != 1 || de.Cohort.Entered != 1 || de.Cohort.Lost != 1 || de.Cohort.LossBP != 10_000 {
				t.Errorf("Demo = %+v", de)
			}
		}},
		{"NoReason", []deal{lost("Demo"), func() deal { d := lost("Proposal"); d.reason = "  "; return d }()},
			func(t *testing.T, l coaching.Losses) {
				last := l.ByReason[len(l.ByReason)-1]
				if len(l.ByReason) != len(configured)+1 || last != row(coaching.NoReason, 1, 10_000, 5000, 5000, false) {
					t.Errorf("by reason = %+v", l.ByReason)
				}
			}},
		{"ReasonNoLongerConfigured", []deal{
			func() deal { d := lost("Demo"); d.reason = "Budget freeze"; return d }(),
			func() deal { d := lost("Demo"); d.reason = ""; return d }(),
			func() deal { d := lost("Demo"); d.reason = "PRICE"; return d }(), // configured, typed in capitals
			func() deal { d := lost("Demo"); d.reason = "budget freeze"; d.eur = 30_000; return d }(),
		}, func(t *testing.T, l coaching.Losses) {
			// 4 deals, 60,000: price 10,000; budget freeze 40,000; no reason 10,000.
			// Net shares 1666.67, 6666.67, 1666.67: floors 9998, the two points
			// left to the tied remainders listed first (price, budget freeze),
			// 10000 where rounding each gave 10001.
			want := []coaching.LossRow{row("price", 1, 10_000, 2500, 1667, true)}
			for _, r := range configured[1:] {
				want = append(want, row(r, 0, 0, 0, 0, true))
			}
			want = append(want, row("Budget freeze", 2, 40_000, 5000, 6667, false), row(coaching.NoReason, 1, 10_000, 2500, 1666, false))
			if !reflect.DeepEqual(l.ByReason, want) {
				t.Errorf("by reason =\n%+v\nwant\n%+v", l.ByReason, want)
			}
		}},
		{"CompetitorOnLossBeatsDesk", []deal{
			func() deal { d := lost("Demo"); d.competitor, d.desk = "Acme", "Rival"; return d }(),
			func() deal { d := lost("Demo"); d.desk = "rival"; return d }(),
			func() deal { d := lost("Demo"); return d }(),
		}, func(t *testing.T, l coaching.Losses) {
			want := []coaching.LossRow{
				row("Acme", 1, 10_000, 3334, 3334, false), // 3 × 3333 = 9999: the point to the first
				row("rival", 1, 10_000, 3333, 3333, false),
				row(coaching.UnknownCompetitor, 1, 10_000, 3333, 3333, false),
			}
			if !reflect.DeepEqual(l.ByCompetitor, want) {
				t.Errorf("by competitor =\n%+v\nwant\n%+v", l.ByCompetitor, want)
			}
		}},
		{"LostReopenedWon", []deal{{stages: []string{"Demo"}, status: []string{"lost", "open", "won"}, at: "2026-02-10 10:00", eur: 10_000}},
			func(t *testing.T, l coaching.Losses) {
				if l.Deals != 0 || l.Amount != 0 || len(l.ByRep) != 0 || len(l.ByCompetitor) != 0 {
					t.Errorf("a won deal counts as lost: %+v", l)
				}
			}},
		{"DiscountApprovedThenLost", []deal{func() deal { d := lost("Negotiation"); d.discount, d.eur = 2500, 99_910; return d }()},
			func(t *testing.T, l coaching.Losses) {
				// 99,910.00 − 25 % = 74,932.50
				if l.Amount != 7_493_250 || l.ByStage[4].Amount != 7_493_250 || l.ByRep[0].Amount != 7_493_250 {
					t.Errorf("net = %d, stage %+v, rep %+v", l.Amount, l.ByStage[4], l.ByRep[0])
				}
			}},
		{"OutsideTheWindow", []deal{
			func() deal { d := lost("Demo"); d.at = "2025-12-31 10:00"; return d }(),
			func() deal { d := lost("Demo"); d.at = "2026-04-01 00:00"; return d }(),
			func() deal { d := lost("Demo"); d.at = "2026-03-31 23:59"; return d }(), // the last day, UTC
		}, func(t *testing.T, l coaching.Losses) {
			if l.Deals != 1 {
				t.Errorf("%d deals lost in the window, want 1", l.Deals)
			}
		}},
		{"StageNoLongerConfigured", []deal{lost("Demo"), lost("Pilot"), lost("Audit")}, func(t *testing.T, l coaching.Losses) {
			n := len(domain.DefaultStages())
			if len(l.ByStage) != n+2 || l.ByStage[n].Key != "Audit" || l.ByStage[n+1].Key != "Pilot" || l.ByStage[n].Listed || l.ByStage[n].Deals != 1 {
				t.Errorf("by stage = %+v", l.ByStage)
			}
		}},
		{"ByRepOrder", []deal{
			func() deal { d := lost("Demo"); d.owner = bruno; return d }(),
			func() deal { d := lost("Demo"); d.owner = anna; d.eur = 5_000; return d }(),
			func() deal { d := lost("Demo"); d.owner = anna; d.eur = 5_000; return d }(),
			func() deal { d := lost("Demo"); d.owner = "U0CARL"; d.eur = 20_000; return d }(),
		}, func(t *testing.T, l coaching.Losses) {
			// anna 2 deals first; then carl and bruno, 1 each, the larger amount first.
			got := []string{l.ByRep[0].Key, l.ByRep[1].Key, l.ByRep[2].Key}
			if !reflect.DeepEqual(got, []string{string(anna), "U0CARL", string(bruno)}) {
				t.Errorf("reps = %v", got)
			}
		}},
		{"NoLoss", []deal{{stages: []string{"Demo"}, eur: 10_000}}, func(t *testing.T, l coaching.Losses) {
			if l.Deals != 0 || len(l.ByStage) != len(domain.DefaultStages()) || len(l.ByReason) != len(configured) {
				t.Errorf("no loss = %+v", l)
			}
			for _, r := range l.ByReason {
				if r.DealsBP != 0 || r.AmountBP != 0 {
					t.Errorf("a share without a loss: %+v", r)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, coaching.LossAnalysis(build(t, tt.deals), period, configured, now))
		})
	}
}

// TestLossesHugeAmounts: shares of amounts near the cap do not overflow.
func TestLossesHugeAmounts(t *testing.T) {
	var in coaching.Input
	in.Settings = coaching.DefaultSettings()
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		d := &domain.Deal{ID: domain.DealID(i + 1), Owner: anna, Amount: domain.MaxAmountMinor, Currency: "EUR", Stage: "Demo",
			Status: domain.Lost, LossReason: "price", CreatedAt: start, UpdatedAt: start}
		in.Deals = append(in.Deals, coaching.DealInput{Deal: d})
	}
	l := coaching.LossAnalysis(in, coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 1, 31)}, configured, start)
	if l.ByStage[2].AmountBP != 10_000 || l.ByReason[0].AmountBP != 10_000 {
		t.Errorf("shares = %+v %+v", l.ByStage[2], l.ByReason[0])
	}
}
