package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"github.com/dealpilot/dealpilot/domain"
)

// ErrInUse is returned (wrapped) by Open and BackupFile when another process
// holds the file: only one dealpilot may write it at a time.
var ErrInUse = errors.New("database file is in use by another process")

// ErrSchemaTooNew is returned (wrapped) by Open for a file written by a newer
// dealpilot; it is left untouched.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = time.Second

// Options configure Open. The zero value is ready to use.
type Options struct {
	// Clock stamps every change; default domain.SystemClock{}.
	Clock domain.Clock
	// Timeout is how long to wait for another process to release the file
	// before failing with ErrInUse; default DefaultTimeout.
	Timeout time.Duration
	// Logf, when set, receives rare informational messages (migrations,
	// pruned backups). The store never logs per request.
	Logf func(format string, args ...any)
	// ObserveWrite, when set, receives the duration of every write
	// transaction up to its commit (fsync included): the metric of how long
	// users wait on the disk.
	ObserveWrite func(time.Duration)
	// BadRecord, when set, hears once per process of each undecodable
	// record a list skipped: its bucket, its key and why (see damaged.go).
	// When nil, Logf does.
	BadRecord func(bucket, key string, err error)
}

// DB is dealpilot's bbolt file. It is safe for concurrent use.
type DB struct {
	bolt  *bbolt.DB
	clock domain.Clock
	logf  func(format string, args ...any)
	// observe receives write durations (Options.ObserveWrite).
	observe func(time.Duration)

	// badRecord, bad and badRecords: undecodable records skipped
	// (damaged.go).
	badRecord  func(bucket, key string, err error)
	bad        sync.Map
	badRecords atomic.Int64

	// writers counts write calls in flight; see update.
	writers atomic.Int64

	// nowTx and now fix the time of the current write transaction; see txTime.
	nowMu sync.Mutex
	nowTx *bbolt.Tx
	now   time.Time

	// signingKey is meta/signing_key, read once at Open.
	signingKey []byte

	// readers are digest readers PipelineParts reuses from call to call
	// (parts.go): their blocks, not a part's worth of deals and entries
	// allocated at each call.
	readers sync.Pool
}

var _ domain.DealStore = (*DB)(nil)

// Open opens or creates the file at path, waits at most opts.Timeout for
// other processes to let go of it, and brings its schema up to date in one
// transaction.
func Open(path string, opts Options) (*DB, error) {
	db, err := openDB(path, opts, false)
	if err != nil {
		return nil, err
	}
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		if err := migrate(tx, db.txTime(tx), db.logf); err != nil {
			return err
		}
		key := tx.Bucket(bucketMeta).Get(keySigningKey)
		if len(key) != signingKeySize {
			return fmt.Errorf("meta/signing_key is %d bytes, want %d", len(key), signingKeySize)
		}
		db.signingKey = append([]byte(nil), key...)
		return nil
	}); err != nil {
		_ = db.bolt.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// openDB opens the bbolt file at path (read-only or not) as a DB with
// opts, their defaults filled in: the system clock, DefaultTimeout, a
// Logf that says nothing. Open and OpenReadOnly then check its schema.
func openDB(path string, opts Options, readOnly bool) (*DB, error) {
	if opts.Clock == nil {
		opts.Clock = domain.SystemClock{}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	bdb, err := openBolt(path, opts.Timeout, readOnly)
	if err != nil {
		return nil, err
	}
	return &DB{bolt: bdb, clock: opts.Clock, logf: opts.Logf, observe: opts.ObserveWrite, badRecord: opts.BadRecord}, nil
}

func openBolt(path string, timeout time.Duration, readOnly bool) (*bbolt.DB, error) {
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:  timeout,
		ReadOnly: readOnly,
		// The freelist is written with every commit (one small page more)
		// rather than rebuilt on open: a rebuild reads every page of the
		// file, so a 500 MB file took 170 ms to open and stayed resident
		// (RSS ≈ file size); with the freelist kept, open reads one page.
		NoFreelistSync: false,
		FreelistType:   bbolt.FreelistMapType,
	})
	if errors.Is(err, bberrors.ErrTimeout) {
		return nil, fmt.Errorf("store: open %s: %w (waited %s)", path, ErrInUse, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return bdb, nil
}

// SigningKey is the file's random key for signing what the bot hands to
// the chat platform and gets back (form metadata, button values): made
// once, with the file (schema version 6), and kept in meta/signing_key.
func (db *DB) SigningKey() []byte { return append([]byte(nil), db.signingKey...) }

// Close waits for running transactions and closes the file.
func (db *DB) Close() error { return db.bolt.Close() }

// Path returns the file's path.
func (db *DB) Path() string { return db.bolt.Path() }

// txTime returns the time of tx: the clock is read once, the first time a
// transaction asks, and every later call in that transaction gets the same
// time, including calls coalesced into it by Batch. Write transactions are
// serialised by bbolt, so one remembered transaction is enough; holding the
// pointer also keeps its address from being reused by a later one.
func (db *DB) txTime(tx *bbolt.Tx) time.Time {
	db.nowMu.Lock()
	defer db.nowMu.Unlock()
	if db.nowTx != tx {
		db.nowTx = tx
		db.now = utc(db.clock.Now())
	}
	return db.now
}

// rollback, returned by a write helper, says that the helper wrote nothing
// and that err (possibly nil: nothing to do) is the caller's answer. update
// rolls back a transaction of its own, and lets a shared batch commit the
// other callers' work instead of failing the whole batch.
type rollback struct{ err error }

func (r *rollback) Error() string {
	if r.err == nil {
		return "store: nothing to write"
	}
	return r.err.Error()
}

// update runs fn in a read-write transaction stamped with the transaction's
// time. When no other write is in flight it runs alone (db.Update: lowest
// latency); otherwise it joins a batch (db.Batch), so concurrent writers
// share one commit and one fsync. In a batch fn may run more than once,
// each time in a fresh transaction: it must compute everything from tx and
// assign its results on every run.
//
// Errors a helper returns before writing anything should be wrapped in
// *rollback; any other error rolls back the whole transaction (and bbolt
// retries the other calls of a batch without this one).
func (db *DB) update(fn func(tx *bbolt.Tx, now time.Time) error) error {
	return db.reportBad(db.updateTx(fn))
}

func (db *DB) updateTx(fn func(tx *bbolt.Tx, now time.Time) error) error {
	if db.observe != nil {
		start := time.Now()
		defer func() { db.observe(time.Since(start)) }()
	}
	solo := db.writers.Add(1) == 1
	defer db.writers.Add(-1)

	if solo {
		err := db.bolt.Update(func(tx *bbolt.Tx) error { return fn(tx, db.txTime(tx)) })
		if r, ok := err.(*rollback); ok {
			return r.err
		}
		return err
	}

	var answer error
	err := db.bolt.Batch(func(tx *bbolt.Tx) error {
		answer = nil
		err := fn(tx, db.txTime(tx))
		if r, ok := err.(*rollback); ok {
			answer = r.err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return answer
}

// view runs fn in a read transaction. Whatever fn keeps must be copied out
// of bbolt's memory before it returns.
func (db *DB) view(fn func(tx *bbolt.Tx) error) error { return db.reportBad(db.bolt.View(fn)) }

// bucket returns a bucket that the schema guarantees exists.
func bucket(tx *bbolt.Tx, name []byte) (*bbolt.Bucket, error) {
	b := tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("store: bucket %q missing", name)
	}
	return b, nil
}

// freshBucket drops the bucket name if it is there and creates it empty, for
// a cache rebuilt whole from the deals (fc_sums, pl_digests). Its keys are
// written in order, so its pages are filled to 90 % instead of bbolt's 50 %.
func freshBucket(tx *bbolt.Tx, name []byte) (*bbolt.Bucket, error) {
	if tx.Bucket(name) != nil {
		if err := tx.DeleteBucket(name); err != nil {
			return nil, err
		}
	}
	b, err := tx.CreateBucket(name)
	if err != nil {
		return nil, fmt.Errorf("create bucket %q: %w", name, err)
	}
	b.FillPercent = 0.9
	return b, nil
}
