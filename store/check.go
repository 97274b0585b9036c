package store

import (
	"errors"
	"fmt"

	"go.etcd.io/bbolt"
)

// Check runs bbolt's consistency check over the whole file (every page
// reachable once, no freed page in use, keys in order) and returns every
// problem found, joined. It holds the write lock while it runs (bbolt's
// check is only safe alongside writers inside a write transaction), so run it
// at startup or in tests rather than on a busy bot.
func (db *DB) Check() error {
	tx, err := db.bolt.Begin(true)
	if err != nil {
		return fmt.Errorf("store: check: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: check: %w", err)
	}
	return nil
}

// Stats is a snapshot of what the file holds, for health checks and logs.
type Stats struct {
	SchemaVersion  int
	Deals          int
	HistoryEntries int
	CreateKeys     int
	DoneKeys       int
	FileBytes      int64 // the size of the data as of the snapshot
}

// Stats counts what the file holds in one read transaction.
func (db *DB) Stats() (Stats, error) {
	var s Stats
	err := db.view(func(tx *bbolt.Tx) error {
		v, err := fileVersion(tx)
		if err != nil {
			return err
		}
		s.SchemaVersion = v
		s.FileBytes = tx.Size()
		for _, c := range []struct {
			name []byte
			n    *int
		}{
			{bucketDeals, &s.Deals},
			{bucketHistory, &s.HistoryEntries},
			{bucketCreateKeys, &s.CreateKeys},
			{bucketDone, &s.DoneKeys},
		} {
			b, err := bucket(tx, c.name)
			if err != nil {
				return err
			}
			*c.n = b.Stats().KeyN
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	return s, nil
}
