package store

import (
	"context"
	"encoding/binary"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// PartDeals is how many consecutive deal ids one part holds: part p is
// the deals with ids from p×PartDeals to (p+1)×PartDeals−1.
const PartDeals = 1024

// partOf is the part of deal id.
func partOf(id domain.DealID) uint64 { return uint64(id) / PartDeals }

// bumpPart gives the part of deal id a new generation (pl_parts), in the
// transaction that changes what /pipeline reads of the deal: its digest
// (putDeal; a transaction adding history writes the deal too) or what the
// desk says of its discount (putDeskRequest), and every part when
// buildDigests rewrites every digest (migration 19; in migration 9 there
// is no pl_parts yet). A generation is the bucket's next sequence,
// so it never comes back, and it commits or rolls back with the change:
// a reader sees a part's generation and its deals from the same state.
// Before version 18 (a migration writing deals or digests) there is no
// pl_parts and nothing to bump.
func bumpPart(tx *bbolt.Tx, id domain.DealID) error {
	b := tx.Bucket(bucketParts)
	if b == nil {
		return nil
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return b.Put(u64(partOf(id)), u64(seq))
}

// maxInterned is how many strings a reused digest reader keeps interned
// (owners, stages, dates, loss reasons, competitors) before it starts
// afresh: a file's distinct strings, but bounded.
const maxInterned = 1 << 16

// reader is a digest reader from the pool, or a new one.
func (db *DB) reader() *digestReader {
	r, _ := db.readers.Get().(*digestReader)
	if r == nil {
		return &digestReader{in: interner{}}
	}
	if len(r.in) > maxInterned {
		r.in = interner{}
	}
	r.reuse()
	return r
}

func migrateV18(tx *bbolt.Tx, _ time.Time) error {
	_, err := tx.CreateBucketIfNotExists(bucketParts)
	return err
}

// PipelineParts gives the deals of owners (every deal when owners is
// empty) as PipelineView does, a part at a time, inside one read
// transaction, with each part's generation: it changes in every
// transaction that changes what the part gives, and never comes back.
// Only parts holding at least one of the deals are given, in order. For
// each, known(part, gen) is asked first: when it says yes, the part's
// deals are not read and fn is not called for it (the caller kept what it
// counted of them at that generation); else fn gets them, valid only
// until it returns. ctx is checked between parts, as PipelineView does.
func (db *DB) PipelineParts(ctx context.Context, owners []domain.UserID, known func(part, gen uint64) bool,
	fn func(part, gen uint64, deals []coaching.DealInput) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var stopped error
	err := db.view(func(tx *bbolt.Tx) error {
		parts, err := bucket(tx, bucketParts)
		if err != nil {
			return err
		}
		r := db.reader()
		defer db.readers.Put(r)
		pr, err := db.pipelineReader(tx, owners, r)
		if err != nil {
			return err
		}
		gen := func(p uint64) uint64 {
			if v := parts.Get(u64(p)); len(v) == 8 {
				return binary.BigEndian.Uint64(v)
			}
			return 0 // not written since version 18
		}
		var buf []coaching.DealInput
		give := func(p uint64, from int) (int, error) {
			// from: in pr.ids, the first deal of part p (owners given).
			g := gen(p)
			if known(p, g) {
				return pr.skipPart(p, from), nil
			}
			buf = buf[:0]
			pr.r.reuse()
			next, err := pr.eachOfPart(p, from, func(di coaching.DealInput) bool {
				buf = append(buf, di)
				return true
			})
			if err != nil {
				return next, err
			}
			if err := fn(p, g, buf); err != nil {
				return next, err
			}
			stopped = ctx.Err()
			return next, stopped
		}
		if pr.all {
			c := pr.digests.Cursor()
			for k, _ := c.First(); k != nil; {
				if len(k) != idLen {
					// Not a deal's digest (dealpilot check reports it):
					// passed over, as every reader of pl_digests does.
					k, _ = c.Next()
					continue
				}
				if stopped = ctx.Err(); stopped != nil {
					return stopped
				}
				p := partOf(idSuffix(k))
				if _, err := give(p, 0); err != nil {
					return err
				}
				// The next part's first key: after k, so the walk ends.
				k, _ = c.Seek(idKey(domain.DealID((p + 1) * PartDeals)))
			}
			return nil
		}
		for i := 0; i < len(pr.ids); {
			if stopped = ctx.Err(); stopped != nil {
				return stopped
			}
			next, err := give(partOf(pr.ids[i]), i)
			if err != nil {
				return err
			}
			i = next
		}
		return nil
	})
	if stopped != nil {
		return stopped
	}
	return err
}
