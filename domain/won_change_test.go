package domain_test

import (
	"errors"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestCanChangeWon: on a won deal, what it pays (amount, currency,
// discount, close date, type, term) is changed by the owner's manager or
// an admin only; the owner keeps every other field, and an open deal's
// pay fields. readOrg: France is UMGRFR's, UREPFR's deal.
func TestCanChangeWon(t *testing.T) {
	won := &domain.Deal{ID: 7, Owner: "UREPFR", Status: domain.Won, Amount: 20_000_00, Currency: "EUR",
		CloseDate: domain.NewDate(2026, 11, 25), Type: domain.TypeNew, TermMonths: 12}
	open := *won
	open.Status = domain.Open
	for _, tc := range []struct {
		name   string
		user   domain.UserID
		before *domain.Deal
		change func(*domain.Deal)
		ok     bool
	}{
		{"OwnerAmount", "UREPFR", won, func(d *domain.Deal) { d.Amount = 900_000_00 }, false},
		{"OwnerCurrency", "UREPFR", won, func(d *domain.Deal) { d.Currency = "USD" }, false},
		{"OwnerDiscount", "UREPFR", won, func(d *domain.Deal) { d.Discount = 1000 }, false},
		{"OwnerCloseDate", "UREPFR", won, func(d *domain.Deal) { d.CloseDate = domain.NewDate(2026, 12, 1) }, false},
		{"OwnerType", "UREPFR", won, func(d *domain.Deal) { d.Type = domain.TypeRenewal }, false},
		{"OwnerTerm", "UREPFR", won, func(d *domain.Deal) { d.TermMonths = 24 }, false},
		{"OwnerNextStep", "UREPFR", won, func(d *domain.Deal) { d.NextStep = "kick-off" }, true},
		{"OwnerARR", "UREPFR", won, func(d *domain.Deal) { d.Recurring = 24_000_00 }, false},
		{"OwnerLost", "UREPFR", won, func(d *domain.Deal) { d.Status = domain.Lost }, false},
		{"OwnerReopened", "UREPFR", won, func(d *domain.Deal) { d.Status = domain.Open }, false},
		{"ManagerReopened", "UMGRFR", won, func(d *domain.Deal) { d.Status = domain.Open }, true},
		{"OwnerWinsOpenDeal", "UREPFR", &open, func(d *domain.Deal) { d.Status = domain.Won }, true},
		{"OwnerOpenDealAmount", "UREPFR", &open, func(d *domain.Deal) { d.Amount = 900_000_00 }, true},
		{"ManagerAmount", "UMGRFR", won, func(d *domain.Deal) { d.Amount = 25_000_00 }, true},
		{"AdminType", "UADMIN", won, func(d *domain.Deal) { d.Type = domain.TypeRenewal }, true},
		{"OtherManagerAmount", "UMGRDE", won, func(d *domain.Deal) { d.Amount = 25_000_00 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := *tc.before
			tc.change(&after)
			err := domain.CanChangeWon(readOrg{}, tc.user, tc.before, &after)
			if tc.ok != (err == nil) {
				t.Fatalf("CanChangeWon = %v, want ok %v", err, tc.ok)
			}
			var e *domain.Error
			if err != nil && (!errors.As(err, &e) || e.Code != domain.EFORBIDDEN || e.Key != "deal.won_pay") {
				t.Errorf("refusal %v, want EFORBIDDEN deal.won_pay", err)
			}
		})
	}
}

// TestCanCreditSelf: whoever sets splits may not credit themselves unless
// they are an admin: the owner's manager crediting themselves an overlay
// is refused (naming their own manager, or an admin when they have
// none); crediting others, or an admin crediting themselves, is fine.
func TestCanCreditSelf(t *testing.T) {
	rep := domain.Split{User: "UREPFR", Share: 10_000}
	for _, tc := range []struct {
		name string
		user domain.UserID
		ss   []domain.Split
		key  string // "" allowed
	}{
		{"OthersOnly", "UMGRFR", []domain.Split{rep, {User: "UREPFR2", Share: 1000, Overlay: true}}, ""},
		{"ManagerOverlayOnSelf", "UMGRFR", []domain.Split{rep, {User: "UMGRFR", Share: 10_000, Overlay: true}}, "split.self_admin"},
		{"RepOfATeamOnSelf", "UREPFR2", []domain.Split{{User: "UREPFR2", Share: 10_000}}, "split.self"},
		{"AdminOnSelf", "UADMIN", []domain.Split{rep, {User: "UADMIN", Share: 500, Overlay: true}}, ""},
		{"None", "UMGRFR", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := domain.CanCreditSelf(readOrg{}, tc.user, tc.ss)
			var e *domain.Error
			switch {
			case tc.key == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.key != "" && (!errors.As(err, &e) || e.Code != domain.EFORBIDDEN || e.Key != tc.key):
				t.Errorf("CanCreditSelf = %v, want EFORBIDDEN %s", err, tc.key)
			}
		})
	}
}
