package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// knownOnly is an org that knows only the users listed; nobody manages
// anyone.
type knownOnly []domain.UserID

func (knownOnly) IsAdmin(domain.UserID) bool               { return false }
func (knownOnly) ManagersOf(domain.UserID) []domain.UserID { return nil }
func (k knownOnly) Knows(u domain.UserID) bool             { return slices.Contains(k, u) }

// TestCreateDealForm: the new-deal form is applied in the write
// transaction and the deal it describes saved, once per key: the same
// submission again is answered with the deal it created, before the form
// is held to anything again (here a close date now past, a submitter no
// longer known); a refused form saves nothing and spends no key.
func TestCreateDealForm(t *testing.T) {
	ctx := context.Background()
	clk := newClock(0)
	db := openTest(t, clk)
	today := domain.DateOf(t0)
	form := func(by domain.UserID, today domain.Date, org knownOnly, changes map[domain.Field]string) domain.NewDealForm {
		v := map[domain.Field]string{
			domain.FieldName: "Acme renewal", domain.FieldAccount: "Acme", domain.FieldAmount: "20k",
			domain.FieldCloseDate: "2026-03-31", domain.FieldStage: "Qualification",
			domain.FieldNextStep: "Call back", domain.FieldNextStepDue: "2026-02-10",
		}
		for f, s := range changes {
			v[f] = s
		}
		return domain.NewDealForm{
			Submission: domain.Submission{Values: v, By: by, Today: today},
			Rules:      domain.FormRules{Org: org, Stages: domain.DefaultStages(), Locale: i18n.EN, Currency: "EUR"},
		}
	}
	team := knownOnly{"U1", "U2"}
	count := func() int {
		t.Helper()
		ds, err := db.Deals(ctx, domain.DealFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}

	first, err := db.CreateDealForm(ctx, form("U1", today, team, nil), "view:N1")
	if err != nil {
		t.Fatal(err)
	}
	if first.ID != 1 || first.Version != 1 || first.Owner != "U1" || first.CreatedBy != "U1" || first.Amount != 2_000_000 ||
		first.Stage != "Qualification" || !first.CreatedAt.Equal(t0) {
		t.Fatalf("created %+v", first)
	}

	// The same submission again, a month later and its submitter gone from
	// the configuration: the deal it created, nothing saved, nothing held.
	clk.Advance(30 * 24 * time.Hour)
	again, err := db.CreateDealForm(ctx, form("U1", domain.DateOf(clk.Peek()), knownOnly{}, nil), "view:N1")
	if err != nil || again.ID != first.ID || again.Version != 1 {
		t.Fatalf("redelivered: %+v, %v; want deal %d as created", again, err, first.ID)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d deals after a redelivery; want 1", n)
	}

	// Refusals save nothing and spend no key: the key then serves the
	// submission that is valid.
	refusals := []struct {
		name string
		f    domain.NewDealForm
		code string
	}{
		{"FieldErrors", form("U2", today, team, map[domain.Field]string{domain.FieldAmount: "12kk", domain.FieldName: ""}), domain.EINVALID},
		{"UnknownSubmitter", form("U3", today, team, nil), domain.EFORBIDDEN},
	}
	for _, r := range refusals {
		d, err := db.CreateDealForm(ctx, r.f, "view:N2")
		if domain.ErrorCode(err) != r.code || d != nil {
			t.Fatalf("%s: %v, %v; want %s and no deal", r.name, d, err, r.code)
		}
		if n := count(); n != 1 {
			t.Fatalf("%s: %d deals; want 1", r.name, n)
		}
	}
	if es, _ := domain.ErrorsOf(func() error {
		_, err := db.CreateDealForm(ctx, refusals[0].f, "view:N2")
		return err
	}()); len(es) != 2 {
		t.Errorf("field errors %v; want the amount's and the name's together", es)
	}
	second, err := db.CreateDealForm(ctx, form("U2", today, team, nil), "view:N2")
	if err != nil || second.ID != 2 || second.Owner != "U2" {
		t.Fatalf("after the refusals: %+v, %v; want deal 2, U2's", second, err)
	}

	// Without a key, each submission creates a deal, as CreateDeal does.
	for range 2 {
		if _, err := db.CreateDealForm(ctx, form("U2", today, team, nil), ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 4 {
		t.Fatalf("%d deals; want 4", n)
	}
}
