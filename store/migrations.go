package store

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// migration brings a file from schema version-1 to version. Migrations run in
// order, all in the one update transaction of Open, so a crash or an error
// leaves the file at its old version. Never edit a released migration: add a
// new one and bump the schema drawing in doc.go. A migration that derives
// data (an index, a sum) keeps in its own file a frozen copy of the code it
// derives with, as it was when the migration was written (migrate_v2.go,
// migrate_v4.go, migrate_v12.go, migrate_v14.go, migrate_v16.go; migrate_v13.go derives from the indexes
// already in the file and needs none), so a later change to today's code
// cannot change what it writes. Three do not: 7, 9 and 19 fill caches (fc_sums, pl_digests)
// wholesale with today's buildSums and buildDigests, as `dealpilot check`
// compares them. That is sound while two rules hold: a change to what
// either bucket holds comes with a new migration that rebuilds it (as 19
// rebuilt the digests in their version 2: files already past 7 or 9 need
// it anyway, and it is harmless after them); and a migration
// that changes how deals or history are encoded first freezes copies of
// both here, since 7 and 9 read deals with today's decoders.
type migration struct {
	version int
	name    string
	apply   func(tx *bbolt.Tx, now time.Time) error
}

var migrations = []migration{
	{1, "create meta, deals, history, create_keys and idx_owner", migrateV1},
	{2, "add the search indexes idx_word, idx_due, idx_close and the done bucket", migrateV2},
	{3, "add the deal desk, forecast and coaching buckets", migrateV3},
	{4, "rebuild idx_word with domain.FoldWords, the folding the ranking uses", migrateV4},
	{5, "add the posts bucket: parts posted and failed posts of channel messages", migrateV5},
	{6, "add the signing key of form metadata and button values to meta", migrateV6},
	{7, "add fc_sums, the forecast's sums per close month, owner, currency, status, category and stage", migrateV7},
	{8, "add people, display names as last seen, for reports that need no configuration", migrateV8},
	{9, "add pl_digests, what /pipeline's KPIs read of each deal and its history", migrateV9},
	{10, "add msteams, the Teams tenant, people and channels the bot writes to", migrateV10},
	{11, "add imports, the deals imported from a CRM by external id and what the import wrote", migrateV11},
	{12, "add idx_open, each owner's open deals by close date, so a list reads only the deals it shows", migrateV12},
	{13, "add idx_owner_word, each owner's search words, so a search within owners walks their words only", migrateV13},
	{14, "add accounts, customers as records by folded account name, made from the deals' accounts", migrateV14},
	{15, "add open_counts, each owner's open deals counted by category and stage, so a list counts what it does not show without walking it", migrateOpenCounts},
	{16, "add idx_renew, each owner's won deals by the day their contract term ends, for renewals due", migrateV16},
	{17, "add cm_closed, the commission months an admin closed, each statement frozen", migrateV17},
	{18, "add pl_parts, each part of the deals' generation, so /pipeline counts again only the parts written since", migrateV18},
	{19, "rebuild pl_digests in version 2, with each deal's account, attributes, type, term and recurring value, and give the accounts a generation", migrateV19},
}

// schemaVersion is the version this code reads and writes.
var schemaVersion = migrations[len(migrations)-1].version

func migrateV1(tx *bbolt.Tx, _ time.Time) error {
	for _, name := range [][]byte{bucketMeta, bucketDeals, bucketHistory, bucketCreateKeys, bucketIdxOwner} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	return nil
}

// migrateV3 creates the buckets of the deal desk, the forecast and the
// coaching features; they start empty.
func migrateV3(tx *bbolt.Tx, _ time.Time) error {
	for _, name := range [][]byte{bucketDeskRequests, bucketDeskByThread, bucketDeskByDeal, bucketPlans,
		bucketQuotas, bucketCalls, bucketSnapshots, bucketJobs, bucketNudgeSent, bucketNudgeSnooze, bucketNudgePrefs} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	return nil
}

// migrateV5 creates the posts bucket; it starts empty (what was posted
// before is not known, and nothing failed that the bot remembers).
func migrateV5(tx *bbolt.Tx, _ time.Time) error {
	if _, err := tx.CreateBucketIfNotExists(bucketPosts); err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketPosts, err)
	}
	return nil
}

// signingKeySize is the size of meta/signing_key (seal.KeySize).
const signingKeySize = 32

// migrateV6 draws the random key the bot signs what it hands to Slack and
// gets back with (form metadata, button values), once per file: every
// process and restart on the file signs alike, and a copy of the file
// (a backup) carries its key.
func migrateV6(tx *bbolt.Tx, _ time.Time) error {
	meta, err := bucket(tx, bucketMeta)
	if err != nil {
		return err
	}
	if len(meta.Get(keySigningKey)) == signingKeySize {
		return nil
	}
	key := make([]byte, signingKeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("draw the signing key: %w", err)
	}
	return meta.Put(keySigningKey, key)
}

// migrateV7 builds the forecast's sums from the deals. A deal that cannot
// be read counts in no sum, as the forecast skipped it before; writing it
// is refused until it is repaired, and the check reports it.
func migrateV7(tx *bbolt.Tx, _ time.Time) error { return buildSums(tx) }

// migrateV9 builds the deals' digests from the deals and their history. A
// deal that cannot be read gets none (the KPIs skipped it before), and the
// check reports it.
func migrateV9(tx *bbolt.Tx, _ time.Time) error { return buildDigests(tx) }

// migrateV19 rebuilds every digest in version 2, which adds the deal's
// account, attributes, type, term and recurring value (segment and
// retention reports count from them), bumping every part's generation;
// and gives the accounts their first generation (bumpAccounts), so that
// it is never 0 from now on. Running it again rebuilds the same digests
// and moves both generations on: harmless.
func migrateV19(tx *bbolt.Tx, _ time.Time) error {
	if err := buildDigests(tx); err != nil {
		return err
	}
	accounts, err := bucket(tx, bucketAccounts)
	if err != nil {
		return err
	}
	return bumpAccounts(accounts)
}

// fileVersion reads the schema version: 0 for a new, empty file.
func fileVersion(tx *bbolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if !empty {
			return 0, fmt.Errorf("not a dealpilot database (no meta bucket)")
		}
		return 0, nil
	}
	v := meta.Get(keySchemaVersion)
	if len(v) != 8 {
		return 0, fmt.Errorf("meta/schema_version is %d bytes, want 8", len(v))
	}
	return int(binary.BigEndian.Uint64(v)), nil
}

func setFileVersion(tx *bbolt.Tx, v int) error {
	meta, err := bucket(tx, bucketMeta)
	if err != nil {
		return err
	}
	return meta.Put(keySchemaVersion, u64(uint64(v)))
}

// migrate applies the migrations the file lacks, up to target.
func migrateTo(tx *bbolt.Tx, now time.Time, target int, logf func(string, ...any)) error {
	from, err := fileVersion(tx)
	if err != nil {
		return err
	}
	if from > schemaVersion {
		return fmt.Errorf("%w: file has version %d, this dealpilot knows up to %d; upgrade dealpilot",
			ErrSchemaTooNew, from, schemaVersion)
	}
	for _, m := range migrations {
		if m.version <= from || m.version > target {
			continue
		}
		if err := m.apply(tx, now); err != nil {
			return fmt.Errorf("migration to schema version %d (%s): %w", m.version, m.name, err)
		}
		if err := setFileVersion(tx, m.version); err != nil {
			return err
		}
		if from > 0 {
			logf("store: migrated schema to version %d: %s", m.version, m.name)
		}
	}
	return nil
}

func migrate(tx *bbolt.Tx, now time.Time, logf func(string, ...any)) error {
	return migrateTo(tx, now, schemaVersion, logf)
}
