package store

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

type msteamsSeen struct {
	tenant, svc string
	people      map[string][3]string
	channels    map[string][2]string
}

func readMSTeams(t *testing.T, db *DB) msteamsSeen {
	t.Helper()
	s := msteamsSeen{people: map[string][3]string{}, channels: map[string][2]string{}}
	err := db.MSTeamsContacts(func(tenant, svc string) { s.tenant, s.svc = tenant, svc },
		func(user, id, conv, svc string) { s.people[user] = [3]string{id, conv, svc} },
		func(conv, team, svc string) { s.channels[conv] = [2]string{team, svc} })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// What the Teams transport keeps is there after the file is closed and
// opened again, the last write winning, and `dealpilot check` reads it.
func TestMSTeamsContactsKeptAcrossOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db, err := Open(path, Options{Clock: newClock(time.Second), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		db.SaveMSTeamsTenant("tenant-1", "https://smba.old/"),
		db.SaveMSTeamsTenant("tenant-1", "https://smba.new/"),
		db.SaveMSTeamsPerson("aad-lea", "29:lea", "", "https://smba.new/"),
		db.SaveMSTeamsPerson("aad-lea", "29:lea", "a:1on1", "https://smba.new/"),
		db.SaveMSTeamsChannel("19:desk@thread.tacv2", "19:team-a", "https://smba.emea/"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []error{db.SaveMSTeamsPerson("", "29:x", "", "s"), db.SaveMSTeamsPerson("aad", "", "", "s"), db.SaveMSTeamsChannel("", "19:team-a", "s")} {
		if bad == nil {
			t.Error("a Teams contact without its ids was kept")
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := CheckFile(path)
	if err != nil || !rep.OK() {
		t.Fatalf("CheckFile = %+v, %v", rep, err)
	}
	db = openPath(t, path, newClock(time.Second))
	got := readMSTeams(t, db)
	if got.tenant != "tenant-1" || got.svc != "https://smba.new/" {
		t.Errorf("tenant %q at %q", got.tenant, got.svc)
	}
	if p := got.people["aad-lea"]; p != [3]string{"29:lea", "a:1on1", "https://smba.new/"} || len(got.people) != 1 {
		t.Errorf("people %v", got.people)
	}
	if c := got.channels["19:desk@thread.tacv2"]; c != [2]string{"19:team-a", "https://smba.emea/"} || len(got.channels) != 1 {
		t.Errorf("channels %v", got.channels)
	}
}

// A record the bot cannot read is skipped, the others still read, and the
// check names it.
func TestMSTeamsBadRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	var skipped []string
	db, err := Open(path, Options{Clock: newClock(time.Second), Logf: t.Logf,
		BadRecord: func(bucket, key string, _ error) { skipped = append(skipped, bucket+"/"+key) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveMSTeamsPerson("aad-lea", "29:lea", "a:1", "s"); err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMSTeams).Put([]byte("person:aad-tom"), []byte("{"))
	}); err != nil {
		t.Fatal(err)
	}
	got := readMSTeams(t, db)
	if len(got.people) != 1 || len(skipped) != 1 || skipped[0] != "msteams/person:aad-tom" {
		t.Errorf("people %v, skipped %v", got.people, skipped)
	}
	db.Close()
	rep, err := CheckFile(path)
	if err != nil || len(rep.BadRecords) != 1 {
		t.Errorf("CheckFile = %+v, %v; want the bad record named", rep, err)
	}
}

// The app removed from a team: its channels are forgotten (the General
// channel, whose id is the team's, too), another team's are kept.
func TestForgetMSTeamsTeam(t *testing.T) {
	db := openPath(t, filepath.Join(t.TempDir(), "dealpilot.db"), newClock(time.Second))
	for _, err := range []error{
		db.SaveMSTeamsChannel("19:desk@thread.tacv2", "19:team-a", "https://smba.emea/"),
		db.SaveMSTeamsChannel("19:team-a", "19:team-a", "https://smba.emea/"),
		db.SaveMSTeamsChannel("19:sales@thread.tacv2", "19:team-b", "https://smba.amer/"),
		db.SaveMSTeamsPerson("aad-lea", "29:lea", "a:1", "https://smba.emea/"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	gone, err := db.ForgetMSTeamsTeam("19:team-a")
	if err != nil || len(gone) != 2 {
		t.Fatalf("ForgetMSTeamsTeam = %v, %v", gone, err)
	}
	got := readMSTeams(t, db)
	if len(got.channels) != 1 || got.channels["19:sales@thread.tacv2"][0] != "19:team-b" || len(got.people) != 1 {
		t.Errorf("after forgetting team-a: channels %v, people %v", got.channels, got.people)
	}
	if _, err := db.ForgetMSTeamsTeam(""); err == nil {
		t.Error("forgetting a team without its id")
	}
}
