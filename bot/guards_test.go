package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestDigestChangesOnlyTheTeamsDeals: a team's digest is posted in its
// team channel, so its week-over-week changes list only that team's deals;
// a deal of another team that moved the same week is not among them.
func TestDigestChangesOnlyTheTeamsDeals(t *testing.T) {
	cfg := securityConfig(t) // France (Rep1, Rep2, …) and Germany (U0REP4)
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "digest.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	deal := func(name string, owner domain.UserID) *domain.Deal {
		d, err := db.CreateDeal(ctx, &domain.Deal{Name: name, Account: name, Owner: owner, Amount: 1_000_000,
			Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}, owner, "")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	france, germany := deal("Paris deal", sample.Rep1), deal("Berlin deal", "U0REP4")
	if _, _, err := b.BuildDigest(ctx, cfg.Teams[0], clock.Now()); err != nil { // last week's snapshot
		t.Fatal(err)
	}
	clock.Set(fuzzNow.Add(7 * 24 * time.Hour))
	for _, d := range []*domain.Deal{france, germany} {
		if _, _, err := db.UpdateDeal(ctx, d.ID, d.Version, d.Owner, func(x *domain.Deal) error { x.Amount *= 2; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []domain.DealID{france.ID, germany.ID} {
		team := cfg.Teams[i]
		dg, _, err := b.BuildDigest(ctx, team, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if dg.Changes == nil {
			t.Fatalf("%s: no changes, want the amount that went up", team.Name)
		}
		var got []domain.DealID
		for _, it := range dg.Changes.AmountUp {
			got = append(got, it.Deal)
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s's digest lists amounts up of %v, want only its own deal %v", team.Name, got, want)
		}
	}
}

// TestDealNextRefusesAPastDue: "/deal next … by yesterday" (or any date
// before the caller's today) is refused on the due date, and the deal's
// next step is left as it was; today itself is accepted.
func TestDealNextRefusesAPastDue(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "next.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Lyon deal", Account: "Lyon", Owner: sample.Rep1, Amount: 1_000_000,
		Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
		NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	for _, tc := range []struct {
		when string
		ok   bool
	}{
		{"yesterday", false},
		{"2026-11-24", false},
		{"2025-11-26", false},
		{"today", true},
	} {
		h, _, args := b.Commands()["/deal"].Route("next " + d.ID.Ref() + " Send the proposal by " + tc.when)
		_, err := h(ctx, c, args)
		got, err2 := db.Deal(ctx, d.ID)
		if err2 != nil {
			t.Fatal(err2)
		}
		if tc.ok {
			if err != nil || got.NextStep != "Send the proposal" || got.NextStepDue != domain.NewDate(2026, 11, 25) {
				t.Errorf("by %s: %v, next step %q due %v; want it set, due today", tc.when, err, got.NextStep, got.NextStepDue)
			}
			continue
		}
		var e *domain.Error
		if !errors.As(err, &e) || e.Key != "deal.next_step_due_past" || e.Field != domain.FieldNextStepDue {
			t.Errorf("by %s: %v, want deal.next_step_due_past on the due date", tc.when, err)
		}
		if got.NextStep != "Call back" || got.NextStepDue != domain.NewDate(2026, 11, 30) || got.Version != d.Version {
			t.Errorf("by %s: the deal changed to %q due %v (version %d)", tc.when, got.NextStep, got.NextStepDue, got.Version)
		}
	}
}
