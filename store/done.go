package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// MarkDone records that the work named key is done, stamped with the
// transaction's time, and reports whether it already was. It lets the bot
// do scheduled work once however many ticks and restarts come (one process
// at a time holds the file: Open takes bbolt's lock). Keys name the work
// and its day or week, e.g. "digest:France:2026-W49" (bot.DigestKey) or
// "remind:U123:2026-11-25" (bot.RemindKey):
//
//	if db.Done(key) { return }
//	...do the work...
//	db.MarkDone(key)         // at least once: a crash before this redoes it
//
// or, to claim work before doing it (at most once: a crash after the claim
// loses it):
//
//	if already, err := db.MarkDone(key); err != nil || already { return }
func (db *DB) MarkDone(key string) (already bool, err error) {
	if key == "" {
		return false, fmt.Errorf("store: MarkDone: empty key")
	}
	err = db.update(func(tx *bbolt.Tx, now time.Time) error {
		b, err := bucket(tx, bucketDone)
		if err != nil {
			return err
		}
		if b.Get([]byte(key)) != nil {
			already = true
			return &rollback{}
		}
		already = false
		v, err := encodeDone(now)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), v)
	})
	return already, err
}

// Done reports whether the work named key was marked done. It reports false
// when the file cannot be read (only a closed DB fails to read).
func (db *DB) Done(key string) bool {
	if key == "" {
		return false
	}
	var done bool
	_ = db.view(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketDone); b != nil {
			done = b.Get([]byte(key)) != nil
		}
		return nil
	})
	return done
}

// ForgetDone forgets that the work named key was done, so it is done
// again (a digest a manager asks for again brings a new chart and CSV).
func (db *DB) ForgetDone(key string) error {
	if key == "" {
		return fmt.Errorf("store: ForgetDone: empty key")
	}
	return db.update(func(tx *bbolt.Tx, _ time.Time) error {
		b, err := bucket(tx, bucketDone)
		if err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
}

// PruneDone forgets the work marked done before olderThan and returns how
// many keys it removed. The bot's "prune_done" job calls it once a day,
// keeping bot.DoneKept, so the bucket does not grow for ever. A record it
// cannot decode is kept and reported as skipped (Options.BadRecord): the
// others are still pruned, and `dealpilot check` names it.
func (db *DB) PruneDone(olderThan time.Time) (int, error) {
	return db.pruneOlder(bucketDone, olderThan, func(k, v []byte) (time.Time, bool, error) {
		r, err := decodeDone(v)
		return r.At, true, err
	})
}

// PruneSubmissions forgets every key of create_keys recorded before
// olderThan and returns how many it removed: the form submissions' ("form:",
// "plan:", "desk:", "deskform:") and the unprefixed ones of CreateDealForm
// (a new-deal form's view id) and CreateDeal. Each is read only by a
// retry of the same submission: a Slack view id (or a Teams dialog token)
// is retried for minutes, never for days, and CreateDeal's callers (the
// sample) seed a new file once; so none need outlive the window. The bot's
// "prune_done" job calls it with PruneDone's window. An undecodable record
// is kept and reported, as PruneDone does.
func (db *DB) PruneSubmissions(olderThan time.Time) (int, error) {
	return db.pruneOlder(bucketCreateKeys, olderThan, func(k, v []byte) (time.Time, bool, error) {
		r, err := decodeKey(v)
		return r.At, true, err
	})
}

// pruneOlder deletes the records of bucket name that at dates before
// olderThan (at's false: not to be pruned) and returns how many.
func (db *DB) pruneOlder(name []byte, olderThan time.Time, at func(k, v []byte) (time.Time, bool, error)) (int, error) {
	var n int
	err := db.update(func(tx *bbolt.Tx, _ time.Time) error {
		n = 0
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		// Collect first, delete after: keys are bbolt memory that a
		// delete during the walk may move, so they are copied.
		var old [][]byte
		if err := b.ForEach(func(k, v []byte) error {
			when, ok, err := at(k, v)
			if err != nil {
				db.skipBad(string(name), quotedKey(k), err)
				return nil
			}
			if ok && when.Before(olderThan) {
				old = append(old, append([]byte(nil), k...))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		if n == 0 {
			return &rollback{}
		}
		return nil
	})
	return n, err
}
