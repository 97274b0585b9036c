package export

import (
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
)

// TestCRMSets: each --for writes exactly the header set `dealpilot import`
// recognises for that CRM, and a deal's cells as that CRM means them: the
// net amount, the CRM's stage for open, won and lost deals, the closed
// deals' forecast category, the probability from the stages.
func TestCRMSets(t *testing.T) {
	open := &domain.Deal{ID: 7, Name: "Acme", Account: "Acme SA", Owner: "U1", Amount: 10000000, Discount: 1250, Currency: "EUR",
		Stage: "Proposal", Category: domain.BestCase, Status: domain.Open, NextStep: "Call", CloseDate: domain.NewDate(2026, 12, 18)}
	won, lost := *open, *open
	won.Status, lost.Status, lost.LossReason = domain.Won, domain.Lost, "price"
	fromHubSpot := *open
	fromHubSpot.ExternalID = "hubspot:1234"
	name := func(u domain.UserID) string { return map[domain.UserID]string{"U1": "Léa Dubois"}[u] }
	for _, c := range []struct {
		target string
		deal   *domain.Deal
		want   map[crm.Column]string
	}{
		{"hubspot", open, map[crm.Column]string{crm.ColAmount: "87500.00", crm.ColStage: "Decision Maker Bought-In", crm.ColCategory: "Best case",
			crm.ColProbability: "60", crm.ColOwner: "Léa Dubois", crm.ColPipeline: "Sales Pipeline", crm.ColExternalID: ""}},
		{"hubspot", &fromHubSpot, map[crm.Column]string{crm.ColExternalID: "1234"}},
		{"salesforce", &fromHubSpot, map[crm.Column]string{crm.ColExternalID: ""}},
		{"hubspot", &won, map[crm.Column]string{crm.ColStage: "Closed Won", crm.ColCategory: "Closed won", crm.ColProbability: "100"}},
		{"hubspot", &lost, map[crm.Column]string{crm.ColStage: "Closed Lost", crm.ColCategory: "Not forecasted", crm.ColProbability: "0", crm.ColLossReason: "price"}},
		{"salesforce", open, map[crm.Column]string{crm.ColAmount: "87500.00", crm.ColStage: "Proposal/Price Quote", crm.ColCategory: "Best Case", crm.ColCurrency: "EUR"}},
		{"salesforce", &won, map[crm.Column]string{crm.ColStage: "Closed Won", crm.ColCategory: "Closed"}},
		{"salesforce", &lost, map[crm.Column]string{crm.ColStage: "Closed Lost", crm.ColCategory: "Omitted"}},
		{"pipedrive", open, map[crm.Column]string{crm.ColAmount: "87500.00", crm.ColStage: "Proposal Made", crm.ColStatus: "Open", crm.ColPipeline: ""}},
		{"pipedrive", &won, map[crm.Column]string{crm.ColStage: "Proposal Made", crm.ColStatus: "Won"}},
		{"pipedrive", &lost, map[crm.Column]string{crm.ColStage: "Proposal Made", crm.ColStatus: "Lost", crm.ColLossReason: "price"}},
	} {
		t.Run(c.target+"/"+string(c.deal.Status)+"/"+c.deal.ExternalID, func(t *testing.T) {
			set, ok := targetSet(c.target, domain.DefaultStages())
			if !ok {
				t.Fatalf("no set for %q", c.target)
			}
			hs, _ := crm.ExportHeaders(crm.Format(c.target))
			if !slices.Equal(set.header(), hs.Names()) {
				t.Fatalf("header %q, want crm's %q", set.header(), hs.Names())
			}
			row := set.row(c.deal, name)
			for col, want := range c.want {
				i := slices.IndexFunc(hs.Headers, func(h crm.Header) bool { return h.Column == col })
				if i < 0 {
					t.Fatalf("%s has no %s column", c.target, col)
				}
				if row[i].V != want {
					t.Errorf("%s = %q, want %q", hs.Headers[i].Name, row[i].V, want)
				}
			}
			if i := slices.IndexFunc(hs.Headers, func(h crm.Header) bool { return h.Column == crm.ColAmount }); row[i].Kind != Number {
				t.Errorf("the amount is not a number cell")
			}
		})
	}
	if _, ok := targetSet("zoho", domain.DefaultStages()); ok {
		t.Error("an unknown CRM has a set")
	}
}

// TestCRMCategoriesReadBack: every forecast category a --for file writes,
// for open deals of each category and for won and lost ones, is one
// `dealpilot import` reads (crm.LookupCategory), so the file is not
// refused when it comes back.
func TestCRMCategoriesReadBack(t *testing.T) {
	for _, f := range crm.Formats {
		for _, st := range []domain.Status{domain.Open, domain.Won, domain.Lost} {
			for _, c := range domain.Categories {
				d := &domain.Deal{Status: st, Category: c}
				v := crmCategory(f, d)
				if _, ok := crm.LookupCategory(v); !ok {
					t.Errorf("--for %s writes a %s %s deal's category %q, which import does not read", f, st, c, v)
				}
			}
		}
	}
}
