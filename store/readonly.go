package store

import (
	"errors"
	"fmt"
	"os"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
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
	if opts.Clock == nil {
		opts.Clock = domain.SystemClock{}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	bdb, err := openBolt(path, opts.Timeout, true)
	if err != nil {
		return nil, err
	}
	db := &DB{bolt: bdb, clock: opts.Clock, logf: opts.Logf, observe: opts.ObserveWrite, badRecord: opts.BadRecord}
	if err := bdb.View(func(tx *bbolt.Tx) error {
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
		_ = bdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}
