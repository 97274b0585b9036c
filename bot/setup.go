package bot

import (
	"context"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// RecordSetup keeps in the store what reports need of the configuration
// (teams and members, quotas as configured, calendar, stages, currency,
// loss reasons), so `dealpilot report` on a copy of the file needs no
// YAML. serve and demo call it at start; it writes only when the
// configuration changed since the last start.
func (b *Bot) RecordSetup(ctx context.Context) (changed bool, err error) {
	s, ok := b.store.(SetupStore)
	if !ok {
		return false, nil
	}
	return s.SaveSetup(ctx, b.cfg.Setup())
}

// PersonSeen notes how the platform names user, for reports offline.
// Transports call it after the platform told them (never before an ack).
// It only remembers the name: the people job (FlushPeople) writes the names
// noted since in one transaction, so a digest naming 600 reps costs one
// write, not 600.
func (b *Bot) PersonSeen(user domain.UserID, name string) {
	if user == "" || name == "" {
		return
	}
	b.peopleMu.Lock()
	defer b.peopleMu.Unlock()
	if b.kept[user] == name {
		return
	}
	if b.pending == nil {
		b.pending = map[domain.UserID]string{}
	}
	b.pending[user] = name
}

// FlushPeople writes the names noted by PersonSeen since the last flush;
// on failure they stay noted for the next one. The transport also calls it
// when it stops.
func (b *Bot) FlushPeople(ctx context.Context) error {
	s, ok := b.store.(SetupStore)
	b.peopleMu.Lock()
	pending := b.pending
	b.pending = nil
	b.peopleMu.Unlock()
	if !ok || len(pending) == 0 {
		return nil
	}
	err := s.SeePeople(ctx, pending)
	b.peopleMu.Lock()
	defer b.peopleMu.Unlock()
	if err != nil {
		for u, n := range pending {
			if _, newer := b.pending[u]; !newer {
				if b.pending == nil {
					b.pending = map[domain.UserID]string{}
				}
				b.pending[u] = n
			}
		}
		return err
	}
	if b.kept == nil {
		b.kept = map[domain.UserID]string{}
	}
	for u, n := range pending {
		b.kept[u] = n
	}
	return nil
}

// peopleJob writes the names noted since the last tick.
func (b *Bot) peopleJob() Job {
	return Job{Name: "people", Run: func(ctx context.Context, _ Messenger, _ time.Time) error { return b.FlushPeople(ctx) }}
}

// People are the display names the store keeps, by user: empty when it
// keeps none.
func (b *Bot) People(ctx context.Context) (map[domain.UserID]string, error) {
	s, ok := b.store.(SetupStore)
	if !ok {
		return map[domain.UserID]string{}, nil
	}
	return s.People(ctx)
}
