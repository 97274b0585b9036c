package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// planKeyPrefix marks SavePlanForm's submission keys in create_keys.
const planKeyPrefix = "plan:"

// milestoneRecord is one milestone of a plan.
type milestoneRecord struct {
	What string `json:"what"`
	Side string `json:"side"`
	Due  string `json:"due"`
	Done bool   `json:"done,omitempty"`
}

// planRecord is the value of plans/<id>.
type planRecord struct {
	V          int               `json:"v"`
	Milestones []milestoneRecord `json:"milestones"`
	UpdatedAt  time.Time         `json:"updated_at"`
	UpdatedBy  string            `json:"updated_by"`
	// Version counts saves (see planVersion); absent in older records,
	// so "v" stays 1.
	Version uint64 `json:"version,omitempty"`
}

// decodePlan reads a plan record of deal id.
func decodePlan(id domain.DealID, b []byte) (desk.Plan, error) {
	rec, err := decodePlanRecord(id, b)
	if err != nil {
		return desk.Plan{}, err
	}
	return rec.plan(id)
}

func decodePlanRecord(id domain.DealID, b []byte) (*planRecord, error) {
	var rec planRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("store: plan of deal %d: %w", id, err)
	}
	if rec.V < 1 || rec.V > planRecordVersion {
		return nil, fmt.Errorf("store: plan of deal %d: record version %d not understood (max %d)", id, rec.V, planRecordVersion)
	}
	return &rec, nil
}

// plan is the plan rec holds, of deal id.
func (rec *planRecord) plan(id domain.DealID) (desk.Plan, error) {
	var p desk.Plan
	for _, m := range rec.Milestones {
		due, err := parseDate(m.Due)
		if err != nil {
			return desk.Plan{}, fmt.Errorf("store: plan of deal %d: %w", id, err)
		}
		p.Milestones = append(p.Milestones, desk.Milestone{What: m.What, Side: desk.Side(m.Side), Due: due, Done: m.Done})
	}
	return p, nil
}

// encodePlan is the record of p saved as version by by, at now.
func encodePlan(p desk.Plan, version uint64, by domain.UserID, now time.Time) ([]byte, error) {
	rec := planRecord{V: planRecordVersion, Milestones: []milestoneRecord{}, UpdatedAt: utc(now), UpdatedBy: string(by), Version: version}
	for _, m := range p.Milestones {
		rec.Milestones = append(rec.Milestones, milestoneRecord{What: m.What, Side: string(m.Side), Due: m.Due.String(), Done: m.Done})
	}
	return json.Marshal(rec)
}

// planVersion is the version of a plan record: 1 when there is none (a
// plan never saved), one more with each save. An empty plan is kept as a
// record, so a version never comes back. Records written before plans
// had versions were saved at least once: 2.
func planVersion(rec *planRecord) uint64 {
	switch {
	case rec == nil:
		return 1
	case rec.Version == 0:
		return 2
	}
	return rec.Version
}

// storedPlan reads deal's plan in tx: the plan (empty when there is none),
// its version and its last save, and the plans bucket to save it in. The
// deal must exist: ENOTFOUND otherwise.
func storedPlan(tx *bbolt.Tx, deal domain.DealID) (desk.StoredPlan, *bbolt.Bucket, error) {
	if _, err := getDeal(tx, deal); err != nil {
		return desk.StoredPlan{}, nil, err
	}
	plans, err := bucket(tx, bucketPlans)
	if err != nil {
		return desk.StoredPlan{}, nil, err
	}
	v := plans.Get(idKey(deal))
	if v == nil {
		return desk.StoredPlan{Version: planVersion(nil)}, plans, nil
	}
	rec, err := decodePlanRecord(deal, v)
	if err != nil {
		return desk.StoredPlan{}, nil, err
	}
	p, err := rec.plan(deal)
	if err != nil {
		return desk.StoredPlan{}, nil, err
	}
	return desk.StoredPlan{Plan: p, Version: planVersion(rec), By: domain.UserID(rec.UpdatedBy), At: rec.UpdatedAt}, plans, nil
}

// Plan returns deal's mutual action plan (empty when it has none), or
// ENOTFOUND when the deal does not exist.
func (db *DB) Plan(ctx context.Context, deal domain.DealID) (desk.Plan, error) {
	p, _, err := db.PlanVersion(ctx, deal)
	return p, err
}

// PlanVersion returns deal's plan and its version (1 for a plan never
// saved), for a form to be opened on; ENOTFOUND when the deal does not
// exist.
func (db *DB) PlanVersion(ctx context.Context, deal domain.DealID) (desk.Plan, uint64, error) {
	if err := ctx.Err(); err != nil {
		return desk.Plan{}, 0, err
	}
	var cur desk.StoredPlan
	err := db.view(func(tx *bbolt.Tx) error {
		var err error
		cur, _, err = storedPlan(tx, deal)
		return err
	})
	if err != nil {
		return desk.Plan{}, 0, err
	}
	return cur.Plan, cur.Version, nil
}

// SavePlan replaces deal's mutual action plan (an empty plan empties it),
// stamped now by by, whatever version it is at: for callers that are not a
// form (a form saves with SavePlanForm). The plan is validated first
// (desk.Plan.Validate).
func (db *DB) SavePlan(ctx context.Context, deal domain.DealID, p desk.Plan, by domain.UserID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx, now time.Time) error {
		cur, plans, err := storedPlan(tx, deal)
		if err != nil {
			return notFoundRollback(err)
		}
		v, err := encodePlan(p, cur.Version+1, by, now)
		if err != nil {
			return err
		}
		return plans.Put(idKey(deal), v)
	})
}

// SavePlanForm saves the plan form f on deal f.Deal: in the write
// transaction, f.Apply gets the deal and its plan as stored (its version,
// who saved it last and when) and returns the plan to save, saved as the
// plan's next version, or why not (who may change the deal, every problem
// of the plan as written, the plan's version the form was opened on: the
// form's rules are all in Apply), then nothing is saved. It returns the
// plan saved and the deal.
//
// The submission is saved at most once per key: one already saved under
// key (a double submit, a redelivery) saves nothing and gets the plan it
// saved then (for keys recorded before they kept it: the plan as stored).
// A refused submission is not recorded. key must not be empty.
func (db *DB) SavePlanForm(ctx context.Context, f desk.PlanForm, key string) (saved desk.Plan, deal *domain.Deal, err error) {
	if err := ctx.Err(); err != nil {
		return desk.Plan{}, nil, err
	}
	if key == "" {
		return desk.Plan{}, nil, fmt.Errorf("store: save the plan of deal %d from a form: no submission key", f.Deal)
	}
	err = db.update(func(tx *bbolt.Tx, now time.Time) error {
		saved, deal = desk.Plan{}, nil
		d, err := getDeal(tx, f.Deal)
		if err != nil {
			return notFoundRollback(err)
		}
		keys, err := bucket(tx, bucketCreateKeys)
		if err != nil {
			return err
		}
		k := []byte(planKeyPrefix + key)
		if v := keys.Get(k); v != nil {
			p, err := planSaved(tx, f.Deal, v)
			if err != nil {
				return err
			}
			saved, deal = p, d
			return &rollback{}
		}
		cur, plans, err := storedPlan(tx, f.Deal)
		if err != nil {
			return err
		}
		p, err := f.Apply(d, cur)
		if err != nil {
			return &rollback{err}
		}
		rec, err := encodePlan(p, cur.Version+1, f.By, now)
		if err != nil {
			return err
		}
		if err := plans.Put(idKey(f.Deal), rec); err != nil {
			return err
		}
		kv, err := json.Marshal(keyRecord{V: keyRecordVersion, Deal: uint64(f.Deal), At: utc(now), After: rec})
		if err != nil {
			return err
		}
		if err := keys.Put(k, kv); err != nil {
			return fmt.Errorf("store: put submission key: %w", err)
		}
		saved, deal = p, d
		return nil
	})
	if err != nil {
		return desk.Plan{}, nil, err
	}
	return saved, deal, nil
}

// planSaved is the plan a submission key's record v says was saved on
// deal; a record without it (written before keys kept it) gets the plan
// as stored.
func planSaved(tx *bbolt.Tx, deal domain.DealID, v []byte) (desk.Plan, error) {
	r, err := decodeKey(v)
	if err != nil {
		return desk.Plan{}, err
	}
	if domain.DealID(r.Deal) != deal {
		return desk.Plan{}, fmt.Errorf("store: plan submission key of deal %d used for deal %d", r.Deal, deal)
	}
	if len(r.After) > 0 {
		return decodePlan(deal, r.After)
	}
	cur, _, err := storedPlan(tx, deal)
	return cur.Plan, err
}

// notFoundRollback is err, wrapped in *rollback when it is an ENOTFOUND:
// the caller's answer, with nothing written, while any other error fails
// the transaction.
func notFoundRollback(err error) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return &rollback{err}
	}
	return err
}
