package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// slackLike is a directory of three people: Léa and Hugo in teams, Zoé in
// Slack but in no team; it counts the lookups.
type slackLike struct {
	asked   map[string]int
	refuse  error // every lookup answers it
	failFor string
}

func (s *slackLike) lookup(_ context.Context, email string) (Person, error) {
	s.asked[email]++
	if s.refuse != nil {
		return Person{}, s.refuse
	}
	if email == s.failFor {
		return Person{}, errors.New("slack: HTTP 503")
	}
	switch strings.ToLower(email) {
	case "lea@example.com":
		return Person{ID: "U0LEA", Name: "lea"}, nil
	case "hugo@example.com":
		return Person{ID: "U0HUGO", Name: "hugo"}, nil
	case "zoe@example.com":
		return Person{ID: "U0ZOE", Name: "zoe"}, nil
	}
	return Person{}, ErrNoPerson
}

// TestOwnerByDirectory: an owner given by email that the import: owners
// table does not map is looked up in the platform's directory (once per
// email for the whole import); the person found owns the deal only if they
// are a configured user; each other case is a problem that says why.
func TestOwnerByDirectory(t *testing.T) {
	tests := []struct {
		name    string
		owner   string
		table   bool // the table maps hugo@example.com
		refuse  error
		want    domain.UserID
		problem string
		asked   int
	}{
		{name: "FoundInATeam", owner: "lea@example.com", want: "U0LEA", asked: 1},
		{name: "FoundWithOtherCase", owner: "Lea@Example.com", want: "U0LEA", asked: 1},
		{name: "TableFirst", owner: "hugo@example.com", table: true, want: "U0HUGO", asked: 0},
		{name: "FoundInNoTeam", owner: "zoe@example.com",
			problem: "owner zoe@example.com is in Slack as @zoe but not in any team: add them to a team in the configuration, or map the email to a user under import: owners:", asked: 1},
		{name: "NotFound", owner: "j.doe@example.com",
			problem: `unknown owner "j.doe@example.com": no one in Slack has this email, and import: owners: in the configuration does not map it`, asked: 1},
		{name: "NotAnEmail", owner: "Jane Doe",
			problem: `unknown owner "Jane Doe": map it to a user under import: owners: in the configuration`, asked: 0},
		{name: "LookupRefused", owner: "lea@example.com", refuse: fmt.Errorf("%w: the bot token lacks users:read.email", ErrNoLookup),
			problem: `unknown owner "lea@example.com": not looked up in Slack (the bot token lacks users:read.email): map it to a user under import: owners: in the configuration`, asked: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := &slackLike{asked: map[string]int{}, refuse: tt.refuse}
			rl := &Rules{Owners: map[string]domain.UserID{}, Process: domain.DefaultStages(), Currency: "EUR",
				Known:     func(u domain.UserID) bool { return u == "U0LEA" || u == "U0HUGO" },
				Directory: &Directory{Where: "Slack", Lookup: dir.lookup}}
			if tt.table {
				rl.Owners[OwnerKey("hugo@example.com")] = "U0HUGO"
			}
			// Three rows with the same owner: the platform is asked once.
			data := "Record ID,Deal Name,Deal Stage,Deal owner,Amount\n"
			for i := range 3 {
				data += fmt.Sprintf("%d,Acme %d,Contract Sent,%s,1000\n", 101+i, i, tt.owner)
			}
			f, recs := readAll(t, writeFile(t, "deals.csv", []byte(data)), Options{})
			for _, r := range recs {
				m, err := rl.MapContext(context.Background(), f.Layout, r)
				if err != nil {
					t.Fatal(err)
				}
				var problems []string
				for _, p := range m.Problems {
					problems = append(problems, p.Message(i18n.EN))
				}
				if got := strings.Join(problems, "; "); got != tt.problem {
					t.Errorf("line %d: problems %q, want %q", r.Line, got, tt.problem)
				}
				if m.Deal.Owner != tt.want || m.Has(domain.FieldOwner) != (tt.want != "") {
					t.Errorf("line %d: owner %q (set %v), want %q", r.Line, m.Deal.Owner, m.Has(domain.FieldOwner), tt.want)
				}
			}
			total := 0
			for _, n := range dir.asked {
				total += n
			}
			if total != tt.asked {
				t.Errorf("the directory was asked %d times (%v), want %d", total, dir.asked, tt.asked)
			}
		})
	}
}

// TestOwnerLookupFailureStopsTheRun: a lookup the platform did not answer
// (after the transport's retries) stops the import rather than reporting a
// good owner as unknown; it is not remembered, so the next run asks again.
func TestOwnerLookupFailureStopsTheRun(t *testing.T) {
	dir := &slackLike{asked: map[string]int{}, failFor: "lea@example.com"}
	rl := &Rules{Owners: map[string]domain.UserID{}, Process: domain.DefaultStages(), Currency: "EUR",
		Known: func(u domain.UserID) bool { return u == "U0LEA" }, Directory: &Directory{Where: "Slack", Lookup: dir.lookup}}
	data := "Record ID,Deal Name,Deal Stage,Deal owner,Amount\n101,Acme,Contract Sent,lea@example.com,1000\n"
	f, recs := readAll(t, writeFile(t, "deals.csv", []byte(data)), Options{})
	for range 2 {
		_, err := rl.MapContext(context.Background(), f.Layout, recs[0])
		if err == nil || !strings.Contains(err.Error(), "looking up owner lea@example.com in Slack: slack: HTTP 503") {
			t.Fatalf("err %v", err)
		}
	}
	if dir.asked["lea@example.com"] != 2 {
		t.Errorf("asked %d times, want 2: a failure is not kept", dir.asked["lea@example.com"])
	}
	if rl.Directory.Lookups() != 0 {
		t.Errorf("%d lookups kept", rl.Directory.Lookups())
	}
}
