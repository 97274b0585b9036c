package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// setupRecord is the configuration a bot last started with, as the
// reports need it (domain.Setup): meta/"setup".
type setupRecord struct {
	V               int                `json:"v"`
	SeenAt          time.Time          `json:"seen_at"`
	Currency        string             `json:"currency"`
	Locale          string             `json:"locale"`
	Timezone        string             `json:"timezone"`
	FiscalYearStart int                `json:"fiscal_year_start"`
	Teams           []setupTeamRecord  `json:"teams"`
	Quotas          []setupQuotaRecord `json:"quotas"`
	Stages          []setupStageRecord `json:"stages"`
	LossReasons     []string           `json:"loss_reasons"`
	Nudges          *setupNudgesRecord `json:"nudges,omitempty"` // absent in files kept before
	// Commissions is the commissions: section as YAML: config's interface,
	// so its words stay as they are whatever domain/commission becomes.
	Commissions string `json:"commissions,omitempty"`
}

type setupNudgesRecord struct {
	StalledMinDays    int `json:"stalled_min_days"`
	HollowWinDiscount int `json:"hollow_win_discount"`
}

type setupTeamRecord struct {
	Name         string   `json:"name"`
	Manager      string   `json:"manager"`
	Members      []string `json:"members"`
	ManagerSells bool     `json:"manager_sells,omitempty"`
}

type setupQuotaRecord struct {
	User   string `json:"user,omitempty"`
	Team   string `json:"team,omitempty"`
	Period string `json:"period"`
	Amount int64  `json:"amount"`
}

type setupStageRecord struct {
	Name        string   `json:"name"`
	Probability int      `json:"probability"`
	Category    string   `json:"category"`
	Requires    []string `json:"requires"`
}

// personRecord is a person's display name as last seen from the platform:
// people/<user>.
type personRecord struct {
	V      int       `json:"v"`
	Name   string    `json:"name"`
	SeenAt time.Time `json:"seen_at"`
}

func toSetupRecord(s domain.Setup) setupRecord {
	r := setupRecord{V: 1, Currency: s.Currency, Locale: s.Locale, Timezone: s.Timezone, FiscalYearStart: int(s.FiscalYearStart),
		Teams: []setupTeamRecord{}, Quotas: []setupQuotaRecord{}, Stages: []setupStageRecord{}, LossReasons: s.LossReasons,
		Commissions: s.Commissions}
	if r.LossReasons == nil {
		r.LossReasons = []string{}
	}
	if n := s.Nudges; n != nil {
		r.Nudges = &setupNudgesRecord{StalledMinDays: n.StalledMinDays, HollowWinDiscount: n.HollowWinDiscount}
	}
	for _, t := range s.Teams {
		members := make([]string, len(t.Members))
		for i, m := range t.Members {
			members[i] = string(m)
		}
		r.Teams = append(r.Teams, setupTeamRecord{Name: t.Name, Manager: string(t.Manager), Members: members, ManagerSells: t.ManagerSells})
	}
	for _, q := range s.Quotas {
		r.Quotas = append(r.Quotas, setupQuotaRecord{User: string(q.User), Team: q.Team, Period: q.Period, Amount: q.Amount})
	}
	for _, st := range s.Stages {
		req := make([]string, len(st.Requires))
		for i, f := range st.Requires {
			req[i] = string(f)
		}
		r.Stages = append(r.Stages, setupStageRecord{Name: st.Name, Probability: st.Probability, Category: string(st.Category), Requires: req})
	}
	return r
}

func (r setupRecord) setup() domain.Setup {
	s := domain.Setup{Currency: r.Currency, Locale: r.Locale, Timezone: r.Timezone, FiscalYearStart: time.Month(r.FiscalYearStart),
		LossReasons: r.LossReasons, Commissions: r.Commissions}
	if n := r.Nudges; n != nil {
		s.Nudges = &domain.SetupNudges{StalledMinDays: n.StalledMinDays, HollowWinDiscount: n.HollowWinDiscount}
	}
	for _, t := range r.Teams {
		members := make([]domain.UserID, len(t.Members))
		for i, m := range t.Members {
			members[i] = domain.UserID(m)
		}
		s.Teams = append(s.Teams, domain.SetupTeam{Name: t.Name, Manager: domain.UserID(t.Manager), Members: members, ManagerSells: t.ManagerSells})
	}
	for _, q := range r.Quotas {
		s.Quotas = append(s.Quotas, domain.SetupQuota{User: domain.UserID(q.User), Team: q.Team, Period: q.Period, Amount: q.Amount})
	}
	for _, st := range r.Stages {
		req := make([]domain.Field, len(st.Requires))
		for i, f := range st.Requires {
			req[i] = domain.Field(f)
		}
		s.Stages = append(s.Stages, domain.StageDef{Name: st.Name, Probability: st.Probability, Category: domain.Category(st.Category), Requires: req})
	}
	return s
}

// SaveSetup keeps s, the configuration the bot runs with, for the reports
// (meta/"setup"); it writes only when s differs from the one kept, and
// reports whether it did.
func (db *DB) SaveSetup(_ context.Context, s domain.Setup) (changed bool, err error) {
	rec := toSetupRecord(s)
	want, err := json.Marshal(rec)
	if err != nil {
		return false, err
	}
	err = db.update(func(tx *bbolt.Tx, now time.Time) error {
		meta, err := bucket(tx, bucketMeta)
		if err != nil {
			return err
		}
		if old := meta.Get(keySetup); old != nil {
			var kept setupRecord
			if json.Unmarshal(old, &kept) == nil {
				kept.SeenAt = time.Time{}
				if same, _ := json.Marshal(kept); bytes.Equal(same, want) {
					return nil
				}
			}
		}
		rec.SeenAt = now.UTC()
		v, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		changed = true
		return meta.Put(keySetup, v)
	})
	return changed, err
}

// Setup returns the configuration kept by SaveSetup and when it was
// written; ok is false in a file no bot has started on since version 8.
func (db *DB) Setup(_ context.Context) (s domain.Setup, at time.Time, ok bool, err error) {
	err = db.view(func(tx *bbolt.Tx) error {
		meta, err := bucket(tx, bucketMeta)
		if err != nil {
			return err
		}
		v := meta.Get(keySetup)
		if v == nil {
			return nil
		}
		var rec setupRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("store: the kept configuration (meta/setup) cannot be read: %w", err)
		}
		s, at, ok = rec.setup(), rec.SeenAt, true
		return nil
	})
	return s, at, ok, err
}

// SeePeople records display names as the platform last showed them, by
// user, in one transaction (one write for a whole digest's reps): each only
// when it differs from the one kept. Empty ids and names are skipped.
func (db *DB) SeePeople(_ context.Context, names map[domain.UserID]string) error {
	if len(names) == 0 {
		return nil
	}
	return db.update(func(tx *bbolt.Tx, now time.Time) error {
		b, err := bucket(tx, bucketPeople)
		if err != nil {
			return err
		}
		for user, name := range names {
			if user == "" || name == "" {
				continue
			}
			if old := b.Get([]byte(user)); old != nil {
				var p personRecord
				if json.Unmarshal(old, &p) == nil && p.Name == name {
					continue
				}
			}
			v, err := json.Marshal(personRecord{V: 1, Name: name, SeenAt: now.UTC()})
			if err != nil {
				return err
			}
			if err := b.Put([]byte(user), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// SeePerson is SeePeople for one person.
func (db *DB) SeePerson(ctx context.Context, user domain.UserID, name string) error {
	return db.SeePeople(ctx, map[domain.UserID]string{user: name})
}

// People returns every display name kept by SeePerson, by user id. A
// record that cannot be read is skipped and reported as bad.
func (db *DB) People(_ context.Context) (map[domain.UserID]string, error) {
	out := map[domain.UserID]string{}
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketPeople)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var p personRecord
			if err := json.Unmarshal(v, &p); err != nil {
				db.skipBad(string(bucketPeople), string(k), err)
				return nil
			}
			out[domain.UserID(k)] = p.Name
			return nil
		})
	})
	return out, err
}

// migrateV8 adds the people bucket; meta/"setup" is written by the next
// bot to start.
func migrateV8(tx *bbolt.Tx, _ time.Time) error {
	_, err := tx.CreateBucketIfNotExists(bucketPeople)
	return err
}
