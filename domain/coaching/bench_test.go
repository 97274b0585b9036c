package coaching_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// benchInput returns n deals of 50 reps, each with 20 history entries: its
// creation (4), stage moves, close-date changes, next-step updates, and a
// status change for the 30 % that are won or lost. Deterministic.
func benchInput(n int) coaching.Input {
	s := coaching.DefaultSettings()
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	in := coaching.Input{Settings: s, Deals: make([]coaching.DealInput, n)}
	for i := range n {
		created := base.Add(time.Duration(r.IntN(300*24)) * time.Hour)
		stage := r.IntN(len(s.Stages))
		d := &domain.Deal{
			ID: domain.DealID(i + 1), Name: "Deal", Account: "Acct", Owner: domain.UserID(fmt.Sprintf("U%03d", i%50)),
			Amount: int64(1+r.IntN(200)) * 100_000, Currency: "EUR", Stage: s.Stages[stage].Name, Category: domain.Pipeline,
			Need: "need", DecisionMakers: "CFO", Budget: "yes", Timeline: "Q2", Risk: "low",
			NextStep: "Call", NextStepDue: domain.DateOf(created).AddDays(r.IntN(400)),
			CloseDate: domain.DateOf(created).AddDays(30 + r.IntN(200)), Status: domain.Open,
			CreatedAt: created, UpdatedAt: created,
		}
		switch r.IntN(10) {
		case 0:
			d.Budget = ""
		case 1:
			d.NextStep = ""
		}
		h := make([]domain.HistoryEntry, 0, 20)
		h = append(h,
			change(d.ID, created, domain.FieldStage, "", s.Stages[0].Name),
			change(d.ID, created, domain.FieldCloseDate, "", d.CloseDate.AddDays(-20).String()),
			change(d.ID, created, domain.FieldNextStep, "", "Call"),
			change(d.ID, created, domain.FieldStatus, "", "open"),
		)
		t := created
		for st := 1; st <= stage; st++ {
			t = t.Add(time.Duration(1+r.IntN(20*24)) * time.Hour)
			h = append(h, change(d.ID, t, domain.FieldStage, s.Stages[st-1].Name, s.Stages[st].Name))
		}
		closing := len(h) < 19 && r.IntN(10) < 3
		for len(h) < 20-btoi(closing) {
			t = t.Add(time.Duration(1+r.IntN(72)) * time.Hour)
			if r.IntN(3) == 0 {
				h = append(h, change(d.ID, t, domain.FieldCloseDate, "2026-01-10", "2026-01-20"))
			} else {
				h = append(h, change(d.ID, t, domain.FieldNextStep, "Call", "Call again"))
			}
		}
		if closing {
			t = t.Add(time.Hour)
			d.Status = domain.Won
			if r.IntN(3) == 0 {
				d.Status = domain.Lost
			}
			h = append(h, change(d.ID, t, domain.FieldStatus, "open", string(d.Status)))
		}
		in.Deals[i] = coaching.DealInput{Deal: d, History: h, Discount: coaching.DiscountInfo{RequestedBP: r.IntN(3000), ApprovedBP: r.IntN(3500)}}
	}
	return in
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

var benchNow = time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)

func BenchmarkEvaluate(b *testing.B) {
	in := benchInput(50_000)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(coaching.Evaluate(in, benchNow))
	}
	b.ReportMetric(float64(n), "nudges")
}

func BenchmarkKPIs(b *testing.B) {
	in := benchInput(50_000)
	p := coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)}
	b.ReportAllocs()
	for b.Loop() {
		coaching.KPIs(in, p, benchNow)
	}
}

// BenchmarkKPIsOver is /pipeline's KPIs with their trends: the asked
// period and its two comparisons in one pass (BenchmarkKPIs is one period;
// three KPIs calls would cost three times it).
func BenchmarkKPIsOver(b *testing.B) {
	in := benchInput(50_000)
	p := coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)}
	prev, ly := coaching.Comparisons(p)
	b.ReportAllocs()
	for b.Loop() {
		coaching.KPIsOver(in, p, []coaching.Period{prev, ly}, benchNow)
	}
}

// BenchmarkLossAnalysis is /pipeline losses over 50,000 deals: the KPIs'
// cohort pass plus one pass over the lost deals.
func BenchmarkLossAnalysis(b *testing.B) {
	in := benchInput(50_000)
	p := coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 3, 31)}
	reasons := []string{"price", "competitor", "no decision", "timing", "no budget", "other"}
	b.ReportAllocs()
	for b.Loop() {
		coaching.LossAnalysis(in, p, reasons, benchNow)
	}
}

func BenchmarkPlan(b *testing.B) {
	in := benchInput(50_000)
	nudges := coaching.Evaluate(in, benchNow)
	var sent []coaching.Sent
	for i, n := range nudges {
		if i%2 == 0 {
			sent = append(sent, coaching.Sent{Key: n.Key, At: benchNow.Add(-24 * time.Hour)})
		}
	}
	reps := make([]coaching.Rep, 50)
	for i := range reps {
		reps[i] = coaching.Rep{User: domain.UserID(fmt.Sprintf("U%03d", i))}
	}
	s := in.Settings
	s.Weekends = true
	b.ReportAllocs()
	for b.Loop() {
		coaching.Plan(benchNow.Add(time.Hour), reps, nudges, sent, nil, s)
	}
}
