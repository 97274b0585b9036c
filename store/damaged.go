package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/dealpilot/dealpilot/domain"
)

// An undecodable record (garbled JSON, a record version this code does not
// understand, an index entry pointing nowhere) must not take a feature down:
// a list skips it and every other deal keeps working. A read of that one
// record by its key still fails, with an error naming it.
//
// Each skipped record is reported once per process through
// Options.BadRecord (default: Options.Logf), so the log names its key once
// instead of on every query, and the caller can count it (/metrics).

// skipFunc is how a read inside a transaction reports a record it skipped.
type skipFunc func(bucket, key string, err error)

// skipBad reports a skipped record the first time this process meets it.
func (db *DB) skipBad(bucket, key string, err error) {
	if _, seen := db.bad.LoadOrStore(bucket+"\x00"+key, struct{}{}); seen {
		return
	}
	db.badRecords.Add(1)
	if db.badRecord != nil {
		db.badRecord(bucket, key, err)
		return
	}
	db.logf("store: skipped an undecodable record %s/%s: %v (run dealpilot check)", bucket, key, err)
}

// BadRecords is how many different undecodable records this process has
// skipped so far.
func (db *DB) BadRecords() int64 { return db.badRecords.Load() }

func dealKeyName(id domain.DealID) string { return id.Ref() }

func historyKeyName(id domain.DealID, k []byte) string {
	if len(k) != 2*idLen {
		return id.Ref() + "#" + fmt.Sprintf("%x", k)
	}
	return id.Ref() + "#" + strconv.FormatUint(binary.BigEndian.Uint64(k[idLen:]), 10)
}

func quotedKey(k []byte) string { return fmt.Sprintf("%q", k) }

// BadRecordError is a record read by its key that cannot be decoded. It
// wraps both the cause and a message a user may see (naming the record,
// code domain.EDAMAGED); db.view and db.update report it like a skipped one.
type BadRecordError struct {
	Bucket, Key string
	Err         error
	shown       *domain.Error
}

func (e *BadRecordError) Error() string {
	return fmt.Sprintf("store: %s/%s cannot be decoded: %v", e.Bucket, e.Key, e.Err)
}

func (e *BadRecordError) Unwrap() []error {
	if e.shown == nil {
		return []error{e.Err}
	}
	return []error{e.shown, e.Err}
}

// reportBad reports the bad record err holds, if any, and returns err.
func (db *DB) reportBad(err error) error {
	var bad *BadRecordError
	if errors.As(err, &bad) {
		db.skipBad(bad.Bucket, bad.Key, bad.Err)
	}
	return err
}

// skipQuietly skips without reporting, for reads inside free write helpers
// (a conflict's history); the same record is reported by the lists.
func skipQuietly(string, string, error) {}
