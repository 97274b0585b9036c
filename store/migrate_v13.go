package store

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// migrateV13 creates idx_owner_word, <owner>0x00<word>0x00<id>, from the
// indexes the file already has: idx_owner gives each deal's owner and
// idx_word its words, as they were folded when written, so this migration
// needs no copy of the folding and writes what reindex writes for the same
// deals. Entries are written in key order (bbolt appends them to full
// pages; in id order a 1M-deal file would take minutes).
func migrateV13(tx *bbolt.Tx, _ time.Time) error {
	ow, err := tx.CreateBucketIfNotExists(bucketIdxOwnerWord)
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketIdxOwnerWord, err)
	}
	owners, err := bucket(tx, bucketIdxOwner)
	if err != nil {
		return err
	}
	words, err := bucket(tx, bucketIdxWord)
	if err != nil {
		return err
	}
	owner := map[uint64][]byte{} // deal id -> owner
	err = owners.ForEach(func(k, _ []byte) error {
		if len(k) > idLen {
			owner[uint64(idSuffix(k))] = bytes.Clone(k[:len(k)-idLen-1])
		}
		return nil
	})
	if err != nil {
		return err
	}
	var keys [][]byte
	err = words.ForEach(func(k, _ []byte) error {
		if len(k) <= idLen {
			return nil
		}
		o, ok := owner[uint64(idSuffix(k))]
		if !ok {
			return nil
		}
		key := make([]byte, 0, len(o)+1+len(k))
		key = append(append(append(key, o...), 0), k...) // k is <word>0x00<id>
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range keys {
		if err := ow.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}
