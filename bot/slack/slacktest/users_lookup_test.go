package slacktest

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

// TestLookupByEmail: users.lookupByEmail finds a member by their profile's
// email, without case; an email no one has, a deactivated member's and a
// bot's answer users_not_found, as Slack documents; the method needs
// users:read.email (missing_scope naming it otherwise); and it is Tier 3.
func TestLookupByEmail(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(User{ID: "U0LEA", Name: "lea", Email: "lea@example.com"})
	srv.AddUser(User{ID: "U0GONE", Name: "gone", Email: "gone@example.com", Deleted: true})
	api := apiClient(srv)
	ctx := testCtx(t)

	u, err := api.GetUserByEmailContext(ctx, "Lea@Example.com")
	if err != nil || u.ID != "U0LEA" || u.Name != "lea" || u.Profile.Email != "lea@example.com" {
		t.Fatalf("lookup of Léa: %+v %v", u, err)
	}
	for _, email := range []string{"nobody@example.com", "gone@example.com"} {
		if _, err := api.GetUserByEmailContext(ctx, email); err == nil || err.Error() != "users_not_found" {
			t.Errorf("lookup of %s: %v, want users_not_found", email, err)
		}
	}
	if res, _ := rawCall(t, srv, "users.lookupByEmail", srv.BotToken(), nil); res["error"] != "invalid_arguments" {
		t.Errorf("lookup without an email: %v", res)
	}

	// Without users:read.email: refused, and users.info leaves the email out.
	scopes := slices.DeleteFunc(srv.Scopes(), func(s string) bool { return s == "users:read.email" })
	srv.SetScopes(scopes...)
	res, _ := rawCall(t, srv, "users.lookupByEmail", srv.BotToken(), url.Values{"email": {"lea@example.com"}})
	if res["error"] != "missing_scope" || res["needed"] != "users:read.email" {
		t.Fatalf("lookup without users:read.email: %v", res)
	}
	if u, err := api.GetUserInfoContext(ctx, "U0LEA"); err != nil || u.Profile.Email != "" {
		t.Errorf("users.info without users:read.email shows the email %q (%v)", u.Profile.Email, err)
	}

	// Tier 3: 50 at once, then one every 1.2 s.
	srv.SetScopes(append(scopes, "users:read.email")...)
	fakeLimiterClock(srv)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for i := range Tier3PerMinute {
		if w := srv.limitLocked("users.lookupByEmail", &apiReq{}); w != 0 {
			t.Fatalf("lookup %d of the burst refused", i+1)
		}
	}
	if w := srv.limitLocked("users.lookupByEmail", &apiReq{}); w != time.Minute/Tier3PerMinute {
		t.Fatalf("lookup %d: wait %s, want Tier 3's", Tier3PerMinute+1, w)
	}
}
