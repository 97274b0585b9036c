package store

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// index is a secondary index: a bucket of keys (values are empty) derived
// from a deal. reindex keeps it in step with the deal in the same transaction.
type index struct {
	bucket []byte
	keys   func(d *domain.Deal) [][]byte
}

var indexes = []index{
	{bucketIdxOwner, func(d *domain.Deal) [][]byte {
		if d.Owner == "" {
			return nil
		}
		return [][]byte{textIDKey(string(d.Owner), d.ID)}
	}},
	{bucketIdxWord, func(d *domain.Deal) [][]byte {
		words := searchWords(d.Name, d.Account)
		keys := make([][]byte, len(words))
		for i, w := range words {
			keys[i] = textIDKey(w, d.ID)
		}
		return keys
	}},
	{bucketIdxDue, func(d *domain.Deal) [][]byte {
		if d.NextStepDue.IsZero() {
			return nil
		}
		return [][]byte{dateIDKey(d.NextStepDue, d.ID)}
	}},
	{bucketIdxClose, func(d *domain.Deal) [][]byte {
		return [][]byte{dateIDKey(d.CloseDate, d.ID)}
	}},
}

// reindex moves d's index entries from what old gave (nil for a new deal)
// to what d gives, touching only the keys that changed.
func reindex(tx *bbolt.Tx, old, d *domain.Deal) error {
	for _, ix := range indexes {
		b, err := bucket(tx, ix.bucket)
		if err != nil {
			return err
		}
		var before [][]byte
		if old != nil {
			before = ix.keys(old)
		}
		after := ix.keys(d)
		for _, k := range before {
			if !containsKey(after, k) {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		for _, k := range after {
			if !containsKey(before, k) {
				if err := b.Put(k, []byte{}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func containsKey(keys [][]byte, k []byte) bool {
	return slices.ContainsFunc(keys, func(x []byte) bool { return bytes.Equal(x, k) })
}

// idSet is a set of deal ids read from an index.
type idSet map[domain.DealID]struct{}

// scanPrefix adds the ids of every key of b starting with prefix.
func scanPrefix(b *bbolt.Bucket, prefix []byte, into idSet) {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		into[idSuffix(k)] = struct{}{}
	}
}

func intersect(a, b idSet) idSet {
	if len(b) < len(a) {
		a, b = b, a
	}
	out := idSet{}
	for id := range a {
		if _, ok := b[id]; ok {
			out[id] = struct{}{}
		}
	}
	return out
}

// candidates narrows f to a set of deal ids using the indexes for owners,
// words and the due date. It returns nil when f uses none of them; the
// caller then walks idx_close. The set may hold deals f rejects on other
// fields: the caller checks every deal with matches.
func candidates(tx *bbolt.Tx, f domain.DealFilter, words []string) (idSet, error) {
	var set idSet
	narrow := func(s idSet) {
		if set == nil {
			set = s
		} else {
			set = intersect(set, s)
		}
	}
	if len(f.Owners) > 0 {
		b, err := bucket(tx, bucketIdxOwner)
		if err != nil {
			return nil, err
		}
		s := idSet{}
		for _, o := range f.Owners {
			scanPrefix(b, append([]byte(o), sep), s)
		}
		narrow(s)
	}
	if len(words) > 0 {
		b, err := bucket(tx, bucketIdxWord)
		if err != nil {
			return nil, err
		}
		for _, w := range words {
			// A word is a prefix of indexed words: no separator here.
			s := idSet{}
			scanPrefix(b, []byte(w), s)
			narrow(s)
			if len(set) == 0 {
				return set, nil
			}
		}
	}
	if !f.DueTo.IsZero() {
		b, err := bucket(tx, bucketIdxDue)
		if err != nil {
			return nil, err
		}
		s := idSet{}
		last := dateBytes(f.DueTo)
		c := b.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:dateLen], last) <= 0; k, _ = c.Next() {
			s[idSuffix(k)] = struct{}{}
		}
		narrow(s)
	}
	return set, nil
}

// matches checks d against every field of f; words are already folded.
func matches(d *domain.Deal, f domain.DealFilter, words []string) bool {
	if len(f.Owners) > 0 && !slices.Contains(f.Owners, d.Owner) {
		return false
	}
	if f.Status != "" && d.Status != f.Status {
		return false
	}
	if f.Category != "" && d.Category != f.Category {
		return false
	}
	if f.Stage != "" && !strings.EqualFold(d.Stage, strings.TrimSpace(f.Stage)) {
		return false
	}
	if !f.DueTo.IsZero() && (d.NextStepDue.IsZero() || d.NextStepDue.After(f.DueTo)) {
		return false
	}
	if !inCloseRange(d.CloseDate, f) {
		return false
	}
	if len(words) > 0 {
		have := searchWords(d.Name, d.Account)
		for _, w := range words {
			if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
				return false
			}
		}
	}
	return true
}

// inCloseRange reports whether a close date is in f's CloseFrom–CloseBefore.
func inCloseRange(d domain.Date, f domain.DealFilter) bool {
	return (f.CloseFrom.IsZero() || !d.Before(f.CloseFrom)) && (f.CloseBefore.IsZero() || d.Before(f.CloseBefore))
}

// byCloseDate orders deals as Deals returns them: close date, then id.
func byCloseDate(a, b *domain.Deal) int {
	if c := a.CloseDate.Compare(b.CloseDate); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// queryDeals answers Deals in tx.
// A deal that cannot be read is skipped and reported to skip: one bad record
// must not fail every list.
func queryDeals(tx *bbolt.Tx, f domain.DealFilter, skip skipFunc) ([]*domain.Deal, error) {
	var words []string
	for _, w := range f.Words {
		words = append(words, searchWords(w)...)
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return nil, err
	}
	set, err := candidates(tx, f, words)
	if err != nil {
		return nil, err
	}
	full := func(out []*domain.Deal) bool { return f.Limit > 0 && len(out) >= f.Limit }

	var out []*domain.Deal
	// add reads deal id and keeps it when f matches it.
	add := func(id domain.DealID) {
		d, err := indexedDeal(deals, id)
		if err != nil {
			skip("deals", dealKeyName(id), err)
			return
		}
		if matches(d, f, words) {
			out = append(out, d)
		}
	}
	if set == nil || (f.Limit > 0 && len(set) > 8*f.Limit) {
		// No index narrows f, or it leaves many more deals than wanted: walk
		// idx_close, which is in the order wanted, decode only what may
		// match, and stop at Limit.
		closeIdx, err := bucket(tx, bucketIdxClose)
		if err != nil {
			return nil, err
		}
		c, k, end := closeRange(closeIdx, f)
		for ; k != nil && !full(out) && (end == nil || bytes.Compare(k[:dateLen], end) < 0); k, _ = c.Next() {
			id := idSuffix(k)
			if set != nil {
				if _, ok := set[id]; !ok {
					continue
				}
			}
			add(id)
		}
		return out, nil
	}

	for id := range set {
		add(id)
	}
	slices.SortFunc(out, byCloseDate)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit:f.Limit]
	}
	return out, nil
}

// indexedDeal reads a deal an index points to; a dangling entry is a bug.
func indexedDeal(deals *bbolt.Bucket, id domain.DealID) (*domain.Deal, error) {
	d, err := readDeal(deals, id)
	if err == nil && d == nil {
		err = fmt.Errorf("store: an index points to deal %d, which does not exist", id)
	}
	return d, err
}

// closeRange is f's close-date range as a range of idx_close: a cursor at
// its first day (the first key when f has no CloseFrom) with that key, and
// the key it ends before (nil: the end of the index).
func closeRange(closeIdx *bbolt.Bucket, f domain.DealFilter) (c *bbolt.Cursor, first, end []byte) {
	c = closeIdx.Cursor()
	first, _ = c.First()
	if !f.CloseFrom.IsZero() {
		first, _ = c.Seek(dateBytes(f.CloseFrom))
	}
	if !f.CloseBefore.IsZero() {
		end = dateBytes(f.CloseBefore)
	}
	return c, first, end
}
