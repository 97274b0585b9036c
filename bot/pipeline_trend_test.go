package bot_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// TestPipelineTrends: /pipeline and the Monday summary compare the last 90
// days with the 90 before and the same days a year ago, from deals on a
// real bbolt file. On 2026-11-20 (Paris) the window is 2026-08-23…11-20,
// the previous one 2026-05-25…08-22, last year's 2025-08-23…11-20.
//
//	L1 Rep1 €10k  created 2025-09-01, won 2025-10-01       last year: won, cycle 30
//	P1 Rep1 €20k  created 2026-06-01, lost 2026-07-01      previous: lost
//	N1 Rep1 €40k  created 2026-09-01, won 2026-09-20,      now: won, cycle 19, 30 % approved
//	              with non-standard terms                   (net €28,000), no budget
//	N2 Rep2 €30k  created 2026-09-01, lost 2026-10-15      now: lost
//
//	S1 Rep1 €50k  created 2026-07-01 closing 09-15, pushed 08-10 to 10-15
//	S2 Rep1 €50k  created 2026-07-01 closing 09-20, pushed 09-10 to 10-20
//
// (Every other deal closes 200 days after its creation, outside the
// quarters compared, or was closed before they began.)
//
// Team: win rate 50 % (previous 0 %, a real figure: one loss; last year
// 100 %); average won deal €28,000 (previous: no win, not shown; last year
// €10,000); cycle 19 days (last year 30); Qualification conversion 50 %
// (N1 won, N2 lost; previous 0 % of P1 S1 S2, last year 100 %).
// Slippage: 2026-Q4 is 50 days in (10-01 → 11-20), so 2026-Q3 is judged
// on 08-20: S1 and S2 forecast, S1 slipped: €50k of €100k = 50 % (S2's push
// on 09-10 comes later in the quarter than today does in Q4). 2026-Q4: S1
// and S2 forecast, neither slipped: 0 %. 2025-Q4: nothing forecast, not
// shown. Rep2 alone: win rate 0 % now, nothing in either comparison: no
// trend.
//
// Hollow wins (summary, team France): N1 is the only win, €28,000 net: above
// 25 % (30 %), non-standard terms, budget missing at the win: 100 % for
// each cause and in all; Rep2 and Rep3 won nothing.
func TestPipelineTrends(t *testing.T) {
	cfg := securityConfig(t)
	paris := cfg.Location
	clock := domain.NewManualClock(time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "trend.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	set := func(y int, m time.Month, d int) { clock.Set(time.Date(y, m, d, 9, 0, 0, 0, paris)) }
	create := func(name string, owner domain.UserID, amount int64, tweak func(*domain.Deal)) *domain.Deal {
		now := domain.DateOf(clock.Now().In(paris))
		d := &domain.Deal{Name: name, Account: name, Owner: owner, Amount: amount,
			Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: now.AddDays(200),
			Need: "n", DecisionMakers: "d", Budget: "b", Timeline: "t",
			NextStep: "Call back", NextStepDue: now.AddDays(7), Status: domain.Open}
		if tweak != nil {
			tweak(d)
		}
		out, err := db.CreateDeal(ctx, d, owner, "")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	closeAs := func(d *domain.Deal, st domain.Status) *domain.Deal {
		out, _, err := db.UpdateDeal(ctx, d.ID, 0, d.Owner, func(x *domain.Deal) error {
			x.Status = st
			if st == domain.Lost {
				x.LossReason = "price"
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	set(2025, 9, 1)
	l1 := create("L1", sample.Rep1, 1_000_000, nil)
	set(2025, 10, 1)
	closeAs(l1, domain.Won)
	set(2026, 6, 1)
	p1 := create("P1", sample.Rep1, 2_000_000, nil)
	set(2026, 7, 1)
	closeAs(p1, domain.Lost)
	set(2026, 7, 1)
	s1 := create("S1", sample.Rep1, 5_000_000, func(d *domain.Deal) { d.CloseDate = domain.NewDate(2026, 9, 15) })
	s2 := create("S2", sample.Rep1, 5_000_000, func(d *domain.Deal) { d.CloseDate = domain.NewDate(2026, 9, 20) })
	push := func(d *domain.Deal, to domain.Date) {
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, d.Owner, func(x *domain.Deal) error { x.CloseDate = to; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	set(2026, 8, 10)
	push(s1, domain.NewDate(2026, 10, 15))
	set(2026, 9, 1)
	n1 := create("N1", sample.Rep1, 4_000_000, func(d *domain.Deal) { d.Budget = "" })
	n2 := create("N2", sample.Rep2, 3_000_000, nil)
	// A 30 % discount with a custom SLA, approved by the desk (a policy of
	// no approvals, so it is approved as it is submitted).
	r, err := desk.NewRequest(desk.Policy{Bands: []desk.Band{{UpTo: 100}}, NonStandard: map[desk.Term][]desk.Role{desk.TermCustomSLA: nil}, RequirePlanAbove: 100, ExpireAfterDays: 14},
		desk.Draft{Deal: n1.ID, Requester: sample.Rep1, DiscountBP: 3000, ListAmount: n1.Amount, Currency: "EUR", Justification: "x",
			Terms: []desk.Term{desk.TermCustomSLA}, DealVersion: n1.Version}, sample.Manager, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if saved, err := db.CreateDeskRequest(ctx, r, ""); err != nil || saved.Status != desk.StatusApproved {
		t.Fatalf("request: %+v, %v", saved, err)
	}
	set(2026, 9, 10)
	push(s2, domain.NewDate(2026, 10, 20))
	set(2026, 9, 20)
	closeAs(n1, domain.Won)
	set(2026, 10, 15)
	closeAs(n2, domain.Lost)
	set(2026, 11, 20)

	pt := func(bp int) coaching.Point { return coaching.Point{Has: true, BP: bp} }
	team := []coaching.Trend{
		{Figure: coaching.FigureWinRate, Points: [3]coaching.Point{pt(5000), pt(0), pt(10_000)}},
		{Figure: coaching.FigureAvgWon, Points: [3]coaching.Point{{Has: true, Amount: 2_800_000}, {}, {Has: true, Amount: 1_000_000}}},
		{Figure: coaching.FigureCycle, Points: [3]coaching.Point{{Has: true, Days: 19}, {}, {Has: true, Days: 30}}},
		{Figure: coaching.FigureConversion, Stage: "Qualification", Points: [3]coaching.Point{pt(5000), pt(0), pt(10_000)}},
		{Figure: coaching.FigureSlippage, Points: [3]coaching.Point{pt(0), pt(5000), {}}},
	}
	for _, tc := range []struct {
		args string
		want []coaching.Trend
	}{
		{"team", team},
		{"@rep2", nil},
	} {
		t.Run(tc.args, func(t *testing.T) {
			caller := bot.Caller{User: sample.Manager, Channel: sample.SalesChannel, Mentions: map[string]domain.UserID{"@rep2": sample.Rep2}}
			h, _, args := b.Commands()["/pipeline"].Route(tc.args)
			reply, err := h(ctx, caller, args)
			if err != nil {
				t.Fatal(err)
			}
			p := reply.(bot.Pipeline)
			if want := (coaching.Period{From: domain.NewDate(2026, 5, 25), To: domain.NewDate(2026, 8, 22)}); p.Compared[0] != want {
				t.Errorf("previous period %v, want %v", p.Compared[0], want)
			}
			if p.SlipCompared[0].Name != "2026-Q3" || p.SlipCompared[1].Name != "2025-Q4" {
				t.Errorf("slippage compared with %s and %s, want 2026-Q3 and 2025-Q4", p.SlipCompared[0].Name, p.SlipCompared[1].Name)
			}
			if !reflect.DeepEqual(p.Trends, tc.want) {
				t.Errorf("trends =\n%+v\nwant\n%+v", p.Trends, tc.want)
			}
		})
	}

	t.Run("MondaySummary", func(t *testing.T) {
		s, err := b.ManagerSummary(ctx, &cfg.Teams[0], clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s.Trends, team) {
			t.Errorf("summary trends =\n%+v\nwant\n%+v", s.Trends, team)
		}
		all := coaching.Scorecard{Won: 1, WonAmount: 2_800_000, Discount: 2_800_000, Terms: 2_800_000, Unqualified: 2_800_000, Any: 2_800_000,
			DiscountBP: 10_000, TermsBP: 10_000, UnqualifiedBP: 10_000, AnyBP: 10_000}
		if s.Hollow != all || s.HollowWinBP != 2000 { // sample.Config: hollow_win_discount: 20
			t.Errorf("team scorecard %+v (level %d), want %+v", s.Hollow, s.HollowWinBP, all)
		}
		rep1 := all
		rep1.Rep = sample.Rep1
		if want := []coaching.Scorecard{rep1, {Rep: sample.Rep2}, {Rep: sample.Rep3}}; !reflect.DeepEqual(s.HollowReps, want) {
			t.Errorf("reps' scorecards =\n%+v\nwant\n%+v", s.HollowReps, want)
		}
	})
}
