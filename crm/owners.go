package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/dealpilot/dealpilot/domain"
)

// Person is who a platform's directory finds behind an email.
type Person struct {
	ID   domain.UserID
	Name string // their handle on the platform ("lea"), for the report
}

// ErrNoPerson is a lookup that found no one with the email (on Slack, also
// a deactivated member's).
var ErrNoPerson = errors.New("crm: no one has that email")

// ErrNoLookup wraps a lookup the platform refuses for good during this
// import (Slack: the bot token lacks users:read.email): the owners given by
// email are reported, each with the reason, and nothing more is asked.
var ErrNoLookup = errors.New("crm: owners cannot be looked up by email")

// Directory finds an owner given by email in a file, and absent from the
// import: owners table, on the platform the bot runs on (Slack's
// users.lookupByEmail). The person found owns the deal only if they are a
// configured user (Rules.Known): else the line is reported. Each email is
// asked once per import: a Directory serves one import, its dry run and its
// write (the bot keeps it with the pending file).
type Directory struct {
	// Where names the platform in the report ("Slack").
	Where string
	// Lookup asks the platform: ErrNoPerson when no one has email, an
	// error wrapping ErrNoLookup when it cannot be asked at all; any other
	// error (the platform did not answer) stops the import.
	Lookup func(ctx context.Context, email string) (Person, error)

	mu      sync.Mutex
	found   map[string]lookup // by OwnerKey(email)
	refused error             // ErrNoLookup's reason, once seen
}

type lookup struct {
	p  Person
	ok bool
}

// find returns the person with email (ok false when no one), asking the
// platform once per email; refused is why no lookup could be made.
func (d *Directory) find(ctx context.Context, email string) (p Person, ok bool, refused, err error) {
	key := OwnerKey(email)
	d.mu.Lock()
	if d.refused != nil {
		d.mu.Unlock()
		return Person{}, false, d.refused, nil
	}
	if l, seen := d.found[key]; seen {
		d.mu.Unlock()
		return l.p, l.ok, nil, nil
	}
	d.mu.Unlock()
	p, err = d.Lookup(ctx, email)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.found == nil {
		d.found = map[string]lookup{}
	}
	switch {
	case err == nil:
		d.found[key] = lookup{p: p, ok: true}
		return p, true, nil, nil
	case errors.Is(err, ErrNoPerson):
		d.found[key] = lookup{}
		return Person{}, false, nil, nil
	case errors.Is(err, ErrNoLookup):
		d.refused = err
		return Person{}, false, err, nil
	}
	// Not kept: the next row asks again.
	return Person{}, false, nil, fmt.Errorf("looking up owner %s in %s: %w", email, d.Where, err)
}

// Lookups is how many emails the platform was asked about.
func (d *Directory) Lookups() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.found)
}

// isEmail reports whether an owner is written as an email (something@host).
func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t")
}

// ownerFromDirectory resolves an owner by email the table does not map. It
// returns the user, or adds the problem that says why not.
func (rl *Rules) ownerFromDirectory(ctx context.Context, owner string, problem func(Column, string, ...any)) (domain.UserID, bool, error) {
	d := rl.Directory
	p, ok, refused, err := d.find(ctx, owner)
	switch {
	case err != nil:
		return "", false, err
	case refused != nil:
		problem(ColOwner, "crm.owner.not_looked_up", owner, d.Where, strings.TrimPrefix(refused.Error(), ErrNoLookup.Error()+": "))
	case !ok:
		problem(ColOwner, "crm.owner.no_such_email", owner, d.Where)
	case rl.Known == nil || !rl.Known(p.ID):
		problem(ColOwner, "crm.owner.in_no_team", owner, d.Where, p.Name)
	default:
		return p.ID, true, nil
	}
	return "", false, nil
}
