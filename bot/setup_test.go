package bot_test

import (
	"context"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestPeopleNotedThenWrittenByTheTick: a name the platform gives is only
// noted (no write on the transport's path); the tick's people job writes
// every name noted in one go, a changed name again, an unchanged one not.
func TestPeopleNotedThenWrittenByTheTick(t *testing.T) {
	clock := domain.NewManualClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "people.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: securityConfig(t), Clock: clock})
	ctx := context.Background()
	people := func() map[domain.UserID]string {
		t.Helper()
		p, err := db.People(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	b.PersonSeen(sample.Rep1, "Léa Dubois")
	b.PersonSeen(sample.Rep2, "Hugo Bernard")
	b.PersonSeen("", "nobody")
	if p := people(); len(p) != 0 {
		t.Fatalf("written before the tick: %v", p)
	}
	b.Tick(ctx, nil)
	want := map[domain.UserID]string{sample.Rep1: "Léa Dubois", sample.Rep2: "Hugo Bernard"}
	if p := people(); !maps.Equal(p, want) {
		t.Fatalf("after the tick: %v, want %v", p, want)
	}
	b.PersonSeen(sample.Rep1, "Léa Martin")
	if err := b.FlushPeople(ctx); err != nil {
		t.Fatal(err)
	}
	want[sample.Rep1] = "Léa Martin"
	if p := people(); !maps.Equal(p, want) {
		t.Errorf("after a new name: %v, want %v", p, want)
	}
}
