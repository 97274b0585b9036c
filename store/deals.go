package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// CreateDeal saves a copy of d as a new deal: the next id, version 1, created
// and updated now (the transaction's time) by by, and one history entry per
// field set. d itself is not modified; the saved deal is returned.
//
// When key is not empty and a deal was already created with it (a retried
// request), that deal is returned as it is now and nothing is saved.
func (db *DB) CreateDeal(ctx context.Context, d *domain.Deal, by domain.UserID, key string) (*domain.Deal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *domain.Deal
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		var err error
		out, err = createDeal(tx, now, d, by, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateDealForm creates the deal a submitted new-deal form describes:
// f.Apply runs in the write transaction and the deal it returns is saved
// as CreateDeal saves one, by f.By; when Apply refuses the form (who may
// own deals, every field error: the form's rules are all in Apply),
// nothing is saved and that refusal is returned. Apply may run more than
// once (a batch retried).
//
// Once per key, as CreateDeal: a submission already saved under key (a
// double submit, a redelivery) is answered with the deal it created, as it
// is now, before the form is held to anything again, and saves nothing.
func (db *DB) CreateDealForm(ctx context.Context, f domain.NewDealForm, key string) (*domain.Deal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *domain.Deal
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		created, err := createdWith(tx, key)
		if err != nil || created != nil {
			out = created
			if err == nil {
				err = &rollback{}
			}
			return err
		}
		d, err := f.Apply()
		if err != nil {
			out = nil
			return &rollback{err}
		}
		out, err = createDeal(tx, now, d, f.By, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateDeal loads deal id, checks it is still at version (0 skips the check:
// for quick commands, which say the one change they make on the deal as it
// is; a form holds itself to its version, see UpdateDealForm; otherwise a
// mismatch is refused by domain.CheckOpened, naming every change since), lets fn change
// a copy, and saves the copy with version+1 and one history entry per
// changed field, in one transaction.
//
// When fn returns an error, nothing is saved and that error is returned.
// When fn changes nothing (by domain.Diff), nothing is saved and the deal is
// returned as it was, with no changes. fn may be called more than once (when
// concurrent writes are batched and a batch is retried), each time on a
// fresh copy of the stored deal: it must only change the deal it is given.
// Changes fn makes to ID, Version and the Created/Updated fields are ignored.
func (db *DB) UpdateDeal(ctx context.Context, id domain.DealID, version uint64, by domain.UserID, fn func(*domain.Deal) error) (*domain.Deal, []domain.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var (
		out     *domain.Deal
		changes []domain.Change
	)
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		var err error
		out, changes, err = updateDeal(tx, now, id, version, by, fn)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return out, changes, nil
}

// formKeyPrefix marks UpdateDealForm's submission keys in create_keys.
const formKeyPrefix = "form:"

// UpdateDealForm saves one submission of a form about deal id, made by by:
// in one write transaction, form.Apply gets the deal as stored (and, when
// it asks, its history) and returns the deal to save, which is saved as
// UpdateDeal saves fn's, or why not (the version the form was opened on,
// the permission rule, every field error: the form's rules are all in
// Apply), then nothing is saved. Apply may run more than once (a batch
// retried), each time on the deal as stored then.
//
// The submission is made at most once per key: one already saved under
// key (a double submit, a redelivery) changes nothing and gets the answer
// it got then: the deal as that submission saved it, and its changes. A
// submission that saved nothing (refused, or no change) is not recorded.
// key must not be empty.
func (db *DB) UpdateDealForm(ctx context.Context, id domain.DealID, by domain.UserID, key string, form domain.DealForm) (*domain.Deal, []domain.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if key == "" {
		return nil, nil, fmt.Errorf("store: update deal %d from a form: no submission key", id)
	}
	var (
		out     *domain.Deal
		changes []domain.Change
	)
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		out, changes = nil, nil
		keys, err := bucket(tx, bucketCreateKeys)
		if err != nil {
			return err
		}
		k := []byte(formKeyPrefix + key)
		if v := keys.Get(k); v != nil {
			out, changes, err = decodeSubmission(id, v)
			if err != nil {
				return err
			}
			return &rollback{}
		}
		hist := func() ([]domain.HistoryEntry, error) { return history(tx, id, skipQuietly) }
		out, changes, err = updateDeal(tx, now, id, 0, by, func(x *domain.Deal) error {
			next, err := form.Apply(x, hist)
			if err != nil {
				return err
			}
			*x = *next
			return nil
		})
		if err != nil {
			return err
		}
		v, err := encodeSubmission(out, changes, now)
		if err != nil {
			return err
		}
		if err := keys.Put(k, v); err != nil {
			return fmt.Errorf("store: put submission key: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, changes, nil
}

func encodeSubmission(d *domain.Deal, changes []domain.Change, at time.Time) ([]byte, error) {
	after, err := encodeDeal(d)
	if err != nil {
		return nil, err
	}
	r := keyRecord{V: keyRecordVersion, Deal: uint64(d.ID), At: utc(at), After: after}
	for _, c := range changes {
		r.Changes = append(r.Changes, changeRecord{Field: string(c.Field), Old: c.Old, New: c.New})
	}
	return json.Marshal(r)
}

// decodeSubmission reads a submission key's record: the deal as the
// submission saved it, and its changes.
func decodeSubmission(id domain.DealID, v []byte) (*domain.Deal, []domain.Change, error) {
	r, err := decodeKey(v)
	if err != nil {
		return nil, nil, err
	}
	if domain.DealID(r.Deal) != id || len(r.After) == 0 {
		return nil, nil, fmt.Errorf("store: submission key of deal %d used for deal %d", r.Deal, id)
	}
	d, err := decodeDeal(id, r.After)
	if err != nil {
		return nil, nil, err
	}
	var changes []domain.Change
	for _, c := range r.Changes {
		changes = append(changes, domain.Change{Field: domain.Field(c.Field), Old: c.Old, New: c.New})
	}
	return d, changes, nil
}

// Deal returns deal id, or an ENOTFOUND *domain.Error.
func (db *DB) Deal(ctx context.Context, id domain.DealID) (*domain.Deal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var d *domain.Deal
	err := db.view(func(tx *bbolt.Tx) error {
		var err error
		d, err = getDeal(tx, id)
		return err
	})
	return d, err
}

// Deals returns the deals matching f, ordered by close date then id.
func (db *DB) Deals(ctx context.Context, f domain.DealFilter) ([]*domain.Deal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []*domain.Deal
	err := db.view(func(tx *bbolt.Tx) error {
		var err error
		out, err = queryDeals(tx, f, db.skipBad)
		return err
	})
	return out, err
}

// SearchDeals returns what Deals(f) returns for a search by words (the
// deal picker's), decoding at most walk deals and walking at most 8×walk
// index keys a word: a search over every owner's deals (no f.Owners) whose
// words leave more candidates than that reads only walk of them, in the
// index's order, and reports capped; otherwise the answer is Deals'.
// A search within owners, or without words, or walk ≤ 0, is Deals' (within
// owners it walks their own words only).
func (db *DB) SearchDeals(ctx context.Context, f domain.DealFilter, walk int) (deals []*domain.Deal, capped bool, err error) {
	if len(f.Owners) > 0 || len(f.Words) == 0 || walk <= 0 || !f.DueTo.IsZero() {
		deals, err = db.Deals(ctx, f)
		return deals, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	err = db.view(func(tx *bbolt.Tx) error {
		var err error
		deals, capped, err = searchDeals(tx, f, walk, db.skipBad)
		return err
	})
	return deals, capped, err
}

// DealPage returns the first f.Limit deals Deals(f) returns (all of them
// when f.Limit is 0) and how many match f in all. One owner's open deals,
// of a stage or a category or not (the list a user reads), come from
// idx_open: only the deals returned are decoded, the others counted from
// the index, so the cost is the page's, not the owner's. Any other filter
// is read as Deals reads it, every match decoded to be counted.
func (db *DB) DealPage(ctx context.Context, f domain.DealFilter) ([]*domain.Deal, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var out []*domain.Deal
	var total int
	err := db.view(func(tx *bbolt.Tx) error {
		var err error
		if len(f.Owners) == 1 && f.Status == domain.Open && len(f.Words) == 0 && f.DueTo.IsZero() && f.CloseFrom.IsZero() && f.CloseBefore.IsZero() {
			out, total, err = openPage(tx, f.Owners[0], f.Stage, f.Category, domain.Date{}, f.Limit, db.skipBad)
			return err
		}
		all := f
		all.Limit = 0
		if out, err = queryDeals(tx, all, db.skipBad); err != nil {
			return err
		}
		total = len(out)
		if f.Limit > 0 && len(out) > f.Limit {
			out = out[:f.Limit:f.Limit]
		}
		return nil
	})
	return out, total, err
}

// HomeDeals returns owner's open deals in App Home's order: those whose
// next step is due before today (or has no due date) first, then the
// others, each by close date; at most limit of them (all when 0), and how
// many there are. Like DealPage, it decodes only the deals it returns.
func (db *DB) HomeDeals(ctx context.Context, owner domain.UserID, today domain.Date, limit int) ([]*domain.Deal, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var out []*domain.Deal
	var total int
	err := db.view(func(tx *bbolt.Tx) error {
		var err error
		out, total, err = openPage(tx, owner, "", "", today, limit, db.skipBad)
		return err
	})
	return out, total, err
}

// History returns the history of deal id, oldest first, or ENOTFOUND.
func (db *DB) History(ctx context.Context, id domain.DealID) ([]domain.HistoryEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []domain.HistoryEntry
	err := db.view(func(tx *bbolt.Tx) error {
		if _, err := getDeal(tx, id); err != nil {
			return err
		}
		var err error
		out, err = history(tx, id, db.skipBad)
		return err
	})
	return out, err
}

// LastChange returns deal id's newest history entry, nil when it has none:
// a seek to the end of its keys, so a deal card costs the same whatever
// the deal's history holds. An undecodable entry is skipped (and
// reported) for the one before it.
func (db *DB) LastChange(ctx context.Context, id domain.DealID) (*domain.HistoryEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *domain.HistoryEntry
	err := db.view(func(tx *bbolt.Tx) error {
		if _, err := getDeal(tx, id); err != nil {
			return err
		}
		h, err := bucket(tx, bucketHistory)
		if err != nil {
			return err
		}
		prefix := idKey(id)
		c := h.Cursor()
		k, v := c.Seek(idKey(id + 1))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
			e, err := decodeHistory(id, v)
			if err != nil {
				db.skipBad("history", historyKeyName(id, k), err)
				continue
			}
			out = &e
			return nil
		}
		return nil
	})
	return out, err
}

func notFound(id domain.DealID) error {
	return domain.Errorf(domain.ENOTFOUND, "deal.not_found", id.Ref())
}

// readDeal returns deal id from the deals bucket, or nil when there is none.
func readDeal(deals *bbolt.Bucket, id domain.DealID) (*domain.Deal, error) {
	v := deals.Get(idKey(id))
	if v == nil {
		return nil, nil
	}
	return decodeDeal(id, v)
}

// getDeal returns deal id or ENOTFOUND.
func getDeal(tx *bbolt.Tx, id domain.DealID) (*domain.Deal, error) {
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return nil, err
	}
	d, err := readDeal(deals, id)
	switch {
	case err != nil:
		return nil, &BadRecordError{Bucket: "deals", Key: dealKeyName(id), Err: err,
			shown: domain.Errorf(domain.EDAMAGED, "deal.damaged", id.Ref())}
	case d == nil:
		return nil, notFound(id)
	}
	return d, nil
}

// putDeal writes d and moves its index entries and its contribution to the
// forecast's sums (fc_sums) from what old had (nil for a new deal), and
// rewrites the deal's part of its digest (pl_digests). Every write of a
// deal goes through here.
func putDeal(tx *bbolt.Tx, old, d *domain.Deal) error {
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	v, err := encodeDeal(d)
	if err != nil {
		return err
	}
	if err := deals.Put(idKey(d.ID), v); err != nil {
		return fmt.Errorf("store: put deal %d: %w", d.ID, err)
	}
	if err := resum(tx, old, d); err != nil {
		return err
	}
	if err := redigest(tx, old, d); err != nil {
		return err
	}
	if err := ensureAccount(tx, old, d); err != nil {
		return err
	}
	return reindex(tx, old, d)
}

// addHistory writes one entry per change, all stamped at and by and with
// the version the change made, and adds those the KPIs read to the deal's
// digest (pl_digests), which putDeal wrote first.
func addHistory(tx *bbolt.Tx, id domain.DealID, at time.Time, by domain.UserID, version uint64, changes []domain.Change) error {
	entries, err := writeHistory(tx, id, at, by, version, changes)
	if err != nil {
		return err
	}
	return digestEntries(tx, id, entries)
}

// writeHistory is addHistory without the digest: the entries alone, as
// every schema version wrote them (the migrations' tests write old files
// with it).
func writeHistory(tx *bbolt.Tx, id domain.DealID, at time.Time, by domain.UserID, version uint64, changes []domain.Change) ([]domain.HistoryEntry, error) {
	h, err := bucket(tx, bucketHistory)
	if err != nil {
		return nil, err
	}
	entries := make([]domain.HistoryEntry, len(changes))
	for i, c := range changes {
		seq, err := h.NextSequence()
		if err != nil {
			return nil, err
		}
		entries[i] = domain.HistoryEntry{Deal: id, At: at, By: by, Field: c.Field, Old: c.Old, New: c.New, Version: version}
		v, err := encodeHistory(entries[i])
		if err != nil {
			return nil, err
		}
		if err := h.Put(historyKey(id, seq), v); err != nil {
			return nil, fmt.Errorf("store: put history of deal %d: %w", id, err)
		}
	}
	return entries, nil
}

// history reads deal id's entries: a prefix scan, oldest first. An
// undecodable entry is skipped and reported to skip.
func history(tx *bbolt.Tx, id domain.DealID, skip skipFunc) ([]domain.HistoryEntry, error) {
	h, err := bucket(tx, bucketHistory)
	if err != nil {
		return nil, err
	}
	prefix := idKey(id)
	var out []domain.HistoryEntry
	c := h.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		e, err := decodeHistory(id, v)
		if err != nil {
			skip("history", historyKeyName(id, k), err)
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// createdWith is the deal created under key, as it is now; nil when key
// is empty or no deal was created with it.
func createdWith(tx *bbolt.Tx, key string) (*domain.Deal, error) {
	if key == "" {
		return nil, nil
	}
	keys, err := bucket(tx, bucketCreateKeys)
	if err != nil {
		return nil, err
	}
	v := keys.Get([]byte(key))
	if v == nil {
		return nil, nil
	}
	r, err := decodeKey(v)
	if err != nil {
		return nil, err
	}
	return getDeal(tx, domain.DealID(r.Deal))
}

// createDeal is CreateDeal inside tx.
func createDeal(tx *bbolt.Tx, now time.Time, in *domain.Deal, by domain.UserID, key string) (*domain.Deal, error) {
	return createDealAt(tx, now, now, in, by, key)
}

// createDealAt is createDeal of a deal created at created (an import's
// CRM creation date), written at now: its history is dated now, never
// before created, which must not be after now.
func createDealAt(tx *bbolt.Tx, now, created time.Time, in *domain.Deal, by domain.UserID, key string) (*domain.Deal, error) {
	return createDealWith(tx, now, created, in, by, key, func(d *domain.Deal) error {
		return addHistory(tx, d.ID, now, by, d.Version, domain.Diff(&domain.Deal{}, d))
	})
}

// createDealWith is createDealAt with the deal's first history written by
// hist (an import dates a closed deal's entries from the CRM's dates).
func createDealWith(tx *bbolt.Tx, now, created time.Time, in *domain.Deal, by domain.UserID, key string, hist func(d *domain.Deal) error) (*domain.Deal, error) {
	if d, err := createdWith(tx, key); err != nil || d != nil {
		if err == nil {
			err = &rollback{}
		}
		return d, err
	}
	var keys *bbolt.Bucket
	if key != "" {
		var err error
		if keys, err = bucket(tx, bucketCreateKeys); err != nil {
			return nil, err
		}
	}

	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return nil, err
	}
	seq, err := deals.NextSequence()
	if err != nil {
		return nil, err
	}
	d := *in
	d.ID = domain.DealID(seq)
	d.Version = 1
	d.CreatedAt, d.CreatedBy = created, by
	d.UpdatedAt, d.UpdatedBy = now, by

	if err := putDeal(tx, nil, &d); err != nil {
		return nil, err
	}
	if err := hist(&d); err != nil {
		return nil, err
	}
	if keys != nil {
		v, err := encodeKey(d.ID, now)
		if err != nil {
			return nil, err
		}
		if err := keys.Put([]byte(key), v); err != nil {
			return nil, fmt.Errorf("store: put create key: %w", err)
		}
	}
	return &d, nil
}

// updateDeal is UpdateDeal inside tx. Everything that can refuse the update
// happens before the first write, so those refusals are *rollback.
func updateDeal(tx *bbolt.Tx, now time.Time, id domain.DealID, version uint64, by domain.UserID, fn func(*domain.Deal) error) (*domain.Deal, []domain.Change, error) {
	cur, err := getDeal(tx, id)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, nil, &rollback{err}
		}
		return nil, nil, err
	}
	if version != 0 && cur.Version != version {
		hist, err := history(tx, id, skipQuietly)
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, &rollback{domain.CheckOpened(version, cur, hist)}
	}

	next := *cur // Deal holds only values; clone any slice or map field added later
	if err := fn(&next); err != nil {
		return nil, nil, &rollback{err}
	}
	// What the store owns is not fn's to change.
	next.ID, next.Version = cur.ID, cur.Version
	next.CreatedAt, next.CreatedBy, next.CreatedUnknown = cur.CreatedAt, cur.CreatedBy, cur.CreatedUnknown
	next.UpdatedAt, next.UpdatedBy = cur.UpdatedAt, cur.UpdatedBy

	changes := domain.Diff(cur, &next)
	if len(changes) == 0 {
		return cur, nil, &rollback{}
	}
	next.Version = cur.Version + 1
	next.UpdatedAt, next.UpdatedBy = now, by

	if err := putDeal(tx, cur, &next); err != nil {
		return nil, nil, err
	}
	if err := addHistory(tx, id, now, by, next.Version, changes); err != nil {
		return nil, nil, err
	}
	return &next, changes, nil
}
