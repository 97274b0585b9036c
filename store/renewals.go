package store

import (
	"bytes"
	"context"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// idx_renew (since v16) holds each won deal with a contract term under its
// owner, by the day the term ends (domain.Deal.TermEnd): App Home and the
// reminders read the renewals coming due from it, decoding only those
// deals, never every won deal of a rep.

// renewKeys is a deal's idx_renew key: <owner>0x00<term end><id> for a won
// deal with an owner and a term end, none otherwise.
func renewKeys(d *domain.Deal) [][]byte {
	end := d.TermEnd()
	if d.Status != domain.Won || d.Owner == "" || end.IsZero() {
		return nil
	}
	return [][]byte{renewKey(d.Owner, end, d.ID)}
}

func renewKey(owner domain.UserID, end domain.Date, id domain.DealID) []byte {
	k := make([]byte, 0, len(owner)+1+dateLen+idLen)
	k = append(k, owner...)
	k = append(k, sep)
	k = append(k, dateBytes(end)...)
	return append(k, idKey(id)...)
}

// RenewingDeals returns owner's won deals whose contract term ends from
// from to to (both included), by term end then id. A deal that cannot be
// read is skipped and reported as bad.
func (db *DB) RenewingDeals(ctx context.Context, owner domain.UserID, from, to domain.Date) ([]*domain.Deal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []*domain.Deal
	err := db.view(func(tx *bbolt.Tx) error {
		out = nil
		ix, err := bucket(tx, bucketIdxRenew)
		if err != nil {
			return err
		}
		deals, err := bucket(tx, bucketDeals)
		if err != nil {
			return err
		}
		prefix := append([]byte(owner), sep)
		start := append(bytes.Clone(prefix), dateBytes(from)...)
		end := append(bytes.Clone(prefix), dateBytes(to.AddDays(1))...)
		c := ix.Cursor()
		for k, _ := c.Seek(start); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
			id := idSuffix(k)
			d, err := readDeal(deals, id)
			if err != nil {
				db.skipBad("deals", dealKeyName(id), err)
				continue
			}
			if d != nil {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}
