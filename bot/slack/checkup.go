package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/manifests"
)

// Check is one line of `dealpilot doctor` and of the checks logged at start:
// what was checked, what was found and, when it failed, what to do.
type Check struct {
	OK     bool
	Detail string // "bot token: team Acme (T…), bot @dealpilot (U…)"
	Fix    string // set when !OK: a concrete action for the admin
}

// Identity is what auth.test says about the bot token.
type Identity struct {
	TeamID, Team   string
	BotUserID, Bot string
	// Scopes are the scopes the token holds, from the x-oauth-scopes header
	// Slack puts on every answer; ScopesKnown is false when it was absent.
	Scopes      []string
	ScopesKnown bool
}

// TokenError is a token Slack refused: the bot cannot run with it.
type TokenError struct {
	Var  string // SLACK_BOT_TOKEN or SLACK_APP_TOKEN
	Code string // Slack's error: invalid_auth, token_revoked, missing_scope…
	Fix  string
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("Slack refused %s (%s): %s", e.Var, e.Code, e.Fix)
}

// UnreachableError is a Web API call that got no answer from Slack: the
// cause and the URL tried, never a token.
type UnreachableError struct {
	URL   string
	Cause string
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("no answer from Slack at %s: %s", e.URL, e.Cause)
}

// CheckerOptions wires a Checker.
type CheckerOptions struct {
	AppToken, BotToken string
	APIURL             string // empty: Slack's
	HTTPClient         *http.Client
}

// Checker runs the start-up checks and `dealpilot doctor` with slack-go:
// tokens (auth.test, apps.connections.open), scopes (x-oauth-scopes),
// channels (conversations.info) and users (users.info).
type Checker struct {
	api      *goslack.Client // with the bot token
	appAPI   *goslack.Client // with the app-level token
	apiURL   string
	secrets  []string
	mu       sync.Mutex
	scopes   string // x-oauth-scopes of the bot token's last auth.test
	scopesOK bool
	app      string // the same for the app-level token
	appOK    bool
}

// NewChecker returns a Checker with its own slack-go client.
func NewChecker(o CheckerOptions) *Checker {
	c := &Checker{apiURL: NormalizeAPIURL(o.APIURL), secrets: []string{o.AppToken, o.BotToken}}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	c.api = goslack.New(o.BotToken,
		goslack.OptionAppLevelToken(o.AppToken),
		goslack.OptionAPIURL(c.apiURL),
		goslack.OptionHTTPClient(hc),
		goslack.OptionOnResponseHeaders(c.sawHeaders),
	)
	c.appAPI = goslack.New(o.AppToken,
		goslack.OptionAPIURL(c.apiURL),
		goslack.OptionHTTPClient(hc),
		goslack.OptionOnResponseHeaders(func(path string, h http.Header) {
			if path == "auth.test" {
				c.mu.Lock()
				defer c.mu.Unlock()
				c.app, c.appOK = h.Get("X-OAuth-Scopes"), len(h.Values("X-OAuth-Scopes")) > 0
			}
		}),
	)
	return c
}

// sawHeaders keeps the scopes Slack says the bot token holds.
func (c *Checker) sawHeaders(path string, h http.Header) {
	if path != "auth.test" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scopes, c.scopesOK = h.Get("X-OAuth-Scopes"), len(h.Values("X-OAuth-Scopes")) > 0
}

// scrub removes the tokens from a message (an error may quote a request).
func (c *Checker) scrub(s string) string {
	for _, t := range c.secrets {
		if len(t) > 8 {
			s = strings.ReplaceAll(s, t, t[:5]+"…")
		}
	}
	return s
}

// classify turns a Web API error into a TokenError (the token was refused),
// an UnreachableError (no answer), or returns it unchanged (Slack answered
// with another error).
func (c *Checker) classify(method, envVar string, err error) error {
	if err == nil {
		return nil
	}
	var se goslack.SlackErrorResponse
	code := err.Error()
	if errors.As(err, &se) {
		code = se.Err
	}
	switch code {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
		return &TokenError{Var: envVar, Code: code, Fix: tokenFix(envVar)}
	}
	var status goslack.StatusCodeError
	var rl *goslack.RateLimitedError
	if errors.As(err, &status) || errors.As(err, &rl) || errors.As(err, &se) {
		return err // Slack answered
	}
	return &UnreachableError{URL: c.apiURL + method, Cause: c.scrub(code)}
}

func tokenFix(envVar string) string {
	if envVar == "SLACK_APP_TOKEN" {
		return "create an app-level token with the connections:write scope (api.slack.com/apps > your app > Basic Information > App-Level Tokens) and set SLACK_APP_TOKEN to it"
	}
	return "copy the Bot User OAuth Token (xoxb-…) from api.slack.com/apps > your app > OAuth & Permissions into SLACK_BOT_TOKEN; reinstall the app there if it was removed"
}

// retry runs fn, waiting out Slack's 429s (Retry-After) a few times.
func retry(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		var rl *goslack.RateLimitedError
		if attempt == 5 || !errors.As(err, &rl) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(max(rl.RetryAfter, 100*time.Millisecond)):
		}
	}
}

// Tokens checks the bot token and the app-level token with auth.test (which
// takes both kinds) and that the app-level token holds connections:write,
// which Socket Mode needs. The error is a *TokenError when Slack refused a token and an
// *UnreachableError when Slack did not answer.
func (c *Checker) Tokens(ctx context.Context) (Identity, []Check, error) {
	id, err := c.Bot(ctx)
	if err != nil {
		return id, []Check{failed("bot token", err)}, err
	}
	checks := []Check{{OK: true, Detail: fmt.Sprintf("bot token: team %s (%s), bot @%s (%s)", id.Team, id.TeamID, id.Bot, id.BotUserID)}}

	err = retry(ctx, func() error {
		_, err := c.appAPI.AuthTestContext(ctx)
		return err
	})
	if err = c.classify("auth.test", "SLACK_APP_TOKEN", err); err != nil {
		return id, append(checks, failed("app token", err)), err
	}
	c.mu.Lock()
	scopes, known := splitScopes(c.app), c.appOK
	c.mu.Unlock()
	switch {
	case known && !slices.Contains(scopes, "connections:write"):
		// Valid, but apps.connections.open would answer missing_scope.
		err = &TokenError{Var: "SLACK_APP_TOKEN", Code: "missing_scope", Fix: tokenFix("SLACK_APP_TOKEN")}
		return id, append(checks, Check{Detail: fmt.Sprintf("app token: lacks connections:write (it holds %q)", strings.Join(scopes, ",")), Fix: tokenFix("SLACK_APP_TOKEN")}), err
	case known:
		checks = append(checks, Check{OK: true, Detail: "app token: valid, holds connections:write (Socket Mode)"})
	default:
		checks = append(checks, Check{OK: true, Detail: "app token: valid"})
	}
	return id, checks, nil
}

// Bot checks the bot token alone (auth.test); errors as Tokens.
func (c *Checker) Bot(ctx context.Context) (Identity, error) {
	var resp *goslack.AuthTestResponse
	err := retry(ctx, func() error {
		var err error
		resp, err = c.api.AuthTestContext(ctx)
		return err
	})
	if err = c.classify("auth.test", "SLACK_BOT_TOKEN", err); err != nil {
		return Identity{}, err
	}
	id := Identity{TeamID: resp.TeamID, Team: resp.Team, BotUserID: resp.UserID, Bot: resp.User}
	c.mu.Lock()
	id.ScopesKnown, id.Scopes = c.scopesOK, splitScopes(c.scopes)
	c.mu.Unlock()
	return id, nil
}

// splitScopes reads an x-oauth-scopes header: "chat:write,commands".
func splitScopes(h string) []string {
	var out []string
	for s := range strings.SplitSeq(h, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isMissingScope(err error) bool { return err != nil && err.Error() == "missing_scope" }

// neededOf names the scope a missing_scope answer says is needed.
func neededOf(err error) string {
	var se goslack.SlackErrorResponse
	if errors.As(err, &se) && se.Needed != "" {
		return se.Needed
	}
	return "a scope"
}

// failed is the Check of a token that could not be verified.
func failed(what string, err error) Check {
	var te *TokenError
	var ue *UnreachableError
	switch {
	case errors.As(err, &te):
		return Check{Detail: fmt.Sprintf("%s: refused by Slack (%s)", what, te.Code), Fix: te.Fix}
	case errors.As(err, &ue):
		return Check{Detail: fmt.Sprintf("%s: not checked, %s", what, ue.Error()),
			Fix: "check that this machine reaches Slack (proxy, firewall) and that SLACK_API_URL, if set, is right"}
	}
	return Check{Detail: fmt.Sprintf("%s: Slack answered %v", what, err), Fix: "see https://docs.slack.dev/reference/methods for this error"}
}

// NeededScopes are the bot scopes dealpilot uses: those of the manifest.
func NeededScopes() []string { return manifests.BotScopes() }

// Scopes compares the scopes the bot token holds with those dealpilot needs.
func (c *Checker) Scopes(id Identity) Check {
	if !id.ScopesKnown {
		return Check{Detail: "scopes: Slack did not say which scopes the bot token holds (no x-oauth-scopes header)",
			Fix: "check that no proxy strips Slack's response headers; the app needs " + strings.Join(NeededScopes(), ", ")}
	}
	var missing []string
	for _, s := range NeededScopes() {
		if !slices.Contains(id.Scopes, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return Check{OK: true, Detail: "scopes: all " + fmt.Sprint(len(NeededScopes())) + " granted (" + strings.Join(NeededScopes(), ", ") + ")"}
	}
	return Check{Detail: "scopes: missing " + strings.Join(missing, ", "),
		Fix: "paste manifests/slack-app.yaml into api.slack.com/apps > your app > App Manifest, then OAuth & Permissions > Reinstall to Workspace to grant " + strings.Join(missing, ", ")}
}

// ref is an id the configuration names, with where it names it.
type ref struct {
	id    string
	where []string
}

func addRef(refs []ref, id, where string) []ref {
	if id == "" {
		return refs
	}
	for i := range refs {
		if refs[i].id == id {
			if !slices.Contains(refs[i].where, where) {
				refs[i].where = append(refs[i].where, where)
			}
			return refs
		}
	}
	return append(refs, ref{id: id, where: []string{where}})
}

// configChannels lists the channels the configuration names, in file order.
func configChannels(cfg *config.Config) []ref {
	var refs []ref
	for i, t := range cfg.Teams {
		refs = addRef(refs, t.Channel, fmt.Sprintf("teams[%d].channel", i))
		if t.WinsChannel != t.Channel {
			refs = addRef(refs, t.WinsChannel, fmt.Sprintf("teams[%d].wins_channel", i))
		}
	}
	return slackOnly(addRef(refs, cfg.DealDesk.Channel, "deal_desk.channel"), channelID.MatchString)
}

// slackOnly keeps the refs that are Slack ids: a configuration read for a
// process serving Slack and Teams also names Teams people and channels,
// which are the Teams side's to check.
func slackOnly(refs []ref, slack func(string) bool) []ref {
	return slices.DeleteFunc(refs, func(r ref) bool { return !slack(r.id) })
}

// configUsers lists the users the configuration names, in file order.
func configUsers(cfg *config.Config) []ref {
	var refs []ref
	for _, u := range cfg.Admins {
		refs = addRef(refs, string(u), "admins")
	}
	for i, t := range cfg.Teams {
		refs = addRef(refs, string(t.Manager), fmt.Sprintf("teams[%d].manager", i))
		for _, u := range t.Members {
			refs = addRef(refs, string(u), fmt.Sprintf("teams[%d].members", i))
		}
	}
	roles := make([]string, 0, len(cfg.DealDesk.Roles))
	for r := range cfg.DealDesk.Roles {
		roles = append(roles, r)
	}
	slices.Sort(roles)
	for _, r := range roles {
		for _, u := range cfg.DealDesk.Roles[r] {
			refs = addRef(refs, string(u), "deal_desk.roles."+r)
		}
	}
	for i, q := range cfg.Quotas {
		refs = addRef(refs, string(q.User), fmt.Sprintf("quotas[%d].user", i))
	}
	return slackOnly(refs, userID.MatchString)
}

// Channels checks that every channel the configuration names exists, is not
// archived and has the bot as a member.
func (c *Checker) Channels(ctx context.Context, cfg *config.Config, bot string) []Check {
	var out []Check
	for _, r := range configChannels(cfg) {
		where := strings.Join(r.where, ", ")
		var ch *goslack.Channel
		err := retry(ctx, func() error {
			var err error
			ch, err = c.api.GetConversationInfoContext(ctx, &goslack.GetConversationInfoInput{ChannelID: r.id})
			return err
		})
		name := r.id
		if err == nil && ch.Name != "" {
			name = "#" + ch.Name + " " + r.id
		}
		switch {
		case err != nil && err.Error() == "channel_not_found":
			out = append(out, Check{Detail: fmt.Sprintf("channel %s (%s): not found", r.id, where),
				Fix: fmt.Sprintf("check the id at %s (in Slack: the channel's name > About > Channel ID); a private channel is found only once the bot is invited: type /invite @%s in it", where, bot)})
		case isMissingScope(err):
			out = append(out, Check{Detail: fmt.Sprintf("channel %s (%s): not checked, the bot token lacks %s (missing_scope)", r.id, where, neededOf(err)),
				Fix: "grant it: paste manifests/slack-app.yaml into api.slack.com/apps > your app > App Manifest, then OAuth & Permissions > Reinstall to Workspace"})
		case err != nil:
			out = append(out, failed("channel "+r.id+" ("+where+")", c.classify("conversations.info", "SLACK_BOT_TOKEN", err)))
		case ch.IsArchived:
			out = append(out, Check{Detail: fmt.Sprintf("channel %s (%s): archived", name, where),
				Fix: fmt.Sprintf("unarchive it, or set %s to a live channel", where)})
		case !ch.IsMember:
			out = append(out, Check{Detail: fmt.Sprintf("channel %s (%s): the bot is not a member", name, where),
				Fix: fmt.Sprintf("in #%s, type /invite @%s", ch.Name, bot)})
		default:
			out = append(out, Check{OK: true, Detail: fmt.Sprintf("channel %s (%s): found, the bot is a member", name, where)})
		}
	}
	return out
}

// Users checks that every user the configuration names exists and is
// active, and reports each one's time zone (reminders follow it).
func (c *Checker) Users(ctx context.Context, cfg *config.Config) []Check {
	var out []Check
	for _, r := range configUsers(cfg) {
		where := strings.Join(r.where, ", ")
		var u *goslack.User
		err := retry(ctx, func() error {
			var err error
			u, err = c.api.GetUserInfoContext(ctx, r.id)
			return err
		})
		switch {
		case err != nil && err.Error() == "user_not_found":
			out = append(out, Check{Detail: fmt.Sprintf("user %s (%s): not found in this workspace", r.id, where),
				Fix: fmt.Sprintf("check the id at %s (in Slack: the person's profile > ⋮ > Copy member ID)", where)})
		case isMissingScope(err):
			out = append(out, Check{Detail: fmt.Sprintf("user %s (%s): not checked, the bot token lacks %s (missing_scope)", r.id, where, neededOf(err)),
				Fix: "grant it: paste manifests/slack-app.yaml into api.slack.com/apps > your app > App Manifest, then OAuth & Permissions > Reinstall to Workspace"})
		case err != nil:
			out = append(out, failed("user "+r.id+" ("+where+")", c.classify("users.info", "SLACK_BOT_TOKEN", err)))
		case u.Deleted:
			out = append(out, Check{Detail: fmt.Sprintf("user %s @%s (%s): deactivated", r.id, u.Name, where),
				Fix: fmt.Sprintf("remove %s from %s or replace them", r.id, where)})
		default:
			tz := u.TZ
			if tz == "" {
				tz = "none set (the configuration's " + cfg.Location.String() + " is used)"
			} else if _, lerr := time.LoadLocation(tz); lerr != nil {
				tz += " (unknown here; the configuration's " + cfg.Location.String() + " is used)"
			}
			out = append(out, Check{OK: true, Detail: fmt.Sprintf("user %s @%s (%s, %s): time zone %s", r.id, u.Name, u.RealName, where, tz)})
		}
	}
	return out
}

// Workspace runs every check after the tokens': scopes, channels, users.
func (c *Checker) Workspace(ctx context.Context, id Identity, cfg *config.Config) []Check {
	out := []Check{c.Scopes(id)}
	out = append(out, c.Channels(ctx, cfg, id.Bot)...)
	return append(out, c.Users(ctx, cfg)...)
}

// All runs every check: tokens first; when a token fails, the workspace is
// not checked (every call would fail the same way).
func (c *Checker) All(ctx context.Context, cfg *config.Config) []Check {
	id, checks, err := c.Tokens(ctx)
	if err != nil {
		return checks
	}
	return append(checks, c.Workspace(ctx, id, cfg)...)
}
