package bot

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

// TestOneHeavyCommandPerUser: while a user's heavy command is in flight
// (its slot held here, as the first command holds it while it works), a
// second heavy command of theirs is refused at once with "still working on
// your last one", in English and French; other users are not held back,
// and the slot is free again once the first is done.
func TestOneHeavyCommandPerUser(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(now)
	db, err := store.Open(filepath.Join(t.TempDir(), "busy.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := sample.Seed(context.Background(), db, clock, now, cfg.Stages); err != nil {
		t.Fatal(err)
	}
	b := New(Options{Store: db, Config: cfg, Clock: clock})
	cmds := b.Commands()
	run := func(user domain.UserID, name, text string) error {
		h, _, args := cmds[name].Route(text)
		_, err := h(context.Background(), Caller{User: user, Channel: sample.SalesChannel}, args)
		return err
	}
	heavy := []struct{ name, text string }{
		{"/pipeline", ""}, {"/pipeline", "team 30d"}, {"/forecast", ""}, {"/forecast", "France"}, {"/forecast", "submit"},
	}

	if !b.heavy.begin(sample.Manager) {
		t.Fatal("the manager's slot was taken before any command")
	}
	for _, c := range heavy {
		err := run(sample.Manager, c.name, c.text)
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EBUSY || e.Key != "busy.still_working" {
			t.Errorf("%s %s while the last one is in flight: %v, want busy.still_working", c.name, c.text, err)
			continue
		}
		if got := i18n.Message(i18n.EN, e); got != "Still working on your last one: you'll get its answer first, then ask again." {
			t.Errorf("English: %q", got)
		}
		if got := i18n.Message(i18n.FR, e); got != "Je travaille encore sur votre demande précédente : vous aurez d'abord sa réponse, puis redemandez." {
			t.Errorf("French: %q", got)
		}
	}
	// Light commands are not held back, nor are other users.
	if err := run(sample.Manager, "/deal", "list"); err != nil {
		t.Errorf("/deal list while a heavy command is in flight: %v", err)
	}
	if err := run(sample.Rep1, "/pipeline", ""); err != nil {
		t.Errorf("another user's /pipeline: %v", err)
	}
	b.heavy.end(sample.Manager)
	for range 2 { // the slot is freed after each command, errors included
		for _, c := range heavy {
			if err := run(sample.Manager, c.name, c.text); domain.ErrorCode(err) == domain.EBUSY {
				t.Errorf("%s %s after the last one finished: %v", c.name, c.text, err)
			}
		}
		if err := run(sample.Manager, "/pipeline", "lately"); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("/pipeline lately: %v, want a usage error", err)
		}
	}
}
