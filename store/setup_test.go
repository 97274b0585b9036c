package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// TestSetup: the configuration a bot starts with is kept whole, written
// again only when it changes (its time then moves), and read back as it
// was; a file no bot has started on has none.
func TestSetup(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	ctx := context.Background()
	if _, _, ok, err := db.Setup(ctx); ok || err != nil {
		t.Fatalf("a new file has a setup: %v, %v", ok, err)
	}
	s := domain.Setup{Currency: "EUR", Locale: "fr", Timezone: "Europe/Paris", FiscalYearStart: time.October,
		Teams:  []domain.SetupTeam{{Name: "France", Manager: "U0MGR", Members: []domain.UserID{"U0REP1", "U0REP2"}, ManagerSells: true}},
		Quotas: []domain.SetupQuota{{User: "U0REP1", Period: "quarter", Amount: 150_000_00}, {Team: "France", Period: "2027-Q1", Amount: 1}},
		Stages: domain.DefaultStages(), LossReasons: []string{"price", "timing"},
		Nudges: &domain.SetupNudges{StalledMinDays: 21, HollowWinDiscount: 0}} // 0 kept as 0
	changed, err := db.SaveSetup(ctx, s)
	if err != nil || !changed {
		t.Fatalf("first save: %v, %v", changed, err)
	}
	first := clk.Now().UTC()
	got, at, ok, err := db.Setup(ctx)
	if err != nil || !ok || !at.Equal(first) {
		t.Fatalf("Setup = %v at %v, %v", ok, at, err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, s)
	}
	clk.Advance(time.Hour)
	if changed, err := db.SaveSetup(ctx, s); err != nil || changed {
		t.Errorf("the same setup again: changed %v, %v", changed, err)
	}
	if _, at, _, _ := db.Setup(ctx); !at.Equal(first) {
		t.Errorf("the same setup moved its time to %v", at)
	}
	s.Teams[0].Members = append(s.Teams[0].Members, "U0REP3")
	if changed, err := db.SaveSetup(ctx, s); err != nil || !changed {
		t.Errorf("a new member: changed %v, %v", changed, err)
	}
	got, at, _, _ = db.Setup(ctx)
	if len(got.Teams[0].Members) != 3 || !at.After(first) {
		t.Errorf("after a change: %+v at %v", got.Teams, at)
	}
}

// TestPeople: a display name is kept as last seen; the same name again
// writes nothing; an empty one is ignored.
func TestPeople(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	for _, p := range []struct{ user, name string }{{"U0REP1", "Léa Martin"}, {"U0REP2", "Hugo"}, {"U0REP1", "Léa Dubois"}, {"U0REP2", ""}, {"", "nobody"}} {
		if err := db.SeePerson(ctx, domain.UserID(p.user), p.name); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.People(ctx)
	want := map[domain.UserID]string{"U0REP1": "Léa Dubois", "U0REP2": "Hugo"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("People = %v, %v; want %v", got, err, want)
	}
}
