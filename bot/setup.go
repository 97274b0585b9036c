package bot

import (
	"context"

	"github.com/dealpilot/dealpilot/domain"
)

// SetupStore is what a store may offer so that reports stand alone
// (store.DB): the configuration the bot runs with, and people's names as
// the platform last showed them.
type SetupStore interface {
	// SaveSetup keeps s when it differs from the one kept, and says so.
	SaveSetup(ctx context.Context, s domain.Setup) (changed bool, err error)
	// SeePerson keeps user's display name when it differs.
	SeePerson(ctx context.Context, user domain.UserID, name string) error
	// People are the names kept, by user.
	People(ctx context.Context) (map[domain.UserID]string, error)
}

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

// PersonSeen records how the platform names user, for reports offline.
// Transports call it after the platform told them (never before an ack);
// a name already kept is not written again.
func (b *Bot) PersonSeen(ctx context.Context, user domain.UserID, name string) error {
	s, ok := b.store.(SetupStore)
	if !ok || user == "" || name == "" {
		return nil
	}
	if v, ok := b.seen.Load(user); ok && v.(string) == name {
		return nil
	}
	if err := s.SeePerson(ctx, user, name); err != nil {
		return err
	}
	b.seen.Store(user, name)
	return nil
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
