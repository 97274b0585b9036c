package slack

import (
	"context"
	"fmt"
	"sync"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
)

// userCache keeps what Slack told us about users' time zones, so no event
// waits on users.info.
type userCache struct {
	api      *goslack.Client
	fallback *time.Location
	// call runs the users.info request, retrying 429s and server errors
	// (App.call); nil calls it once.
	call  func(ctx context.Context, method string, fn func() error) error
	mu    sync.RWMutex
	zones map[string]*time.Location
	// names are users' handles ("lea"), learnt with their zones.
	names map[string]string
	// realNames are users' real names ("Léa Dubois"), learnt likewise.
	realNames map[string]string
	// asking holds the users whose users.info is in flight.
	asking map[string]bool
	// seen, when set, hears each display name learnt (real name, else
	// handle), after the users.info that told it: warm runs after the
	// ack, so recording it never delays one.
	seen func(ctx context.Context, user, name string)
}

func newUserCache(api *goslack.Client, fallback *time.Location) *userCache {
	return &userCache{api: api, fallback: fallback, zones: map[string]*time.Location{}, names: map[string]string{}, realNames: map[string]string{}, asking: map[string]bool{}}
}

// location returns the user's zone, or nil while it is unknown.
func (c *userCache) location(user string) *time.Location {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.zones[user]
}

// name returns the user's handle, or "" while it is unknown.
func (c *userCache) name(user string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.names[user]
}

// displayName returns the user's real name, else their handle, or "" while
// neither is known.
func (c *userCache) displayName(user string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if n := c.realNames[user]; n != "" {
		return n
	}
	return c.names[user]
}

// warm asks Slack for the user's zone (and handle) once.
func (c *userCache) warm(ctx context.Context, user string) {
	if user == "" {
		return
	}
	c.mu.Lock()
	_, known := c.zones[user]
	asking := c.asking[user]
	if !known && !asking {
		c.asking[user] = true
	}
	c.mu.Unlock()
	if known || asking { // one users.info per user at a time
		return
	}
	defer func() {
		c.mu.Lock()
		delete(c.asking, user)
		c.mu.Unlock()
	}()
	var u *goslack.User
	get := func() error {
		var err error
		u, err = c.api.GetUserInfoContext(ctx, user)
		return err
	}
	var err error
	if c.call != nil {
		err = c.call(ctx, "users.info", get)
	} else {
		err = get()
	}
	loc := c.fallback
	if err == nil && u.TZ != "" {
		if l, err := time.LoadLocation(u.TZ); err == nil {
			loc = l
		}
	}
	if err != nil {
		return // try again on the next command
	}
	c.mu.Lock()
	c.zones[user] = loc
	if u.Name != "" {
		c.names[user] = u.Name
	}
	if n := u.RealName; n != "" || u.Profile.RealName != "" {
		if n == "" {
			n = u.Profile.RealName
		}
		c.realNames[user] = n
	}
	c.mu.Unlock()
	if c.seen != nil {
		if n := c.displayName(user); n != "" {
			c.seen(ctx, user, n)
		}
	}
}

// FindByEmail finds the workspace member with email (users.lookupByEmail,
// Tier 3, users:read.email), for an owner a CRM export gives by email
// (bot.PeopleFinder). Slack answers users_not_found for an email no one
// has and for a deactivated member; without users:read.email, missing_scope:
// no owner can be looked up until the app is reinstalled with the manifest.
func (a *App) FindByEmail(ctx context.Context, email string) (crm.Person, error) {
	var u *goslack.User
	err := a.call(ctx, "users.lookupByEmail", func() error {
		var err error
		u, err = a.api.GetUserByEmailContext(ctx, email)
		return err
	})
	switch {
	case err == nil:
		return crm.Person{ID: domain.UserID(u.ID), Name: u.Name}, nil
	case err.Error() == "users_not_found":
		return crm.Person{}, crm.ErrNoPerson
	case isMissingScope(err):
		return crm.Person{}, fmt.Errorf("%w: the bot token lacks users:read.email; reinstall the app with manifests/slack-app.yaml", crm.ErrNoLookup)
	}
	return crm.Person{}, err
}

// Platform names Slack in import reports (bot.PeopleFinder).
func (a *App) Platform() string { return "Slack" }
