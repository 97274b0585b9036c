package store

// The deal desk: discount requests (desk_requests, with the desk_by_thread
// and desk_by_deal indexes) and mutual action plans (plans). A request is
// written with optimistic concurrency on its Version, and an approval sets
// the deal's discount (and its history entry) in the same transaction.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
)

const (
	deskRecordVersion = 1
	planRecordVersion = 1
)

// deskCreateKeyPrefix marks CreateDeskRequest's idempotency keys in the
// create_keys bucket, whose "deal" field then holds the request id.
const deskCreateKeyPrefix = "desk:"

// deskStepRecord is one step of a request's chain.
type deskStepRecord struct {
	Role      string   `json:"role"`
	Approvers []string `json:"approvers"`
}

// deskDecisionRecord is one decision.
type deskDecisionRecord struct {
	Revision int       `json:"revision"`
	Step     int       `json:"step"`
	Role     string    `json:"role"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Verdict  string    `json:"verdict"`
	Comment  string    `json:"comment,omitempty"`
}

// deskRequestRecord is the value of desk_requests/<request id>.
type deskRequestRecord struct {
	V             int                  `json:"v"`
	Deal          uint64               `json:"deal"`
	Requester     string               `json:"requester"`
	DiscountBP    int                  `json:"discount_bp"`
	ListAmount    int64                `json:"list_amount"`
	NetAmount     int64                `json:"net_amount"`
	Currency      string               `json:"currency"`
	Justification string               `json:"justification"`
	Competitor    string               `json:"competitor,omitempty"`
	Terms         []string             `json:"terms,omitempty"`
	OtherTerms    string               `json:"other_terms,omitempty"`
	Steps         []deskStepRecord     `json:"steps,omitempty"`
	Current       int                  `json:"current"`
	Status        string               `json:"status"`
	Decisions     []deskDecisionRecord `json:"decisions,omitempty"`
	Revision      int                  `json:"revision"`
	CreatedAt     time.Time            `json:"created_at"`
	SubmittedAt   time.Time            `json:"submitted_at"`
	ExpiresAt     time.Time            `json:"expires_at"`
	ClosedAt      *time.Time           `json:"closed_at,omitempty"`
	ClosedBy      string               `json:"closed_by,omitempty"`
	Version       uint64               `json:"version"`
	Channel       string               `json:"channel,omitempty"`
	TS            string               `json:"ts,omitempty"`
	// DealVersion: the deal's version the revision was made on; absent in
	// older records (0), so "v" stays at its version.
	DealVersion uint64 `json:"deal_version,omitempty"`
}

func encodeDeskRequest(r *desk.Request, t desk.Thread) ([]byte, error) {
	rec := deskRequestRecord{
		V: deskRecordVersion, Deal: uint64(r.Deal), Requester: string(r.Requester), DiscountBP: r.DiscountBP,
		ListAmount: r.ListAmount, NetAmount: r.NetAmount, Currency: r.Currency, Justification: r.Justification,
		Competitor: r.Competitor, OtherTerms: r.OtherTerms, Current: r.Current, Status: string(r.Status),
		Revision: r.Revision, CreatedAt: utc(r.CreatedAt), SubmittedAt: utc(r.SubmittedAt), ExpiresAt: utc(r.ExpiresAt),
		ClosedBy: string(r.ClosedBy), Version: r.Version, Channel: t.Channel, TS: t.Ref,
		DealVersion: r.DealVersion,
	}
	if !r.ClosedAt.IsZero() {
		at := utc(r.ClosedAt)
		rec.ClosedAt = &at
	}
	for _, term := range r.Terms {
		rec.Terms = append(rec.Terms, string(term))
	}
	for _, s := range r.Steps {
		sr := deskStepRecord{Role: string(s.Role), Approvers: []string{}}
		for _, u := range s.Approvers {
			sr.Approvers = append(sr.Approvers, string(u))
		}
		rec.Steps = append(rec.Steps, sr)
	}
	for _, d := range r.Decisions {
		rec.Decisions = append(rec.Decisions, deskDecisionRecord{
			Revision: d.Revision, Step: d.Step, Role: string(d.Role), By: string(d.By), At: utc(d.At),
			Verdict: string(d.Verdict), Comment: d.Comment,
		})
	}
	return json.Marshal(rec)
}

// listedRequest decodes request id's record v for a list or a check: one
// that cannot be decoded is reported once (skipBad) and left out (false),
// so one bad record fails no list.
func (db *DB) listedRequest(id uint64, v []byte) (*desk.Request, desk.Thread, bool) {
	r, t, err := decodeDeskRequest(id, v)
	if err != nil {
		db.skipBad("desk_requests", strconv.FormatUint(id, 10), err)
		return nil, desk.Thread{}, false
	}
	return r, t, true
}

// decodeDeskRequest copies everything it needs out of b.
func decodeDeskRequest(id uint64, b []byte) (*desk.Request, desk.Thread, error) {
	var rec deskRequestRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, desk.Thread{}, fmt.Errorf("store: desk request %d: %w", id, err)
	}
	if rec.V < 1 || rec.V > deskRecordVersion {
		return nil, desk.Thread{}, fmt.Errorf("store: desk request %d: record version %d not understood (max %d)", id, rec.V, deskRecordVersion)
	}
	r := &desk.Request{
		ID: id, Deal: domain.DealID(rec.Deal), Requester: domain.UserID(rec.Requester), DiscountBP: rec.DiscountBP,
		ListAmount: rec.ListAmount, NetAmount: rec.NetAmount, Currency: rec.Currency, Justification: rec.Justification,
		Competitor: rec.Competitor, OtherTerms: rec.OtherTerms, Current: rec.Current, Status: desk.Status(rec.Status),
		Revision: rec.Revision, CreatedAt: rec.CreatedAt, SubmittedAt: rec.SubmittedAt, ExpiresAt: rec.ExpiresAt,
		ClosedBy: domain.UserID(rec.ClosedBy), Version: rec.Version,
		DealVersion: rec.DealVersion,
	}
	if rec.ClosedAt != nil {
		r.ClosedAt = *rec.ClosedAt
	}
	for _, t := range rec.Terms {
		r.Terms = append(r.Terms, desk.Term(t))
	}
	for _, s := range rec.Steps {
		st := desk.Step{Role: desk.Role(s.Role)}
		for _, u := range s.Approvers {
			st.Approvers = append(st.Approvers, domain.UserID(u))
		}
		r.Steps = append(r.Steps, st)
	}
	for _, d := range rec.Decisions {
		r.Decisions = append(r.Decisions, desk.Decision{
			Revision: d.Revision, Step: d.Step, Role: desk.Role(d.Role), By: domain.UserID(d.By), At: d.At,
			Verdict: desk.Verdict(d.Verdict), Comment: d.Comment,
		})
	}
	return r, desk.Thread{Channel: rec.Channel, Ref: rec.TS}, nil
}

// threadKey is <channel>0x00<ts>, the key of desk_by_thread.
func threadKey(t desk.Thread) []byte {
	k := make([]byte, 0, len(t.Channel)+1+len(t.Ref))
	k = append(k, t.Channel...)
	k = append(k, sep)
	return append(k, t.Ref...)
}

// DeskChangedKey is the key of the ECONFLICT UpdateDeskRequest returns for a
// request no longer at the version asked for.
const DeskChangedKey = "deskbot.changed"

// deskNotFound is the ENOTFOUND of a request id.
func deskNotFound() error { return domain.Errorf(domain.ENOTFOUND, "deskbot.not_found") }

// DeskPendingKey is the key of the ECONFLICT CreateDeskRequest and
// UpdateDeskRequest return when another request of the deal is pending.
const DeskPendingKey = "deskbot.already_pending"

// onePending keeps a deal to one pending request: it is called in the
// transaction that makes request self (0 for a new one) of deal pending,
// and returns the ECONFLICT DeskPendingKey naming any other pending request
// of the deal, except that a request listed in replace that was never
// posted (no thread) is withdrawn by its requester at now instead: the new
// request replaces it.
//
// A request record that no longer decodes is skipped and reported (see
// skipBad): it cannot be decided, and must not block the deal for good.
func (db *DB) onePending(tx *bbolt.Tx, now time.Time, deal domain.DealID, self uint64, replace []uint64) error {
	idx, err := bucket(tx, bucketDeskByDeal)
	if err != nil {
		return err
	}
	reqs, err := bucket(tx, bucketDeskRequests)
	if err != nil {
		return err
	}
	prefix := idKey(deal)
	var others []uint64
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if id := binary.BigEndian.Uint64(k[len(prefix):]); id != self {
			others = append(others, id)
		}
	}
	for _, id := range others {
		v := reqs.Get(u64(id))
		if v == nil {
			continue
		}
		r, t, ok := db.listedRequest(id, v)
		if !ok {
			continue
		}
		if r.Status != desk.StatusPending {
			continue
		}
		if !t.Posted() && slices.Contains(replace, id) {
			if err := r.Withdraw(r.Requester, now); err != nil {
				return err
			}
			r.Version++
			if err := putDeskRequest(tx, r, t); err != nil {
				return err
			}
			continue
		}
		return &rollback{domain.Errorf(domain.ECONFLICT, DeskPendingKey, deal.Ref(), r.ID, domain.Percent(r.DiscountBP), r.Waiting())}
	}
	return nil
}

// CreateDeskRequest saves r as a new request: the next id and version 1
// (r itself is not modified). When r is already approved (a chain with no
// step), the deal's discount is set to r's in the same transaction, with its
// history entry by the requester. When key is not empty and a request was
// already created with it, that request is returned and nothing is saved.
//
// r is made from a form opened on version r.DealVersion of the deal: any
// other version (0 included) is refused in the transaction by
// domain.CheckOpened, naming every change of the deal since.
//
// A deal has at most one pending request, checked here in the transaction
// (two forms sent at once make one request): another pending request of
// the deal is an ECONFLICT DeskPendingKey, unless its id is in replace and
// it was never posted, in which case it is withdrawn in the same
// transaction.
func (db *DB) CreateDeskRequest(ctx context.Context, r *desk.Request, key string, replace ...uint64) (*desk.Request, error) {
	return db.createDeskRequest(ctx, key, replace, func(tx *bbolt.Tx) (*desk.Request, error) {
		if err := dealOpened(tx, r.Deal, r.DealVersion); err != nil {
			return nil, err
		}
		return r, nil
	})
}

// createDeskRequest saves the request made (in the write transaction) by
// make, once per key, as CreateDeskRequest says.
func (db *DB) createDeskRequest(ctx context.Context, key string, replace []uint64, make func(tx *bbolt.Tx) (*desk.Request, error)) (*desk.Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *desk.Request
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		out = nil
		var keys *bbolt.Bucket
		if key != "" {
			var err error
			if keys, err = bucket(tx, bucketCreateKeys); err != nil {
				return err
			}
			if v := keys.Get([]byte(deskCreateKeyPrefix + key)); v != nil {
				kr, err := decodeKey(v)
				if err != nil {
					return err
				}
				got, _, err := getDeskRequest(tx, kr.Deal)
				if err != nil {
					return err
				}
				out = got
				return &rollback{}
			}
		}
		r, err := make(tx)
		if err != nil {
			return err
		}
		if r.Status == desk.StatusPending {
			if err := db.onePending(tx, now, r.Deal, 0, replace); err != nil {
				return err
			}
		}
		if r.Status == desk.StatusApproved {
			if err := applyDiscount(tx, now, r); err != nil {
				return err
			}
		}
		reqs, err := bucket(tx, bucketDeskRequests)
		if err != nil {
			return err
		}
		seq, err := reqs.NextSequence()
		if err != nil {
			return err
		}
		c := r.Clone()
		c.ID, c.Version = seq, 1
		if err := putDeskRequest(tx, c, desk.Thread{}); err != nil {
			return err
		}
		byDeal, err := bucket(tx, bucketDeskByDeal)
		if err != nil {
			return err
		}
		if err := byDeal.Put(append(idKey(c.Deal), u64(c.ID)...), []byte{}); err != nil {
			return err
		}
		if keys != nil {
			v, err := encodeKey(domain.DealID(c.ID), now)
			if err != nil {
				return err
			}
			if err := keys.Put([]byte(deskCreateKeyPrefix+key), v); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyDiscount sets the deal's discount to the approved request's, with
// its history entry by whoever closed the request (the requester when it
// needed no approval). A deal already at that discount is left alone.
func applyDiscount(tx *bbolt.Tx, now time.Time, r *desk.Request) error {
	by := r.ClosedBy
	if by == "" {
		by = r.Requester
	}
	_, _, err := updateDeal(tx, now, r.Deal, 0, by, func(d *domain.Deal) error {
		d.Discount = r.DiscountBP
		return nil
	})
	var rb *rollback
	if errors.As(err, &rb) {
		if rb.err != nil {
			return rb // nothing was written yet
		}
		return nil
	}
	return err
}

func putDeskRequest(tx *bbolt.Tx, r *desk.Request, t desk.Thread) error {
	reqs, err := bucket(tx, bucketDeskRequests)
	if err != nil {
		return err
	}
	v, err := encodeDeskRequest(r, t)
	if err != nil {
		return err
	}
	if err := reqs.Put(u64(r.ID), v); err != nil {
		return fmt.Errorf("store: put desk request %d: %w", r.ID, err)
	}
	// What the desk says of a deal's discount is in /pipeline's figures.
	return bumpPart(tx, r.Deal)
}

func getDeskRequest(tx *bbolt.Tx, id uint64) (*desk.Request, desk.Thread, error) {
	reqs, err := bucket(tx, bucketDeskRequests)
	if err != nil {
		return nil, desk.Thread{}, err
	}
	v := reqs.Get(u64(id))
	if v == nil {
		return nil, desk.Thread{}, deskNotFound()
	}
	return decodeDeskRequest(id, v)
}

// DeskRequest returns request id and its thread, or ENOTFOUND.
func (db *DB) DeskRequest(ctx context.Context, id uint64) (*desk.Request, desk.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, desk.Thread{}, err
	}
	var (
		r *desk.Request
		t desk.Thread
	)
	err := db.view(func(tx *bbolt.Tx) error {
		var err error
		r, t, err = getDeskRequest(tx, id)
		return err
	})
	return r, t, err
}

// DeskRequestByThread returns the request posted as the message ts in
// channel, or ENOTFOUND.
func (db *DB) DeskRequestByThread(ctx context.Context, channel, ts string) (*desk.Request, desk.Thread, error) {
	if err := ctx.Err(); err != nil {
		return nil, desk.Thread{}, err
	}
	var (
		r *desk.Request
		t desk.Thread
	)
	err := db.view(func(tx *bbolt.Tx) error {
		idx, err := bucket(tx, bucketDeskByThread)
		if err != nil {
			return err
		}
		v := idx.Get(threadKey(desk.Thread{Channel: channel, Ref: ts}))
		if len(v) != idLen {
			return deskNotFound()
		}
		r, t, err = getDeskRequest(tx, binary.BigEndian.Uint64(v))
		return err
	})
	return r, t, err
}

// SetDeskThread records where request id was posted, replacing (and
// unindexing) any earlier thread.
func (db *DB) SetDeskThread(ctx context.Context, id uint64, t desk.Thread) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx, _ time.Time) error {
		r, old, err := getDeskRequest(tx, id)
		if err != nil {
			return notFoundRollback(err)
		}
		idx, err := bucket(tx, bucketDeskByThread)
		if err != nil {
			return err
		}
		if old.Posted() {
			if err := idx.Delete(threadKey(old)); err != nil {
				return err
			}
		}
		if t.Posted() {
			if err := idx.Put(threadKey(t), u64(id)); err != nil {
				return err
			}
		}
		return putDeskRequest(tx, r, t)
	})
}

// UpdateDeskRequest loads request id, checks it is still at version (0
// skips the check; a mismatch is an ECONFLICT *domain.Error with key
// DeskChangedKey), lets fn
// change a copy, and saves the copy with version+1, in one transaction. A
// request that becomes approved sets its deal's discount, with the deal's
// history entry, in that same transaction: two approvers deciding at the
// same moment are serialised here, and fn (which should check the turn and
// decide) sees the first one's decision. A revision (fn raising
// Revision) is made from a form opened on a version of the deal, and is
// refused on any other (domain.CheckOpened) in the same transaction. A
// request that becomes pending again (a revision) while another request of
// its deal is pending is the ECONFLICT DeskPendingKey; fn can never move a
// request to another deal.
//
// When fn returns an error nothing is saved and that error is returned
// with the request as it stands. fn may run more than once (batched
// writes), each time on a fresh copy.
func (db *DB) UpdateDeskRequest(ctx context.Context, id, version uint64, fn func(*desk.Request) error) (*desk.Request, desk.Thread, error) {
	r, th, _, err := db.updateDeskRequest(ctx, id, version, "", byFunc(fn))
	return r, th, err
}

// deskFormKeyPrefix marks SaveDeskDecision's and SaveDeskRequestForm's submission keys in
// create_keys.
const deskFormKeyPrefix = "deskform:"

// deskChange makes the next request from cur (not to be changed) in the
// write transaction tx; opened says whether the store must still hold a
// revision to the deal's version it was opened on (a form applied by
// domain rules has done so itself).
type deskChange func(tx *bbolt.Tx, cur *desk.Request) (next *desk.Request, opened bool, err error)

// byFunc is the change fn makes to a copy of the request.
func byFunc(fn func(*desk.Request) error) deskChange {
	return func(_ *bbolt.Tx, cur *desk.Request) (*desk.Request, bool, error) {
		next := cur.Clone()
		if err := fn(next); err != nil {
			return nil, false, err
		}
		return next, true, nil
	}
}

func (db *DB) updateDeskRequest(ctx context.Context, id, version uint64, key string, fn deskChange) (*desk.Request, desk.Thread, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, desk.Thread{}, false, err
	}
	var (
		out   *desk.Request
		th    desk.Thread
		again bool
	)
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		again = false
		cur, t, err := getDeskRequest(tx, id)
		out, th = cur, t
		if err != nil {
			return notFoundRollback(err)
		}
		var keys *bbolt.Bucket
		if key != "" {
			if keys, err = bucket(tx, bucketCreateKeys); err != nil {
				return err
			}
			if v := keys.Get([]byte(deskFormKeyPrefix + key)); v != nil {
				saved, err := decodeDeskSubmission(id, v)
				if err != nil {
					return err
				}
				out, again = saved, true
				return &rollback{}
			}
		}
		if version != 0 && cur.Version != version {
			return &rollback{domain.Errorf(domain.ECONFLICT, DeskChangedKey)}
		}
		next, checkOpened, err := fn(tx, cur)
		if err != nil {
			if rb := (*rollback)(nil); errors.As(err, &rb) {
				return err
			}
			return &rollback{err}
		}
		next.ID, next.Version, next.Deal = cur.ID, cur.Version+1, cur.Deal
		if next.Status == desk.StatusPending && cur.Status != desk.StatusPending {
			if err := db.onePending(tx, now, next.Deal, next.ID, nil); err != nil {
				return err
			}
		}
		if checkOpened && next.Revision != cur.Revision {
			// A revision is made from a form opened on a version of the deal.
			if err := dealOpened(tx, cur.Deal, next.DealVersion); err != nil {
				return err
			}
		}
		if next.Status == desk.StatusApproved && cur.Status != desk.StatusApproved {
			if err := applyDiscount(tx, now, next); err != nil {
				return err
			}
		}
		if err := putDeskRequest(tx, next, t); err != nil {
			return err
		}
		if keys != nil {
			v, err := encodeDeskSubmission(next, now)
			if err != nil {
				return err
			}
			if err := keys.Put([]byte(deskFormKeyPrefix+key), v); err != nil {
				return fmt.Errorf("store: put submission key: %w", err)
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return out, th, false, err
	}
	return out, th, again, nil
}

// encodeDeskSubmission is the record of a desk form's submission key: the
// request as the submission saved it.
func encodeDeskSubmission(r *desk.Request, at time.Time) ([]byte, error) {
	after, err := encodeDeskRequest(r, desk.Thread{})
	if err != nil {
		return nil, err
	}
	return json.Marshal(keyRecord{V: keyRecordVersion, Deal: r.ID, At: utc(at), After: after})
}

// decodeDeskSubmission reads a desk form's submission key: the request as
// that submission saved it.
func decodeDeskSubmission(id uint64, v []byte) (*desk.Request, error) {
	k, err := decodeKey(v)
	if err != nil {
		return nil, err
	}
	if k.Deal != id || len(k.After) == 0 {
		return nil, fmt.Errorf("store: submission key of desk request %d used for request %d", k.Deal, id)
	}
	r, _, err := decodeDeskRequest(id, k.After)
	return r, err
}

// DeskRequests returns the requests of deal (every deal when deal is 0),
// oldest first; with open set, only those still open (pending or sent back
// for changes).
func (db *DB) DeskRequests(ctx context.Context, deal domain.DealID, open bool) ([]desk.Posted, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []desk.Posted
	err := db.view(func(tx *bbolt.Tx) error {
		out = nil
		keep := func(id uint64, v []byte) error {
			r, t, ok := db.listedRequest(id, v)
			if !ok {
				return nil
			}
			if !open || !r.Status.Final() {
				out = append(out, desk.Posted{Request: r, Thread: t})
			}
			return nil
		}
		reqs, err := bucket(tx, bucketDeskRequests)
		if err != nil {
			return err
		}
		if deal == 0 {
			return reqs.ForEach(func(k, v []byte) error {
				if len(k) != idLen {
					return nil
				}
				return keep(binary.BigEndian.Uint64(k), v)
			})
		}
		idx, err := bucket(tx, bucketDeskByDeal)
		if err != nil {
			return err
		}
		prefix := idKey(deal)
		c := idx.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			id := binary.BigEndian.Uint64(k[len(prefix):])
			v := reqs.Get(u64(id))
			if v == nil {
				continue
			}
			if err := keep(id, v); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// DiscountInfo tells the coaching rules what the deal desk knows of each
// deal's discount: the discount of its request waiting for a decision, and
// the discount approved and kept on the deal (what a won deal was sold at,
// for the hollow-win check), and the competitor its latest request naming one
// names (for losses by competitor).
func (db *DB) DiscountInfo(ctx context.Context, ids []domain.DealID) (map[domain.DealID]coaching.DiscountInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[domain.DealID]coaching.DiscountInfo, len(ids))
	err := db.view(func(tx *bbolt.Tx) error {
		reqs, err := bucket(tx, bucketDeskRequests)
		if err != nil {
			return err
		}
		idx, err := bucket(tx, bucketDeskByDeal)
		if err != nil {
			return err
		}
		deals, err := bucket(tx, bucketDeals)
		if err != nil {
			return err
		}
		c := idx.Cursor()
		for _, id := range ids {
			var info coaching.DiscountInfo
			approved, found, err := readDealDiscount(deals, id)
			if err != nil {
				db.skipBad("deals", dealKeyName(id), err)
				continue
			}
			if !found {
				continue
			}
			info.ApprovedBP = approved
			db.deskDiscount(c, reqs, id, &info)
			out[id] = info
		}
		return nil
	})
	return out, err
}

// deskDiscount adds to info what the deal desk's requests on deal id say
// (c is a cursor of desk_by_deal, reqs the desk_requests bucket): the
// discount waiting for a decision, the terms of the latest approved
// request, the latest competitor named.
func (db *DB) deskDiscount(c *bbolt.Cursor, reqs *bbolt.Bucket, id domain.DealID, info *coaching.DiscountInfo) {
	prefix := idKey(id)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		rid := binary.BigEndian.Uint64(k[len(prefix):])
		v := reqs.Get(u64(rid))
		if v == nil {
			continue
		}
		r, _, ok := db.listedRequest(rid, v)
		if !ok {
			continue
		}
		switch r.Status {
		case desk.StatusPending:
			info.RequestedBP = r.DiscountBP
		case desk.StatusApproved:
			// Requests come in id order: the latest approved
			// one is what the deal was sold on, as for its discount.
			info.NonStandardTerms = len(r.Terms) > 0
		}
		if r.Competitor != "" { // trimmed by desk.Draft
			info.Competitor = r.Competitor // requests come oldest first: the latest naming one wins
		}
	}
}

// readDealDiscount reads only the approved discount of deal id (found is
// false when there is no such deal): DiscountInfo asks it of every deal
// the coaching rules read, which decoded each of them a second time.
func readDealDiscount(deals *bbolt.Bucket, id domain.DealID) (approved int, found bool, err error) {
	v := deals.Get(idKey(id))
	if v == nil {
		return 0, false, nil
	}
	var r struct {
		V        int `json:"v"`
		Discount int `json:"discount"`
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return 0, false, fmt.Errorf("store: deal %d: %w", id, err)
	}
	if r.V < 1 || r.V > dealRecordVersion {
		return 0, false, fmt.Errorf("store: deal %d: record version %d not understood (max %d)", id, r.V, dealRecordVersion)
	}
	return r.Discount, true, nil
}
