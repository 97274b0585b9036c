package teamstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Call is one request the connector answered.
type Call struct {
	Method       string
	Conversation string
	Status       int
}

// limits are Teams' per bot per thread limits (operations in a window).
var limits = []struct {
	n      int
	window time.Duration
}{
	{7, time.Second},
	{8, 2 * time.Second},
	{60, 30 * time.Second},
	{1800, time.Hour},
}

// Calls lists the connector calls so far, refused ones included.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// admit runs the checks every connector call goes through, in Teams'
// order: the bearer token, injected faults, the payload size, the
// conversation, the per-conversation rate limits. It returns the body, or
// answers and returns ok false.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, method, convID string) (body []byte, conv *conversation, ok bool) {
	status := http.StatusOK
	defer func() {
		if !ok {
			s.mu.Lock()
			s.calls = append(s.calls, Call{Method: method, Conversation: convID, Status: status})
			s.notifyLocked()
			s.mu.Unlock()
		}
	}()
	fail := func(st int, code, msg string) {
		status = st
		s.logf("teamstest: %s %s: %d %s", method, convID, st, code)
		writeJSON(w, st, apiError(code, msg))
	}
	if !s.authorized(r) {
		fail(http.StatusUnauthorized, "Unauthorized", "Authorization has been denied for this request.")
		return nil, nil, false
	}
	region := r.PathValue("region")
	s.mu.Lock()
	served := s.regions[region]
	s.mu.Unlock()
	if !served {
		fail(http.StatusNotFound, "NotFound", "No service at this URL.")
		return nil, nil, false
	}
	if !s.waitHold(r, method) {
		fail(http.StatusServiceUnavailable, "ClientGone", "the caller gave up while the connector was held")
		return nil, nil, false
	}
	s.mu.Lock()
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		s.mu.Unlock()
		if f.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.retryAfter+time.Second-1)/time.Second)))
		}
		fail(f.status, "InjectedFault", http.StatusText(f.status))
		return nil, nil, false
	}
	s.mu.Unlock()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequest+1))
	if err != nil {
		fail(http.StatusBadRequest, "BadArgument", "unreadable body")
		return nil, nil, false
	}
	if len(body) > MaxRequest {
		fail(http.StatusRequestEntityTooLarge, "MessageSizeTooBig", fmt.Sprintf("The request content length exceeded limit of %d bytes", MaxRequest))
		return nil, nil, false
	}
	if n := MessageSize(body); n > MaxMessage {
		fail(http.StatusRequestEntityTooLarge, "MessageSizeTooBig", fmt.Sprintf("Message size too big: %d bytes as UTF-16, over %d", n, MaxMessage))
		return nil, nil, false
	}
	var st int
	var code, msg string
	var wait time.Duration
	s.mu.Lock()
	if convID != "" {
		conv = s.convs[baseConversation(convID)]
		switch {
		case conv == nil, conv.region != region:
			// A conversation is known at the service URL of its
			// region only: a bot writing to every conversation at the
			// last service URL it heard from reaches half of a tenant
			// spread over two regions.
			st, code, msg = http.StatusNotFound, "ConversationNotFound", "Conversation not found."
		case conv.kind == "channel" && s.uninstalled[conv.team]:
			st, code, msg = http.StatusForbidden, "BotNotInConversationRoster", "The bot is not part of the conversation roster."
		case s.rateLimits:
			if wait = s.throttleLocked(convID); wait > 0 {
				st, code, msg = http.StatusTooManyRequests, "Throttled", "Too many requests to this conversation."
			}
		}
	}
	s.mu.Unlock()
	if st != 0 {
		if wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		}
		fail(st, code, msg)
		return nil, nil, false
	}
	return body, conv, true
}

// dataImage is a base64 image inlined in a message (a data: URI), which
// Teams leaves out of a message's size.
var dataImage = regexp.MustCompile(`data:image/[A-Za-z0-9.+-]+;base64,[A-Za-z0-9+/=]*`)

// MessageSize is a message's size as Teams counts it against MaxMessage:
// encoded as UTF-16 (two bytes a character, four beyond the Basic
// Multilingual Plane, so plain ASCII counts double), base64 images left
// out. It counts the activity's JSON as sent, names and escapes included:
// Teams counts the message's content, so this is a little stricter.
func MessageSize(body []byte) int {
	n := 0
	for _, r := range string(dataImage.ReplaceAll(body, nil)) {
		if r > 0xFFFF {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

// throttleLocked records a request to convID, or returns how long until
// one would be taken.
func (s *Server) throttleLocked(convID string) time.Duration {
	now := s.now()
	times := s.windows[convID]
	// forget what no window still holds
	for len(times) > 0 && now.Sub(times[0]) >= time.Hour {
		times = times[1:]
	}
	var wait time.Duration
	for _, l := range limits {
		in := 0
		for i := len(times) - 1; i >= 0 && now.Sub(times[i]) < l.window; i-- {
			in++
		}
		if in >= l.n {
			oldest := times[len(times)-in+(in-l.n)]
			if d := oldest.Add(l.window).Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		s.windows[convID] = times
		return wait
	}
	s.windows[convID] = append(times, now)
	return 0
}

func apiError(code, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"code": code, "message": msg}}
}

// parseActivity reads a posted activity and checks what Teams checks.
func (s *Server) parseActivity(w http.ResponseWriter, body []byte) (*Activity, bool) {
	var a Activity
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&a); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError("BadArgument", "invalid activity: "+err.Error()))
		return nil, false
	}
	if a.Type == "" {
		writeJSON(w, http.StatusBadRequest, apiError("BadArgument", "Activity type is required"))
		return nil, false
	}
	if a.Type == "message" && a.Text == "" && len(a.Attachments) == 0 {
		writeJSON(w, http.StatusBadRequest, apiError("BadArgument", "Message has no text and no attachments"))
		return nil, false
	}
	if s.cards != nil {
		for i, at := range a.Attachments {
			if at.ContentType != AdaptiveCardType {
				continue
			}
			if err := s.cards.Validate(at.Content); err != nil {
				writeJSON(w, http.StatusBadRequest, apiError("BadArgument", fmt.Sprintf("attachment %d: %v", i, err)))
				return nil, false
			}
		}
	}
	return &a, true
}

// handleSend: POST /v3/conversations/{conv}/activities.
func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	s.post(w, r, "send", r.PathValue("conv"), "")
}

// handleReply: POST /v3/conversations/{conv}/activities/{activity}.
func (s *Server) handleReply(w http.ResponseWriter, r *http.Request) {
	s.post(w, r, "reply", r.PathValue("conv"), r.PathValue("activity"))
}

func (s *Server) post(w http.ResponseWriter, r *http.Request, method, convID, replyTo string) {
	body, conv, ok := s.admit(w, r, method, convID)
	if !ok {
		return
	}
	a, ok := s.parseActivity(w, body)
	if !ok {
		s.record(Call{method, convID, http.StatusBadRequest})
		return
	}
	s.mu.Lock()
	if replyTo != "" {
		if _, found := conv.activities[replyTo]; !found {
			s.calls = append(s.calls, Call{method, convID, http.StatusNotFound})
			s.mu.Unlock()
			writeJSON(w, http.StatusNotFound, apiError("ActivityNotFound", "The activity to reply to was not found."))
			return
		}
		a.ReplyToID = replyTo
	}
	id := s.storeLocked(conv, convID, a)
	s.transcript = append(s.transcript, Entry{At: s.now(), Kind: method, Conversation: convID, ActivityID: id, ReplyTo: replyTo, Activity: *a})
	s.calls = append(s.calls, Call{method, convID, http.StatusOK})
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

func (s *Server) storeLocked(conv *conversation, convID string, a *Activity) string {
	id := s.nextIDLocked()
	a.ID = id
	a.Conversation = &ConversationRef{ID: convID}
	conv.activities[id] = a
	conv.order = append(conv.order, id)
	conv.history[id] = append(conv.history[id], a)
	return id
}

// handleUpdate: PUT /v3/conversations/{conv}/activities/{activity}; the
// activity must exist in the conversation and be the bot's own.
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	convID, actID := r.PathValue("conv"), r.PathValue("activity")
	body, conv, ok := s.admit(w, r, "update", convID)
	if !ok {
		return
	}
	a, ok := s.parseActivity(w, body)
	if !ok {
		s.record(Call{"update", convID, http.StatusBadRequest})
		return
	}
	s.mu.Lock()
	old, found := conv.activities[actID]
	if !found || old.fromUser() {
		s.calls = append(s.calls, Call{"update", convID, http.StatusNotFound})
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, apiError("ActivityNotFound", "The activity to update was not found."))
		return
	}
	a.ID, a.Conversation, a.ReplyToID = actID, old.Conversation, old.ReplyToID
	conv.activities[actID] = a
	conv.history[actID] = append(conv.history[actID], a)
	s.transcript = append(s.transcript, Entry{At: s.now(), Kind: "update", Conversation: convID, ActivityID: actID, Activity: *a})
	s.calls = append(s.calls, Call{"update", convID, http.StatusOK})
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"id": actID})
}

func (a *Activity) fromUser() bool { return a.From != nil && a.From.Role == "user" }

// createRequest is the body of POST /v3/conversations.
type createRequest struct {
	IsGroup     bool      `json:"isGroup"`
	Bot         *Account  `json:"bot"`
	Members     []Account `json:"members"`
	TenantID    string    `json:"tenantId"`
	Activity    *Activity `json:"activity"`
	ChannelData struct {
		Tenant  *struct{ ID string } `json:"tenant"`
		Channel *struct{ ID string } `json:"channel"`
	} `json:"channelData"`
}

// handleCreateConversation: POST /v3/conversations. A 1:1 conversation
// (members: one user, channelData.tenant.id required, the app installed
// for the user) or a new thread in a channel (isGroup, channelData.channel
// with an activity to post).
func (s *Server) handleCreateConversation(w http.ResponseWriter, r *http.Request) {
	body, _, ok := s.admit(w, r, "create", "")
	if !ok {
		return
	}
	var req createRequest
	refuse := func(status int, code, msg string) {
		s.record(Call{"create", "", status})
		writeJSON(w, status, apiError(code, msg))
	}
	if err := json.Unmarshal(body, &req); err != nil {
		refuse(http.StatusBadRequest, "BadArgument", "invalid body: "+err.Error())
		return
	}
	tenant := req.TenantID
	if req.ChannelData.Tenant != nil {
		tenant = req.ChannelData.Tenant.ID
	}
	switch {
	case tenant == "":
		refuse(http.StatusBadRequest, "BadArgument", "channelData.tenant.id is required")
		return
	case tenant != s.tenantID:
		refuse(http.StatusForbidden, "Forbidden", "The bot is not part of the tenant.")
		return
	case req.Bot == nil || req.Bot.ID != "28:"+s.appID:
		refuse(http.StatusBadRequest, "BadArgument", "bot.id must be 28:<app id>")
		return
	}
	region := r.PathValue("region")
	if req.IsGroup && req.ChannelData.Channel != nil {
		s.mu.Lock()
		chID := req.ChannelData.Channel.ID
		conv := s.convs[chID]
		notIn := conv != nil && s.uninstalled[conv.team]
		s.mu.Unlock()
		if conv == nil || conv.kind != "channel" || conv.region != region {
			refuse(http.StatusNotFound, "ConversationNotFound", "Channel not found.")
			return
		}
		if notIn {
			refuse(http.StatusForbidden, "BotNotInConversationRoster", "The bot is not part of the conversation roster.")
			return
		}
		if req.Activity == nil {
			refuse(http.StatusBadRequest, "BadArgument", "activity is required to start a channel thread")
			return
		}
		raw, _ := json.Marshal(req.Activity)
		a, ok := s.parseActivity(w, raw)
		if !ok {
			s.record(Call{"create", chID, http.StatusBadRequest})
			return
		}
		s.mu.Lock()
		id := s.storeLocked(conv, chID, a)
		thread := chID + ";messageid=" + id
		s.transcript = append(s.transcript, Entry{At: s.now(), Kind: "post", Conversation: chID, ActivityID: id, Activity: *a})
		s.calls = append(s.calls, Call{"create", chID, http.StatusCreated})
		s.notifyLocked()
		s.mu.Unlock()
		writeJSON(w, http.StatusCreated, map[string]string{"id": thread, "activityId": id})
		return
	}
	if req.IsGroup || len(req.Members) != 1 {
		refuse(http.StatusBadRequest, "BadArgument", "a 1:1 conversation has exactly one member and isGroup false")
		return
	}
	s.mu.Lock()
	u := s.users[req.Members[0].ID]
	if u == nil {
		s.mu.Unlock()
		refuse(http.StatusNotFound, "NotFound", "User not found.")
		return
	}
	if !u.Installed {
		s.mu.Unlock()
		refuse(http.StatusForbidden, "Forbidden", "The bot is not installed in the user's personal scope.")
		return
	}
	if u.Region != region {
		s.mu.Unlock()
		refuse(http.StatusNotFound, "NotFound", "User not found.")
		return
	}
	conv := s.personalLocked(u.ID)
	s.transcript = append(s.transcript, Entry{At: s.now(), Kind: "create", Conversation: conv.id})
	s.calls = append(s.calls, Call{"create", conv.id, http.StatusCreated})
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{"id": conv.id})
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// InstallFor marks the app installed in the user's personal scope.
func (s *Server) InstallFor(userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[userID]
	if u == nil {
		return fmt.Errorf("teamstest: no user %s: %w", userID, errNotFound)
	}
	u.Installed = true
	s.personalLocked(userID)
	s.notifyLocked()
	return nil
}

// handlePagedMembers: GET /v3/conversations/{conv}/pagedmembers
// (?pageSize=N&continuationToken=…, N brought within 50..500): the members of a conversation a
// page at a time, what a bot asks to see who is in a team or a chat. Like
// every connector call it needs the app's token and the conversation at
// its own service URL, and for a channel the app installed in its team
// (403 BotNotInConversationRoster otherwise). A channel's members are the
// tenant's users (teams have no rosters of their own here); a personal
// conversation's, its user.
func (s *Server) handlePagedMembers(w http.ResponseWriter, r *http.Request) {
	convID := r.PathValue("conv")
	_, conv, ok := s.admit(w, r, "members", convID)
	if !ok {
		return
	}
	size := 200
	if v := r.URL.Query().Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.record(Call{"members", convID, http.StatusBadRequest})
			writeJSON(w, http.StatusBadRequest, apiError("BadArgument", "invalid pageSize"))
			return
		}
		size = min(max(n, 50), 500)
	}
	from := 0
	if v := r.URL.Query().Get("continuationToken"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.record(Call{"members", convID, http.StatusBadRequest})
			writeJSON(w, http.StatusBadRequest, apiError("BadArgument", "invalid continuationToken"))
			return
		}
		from = n
	}
	s.mu.Lock()
	var ids []string
	if conv.kind == "personal" {
		ids = []string{conv.user}
	} else {
		for id := range s.users {
			ids = append(ids, id)
		}
		slices.Sort(ids)
	}
	members := []Account{}
	for i := from; i < len(ids) && i < from+size; i++ {
		if u := s.users[ids[i]]; u != nil {
			members = append(members, Account{ID: u.ID, Name: u.Name, AADObjectID: u.AADObjectID})
		}
	}
	s.calls = append(s.calls, Call{"members", convID, http.StatusOK})
	s.notifyLocked()
	s.mu.Unlock()
	out := map[string]any{"members": members}
	if from+size < len(ids) {
		out["continuationToken"] = strconv.Itoa(from + size)
	}
	writeJSON(w, http.StatusOK, out)
}

// handleTeamChannels: GET /v3/teams/{team}/conversations: the channels of
// a team ({"conversations":[{"id","name"}]}, the General channel, whose id
// is the team's, without a name), what a bot asks when it is installed in
// a team to know every channel it may post in. Like every connector call
// it needs the app's token; the team is known at its own region's service
// URL only (404 elsewhere, and for a team nobody added), and a team the
// app is not installed in answers 403 BotNotInConversationRoster.
func (s *Server) handleTeamChannels(w http.ResponseWriter, r *http.Request) {
	team := r.PathValue("team")
	if _, _, ok := s.admit(w, r, "channels", ""); !ok {
		return
	}
	region := r.PathValue("region")
	type channel struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	}
	s.mu.Lock()
	var chans []channel
	known := false
	for _, c := range s.convs {
		if c.kind != "channel" || c.team != team {
			continue
		}
		known = true
		if c.region == region {
			ch := channel{ID: c.id, Name: c.name}
			if c.id == team {
				ch.Name = "" // Teams names the General channel nothing
			}
			chans = append(chans, ch)
		}
	}
	var st int
	var code, msg string
	switch {
	case !known || len(chans) == 0:
		st, code, msg = http.StatusNotFound, "NotFound", "Team not found."
	case s.uninstalled[team]:
		st, code, msg = http.StatusForbidden, "BotNotInConversationRoster", "The bot is not part of the conversation roster."
	}
	status := st
	if st == 0 {
		status = http.StatusOK
	}
	s.calls = append(s.calls, Call{"channels", team, status})
	s.notifyLocked()
	s.mu.Unlock()
	if st != 0 {
		s.logf("teamstest: channels %s: %d %s", team, st, code)
		writeJSON(w, st, apiError(code, msg))
		return
	}
	slices.SortFunc(chans, func(a, b channel) int { return strings.Compare(a.ID, b.ID) })
	writeJSON(w, http.StatusOK, map[string]any{"conversations": chans})
}
