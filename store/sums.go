package store

// The forecast's running sums (fc_sums, since v7): per calendar month of
// the close date, owner, currency, status, category and stage, how many
// deals there are and the sum of their net amounts. putDeal moves a deal's
// contribution from its old record to its new one in the transaction that
// writes the deal, so /forecast reads a few thousand 16-byte records
// instead of decoding the 25,000 deals of a quarter. The stage's
// probability is not stored: it is configuration, applied when the sums
// are read (forecast.Builder.AddSum).

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

const sumValueLen = 16 // deals int64, net int64

// monthKey is the first 4 bytes of a sum key: the date encoding of
// dateBytes with day 0, so every day of the month sorts after it and
// before the next month's key. The zero date (no close date) is month 0.
func monthKey(d domain.Date) []byte {
	if d.IsZero() {
		return make([]byte, dateLen)
	}
	return dateBytes(domain.Date{Year: d.Year, Month: d.Month})
}

// sumKey is <month><owner>0x00<currency>0x00<status>0x00<category>0x00<stage>.
func sumKey(d *domain.Deal) []byte {
	k := make([]byte, 0, dateLen+len(d.Owner)+len(d.Currency)+len(d.Status)+len(d.Category)+len(d.Stage)+4)
	k = append(k, monthKey(d.CloseDate)...)
	for _, s := range []string{string(d.Owner), d.Currency, string(d.Status), string(d.Category)} {
		k = append(k, s...)
		k = append(k, sep)
	}
	return append(k, d.Stage...)
}

// sumFields splits a sum key after its month into its five fields.
func sumFields(k []byte) (owner, currency, status, category, stage []byte, err error) {
	if len(k) < dateLen {
		return nil, nil, nil, nil, nil, errors.New("the key is shorter than a month")
	}
	rest := k[dateLen:]
	var f [4][]byte
	for i := range f {
		j := bytes.IndexByte(rest, sep)
		if j < 0 {
			return nil, nil, nil, nil, nil, errors.New("the key is not <month><owner>0x00<currency>0x00<status>0x00<category>0x00<stage>")
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	return f[0], f[1], f[2], f[3], rest, nil
}

func decodeSumValue(v []byte) (deals, net int64, err error) {
	if len(v) != sumValueLen {
		return 0, 0, fmt.Errorf("the value is %d bytes, want %d", len(v), sumValueLen)
	}
	deals, net = int64(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint64(v[8:]))
	if deals < 0 {
		return 0, 0, fmt.Errorf("a negative count of deals: %d", deals)
	}
	return deals, net, nil
}

func encodeSumValue(deals, net int64) []byte {
	v := make([]byte, sumValueLen)
	binary.BigEndian.PutUint64(v, uint64(deals))
	binary.BigEndian.PutUint64(v[8:], uint64(net))
	return v
}

// resum moves d's contribution to the sums from what old gave (nil for a
// new deal) to what d gives. putDeal calls it for every deal written.
func resum(tx *bbolt.Tx, old, d *domain.Deal) error {
	b, err := bucket(tx, bucketSums)
	if err != nil {
		return err
	}
	nk, nn := sumKey(d), d.NetAmount()
	if old != nil {
		ok, on := sumKey(old), old.NetAmount()
		if bytes.Equal(ok, nk) && on == nn {
			return nil // nothing the sums hold changed
		}
		if err := addToSum(b, ok, -1, -on); err != nil {
			return err
		}
	}
	return addToSum(b, nk, 1, nn)
}

// addToSum adds deals and net to the record at k; a record back at zero
// deals and zero net is deleted.
func addToSum(b *bbolt.Bucket, k []byte, deals, net int64) error {
	var have, sum int64
	if v := b.Get(k); v != nil {
		var err error
		if have, sum, err = decodeSumValue(v); err != nil {
			return fmt.Errorf("store: fc_sums/%s: %w", sumKeyName(k), err)
		}
	}
	have, sum = have+deals, sum+net
	if have < 0 {
		return fmt.Errorf("store: fc_sums/%s: fewer than no deals", sumKeyName(k))
	}
	if have == 0 && sum == 0 {
		return b.Delete(k)
	}
	return b.Put(k, encodeSumValue(have, sum))
}

// sumKeyName names a sum key in logs and check reports:
// "2026-11 U123 EUR open commit Proposal" (a month 0000-00 has no close date).
func sumKeyName(k []byte) string {
	owner, currency, status, category, stage, err := sumFields(k)
	if err != nil {
		return quotedKey(k)
	}
	m := binary.BigEndian.Uint32(k)
	return fmt.Sprintf("%04d-%02d %s %s %s %s %q", m>>9, (m>>5)&0xf, owner, currency, status, category, stage)
}

// sumsOfDeals computes the sums from every deal of the bucket that can be
// read, as resum would have left them: the migration writes them, the
// check compares them.
func sumsOfDeals(deals *bbolt.Bucket) (map[string][2]int64, error) {
	out := map[string][2]int64{}
	err := deals.ForEach(func(k, v []byte) error {
		if v == nil || len(k) != idLen {
			return nil
		}
		d, err := decodeDeal(idSuffix(k), v)
		if err != nil {
			return nil // reported by the check as a bad record; counted nowhere, as the forecast skips it
		}
		key := string(sumKey(d))
		s := out[key]
		out[key] = [2]int64{s[0] + 1, s[1] + d.NetAmount()}
		return nil
	})
	return out, err
}

// buildSums writes fc_sums afresh from the deals.
func buildSums(tx *bbolt.Tx) error {
	b, err := freshBucket(tx, bucketSums)
	if err != nil {
		return err
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	sums, err := sumsOfDeals(deals)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.Sort(keys) // in key order: bbolt fills its pages best that way
	for _, k := range keys {
		s := sums[k]
		if s[0] == 0 && s[1] == 0 {
			continue
		}
		if err := b.Put([]byte(k), encodeSumValue(s[0], s[1])); err != nil {
			return err
		}
	}
	return nil
}

// checkSums compares fc_sums with the sums of the deals; each difference
// is one line naming the record, what it holds and what the deals give.
func checkSums(tx *bbolt.Tx) []string {
	sums, deals := tx.Bucket(bucketSums), tx.Bucket(bucketDeals)
	if sums == nil || deals == nil {
		return nil
	}
	want, err := sumsOfDeals(deals)
	if err != nil {
		return []string{fmt.Sprintf("fc_sums: the deals could not be read: %v", err)}
	}
	var bad []string
	_ = sums.ForEach(func(k, v []byte) error {
		n, net, err := decodeSumValue(v)
		if err != nil {
			return nil // reported as a bad record
		}
		w := want[string(k)]
		delete(want, string(k))
		if w[0] != n || w[1] != net {
			bad = append(bad, fmt.Sprintf("fc_sums/%s: drift: holds %d deals, net %d; the deals give %d deals, net %d",
				sumKeyName(k), n, net, w[0], w[1]))
		}
		return nil
	})
	for k, w := range want {
		if w[0] == 0 && w[1] == 0 {
			continue
		}
		bad = append(bad, fmt.Sprintf("fc_sums/%s: drift: missing; the deals give %d deals, net %d", sumKeyName([]byte(k)), w[0], w[1]))
	}
	return bad
}

// ForecastSums reads, in one read transaction, what a forecast rollup of
// the close dates from from up to (not including) before needs: for every
// whole calendar month of the range, the sums of fc_sums (sum is called
// with each, valid during the call only); for a part of a month (a range
// that does not start on the 1st, or ends inside a month), the deals of
// those days from idx_close, as ForecastDeals reads them (deal is called
// with each). A fiscal period is always whole months, so /forecast reads
// only sums. A sum record that cannot be read is skipped and reported.
func (db *DB) ForecastSums(ctx context.Context, from, before domain.Date, sum func(*forecast.Sum), deal func(*forecast.SnapshotDeal)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if from.IsZero() || before.IsZero() || !from.Before(before) {
		return fmt.Errorf("store: ForecastSums: an open or empty range %s–%s", from, before)
	}
	whole, parts := splitMonths(from, before)
	return db.view(func(tx *bbolt.Tx) error {
		for _, p := range parts {
			if err := db.forecastDealsIn(tx, domain.DealFilter{CloseFrom: p[0], CloseBefore: p[1]}, deal); err != nil {
				return err
			}
		}
		if whole[0] == whole[1] {
			return nil
		}
		b, err := bucket(tx, bucketSums)
		if err != nil {
			return err
		}
		end := monthKey(whole[1])
		in := interner{}
		var s forecast.Sum
		c := b.Cursor()
		for k, v := c.Seek(monthKey(whole[0])); k != nil && bytes.Compare(k[:min(len(k), dateLen)], end) < 0; k, v = c.Next() {
			owner, currency, status, category, stage, err := sumFields(k)
			if err == nil {
				s.Deals, s.Net, err = decodeSumValue(v)
			}
			if err != nil {
				db.skipBad("fc_sums", sumKeyName(k), err)
				continue
			}
			s.Owner, s.Currency, s.Status = domain.UserID(in.get(owner)), in.get(currency), domain.Status(in.get(status))
			s.Category, s.Stage = domain.Category(in.get(category)), in.get(stage)
			sum(&s)
		}
		return nil
	})
}

// splitMonths splits the days from from up to before into whole calendar
// months, [whole[0], whole[1]) (both the 1st of a month; equal when there
// is none), and the parts of months before and after them.
func splitMonths(from, before domain.Date) (whole [2]domain.Date, parts [][2]domain.Date) {
	first := domain.NewDate(from.Year, from.Month, 1)
	if first != from {
		first = domain.NewDate(from.Year, from.Month+1, 1)
	}
	last := domain.NewDate(before.Year, before.Month, 1) // the 1st of before's month
	if !first.Before(last) {
		// No whole month: the range is inside one month, or straddles two.
		return [2]domain.Date{first, first}, [][2]domain.Date{{from, before}}
	}
	if from.Before(first) {
		parts = append(parts, [2]domain.Date{from, first})
	}
	if last.Before(before) {
		parts = append(parts, [2]domain.Date{last, before})
	}
	return [2]domain.Date{first, last}, parts
}

// interner gives the same string for the same bytes without allocating
// once it has seen them: a forecast reads the same owners and stages
// thousands of times.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := strings.Clone(string(b))
	in[s] = s
	return s
}
