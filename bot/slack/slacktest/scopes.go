package slacktest

import (
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/manifests"
)

// defaultAppScopes is what an app-level token made in Basic Information for
// Socket Mode holds.
var defaultAppScopes = []string{"connections:write"}

// methodScopes lists, for each Web API method the server answers, the bot
// scopes that allow it (any one of them), from each method's page on
// docs.slack.dev/reference/methods. A method absent from the table needs no
// scope (auth.test, views.*). Methods whose scope depends on the kind of
// conversation (conversations.info, conversations.history) are resolved per
// channel in neededScopesLocked.
var methodScopes = map[string][]string{
	"apps.connections.open":        {"connections:write"},
	"chat.postMessage":             {"chat:write"},
	"chat.postEphemeral":           {"chat:write"},
	"chat.update":                  {"chat:write"},
	"chat.delete":                  {"chat:write"},
	"users.info":                   {"users:read"},
	"users.lookupByEmail":          {"users:read.email"},
	"files.getUploadURLExternal":   {"files:write"},
	"files.completeUploadExternal": {"files:write"},
	"files.info":                   {"files:read"},
	"conversations.open":           {"im:write"},
	"conversations.info":           {"channels:read", "groups:read", "im:read", "mpim:read"},
	"conversations.history":        {"channels:history", "groups:history", "im:history", "mpim:history"},
	"conversations.replies":        {"channels:history", "groups:history", "im:history", "mpim:history"},
}

// perChannelScope names the scope family of methods whose scope depends on
// the conversation's kind: ":read" for conversations.info, ":history" for
// history and replies.
var perChannelScope = map[string]string{
	"conversations.info":    "read",
	"conversations.history": "history",
	"conversations.replies": "history",
}

// WithScopes sets the scopes granted to the bot token (default: the bot
// scopes of manifests/slack-app.yaml, as an install of that manifest grants).
// A Web API call whose method needs a scope not granted answers
// missing_scope, as Slack does.
func WithScopes(scopes ...string) Option {
	return func(c *config) { c.scopes = slices.Clone(scopes); c.scopesSet = true }
}

// WithAppTokenScopes sets the scopes of the app-level token (default
// connections:write; without it apps.connections.open answers missing_scope).
func WithAppTokenScopes(scopes ...string) Option {
	return func(c *config) { c.appScopes = slices.Clone(scopes); c.appScopesSet = true }
}

// SetScopes replaces the scopes granted to the bot token, as reinstalling
// the app with another manifest does.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.scopes = slices.Clone(scopes)
}

// Scopes returns the scopes granted to the bot token.
func (s *Server) Scopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.cfg.scopes)
}

// RevokeTokens makes both tokens invalid from now on (the app was
// uninstalled, or its tokens rotated): every Web API call answers invalid_auth.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

func defaultScopes() []string { return manifests.BotScopes() }

// grantedLocked returns the scopes held by a token of kind ("bot" or "app").
func (s *Server) grantedLocked(kind string) []string {
	switch kind {
	case "bot":
		return s.cfg.scopes
	case "app":
		return s.cfg.appScopes
	}
	return nil
}

// neededScopesLocked returns the scopes any one of which allows method on
// this request, or nil when the method needs none.
func (s *Server) neededScopesLocked(method string, r *apiReq) []string {
	if family, ok := perChannelScope[method]; ok {
		if c, ok := s.st.Channels[s.resolveChannelLocked(r.str("channel"))]; ok {
			return []string{conversationKind(c) + ":" + family}
		}
		// Unknown channel: any scope of the family lets the call through
		// to answer channel_not_found.
	}
	if method == "conversations.open" && len(strings.Split(r.str("users"), ",")) > 1 {
		return []string{"mpim:write"}
	}
	return methodScopes[method]
}

// conversationKind is the scope prefix of a conversation: channels (public),
// groups (private), im.
func conversationKind(c Channel) string {
	switch {
	case c.IsIM:
		return "im"
	case c.IsPrivate:
		return "groups"
	}
	return "channels"
}

// checkScopesLocked answers missing_scope with Slack's needed and provided
// fields when the token of kind holds none of the scopes method needs.
func (s *Server) checkScopesLocked(kind, method string, r *apiReq) apiResult {
	needed := s.neededScopesLocked(method, r)
	if len(needed) == 0 {
		return nil
	}
	granted := s.grantedLocked(kind)
	for _, n := range needed {
		if slices.Contains(granted, n) {
			return nil
		}
	}
	res := slackErr("missing_scope")
	res["needed"] = strings.Join(needed, ",")
	res["provided"] = strings.Join(granted, ",")
	return res
}
