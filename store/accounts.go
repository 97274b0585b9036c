package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// Accounts are customers as records (since v14): one per folded account
// name (domain.AccountKey), made when the first deal of that account is
// written, holding the name as first typed, segment attributes and the
// recurring revenue the customer took away (churn, downgrade).
//
// The accounts have one generation (since v19): the accounts bucket's
// sequence, moved on (bumpAccounts) in every transaction that writes an
// account, so it never comes back and commits or rolls back with the
// write. Migration 19 gave every file its first, so it is never 0.
// AccountsAt reads the accounts only when their generation is not the
// one the caller knows; TestOnlyBumpingCodeWritesAccounts keeps every
// writer bumping.

// accountRecordVersion 2 added withdrawn: events withdrawn as recorded
// by mistake (/deal churn <account> undo); a version 1 record has none.
const accountRecordVersion = 2

// accountRecord is the value of accounts/<key>.
type accountRecord struct {
	V          int                  `json:"v"`
	Name       string               `json:"name"`
	CreatedAt  time.Time            `json:"created_at"`
	Attributes map[string]string    `json:"attributes,omitempty"`
	Events     []accountEventRecord `json:"events,omitempty"`
	Withdrawn  []accountEventRecord `json:"withdrawn,omitempty"` // since v2
}

// accountEventRecord is one domain.AccountEvent.
type accountEventRecord struct {
	Kind     string    `json:"kind"`
	On       string    `json:"on"`
	Amount   int64     `json:"amount"`
	Currency string    `json:"currency"`
	Reason   string    `json:"reason,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	// Who withdrew it and when: only in withdrawn.
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

func encodeAccountEvent(key string, e domain.AccountEvent) (accountEventRecord, error) {
	if _, err := e.On.MarshalText(); err != nil {
		return accountEventRecord{}, fmt.Errorf("store: account %q: %w", key, err)
	}
	r := accountEventRecord{
		Kind: string(e.Kind), On: e.On.String(), Amount: e.Amount, Currency: e.Currency,
		Reason: e.Reason, By: string(e.By), At: utc(e.At), WithdrawnBy: string(e.WithdrawnBy),
	}
	if !e.WithdrawnAt.IsZero() {
		at := utc(e.WithdrawnAt)
		r.WithdrawnAt = &at
	}
	return r, nil
}

func decodeAccountEvent(key string, r accountEventRecord) (domain.AccountEvent, error) {
	on, err := parseDate(r.On)
	if err != nil {
		return domain.AccountEvent{}, fmt.Errorf("store: account %q: event on: %w", key, err)
	}
	e := domain.AccountEvent{
		Kind: domain.AccountEventKind(r.Kind), On: on, Amount: r.Amount, Currency: r.Currency,
		Reason: r.Reason, By: domain.UserID(r.By), At: r.At, WithdrawnBy: domain.UserID(r.WithdrawnBy),
	}
	if r.WithdrawnAt != nil {
		e.WithdrawnAt = *r.WithdrawnAt
	}
	return e, nil
}

func encodeAccount(a *domain.Account) ([]byte, error) {
	r := accountRecord{V: accountRecordVersion, Name: a.Name, CreatedAt: utc(a.CreatedAt)}
	if len(a.Attributes) > 0 {
		r.Attributes = maps.Clone(a.Attributes)
	}
	for _, e := range a.Events {
		er, err := encodeAccountEvent(a.Key, e)
		if err != nil {
			return nil, err
		}
		r.Events = append(r.Events, er)
	}
	for _, e := range a.Withdrawn {
		er, err := encodeAccountEvent(a.Key, e)
		if err != nil {
			return nil, err
		}
		r.Withdrawn = append(r.Withdrawn, er)
	}
	return json.Marshal(r)
}

// decodeAccount copies what it needs out of b, so b may be bbolt memory.
func decodeAccount(key string, b []byte) (*domain.Account, error) {
	var r accountRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("store: account %q: %w", key, err)
	}
	if r.V < 1 || r.V > accountRecordVersion {
		return nil, fmt.Errorf("store: account %q: record version %d not understood (max %d)", key, r.V, accountRecordVersion)
	}
	a := &domain.Account{Key: key, Name: r.Name, CreatedAt: r.CreatedAt, Attributes: r.Attributes}
	for _, er := range r.Events {
		e, err := decodeAccountEvent(key, er)
		if err != nil {
			return nil, err
		}
		a.Events = append(a.Events, e)
	}
	for _, er := range r.Withdrawn {
		e, err := decodeAccountEvent(key, er)
		if err != nil {
			return nil, err
		}
		a.Withdrawn = append(a.Withdrawn, e)
	}
	return a, nil
}

// Account returns the account name folds to (domain.AccountKey); ok is
// false when there is none.
func (db *DB) Account(_ context.Context, name string) (a *domain.Account, ok bool, err error) {
	key := domain.AccountKey(name)
	if key == "" {
		return nil, false, nil
	}
	err = db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketAccounts)
		if err != nil {
			return err
		}
		v := b.Get([]byte(key))
		if v == nil {
			return nil
		}
		a, err = decodeAccount(key, v)
		ok = err == nil
		return err
	})
	return a, ok, err
}

// Accounts returns every account, by key. A record that cannot be read is
// skipped and reported as bad.
func (db *DB) Accounts(_ context.Context) ([]*domain.Account, error) {
	var out []*domain.Account
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketAccounts)
		if err != nil {
			return err
		}
		out = db.accountsIn(b, nil)
		return nil
	})
	return out, err
}

// AccountsAt returns, from one state of the file, the accounts'
// generation and, only when it is not known, every account as Accounts
// gives them (by key, a record that cannot be read skipped and reported);
// when it is known, accounts is nil and nothing is decoded. The
// generation changes in every transaction that writes an account and
// never comes back; it is never 0, so known 0 always reads them. A
// caller keeping what it counted of the accounts at gen asks again with
// gen.
func (db *DB) AccountsAt(ctx context.Context, known uint64) (accounts []*domain.Account, gen uint64, err error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	err = db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketAccounts)
		if err != nil {
			return err
		}
		if gen = b.Sequence(); gen == known {
			return nil
		}
		accounts = db.accountsIn(b, []*domain.Account{})
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return accounts, gen, nil
}

// accountsIn appends every account of b to out, by key; a record that
// cannot be read is skipped and reported as bad.
func (db *DB) accountsIn(b *bbolt.Bucket, out []*domain.Account) []*domain.Account {
	_ = b.ForEach(func(k, v []byte) error {
		a, err := decodeAccount(string(k), v)
		if err != nil {
			db.skipBad(string(bucketAccounts), string(k), err)
			return nil
		}
		out = append(out, a)
		return nil
	})
	return out
}

// bumpAccounts gives the accounts of b (the accounts bucket) a new
// generation: every function writing an account calls it in the same
// transaction.
func bumpAccounts(b *bbolt.Bucket) error {
	_, err := b.NextSequence()
	return err
}

// UpdateAccount changes the account name folds to in one transaction: fn
// gets a copy of it as stored and changes it; what fn leaves is saved,
// unless fn fails (nothing is written, fn's error is returned). The key,
// name and creation time stay as they were. An account that does not exist
// is an ENOTFOUND error ("account.not_found").
func (db *DB) UpdateAccount(_ context.Context, name string, fn func(*domain.Account) error) (*domain.Account, error) {
	return db.updateAccount(name, func(a *domain.Account, _ time.Time) error { return fn(a) })
}

// updateAccount is UpdateAccount with the transaction's time handed to fn.
func (db *DB) updateAccount(name string, fn func(a *domain.Account, now time.Time) error) (*domain.Account, error) {
	key := domain.AccountKey(name)
	var out *domain.Account
	err := db.update(func(tx *bbolt.Tx, now time.Time) error {
		out = nil
		b, err := bucket(tx, bucketAccounts)
		if err != nil {
			return err
		}
		v := b.Get([]byte(key))
		if key == "" || v == nil {
			return &rollback{domain.Errorf(domain.ENOTFOUND, "account.not_found", name)}
		}
		cur, err := decodeAccount(key, v)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next, now); err != nil {
			return &rollback{err}
		}
		next.Key, next.Name, next.CreatedAt = cur.Key, cur.Name, cur.CreatedAt
		if len(next.Events)+len(next.Withdrawn) > domain.MaxAccountEvents {
			return &rollback{domain.Errorf(domain.EINVALID, "account.too_many_events", cur.Name, domain.MaxAccountEvents)}
		}
		enc, err := encodeAccount(next)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(key), enc); err != nil {
			return fmt.Errorf("store: put account %q: %w", key, err)
		}
		out = next
		return bumpAccounts(b)
	})
	return out, err
}

// SetAccountAttributes sets the account's attributes named in attrs, in
// one transaction; an empty value removes the attribute. Attributes not
// named are kept.
func (db *DB) SetAccountAttributes(ctx context.Context, name string, attrs map[string]string) (*domain.Account, error) {
	return db.UpdateAccount(ctx, name, func(a *domain.Account) error {
		for k, v := range attrs {
			if v == "" {
				delete(a.Attributes, k)
				continue
			}
			if a.Attributes == nil {
				a.Attributes = map[string]string{}
			}
			a.Attributes[k] = v
		}
		if len(a.Attributes) == 0 {
			a.Attributes = nil
		}
		return nil
	})
}

// AddAccountEvent appends e to the account name folds to, stamped with the
// transaction's time.
func (db *DB) AddAccountEvent(_ context.Context, name string, e domain.AccountEvent) (*domain.Account, error) {
	return db.updateAccount(name, func(a *domain.Account, now time.Time) error {
		e.At = now
		a.Events = append(a.Events, e)
		return nil
	})
}

// WithdrawAccountEvent withdraws the last recorded event of kind of the
// account name folds to (domain.Account.Withdraw), stamped with by and the
// transaction's time, and returns the account and the event withdrawn. No
// such event: an ENOTFOUND error ("account.no_churn_to_undo" or
// "account.no_downgrade_to_undo"), nothing written.
func (db *DB) WithdrawAccountEvent(_ context.Context, name string, kind domain.AccountEventKind, by domain.UserID) (*domain.Account, domain.AccountEvent, error) {
	var e domain.AccountEvent
	a, err := db.updateAccount(name, func(a *domain.Account, now time.Time) error {
		var ok bool
		if e, ok = a.Withdraw(kind, by, now); ok {
			return nil
		}
		if kind == domain.EventDowngrade {
			return domain.Errorf(domain.ENOTFOUND, "account.no_downgrade_to_undo", a.Name)
		}
		return domain.Errorf(domain.ENOTFOUND, "account.no_churn_to_undo", a.Name)
	})
	return a, e, err
}

// ensureAccount makes the record of d's account when there is none yet:
// putDeal calls it for a new deal and for one whose account changed, in the
// transaction writing the deal, so every deal's account has a record.
func ensureAccount(tx *bbolt.Tx, old, d *domain.Deal) error {
	key := domain.AccountKey(d.Account)
	if key == "" || (old != nil && domain.AccountKey(old.Account) == key) {
		return nil
	}
	b, err := bucket(tx, bucketAccounts)
	if err != nil {
		return err
	}
	if b.Get([]byte(key)) != nil {
		return nil
	}
	at := d.CreatedAt
	if old != nil {
		at = d.UpdatedAt
	}
	v, err := encodeAccount(&domain.Account{Key: key, Name: d.Account, CreatedAt: at})
	if err != nil {
		return err
	}
	if err := b.Put([]byte(key), v); err != nil {
		return err
	}
	return bumpAccounts(b)
}

// rememberAccountAttrs keeps the values set in attrs on the record of the
// account (made by ensureAccount when the deal was written), in tx: what
// the import writes to a deal its account's next deals start with, as
// when a form sets them. A value the deal lacks is not forgotten for the
// account: its other deals may hold it.
func rememberAccountAttrs(tx *bbolt.Tx, account string, attrs domain.Attrs) error {
	key := domain.AccountKey(account)
	if key == "" || attrs.Len() == 0 {
		return nil
	}
	b, err := bucket(tx, bucketAccounts)
	if err != nil {
		return err
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil
	}
	a, err := decodeAccount(key, v)
	if err != nil {
		return err
	}
	changed := false
	for _, n := range attrs.Names() {
		if val := attrs.Get(n); val != "" && a.Attributes[n] != val {
			if a.Attributes == nil {
				a.Attributes = map[string]string{}
			}
			a.Attributes[n] = val
			changed = true
		}
	}
	if !changed {
		return nil
	}
	enc, err := encodeAccount(a)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(key), enc); err != nil {
		return err
	}
	return bumpAccounts(b)
}
