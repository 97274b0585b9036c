package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// importRecord is the value of imports/<external id>: the deal an import
// made of a CRM record, and the values the last import wrote from the file
// (the base against which a newer export's changes, and dealpilot's own,
// are told apart).
type importRecord struct {
	V      int               `json:"v"`
	Deal   uint64            `json:"deal"`
	At     time.Time         `json:"at"`
	Values map[string]string `json:"values"`
}

const importRecordVersion = 1

// ImportedDeal is a deal an earlier import made, and what that import's
// file said of each field it set.
type ImportedDeal struct {
	Deal *domain.Deal
	Base map[domain.Field]string
}

// ImportedDeals returns the deals earlier imports made of the given external
// ids; an id never imported is absent from the map.
func (db *DB) ImportedDeals(ctx context.Context, ids []string) (map[string]ImportedDeal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]ImportedDeal, len(ids))
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketImports)
		if err != nil {
			return err
		}
		for _, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			r, err := decodeImport(id, v)
			if err != nil {
				return err
			}
			d, err := getDeal(tx, domain.DealID(r.Deal))
			if err != nil {
				return err
			}
			base := make(map[domain.Field]string, len(r.Values))
			for f, v := range r.Values {
				base[domain.Field(f)] = v
			}
			out[id] = ImportedDeal{Deal: d, Base: base}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeImport(id string, v []byte) (importRecord, error) {
	var r importRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("store: import %q: %w", id, err)
	}
	if r.V < 1 || r.V > importRecordVersion {
		return r, fmt.Errorf("store: import %q: record version %d not understood (max %d)", id, r.V, importRecordVersion)
	}
	return r, nil
}

// ImportItem is what an import writes for one CRM record: a new deal
// (Create), an update of the deal an earlier import made (Update, made on
// Version, to the values of After), or neither (the base alone moves).
// Base is what the file said, kept for the next import.
type ImportItem struct {
	ExternalID string
	Create     *domain.Deal
	Update     domain.DealID
	Version    uint64
	After      *domain.Deal
	Base       map[domain.Field]string
	// StoredAs, when set, is the key an earlier import kept the record
	// under: the record moves to ExternalID (a Salesforce id kept from now
	// in its 18-character form).
	StoredAs string
}

// ErrImportConflict is returned by ApplyImport when a deal changed after
// the import planned its update (the bot was running): nothing is written.
var ErrImportConflict = errors.New("store: a deal changed since the import read it; run the import again")

// ApplyImport writes items in one transaction, all or nothing: new deals
// (created by `by`, with their external id, at the CRM's creation date
// when Create.CreatedAt has one, see importCreated), updates (history by `by`, field
// by field), and the imports index with each record's base. It returns the
// ids of the deals written, in order (0 for an item that only moves a base).
func (db *DB) ApplyImport(ctx context.Context, by domain.UserID, items []ImportItem) ([]domain.DealID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var ids []domain.DealID
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		ids = ids[:0]
		b, err := bucket(tx, bucketImports)
		if err != nil {
			return err
		}
		for _, it := range items {
			if it.ExternalID == "" {
				return fmt.Errorf("store: import: an item without external id")
			}
			prev := b.Get([]byte(it.ExternalID))
			moved := it.StoredAs != "" && it.StoredAs != it.ExternalID && prev == nil && it.Create == nil
			if moved {
				prev = b.Get([]byte(it.StoredAs))
			}
			var id domain.DealID
			switch {
			case it.Create != nil:
				if prev != nil {
					return fmt.Errorf("store: import: %q was already imported", it.ExternalID)
				}
				in := *it.Create
				in.ExternalID = it.ExternalID
				// Without the CRM's creation date, the deal is dated when
				// learnt: its cycle is unknown (the KPIs leave it out).
				in.CreatedUnknown = in.CreatedAt.IsZero() || in.CreatedAt.After(now)
				created, at := importCreated(in.CreatedAt, now), now
				if in.Status != domain.Open {
					created, at = importClosed(in.CreatedAt, in.CloseDate, now)
				}
				d, err := createDealWith(tx, now, created, &in, by, "", func(d *domain.Deal) error {
					return addHistory(tx, d.ID, at, by, d.Version, domain.Diff(&domain.Deal{}, d))
				})
				if err != nil {
					return unrolled(err)
				}
				if err := rememberAccountAttrs(tx, d.Account, d.Attributes); err != nil {
					return err
				}
				id = d.ID
			case it.After != nil:
				if prev == nil {
					return fmt.Errorf("store: import: %q was never imported", it.ExternalID)
				}
				after := it.After
				// A deal the CRM has since won or lost is closed at its
				// close date, as when an import creates it closed.
				at := now
				if after.Status != domain.Open {
					if cur, err := getDeal(tx, it.Update); err == nil && cur.Status == domain.Open {
						at = closedAt(after.CloseDate, cur.UpdatedAt, now)
					}
				}
				_, _, err := updateDeal(tx, at, it.Update, it.Version, by, func(d *domain.Deal) error {
					ext := d.ExternalID
					*d = *after
					d.ExternalID = ext
					return nil
				})
				var rb *rollback
				if errors.As(err, &rb) && rb.err != nil && domain.ErrorCode(rb.err) == domain.ECONFLICT {
					return ErrImportConflict
				}
				if err != nil && !(errors.As(err, &rb) && rb.err == nil) {
					return unrolled(err)
				}
				if err := rememberAccountAttrs(tx, after.Account, after.Attributes); err != nil {
					return err
				}
				id = it.Update
			default:
				if prev == nil {
					return fmt.Errorf("store: import: %q was never imported", it.ExternalID)
				}
				r, err := decodeImport(it.ExternalID, prev)
				if err != nil {
					return err
				}
				id = domain.DealID(r.Deal)
			}
			values := make(map[string]string, len(it.Base))
			for f, v := range it.Base {
				values[string(f)] = v
			}
			v, err := json.Marshal(importRecord{V: importRecordVersion, Deal: uint64(id), At: now, Values: values})
			if err != nil {
				return err
			}
			if err := b.Put([]byte(it.ExternalID), v); err != nil {
				return fmt.Errorf("store: put import %q: %w", it.ExternalID, err)
			}
			if moved && prev != nil {
				if err := b.Delete([]byte(it.StoredAs)); err != nil {
					return fmt.Errorf("store: move import %q: %w", it.StoredAs, err)
				}
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// importCreated is when a deal an import creates was created: the CRM's
// creation date (ImportItem.Create's CreatedAt) when it has one that is not
// after now, else now. History is written at now, so no entry of the deal
// is ever dated before its creation.
func importCreated(crm, now time.Time) time.Time {
	if crm.IsZero() || crm.After(now) {
		return now
	}
	return crm
}

// importClosed is when a deal the CRM already won or lost was created and
// when its first history is dated. The KPIs date a close by the deal's
// status entry, so dating it at the import counted every past win and loss
// in the current period and ran each cycle to the import day. Its history
// is dated at its close date (noon UTC: that same day from UTC-11 to
// UTC+11), not after now; all of it at once, so no stay in its last stage
// is invented for the stall limits (the CRM's export has no stage history).
// It was created on the CRM's creation date, else (the file has none) at
// that close; a close before the creation is dated at the creation.
func importClosed(crm time.Time, closeDate domain.Date, now time.Time) (created, at time.Time) {
	at = closedAt(closeDate, time.Time{}, now)
	created = importCreated(crm, now)
	if crm.IsZero() || crm.After(now) {
		created = at
	}
	if at.Before(created) {
		at = created
	}
	return created, at
}

// closedAt is when an import dates a close the CRM made on closeDate: noon
// UTC of that day (the same day from UTC-11 to UTC+11), not after now, and
// not before notBefore (a deal's last write: its history stays in time
// order, which the KPIs read it in).
func closedAt(closeDate domain.Date, notBefore, now time.Time) time.Time {
	at := closeDate.Time(time.UTC).Add(12 * time.Hour)
	if closeDate.IsZero() || at.After(now) {
		at = now
	}
	if at.Before(notBefore) {
		at = notBefore
	}
	return at
}

// unrolled turns a helper's *rollback into a plain error: in a transaction
// that has already written other items, "nothing written" is no longer
// true, and only a plain error rolls back all of them.
func unrolled(err error) error {
	var rb *rollback
	if errors.As(err, &rb) {
		if rb.err == nil {
			return errors.New("store: import: nothing to write where a write was planned")
		}
		return fmt.Errorf("store: import: %w", rb.err)
	}
	return err
}

// migrateV11 adds the empty imports bucket: no deal was imported before.
func migrateV11(tx *bbolt.Tx, _ time.Time) error {
	_, err := tx.CreateBucketIfNotExists(bucketImports)
	return err
}
