package store

// Coaching: the reminders' sent log, snoozes and preferences (nudge_sent,
// nudge_snooze, nudge_prefs), the exactly-once record of each reminder DM
// (a key of the done bucket, written with the sent log in one transaction),
// and the deals with their history that the rules and KPIs read.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// CoachingDeals returns the deals of owners (every deal when owners is
// empty), whatever their status, each with its history oldest first, read
// in one transaction so the rules see one consistent state.
func (db *DB) CoachingDeals(ctx context.Context, owners []domain.UserID) ([]coaching.DealInput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []coaching.DealInput
	err := db.view(func(tx *bbolt.Tx) error {
		deals, err := queryDeals(tx, domain.DealFilter{Owners: owners}, db.skipBad)
		if err != nil {
			return err
		}
		hb, err := bucket(tx, bucketHistory)
		if err != nil {
			return err
		}
		// The same entries history gives, read with one cursor and one
		// record into shared blocks: a team's 100,000 entries cost a few
		// blocks, not 10,000 slices grown by doubling (BENCHMARKS.md).
		var a historyArena
		c := hb.Cursor()
		out = make([]coaching.DealInput, len(deals))
		for i, d := range deals {
			out[i] = coaching.DealInput{Deal: d, History: a.read(c, d.ID, db.skipBad)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// NudgeLog returns what reminders know of user: the items sent to them, their
// snoozes (ended ones included: Pending needs them to let an item back) and
// their preferences.
func (db *DB) NudgeLog(ctx context.Context, user domain.UserID) ([]coaching.Sent, []coaching.Snooze, coaching.Prefs, error) {
	var (
		sent    []coaching.Sent
		snoozes []coaching.Snooze
		prefs   coaching.Prefs
	)
	if err := ctx.Err(); err != nil {
		return nil, nil, prefs, err
	}
	err := db.view(func(tx *bbolt.Tx) error {
		prefix := userPrefix(user)
		sb, err := bucket(tx, bucketNudgeSent)
		if err != nil {
			return err
		}
		c := sb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r sentRecord
			if err := json.Unmarshal(v, &r); err != nil {
				db.skipBad("nudge_sent", quotedKey(k), err)
				continue
			}
			sent = append(sent, coaching.Sent{Key: string(k[len(prefix):]), At: r.At})
		}
		zb, err := bucket(tx, bucketNudgeSnooze)
		if err != nil {
			return err
		}
		c = zb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r snoozeRecord
			if err := json.Unmarshal(v, &r); err != nil {
				db.skipBad("nudge_snooze", quotedKey(k), err)
				continue
			}
			snoozes = append(snoozes, coaching.Snooze{Key: r.Key, Deal: domain.DealID(r.Deal), Until: r.Until})
		}
		pb, err := bucket(tx, bucketNudgePrefs)
		if err != nil {
			return err
		}
		if v := pb.Get([]byte(user)); v != nil {
			var r prefsRecord
			if err := json.Unmarshal(v, &r); err != nil {
				db.skipBad("nudge_prefs", string(user), err)
			} else {
				prefs = coaching.Prefs{Off: r.Off, PausedUntil: r.PausedUntil}
			}
		}
		return nil
	})
	return sent, snoozes, prefs, err
}

// RecordReminder records, in one transaction, that the reminder named
// doneKey (e.g. "remind:U123:2026-11-25", see Done and MarkDone) went out to
// user with the items keys, stamped with the transaction's time. When
// doneKey was already recorded it writes nothing and reports already.
//
// The caller records a reminder once its post succeeded and checks Done
// before sending, so a crash mid-fan-out resends nothing recorded and skips
// no one; see bot/coaching.go for the one window this leaves.
func (db *DB) RecordReminder(ctx context.Context, user domain.UserID, doneKey string, keys []string) (already bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if doneKey == "" || user == "" {
		return false, fmt.Errorf("store: RecordReminder: empty key or user")
	}
	err = db.update(func(tx *bbolt.Tx, now time.Time) error {
		already = false
		done, err := bucket(tx, bucketDone)
		if err != nil {
			return err
		}
		if done.Get([]byte(doneKey)) != nil {
			already = true
			return &rollback{}
		}
		v, err := encodeDone(now)
		if err != nil {
			return err
		}
		if err := done.Put([]byte(doneKey), v); err != nil {
			return err
		}
		sb, err := bucket(tx, bucketNudgeSent)
		if err != nil {
			return err
		}
		sv, err := json.Marshal(sentRecord{V: 1, At: utc(now)})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := sb.Put(append(userPrefix(user), k...), sv); err != nil {
				return err
			}
		}
		return nil
	})
	return already, err
}

// Snooze holds back user's items until z.Until: the item z.Key, or every
// item of deal z.Deal when z.Key is empty. A later snooze of the same item
// or deal replaces the earlier one.
func (db *DB) Snooze(ctx context.Context, user domain.UserID, z coaching.Snooze) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if user == "" || (z.Key == "" && z.Deal == 0) {
		return fmt.Errorf("store: Snooze: no user, key or deal")
	}
	k := userPrefix(user)
	if z.Key != "" {
		k = append(k, "k:"+z.Key...)
	} else {
		k = append(k, "d:"+strconv.FormatUint(uint64(z.Deal), 10)...)
	}
	v, err := json.Marshal(snoozeRecord{V: 1, Key: z.Key, Deal: uint64(z.Deal), Until: utc(z.Until)})
	if err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx, _ time.Time) error {
		b, err := bucket(tx, bucketNudgeSnooze)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

// SetNudgePrefs saves user's choice about reminders (/deal nudges).
func (db *DB) SetNudgePrefs(ctx context.Context, user domain.UserID, p coaching.Prefs) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if user == "" {
		return fmt.Errorf("store: SetNudgePrefs: no user")
	}
	v, err := json.Marshal(prefsRecord{V: 1, Off: p.Off, PausedUntil: utc(p.PausedUntil)})
	if err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx, _ time.Time) error {
		b, err := bucket(tx, bucketNudgePrefs)
		if err != nil {
			return err
		}
		return b.Put([]byte(user), v)
	})
}

// userPrefix is <user>0x00, the prefix of a user's keys in nudge_sent and
// nudge_snooze (a fresh slice: callers append to it).
func userPrefix(u domain.UserID) []byte {
	k := make([]byte, 0, len(u)+1+64)
	k = append(k, u...)
	return append(k, sep)
}

// sentRecord is a nudge_sent value: when the item was last in a reminder.
type sentRecord struct {
	V  int       `json:"v"`
	At time.Time `json:"at"`
}

// snoozeRecord is a nudge_snooze value.
type snoozeRecord struct {
	V     int       `json:"v"`
	Key   string    `json:"key,omitempty"`
	Deal  uint64    `json:"deal,omitempty"`
	Until time.Time `json:"until"`
}

// prefsRecord is a nudge_prefs value.
type prefsRecord struct {
	V           int       `json:"v"`
	Off         bool      `json:"off"`
	PausedUntil time.Time `json:"paused_until"`
}

// historyArena hands out deals' histories from shared blocks. One deal's
// entries are contiguous in a block; a deal that does not fit in what is
// left of the current block moves to a new one.
type historyArena struct {
	block []domain.HistoryEntry
	rec   historyRecord // decoded into, entry after entry
}

// arenaBlock is the size of a block, in entries.
const arenaBlock = 4096

// read returns deal id's history, oldest first, like history: a prefix
// scan with c, an undecodable entry skipped and reported to skip. The
// slice's capacity is its length, so a caller's append copies it rather
// than writing over the next deal's entries.
func (a *historyArena) read(c *bbolt.Cursor, id domain.DealID, skip skipFunc) []domain.HistoryEntry {
	prefix := idKey(id)
	start := len(a.block)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		e, err := decodeHistoryInto(id, v, &a.rec)
		if err != nil {
			skip("history", historyKeyName(id, k), err)
			continue
		}
		if len(a.block) == cap(a.block) {
			n := len(a.block) - start // this deal's entries so far
			next := make([]domain.HistoryEntry, n, max(arenaBlock, 2*(n+1)))
			copy(next, a.block[start:])
			a.block, start = next, 0
		}
		a.block = append(a.block, e)
	}
	if len(a.block) == start {
		return nil
	}
	return a.block[start:len(a.block):len(a.block)]
}
