package store

// Digests (pl_digests, since v9): per deal, a compact binary record of what
// /pipeline's KPIs and its segment and retention reports read of it: the
// deal's figures and dates, whether each free-text field is filled, its
// loss reason and competitor, its account, segment attributes, type, term
// and recurring value (since v19, digest version 2), and the history
// entries the rules read (stage and status changes, close-date
// changes, the next step emptied), in history order. putDeal rewrites the
// deal's part in the transaction that writes the deal, and addHistory
// appends the entries it writes, so /pipeline decodes a few dozen bytes a
// deal instead of the deal's JSON record and its whole JSON history
// (BENCHMARKS.md). The equivalence with the deals and their history is
// TestDigestsComputeLikeEveryDeal's; `dealpilot check` reports drift.
//
// Layout: version byte (2), uvarint length of the deal's part, the deal's
// part (digestHead: owner, currency, stage, category, status; amount,
// discount; close date, next step due; created, updated; the marks of the
// free-text fields; loss reason, competitor; account as typed, attributes
// as domain.Attrs.Encoded gives them, type; term, recurring value), then
// the entries, each: kind byte, varint Unix nanoseconds, uvarint deal
// version, and the strings of its kind (uvarint length + bytes):
// stage and status entries their new value, close-date entries the old and
// the new date, next-step-emptied entries none.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// digestVersion 2 (migration 19) added the account as typed, the
// attributes, type, term and recurring value to the deal's part, and
// dropped the account's mark; readers accept only 2 (every digest was
// rewritten by migration 19).
const digestVersion = 2

// Kinds of digest entries.
const (
	digestStage   byte = 1
	digestStatus  byte = 2
	digestClose   byte = 3
	digestNoStep  byte = 4
	digestMaxKind      = digestNoStep
)

// DigestMark is what a free-text field of a deal read from its digest
// holds when the deal's field is filled (not blank): the KPIs only ask
// whether such a field is empty (stage criteria, discount qualification,
// a missing next step). The account is the exception: a digest keeps it
// as typed, since segment and retention reports group by it. A digest
// deal is for the reports' figures, never to be shown.
// ASCII, so that strings.TrimSpace reads it on its fast path (the stage
// criteria trim every required field of every open deal).
const DigestMark = "+"

// digestTexts are the free-text fields a digest keeps only as filled or
// not, in the order of their bits (digestReader.read sets them in this
// order). The account is kept as typed instead (version 2).
var digestTexts = []domain.Field{domain.FieldName, domain.FieldNeed, domain.FieldDecisionMakers,
	domain.FieldBudget, domain.FieldTimeline, domain.FieldRisk, domain.FieldNextStep}

// digestCreatedUnknown is the bit of a digest's marks, after the seven
// digestTexts', set when the deal was imported without its creation date
// (domain.Deal.CreatedUnknown: no cycle).
const digestCreatedUnknown = 1 << 7

// digestEntry reports whether the rules read history entry e (so the
// digest keeps it) and its kind.
func digestEntry(field domain.Field, newValue string) (byte, bool) {
	switch field {
	case domain.FieldStage:
		return digestStage, true
	case domain.FieldStatus:
		return digestStatus, true
	case domain.FieldCloseDate:
		return digestClose, true
	case domain.FieldNextStep:
		if strings.TrimSpace(newValue) == "" {
			return digestNoStep, true
		}
	}
	return 0, false
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendDate(b []byte, d domain.Date) []byte {
	if d.IsZero() {
		return binary.AppendUvarint(b, 0)
	}
	return binary.AppendUvarint(b, uint64(d.Year)*10_000+uint64(d.Month)*100+uint64(d.Day))
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	return binary.AppendVarint(b, t.UnixNano())
}

// digestHead encodes the deal's part of its digest.
func digestHead(d *domain.Deal) []byte {
	attrs := d.Attributes.Encoded()
	b := make([]byte, 0, 80+len(d.Owner)+len(d.Currency)+len(d.Stage)+len(d.LossReason)+len(d.Competitor)+
		len(d.Account)+len(attrs)+len(d.Type))
	b = appendString(b, string(d.Owner))
	b = appendString(b, d.Currency)
	b = appendString(b, d.Stage)
	b = appendString(b, string(d.Category))
	b = appendString(b, string(d.Status))
	b = binary.AppendVarint(b, d.Amount)
	b = binary.AppendVarint(b, int64(d.Discount))
	b = appendDate(b, d.CloseDate)
	b = appendDate(b, d.NextStepDue)
	b = appendTime(b, d.CreatedAt)
	b = appendTime(b, d.UpdatedAt)
	var marks uint64
	for i, f := range digestTexts {
		if strings.TrimSpace(d.Get(f)) != "" {
			marks |= 1 << i
		}
	}
	if d.CreatedUnknown {
		marks |= digestCreatedUnknown
	}
	b = binary.AppendUvarint(b, marks)
	b = appendString(b, d.LossReason)
	b = appendString(b, d.Competitor)
	b = appendString(b, d.Account)
	b = appendString(b, attrs)
	b = appendString(b, string(d.Type))
	b = binary.AppendVarint(b, int64(d.TermMonths))
	return binary.AppendVarint(b, d.Recurring)
}

// appendDigestEntry appends one history entry the rules read; others are
// left out.
func appendDigestEntry(b []byte, e *domain.HistoryEntry) []byte {
	kind, ok := digestEntry(e.Field, e.New)
	if !ok {
		return b
	}
	b = append(b, kind)
	b = binary.AppendVarint(b, utc(e.At).UnixNano())
	b = binary.AppendUvarint(b, e.Version)
	switch kind {
	case digestStage, digestStatus:
		b = appendString(b, e.New)
	case digestClose:
		b = appendString(b, e.Old)
		b = appendString(b, e.New)
	}
	return b
}

// digestOf is the whole digest of d with its history entries.
func digestOf(d *domain.Deal, hist []domain.HistoryEntry) []byte {
	head := digestHead(d)
	b := append([]byte{digestVersion}, binary.AppendUvarint(nil, uint64(len(head)))...)
	b = append(b, head...)
	for i := range hist {
		b = appendDigestEntry(b, &hist[i])
	}
	return b
}

// digestTail returns the entries part of digest v.
func digestTail(v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] != digestVersion {
		return nil, errors.New("not a digest of a known version")
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || uint64(len(v)-1-w) < n {
		return nil, errors.New("the deal's part is cut short")
	}
	return v[1+w+int(n):], nil
}

// digestTouched returns the last instant digest v tells of, in Unix
// nanoseconds: the deal's update instant or its latest entry's, whichever
// is later (math.MinInt64 when it tells of none). It decodes nothing into
// memory, so that a read that wants only the deals touched since an instant
// (PipelineViewSince) passes over the others for a few varints each.
func digestTouched(v []byte) (int64, error) {
	if len(v) == 0 || v[0] != digestVersion {
		return 0, errors.New("not a digest of a known version")
	}
	buf := digestBuf{b: v[1:]}
	headLen := buf.uvarint()
	if buf.err == nil && uint64(len(buf.b)) < headLen {
		buf.err = errors.New("the deal's part is cut short")
	}
	if buf.err != nil {
		return 0, buf.err
	}
	head := digestBuf{b: buf.b[:headLen]}
	tail := digestBuf{b: buf.b[headLen:]}
	for range 5 { // owner, currency, stage, category, status
		head.bytes()
	}
	head.varint()  // amount
	head.varint()  // discount
	head.uvarint() // close date
	head.uvarint() // next step due
	head.time()    // created
	last := int64(math.MinInt64)
	if u := head.time(); !u.IsZero() {
		last = u.UnixNano()
	}
	if head.err != nil {
		return 0, head.err
	}
	for len(tail.b) > 0 && tail.err == nil {
		kind := tail.b[0]
		tail.b = tail.b[1:]
		if kind == 0 || kind > digestMaxKind {
			return 0, fmt.Errorf("an entry of unknown kind %d", kind)
		}
		last = max(last, tail.varint())
		tail.uvarint() // version
		switch kind {
		case digestStage, digestStatus:
			tail.bytes()
		case digestClose:
			tail.bytes()
			tail.bytes()
		}
	}
	return last, tail.err
}

// redigest rewrites the deal's part of d's digest, keeping its entries;
// a new deal (old nil) takes the entries already written for it (an
// import writes a deal's past before the deal). putDeal calls it for
// every deal written.
func redigest(tx *bbolt.Tx, old, d *domain.Deal) error {
	b, err := bucket(tx, bucketDigests)
	if err != nil {
		return err
	}
	var hist []domain.HistoryEntry
	var tail []byte
	if old == nil {
		if hist, err = history(tx, d.ID, skipQuietly); err != nil {
			return err
		}
	} else if v := b.Get(idKey(d.ID)); v != nil {
		if tail, err = digestTail(v); err != nil {
			return fmt.Errorf("store: pl_digests/%s: %w", dealKeyName(d.ID), err)
		}
	}
	v := digestOf(d, hist)
	v = append(v, tail...)
	if err := b.Put(idKey(d.ID), v); err != nil {
		return err
	}
	return bumpPart(tx, d.ID)
}

// digestEntries appends the entries of id that the rules read to its
// digest. addHistory calls it with every entry it writes.
func digestEntries(tx *bbolt.Tx, id domain.DealID, entries []domain.HistoryEntry) error {
	var add []byte
	for i := range entries {
		add = appendDigestEntry(add, &entries[i])
	}
	if len(add) == 0 {
		return nil
	}
	b, err := bucket(tx, bucketDigests)
	if err != nil {
		return err
	}
	v := b.Get(idKey(id))
	if v == nil {
		return fmt.Errorf("store: pl_digests/%s: no digest to add history to", dealKeyName(id))
	}
	// No bumpPart here: every transaction adding history writes the
	// deal too (putDeal), which bumps its part.
	return b.Put(idKey(id), append(slices.Clip(v), add...))
}

// digestReader decodes digests into shared blocks: deals, history entries
// and strings (interned) are allocated a block at a time, not one by one.
type digestReader struct {
	in      interner
	deals   []domain.Deal
	entries []domain.HistoryEntry
	// seen holds the strings read so far by a hash of their bytes
	// (strSlot): an owner, a stage, a close date is mostly found there,
	// for a hash of a few bytes and one comparison, instead of the
	// interner's map look-up (a tenth of an admin's /pipeline). A string
	// not there, or where another sits, is interned and takes the place.
	seen [1 << strBits]string
	// reused: the blocks are written over chunk after chunk (reuse), so
	// a full entries block is replaced by one twice as large, until one
	// holds a whole chunk's entries.
	reused bool
}

// strBits: digestReader.seen holds 1 << strBits strings.
const strBits = 10

// strSlot is where b's string sits in digestReader.seen: a hash of its
// length and of its last eight bytes (first and last four of a shorter
// one), where the strings a digest holds differ: owners' ids, dates'
// months and days, stage names.
func strSlot(b []byte) uint32 {
	var x uint64
	switch n := len(b); {
	case n >= 8:
		x = binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		x = uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32 | uint64(binary.LittleEndian.Uint32(b))
	default:
		for _, c := range b {
			x = x<<8 | uint64(c)
		}
	}
	x = (x ^ uint64(len(b))) * 0x9e3779b97f4a7c15
	return uint32(x >> (64 - strBits))
}

// str is the string of b, interned, through the strings seen: one hash of
// a few bytes and one comparison when it is there.
func (r *digestReader) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := strSlot(b)
	s := r.seen[h]
	if s != string(b) {
		s = r.in.get(b)
		r.seen[h] = s
	}
	return s
}

type digestBuf struct {
	b   []byte
	err error
}

func (r *digestBuf) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	if len(r.b) > 0 && r.b[0] < 0x80 { // one byte: most lengths, versions, flags
		v := uint64(r.b[0])
		r.b = r.b[1:]
		return v
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("a number is cut short")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *digestBuf) varint() int64 {
	if r.err != nil {
		return 0
	}
	if len(r.b) > 0 && r.b[0] < 0x80 { // one byte (a discount of 0): zigzag, as binary.Varint reads it
		u := r.b[0]
		r.b = r.b[1:]
		return int64(u>>1) ^ -int64(u&1)
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errors.New("a number is cut short")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *digestBuf) bytes() []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if uint64(len(r.b)) < n {
		r.err = errors.New("a text is cut short")
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *digestBuf) date() domain.Date {
	v := r.uvarint()
	if v == 0 || r.err != nil {
		return domain.Date{}
	}
	d := domain.Date{Year: int(v / 10_000), Month: time.Month(v / 100 % 100), Day: int(v % 100)}
	if !domain.IsDate(d.Year, d.Month, d.Day) {
		r.err = fmt.Errorf("%d is not a date", v)
	}
	return d
}

func (r *digestBuf) time() time.Time {
	if r.err != nil {
		return time.Time{}
	}
	if len(r.b) == 0 {
		r.err = errors.New("a time is cut short")
		return time.Time{}
	}
	set := r.b[0]
	r.b = r.b[1:]
	if set == 0 {
		return time.Time{}
	}
	return time.Unix(0, r.varint()).UTC()
}

const digestBlock = 1024

// reuse lets the next reads write over the deals and entries read so far
// (PipelineView's next chunk): the blocks are kept, not reallocated.
func (r *digestReader) reuse() {
	r.reused = true
	r.deals = r.deals[:0]
	r.entries = r.entries[:0]
}

// read decodes digest v of deal id.
func (r *digestReader) read(id domain.DealID, v []byte) (coaching.DealInput, error) {
	if len(v) == 0 || v[0] != digestVersion {
		return coaching.DealInput{}, errors.New("not a digest of a known version")
	}
	buf := digestBuf{b: v[1:]}
	headLen := buf.uvarint()
	if buf.err == nil && uint64(len(buf.b)) < headLen {
		buf.err = errors.New("the deal's part is cut short")
	}
	if buf.err != nil {
		return coaching.DealInput{}, buf.err
	}
	head := digestBuf{b: buf.b[:headLen]}
	tail := digestBuf{b: buf.b[headLen:]}

	if len(r.deals) == cap(r.deals) {
		r.deals = make([]domain.Deal, 0, digestBlock)
	}
	r.deals = append(r.deals, domain.Deal{ID: id})
	d := &r.deals[len(r.deals)-1]
	d.Owner = domain.UserID(r.str(head.bytes()))
	d.Currency = r.str(head.bytes())
	d.Stage = r.str(head.bytes())
	d.Category = domain.Category(r.str(head.bytes()))
	d.Status = domain.Status(r.str(head.bytes()))
	d.Amount = head.varint()
	d.Discount = int(head.varint())
	d.CloseDate = head.date()
	d.NextStepDue = head.date()
	d.CreatedAt = head.time()
	d.UpdatedAt = head.time()
	marks := head.uvarint()
	d.LossReason = r.str(head.bytes())
	d.Competitor = r.str(head.bytes())
	d.Account = r.str(head.bytes())
	attrs := r.str(head.bytes())
	d.Type = domain.DealType(r.str(head.bytes()))
	d.TermMonths = int(head.varint())
	d.Recurring = head.varint()
	if head.err == nil && len(head.b) != 0 {
		head.err = errors.New("the deal's part is longer than its fields")
	}
	if head.err == nil {
		d.Attributes, head.err = domain.AttrsFromEncoded(attrs)
	}
	if head.err != nil {
		r.deals = r.deals[:len(r.deals)-1]
		return coaching.DealInput{}, head.err
	}
	for i, p := range [...]*string{&d.Name, &d.Need, &d.DecisionMakers, &d.Budget, &d.Timeline, &d.Risk, &d.NextStep} {
		if marks&(1<<i) != 0 {
			*p = DigestMark
		}
	}
	d.CreatedUnknown = marks&digestCreatedUnknown != 0

	start := len(r.entries)
	for len(tail.b) > 0 && tail.err == nil {
		kind := tail.b[0]
		tail.b = tail.b[1:]
		if kind == 0 || kind > digestMaxKind {
			tail.err = fmt.Errorf("an entry of unknown kind %d", kind)
			break
		}
		e := domain.HistoryEntry{Deal: id, At: time.Unix(0, tail.varint()).UTC(), Version: tail.uvarint()}
		switch kind {
		case digestStage:
			e.Field, e.New = domain.FieldStage, r.str(tail.bytes())
		case digestStatus:
			e.Field, e.New = domain.FieldStatus, r.str(tail.bytes())
		case digestClose:
			e.Field, e.Old = domain.FieldCloseDate, r.str(tail.bytes())
			e.New = r.str(tail.bytes())
		case digestNoStep:
			e.Field = domain.FieldNextStep
		}
		if len(r.entries) == cap(r.entries) {
			n := len(r.entries) - start // this deal's entries so far
			size := max(arenaBlock, 2*(n+1))
			if r.reused {
				size = max(size, 2*cap(r.entries))
			}
			next := make([]domain.HistoryEntry, n, size)
			copy(next, r.entries[start:])
			r.entries, start = next, 0
		}
		r.entries = append(r.entries, e)
	}
	if tail.err != nil {
		r.entries = r.entries[:start]
		r.deals = r.deals[:len(r.deals)-1]
		return coaching.DealInput{}, tail.err
	}
	out := coaching.DealInput{Deal: d}
	if len(r.entries) > start {
		out.History = r.entries[start:len(r.entries):len(r.entries)]
	}
	return out, nil
}

// PipelineDeals returns the deals of owners (every deal when owners is
// empty), whatever their status, as /pipeline's KPIs read them, from their
// digests: the deal's figures, dates, loss reason and competitor, its
// account as typed, attributes, type, term and recurring value, its other
// free-text fields as DigestMark when filled, and only the history
// entries the rules read, and (unlike CoachingDeals) what the deal desk
// knows of its discount, as DiscountInfo gives it. It is CoachingDeals
// for the KPIs (pipeline, losses, slippage, stall limits, talks) and the
// segment and retention reports, not for what shows a deal; the
// equivalence is TestDigestsComputeLikeEveryDeal's.
// Deals come in id order; a digest that cannot be read is skipped and
// reported, like a bad deal. PipelineView gives the same deals without
// holding them all.
func (db *DB) PipelineDeals(ctx context.Context, owners []domain.UserID) ([]coaching.DealInput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []coaching.DealInput
	err := db.view(func(tx *bbolt.Tx) error {
		pr, err := db.pipelineReader(tx, owners, nil)
		if err != nil {
			return err
		}
		out = make([]coaching.DealInput, 0, pr.count())
		return pr.each(func(di coaching.DealInput) bool {
			out = append(out, di)
			return true
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PipelineChunk is how many deals PipelineView hands over at a time.
const PipelineChunk = digestBlock

// PipelineView calls fn, inside one read transaction, with the deals of
// owners (every deal when owners is empty) as PipelineDeals gives them,
// in id order, but a chunk of at most chunk deals at a time (PipelineChunk
// when chunk ≤ 0): each chunk, its deals and their history are valid only
// until the next is asked for (they are decoded into the same memory),
// and ranging over the sequence again reads the deals afresh, from the
// same state. So a whole company's /pipeline holds one chunk, not 100,000
// deals (BENCHMARKS.md). ctx is checked between chunks: once it is done
// the sequence stops early and PipelineView returns ctx's error, whatever
// fn returned, so that no figure from part of the deals gets out.
func (db *DB) PipelineView(ctx context.Context, owners []domain.UserID, chunk int, fn func(iter.Seq[[]coaching.DealInput]) error) error {
	return db.PipelineViewSince(ctx, owners, time.Time{}, chunk, fn)
}

// PipelineViewSince is PipelineView of only the deals touched at or after
// since (every deal when since is zero): those updated then or later
// (Deal.UpdatedAt), or with a history entry the rules read dated then or
// later. A figure of a window that only such deals can change (the
// losses of a window starting at since, its cohorts' conversion) is the
// same from them as from every deal (TestDigestsComputeLikeEveryDeal),
// and the others cost a few varints each instead of their decoding.
func (db *DB) PipelineViewSince(ctx context.Context, owners []domain.UserID, since time.Time, chunk int, fn func(iter.Seq[[]coaching.DealInput]) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if chunk <= 0 || chunk > digestBlock {
		chunk = PipelineChunk
	}
	var stopped error
	err := db.view(func(tx *bbolt.Tx) error {
		pr, err := db.pipelineReader(tx, owners, nil)
		if err != nil {
			return err
		}
		if !since.IsZero() {
			pr.since, pr.sinceSet = since.UnixNano(), true
		}
		buf := make([]coaching.DealInput, 0, chunk)
		seq := func(yield func([]coaching.DealInput) bool) {
			if stopped != nil {
				return
			}
			buf = buf[:0]
			pr.r.reuse()
			more := true
			_ = pr.each(func(di coaching.DealInput) bool {
				buf = append(buf, di)
				if len(buf) < chunk {
					return true
				}
				if more = yield(buf); !more {
					return false
				}
				if stopped = ctx.Err(); stopped != nil {
					return false
				}
				buf = buf[:0]
				pr.r.reuse()
				return true
			})
			if more && stopped == nil && len(buf) > 0 {
				yield(buf)
			}
		}
		return fn(seq)
	})
	if stopped != nil {
		return stopped
	}
	return err
}

// pipelineReader reads the digests of a set of owners' deals (every deal
// when owners is empty), with what the deal desk knows of their discounts.
type pipelineReader struct {
	db      *DB
	digests *bbolt.Bucket
	reqs    *bbolt.Bucket
	byDeal  *bbolt.Bucket
	all     bool
	ids     []domain.DealID // the owners' deals, in id order
	seqs    uint64          // the last deal id: as many deals at most
	r       *digestReader
	// sinceSet: only the deals touched at or after since (Unix
	// nanoseconds) are read (PipelineViewSince).
	since    int64
	sinceSet bool
}

func (db *DB) pipelineReader(tx *bbolt.Tx, owners []domain.UserID, r *digestReader) (*pipelineReader, error) {
	if r == nil {
		r = &digestReader{in: interner{}}
	}
	pr := &pipelineReader{db: db, all: len(owners) == 0, r: r}
	var err error
	if pr.digests, err = bucket(tx, bucketDigests); err != nil {
		return nil, err
	}
	if pr.reqs, err = bucket(tx, bucketDeskRequests); err != nil {
		return nil, err
	}
	if pr.byDeal, err = bucket(tx, bucketDeskByDeal); err != nil {
		return nil, err
	}
	if pr.all {
		if deals := tx.Bucket(bucketDeals); deals != nil {
			pr.seqs = deals.Sequence()
		}
		return pr, nil
	}
	ix, err := bucket(tx, bucketIdxOwner)
	if err != nil {
		return nil, err
	}
	oc := ix.Cursor()
	for _, o := range slices.Compact(slices.Sorted(slices.Values(owners))) {
		prefix := append([]byte(o), sep)
		for k, _ := oc.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = oc.Next() {
			pr.ids = append(pr.ids, idSuffix(k))
		}
	}
	slices.Sort(pr.ids)
	return pr, nil
}

// count is how many deals each gives at most.
func (pr *pipelineReader) count() int {
	if pr.all {
		return int(min(pr.seqs, 1<<20))
	}
	return len(pr.ids)
}

// each decodes the deals in id order and hands each to fn until it
// returns false.
func (pr *pipelineReader) each(fn func(coaching.DealInput) bool) error {
	_, err := pr.eachIn(0, ^domain.DealID(0), 0, fn)
	return err
}

// eachOfPart is each for the deals of part p alone; from is, when owners
// are given, the index in pr.ids of the part's first deal. It returns the
// index after the part's last (0 for every deal).
func (pr *pipelineReader) eachOfPart(p uint64, from int, fn func(coaching.DealInput) bool) (int, error) {
	return pr.eachIn(domain.DealID(p*PartDeals), domain.DealID((p+1)*PartDeals), from, fn)
}

// skipPart is eachOfPart reading nothing: the index after part p's last
// deal in pr.ids (0 for every deal).
func (pr *pipelineReader) skipPart(p uint64, from int) int {
	if pr.all {
		return 0
	}
	i := from
	for i < len(pr.ids) && partOf(pr.ids[i]) == p {
		i++
	}
	return i
}

// eachIn is each for the deals with ids from lo to before hi; from is,
// when owners are given, the index in pr.ids to start at (the first of
// those ids). It returns the index in pr.ids after the last deal given
// (0 for every deal).
func (pr *pipelineReader) eachIn(lo, hi domain.DealID, from int, fn func(coaching.DealInput) bool) (int, error) {
	desk := pr.byDeal.Cursor()
	// The desk's keys start with the deal's id, like the digests': the
	// desk's cursor walks along (next is the first key at or after the
	// deal's), so a deal without requests, most of them, costs no seek.
	next, _ := desk.Seek(idKey(lo))
	add := func(k, v []byte) bool {
		id := idSuffix(k)
		if pr.sinceSet {
			last, err := digestTouched(v)
			if err == nil && last < pr.since {
				return true // untouched since: not asked for
			}
			// An unreadable digest is read, to be skipped and reported.
		}
		di, err := pr.r.read(id, v)
		if err != nil {
			pr.db.skipBad("pl_digests", dealKeyName(id), err)
			return true
		}
		// What DiscountInfo gives: the deal's approved discount, and
		// what its desk requests say.
		di.Discount.ApprovedBP = di.Deal.Discount
		key := k[len(k)-idLen:]
		if next != nil && bytes.Compare(next, key) < 0 {
			// Past the requests of the deals before: of deals not read
			// (another owner's, or without a digest) or of the last one.
			next, _ = desk.Seek(key)
		}
		if next != nil && bytes.HasPrefix(next, key) {
			pr.db.deskDiscount(desk, pr.reqs, id, &di.Discount)
		}
		return fn(di)
	}
	c := pr.digests.Cursor()
	if pr.all {
		for k, v := c.Seek(idKey(lo)); k != nil; k, v = c.Next() {
			if v == nil || len(k) != idLen {
				continue // not a deal's digest (dealpilot check reports it)
			}
			if idSuffix(k) >= hi {
				break
			}
			if !add(k, v) {
				return 0, nil
			}
		}
		return 0, nil
	}
	i := from
	for ; i < len(pr.ids) && pr.ids[i] < hi; i++ {
		// One cursor for every deal, and deals in key order: each seek
		// starts from pages already at hand.
		id := pr.ids[i]
		if k, v := c.Seek(idKey(id)); k != nil && v != nil && idSuffix(k) == id && len(k) == idLen && !add(k, v) {
			return i + 1, nil
		}
	}
	return i, nil
}

// buildDigests writes pl_digests afresh from the deals and their
// history. A deal that cannot be read gets no digest (it counts nowhere,
// as the KPIs skipped it), and an undecodable history entry is left out
// as history leaves it out. Every part up to the last deal id's gets a
// new generation (bumpPart: none in migration 9, before pl_parts; every
// one in migration 19), whether its digests changed or not.
func buildDigests(tx *bbolt.Tx) error {
	b, err := freshBucket(tx, bucketDigests)
	if err != nil {
		return err
	}
	digests, err := digestsOfDeals(tx)
	if err != nil {
		return err
	}
	for _, dg := range digests {
		if err := b.Put(idKey(dg.id), dg.v); err != nil {
			return err
		}
	}
	// The deals' sequence is the last id given (digestsOfDeals found the
	// bucket).
	for p := range partOf(domain.DealID(tx.Bucket(bucketDeals).Sequence())) + 1 {
		if err := bumpPart(tx, domain.DealID(p*PartDeals)); err != nil {
			return err
		}
	}
	return nil
}

type idDigest struct {
	id domain.DealID
	v  []byte
}

// digestsOfDeals computes every readable deal's digest from the deal and
// its history, in id order: what the migration writes and the check
// compares with.
func digestsOfDeals(tx *bbolt.Tx) ([]idDigest, error) {
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return nil, err
	}
	var out []idDigest
	err = deals.ForEach(func(k, v []byte) error {
		if v == nil || len(k) != idLen {
			return nil
		}
		d, err := decodeDeal(idSuffix(k), v)
		if err != nil {
			return nil // reported by the check as a bad record
		}
		hist, err := history(tx, d.ID, skipQuietly)
		if err != nil {
			return err
		}
		out = append(out, idDigest{d.ID, digestOf(d, hist)})
		return nil
	})
	return out, err
}

// checkDigests compares pl_digests with the digests of the deals and
// their history; each difference is one line naming the deal.
func checkDigests(tx *bbolt.Tx) []string {
	b := tx.Bucket(bucketDigests)
	if b == nil || tx.Bucket(bucketDeals) == nil {
		return nil
	}
	want, err := digestsOfDeals(tx)
	if err != nil {
		return []string{fmt.Sprintf("pl_digests: the deals could not be read: %v", err)}
	}
	var bad []string
	seen := map[domain.DealID]bool{}
	for _, w := range want {
		seen[w.id] = true
		v := b.Get(idKey(w.id))
		switch {
		case v == nil:
			bad = append(bad, fmt.Sprintf("pl_digests/%s: drift: missing", dealKeyName(w.id)))
		case !bytes.Equal(v, w.v):
			bad = append(bad, fmt.Sprintf("pl_digests/%s: drift: differs from the deal and its history", dealKeyName(w.id)))
		}
	}
	_ = b.ForEach(func(k, _ []byte) error {
		if id := idSuffix(k); len(k) == idLen && !seen[id] && tx.Bucket(bucketDeals).Get(k) == nil {
			bad = append(bad, fmt.Sprintf("pl_digests/%s: drift: no such deal", dealKeyName(id)))
		}
		return nil
	})
	return bad
}
