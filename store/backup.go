package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole file to w while the database
// stays in use (a read transaction: writers are not blocked). It returns the
// number of bytes written. The copy opens like any dealpilot file.
func (db *DB) Backup(w io.Writer) (int64, error) {
	return db.BackupStream(w, func(int64) {})
}

// BackupStream writes a consistent copy like Backup, first telling size how
// many bytes will follow (an HTTP handler's Content-Length, so a client can
// tell a complete copy from a cut one).
func (db *DB) BackupStream(w io.Writer, size func(int64)) (int64, error) {
	var n int64
	err := db.view(func(tx *bbolt.Tx) error {
		size(tx.Size())
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// ReceiveBackup writes the copy read from r (a running bot's BackupStream)
// to dst, atomically, and only once it opens as a dealpilot database: dst
// is either left as it was or is the complete, checked copy.
func ReceiveBackup(r io.Reader, dst string) (int64, error) {
	var n int64
	err := writeFileVerified(dst, func(w io.Writer) error {
		var err error
		n, err = io.Copy(w, r)
		return err
	}, func(tmp string) error {
		bdb, err := openBolt(tmp, time.Second, true)
		if err != nil {
			return fmt.Errorf("the copy does not open: %w", err)
		}
		defer bdb.Close()
		return bdb.View(func(tx *bbolt.Tx) error {
			if _, err := fileVersion(tx); err != nil || tx.Bucket(bucketMeta) == nil {
				return fmt.Errorf("the copy is not a dealpilot database")
			}
			return nil
		})
	})
	return n, err
}

// BackupFile copies the database file src to dst for `dealpilot backup FILE`
// when the bot is not running. It opens src read-only, failing with ErrInUse
// after DefaultTimeout when a running dealpilot holds it (use the bot's own
// backups then). dst is replaced atomically: it is either the old file or the
// complete copy, never a partial one.
func BackupFile(src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	bdb, err := openBolt(src, backupFileTimeout, true)
	if err != nil {
		return err
	}
	defer bdb.Close()
	return bdb.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return fmt.Errorf("store: backup: %s is not a dealpilot database", src)
		}
		return writeFileAtomic(dst, func(w io.Writer) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
}

// backupFileTimeout is how long BackupFile waits for the lock; tests shorten it.
var backupFileTimeout = DefaultTimeout

// backupName matches the names BackupToDir gives; they sort by time.
var backupName = regexp.MustCompile(`^dealpilot-\d{8}-\d{6}\.db$`)

// BackupToDir writes a hot backup into dir (created if missing) named
// dealpilot-YYYYMMDD-HHMMSS.db after the clock's time in UTC, then deletes
// the oldest such backups so that keep remain (keep < 1 deletes none). It
// returns the new file's path. Other files in dir are left alone.
func (db *DB) BackupToDir(dir string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("store: backup: %w", err)
	}
	name := "dealpilot-" + utc(db.clock.Now()).Format("20060102-150405") + ".db"
	path := filepath.Join(dir, name)
	err := writeFileAtomic(path, func(w io.Writer) error {
		return db.view(func(tx *bbolt.Tx) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return "", err
	}
	if keep < 1 {
		return path, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return path, fmt.Errorf("store: backup: prune: %w", err)
	}
	var backups []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			backups = append(backups, e.Name())
		}
	}
	slices.Sort(backups)
	var errs []error
	for len(backups) > keep {
		if err := os.Remove(filepath.Join(dir, backups[0])); err != nil {
			errs = append(errs, err)
		} else {
			db.logf("store: removed old backup %s", backups[0])
		}
		backups = backups[1:]
	}
	if err := errors.Join(errs...); err != nil {
		return path, fmt.Errorf("store: backup: prune: %w", err)
	}
	return path, nil
}

// writeFileAtomic writes dst through a temporary file in the same directory,
// synced and then renamed over dst, so a crash leaves either the old dst or
// the whole new one.
func writeFileAtomic(dst string, write func(io.Writer) error) error {
	return writeFileVerified(dst, write, nil)
}

// writeFileVerified is writeFileAtomic that, when verify is set, lets it
// check the complete temporary file before it replaces dst.
func writeFileVerified(dst string, write func(io.Writer) error, verify func(tmp string) error) (err error) {
	dir := filepath.Dir(dst)
	f, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
			err = fmt.Errorf("store: backup to %s: %w", dst, err)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if verify != nil {
		if err = verify(f.Name()); err != nil {
			return err
		}
	}
	if err = os.Rename(f.Name(), dst); err != nil {
		return err
	}
	// Make the rename itself durable.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
