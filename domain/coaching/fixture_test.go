package coaching_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// The KPI fixture: twenty deals of Anna's and Bruno's team, reported for Q1
// 2026 (Jan 1 – Mar 31, days in Europe/Paris) on Wednesday 2026-04-01 at
// 08:00 UTC (10:00 in Paris). Every event happens at 10:00 UTC unless a time
// is given; two happen at 23:30 UTC, which is already the next day in Paris,
// to check that periods are cut in the company's time zone.
//
// Stages: Q Qualification, Di Discovery, De Demo, P Proposal, N Negotiation,
// C Closing. Amounts in euros (×100 in minor units). Every deal has all its
// qualification fields and a next step due 2026-04-03, except where tweak
// says otherwise.
//
//	deal owner  €      path (stage entries)                                       end
//	D1   anna   10k    Q 01-05, Di 01-09, De 01-13, P 01-20, N 01-30, C 02-03     won 02-06, discount 10 %
//	D2   anna   20k    Q 01-12, Di 01-16, De 01-23, P 02-02, N 02-16              won 02-20, discount 30 %; close pushed 02-10
//	D3   bruno  30k    Q 2025-12-01, Di 12-08, De 12-15, P 01-05, N 01-25, C 02-04 won 03-02; close pushed 01-20, 02-25
//	D4   bruno  15k    Di 02-02 (created there), P 02-09                          won 03-16, discount 20 %
//	D5   anna    8k    Q 2025-12-15, Di 01-05, N 02-02                            won 03-31 23:30 UTC = Apr 1 in Paris; discount 35 %
//	D6   anna   12k    Q 2025-11-03, Di 2025-11-17                                lost 2025-12-31 23:30 UTC = Jan 1 in Paris
//	D7   anna   25k    Q 01-19, Di 01-23, De 02-06                                lost 02-27
//	D8   bruno  40k    Q 01-07, Di 01-14, De 01-21, P 02-04, N 02-25              lost 03-20; close pushed 03-01
//	D9   anna    5k    Q 02-16                                                    lost 03-09
//	D10  bruno  18k    Q 2025-10-06, Di 10-13, De 10-27, P 11-10                  won 2025-12-10, discount 5 %
//	D11  anna   60k    Q 01-26, Di 02-02, De 02-09, P 03-02                       open; close pulled in 03-10
//	D12  anna   35k    Q 02-23, Di 03-02                                          open; next step due 03-27
//	D13  bruno  80k    Q 01-12, Di 01-19, De 02-02, P 02-16, N 03-09              open; no risk; close pushed 03-10, 03-24; asks 20 %
//	D14  bruno  22k    Q 03-02, Di 03-09, De 03-16                                open; no next step, no budget; closes 03-31; asks 25 %
//	D15  anna    9k    Q 03-23                                                    open
//	D16  anna   45k    Q 2025-12-01, Di 12-08, De 12-15, P 01-12, N 02-09, C 03-09 open; close pushed 01-20, 02-20, 03-25
//	D17  bruno   7k    Q 03-30                                                    open
//	D18  bruno  50k    Q 2025-11-10, Di 11-24, De 01-05                           open; close pushed 2025-12-01
//	D19  anna   12k    Q 03-16, Di 03-18, De 03-25                                open; no decision makers
//	D20  anna   28k    Q 01-05, Di 01-12                                          lost 02-02, reopened 03-02
func fixture(t testing.TB) coaching.Input {
	t.Helper()
	type step struct{ at, stage string }
	type push struct{ at, from, to string }
	type spec struct {
		id     domain.DealID
		owner  domain.UserID
		eur    int64
		steps  []step
		end    domain.Status
		endAt  string
		reopen string
		close0 string
		pushes []push
		disc   coaching.DiscountInfo
		tweak  func(*domain.Deal)
	}
	when := func(s string) time.Time {
		if len(s) == len("2006-01-02") {
			s += " 10:00"
		}
		return at(t, s)
	}
	specs := []spec{
		{id: 1, owner: anna, eur: 10_000, steps: []step{{"2026-01-05", "Qualification"}, {"2026-01-09", "Discovery"}, {"2026-01-13", "Demo"}, {"2026-01-20", "Proposal"}, {"2026-01-30", "Negotiation"}, {"2026-02-03", "Closing"}},
			end: domain.Won, endAt: "2026-02-06", close0: "2026-02-27", disc: coaching.DiscountInfo{ApprovedBP: 1000}},
		{id: 2, owner: anna, eur: 20_000, steps: []step{{"2026-01-12", "Qualification"}, {"2026-01-16", "Discovery"}, {"2026-01-23", "Demo"}, {"2026-02-02", "Proposal"}, {"2026-02-16", "Negotiation"}},
			end: domain.Won, endAt: "2026-02-20", close0: "2026-02-15", pushes: []push{{"2026-02-10", "2026-02-15", "2026-02-28"}}, disc: coaching.DiscountInfo{ApprovedBP: 3000}},
		{id: 3, owner: bruno, eur: 30_000, steps: []step{{"2025-12-01", "Qualification"}, {"2025-12-08", "Discovery"}, {"2025-12-15", "Demo"}, {"2026-01-05", "Proposal"}, {"2026-01-25", "Negotiation"}, {"2026-02-04", "Closing"}},
			end: domain.Won, endAt: "2026-03-02", close0: "2026-01-31", pushes: []push{{"2026-01-20", "2026-01-31", "2026-02-28"}, {"2026-02-25", "2026-02-28", "2026-03-15"}}},
		{id: 4, owner: bruno, eur: 15_000, steps: []step{{"2026-02-02", "Discovery"}, {"2026-02-09", "Proposal"}},
			end: domain.Won, endAt: "2026-03-16", close0: "2026-03-31", disc: coaching.DiscountInfo{ApprovedBP: 2000}},
		{id: 5, owner: anna, eur: 8_000, steps: []step{{"2025-12-15", "Qualification"}, {"2026-01-05", "Discovery"}, {"2026-02-02", "Negotiation"}},
			end: domain.Won, endAt: "2026-03-31 23:30", close0: "2026-03-31", disc: coaching.DiscountInfo{ApprovedBP: 3500}},
		{id: 6, owner: anna, eur: 12_000, steps: []step{{"2025-11-03", "Qualification"}, {"2025-11-17", "Discovery"}},
			end: domain.Lost, endAt: "2025-12-31 23:30", close0: "2026-01-15"},
		{id: 7, owner: anna, eur: 25_000, steps: []step{{"2026-01-19", "Qualification"}, {"2026-01-23", "Discovery"}, {"2026-02-06", "Demo"}},
			end: domain.Lost, endAt: "2026-02-27", close0: "2026-03-31"},
		{id: 8, owner: bruno, eur: 40_000, steps: []step{{"2026-01-07", "Qualification"}, {"2026-01-14", "Discovery"}, {"2026-01-21", "Demo"}, {"2026-02-04", "Proposal"}, {"2026-02-25", "Negotiation"}},
			end: domain.Lost, endAt: "2026-03-20", close0: "2026-03-15", pushes: []push{{"2026-03-01", "2026-03-15", "2026-03-31"}}},
		{id: 9, owner: anna, eur: 5_000, steps: []step{{"2026-02-16", "Qualification"}},
			end: domain.Lost, endAt: "2026-03-09", close0: "2026-04-15"},
		{id: 10, owner: bruno, eur: 18_000, steps: []step{{"2025-10-06", "Qualification"}, {"2025-10-13", "Discovery"}, {"2025-10-27", "Demo"}, {"2025-11-10", "Proposal"}},
			end: domain.Won, endAt: "2025-12-10", close0: "2025-12-15", disc: coaching.DiscountInfo{ApprovedBP: 500}},
		{id: 11, owner: anna, eur: 60_000, steps: []step{{"2026-01-26", "Qualification"}, {"2026-02-02", "Discovery"}, {"2026-02-09", "Demo"}, {"2026-03-02", "Proposal"}},
			close0: "2026-05-15", pushes: []push{{"2026-03-10", "2026-05-15", "2026-04-30"}}},
		{id: 12, owner: anna, eur: 35_000, steps: []step{{"2026-02-23", "Qualification"}, {"2026-03-02", "Discovery"}},
			close0: "2026-04-30", tweak: func(d *domain.Deal) { d.NextStepDue = date(t, "2026-03-27") }},
		{id: 13, owner: bruno, eur: 80_000, steps: []step{{"2026-01-12", "Qualification"}, {"2026-01-19", "Discovery"}, {"2026-02-02", "Demo"}, {"2026-02-16", "Proposal"}, {"2026-03-09", "Negotiation"}},
			close0: "2026-03-15", pushes: []push{{"2026-03-10", "2026-03-15", "2026-03-25"}, {"2026-03-24", "2026-03-25", "2026-04-15"}},
			disc: coaching.DiscountInfo{RequestedBP: 2000}, tweak: func(d *domain.Deal) { d.Risk = "" }},
		{id: 14, owner: bruno, eur: 22_000, steps: []step{{"2026-03-02", "Qualification"}, {"2026-03-09", "Discovery"}, {"2026-03-16", "Demo"}},
			close0: "2026-03-31", disc: coaching.DiscountInfo{RequestedBP: 2500},
			tweak: func(d *domain.Deal) { d.NextStep, d.NextStepDue, d.Budget = "", domain.Date{}, "" }},
		{id: 15, owner: anna, eur: 9_000, steps: []step{{"2026-03-23", "Qualification"}}, close0: "2026-05-29"},
		{id: 16, owner: anna, eur: 45_000, steps: []step{{"2025-12-01", "Qualification"}, {"2025-12-08", "Discovery"}, {"2025-12-15", "Demo"}, {"2026-01-12", "Proposal"}, {"2026-02-09", "Negotiation"}, {"2026-03-09", "Closing"}},
			close0: "2026-01-31", pushes: []push{{"2026-01-20", "2026-01-31", "2026-02-28"}, {"2026-02-20", "2026-02-28", "2026-03-31"}, {"2026-03-25", "2026-03-31", "2026-04-30"}}},
		{id: 17, owner: bruno, eur: 7_000, steps: []step{{"2026-03-30", "Qualification"}}, close0: "2026-06-30"},
		{id: 18, owner: bruno, eur: 50_000, steps: []step{{"2025-11-10", "Qualification"}, {"2025-11-24", "Discovery"}, {"2026-01-05", "Demo"}},
			close0: "2026-01-31", pushes: []push{{"2025-12-01", "2026-01-31", "2026-05-29"}}},
		{id: 19, owner: anna, eur: 12_000, steps: []step{{"2026-03-16", "Qualification"}, {"2026-03-18", "Discovery"}, {"2026-03-25", "Demo"}},
			close0: "2026-05-15", tweak: func(d *domain.Deal) { d.DecisionMakers = "" }},
		{id: 20, owner: anna, eur: 28_000, steps: []step{{"2026-01-05", "Qualification"}, {"2026-01-12", "Discovery"}},
			end: domain.Lost, endAt: "2026-02-02", reopen: "2026-03-02", close0: "2026-04-30"},
	}

	s := coaching.DefaultSettings()
	s.Location = zone(t, "Europe/Paris")
	in := coaching.Input{Settings: s}
	for _, sp := range specs {
		createdAt := when(sp.steps[0].at)
		d := &domain.Deal{
			ID: sp.id, Name: sp.id.Ref(), Account: "Account " + sp.id.Ref(), Owner: sp.owner,
			Amount: sp.eur * 100, Currency: "EUR", Stage: sp.steps[len(sp.steps)-1].stage, Category: domain.Pipeline,
			CloseDate: date(t, sp.close0), Need: "need", DecisionMakers: "CFO", Budget: "yes", Timeline: "Q2", Risk: "none",
			NextStep: "Follow up", NextStepDue: date(t, "2026-04-03"), Status: domain.Open,
			CreatedAt: createdAt, CreatedBy: sp.owner, UpdatedAt: createdAt,
		}
		// The store records an approved discount on the deal itself
		// (store.applyDiscount) and DiscountInfo reads it back from there,
		// so the deal carries the same discount as its DiscountInfo.
		d.Discount = sp.disc.ApprovedBP
		if sp.tweak != nil {
			sp.tweak(d)
		}
		// Creation entries carry the initial stage and close date.
		h := []domain.HistoryEntry{
			change(d.ID, createdAt, domain.FieldStage, "", sp.steps[0].stage),
			change(d.ID, createdAt, domain.FieldCloseDate, "", sp.close0),
			change(d.ID, createdAt, domain.FieldStatus, "", string(domain.Open)),
		}
		if d.NextStep != "" {
			h = append(h, change(d.ID, createdAt, domain.FieldNextStep, "", d.NextStep))
		}
		for i := 1; i < len(sp.steps); i++ {
			h = append(h, change(d.ID, when(sp.steps[i].at), domain.FieldStage, sp.steps[i-1].stage, sp.steps[i].stage))
		}
		for _, p := range sp.pushes {
			h = append(h, change(d.ID, when(p.at), domain.FieldCloseDate, p.from, p.to))
			d.CloseDate = date(t, p.to)
		}
		if sp.end != "" {
			h = append(h, change(d.ID, when(sp.endAt), domain.FieldStatus, string(domain.Open), string(sp.end)))
			d.Status, d.UpdatedAt = sp.end, when(sp.endAt)
			if sp.end == domain.Lost {
				d.LossReason = "price"
			}
		}
		if sp.reopen != "" {
			h = append(h, change(d.ID, when(sp.reopen), domain.FieldStatus, string(sp.end), string(domain.Open)))
			d.Status, d.LossReason, d.UpdatedAt = domain.Open, "", when(sp.reopen)
		}
		slices.SortStableFunc(h, func(a, b domain.HistoryEntry) int { return a.At.Compare(b.At) })
		for i := range h {
			h[i].By = d.Owner
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("fixture %s: %v", d, err)
		}
		in.Deals = append(in.Deals, coaching.DealInput{Deal: d, History: h, Discount: sp.disc})
	}
	return in
}

var (
	q1       = coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)}
	reportAt = time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
)

// TestFixtureStallLimits: completed stays per stage, in days (a stay ends at
// the next stage entry or when the deal is won or lost; stays still open
// are not counted):
//
//	Q:  D1 4, D2 4, D3 7, D5 21, D6 14, D7 4, D8 7, D9 21, D10 7, D11 7, D12 7,
//	    D13 7, D14 7, D16 7, D18 14, D19 2, D20 7 — 17 stays, sorted
//	    2 4 4 4 7 7 7 7 7 7 7 7 7 14 14 21 21: median (9th) 7 → 2×7 = 14 → 14 days
//	Di: D1 4, D2 7, D3 7, D4 7, D5 28, D6 44.56 (Nov 17 10:00 → Dec 31 23:30),
//	    D7 14, D8 7, D10 14, D11 7, D13 14, D14 7, D16 7, D18 42, D19 7, D20 21
//	    (until lost) — 16 stays: 4, eight 7s, 14 14 14, 21 28 42 44.56;
//	    median (7+7)/2 = 7 → 14 days
//	De: D1 7, D2 10, D3 21, D7 21, D8 14, D10 14, D11 21, D13 14, D16 28 —
//	    sorted 7 10 14 14 14 21 21 21 28: median 14 → 28 days
//	P:  D1 10, D2 14, D3 20, D4 35, D8 21, D10 30, D13 21, D16 28 — sorted
//	    10 14 20 21 21 28 30 35: median 21 → 42 days
//	N:  D1 4, D2 4, D3 10, D5 57.56 (Feb 2 10:00 → Mar 31 23:30), D8 23, D16 28 —
//	    sorted 4 4 10 23 28 57.56: median (10+23)/2 = 16.5 → 33 days
//	C:  D1 3, D3 26: median 14.5 → 29 days
func TestFixtureStallLimits(t *testing.T) {
	in := fixture(t)
	got := coaching.StallLimits(in.Settings, in.Deals)
	d := 24 * time.Hour
	want := []time.Duration{14 * d, 14 * d, 28 * d, 42 * d, 33 * d, 29 * d}
	if !slices.Equal(got, want) {
		t.Errorf("limits = %v, want %v", got, want)
	}
}

// TestFixtureNudges: at 2026-04-01 08:00 UTC, today is Apr 1 in Paris.
// Open deals, time in the current stage against its limit:
//
//	D11 P since 03-02: 29d22h < 42     D12 Di since 03-02: 29d22h > 14 stalled
//	D13 N since 03-09: 22d22h < 33     D14 De since 03-16: 16d22h < 28
//	D15 Q 8d22h, D17 Q 1d22h < 14      D16 C since 03-09: 22d22h < 29
//	D18 De since 01-05: 85d22h > 28 stalled   D19 De 6d22h
//	D20 Di since its reopening 03-02: 29d22h > 14 stalled
//
// Other rules: D12's next step was due 03-27; D13 lacks Risk (Negotiation
// requires it) and was pushed twice; D14 has no next step, closes 03-31 (past)
// and asks 25 % > 15 % without a budget (Demo itself does not require one, so
// no missing-fields nudge); D16 was pushed three times; D19 lacks decision
// makers. D11's only close-date change pulled it in. D13 asks 20 % but is
// fully qualified. Won deals: D5 won 03-31 at 35 % > 25 %, a hollow win of
// less than 30 days; D2 won at 30 % on 02-20, 40 days ago, is not one any more.
func TestFixtureNudges(t *testing.T) {
	got := keys(coaching.Evaluate(fixture(t), reportAt))
	want := []string{
		"hollow_win:D-5:U0ANNA:3500",
		"next_step_overdue:D-12:U0ANNA:2026-03-27",
		"stalled:D-12:U0ANNA:Discovery@2026-03-02",
		"close_date_pushed:D-16:U0ANNA:3",
		"missing_fields:D-19:U0ANNA:Demo@decision_makers",
		"stalled:D-20:U0ANNA:Discovery@2026-03-02",
		"missing_fields:D-13:U0BRUNO:Negotiation@risk",
		"close_date_pushed:D-13:U0BRUNO:2",
		"no_next_step:D-14:U0BRUNO:2026-03-02",
		"close_date_past:D-14:U0BRUNO:2026-03-31",
		"discount_unqualified:D-14:U0BRUNO:2500@budget",
		"stalled:D-18:U0BRUNO:Demo@2026-01-05",
	}
	if !slices.Equal(got, want) {
		t.Errorf("keys =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
