package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// index is a secondary index: a bucket of keys derived from a deal.
// reindex keeps it in step with the deal in the same transaction.
type index struct {
	bucket []byte
	keys   func(d *domain.Deal) [][]byte
	// value, when set, is what each of the deal's keys holds: what a
	// reader needs of the deal without decoding it. Without it keys hold
	// nothing.
	value func(d *domain.Deal) []byte
}

var indexes = []index{
	{bucketIdxOwner, func(d *domain.Deal) [][]byte {
		if d.Owner == "" {
			return nil
		}
		return [][]byte{textIDKey(string(d.Owner), d.ID)}
	}, nil},
	{bucketIdxWord, func(d *domain.Deal) [][]byte {
		words := searchWords(d.Name, d.Account)
		keys := make([][]byte, len(words))
		for i, w := range words {
			keys[i] = textIDKey(w, d.ID)
		}
		return keys
	}, nil},
	{bucketIdxDue, func(d *domain.Deal) [][]byte {
		if d.NextStepDue.IsZero() {
			return nil
		}
		return [][]byte{dateIDKey(d.NextStepDue, d.ID)}
	}, nil},
	{bucketIdxClose, func(d *domain.Deal) [][]byte {
		return [][]byte{dateIDKey(d.CloseDate, d.ID)}
	}, nil},
	{bucketIdxOwnerWord, func(d *domain.Deal) [][]byte {
		if d.Owner == "" {
			return nil
		}
		words := searchWords(d.Name, d.Account)
		keys := make([][]byte, len(words))
		for i, w := range words {
			keys[i] = ownerWordKey(d.Owner, w, d.ID)
		}
		return keys
	}, nil},
	{bucketIdxOpen, func(d *domain.Deal) [][]byte {
		if d.Status != domain.Open || d.Owner == "" {
			return nil
		}
		return [][]byte{openKey(d.Owner, d.CloseDate, d.ID)}
	}, openValue},
	{bucketIdxRenew, renewKeys, nil},
}

// ownerWordKey is <owner>0x00<word>0x00<id>, the key of idx_owner_word: a
// search within owners walks each owner's words, not every deal's.
func ownerWordKey(owner domain.UserID, word string, id domain.DealID) []byte {
	k := make([]byte, 0, len(owner)+1+len(word)+1+idLen)
	k = append(k, owner...)
	k = append(k, sep)
	k = append(k, word...)
	k = append(k, sep)
	return append(k, idKey(id)...)
}

// openKey is <owner>0x00<close date><id>, the key of idx_open: an
// owner's open deals in the order Deals returns them.
func openKey(owner domain.UserID, closeDate domain.Date, id domain.DealID) []byte {
	k := make([]byte, 0, len(owner)+1+dateLen+idLen)
	k = append(k, owner...)
	k = append(k, sep)
	k = append(k, dateBytes(closeDate)...)
	return append(k, idKey(id)...)
}

// openValue is <next step due><category>0x00<stage>, what the lists that
// read idx_open filter and order by.
func openValue(d *domain.Deal) []byte {
	v := make([]byte, 0, dateLen+len(d.Category)+1+len(d.Stage))
	v = append(v, dateBytes(d.NextStepDue)...)
	v = append(v, d.Category...)
	v = append(v, sep)
	return append(v, d.Stage...)
}

// openFields splits an idx_open value; ok is false for a value that is not
// one (the deal is then decoded and checked as Deals checks it).
func openFields(v []byte) (due, category, stage []byte, ok bool) {
	if len(v) < dateLen {
		return nil, nil, nil, false
	}
	rest := v[dateLen:]
	i := bytes.IndexByte(rest, sep)
	if i < 0 {
		return nil, nil, nil, false
	}
	return v[:dateLen], rest[:i], rest[i+1:], true
}

// reindex moves d's index entries from what old gave (nil for a new deal)
// to what d gives, touching only the keys (and values) that changed.
func reindex(tx *bbolt.Tx, old, d *domain.Deal) error {
	for _, ix := range indexes {
		b, err := bucket(tx, ix.bucket)
		if err != nil {
			return err
		}
		var before [][]byte
		oldVal, val := []byte{}, []byte{}
		if ix.value != nil {
			val = ix.value(d)
		}
		if old != nil {
			before = ix.keys(old)
			if ix.value != nil {
				oldVal = ix.value(old)
			}
		}
		sameVal := bytes.Equal(oldVal, val)
		after := ix.keys(d)
		for _, k := range before {
			if !containsKey(after, k) {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		for _, k := range after {
			if !sameVal || !containsKey(before, k) {
				if err := b.Put(k, val); err != nil {
					return err
				}
			}
		}
	}
	return recount(tx, old, d)
}

func containsKey(keys [][]byte, k []byte) bool {
	return slices.ContainsFunc(keys, func(x []byte) bool { return bytes.Equal(x, k) })
}

// idSet is a set of deal ids read from an index.
type idSet map[domain.DealID]struct{}

// scanPrefix adds the ids of every key of b starting with prefix; with
// within set, only those in within (the narrowing so far), so a word
// matching a twentieth of a million deals costs a walk of its keys, not a
// set of 50,000 ids.
func scanPrefix(b *bbolt.Bucket, prefix []byte, within, into idSet) {
	c := b.Cursor()
	n := 0
	defer func() { keysWalked.Add(int64(n)) }()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
		id := idSuffix(k)
		if within != nil {
			if _, ok := within[id]; !ok {
				continue
			}
		}
		into[id] = struct{}{}
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
// words (within owners when both are set) and the due date. It returns nil when f uses none of them; the
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
	if len(f.Owners) > 0 && len(words) > 0 {
		// Words within owners: each owner's own words (idx_owner_word), so
		// the walk is as long as the owners' matches, not the file's.
		b, err := bucket(tx, bucketIdxOwnerWord)
		if err != nil {
			return nil, err
		}
		for _, w := range words {
			// A word is a prefix of indexed words: no separator after it.
			s := idSet{}
			for _, o := range f.Owners {
				scanPrefix(b, append(append([]byte(o), sep), w...), set, s)
			}
			narrow(s)
			if len(set) == 0 {
				return set, nil
			}
		}
		words = nil
	} else if len(f.Owners) > 0 {
		b, err := bucket(tx, bucketIdxOwner)
		if err != nil {
			return nil, err
		}
		s := idSet{}
		for _, o := range f.Owners {
			scanPrefix(b, append([]byte(o), sep), nil, s)
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
			scanPrefix(b, []byte(w), set, s)
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
			id := idSuffix(k)
			if set != nil {
				if _, ok := set[id]; !ok {
					continue
				}
			}
			s[id] = struct{}{}
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

// keysWalked counts the index keys scanPrefix visits: a test of a bounded
// search compares it before and after.
var keysWalked atomic.Int64

// decodedDeals counts the deal records decoded (decodeDeal) in this process.
var decodedDeals atomic.Int64

// DealsDecoded is how many deal records this process has decoded: what a
// read costs grows with it, so a test of a bounded read (a list that must
// decode only the deals it shows) compares it before and after.
func DealsDecoded() int64 { return decodedDeals.Load() }

// openPage is one owner's open deals from idx_open, those of stage and
// category when set (matched as Deals matches them), in close-date order;
// with dueBefore set, those whose next step is due before it (or has no
// due date) first, each group in close-date order. It decodes at most
// limit deals (every one when limit is 0) and counts the others: without
// dueBefore and with a limit (/deal list), it walks the index only until
// the page is full and takes the count from open_counts, so the cost is
// the page's whatever the owner holds; with dueBefore (App Home, whose
// overdue deals may be anywhere in the index), from the index's keys.
// total is how many there are, less any shown deal that could not be read
// (skipped and reported to skip, as Deals does) and, when walked, any
// entry whose value is not one reindex writes (likewise).
func openPage(tx *bbolt.Tx, owner domain.UserID, stage string, category domain.Category, dueBefore domain.Date, limit int, skip skipFunc) (out []*domain.Deal, total int, err error) {
	idx, err := bucket(tx, bucketIdxOpen)
	if err != nil {
		return nil, 0, err
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return nil, 0, err
	}
	stage = strings.TrimSpace(stage)
	var before []byte
	if !dueBefore.IsZero() {
		before = dateBytes(dueBefore)
	}
	wanted := func(ids []domain.DealID) bool { return limit == 0 || len(ids) < limit }
	// first are the overdue deals shown (every deal when dueBefore is
	// zero), rest the others.
	var first, rest []domain.DealID
	// counted: the page stops the walk, open_counts gives the total.
	counted := before == nil && limit > 0
	prefix := append([]byte(owner), sep)
	c := idx.Cursor()
	walked := 0
	defer func() { keysWalked.Add(int64(walked)) }()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if counted && len(first) == limit {
			break
		}
		walked++
		id := idSuffix(k)
		due, cat, st, ok := openFields(v)
		if !ok {
			// Not what reindex writes: skipped and reported, as an
			// unreadable deal is; the check names it.
			skip(string(bucketIdxOpen), quotedKey(k), errors.New("not <next step due><category>0x00<stage>"))
			continue
		}
		if (category != "" && string(cat) != string(category)) || (stage != "" && !strings.EqualFold(string(st), stage)) {
			continue
		}
		total++
		if before == nil || bytes.Compare(due, before) < 0 {
			if wanted(first) {
				first = append(first, id)
			}
		} else if wanted(rest) {
			rest = append(rest, id)
		}
	}
	if counted {
		n, err := openCount(tx, owner, stage, category, skip)
		if err != nil {
			return nil, 0, err
		}
		total = max(n, len(first)) // a count behind the index (drift the check reports) never reads less than shown
	}
	ids := append(first, rest...)
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	for _, id := range ids {
		d, err := indexedDeal(deals, id)
		if err != nil {
			skip("deals", dealKeyName(id), err)
			total--
			continue
		}
		out = append(out, d)
	}
	return out, total, nil
}

// searchDeals answers SearchDeals in tx: Deals(f) for a search by words over
// every owner's deals, decoding at most walk deals and walking at most
// 8×walk idx_word keys a word (keys cost a few bytes, a deal a few
// kilobytes). The words walked to their end give every candidate: their
// ids intersected, and when that leaves at most walk deals they are
// decoded, checked with matches and the first f.Limit by close date
// returned, as Deals returns them. Otherwise the search is capped: the
// walk smallest ids of the intersection (or, when every word has more keys
// than the walk, of the first word's keys walked) are decoded and checked,
// and capped is true. Either way the cost is the same whatever
// the file holds.
func searchDeals(tx *bbolt.Tx, f domain.DealFilter, walk int, skip skipFunc) (out []*domain.Deal, capped bool, err error) {
	var words []string
	for _, w := range f.Words {
		words = append(words, searchWords(w)...)
	}
	if len(words) == 0 {
		// Only punctuation: every deal matches, read in close-date order
		// up to f.Limit, as Deals reads it.
		out, err = queryDeals(tx, f, skip)
		return out, false, err
	}
	idx, err := bucket(tx, bucketIdxWord)
	if err != nil {
		return nil, false, err
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return nil, false, err
	}
	// cand: the ids of every word walked to its end; first: the first
	// word's, when every word has more. Sorted by id, once each (a deal
	// has a key for each of its words a prefix matches), no set built.
	var cand, first []domain.DealID
	complete := false
	for _, w := range words {
		ids, whole := walkPrefix(idx, []byte(w), 8*walk)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		switch {
		case whole && !complete:
			cand, complete = ids, true
		case whole:
			cand = slices.DeleteFunc(cand, func(id domain.DealID) bool { _, ok := slices.BinarySearch(ids, id); return !ok })
		case first == nil:
			first = ids
		}
	}
	if !complete {
		cand, capped = first, true
	}
	if len(cand) > walk {
		cand, capped = cand[:walk], true
	}
	for _, id := range cand {
		d, err := indexedDeal(deals, id)
		if err != nil {
			skip("deals", dealKeyName(id), err)
			continue
		}
		if matches(d, f, words) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, byCloseDate)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit:f.Limit]
	}
	return out, capped, nil
}

// walkPrefix returns the ids of b's keys starting with prefix, in key
// order (an id again for each word of its deal the prefix matches),
// walking at most max keys; whole is false when more keys were left.
func walkPrefix(b *bbolt.Bucket, prefix []byte, max int) (ids []domain.DealID, whole bool) {
	c := b.Cursor()
	n := 0
	defer func() { keysWalked.Add(int64(n)) }()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if n == max {
			return ids, false
		}
		n++
		ids = append(ids, idSuffix(k))
	}
	return ids, true
}
