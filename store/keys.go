package store

import (
	"encoding/binary"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Bucket names and keys; doc.go draws the whole schema.
var (
	bucketMeta         = []byte("meta")
	bucketDeals        = []byte("deals")
	bucketHistory      = []byte("history")
	bucketCreateKeys   = []byte("create_keys")
	bucketIdxOwner     = []byte("idx_owner")
	bucketIdxWord      = []byte("idx_word")
	bucketIdxDue       = []byte("idx_due")
	bucketIdxClose     = []byte("idx_close")
	bucketIdxOpen      = []byte("idx_open")       // since v12: each owner's open deals by close date (index.go)
	bucketIdxOwnerWord = []byte("idx_owner_word") // since v13: each owner's search words (index.go)
	bucketOpenCounts   = []byte("open_counts")    // since v15: each owner's open deals counted by category and stage (opencount.go)
	bucketDone         = []byte("done")

	// Since v3: the deal desk, the forecast and coaching (see doc.go).
	bucketDeskRequests = []byte("desk_requests")
	bucketDeskByThread = []byte("desk_by_thread")
	bucketDeskByDeal   = []byte("desk_by_deal")
	bucketPlans        = []byte("plans")
	bucketQuotas       = []byte("fc_quotas")
	bucketCalls        = []byte("fc_calls")
	bucketSnapshots    = []byte("fc_snapshots")
	bucketJobs         = []byte("jobs")
	bucketPosts        = []byte("posts")
	bucketNudgeSent    = []byte("nudge_sent")
	bucketNudgeSnooze  = []byte("nudge_snooze")
	bucketNudgePrefs   = []byte("nudge_prefs")

	bucketSums = []byte("fc_sums") // since v7: the forecast's running sums (sums.go)

	bucketPeople = []byte("people") // since v8: display names as last seen (setup.go)

	bucketDigests = []byte("pl_digests") // since v9: what /pipeline's KPIs read of each deal (digest.go)

	bucketMSTeams = []byte("msteams") // since v10: who and where the Teams transport writes to (msteams.go)

	bucketImports = []byte("imports") // since v11: deals imported from a CRM, by external id (imports.go)

	bucketAccounts          = []byte("accounts")  // since v14: customers, by folded account name (accounts.go)
	bucketIdxRenew          = []byte("idx_renew") // since v16: won deals by owner and term end (renewals.go)
	bucketClosedCommissions = []byte("cm_closed") // since v17: closed commission months (commission.go)
	bucketParts             = []byte("pl_parts")  // since v18: each part of the deals' generation, for /pipeline's cache (parts.go)

	keySchemaVersion = []byte("schema_version")
	keySigningKey    = []byte("signing_key") // since v6
	keySetup         = []byte("setup")       // since v8: the configuration reports need (setup.go)
)

const (
	idLen   = 8
	dateLen = 4
	sep     = 0x00 // between a text and an id in index keys; never in words or user ids
)

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func idKey(id domain.DealID) []byte { return u64(uint64(id)) }

// idSuffix reads the id in the last 8 bytes of an index or history key.
func idSuffix(k []byte) domain.DealID {
	if len(k) < idLen {
		return 0
	}
	return domain.DealID(binary.BigEndian.Uint64(k[len(k)-idLen:]))
}

// dateBytes encodes a date so that byte order is date order. Years outside
// 0..8388607 are clamped; they cannot be typed as YYYY-MM-DD anyway.
func dateBytes(d domain.Date) []byte {
	y := d.Year
	switch {
	case y < 0:
		y = 0
	case y >= 1<<23:
		y = 1<<23 - 1
	}
	b := make([]byte, dateLen)
	binary.BigEndian.PutUint32(b, uint32(y)<<9|uint32(d.Month&0xf)<<5|uint32(d.Day&0x1f))
	return b
}

// dateIDKey is <date><id>, the key of idx_due and idx_close.
func dateIDKey(d domain.Date, id domain.DealID) []byte {
	return append(dateBytes(d), idKey(id)...)
}

// textIDKey is <text>0x00<id>, the key of idx_owner and idx_word.
func textIDKey(text string, id domain.DealID) []byte {
	k := make([]byte, 0, len(text)+1+idLen)
	k = append(k, text...)
	k = append(k, sep)
	return append(k, idKey(id)...)
}

// historyKey is <id><seq>.
func historyKey(id domain.DealID, seq uint64) []byte {
	return append(idKey(id), u64(seq)...)
}

// utc strips the monotonic reading and the location, so a time reads back
// from JSON exactly as it was written.
func utc(t time.Time) time.Time { return t.UTC().Round(0) }
