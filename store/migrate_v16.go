package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// migrateV16 creates idx_renew, <owner>0x00<term end><id>, for the won deals
// with an owner, a close date and a contract term, from the deal records as
// they are (only "owner", "status", "close_date" and "term_months" are
// read, so a later change of the deal decoder cannot change what it
// writes); the term end is v16TermEnd, a frozen copy of
// domain.Deal.TermEnd, the date bytes migrate_v12.go's frozen v12Date. A record that cannot be read gets no entry. Keys are
// written in order. Running it again writes the same keys.
func migrateV16(tx *bbolt.Tx, _ time.Time) error {
	ix, err := tx.CreateBucketIfNotExists(bucketIdxRenew)
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketIdxRenew, err)
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	var keys [][]byte
	err = deals.ForEach(func(k, v []byte) error {
		var r struct {
			Owner      string `json:"owner"`
			Status     string `json:"status"`
			CloseDate  string `json:"close_date"`
			TermMonths int    `json:"term_months"`
		}
		if len(k) != idLen || json.Unmarshal(v, &r) != nil || r.Status != "won" || r.Owner == "" || r.TermMonths <= 0 {
			return nil
		}
		closed, err := domain.ParseISODate(r.CloseDate)
		if err != nil {
			return nil
		}
		end := v16TermEnd(closed, r.TermMonths)
		key := make([]byte, 0, len(r.Owner)+1+dateLen+idLen)
		key = append(append(append(append(key, r.Owner...), sep), v12Date(end)...), k...)
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range keys {
		if err := ix.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// v16TermEnd is domain.Deal.TermEnd as schema version 16 was written: the
// close date plus months, the same day or the last day of a shorter month.
func v16TermEnd(d domain.Date, months int) domain.Date {
	first := time.Date(d.Year, d.Month+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return domain.Date{Year: first.Year(), Month: first.Month(), Day: min(d.Day, last)}
}
