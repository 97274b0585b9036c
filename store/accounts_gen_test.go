package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// TestAccountsGeneration: every kind of write to the accounts (a deal
// naming a new account, on creation or when its account changes; the
// attributes set, an event added or withdrawn, through UpdateAccount or
// its callers; an import teaching an account a segment value) gives them
// a new generation, and AccountsAt with the generation before gives them
// all, as Accounts does; a write that changes no account (a deal of a
// known account, a failed or refused account update, an import that
// teaches nothing) keeps it, and AccountsAt with it decodes nothing. A new
// file's accounts have a generation already (never 0), kept when the file
// is reopened.
func TestAccountsGeneration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	clk := newClock(time.Minute)
	db := openPath(t, path, clk)
	ctx := context.Background()
	known := uint64(0)
	// step does what, then requires the generation to have moved or not.
	step := func(what string, moves bool, do func() error) {
		t.Helper()
		if err := do(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got, gen, err := db.AccountsAt(ctx, known)
		if err != nil {
			t.Fatalf("%s: AccountsAt: %v", what, err)
		}
		if moved := gen != known; moved != moves {
			t.Fatalf("%s: generation %d, was %d: moved %v, want %v", what, gen, known, moved, moves)
		}
		if !moves {
			if got != nil {
				t.Fatalf("%s: AccountsAt of the known generation gave %d accounts, want none read", what, len(got))
			}
			return
		}
		all, err := db.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got) != len(all) || (len(all) > 0 && !reflect.DeepEqual(got, all)) {
			t.Fatalf("%s: AccountsAt gave %+v; want every account, %+v", what, got, all)
		}
		if again, g, err := db.AccountsAt(ctx, gen); err != nil || again != nil || g != gen {
			t.Fatalf("%s: asked again at %d: %d accounts, generation %d, %v; want none read, the same", what, gen, len(again), g, err)
		}
		known = gen
	}
	nothing := func() error { return nil }
	step("a new file", true, nothing)
	if known == 0 {
		t.Fatal("a new file's accounts have generation 0")
	}
	var d *domain.Deal
	step("a deal of a new account", true, func() error {
		d = mustCreate(t, db, newDeal("Pilot", "Acme", "U1", "2026-03-31", ""), "U1")
		return nil
	})
	step("a deal of a known account", false, func() error {
		mustCreate(t, db, newDeal("More", "ACME", "U2", "2026-03-31", ""), "U2")
		return nil
	})
	update := func(fn func(*domain.Deal)) func() error {
		return func() error {
			_, _, err := db.UpdateDeal(ctx, d.ID, 0, "U1", func(x *domain.Deal) error { fn(x); return nil })
			return err
		}
	}
	step("a deal's amount, type, term, recurring value and attributes", false, update(func(x *domain.Deal) {
		x.Amount++
		x.Type, x.TermMonths, x.Recurring = domain.TypeRenewal, 12, 10_000_00
		x.SetAttr("industry", "Retail")
	}))
	step("a deal moved to a new account", true, update(func(x *domain.Deal) { x.Account = "Globex" }))
	step("a deal moved back to a known account", false, update(func(x *domain.Deal) { x.Account = "acme" }))
	step("attributes set", true, func() error {
		_, err := db.SetAccountAttributes(ctx, "Acme", map[string]string{"industry": "Retail"})
		return err
	})
	churn := domain.AccountEvent{Kind: domain.EventChurn, On: date("2026-02-01"), Amount: 24_000_00, Currency: "EUR", By: "U1"}
	step("an event added", true, func() error { _, err := db.AddAccountEvent(ctx, "acme", churn); return err })
	step("an event withdrawn", true, func() error {
		_, _, err := db.WithdrawAccountEvent(ctx, "acme", domain.EventChurn, "U1")
		return err
	})
	step("an account updated", true, func() error {
		_, err := db.UpdateAccount(ctx, "globex", func(a *domain.Account) error { a.Attributes = map[string]string{"region": "north"}; return nil })
		return err
	})
	step("an account update that fails", false, func() error {
		boom := errors.New("boom")
		if _, err := db.UpdateAccount(ctx, "acme", func(a *domain.Account) error { a.Attributes = nil; return boom }); !errors.Is(err, boom) {
			return err
		}
		return nil
	})
	step("a withdrawal with nothing to withdraw", false, func() error {
		if _, _, err := db.WithdrawAccountEvent(ctx, "acme", domain.EventChurn, "U1"); domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		return nil
	})
	step("an unknown account's update", false, func() error {
		if _, err := db.UpdateAccount(ctx, "Initech", func(*domain.Account) error { return nil }); domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		return nil
	})
	// An import of a deal of a known account teaches the account a value
	// it lacks (rememberAccountAttrs alone writes it).
	var imported *domain.Deal
	step("an import teaching a known account a value", true, func() error {
		in := newDeal("Imported", "Acme", "U1", "2026-06-30", "")
		in.SetAttr("size_band", "51-200")
		ids, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:7", Create: in}})
		if err == nil {
			imported = mustDeal(t, db, ids[0])
		}
		return err
	})
	step("an import teaching nothing", false, func() error {
		after := *imported
		after.Amount++
		_, err := db.ApplyImport(ctx, importer, []ImportItem{{ExternalID: "hubspot:7", Update: imported.ID, Version: imported.Version, After: &after}})
		return err
	})
	step("a bulk import of a new account's deal", true, func() error {
		_, err := db.ImportDeals(ctx, []Imported{{Deal: newDeal("Bulk", "Umbrella", "U3", "2026-05-31", ""), By: "U3"}})
		return err
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPath(t, path, clk)
	step("the file reopened", false, nothing)
}

// TestOnlyBumpingCodeWritesAccounts: AccountsAt trusts the accounts'
// generation, so every function of the store that writes the accounts
// bucket (a Put or Delete in a function naming it) moves it on in the
// same transaction (calls bumpAccounts), but migrateV14, which made the
// bucket before there was a generation (migration 19 gave the first). A
// new writer fails here until it bumps.
func TestOnlyBumpingCodeWritesAccounts(t *testing.T) {
	exempt := map[string]bool{"migrateV14": true}
	var writers []string
	for _, w := range bucketWriters(t, "bucketAccounts") {
		writers = append(writers, w.name)
		if !w.idents["bumpAccounts"] && !exempt[w.name] {
			t.Errorf("%s (%s) writes the accounts without bumpAccounts: AccountsAt would give what it held before", w.name, w.file)
		}
	}
	slices.Sort(writers)
	for _, want := range []string{"ensureAccount", "migrateV14", "rememberAccountAttrs", "updateAccount"} {
		if !slices.Contains(writers, want) {
			t.Errorf("%s not found among the writers %v: the scan is broken", want, writers)
		}
	}
	t.Logf("writers: %v", writers)
}
