package store

import (
	"context"

	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
)

// The bot imports a file a manager sends it (bot/import.go) through
// crm.Target: these two methods are ImportedDeals and ApplyImport in crm's
// types, so the bot needs neither the store's types nor the store.

// ImportExisting is ImportedDeals as crm.Target reads it.
func (db *DB) ImportExisting(ctx context.Context, ids []string) (map[string]crm.Existing, error) {
	found, err := db.ImportedDeals(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]crm.Existing, len(found))
	for id, d := range found {
		out[id] = crm.Existing{Deal: d.Deal, Base: d.Base}
	}
	return out, nil
}

// WriteImport is ApplyImport as crm.Target writes it.
func (db *DB) WriteImport(ctx context.Context, by domain.UserID, ws []crm.Write) error {
	items := make([]ImportItem, len(ws))
	for i, w := range ws {
		items[i] = ImportItem{ExternalID: w.ExternalID, Create: w.Create, Update: w.Update, Version: w.Version, After: w.After, Base: w.Base, StoredAs: w.StoredAs}
	}
	_, err := db.ApplyImport(ctx, by, items)
	return err
}

var _ crm.Target = (*DB)(nil)
