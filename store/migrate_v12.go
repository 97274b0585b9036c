package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// migrateV12 creates idx_open and fills it from the deals, as dealpilot
// indexed open deals when schema version 12 was written: the key and value
// below are a frozen copy of index.go's openKey and openValue, so a later
// change there cannot change what this migration writes. A deal that
// cannot be read gets no entry (lists skipped it before), and the check
// reports it.
func migrateV12(tx *bbolt.Tx, _ time.Time) error {
	open, err := tx.CreateBucketIfNotExists(bucketIdxOpen)
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketIdxOpen, err)
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	// Collected, then written in key order: in the deals' id order every
	// put lands on another owner's page, and a 1M-deal file took 9 minutes
	// to open; in key order 15 s (100,000 deals: 7.2 s, then 1.0 s).
	type entry struct{ k, v []byte }
	var entries []entry
	err = deals.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil
		}
		d, err := decodeDeal(idSuffix(k), v)
		if err != nil || d.Status != domain.Open || d.Owner == "" {
			return nil
		}
		key := append(append([]byte(d.Owner), 0), v12Date(d.CloseDate)...)
		key = binary.BigEndian.AppendUint64(key, uint64(d.ID))
		val := append(v12Date(d.NextStepDue), d.Category...)
		val = append(append(val, 0), d.Stage...)
		entries = append(entries, entry{key, val})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.k, b.k) })
	for _, e := range entries {
		if err := open.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// v12Date is a date in 4 bytes whose order is date order: year<<9 | month<<5
// | day, the year clamped to 0..2^23-1 (the zero date is 0).
func v12Date(d domain.Date) []byte {
	y := min(max(d.Year, 0), 1<<23-1)
	return binary.BigEndian.AppendUint32(nil, uint32(y)<<9|uint32(d.Month&0xf)<<5|uint32(d.Day&0x1f))
}
