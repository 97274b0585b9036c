package store

// The forecast's storage: quotas set with /forecast quota (fc_quotas),
// forecast calls (fc_calls, every submission kept) and the weekly pipeline
// snapshots the digest takes (fc_snapshots). See doc.go for the keys.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

const (
	quotaRecordVersion    = 1
	callRecordVersion     = 1
	snapshotRecordVersion = 1
)

// quotaRecord is the value of fc_quotas/<user>0x00<period>.
type quotaRecord struct {
	V      int       `json:"v"`
	User   string    `json:"user"`
	Period string    `json:"period"`
	Amount int64     `json:"amount"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

// callRecord is the value of fc_calls/<period>0x00<user>0x00<unix nanos>.
type callRecord struct {
	V        int       `json:"v"`
	User     string    `json:"user"`
	Team     string    `json:"team,omitempty"`
	Period   string    `json:"period"`
	Week     string    `json:"week"`
	At       time.Time `json:"at"`
	Commit   int64     `json:"commit"`
	BestCase int64     `json:"best_case"`
	Comment  string    `json:"comment,omitempty"`
}

// snapshotRecord is the value of fc_snapshots/<ISO week>.
type snapshotRecord struct {
	V     int                  `json:"v"`
	Taken time.Time            `json:"taken"`
	Week  string               `json:"week"`
	Deals []snapshotDealRecord `json:"deals"`
}

type snapshotDealRecord struct {
	ID        uint64 `json:"id"`
	Owner     string `json:"owner"`
	Amount    int64  `json:"amount"`
	Discount  int    `json:"discount,omitempty"` // approved, basis points; absent in older snapshots: 0
	Currency  string `json:"currency"`
	Stage     string `json:"stage"`
	Category  string `json:"category"`
	CloseDate string `json:"close_date,omitempty"`
	Status    string `json:"status"`
}

func quotaKey(user domain.UserID, period string) []byte {
	return []byte(string(user) + string([]byte{sep}) + period)
}

func callKey(c forecast.Call) []byte {
	k := make([]byte, 0, len(c.Period)+len(c.User)+2+8)
	k = append(k, c.Period...)
	k = append(k, sep)
	k = append(k, c.User...)
	k = append(k, sep)
	return binary.BigEndian.AppendUint64(k, uint64(c.At.UnixNano()))
}

// SetQuota records user's quota for one named period ("2026-Q4"), replacing
// the one set before; by is who set it. The period must be a period's
// canonical name: the bot parses what was typed with the fiscal calendar.
func (db *DB) SetQuota(ctx context.Context, q forecast.Quota, by domain.UserID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if q.User == "" || q.Team != "" || q.Period == "" || q.Amount < 0 {
		return fmt.Errorf("store: SetQuota: a rep's quota for a named period is needed, got %+v", q)
	}
	return db.update(func(tx *bbolt.Tx, now time.Time) error {
		b, err := bucket(tx, bucketQuotas)
		if err != nil {
			return err
		}
		v, err := json.Marshal(quotaRecord{V: quotaRecordVersion, User: string(q.User), Period: q.Period, Amount: q.Amount, At: now, By: string(by)})
		if err != nil {
			return err
		}
		return b.Put(quotaKey(q.User, q.Period), v)
	})
}

// Quotas returns every quota set with SetQuota, by user then period.
func (db *DB) Quotas(ctx context.Context) ([]forecast.Quota, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []forecast.Quota
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketQuotas)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var r quotaRecord
			if err := json.Unmarshal(v, &r); err != nil {
				db.skipBad("fc_quotas", quotedKey(k), err)
				return nil
			}
			if r.V < 1 || r.V > quotaRecordVersion {
				db.skipBad("fc_quotas", quotedKey(k), fmt.Errorf("record version %d not understood (max %d)", r.V, quotaRecordVersion))
				return nil
			}
			out = append(out, forecast.Quota{User: domain.UserID(r.User), Period: r.Period, Amount: r.Amount})
			return nil
		})
	})
	return out, err
}

// Calls returns every call of a period ("" for all periods), oldest first
// within each period and rep.
func (db *DB) Calls(ctx context.Context, period string) ([]forecast.Call, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []forecast.Call
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketCalls)
		if err != nil {
			return err
		}
		out, err = callsOf(b, period, db.skipBad)
		return err
	})
	return out, err
}

// callsOf reads the calls of period ("" for all) from fc_calls.
func callsOf(b *bbolt.Bucket, period string, skip skipFunc) ([]forecast.Call, error) {
	var out []forecast.Call
	prefix := []byte(nil)
	if period != "" {
		prefix = append([]byte(period), sep)
	}
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r callRecord
		if err := json.Unmarshal(v, &r); err != nil {
			skip("fc_calls", quotedKey(k), err)
			continue
		}
		if r.V < 1 || r.V > callRecordVersion {
			skip("fc_calls", quotedKey(k), fmt.Errorf("record version %d not understood (max %d)", r.V, callRecordVersion))
			continue
		}
		out = append(out, forecast.Call{User: domain.UserID(r.User), Team: r.Team, Period: r.Period, Week: r.Week,
			At: r.At, Commit: r.Commit, BestCase: r.BestCase, Comment: r.Comment})
	}
	return out, nil
}

// SaveSnapshot stores the snapshot of s.Week unless that week already has
// one, and returns the week's stored snapshot: the first one taken wins, so
// every team's digest of a week, and a digest retried after a crash, compare
// the same numbers.
func (db *DB) SaveSnapshot(ctx context.Context, s forecast.Snapshot) (forecast.Snapshot, bool, error) {
	if err := ctx.Err(); err != nil {
		return forecast.Snapshot{}, false, err
	}
	if s.Week == "" {
		return forecast.Snapshot{}, false, fmt.Errorf("store: SaveSnapshot: no week")
	}
	var out forecast.Snapshot
	var created bool
	err := db.update(func(tx *bbolt.Tx, _ time.Time) error {
		created = false
		b, err := bucket(tx, bucketSnapshots)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(s.Week)); v != nil {
			out, err = decodeSnapshot(v)
			if err != nil {
				return err
			}
			return &rollback{}
		}
		v, err := encodeSnapshot(s)
		if err != nil {
			return err
		}
		out, created = s, true
		return b.Put([]byte(s.Week), v)
	})
	if err != nil {
		return forecast.Snapshot{}, false, err
	}
	return out, created, nil
}

// Snapshot returns the snapshot of an ISO week, if one was taken.
func (db *DB) Snapshot(ctx context.Context, week string) (forecast.Snapshot, bool, error) {
	return db.snapshotAt(ctx, func(b *bbolt.Bucket) []byte { return b.Get([]byte(week)) })
}

// SnapshotBefore returns the latest snapshot of a week before week.
func (db *DB) SnapshotBefore(ctx context.Context, week string) (forecast.Snapshot, bool, error) {
	return db.snapshotAt(ctx, func(b *bbolt.Bucket) []byte {
		c := b.Cursor()
		k, v := c.Seek([]byte(week))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil; k, v = c.Prev() {
			if string(k) < week {
				return v
			}
		}
		return nil
	})
}

// snapshotAt decodes the snapshot whose value find picks in fc_snapshots
// (nil: none), inside one read transaction.
func (db *DB) snapshotAt(ctx context.Context, find func(*bbolt.Bucket) []byte) (forecast.Snapshot, bool, error) {
	if err := ctx.Err(); err != nil {
		return forecast.Snapshot{}, false, err
	}
	var out forecast.Snapshot
	var ok bool
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketSnapshots)
		if err != nil {
			return err
		}
		v := find(b)
		if v == nil {
			return nil
		}
		out, err = decodeSnapshot(v)
		ok = err == nil
		return err
	})
	return out, ok, err
}

// Snapshots returns the snapshots of the weeks from from to to, both
// included, oldest first.
func (db *DB) Snapshots(ctx context.Context, from, to string) ([]forecast.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []forecast.Snapshot
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketSnapshots)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Seek([]byte(from)); k != nil && string(k) <= to; k, v = c.Next() {
			s, err := decodeSnapshot(v)
			if err != nil {
				db.skipBad("fc_snapshots", string(k), err)
				continue
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

func encodeSnapshot(s forecast.Snapshot) ([]byte, error) {
	r := snapshotRecord{V: snapshotRecordVersion, Taken: utc(s.Taken), Week: s.Week, Deals: make([]snapshotDealRecord, len(s.Deals))}
	for i, d := range s.Deals {
		r.Deals[i] = snapshotDealRecord{ID: uint64(d.ID), Owner: string(d.Owner), Amount: d.Amount, Discount: d.Discount, Currency: d.Currency,
			Stage: d.Stage, Category: string(d.Category), CloseDate: d.CloseDate.String(), Status: string(d.Status)}
	}
	return json.Marshal(r)
}

// decodeSnapshot copies everything out of b, so b may be bbolt memory.
func decodeSnapshot(b []byte) (forecast.Snapshot, error) {
	var r snapshotRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return forecast.Snapshot{}, fmt.Errorf("store: snapshot: %w", err)
	}
	if r.V < 1 || r.V > snapshotRecordVersion {
		return forecast.Snapshot{}, fmt.Errorf("store: snapshot %s: record version %d not understood (max %d)", r.Week, r.V, snapshotRecordVersion)
	}
	s := forecast.Snapshot{Taken: r.Taken, Week: r.Week, Deals: make([]forecast.SnapshotDeal, len(r.Deals))}
	for i, d := range r.Deals {
		cd, err := parseDate(d.CloseDate)
		if err != nil {
			return forecast.Snapshot{}, fmt.Errorf("store: snapshot %s, deal %d: %w", r.Week, d.ID, err)
		}
		s.Deals[i] = forecast.SnapshotDeal{ID: domain.DealID(d.ID), Owner: domain.UserID(d.Owner), Amount: d.Amount, Discount: d.Discount,
			Currency: d.Currency, Stage: d.Stage, Category: domain.Category(d.Category), CloseDate: cd, Status: domain.Status(d.Status)}
	}
	return s, nil
}

// forecastDealRecord is the part of a dealRecord the forecast reads: a
// rollup of 25,000 deals decodes five short strings and an amount of
// each, not names, qualification notes and authors. The dates and times
// are decoded too, so a record the full decoding refuses (and lists skip)
// is skipped here as well.
type forecastDealRecord struct {
	V           int       `json:"v"`
	Owner       string    `json:"owner"`
	Amount      int64     `json:"amount"`
	Discount    int       `json:"discount,omitempty"`
	Currency    string    `json:"currency"`
	Stage       string    `json:"stage"`
	Category    string    `json:"category"`
	CloseDate   string    `json:"close_date,omitempty"`
	NextStepDue string    `json:"next_step_due,omitempty"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ForecastDeals calls fn with each deal f selects, in the order of Deals
// (close date, then id), with only what a forecast rollup reads of it
// (forecast.SnapshotDeal, valid during the call only), inside one read
// transaction: the caller adds them up as they come and holds none. f may
// use Owners, Status, CloseFrom and CloseBefore; any other field is an
// error. A close-date range is read from idx_close, not from every deal.
// A record that cannot be read is skipped and reported, as Deals does.
func (db *DB) ForecastDeals(ctx context.Context, f domain.DealFilter, fn func(*forecast.SnapshotDeal)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(f.Words) > 0 || !f.DueTo.IsZero() || f.Limit != 0 || f.Category != "" || f.Stage != "" {
		return fmt.Errorf("store: ForecastDeals: only owners, status and close dates filter, got %+v", f)
	}
	return db.view(func(tx *bbolt.Tx) error { return db.forecastDealsIn(tx, f, fn) })
}

// forecastDealsIn is ForecastDeals inside tx.
func (db *DB) forecastDealsIn(tx *bbolt.Tx, f domain.DealFilter, fn func(*forecast.SnapshotDeal)) error {
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	closeIdx, err := bucket(tx, bucketIdxClose)
	if err != nil {
		return err
	}
	set, err := candidates(tx, domain.DealFilter{Owners: f.Owners}, nil)
	if err != nil {
		return err
	}
	c, k, end := closeRange(closeIdx, f)
	// One cursor for every deal read (Bucket.Get makes one a call),
	// and one key buffer.
	dc := deals.Cursor()
	key := make([]byte, idLen)
	var d forecast.SnapshotDeal
	for ; k != nil && (end == nil || bytes.Compare(k[:dateLen], end) < 0); k, _ = c.Next() {
		id := idSuffix(k)
		if set != nil {
			if _, ok := set[id]; !ok {
				continue
			}
		}
		binary.BigEndian.PutUint64(key, uint64(id))
		var v []byte
		if dk, dv := dc.Seek(key); bytes.Equal(dk, key) {
			v = dv
		}
		if err := decodeForecastDeal(id, v, &d); err != nil {
			db.skipBad("deals", dealKeyName(id), err)
			continue
		}
		if (f.Status != "" && d.Status != f.Status) || !inCloseRange(d.CloseDate, f) {
			continue
		}
		fn(&d)
	}
	return nil
}

// decodeForecastDeal reads the forecast's fields of a deal record; it
// refuses what decodeDeal refuses.
func decodeForecastDeal(id domain.DealID, b []byte, d *forecast.SnapshotDeal) error {
	if b == nil {
		return fmt.Errorf("store: an index points to deal %d, which does not exist", id)
	}
	var r forecastDealRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("store: deal %d: %w", id, err)
	}
	if r.V < 1 || r.V > dealRecordVersion {
		return fmt.Errorf("store: deal %d: record version %d not understood (max %d)", id, r.V, dealRecordVersion)
	}
	closeDate, err := parseDate(r.CloseDate)
	if err != nil {
		return fmt.Errorf("store: deal %d: close_date: %w", id, err)
	}
	if _, err := parseDate(r.NextStepDue); err != nil {
		return fmt.Errorf("store: deal %d: next_step_due: %w", id, err)
	}
	*d = forecast.SnapshotDeal{ID: id, Owner: domain.UserID(r.Owner), Amount: r.Amount, Discount: r.Discount, Currency: r.Currency,
		Stage: r.Stage, Category: domain.Category(r.Category), CloseDate: closeDate, Status: domain.Status(r.Status)}
	return nil
}
