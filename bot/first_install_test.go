package bot_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestFirstInstallAnyoneCreatesDeals: a configuration that names no teams
// (a first install, config.Default) lets anyone own deals: /deal new opens
// the form, and the form submitted creates the deal, owned by whoever
// submitted it. Once teams are named, only the people of the file may
// (TestEveryActionAgainstEveryRole's Unknown rows).
func TestFirstInstallAnyoneCreatesDeals(t *testing.T) {
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "first.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := config.Default()
	if len(cfg.Teams) != 0 {
		t.Fatalf("the default configuration names %d teams", len(cfg.Teams))
	}
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	c := bot.Caller{User: "U0NEWCOMER", Channel: "C0GENERAL"}

	open, err := b.Commands()["/deal"].Subs["new"](ctx, c, "")
	if err != nil {
		t.Fatalf("/deal new on a first install: %v", err)
	}
	f := open.(bot.OpenForm).Form
	v := bot.Values{}
	for _, in := range f.Inputs {
		switch in.Field {
		case domain.FieldAmount:
			v[in.Field] = "48k"
		case domain.FieldCloseDate:
			v[in.Field] = "2026-12-20"
		case domain.FieldNextStepDue:
			v[in.Field] = "2026-12-01"
		case domain.FieldStage:
			v[in.Field] = in.Initial
		case domain.FieldCategory, domain.FieldType, domain.FieldTerm, domain.FieldRecurring:
			v[in.Field] = "" // optional, left blank
		default:
			v[in.Field] = "Filled " + string(in.Field)
		}
	}
	reply, err := b.Forms()[bot.FormNewDeal](ctx, c, f.Meta, v, "view:first")
	if err != nil {
		t.Fatalf("the new-deal form on a first install: %v", err)
	}
	created, ok := reply.(bot.Created)
	if !ok {
		t.Fatalf("answered %+v, want the deal created", reply)
	}
	if d, err := db.Deal(ctx, created.Deal.ID); err != nil || d.Owner != c.User || d.Amount != 4_800_000 {
		t.Fatalf("stored %+v, %v; want the newcomer's deal of 48k", d, err)
	}
}
