package store

import (
	"errors"
	"fmt"
	"os"

	"go.etcd.io/bbolt"
)

// ErrSchemaOld is returned (wrapped) by OpenReadOnly for a file written by
// an older dealpilot: reading it needs its migrations, which write.
var ErrSchemaOld = errors.New("database schema is older than this program")

// OpenReadOnly opens an existing file for reading only, for `dealpilot
// export`: it never creates, migrates or writes it. bbolt takes a shared
// lock, so it fails with ErrInUse (after opts.Timeout) while a running bot
// holds the file: read a backup then (dealpilot backup FILE). A file whose
// schema is not this program's is refused (ErrSchemaOld, ErrSchemaTooNew):
// the read paths assume the current buckets. Write methods on the result
// fail with bbolt's read-only error.
func OpenReadOnly(path string, opts Options) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := openDB(path, opts, true)
	if err != nil {
		return nil, err
	}
	if err := db.bolt.View(func(tx *bbolt.Tx) error {
		v, err := fileVersion(tx)
		switch {
		case err != nil:
			return err
		case v > schemaVersion:
			return fmt.Errorf("%w (file %d, program %d)", ErrSchemaTooNew, v, schemaVersion)
		case v < schemaVersion:
			return fmt.Errorf("%w (file %d, program %d): open it once with this dealpilot (serve, or a report) to migrate it", ErrSchemaOld, v, schemaVersion)
		}
		db.signingKey = append([]byte(nil), tx.Bucket(bucketMeta).Get(keySigningKey)...)
		return nil
	}); err != nil {
		_ = db.bolt.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}
