package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

const postRecordVersion = 1

type postRecord struct {
	V        int       `json:"v"`
	Channel  string    `json:"channel"`
	Parts    []string  `json:"parts,omitempty"`
	Failed   bool      `json:"failed,omitempty"`
	Actor    string    `json:"actor,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	Cause    string    `json:"cause,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
	FailedAt time.Time `json:"failed_at,omitzero"`
	Told     bool      `json:"told,omitempty"`
	// Marker is absent in records written before it existed (and in those
	// of a message never tried): read as "", no earlier attempt to look for.
	Marker string `json:"marker,omitempty"`
}

func encodePost(p domain.PostState) ([]byte, error) {
	return json.Marshal(postRecord{V: postRecordVersion, Channel: p.Channel, Parts: p.Parts, Failed: p.Failed,
		Actor: string(p.Actor), Reason: p.Reason, Cause: p.Cause, Attempts: p.Attempts, FailedAt: utc(p.FailedAt), Told: p.Told, Marker: p.Marker})
}

func decodePost(key string, b []byte) (domain.PostState, error) {
	var r postRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return domain.PostState{}, fmt.Errorf("store: post %q: %w", key, err)
	}
	if r.V < 1 || r.V > postRecordVersion {
		return domain.PostState{}, fmt.Errorf("store: post %q: record version %d not understood (max %d)", key, r.V, postRecordVersion)
	}
	return domain.PostState{Key: key, Channel: r.Channel, Parts: r.Parts, Failed: r.Failed, Actor: domain.UserID(r.Actor),
		Reason: r.Reason, Cause: r.Cause, Attempts: r.Attempts, FailedAt: r.FailedAt, Told: r.Told, Marker: r.Marker}, nil
}

// Post returns the state of the message key (a zero state, Key set, when
// nothing was recorded).
func (db *DB) Post(ctx context.Context, key string) (domain.PostState, error) {
	if err := ctx.Err(); err != nil {
		return domain.PostState{}, err
	}
	out := domain.PostState{Key: key}
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketPosts)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(key)); v != nil {
			out, err = decodePost(key, v)
		}
		return err
	})
	return out, err
}

// updatePost reads, changes and writes the state of key in one transaction.
func (db *DB) updatePost(ctx context.Context, key string, fn func(p *domain.PostState, now time.Time)) (domain.PostState, error) {
	if err := ctx.Err(); err != nil {
		return domain.PostState{}, err
	}
	if key == "" {
		return domain.PostState{}, fmt.Errorf("store: post: empty key")
	}
	var out domain.PostState
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		b, err := bucket(tx, bucketPosts)
		if err != nil {
			return err
		}
		p := domain.PostState{Key: key}
		if v := b.Get([]byte(key)); v != nil {
			if p, err = decodePost(key, v); err != nil {
				return err
			}
		}
		fn(&p, now)
		v, err := encodePost(p)
		if err != nil {
			return err
		}
		out = p
		return b.Put([]byte(key), v)
	})
	return out, err
}

// PostedPart records that part i of the message key is posted in channel
// as ref. Record each part as soon as it is out: a retry skips it.
func (db *DB) PostedPart(ctx context.Context, key, channel string, i int, ref string) error {
	if i < 0 || ref == "" {
		return fmt.Errorf("store: PostedPart: part %d, ref %q", i, ref)
	}
	_, err := db.updatePost(ctx, key, func(p *domain.PostState, _ time.Time) {
		p.Channel = channel
		for len(p.Parts) <= i {
			p.Parts = append(p.Parts, "")
		}
		p.Parts[i] = ref
	})
	return err
}

// PostFailed records a failed attempt at the message key and returns its
// state (Attempts counts the failures since the last success; Told stays
// as it was, see PostTold).
func (db *DB) PostFailed(ctx context.Context, key, channel string, actor domain.UserID, reason, cause string) (domain.PostState, error) {
	return db.updatePost(ctx, key, func(p *domain.PostState, now time.Time) {
		if p.Failed && p.Reason != reason {
			p.Told = false // a new problem: tell it
		}
		p.Channel, p.Failed, p.Reason, p.Cause, p.FailedAt = channel, true, reason, cause, now
		if actor != "" {
			p.Actor = actor
		}
		p.Attempts++
	})
}

// PostMarker returns the marker of the message key, drawing one with draw
// and recording it first when it has none: the marker must be on disk
// before the first attempt, or a retry after a crash could not look for it.
func (db *DB) PostMarker(ctx context.Context, key string, draw func() string) (string, error) {
	p, err := db.Post(ctx, key)
	if err != nil || p.Marker != "" {
		return p.Marker, err
	}
	p, err = db.updatePost(ctx, key, func(p *domain.PostState, _ time.Time) {
		if p.Marker == "" {
			p.Marker = draw()
		}
	})
	return p.Marker, err
}

// PostTold records that the actor was told about the current failure.
func (db *DB) PostTold(ctx context.Context, key string) error {
	_, err := db.updatePost(ctx, key, func(p *domain.PostState, _ time.Time) { p.Told = true })
	return err
}

// PostDone records that the message key is out: its failure is cleared, the
// parts are kept.
func (db *DB) PostDone(ctx context.Context, key string) error {
	_, err := db.updatePost(ctx, key, func(p *domain.PostState, _ time.Time) {
		p.Failed, p.Reason, p.Cause, p.Attempts, p.Told, p.FailedAt = false, "", "", 0, false, time.Time{}
	})
	return err
}

// ForgetPost removes what was recorded of the message key (a request
// withdrawn before it could be posted, a week's digest long past).
func (db *DB) ForgetPost(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx, _ time.Time) error {
		b, err := bucket(tx, bucketPosts)
		if err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
}

// FailedPosts returns the messages whose last attempt failed, in channel
// (every channel when channel is ""), oldest failure first.
func (db *DB) FailedPosts(ctx context.Context, channel string) ([]domain.PostState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []domain.PostState
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketPosts)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			p, err := decodePost(string(k), v)
			if err != nil {
				db.skipBad("posts", string(k), err)
				return nil
			}
			if p.Failed && (channel == "" || p.Channel == channel) {
				out = append(out, p)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].FailedAt.Before(out[j].FailedAt) })
	return out, err
}
