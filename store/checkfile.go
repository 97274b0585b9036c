package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// FileReport is what CheckFile found in a file.
type FileReport struct {
	SchemaVersion int
	Records       int      // records decoded, every bucket
	BadPages      []string // bbolt's own consistency check
	BadRecords    []string // "bucket/key: why", as the log names them
	// Drift lists the forecast's sums (fc_sums) that differ from the sums
	// of the deals that can be read: "fc_sums/<record>: drift: …", and the
	// digests (pl_digests) that differ from their deal and its history:
	// "pl_digests/D-n: drift: …", and the open deals' counts (open_counts)
	// that differ from idx_open: "open_counts/<owner> <category> <stage>:
	// drift: …".
	Drift []string
}

// OK says that nothing was found wrong.
func (r FileReport) OK() bool {
	return len(r.BadPages) == 0 && len(r.BadRecords) == 0 && len(r.Drift) == 0
}

// CheckFile checks the file at path for `dealpilot check`: bbolt's own
// consistency check of its pages (every page reachable once, none both
// freed and used, keys in order), then every record of every bucket
// decoded as dealpilot reads it, every index entry pointing to a deal
// that exists, and the forecast's sums (fc_sums) equal to the sums of the
// deals (a difference is reported as drift). The digests of a file
// before schema 19 are of a version this code does not read, and Open
// rebuilds them (migration 19): they are neither decoded nor compared.
// It opens the file read-only, so it fails with ErrInUse while a running
// bot holds it: check a backup then (dealpilot backup FILE).
func CheckFile(path string) (rep FileReport, err error) {
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("store: check: %w", err)
	}
	bdb, err := openBolt(path, backupFileTimeout, true)
	if err != nil {
		return rep, err
	}
	defer bdb.Close()
	err = bdb.View(func(tx *bbolt.Tx) error {
		v, err := fileVersion(tx)
		if err != nil {
			return fmt.Errorf("store: check %s: %w", path, err)
		}
		rep.SchemaVersion = v
		rep.BadPages = checkPages(tx)
		if len(rep.BadPages) > 0 {
			// Walking damaged pages may panic or loop; the pages are the news.
			return nil
		}
		rep.Records, rep.BadRecords = checkRecords(tx, v)
		rep.Drift = append(checkSums(tx), checkOpenCounts(tx)...)
		if v >= digestSchema {
			rep.Drift = append(rep.Drift, checkDigests(tx)...)
		}
		slices.Sort(rep.Drift)
		return nil
	})
	return rep, err
}

// checkPages runs bbolt's Check; a page so damaged that the check itself
// panics is reported as such.
func checkPages(tx *bbolt.Tx) (bad []string) {
	defer func() {
		if r := recover(); r != nil {
			bad = append(bad, fmt.Sprintf("the page check stopped: %v", r))
		}
	}()
	for err := range tx.Check() {
		bad = append(bad, err.Error())
	}
	return bad
}

// recordCheckers decode one record of a bucket as dealpilot reads it.
var recordCheckers = map[string]func(k, v []byte) error{
	string(bucketDeals): func(k, v []byte) error {
		if len(k) != idLen {
			return errors.New("the key is not a deal id")
		}
		_, err := decodeDeal(idSuffix(k), v)
		return err
	},
	string(bucketHistory): func(k, v []byte) error {
		if len(k) != 2*idLen {
			return errors.New("the key is not <deal id><sequence>")
		}
		_, err := decodeHistory(domain.DealID(binary.BigEndian.Uint64(k)), v)
		return err
	},
	string(bucketDeskRequests): func(k, v []byte) error {
		if len(k) != idLen {
			return errors.New("the key is not a request id")
		}
		_, _, err := decodeDeskRequest(binary.BigEndian.Uint64(k), v)
		return err
	},
	string(bucketPlans): func(k, v []byte) error {
		_, err := decodePlan(idSuffix(k), v)
		return err
	},
	string(bucketSnapshots):   func(_, v []byte) error { _, err := decodeSnapshot(v); return err },
	string(bucketPosts):       func(k, v []byte) error { _, err := decodePost(string(k), v); return err },
	string(bucketDone):        func(_, v []byte) error { _, err := decodeDone(v); return err },
	string(bucketQuotas):      jsonObject,
	string(bucketCalls):       jsonObject,
	string(bucketJobs):        jsonObject,
	string(bucketNudgeSent):   jsonObject,
	string(bucketNudgeSnooze): jsonObject,
	string(bucketNudgePrefs):  jsonObject,
	string(bucketMSTeams):     func(k, v []byte) error { _, err := decodeMSTeams(k, v); return err },
	// Issue 20: customers with their churns and downgrades, and the closed
	// commission months (one that cannot be read stops every statement).
	string(bucketAccounts):          func(k, v []byte) error { _, err := decodeAccount(string(k), v); return err },
	string(bucketClosedCommissions): func(_, v []byte) error { _, err := decodeClosedMonth(v); return err },
	string(bucketDigests): func(k, v []byte) error {
		if len(k) != idLen {
			return errors.New("the key is not a deal id")
		}
		r := digestReader{in: interner{}}
		_, err := r.read(idSuffix(k), v)
		return err
	},
	string(bucketIdxOpen): func(_, v []byte) error {
		if _, _, _, ok := openFields(v); !ok {
			return errors.New("the value is not <next step due><category>0x00<stage>")
		}
		return nil
	},
	string(bucketOpenCounts): func(k, v []byte) error {
		if _, _, _, ok := openCountFields(k); !ok {
			return errors.New("the key is not <owner>0x00<category>0x00<stage>")
		}
		if len(v) != 8 {
			return errors.New("the value is not a count")
		}
		return nil
	},
	string(bucketSums): func(k, v []byte) error {
		if _, _, _, _, _, err := sumFields(k); err != nil {
			return err
		}
		_, _, err := decodeSumValue(v)
		return err
	},
}

// jsonObject accepts a JSON object with a record version of at least 1.
func jsonObject(_, v []byte) error {
	var r struct {
		V int `json:"v"`
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return err
	}
	if r.V < 1 {
		return fmt.Errorf("record version %d not understood", r.V)
	}
	return nil
}

// dealIndexes are the buckets whose keys end with a deal id.
var dealIndexes = [][]byte{bucketIdxOwner, bucketIdxWord, bucketIdxDue, bucketIdxClose, bucketIdxOpen, bucketIdxOwnerWord, bucketIdxRenew}

// digestSchema is the first schema version whose digests (pl_digests) are
// of digestVersion: those of an older file are rebuilt by migration 19.
const digestSchema = 19

// checkRecords decodes every record of a file at schema version.
func checkRecords(tx *bbolt.Tx, version int) (n int, bad []string) {
	report := func(bucket string, key string, err error) {
		bad = append(bad, fmt.Sprintf("%s/%s: %v", bucket, key, err))
	}
	deals := tx.Bucket(bucketDeals)
	for name, check := range recordCheckers {
		b := tx.Bucket([]byte(name))
		if b == nil || (name == string(bucketDigests) && version < digestSchema) {
			continue
		}
		_ = b.ForEach(func(k, v []byte) error {
			if v == nil {
				return nil // a nested bucket
			}
			n++
			if err := check(k, v); err != nil {
				report(name, recordKeyName(name, k), err)
			}
			return nil
		})
	}
	for _, idx := range dealIndexes {
		b := tx.Bucket(idx)
		if b == nil || deals == nil {
			continue
		}
		_ = b.ForEach(func(k, _ []byte) error {
			if id := idSuffix(k); deals.Get(idKey(id)) == nil {
				report(string(idx), fmt.Sprintf("%q", k), fmt.Errorf("points to %s, which does not exist", id.Ref()))
			}
			return nil
		})
	}
	slices.Sort(bad)
	return n, bad
}

// recordKeyName names a key as the bot's log does.
func recordKeyName(bucket string, k []byte) string {
	switch bucket {
	case string(bucketDeals), string(bucketPlans), string(bucketDigests):
		if len(k) == idLen {
			return dealKeyName(idSuffix(k))
		}
	case string(bucketHistory):
		if len(k) == 2*idLen {
			return historyKeyName(domain.DealID(binary.BigEndian.Uint64(k)), k)
		}
	case string(bucketDeskRequests):
		if len(k) == idLen {
			return strconv.FormatUint(binary.BigEndian.Uint64(k), 10)
		}
	case string(bucketSums):
		return sumKeyName(k)
	}
	if bytes.IndexFunc(k, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return string(k)
	}
	return quotedKey(k)
}
