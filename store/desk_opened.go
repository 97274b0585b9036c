package store

import (
	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// dealOpened holds a write made from a form opened on version opened of
// deal to domain.CheckOpened, in the write transaction tx: a refusal (or
// ENOTFOUND) is a *rollback.
func dealOpened(tx *bbolt.Tx, deal domain.DealID, opened uint64) error {
	cur, history, err := formDeal(tx, deal)
	if err != nil {
		return err
	}
	var hist []domain.HistoryEntry
	if opened != cur.Version {
		if hist, err = history(); err != nil {
			return err
		}
	}
	if err := domain.CheckOpened(opened, cur, hist); err != nil {
		return &rollback{err}
	}
	return nil
}
