package slacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

type apiResult map[string]any

// slackErr builds Slack's error shape.
func slackErr(code string, msgs ...string) apiResult {
	r := apiResult{"ok": false, "error": code}
	if len(msgs) > 0 {
		r["response_metadata"] = map[string]any{"messages": msgs}
	}
	return r
}

// apiReq is a parsed Web API request: form-encoded (token in the body) or
// JSON (token in Authorization: Bearer), as Slack accepts both.
type apiReq struct {
	method string
	token  string // the caller's token kind: "bot" or "app"
	form   url.Values
	body   map[string]json.RawMessage
	args   map[string]any
}

func (r *apiReq) has(k string) bool {
	if r.body != nil {
		_, ok := r.body[k]
		return ok
	}
	_, ok := r.form[k]
	return ok
}

// str returns an argument as a string.
func (r *apiReq) str(k string) string {
	if r.body != nil {
		raw, ok := r.body[k]
		if !ok {
			return ""
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		if string(raw) == "null" {
			return ""
		}
		return string(raw)
	}
	return r.form.Get(k)
}

// raw returns an argument holding JSON (blocks, view…): a form field's
// string, or the JSON value (itself possibly a JSON-encoded string).
func (r *apiReq) raw(k string) []byte {
	if r.body != nil {
		raw, ok := r.body[k]
		if !ok || string(raw) == "null" {
			return nil
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []byte(s)
		}
		return raw
	}
	if v := r.form.Get(k); v != "" {
		return []byte(v)
	}
	return nil
}

type apiHandler func(s *Server, r *apiReq) apiResult

var apiMethods map[string]apiHandler

func init() {
	apiMethods = map[string]apiHandler{
		"apps.connections.open":        func(s *Server, _ *apiReq) apiResult { return s.connectionsOpenLocked() },
		"auth.test":                    (*Server).apiAuthTest,
		"chat.postMessage":             (*Server).apiPostMessage,
		"chat.postEphemeral":           (*Server).apiPostEphemeral,
		"chat.update":                  (*Server).apiUpdate,
		"chat.delete":                  (*Server).apiDelete,
		"views.open":                   (*Server).apiViewsOpen,
		"views.push":                   (*Server).apiViewsPush,
		"views.update":                 (*Server).apiViewsUpdate,
		"views.publish":                (*Server).apiViewsPublish,
		"users.info":                   (*Server).apiUsersInfo,
		"users.lookupByEmail":          (*Server).apiUsersLookupByEmail,
		"conversations.open":           (*Server).apiConversationsOpen,
		"conversations.info":           (*Server).apiConversationsInfo,
		"conversations.history":        (*Server).apiConversationsHistory,
		"conversations.replies":        (*Server).apiConversationsReplies,
		"files.getUploadURLExternal":   (*Server).apiGetUploadURL,
		"files.completeUploadExternal": (*Server).apiCompleteUpload,
		"files.info":                   (*Server).apiFilesInfo,
	}
}

// --- fault injection ---------------------------------------------------------

type faultKind int

const (
	faultThrottle faultKind = iota
	faultStatus
	faultHang
	faultDelay
	faultAfter // carried out, then the answer is lost (status 0) or a server error
	faultPass  // answered normally: lets calls through before the next fault
)

type fault struct {
	kind       faultKind
	remaining  int
	retryAfter time.Duration
	status     int
	delay      time.Duration
}

// Throttle makes the next n calls of method ("*" for any method) answer
// HTTP 429 with a Retry-After header (whole seconds, rounded up), which
// slack-go reports as *slack.RateLimitedError.
func (s *Server) Throttle(method string, n int, retryAfter time.Duration) {
	s.addFault(method, &fault{kind: faultThrottle, remaining: n, retryAfter: retryAfter})
}

// FailWith makes the next n calls of method ("*" for any) answer the HTTP
// status (for example 500 or 503) with {"ok":false,"error":"internal_error"}.
func (s *Server) FailWith(method string, n int, status int) {
	s.addFault(method, &fault{kind: faultStatus, remaining: n, status: status})
}

// Hang makes the next n calls of method ("*" for any) never answer: the
// request blocks until the client gives up (timeout/cancel) or Close.
func (s *Server) Hang(method string, n int) {
	s.addFault(method, &fault{kind: faultHang, remaining: n})
}

// Delay makes the next n calls of method ("*" for any) answer only after d,
// like a slow Slack: the call is then served as usual (a trigger_id it
// carries has aged by d). The client may give up first (timeout/cancel).
func (s *Server) Delay(method string, n int, d time.Duration) {
	s.addFault(method, &fault{kind: faultDelay, remaining: n, delay: d})
}

// PassNext lets the next n calls of method ("*" for any) through untouched:
// faults of a method apply in the order they were added, so PassNext(m, 1)
// then FailWith(m, 1, 500) fails the second call only.
func (s *Server) PassNext(method string, n int) {
	s.addFault(method, &fault{kind: faultPass, remaining: n})
}

// LoseAnswer makes the next n calls of method ("*" for any) be carried out
// (a message is posted) but never answered: the client times out not
// knowing, as after a network failure between Slack and the app.
func (s *Server) LoseAnswer(method string, n int) {
	s.addFault(method, &fault{kind: faultAfter, remaining: n})
}

// FailAfter makes the next n calls of method ("*" for any) be carried out,
// then answered with the HTTP status (500, 503…) and internal_error, as
// Slack does now and then for a message it did post.
func (s *Server) FailAfter(method string, n int, status int) {
	s.addFault(method, &fault{kind: faultAfter, remaining: n, status: status})
}

// ClearFaults removes every pending Throttle, FailWith and Hang.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]*fault{}
}

func (s *Server) addFault(method string, f *fault) {
	if f.remaining <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], f)
}

func (s *Server) takeFaultLocked(method string) *fault {
	for _, key := range []string{method, "*"} {
		list := s.faults[key]
		if len(list) == 0 {
			continue
		}
		f := list[0]
		f.remaining--
		if f.remaining <= 0 {
			s.faults[key] = list[1:]
		}
		return f
	}
	return nil
}

// --- dispatcher ----------------------------------------------------------------

func (s *Server) tokenKind(tok string) string {
	switch tok {
	case "":
		return ""
	case s.cfg.appToken:
		return "app"
	case s.cfg.botToken:
		return "bot"
	}
	return "invalid"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return
	}
	req := &apiReq{method: method, args: map[string]any{}}
	tok := ""
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		tok = strings.TrimPrefix(h, "Bearer ")
	}
	parseErr := ""
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		req.body = map[string]json.RawMessage{}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, &req.body); err != nil {
				parseErr = "invalid_json"
			}
		}
		for k, v := range req.body {
			var a any
			_ = json.Unmarshal(v, &a)
			req.args[k] = a
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			parseErr = "invalid_form_data"
		}
		for k, v := range r.URL.Query() {
			if _, ok := form[k]; !ok {
				form[k] = v
			}
		}
		req.form = form
		if tok == "" {
			tok = form.Get("token")
		}
		for k := range form {
			if k != "token" {
				req.args[k] = form.Get(k)
			}
		}
	}

	s.mu.Lock()
	call := APICall{Method: method, Args: req.args, Token: s.tokenKind(tok), At: s.now(), Status: http.StatusOK}
	if s.revoked && call.Token != "" {
		call.Token = "invalid"
	}
	// Slack names on every answer the scopes the token holds and those the
	// method accepts; clients (and dealpilot doctor) read granted scopes there.
	if call.Token == "bot" || call.Token == "app" {
		w.Header().Set("X-OAuth-Scopes", strings.Join(s.grantedLocked(call.Token), ","))
		w.Header().Set("X-Accepted-OAuth-Scopes", strings.Join(s.neededScopesLocked(method, req), ","))
	}
	s.st.Counters.APICalls++
	record := func(res apiResult) {
		if ok, _ := res["ok"].(bool); !ok {
			call.Error, _ = res["error"].(string)
			if md, ok := res["response_metadata"].(map[string]any); ok {
				call.Messages, _ = md["messages"].([]string)
			}
			s.st.Counters.APIErrors++
		}
		call.Warning, _ = res["warning"].(string)
		s.st.Calls = append(s.st.Calls, call)
		s.notifyLocked()
	}

	var after *fault
	if f := s.takeFaultLocked(method); f != nil && f.kind != faultPass {
		s.st.Counters.InjectedFailures++
		switch f.kind {
		case faultAfter:
			after = f
		case faultThrottle:
			s.st.Counters.RateLimited++
			secs := int(math.Ceil(f.retryAfter.Seconds()))
			call.Status = http.StatusTooManyRequests
			record(slackErr("ratelimited"))
			s.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeJSON(w, http.StatusTooManyRequests, slackErr("ratelimited"))
			return
		case faultStatus:
			call.Status = f.status
			record(slackErr("internal_error"))
			s.mu.Unlock()
			writeJSON(w, f.status, slackErr("internal_error"))
			return
		case faultHang:
			call.Status = 0
			record(slackErr("hang"))
			s.mu.Unlock()
			select {
			case <-r.Context().Done():
			case <-s.closeCh:
			}
			return
		case faultDelay:
			s.mu.Unlock()
			t := time.NewTimer(f.delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			case <-s.closeCh:
				t.Stop()
				return
			}
			s.mu.Lock()
		}
	}

	var res apiResult
	need := "bot"
	if method == "apps.connections.open" {
		need = "app"
	}
	h, known := apiMethods[method]
	switch {
	case parseErr != "":
		res = slackErr(parseErr)
	case !known:
		res = slackErr("unknown_method")
	case tok == "":
		res = slackErr("not_authed")
	case call.Token == "invalid":
		res = slackErr("invalid_auth")
	case call.Token != need && !(method == "auth.test" && call.Token == "app"):
		// auth.test takes every kind of token, app-level ones included
		// (docs.slack.dev/reference/methods/auth.test: "App-level tokens: no
		// scope required").
		res = slackErr("not_allowed_token_type")
	default:
		req.token = call.Token
		if wait := s.limitLocked(method, req); wait > 0 {
			s.st.Counters.RateLimited++
			call.Status = http.StatusTooManyRequests
			record(slackErr("ratelimited"))
			s.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
			writeJSON(w, http.StatusTooManyRequests, slackErr("ratelimited"))
			return
		}
		if res = s.checkScopesLocked(call.Token, method, req); res == nil {
			res = h(s, req)
		}
	}
	if after != nil {
		// Carried out; what the app hears is the fault.
		call.Status = after.status
		s.st.Calls = append(s.st.Calls, call)
		s.notifyLocked()
		s.mu.Unlock()
		if after.status != 0 {
			writeJSON(w, after.status, slackErr("internal_error"))
			return
		}
		select {
		case <-r.Context().Done():
		case <-s.closeCh:
		}
		return
	}
	record(res)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, res)
}

// --- helpers -------------------------------------------------------------------

func (s *Server) userNameLocked(id string) string {
	if u, ok := s.st.Users[id]; ok && u.Name != "" {
		return "@" + u.Name
	}
	return id
}

func (s *Server) channelNameLocked(id string) string {
	if c, ok := s.st.Channels[id]; ok {
		if c.IsIM {
			return "DM with " + s.userNameLocked(c.User)
		}
		if c.Name != "" {
			return "#" + c.Name
		}
	}
	return id
}

// resolveChannelLocked maps "#name" and user ids (app DM) to channel ids.
func (s *Server) resolveChannelLocked(ch string) string {
	if name, ok := strings.CutPrefix(ch, "#"); ok {
		for id, c := range s.st.Channels {
			if c.Name == name {
				return id
			}
		}
		return ch
	}
	if _, ok := s.st.Users[ch]; ok {
		return s.dmLocked(ch)
	}
	return ch
}

// dmLocked returns (creating it) the DM channel between the app and user.
func (s *Server) dmLocked(user string) string {
	if id, ok := s.dms[user]; ok {
		return id
	}
	id := s.newIDLocked("D")
	s.dms[user] = id
	s.st.Channels[id] = Channel{ID: id, IsIM: true, User: user, Members: []string{user, BotUserID}, Created: s.now()}
	return id
}

func (s *Server) userJSONLocked(u User) map[string]any {
	tzLabel := u.TZLabel
	if tzLabel == "" {
		tzLabel = u.TZ
	}
	email := u.Email
	if !slices.Contains(s.cfg.scopes, "users:read.email") {
		email = "" // Slack leaves the profile's email out without users:read.email
	}
	return map[string]any{
		"id": u.ID, "team_id": TeamID, "name": u.Name, "deleted": u.Deleted, "real_name": u.RealName,
		"tz": u.TZ, "tz_label": tzLabel, "tz_offset": u.TZOffset, "is_admin": u.IsAdmin, "is_owner": u.IsOwner,
		"is_primary_owner": false, "is_restricted": false, "is_ultra_restricted": false, "is_bot": u.IsBot,
		"is_app_user": false, "locale": u.Locale, "updated": s.now().Unix(),
		"profile": map[string]any{
			"real_name": u.RealName, "real_name_normalized": u.RealName, "display_name": u.Name,
			"display_name_normalized": u.Name, "email": email, "team": TeamID,
		},
	}
}

func (s *Server) channelJSONLocked(c Channel) map[string]any {
	m := map[string]any{
		"id": c.ID, "created": c.Created.Unix(), "is_open": true, "is_im": c.IsIM, "is_private": c.IsPrivate || c.IsIM,
		"is_channel": !c.IsIM && !c.IsPrivate, "is_group": c.IsPrivate, "is_mpim": false, "is_archived": c.IsArchived,
		"is_general": c.Name == "general", "is_member": s.isMemberLocked(c, BotUserID), "context_team_id": TeamID,
	}
	if c.IsIM {
		m["user"] = c.User
	} else {
		m["name"] = c.Name
		m["name_normalized"] = c.Name
		m["num_members"] = s.numMembersLocked(c)
	}
	return m
}

func (s *Server) messageJSONLocked(m Message) map[string]any {
	out := map[string]any{"type": "message", "text": m.Text, "user": m.User, "ts": m.TS, "team": TeamID}
	if m.BotID != "" {
		out["bot_id"] = m.BotID
		out["app_id"] = AppID
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if len(m.Blocks) > 0 {
		out["blocks"] = m.Blocks
	}
	if m.Edited {
		out["edited"] = map[string]any{"user": m.User, "ts": m.TS}
	}
	if len(m.Metadata) > 0 {
		out["metadata"] = m.Metadata
	}
	return out
}

func (s *Server) findMessageLocked(channel, ts string) (*Message, bool) {
	list := s.st.Messages[channel]
	for i := range list {
		if list[i].TS == ts {
			return &list[i], true
		}
	}
	for i := range s.st.Ephemerals {
		if s.st.Ephemerals[i].Channel == channel && s.st.Ephemerals[i].TS == ts {
			return &s.st.Ephemerals[i], true
		}
	}
	return nil, false
}

func (s *Server) warnLocked(res apiResult, code, detail string) {
	if code == "" {
		return
	}
	res["warning"] = code
	res["response_metadata"] = map[string]any{"warnings": []string{code}}
	s.st.Warnings = append(s.st.Warnings, code+": "+detail)
}

// addBotMessageLocked stores a visible app message and logs it.
func (s *Server) addBotMessageLocked(m Message) Message {
	m.TS = s.newTSLocked()
	m.At = s.now()
	m.User = BotUserID
	m.BotID = BotID
	if m.EphemeralTo != "" {
		s.st.Ephemerals = append(s.st.Ephemerals, m)
	} else {
		s.st.Messages[m.Channel] = append(s.st.Messages[m.Channel], m)
	}
	s.emitMessageLocked(m, "")
	return m
}

// --- methods -------------------------------------------------------------------

func (s *Server) apiAuthTest(r *apiReq) apiResult {
	if r.token == "app" {
		// An app-level token belongs to the app, not to a bot user.
		return apiResult{"ok": true, "app_id": AppID, "url": "https://" + TeamDomain + ".slack.com/", "team": TeamName, "team_id": TeamID}
	}
	return apiResult{"ok": true, "url": "https://" + TeamDomain + ".slack.com/", "team": TeamName, "user": BotName,
		"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID, "is_enterprise_install": false}
}

func (s *Server) apiPostMessage(r *apiReq) apiResult {
	ch := r.str("channel")
	if ch == "" {
		return slackErr("channel_not_found")
	}
	ch = s.resolveChannelLocked(ch)
	if code := s.postableLocked(ch, true); code != "" {
		return slackErr(code)
	}
	text := r.str("text")
	code, msgs, warn, blocks := s.checkMessageLocked(text, r.raw("blocks"), !r.has("attachments"))
	if code != "" {
		return slackErr(code, msgs...)
	}
	meta, code := parseMetadata(r.raw("metadata"))
	if code != "" {
		return slackErr(code)
	}
	m := s.addBotMessageLocked(Message{Channel: ch, ThreadTS: r.str("thread_ts"), Text: text,
		Blocks: blocks, Metadata: meta, Source: "chat.postMessage"})
	s.echoLocked(m)
	res := apiResult{"ok": true, "channel": ch, "ts": m.TS, "message": s.messageJSONLocked(m)}
	s.warnLocked(res, warn, fmt.Sprintf("chat.postMessage text of %d characters in %s", runes(text), ch))
	return res
}

func (s *Server) apiPostEphemeral(r *apiReq) apiResult {
	ch, user := r.str("channel"), r.str("user")
	if ch == "" {
		return slackErr("channel_not_found")
	}
	ch = s.resolveChannelLocked(ch)
	if code := s.postableLocked(ch, false); code != "" {
		return slackErr(code)
	}
	u, ok := s.st.Users[user]
	if !ok || u.Deleted {
		return slackErr("user_not_found")
	}
	if !s.isMemberLocked(s.st.Channels[ch], user) {
		return slackErr("user_not_in_channel")
	}
	text := r.str("text")
	code, msgs, warn := validateMessage(text, r.raw("blocks"), !r.has("attachments"))
	if code != "" {
		return slackErr(code, msgs...)
	}
	m := s.addBotMessageLocked(Message{Channel: ch, ThreadTS: r.str("thread_ts"), Text: text, EphemeralTo: user,
		Blocks: s.normalizeBlocksLocked(r.raw("blocks")), Source: "chat.postEphemeral"})
	if inv := s.lastInv[user+"|"+ch]; inv != nil {
		s.addResponseLocked(inv, Response{Kind: ResponseEphemeral, Channel: ch, TS: m.TS, ThreadTS: m.ThreadTS, ResponseType: "ephemeral", Text: m.Text, Blocks: m.Blocks})
	}
	res := apiResult{"ok": true, "message_ts": m.TS}
	s.warnLocked(res, warn, fmt.Sprintf("chat.postEphemeral text of %d characters", runes(text)))
	return res
}

func (s *Server) apiUpdate(r *apiReq) apiResult {
	ch := s.resolveChannelLocked(r.str("channel"))
	if code := s.postableLocked(ch, false); code != "" {
		return slackErr(code)
	}
	ts := r.str("ts")
	var m *Message
	for i, x := range s.st.Messages[ch] {
		if x.TS == ts && !x.Deleted {
			m = &s.st.Messages[ch][i]
		}
	}
	if m == nil {
		return slackErr("message_not_found")
	}
	if m.User != BotUserID {
		return slackErr("cant_update_message")
	}
	text := m.Text
	if r.has("text") {
		text = r.str("text")
	}
	blocks := []byte(m.Blocks)
	if r.has("blocks") {
		blocks = r.raw("blocks")
	}
	code, msgs, warn := validateMessage(text, blocks, !r.has("attachments"))
	if code != "" {
		return slackErr(code, msgs...)
	}
	m.Text = text
	if r.has("blocks") {
		m.Blocks = s.normalizeBlocksLocked(blocks)
	}
	m.Edited = true
	s.emitMessageLocked(*m, "updated")
	res := apiResult{"ok": true, "channel": ch, "ts": ts, "text": m.Text, "message": s.messageJSONLocked(*m)}
	s.warnLocked(res, warn, "chat.update text too long")
	return res
}

func (s *Server) apiDelete(r *apiReq) apiResult {
	ch := s.resolveChannelLocked(r.str("channel"))
	ts := r.str("ts")
	for i, x := range s.st.Messages[ch] {
		if x.TS == ts && !x.Deleted {
			if x.User != BotUserID {
				return slackErr("cant_delete_message")
			}
			s.st.Messages[ch][i].Deleted = true
			s.emitLocked(Line{Kind: LineBot, Actor: BotName, Channel: ch, Text: fmt.Sprintf("deleted message %s in %s", ts, s.channelNameLocked(ch))})
			return apiResult{"ok": true, "channel": ch, "ts": ts}
		}
	}
	return slackErr("message_not_found")
}

func (s *Server) apiUsersInfo(r *apiReq) apiResult {
	u, ok := s.st.Users[r.str("user")]
	if !ok {
		return slackErr("user_not_found")
	}
	return apiResult{"ok": true, "user": s.userJSONLocked(u)}
}

// apiUsersLookupByEmail finds a member by the email of their profile
// (users:read.email, Tier 3). As Slack documents it, a deactivated member is
// not found (users_not_found, as for an email no one has), and neither is a
// bot. Emails are compared without case: Slack keeps them in lower case.
func (s *Server) apiUsersLookupByEmail(r *apiReq) apiResult {
	email := strings.TrimSpace(r.str("email"))
	if email == "" {
		return slackErr("invalid_arguments", "[ERROR] missing required field: email")
	}
	for _, u := range s.st.Users {
		if u.Email != "" && strings.EqualFold(u.Email, email) && !u.Deleted && !u.IsBot {
			return apiResult{"ok": true, "user": s.userJSONLocked(u)}
		}
	}
	return slackErr("users_not_found")
}

func (s *Server) apiConversationsOpen(r *apiReq) apiResult {
	if ch := r.str("channel"); ch != "" {
		c, ok := s.st.Channels[ch]
		if !ok {
			return slackErr("channel_not_found")
		}
		return apiResult{"ok": true, "no_op": true, "already_open": true, "channel": s.channelJSONLocked(c)}
	}
	users := strings.Split(r.str("users"), ",")
	if len(users) != 1 || users[0] == "" {
		if r.str("users") == "" {
			return slackErr("users_list_not_supplied")
		}
		return slackErr("not_supported", "[ERROR] slacktest supports DMs with a single user only")
	}
	u, ok := s.st.Users[users[0]]
	if !ok || u.Deleted {
		return slackErr("user_not_found")
	}
	_, already := s.dms[u.ID]
	id := s.dmLocked(u.ID)
	chJSON := map[string]any{"id": id}
	if r.str("return_im") == "true" {
		chJSON = s.channelJSONLocked(s.st.Channels[id])
	}
	return apiResult{"ok": true, "no_op": already, "already_open": already, "channel": chJSON}
}

func (s *Server) apiConversationsInfo(r *apiReq) apiResult {
	c, ok := s.st.Channels[r.str("channel")]
	if !ok || (c.IsPrivate || c.IsIM) && !s.isMemberLocked(c, BotUserID) {
		return slackErr("channel_not_found") // private channels are invisible to non-members
	}
	return apiResult{"ok": true, "channel": s.channelJSONLocked(c)}
}

// --- files (upload v2) -------------------------------------------------------------

func (s *Server) apiGetUploadURL(r *apiReq) apiResult {
	name := r.str("filename")
	length, err := strconv.Atoi(r.str("length"))
	if name == "" || err != nil || length <= 0 {
		return slackErr("invalid_arguments", "[ERROR] filename and a positive length are required")
	}
	f := File{ID: s.newIDLocked("F"), Name: name, Length: length, AltText: r.str("alt_txt"), SnippetType: r.str("snippet_type"), At: s.now()}
	s.st.Files[f.ID] = f
	s.st.FileOrder = append(s.st.FileOrder, f.ID)
	return apiResult{"ok": true, "upload_url": s.base + "/upload/v1/" + f.ID + "?sig=" + s.randHexLocked(16), "file_id": f.ID}
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/v1/")
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var content []byte
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err = r.ParseMultipartForm(64 << 20); err == nil {
			fh, _, ferr := r.FormFile("file")
			if ferr != nil {
				err = ferr
			} else {
				content, err = io.ReadAll(fh)
				_ = fh.Close()
			}
		}
	} else {
		content, err = io.ReadAll(r.Body)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.st.Files[id]
	if !ok {
		http.Error(w, "unknown upload url", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, "bad upload: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(content) != f.Length {
		s.st.Warnings = append(s.st.Warnings, fmt.Sprintf("file %s: uploaded %d bytes, declared length %d", id, len(content), f.Length))
	}
	f.Content = content
	f.Uploaded = true
	s.st.Files[id] = f
	s.notifyLocked()
	w.Header().Set("Content-Type", "text/plain")
	_, _ = fmt.Fprintf(w, "OK - %d", len(content))
}

func (s *Server) apiCompleteUpload(r *apiReq) apiResult {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(r.raw("files"), &files); err != nil || len(files) == 0 {
		return slackErr("invalid_arguments", "[ERROR] files must be a non-empty JSON array [json-pointer:/files]")
	}
	for _, fs := range files {
		f, ok := s.st.Files[fs.ID]
		if !ok || f.Completed {
			return slackErr("file_not_found")
		}
		if !f.Uploaded {
			return slackErr("file_not_found", "[ERROR] file "+fs.ID+" was never uploaded to its upload_url")
		}
	}
	comment := r.str("initial_comment")
	if code, msgs, _ := validateMessage(comment, r.raw("blocks"), false); code != "" {
		return slackErr(code, msgs...)
	}
	channels := []string{}
	if c := r.str("channel_id"); c != "" {
		channels = append(channels, c)
	}
	if cs := r.str("channels"); cs != "" {
		channels = append(channels, strings.Split(cs, ",")...)
	}
	for i, ch := range channels {
		channels[i] = s.resolveChannelLocked(ch)
		// Sharing a file needs membership: chat:write.public does not cover it.
		if code := s.postableLocked(channels[i], false); code != "" {
			return slackErr(code)
		}
	}
	out := make([]map[string]any, 0, len(files))
	ids := make([]string, 0, len(files))
	for _, fs := range files {
		f := s.st.Files[fs.ID]
		f.Completed = true
		f.Title = fs.Title
		if f.Title == "" {
			f.Title = f.Name
		}
		f.InitialComment = comment
		f.ThreadTS = r.str("thread_ts")
		if len(channels) > 0 {
			f.Channel = channels[0]
		}
		s.st.Files[fs.ID] = f
		ids = append(ids, f.ID)
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	sort.Strings(ids)
	for _, ch := range channels {
		m := s.addBotMessageLocked(Message{Channel: ch, ThreadTS: r.str("thread_ts"), Text: comment, Files: ids,
			Blocks: s.normalizeBlocksLocked(r.raw("blocks")), Source: "files.completeUploadExternal"})
		for _, id := range ids {
			f := s.st.Files[id]
			shares := map[string]string{ch: m.TS} // a new map: State copies share the old one
			for k, v := range f.Shares {
				shares[k] = v
			}
			f.Shares = shares
			s.st.Files[id] = f
		}
	}
	return apiResult{"ok": true, "files": out}
}

// apiFilesInfo answers files.info (files:read): the file and where it is
// shared, public channels under shares.public, private ones under
// shares.private (docs.slack.dev/reference/methods/files.info). A file
// whose upload was never completed is not found: only what
// files.completeUploadExternal made is listed.
func (s *Server) apiFilesInfo(r *apiReq) apiResult {
	id := r.str("file")
	if id == "" {
		return slackErr("invalid_arguments", "[ERROR] missing required field: file")
	}
	f, ok := s.st.Files[id]
	if !ok || !f.Completed || f.User != "" && !s.botSeesFileLocked(f) {
		return slackErr("file_not_found") // a person's file is visible where the bot is
	}
	public, private := map[string]any{}, map[string]any{}
	channels, groups := []string{}, []string{}
	ims := []string{}
	for ch, ts := range f.Shares {
		share := []map[string]any{{"ts": ts, "channel_name": s.channelNameLocked(ch), "reply_count": 0, "reply_users": []string{}}}
		if c, ok := s.st.Channels[ch]; ok && c.IsIM {
			ims = append(ims, ch) // a DM is listed under ims, with no share entry naming it
			continue
		}
		if c, ok := s.st.Channels[ch]; ok && c.IsPrivate {
			private[ch], groups = share, append(groups, ch)
		} else {
			public[ch], channels = share, append(channels, ch)
		}
	}
	sort.Strings(channels)
	sort.Strings(groups)
	sort.Strings(ims)
	owner := f.User
	if owner == "" {
		owner = BotUserID
	}
	file := map[string]any{
		"id": f.ID, "name": f.Name, "title": f.Title, "size": len(f.Content), "user": owner,
		"created": f.At.Unix(), "timestamp": f.At.Unix(), "is_external": false, "mode": "hosted",
		"channels": channels, "groups": groups, "ims": ims,
		"shares":   map[string]any{"public": public, "private": private},
		"filetype": fileType(f.Name), "url_private": s.base + downloadPath(f), "url_private_download": s.base + downloadPath(f),
	}
	return apiResult{"ok": true, "file": file, "comments": []any{}, "paging": map[string]any{"count": 100, "total": 0, "page": 1, "pages": 0}}
}

// fileType is files.info's filetype, from the name as Slack guesses it.
func fileType(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return "binary"
	}
	switch ext := strings.ToLower(name[i+1:]); ext {
	case "csv", "xlsx", "txt", "png", "pdf":
		return ext
	}
	return "binary"
}

// botSeesFileLocked reports whether the bot is in a conversation f is
// shared in.
func (s *Server) botSeesFileLocked(f File) bool {
	for ch := range f.Shares {
		if c, ok := s.st.Channels[ch]; ok && s.isMemberLocked(c, BotUserID) {
			return true
		}
	}
	return false
}
