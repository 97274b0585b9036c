package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// open_counts holds how many open deals each owner has in each category and
// stage, <owner>0x00<category>0x00<stage> -> big-endian uint64, kept by
// reindex in the transaction that writes the deal, so /deal list counts the
// deals it does not show from a handful of keys (an owner's categories times
// stages), not from a walk of the owner's idx_open keys. A count that
// reaches zero is deleted.

// openCountKey is d's key in open_counts; nil when d is not an open deal
// with an owner (idx_open's deals).
func openCountKey(d *domain.Deal) []byte {
	if d == nil || d.Status != domain.Open || d.Owner == "" {
		return nil
	}
	k := make([]byte, 0, len(d.Owner)+1+len(d.Category)+1+len(d.Stage))
	k = append(k, d.Owner...)
	k = append(k, sep)
	k = append(k, d.Category...)
	k = append(k, sep)
	return append(k, d.Stage...)
}

// openCountFields splits an open_counts key after its owner's prefix.
func openCountFields(k []byte) (owner, category, stage []byte, ok bool) {
	i := bytes.IndexByte(k, sep)
	if i < 0 {
		return nil, nil, nil, false
	}
	j := bytes.IndexByte(k[i+1:], sep)
	if j < 0 {
		return nil, nil, nil, false
	}
	return k[:i], k[i+1 : i+1+j], k[i+1+j+1:], true
}

// recount moves d from old's open count to its own (either may be nil or
// not counted); reindex calls it with the deal's indexes.
func recount(tx *bbolt.Tx, old, d *domain.Deal) error {
	before, after := openCountKey(old), openCountKey(d)
	if bytes.Equal(before, after) {
		return nil
	}
	b, err := bucket(tx, bucketOpenCounts)
	if err != nil {
		return err
	}
	if before != nil {
		if err := addOpenCount(b, before, -1); err != nil {
			return err
		}
	}
	if after != nil {
		return addOpenCount(b, after, 1)
	}
	return nil
}

func addOpenCount(b *bbolt.Bucket, k []byte, delta int64) error {
	var n uint64
	if v := b.Get(k); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	switch {
	case delta < 0 && n == 0:
		return nil // nothing to take from: the check reports the drift
	case int64(n)+delta == 0:
		return b.Delete(k)
	}
	return b.Put(k, u64(uint64(int64(n)+delta)))
}

// openCount is how many open deals owner has, of stage and category when set
// (matched as openPage matches them), from open_counts: a read of the
// owner's few keys, whatever the deals. A value that is not a count is
// skipped and reported.
func openCount(tx *bbolt.Tx, owner domain.UserID, stage string, category domain.Category, skip skipFunc) (int, error) {
	b, err := bucket(tx, bucketOpenCounts)
	if err != nil {
		return 0, err
	}
	stage = strings.TrimSpace(stage)
	total := 0
	prefix := append([]byte(owner), sep)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		_, cat, st, ok := openCountFields(k)
		if !ok || len(v) != 8 {
			skip(string(bucketOpenCounts), quotedKey(k), errors.New("not <owner>0x00<category>0x00<stage> -> a count"))
			continue
		}
		if (category != "" && string(cat) != string(category)) || (stage != "" && !strings.EqualFold(string(st), stage)) {
			continue
		}
		total += int(binary.BigEndian.Uint64(v))
	}
	return total, nil
}

// openCountsOf counts idx_open's entries by open_counts key: what
// open_counts holds when it is in step with the index.
func openCountsOf(idx *bbolt.Bucket) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := idx.ForEach(func(k, v []byte) error {
		i := bytes.IndexByte(k, sep)
		_, cat, st, ok := openFields(v)
		if i < 0 || !ok {
			return nil // reported by the check as a bad record
		}
		key := make([]byte, 0, i+1+len(cat)+1+len(st))
		key = append(append(append(append(key, k[:i]...), sep), cat...), sep)
		out[string(append(key, st...))]++
		return nil
	})
	return out, err
}

// migrateOpenCounts (migration 15) creates open_counts from idx_open, as reindex keeps it (from
// the index, not the deals: idx_open holds each open deal's owner, category
// and stage as written, so no copy of today's code is needed). Written in
// key order.
func migrateOpenCounts(tx *bbolt.Tx, _ time.Time) error {
	b, err := freshBucket(tx, bucketOpenCounts)
	if err != nil {
		return err
	}
	idx, err := bucket(tx, bucketIdxOpen)
	if err != nil {
		return err
	}
	counts, err := openCountsOf(idx)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := b.Put([]byte(k), u64(counts[k])); err != nil {
			return err
		}
	}
	return nil
}

// checkOpenCounts reports the open_counts that differ from idx_open's
// entries: "open_counts/<owner> <category> <stage>: drift: …".
func checkOpenCounts(tx *bbolt.Tx) []string {
	b, idx := tx.Bucket(bucketOpenCounts), tx.Bucket(bucketIdxOpen)
	if b == nil || idx == nil {
		return nil
	}
	want, err := openCountsOf(idx)
	if err != nil {
		return []string{fmt.Sprintf("open_counts: idx_open could not be read: %v", err)}
	}
	name := func(k []byte) string { return strings.ReplaceAll(string(k), string(rune(sep)), " ") }
	var bad []string
	_ = b.ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return nil // reported as a bad record
		}
		n := binary.BigEndian.Uint64(v)
		w := want[string(k)]
		delete(want, string(k))
		if n != w {
			bad = append(bad, fmt.Sprintf("open_counts/%s: drift: holds %d open deals; idx_open has %d", name(k), n, w))
		}
		return nil
	})
	for k, w := range want {
		bad = append(bad, fmt.Sprintf("open_counts/%s: drift: missing; idx_open has %d open deals", name([]byte(k)), w))
	}
	return bad
}
