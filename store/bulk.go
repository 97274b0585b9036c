package store

import (
	"context"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// Imported is a deal brought in with its past: the deal as it stands, who
// created it, and older history entries (their Deal field is ignored).
type Imported struct {
	Deal    *domain.Deal
	By      domain.UserID
	History []domain.HistoryEntry
}

// ImportDeals saves every item as a new deal, like CreateDeal, then writes its
// past history entries with their own times and authors, all in one
// transaction: a bulk load (from a CRM export, or a benchmark file of 50,000
// deals) costs one commit per call, not one per deal. The deals are saved as
// given (version 1, created and updated at the transaction's time); the
// saved ids are returned in order.
func (db *DB) ImportDeals(ctx context.Context, items []Imported) ([]domain.DealID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var ids []domain.DealID
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		ids = ids[:0]
		h, err := bucket(tx, bucketHistory)
		if err != nil {
			return err
		}
		deals, err := bucket(tx, bucketDeals)
		if err != nil {
			return err
		}
		for _, it := range items {
			// The past comes first in the deal's history: write it under the
			// id createDeal is about to take.
			id := domain.DealID(deals.Sequence() + 1)
			for _, e := range it.History {
				seq, err := h.NextSequence()
				if err != nil {
					return err
				}
				e.Deal = id
				e.At = utc(e.At)
				v, err := encodeHistory(e)
				if err != nil {
					return err
				}
				if err := h.Put(historyKey(id, seq), v); err != nil {
					return fmt.Errorf("store: import history of deal %d: %w", id, err)
				}
			}
			d, err := createDeal(tx, now, it.Deal, it.By, "")
			if err != nil {
				return err
			}
			if d.ID != id {
				return fmt.Errorf("store: import: deal saved as %d, expected %d", d.ID, id)
			}
			ids = append(ids, d.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
