package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.etcd.io/bbolt"
)

// migrateV14 creates the accounts bucket and makes one record per account
// the deals name, keyed as domain.AccountKey keyed them when schema version
// 14 was written (v14AccountKey, a frozen copy: FoldWords' words, repeats
// kept, joined by one space, with v4Folds, the same table). The name kept
// is the account as the deal with the smallest id wrote it (the first
// typed), the creation time the earliest of its deals' creation times. It
// reads only "account" and "created_at" of each deal record, so a later
// change to the deal decoder cannot change what it writes; a deal record
// that cannot be read makes no account (its next save will). Running it
// again keeps what is there.
func migrateV14(tx *bbolt.Tx, _ time.Time) error {
	accounts, err := tx.CreateBucketIfNotExists(bucketAccounts)
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketAccounts, err)
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	type first struct {
		name string
		at   time.Time
	}
	found := map[string]*first{}
	err = deals.ForEach(func(_, v []byte) error {
		var r struct {
			Account   string    `json:"account"`
			CreatedAt time.Time `json:"created_at"`
		}
		if json.Unmarshal(v, &r) != nil {
			return nil
		}
		key := v14AccountKey(r.Account)
		if key == "" {
			return nil
		}
		f, ok := found[key]
		switch {
		case !ok:
			found[key] = &first{name: r.Account, at: r.CreatedAt.UTC()}
		case r.CreatedAt.Before(f.at):
			f.at = r.CreatedAt.UTC()
		}
		return nil
	})
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if accounts.Get([]byte(k)) != nil {
			continue
		}
		v, err := json.Marshal(struct {
			V         int       `json:"v"`
			Name      string    `json:"name"`
			CreatedAt time.Time `json:"created_at"`
		}{1, found[k].name, found[k].at})
		if err != nil {
			return err
		}
		if err := accounts.Put([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// v14AccountKey is domain.AccountKey as schema version 14 was written.
func v14AccountKey(name string) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
		}
		w.Reset()
	}
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if f, ok := v4Folds[r]; ok {
				w.WriteString(f)
			} else {
				w.WriteRune(r)
			}
		default:
			flush()
		}
	}
	flush()
	return strings.Join(words, " ")
}
