package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain/forecast"
)

// callKeyPrefix marks a call submission's key in done.
const callKeyPrefix = "call:"

// AddCall keeps a submitted forecast call, stamped with the transaction's
// time (At) and its ISO week in cal's time zone (Week), and returns the
// saved call and the call it replaces (the latest one of the same rep, or
// of the same team for a manager's call, for the same period), if any.
//
// When key is not empty and a call was already added with it (a
// redelivered submission), nothing is saved: the call saved then is
// returned, with the one it replaced.
func (db *DB) AddCall(ctx context.Context, c forecast.Call, cal forecast.Calendar, key string) (saved, prev forecast.Call, hadPrev bool, err error) {
	if err := ctx.Err(); err != nil {
		return forecast.Call{}, forecast.Call{}, false, err
	}
	err = db.update(func(tx *bbolt.Tx, now time.Time) error {
		saved, prev, hadPrev = forecast.Call{}, forecast.Call{}, false
		s, err := db.callBuckets(tx)
		if err != nil {
			return err
		}
		var again bool
		if saved, prev, hadPrev, again, err = s.savedWith(c, key); err != nil || again {
			return orNothing(err)
		}
		c.At, c.Week = now, cal.Week(now)
		if err := c.Validate(); err != nil {
			return &rollback{err: err}
		}
		prev, hadPrev, err = s.put(c, key, now)
		saved = c
		return err
	})
	if err != nil {
		return forecast.Call{}, forecast.Call{}, false, err
	}
	return saved, prev, hadPrev, nil
}

// SaveCallForm saves the forecast call form f: in the write transaction,
// f.Apply gets the transaction's time and the calls as stored and returns
// the period's call and the month's (if any), both saved there and then,
// or why not (then nothing is saved: the form's rules are all in Apply).
// It returns the period's call saved and the call it replaces (as AddCall
// does), and the month's call saved (nil for none).
//
// When key is not empty and the form was already saved with it (a
// redelivered submission), nothing is saved: the calls saved then are
// returned, the period's under key and the month's under key+"/month".
func (db *DB) SaveCallForm(ctx context.Context, f forecast.CallForm, key string) (saved, prev forecast.Call, hadPrev bool, month *forecast.Call, err error) {
	if err := ctx.Err(); err != nil {
		return forecast.Call{}, forecast.Call{}, false, nil, err
	}
	monthKey := ""
	if key != "" {
		monthKey = key + "/month"
	}
	err = db.update(func(tx *bbolt.Tx, now time.Time) error {
		saved, prev, hadPrev, month = forecast.Call{}, forecast.Call{}, false, nil
		s, err := db.callBuckets(tx)
		if err != nil {
			return err
		}
		if p, err := f.Calendar.ParsePeriod(f.Period); err == nil && key != "" {
			var again bool
			mine := forecast.Call{User: f.By, Team: f.Team, Period: p.Name}
			if saved, prev, hadPrev, again, err = s.savedWith(mine, key); err != nil || again {
				if err == nil && f.Month != "" {
					m := forecast.Call{User: f.By, Team: f.Team, Period: f.Month}
					if ms, _, _, made, merr := s.savedWith(m, monthKey); merr != nil {
						err = merr
					} else if made {
						month = &ms
					}
				}
				return orNothing(err)
			}
		}
		c, mc, err := f.Apply(now, func(period string) ([]forecast.Call, error) { return callsOf(s.calls, period, db.skipBad) })
		if err != nil {
			return &rollback{err}
		}
		if prev, hadPrev, err = s.put(c, key, now); err != nil {
			return err
		}
		saved = c
		if mc != nil {
			if _, _, err := s.put(*mc, monthKey, now); err != nil {
				return err
			}
			month = mc
		}
		return nil
	})
	if err != nil {
		return forecast.Call{}, forecast.Call{}, false, nil, err
	}
	return saved, prev, hadPrev, month, nil
}

// orNothing is err, or for none a *rollback saying there is nothing to
// write.
func orNothing(err error) error {
	if err != nil {
		return err
	}
	return &rollback{}
}

// callBuckets are the buckets a call is saved in: its own and done, where
// its submission key goes.
type callBuckets struct {
	calls, done *bbolt.Bucket
	skip        skipFunc
}

func (db *DB) callBuckets(tx *bbolt.Tx) (callBuckets, error) {
	calls, err := bucket(tx, bucketCalls)
	if err != nil {
		return callBuckets{}, err
	}
	done, err := bucket(tx, bucketDone)
	if err != nil {
		return callBuckets{}, err
	}
	return callBuckets{calls: calls, done: done, skip: db.skipBad}, nil
}

// savedWith is the call of c's rep (or team) and period that a submission
// already saved under key, with the call it replaced then; again is false
// when key ("" included) saved none.
func (s callBuckets) savedWith(c forecast.Call, key string) (saved, prev forecast.Call, hadPrev, again bool, err error) {
	if key == "" {
		return forecast.Call{}, forecast.Call{}, false, false, nil
	}
	v := s.done.Get([]byte(callKeyPrefix + key))
	if v == nil {
		return forecast.Call{}, forecast.Call{}, false, false, nil
	}
	r, err := decodeDone(v)
	if err != nil {
		return forecast.Call{}, forecast.Call{}, false, false, err
	}
	calls, err := callsOf(s.calls, c.Period, s.skip)
	if err != nil {
		return forecast.Call{}, forecast.Call{}, false, false, err
	}
	var before []forecast.Call
	for _, x := range calls {
		if x.At.Equal(r.At) && x.User == c.User && strings.EqualFold(x.Team, c.Team) {
			saved = x
			continue
		}
		if x.At.Before(r.At) {
			before = append(before, x)
		}
	}
	prev, hadPrev = forecast.LatestCall(before, c.User, c.Team, c.Period, "")
	return saved, prev, hadPrev, true, nil
}

// put saves c (validated, stamped) and, when key is not empty, records
// key as saved at now; it returns the call c replaces, if any.
func (s callBuckets) put(c forecast.Call, key string, now time.Time) (prev forecast.Call, hadPrev bool, err error) {
	calls, err := callsOf(s.calls, c.Period, s.skip)
	if err != nil {
		return forecast.Call{}, false, err
	}
	prev, hadPrev = forecast.LatestCall(calls, c.User, c.Team, c.Period, "")
	v, err := json.Marshal(callRecord{V: callRecordVersion, User: string(c.User), Team: c.Team, Period: c.Period,
		Week: c.Week, At: utc(now), Commit: c.Commit, BestCase: c.BestCase, Comment: c.Comment})
	if err != nil {
		return forecast.Call{}, false, err
	}
	if err := s.calls.Put(callKey(c), v); err != nil {
		return forecast.Call{}, false, err
	}
	if key != "" {
		dv, err := encodeDone(now)
		if err != nil {
			return forecast.Call{}, false, err
		}
		if err := s.done.Put([]byte(callKeyPrefix+key), dv); err != nil {
			return forecast.Call{}, false, err
		}
	}
	return prev, hadPrev, nil
}
