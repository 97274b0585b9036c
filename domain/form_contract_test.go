package domain_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestUpdateFormContract: the update form sets the deal's type, term and
// recurring value when it holds their inputs, refuses each that cannot be
// read on its own input (together with the others' errors), and leaves
// them as they are when it does not hold them (a form opened before they
// existed).
func TestUpdateFormContract(t *testing.T) {
	cur := formDeal()
	cur.Type, cur.TermMonths, cur.Recurring = domain.TypeRenewal, 12, 24_000_00
	tests := []struct {
		name    string
		changes map[domain.Field]string
		want    string
		check   func(*domain.Deal) bool
	}{
		{"Set", map[domain.Field]string{domain.FieldType: "expansion", domain.FieldTerm: "2y", domain.FieldRecurring: "36k"}, "ok",
			func(d *domain.Deal) bool {
				return d.Type == domain.TypeExpansion && d.TermMonths == 24 && d.Recurring == 36_000_00
			}},
		{"Cleared", map[domain.Field]string{domain.FieldType: "", domain.FieldTerm: "", domain.FieldRecurring: ""}, "ok",
			func(d *domain.Deal) bool { return d.Type == "" && d.TermMonths == 0 && d.Recurring == 0 }},
		{"NotInForm", nil, "ok",
			func(d *domain.Deal) bool {
				return d.Type == domain.TypeRenewal && d.TermMonths == 12 && d.Recurring == 24_000_00
			}},
		{"ErrEach", map[domain.Field]string{domain.FieldType: "churn", domain.FieldTerm: "forever", domain.FieldRecurring: "lots", domain.FieldAmount: "x"},
			"amount:parse.amount type:deal.bad_type term_months:deal.bad_term recurring:deal.bad_recurring", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := updateValues(tt.changes)
			f := domain.UpdateForm{Submission: domain.Submission{Values: v, Opened: cur.Version, By: "UREPFR", Today: formToday}, Rules: formRules()}
			got, err := f.Apply(cur, func() ([]domain.HistoryEntry, error) { return formHistory(), nil })
			if o := formOutcome(err); o != tt.want {
				t.Fatalf("Apply = %s; want %s", o, tt.want)
			}
			if tt.check != nil && !tt.check(got) {
				t.Errorf("deal after the form: type %q, term %d, recurring %d", got.Type, got.TermMonths, got.Recurring)
			}
		})
	}
}

// TestNewDealFormContract: the new-deal form keeps the contract it is
// given, and refuses a bad term on its input.
func TestNewDealFormContract(t *testing.T) {
	v := map[domain.Field]string{
		domain.FieldName: "Acme renewal", domain.FieldAccount: "Acme", domain.FieldAmount: "20k", domain.FieldCloseDate: "2026-12-20",
		domain.FieldStage: "Qualification", domain.FieldNextStep: "Call", domain.FieldNextStepDue: "2026-11-30",
		domain.FieldType: "renewal", domain.FieldTerm: "12", domain.FieldRecurring: "20k",
	}
	f := domain.NewDealForm{Submission: domain.Submission{Values: v, By: "UREPFR", Today: formToday}, Rules: formRules()}
	d, err := f.Apply()
	if err != nil {
		t.Fatal(err)
	}
	if d.Type != domain.TypeRenewal || d.TermMonths != 12 || d.Recurring != 20_000_00 {
		t.Errorf("deal = %+v; want a renewal of 12 months at 20k ARR", d)
	}
	v[domain.FieldTerm] = "0"
	if _, err := f.Apply(); formOutcome(err) != "term_months:deal.bad_term" {
		t.Errorf("a term of 0: %s; want term_months:deal.bad_term", formOutcome(err))
	}
}
