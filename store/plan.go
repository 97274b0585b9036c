package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// planKeyPrefix marks SavePlanOpened's submission keys in create_keys.
const planKeyPrefix = "plan:"

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

// readPlan reads deal's plan record (nil when there is none).
func readPlan(plans *bbolt.Bucket, deal domain.DealID) (desk.Plan, *planRecord, error) {
	v := plans.Get(idKey(deal))
	if v == nil {
		return desk.Plan{}, nil, nil
	}
	var rec planRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return desk.Plan{}, nil, fmt.Errorf("store: plan of deal %d: %w", deal, err)
	}
	p, err := decodePlan(deal, v)
	if err != nil {
		return desk.Plan{}, nil, err
	}
	return p, &rec, nil
}

// putPlan writes p as deal's plan at version, stamped now by by.
func putPlan(plans *bbolt.Bucket, deal domain.DealID, p desk.Plan, version uint64, by domain.UserID, now time.Time) error {
	rec := planRecord{V: planRecordVersion, Milestones: []milestoneRecord{}, UpdatedAt: utc(now), UpdatedBy: string(by), Version: version}
	for _, m := range p.Milestones {
		rec.Milestones = append(rec.Milestones, milestoneRecord{What: m.What, Side: string(m.Side), Due: m.Due.String(), Done: m.Done})
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return plans.Put(idKey(deal), v)
}

// PlanVersion returns deal's plan and its version (1 for a plan never
// saved), for a form to be opened on; ENOTFOUND when the deal does not
// exist.
func (db *DB) PlanVersion(ctx context.Context, deal domain.DealID) (desk.Plan, uint64, error) {
	if err := ctx.Err(); err != nil {
		return desk.Plan{}, 0, err
	}
	var (
		p       desk.Plan
		version uint64
	)
	err := db.view(func(tx *bbolt.Tx) error {
		if _, err := getDeal(tx, deal); err != nil {
			return err
		}
		plans, err := bucket(tx, bucketPlans)
		if err != nil {
			return err
		}
		var rec *planRecord
		p, rec, err = readPlan(plans, deal)
		version = planVersion(rec)
		return err
	})
	return p, version, err
}

// SavePlanOpened saves p as deal's plan from a form opened on version
// opened of the plan. In the write transaction: opened 0 (or a version the
// plan never had) is refused, and so is any save since the form was
// opened, by anyone, with a *domain.Conflict naming who saved which plan
// and when. A submission already saved under key (a double submit, a
// redelivery) saves nothing and succeeds again. The plan is validated
// first (desk.Plan.Validate).
func (db *DB) SavePlanOpened(ctx context.Context, deal domain.DealID, opened uint64, p desk.Plan, by domain.UserID, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" {
		return fmt.Errorf("store: save the plan of deal %d from a form: no submission key", deal)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx, now time.Time) error {
		d, err := getDeal(tx, deal)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return &rollback{err}
			}
			return err
		}
		keys, err := bucket(tx, bucketCreateKeys)
		if err != nil {
			return err
		}
		k := []byte(planKeyPrefix + key)
		if keys.Get(k) != nil {
			return &rollback{}
		}
		plans, err := bucket(tx, bucketPlans)
		if err != nil {
			return err
		}
		cur, rec, err := readPlan(plans, deal)
		if err != nil {
			return err
		}
		switch v := planVersion(rec); {
		case opened == 0 || opened > v:
			return &rollback{domain.Errorf(domain.EINVALID, "form.no_version", deal.Ref())}
		case opened < v:
			change := domain.HistoryEntry{Deal: deal, At: rec.UpdatedAt, By: domain.UserID(rec.UpdatedBy), Field: desk.FieldPlan, New: planSummary(cur)}
			return &rollback{&domain.Conflict{Deal: deal, By: change.By, At: change.At, Currency: d.Currency, Changes: []domain.HistoryEntry{change}}}
		}
		if err := putPlan(plans, deal, p, planVersion(rec)+1, by, now); err != nil {
			return err
		}
		kv, err := encodeKey(deal, now)
		if err != nil {
			return err
		}
		return keys.Put(k, kv)
	})
}

// planSummary is a plan in one line, for a conflict to say what was saved.
func planSummary(p desk.Plan) string {
	parts := make([]string, len(p.Milestones))
	for i, m := range p.Milestones {
		parts[i] = m.Due.String() + " " + m.What
		if m.Done {
			parts[i] += " ✓"
		}
	}
	return strings.Join(parts, "; ")
}
