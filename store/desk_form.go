package store

import (
	"context"
	"errors"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// SaveDeskRequestForm saves what the discount request form f leaves: a
// new request (f.Revises 0) as CreateDeskRequest saves one, once per key,
// replacing the unposted requests in replace; or the revision of request
// f.Revises, once per key as SaveDeskDecision saves a decision (again set
// when key was already saved). f.Apply runs once, in the write
// transaction, on the deal (and request) as stored: every rule of the
// form, the deal's version it was opened on included, is the domain's.
func (db *DB) SaveDeskRequestForm(ctx context.Context, f desk.RequestForm, key string, replace ...uint64) (r *desk.Request, th desk.Thread, again bool, err error) {
	if f.Revises == 0 {
		r, err = db.createDeskRequest(ctx, key, replace, func(tx *bbolt.Tx) (*desk.Request, error) {
			deal, hist, err := formDeal(tx, f.Deal)
			if err != nil {
				return nil, err
			}
			r, err := f.Apply(deal, hist, nil)
			if err != nil {
				return nil, &rollback{err}
			}
			return r, nil
		})
		return r, desk.Thread{}, false, err
	}
	if key == "" {
		return nil, desk.Thread{}, false, errors.New("store: revise a desk request from a form: no submission key")
	}
	return db.updateDeskRequest(ctx, f.Revises, 0, key, func(tx *bbolt.Tx, cur *desk.Request) (*desk.Request, bool, error) {
		deal, hist, err := formDeal(tx, f.Deal)
		if err != nil {
			return nil, false, err
		}
		next, err := f.Apply(deal, hist, cur)
		return next, false, err
	})
}

// formDeal is deal as stored in tx and its history reader, for a form's
// Apply: a deal not found is a *rollback.
func formDeal(tx *bbolt.Tx, id domain.DealID) (*domain.Deal, func() ([]domain.HistoryEntry, error), error) {
	d, err := getDeal(tx, id)
	if err != nil {
		return nil, nil, notFoundRollback(err)
	}
	return d, func() ([]domain.HistoryEntry, error) { return history(tx, id, skipQuietly) }, nil
}

// SaveDeskDecision saves an approver's decision f on request id: f.Apply
// runs in the write transaction on the request as stored (an approval
// that ends the chain sets the deal's discount there too), and the
// request is saved as it leaves it, with the steps whose approvers it
// found changed; or nothing is saved. With a key (the comment form), the
// decision is made at most once per key: a submission already saved under
// key (a double submit, a redelivery) changes nothing, and the request is
// returned as that submission saved it, with again set, so the caller
// answers as it did the first time and announces nothing twice. A refused
// submission is not recorded. Without one (a button), each call decides.
// The thread is the request's as it stands.
func (db *DB) SaveDeskDecision(ctx context.Context, id uint64, f desk.DecisionForm, key string) (r *desk.Request, th desk.Thread, changes []desk.StepChange, again bool, err error) {
	r, th, again, err = db.updateDeskRequest(ctx, id, 0, key, func(_ *bbolt.Tx, cur *desk.Request) (*desk.Request, bool, error) {
		next, ch, err := f.Apply(cur)
		changes = ch
		return next, true, err
	})
	if err != nil || again {
		changes = nil
	}
	return r, th, changes, again, err
}
