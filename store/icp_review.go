package store

// The quarterly ICP review (issue 21, bot/icp_review.go): one record per
// quarter and team in the jobs bucket, under "icp_review:<quarter>:<team>",
// holding the proposals with their numbers, each one's decision, and when
// the review went out. It is the job's own record of what it did, kept for
// good (done keys are pruned after bot.DoneKept, a quarter is longer), so
// a restart at any time of the quarter posts nothing twice, and the next
// quarter's review shows the decisions.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/segment"
)

const reviewRecordVersion = 1

// reviewKeyPrefix starts the key of a review in the jobs bucket.
const reviewKeyPrefix = "icp_review:"

// reviewRecord is the value of jobs/"icp_review:"<quarter>":"<team>.
type reviewRecord struct {
	V         int              `json:"v"`
	Quarter   string           `json:"quarter"`
	From      string           `json:"from"`
	To        string           `json:"to"`
	Before    []string         `json:"before"`
	Team      string           `json:"team"`
	Manager   string           `json:"manager"`
	FitNow    groupRecord      `json:"fit_now"`
	MinDeals  int              `json:"min_deals"`
	Proposals []proposalRecord `json:"proposals"`
	MadeAt    time.Time        `json:"made_at"`
	PostedAt  time.Time        `json:"posted_at,omitzero"`
}

type groupRecord struct {
	Won    int     `json:"won"`
	Lost   int     `json:"lost"`
	WinBP  int     `json:"win_bp"`
	Cycle  float64 `json:"cycle"`
	TooFew bool    `json:"too_few,omitempty"`
}

type proposalRecord struct {
	Kind      string        `json:"kind"`
	Attribute string        `json:"attribute"`
	Value     string        `json:"value"`
	InICP     bool          `json:"in_icp,omitempty"`
	Now       groupRecord   `json:"now"`
	Before    groupRecord   `json:"before"`
	Quarters  []groupRecord `json:"quarters"`
	Decision  string        `json:"decision,omitempty"`
	By        string        `json:"by,omitempty"`
	At        time.Time     `json:"at,omitzero"`
}

func toGroup(g segment.Group) groupRecord {
	return groupRecord{Won: g.Won, Lost: g.Lost, WinBP: g.WinRateBP, Cycle: g.CycleMedianDays, TooFew: g.TooFew}
}

func fromGroup(r groupRecord) segment.Group {
	return segment.Group{Won: r.Won, Lost: r.Lost, WinRateBP: r.WinBP, CycleMedianDays: r.Cycle, TooFew: r.TooFew}
}

func encodeReview(p segment.Posted) ([]byte, error) {
	r := reviewRecord{V: reviewRecordVersion, Quarter: p.Quarter, From: p.From.String(), To: p.To.String(), Before: p.Before,
		Team: p.Team, Manager: string(p.Manager), FitNow: toGroup(p.FitNow), MinDeals: p.MinDeals,
		MadeAt: utc(p.MadeAt), PostedAt: utc(p.PostedAt), Proposals: []proposalRecord{}}
	for _, d := range p.Proposals {
		pr := proposalRecord{Kind: string(d.Kind), Attribute: d.Attribute, Value: d.Value, InICP: d.Drift.InICP,
			Now: toGroup(d.Drift.Now), Before: toGroup(d.Drift.Before), Decision: string(d.Decision), By: string(d.By), At: utc(d.At)}
		for _, q := range d.Drift.Quarters {
			pr.Quarters = append(pr.Quarters, toGroup(q))
		}
		r.Proposals = append(r.Proposals, pr)
	}
	return json.Marshal(r)
}

func decodeReview(key string, b []byte) (segment.Posted, error) {
	var r reviewRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return segment.Posted{}, fmt.Errorf("store: %s: %w", key, err)
	}
	if r.V < 1 || r.V > reviewRecordVersion {
		return segment.Posted{}, fmt.Errorf("store: %s: record version %d not understood (max %d)", key, r.V, reviewRecordVersion)
	}
	from, err := parseDate(r.From)
	if err != nil {
		return segment.Posted{}, fmt.Errorf("store: %s: from: %w", key, err)
	}
	to, err := parseDate(r.To)
	if err != nil {
		return segment.Posted{}, fmt.Errorf("store: %s: to: %w", key, err)
	}
	p := segment.Posted{Quarter: r.Quarter, From: from, To: to, Before: r.Before, Team: r.Team, Manager: domain.UserID(r.Manager),
		FitNow: fromGroup(r.FitNow), MinDeals: r.MinDeals, MadeAt: r.MadeAt, PostedAt: r.PostedAt}
	fit := p.FitNow
	for _, pr := range r.Proposals {
		d := segment.Decided{Proposal: segment.Proposal{Kind: segment.Kind(pr.Kind), Attribute: pr.Attribute, Value: pr.Value, FitNow: fit,
			Drift: segment.Drift{Attribute: pr.Attribute, Value: pr.Value, InICP: pr.InICP, Now: fromGroup(pr.Now), Before: fromGroup(pr.Before)}},
			Decision: segment.Decision(pr.Decision), By: domain.UserID(pr.By), At: pr.At}
		for _, q := range pr.Quarters {
			d.Drift.Quarters = append(d.Drift.Quarters, fromGroup(q))
		}
		p.Proposals = append(p.Proposals, d)
	}
	return p, nil
}

// ReviewKey is the key of quarter's review of team in the jobs bucket.
func ReviewKey(quarter, team string) string { return reviewKeyPrefix + quarter + ":" + team }

// ICPReview returns the review of quarter for team; ok false when none was made.
func (db *DB) ICPReview(ctx context.Context, quarter, team string) (p segment.Posted, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return p, false, err
	}
	key := ReviewKey(quarter, team)
	err = db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		v := b.Get([]byte(key))
		if v == nil {
			return nil
		}
		p, err = decodeReview(key, v)
		ok = err == nil
		return err
	})
	return p, ok, err
}

// SaveICPReview keeps p as its quarter's review of its team unless one is
// kept already, and returns the review kept (created reports whether it is
// p): of two runs racing, one makes the review and both post that one.
func (db *DB) SaveICPReview(ctx context.Context, p segment.Posted) (kept segment.Posted, created bool, err error) {
	if err := ctx.Err(); err != nil {
		return kept, false, err
	}
	key := ReviewKey(p.Quarter, p.Team)
	if strings.TrimSpace(p.Quarter) == "" || strings.TrimSpace(p.Team) == "" {
		return kept, false, fmt.Errorf("store: an ICP review needs a quarter and a team")
	}
	err = db.update(func(tx *bbolt.Tx, _ time.Time) error {
		b, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(key)); v != nil {
			kept, err = decodeReview(key, v)
			created = false
			if err != nil {
				return err
			}
			return &rollback{}
		}
		data, err := encodeReview(p)
		if err != nil {
			return err
		}
		kept, created = p, true
		return b.Put([]byte(key), data)
	})
	return kept, created, err
}

// UpdateICPReview changes the review of quarter for team in one write
// transaction: fn gets it as kept and changes it, or returns why not (then
// nothing is written and that error is returned). ENOTFOUND when none is
// kept.
func (db *DB) UpdateICPReview(ctx context.Context, quarter, team string, fn func(*segment.Posted) error) (segment.Posted, error) {
	var out segment.Posted
	if err := ctx.Err(); err != nil {
		return out, err
	}
	key := ReviewKey(quarter, team)
	err := db.update(func(tx *bbolt.Tx, _ time.Time) error {
		b, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		v := b.Get([]byte(key))
		if v == nil {
			return &rollback{domain.Errorf(domain.ENOTFOUND, "review.unknown")}
		}
		p, err := decodeReview(key, v)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return &rollback{err}
		}
		data, err := encodeReview(p)
		if err != nil {
			return err
		}
		out = p
		return b.Put([]byte(key), data)
	})
	return out, err
}
