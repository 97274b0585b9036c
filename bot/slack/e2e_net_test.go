package slack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// TestForecastCountsTheNetAmount: /forecast, through the store's forecast
// fields, counts a deal at what the customer pays once a discount is
// approved: €48,000 best case at Proposal (60 %) with 25 % approved is
// €36,000 best case and €36,000 × 0.60 = €21,600 weighted.
func TestForecastCountsTheNetAmount(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	// What store.applyDiscount records on the deal when the desk approves.
	if _, _, err := h.store().UpdateDeal(context.Background(), d.ID, 0, sample.Manager, func(x *domain.Deal) error { x.Discount = 2500; return nil }); err != nil {
		t.Fatal(err)
	}
	got := h.answer(h.slash(sample.Rep1, "/forecast", "2026-Q4"))
	wantContains(t, got, "€36,000")
	wantContains(t, got, "€21,600")
	if strings.Contains(got, "€48,000") || strings.Contains(got, "€28,800") {
		t.Errorf("the list amount still counts:\n%s", got)
	}
}
