package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// What the Teams transport needs to write first, kept across restarts
// (since v10): without it a restarted bot cannot DM anyone on Teams until
// each person writes to it or installs it again. The store keeps plain
// texts; bot/teams says what they mean.

// msteamsRecord is one record of the msteams bucket (doc.go): the tenant
// ("tenant"), a person ("person:"<Entra object id>) or a channel
// ("channel:"<conversation id>).
type msteamsRecord struct {
	V            int    `json:"v"`
	Tenant       string `json:"tenant,omitempty"`
	ID           string `json:"id,omitempty"`
	Conversation string `json:"conv,omitempty"`
	// Team is a channel's team (channelData.team.id), so that all its
	// channels are forgotten when the app leaves the team.
	Team       string `json:"team,omitempty"`
	ServiceURL string `json:"service_url"`
	At         string `json:"at"`
}

const (
	msteamsTenant  = "tenant"
	msteamsPerson  = "person:"
	msteamsChannel = "channel:"
)

func decodeMSTeams(k, v []byte) (msteamsRecord, error) {
	var r msteamsRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return r, err
	}
	if r.V != 1 {
		return r, fmt.Errorf("record version %d, want 1", r.V)
	}
	key := string(k)
	switch {
	case key == msteamsTenant, strings.HasPrefix(key, msteamsPerson), strings.HasPrefix(key, msteamsChannel):
	default:
		return r, fmt.Errorf("unknown key kind")
	}
	return r, nil
}

func (db *DB) putMSTeams(key string, r msteamsRecord) error {
	return db.update(func(tx *bbolt.Tx, now time.Time) error {
		b, err := bucket(tx, bucketMSTeams)
		if err != nil {
			return err
		}
		r.V, r.At = 1, now.UTC().Format(time.RFC3339)
		v, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), v)
	})
}

// SaveMSTeamsTenant keeps the tenant the bot was installed in and the
// service URL Teams last sent, used to open 1:1 conversations.
func (db *DB) SaveMSTeamsTenant(tenant, serviceURL string) error {
	return db.putMSTeams(msteamsTenant, msteamsRecord{Tenant: tenant, ServiceURL: serviceURL})
}

// SaveMSTeamsPerson keeps a person, by their Microsoft Entra object id:
// their Bot Framework id ("29:…"), their 1:1 conversation with the bot
// ("" until known) and the service URL to reach it.
func (db *DB) SaveMSTeamsPerson(user, id, conv, serviceURL string) error {
	if user == "" || id == "" {
		return fmt.Errorf("store: a Teams person needs an object id and a Bot Framework id")
	}
	return db.putMSTeams(msteamsPerson+user, msteamsRecord{ID: id, Conversation: conv, ServiceURL: serviceURL})
}

// SaveMSTeamsChannel keeps the service URL of a team channel and its
// team's id ("" when unknown): a tenant spread over several regions has
// several service URLs, and each channel is reached at its own.
func (db *DB) SaveMSTeamsChannel(conv, team, serviceURL string) error {
	if conv == "" {
		return fmt.Errorf("store: a Teams channel needs its conversation id")
	}
	return db.putMSTeams(msteamsChannel+conv, msteamsRecord{Team: team, ServiceURL: serviceURL})
}

// ForgetMSTeamsTeam forgets the channels of a team (the app was removed
// from it): nothing is posted there until the app is installed again and
// Teams writes from it. It returns the channels forgotten.
func (db *DB) ForgetMSTeamsTeam(team string) ([]string, error) {
	if team == "" {
		return nil, fmt.Errorf("store: forgetting a Teams team needs its id")
	}
	var gone []string
	err := db.update(func(tx *bbolt.Tx, _ time.Time) error {
		gone = gone[:0]
		b, err := bucket(tx, bucketMSTeams)
		if err != nil {
			return err
		}
		var keys [][]byte
		c := b.Cursor()
		prefix := []byte(msteamsChannel)
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), msteamsChannel); k, v = c.Next() {
			r, err := decodeMSTeams(k, v)
			if err != nil {
				continue // unreadable: left for dealpilot check to name
			}
			conv := strings.TrimPrefix(string(k), msteamsChannel)
			// The General channel's id is the team's.
			if r.Team == team || conv == team {
				keys = append(keys, append([]byte(nil), k...))
				gone = append(gone, conv)
			}
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	return gone, err
}

// MSTeamsContacts calls tenant (at most once), person and channel with what
// the msteams bucket keeps. An undecodable record is skipped and reported
// (Options.BadRecord), as elsewhere.
func (db *DB) MSTeamsContacts(tenant func(tenant, serviceURL string), person func(user, id, conv, serviceURL string), channel func(conv, team, serviceURL string)) error {
	return db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketMSTeams)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeMSTeams(k, v)
			if err != nil {
				db.skipBad(string(bucketMSTeams), string(k), err)
				return nil
			}
			key := string(k)
			switch {
			case key == msteamsTenant:
				tenant(r.Tenant, r.ServiceURL)
			case strings.HasPrefix(key, msteamsPerson):
				person(strings.TrimPrefix(key, msteamsPerson), r.ID, r.Conversation, r.ServiceURL)
			default:
				channel(strings.TrimPrefix(key, msteamsChannel), r.Team, r.ServiceURL)
			}
			return nil
		})
	})
}

// migrateV10 adds the empty msteams bucket: who the bot heard from on
// Teams before was kept in memory only.
func migrateV10(tx *bbolt.Tx, _ time.Time) error {
	_, err := tx.CreateBucketIfNotExists(bucketMSTeams)
	return err
}
