package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// VerificationToken is the (deprecated) verification token put in payloads.
const VerificationToken = "slacktestverificationtoken"

// Invocation kinds.
const (
	KindSlashCommand    = "slash_command"
	KindBlockActions    = "block_actions"
	KindViewSubmission  = "view_submission"
	KindViewClosed      = "view_closed"
	KindBlockSuggestion = "block_suggestion"
	KindShortcut        = "shortcut"
	KindMessage         = "message"
	KindAppHomeOpened   = "app_home_opened"
	KindMemberJoined    = "member_joined_channel"
)

// Invocation is the handle of one user action sent to the app.
type Invocation struct {
	s           *Server
	ID          string
	Kind        string
	User        string
	Channel     string // channel of the action, if any
	TriggerID   string // trigger_id given to the app, if any
	ResponseURL string // response_url given to the app, if any
	EnvelopeID  string
	ViewID      string // view the action happened in (or the submitted/closed view)
	MessageTS   string // message acted upon, or the user's message for KindMessage
	FileID      string // the file a KindFileShared invocation shared
	Payload     json.RawMessage
	At          time.Time
}

// Envelope returns the current record of the invocation's envelope.
func (inv *Invocation) Envelope() Envelope {
	inv.s.mu.Lock()
	defer inv.s.mu.Unlock()
	if e := inv.s.envelopes[inv.EnvelopeID]; e != nil {
		rec := *inv.s.envRecLocked(e)
		rec.Deliveries = append([]Delivery(nil), rec.Deliveries...)
		return rec
	}
	return Envelope{}
}

// WaitAck waits for the app's ack. It fails with ErrDispatchFailed or
// ErrNotAcknowledged when Slack would have given up.
func (inv *Invocation) WaitAck(ctx context.Context) (Ack, error) {
	type res struct {
		ack Ack
		err error
	}
	r, err := waitValue(ctx, inv.s, func(st *State) (res, bool) {
		e := inv.s.envelopes[inv.EnvelopeID]
		if e == nil {
			return res{err: errors.New("slacktest: invocation has no envelope")}, true
		}
		rec := st.Envelopes[e.idx-inv.s.envBase]
		switch {
		case rec.Ack != nil:
			return res{ack: *rec.Ack}, true
		case rec.Failed && rec.FailReason == "dispatch_failed":
			return res{err: ErrDispatchFailed}, true
		case rec.Failed:
			return res{err: ErrNotAcknowledged}, true
		}
		return res{}, false
	})
	if err != nil {
		return Ack{}, err
	}
	return r.ack, r.err
}

// Responses returns everything the user saw in answer to this invocation so
// far: ack payload (text/blocks or response_action), response_url posts,
// chat.postEphemeral to the user in the channel, and views opened with the
// invocation's trigger_id.
func (inv *Invocation) Responses() []Response {
	inv.s.mu.Lock()
	defer inv.s.mu.Unlock()
	return append([]Response(nil), inv.s.st.Responses[inv.ID]...)
}

// WaitResponses waits until the invocation has at least n responses.
func (inv *Invocation) WaitResponses(ctx context.Context, n int) ([]Response, error) {
	return waitValue(ctx, inv.s, func(st *State) ([]Response, bool) {
		rs := st.Responses[inv.ID]
		return append([]Response(nil), rs...), len(rs) >= n
	})
}

// NextResponse waits for the next response not yet returned by NextResponse.
func (inv *Invocation) NextResponse(ctx context.Context) (Response, error) {
	r, err := waitValue(ctx, inv.s, func(st *State) (Response, bool) {
		i := inv.s.cursors[inv.ID]
		if rs := st.Responses[inv.ID]; len(rs) > i {
			inv.s.cursors[inv.ID] = i + 1
			return rs[i], true
		}
		return Response{}, false
	})
	return r, err
}

// WaitView waits for a view opened (views.open/views.push) with the
// invocation's trigger_id and returns it.
func (inv *Invocation) WaitView(ctx context.Context) (View, error) {
	return waitValue(ctx, inv.s, func(st *State) (View, bool) {
		for _, r := range st.Responses[inv.ID] {
			if r.Kind == ResponseViewOpened {
				return st.Views[r.ViewID], true
			}
		}
		return View{}, false
	})
}

func (s *Server) addResponseLocked(inv *Invocation, r Response) {
	r.At = s.now()
	s.st.Responses[inv.ID] = append(s.st.Responses[inv.ID], r)
	s.notifyLocked()
}

func (s *Server) newInvocationLocked(kind, user, channel string) *Invocation {
	inv := &Invocation{s: s, ID: fmt.Sprintf("inv%04d", s.nextSeqLocked()), Kind: kind, User: user, Channel: channel, At: s.now()}
	s.invocations[inv.ID] = inv
	if channel != "" {
		s.lastInv[user+"|"+channel] = inv
	}
	return inv
}

// --- registry -----------------------------------------------------------------

// AddUser registers (or replaces) a workspace member. An empty ID gets a
// generated "U…" id; empty TZ defaults to UTC. It returns the stored user.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == "" {
		u.ID = s.newIDLocked("U")
	}
	if u.Name == "" {
		u.Name = strings.ToLower(u.ID)
	}
	if u.RealName == "" {
		u.RealName = u.Name
	}
	if u.TZ == "" {
		u.TZ, u.TZLabel, u.TZOffset = "UTC", "Coordinated Universal Time", 0
	}
	if u.Locale == "" {
		u.Locale = "en-US"
	}
	s.st.Users[u.ID] = u
	s.notifyLocked()
	return u
}

// AddChannel registers (or replaces) a channel. An empty ID gets a generated
// "C…" ("G…" when private) id. Members empty means everybody is a member.
func (s *Server) AddChannel(c Channel) Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		p := "C"
		if c.IsPrivate {
			p = "G"
		}
		c.ID = s.newIDLocked(p)
	}
	if c.Created.IsZero() {
		c.Created = s.now()
	}
	s.st.Channels[c.ID] = c
	s.notifyLocked()
	return c
}

// DMChannel returns the id of the DM between the app and user (creating it).
func (s *Server) DMChannel(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmLocked(user)
}

func (s *Server) checkUserLocked(user string) (User, error) {
	u, ok := s.st.Users[user]
	if !ok {
		return User{}, fmt.Errorf("slacktest: unknown user %q (AddUser it first)", user)
	}
	if u.Deleted {
		return User{}, fmt.Errorf("slacktest: user %q is deactivated", user)
	}
	return u, nil
}

func (s *Server) checkChannelLocked(user, channel string) (Channel, error) {
	c, ok := s.st.Channels[channel]
	if !ok {
		return Channel{}, fmt.Errorf("slacktest: unknown channel %q (AddChannel it first)", channel)
	}
	if !s.isMemberLocked(c, user) {
		return Channel{}, fmt.Errorf("slacktest: user %q is not a member of %s", user, channel)
	}
	if c.IsArchived {
		return Channel{}, fmt.Errorf("slacktest: %s is archived", channel)
	}
	return c, nil
}

func (s *Server) userObjLocked(u User) map[string]any {
	return map[string]any{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": TeamID}
}

func teamObj() map[string]any { return map[string]any{"id": TeamID, "domain": TeamDomain} }

func channelType(c Channel) string {
	switch {
	case c.IsIM:
		return "im"
	case c.IsPrivate:
		return "group"
	}
	return "channel"
}

// --- slash commands -------------------------------------------------------------

// SlashCommand makes user run "command text" in channel. The app receives a
// slash_commands envelope with a fresh trigger_id and response_url.
func (s *Server) SlashCommand(user, channel, command, text string) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	c, err := s.checkChannelLocked(user, channel)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(command, "/") || len(command) > 32 || strings.ContainsAny(command, " \t\n") {
		return nil, fmt.Errorf("slacktest: invalid slash command %q", command)
	}
	enc := encodeEscaped
	if mc, ok := s.cfg.commands[command]; ok && !mc.ShouldEscape {
		enc = encodePlain
	} else if !ok && s.cfg.strictCommands {
		return nil, fmt.Errorf("slacktest: %s is not declared in the app manifest (Slack would not send it)", command)
	}
	typed := text
	if text, err = s.encodeTypedLocked(text, enc); err != nil {
		return nil, err
	}
	inv := s.newInvocationLocked(KindSlashCommand, user, channel)
	inv.TriggerID = s.newTriggerLocked(user, inv, "")
	inv.ResponseURL = s.newResponseURLLocked(inv, user, channel, "", "")
	name := c.Name
	if c.IsIM {
		name = "directmessage"
	}
	payload := mustJSON(slashPayload{
		Token: VerificationToken, TeamID: TeamID, TeamDomain: TeamDomain, ChannelID: channel,
		ChannelName: name, UserID: user, UserName: u.Name, Command: command, Text: text,
		APIAppID: AppID, IsEnterpriseInstall: "false", ResponseURL: inv.ResponseURL, TriggerID: inv.TriggerID,
	})
	inv.Payload = payload
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Channel: channel, Invocation: inv.ID,
		Text: fmt.Sprintf("%s in %s: %s", s.userNameLocked(user), s.channelNameLocked(channel), strings.TrimSpace(command+" "+typed))})
	s.enqueueLocked("slash_commands", command, payload, true, inv)
	return inv, nil
}

// slashPayload is a slash command's payload, its fields in the order Slack's
// (and a map's) encoding gives them; a struct encodes without sorting keys.
type slashPayload struct {
	APIAppID            string `json:"api_app_id"`
	ChannelID           string `json:"channel_id"`
	ChannelName         string `json:"channel_name"`
	Command             string `json:"command"`
	IsEnterpriseInstall string `json:"is_enterprise_install"`
	ResponseURL         string `json:"response_url"`
	TeamDomain          string `json:"team_domain"`
	TeamID              string `json:"team_id"`
	Text                string `json:"text"`
	Token               string `json:"token"`
	TriggerID           string `json:"trigger_id"`
	UserID              string `json:"user_id"`
	UserName            string `json:"user_name"`
}

// --- block actions ---------------------------------------------------------------

// Target is where a block action happens: a message or a view.
type Target struct {
	Channel string
	TS      string
	ViewID  string
}

// InMessage targets a message (regular or ephemeral) by channel and ts.
func InMessage(channel, ts string) Target { return Target{Channel: channel, TS: ts} }

// InView targets a modal or App Home view.
func InView(viewID string) Target { return Target{ViewID: viewID} }

// SelectOption is a select/checkbox option.
type SelectOption struct {
	Text  string
	Value string
}

// Action describes what the user does on an interactive element.
type Action struct {
	// ActionID identifies the element; BlockID disambiguates when several
	// blocks hold the same action_id.
	ActionID string
	BlockID  string
	// Value is the selected option value (static selects, overflow, radio
	// buttons), the typed text, the date (YYYY-MM-DD), the time (HH:MM) or
	// the selected user/conversation/channel id. Ignored for buttons.
	Value string
	// Values are the selected option values or ids of multi-selects and checkboxes.
	Values []string
	// Option is the chosen option of an external select.
	Option *SelectOption
}

type located struct {
	blockID string
	block   map[string]any
	element map[string]any
	inInput bool
}

// findElements lists the interactive elements of a blocks array.
func findElements(blocks json.RawMessage) []located {
	val, _ := decodeJSON(blocks)
	var out []located
	for _, b := range arr(val) {
		bm := obj(b)
		id := str(bm, "block_id")
		switch str(bm, "type") {
		case "actions":
			for _, e := range arr(bm["elements"]) {
				out = append(out, located{id, bm, obj(e), false})
			}
		case "section":
			if acc := obj(bm["accessory"]); acc != nil && str(acc, "type") != "image" {
				out = append(out, located{id, bm, acc, false})
			}
		case "input":
			if el := obj(bm["element"]); el != nil {
				out = append(out, located{id, bm, el, true})
			}
		}
	}
	return out
}

func findElement(blocks json.RawMessage, actionID, blockID string) (located, error) {
	var hits []located
	for _, l := range findElements(blocks) {
		if str(l.element, "action_id") == actionID && (blockID == "" || l.blockID == blockID) {
			hits = append(hits, l)
		}
	}
	switch len(hits) {
	case 0:
		return located{}, fmt.Errorf("slacktest: no element with action_id %q (block_id %q)", actionID, blockID)
	case 1:
		return hits[0], nil
	}
	return located{}, fmt.Errorf("slacktest: action_id %q is in several blocks; set Action.BlockID", actionID)
}

func findOption(el map[string]any, value string) (map[string]any, bool) {
	var all []any
	all = append(all, arr(el["options"])...)
	for _, g := range arr(el["option_groups"]) {
		all = append(all, arr(obj(g)["options"])...)
	}
	for _, o := range all {
		if str(obj(o), "value") == value {
			return obj(o), true
		}
	}
	return nil, false
}

func plainOption(o SelectOption) map[string]any {
	return map[string]any{"text": map[string]any{"type": "plain_text", "text": o.Text, "emoji": true}, "value": o.Value}
}

// stateValue builds the typed state value ({"type":…, "value"/"selected_…":…})
// of element el for the user's input; set=false yields the initial/empty state.
func (s *Server) stateValueLocked(el map[string]any, act Action, set bool) (map[string]any, error) {
	t := str(el, "type")
	out := map[string]any{"type": t}
	one := func(initialKey string) (any, error) {
		if !set {
			if io := el[initialKey]; io != nil {
				return io, nil
			}
			return nil, nil
		}
		if act.Value == "" {
			return nil, nil
		}
		o, ok := findOption(el, act.Value)
		if !ok {
			return nil, fmt.Errorf("slacktest: %s %q has no option with value %q", t, str(el, "action_id"), act.Value)
		}
		return o, nil
	}
	many := func() (any, error) {
		if !set {
			if io := arr(el["initial_options"]); io != nil {
				return io, nil
			}
			return []any{}, nil
		}
		list := []any{}
		for _, v := range act.Values {
			o, ok := findOption(el, v)
			if !ok {
				return nil, fmt.Errorf("slacktest: %s %q has no option with value %q", t, str(el, "action_id"), v)
			}
			list = append(list, o)
		}
		return list, nil
	}
	pick := func(initial string) any {
		if set {
			if act.Value == "" {
				return nil
			}
			return act.Value
		}
		if v := str(el, initial); v != "" {
			return v
		}
		return nil
	}
	var err error
	switch t {
	case "plain_text_input", "email_text_input", "url_text_input", "number_input":
		v := pick("initial_value")
		if sv, ok := v.(string); ok {
			if n, ok := intField(el, "max_length"); ok && runes(sv) > n {
				return nil, fmt.Errorf("slacktest: %q is longer than max_length %d", str(el, "action_id"), n)
			}
			if n, ok := intField(el, "min_length"); ok && runes(sv) < n {
				return nil, fmt.Errorf("slacktest: %q is shorter than min_length %d", str(el, "action_id"), n)
			}
		}
		out["value"] = v
	case "static_select", "radio_buttons", "overflow":
		out["selected_option"], err = one("initial_option")
	case "multi_static_select", "checkboxes":
		out["selected_options"], err = many()
	case "external_select":
		if set && act.Option != nil {
			out["selected_option"] = plainOption(*act.Option)
		} else if !set {
			out["selected_option"] = el["initial_option"]
		} else {
			out["selected_option"] = nil
		}
	case "multi_external_select":
		out["selected_options"] = []any{}
		if act.Option != nil && set {
			out["selected_options"] = []any{plainOption(*act.Option)}
		}
	case "datepicker":
		d := pick("initial_date")
		if ds, ok := d.(string); ok && !dateRe.MatchString(ds) {
			return nil, fmt.Errorf("slacktest: date %q is not YYYY-MM-DD", ds)
		}
		out["selected_date"] = d
	case "timepicker":
		out["selected_time"] = pick("initial_time")
	case "users_select":
		u := pick("initial_user")
		if us, ok := u.(string); ok && set {
			if _, known := s.st.Users[us]; !known {
				return nil, fmt.Errorf("slacktest: unknown user %q", us)
			}
		}
		out["selected_user"] = u
	case "multi_users_select":
		out["selected_users"] = listOr(act.Values, el["initial_users"], set)
	case "conversations_select":
		out["selected_conversation"] = pick("initial_conversation")
	case "multi_conversations_select":
		out["selected_conversations"] = listOr(act.Values, el["initial_conversations"], set)
	case "channels_select":
		out["selected_channel"] = pick("initial_channel")
	case "multi_channels_select":
		out["selected_channels"] = listOr(act.Values, el["initial_channels"], set)
	case "button":
	default:
		return nil, fmt.Errorf("slacktest: element type %q is not supported by the driver", t)
	}
	return out, err
}

func listOr(vals []string, initial any, set bool) any {
	if set {
		out := []any{}
		for _, v := range vals {
			out = append(out, v)
		}
		return out
	}
	if a := arr(initial); a != nil {
		return a
	}
	return []any{}
}

// isEmptyState reports whether a state value holds nothing.
func isEmptyState(v map[string]any) bool {
	for k, x := range v {
		if k == "type" {
			continue
		}
		switch y := x.(type) {
		case nil:
		case string:
			if y != "" {
				return false
			}
		case []any:
			if len(y) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// BlockAction makes user act on an interactive element of a message or view
// (click a button, pick an option…). The app receives a block_actions
// payload with a fresh trigger_id (and a response_url for messages).
func (s *Server) BlockAction(user string, target Target, act Action) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	var blocks json.RawMessage
	var view View
	var msg *Message
	if target.ViewID != "" {
		v, ok := s.st.Views[target.ViewID]
		if !ok || !v.Open || v.User != user {
			return nil, fmt.Errorf("slacktest: view %s is not open for %s", target.ViewID, user)
		}
		if v.Type == "modal" {
			stack := s.st.ModalStacks[user]
			if len(stack) == 0 || stack[len(stack)-1] != v.ID {
				return nil, fmt.Errorf("slacktest: view %s is not the visible (top) modal", v.ID)
			}
		}
		view, blocks = v, v.Blocks
	} else {
		m, ok := s.findMessageLocked(target.Channel, target.TS)
		if !ok || m.Deleted {
			return nil, fmt.Errorf("slacktest: no message %s in %s", target.TS, target.Channel)
		}
		if m.EphemeralTo != "" && m.EphemeralTo != user {
			return nil, fmt.Errorf("slacktest: ephemeral message %s is not visible to %s", m.TS, user)
		}
		msg, blocks = m, m.Blocks
	}
	loc, err := findElement(blocks, act.ActionID, act.BlockID)
	if err != nil {
		return nil, err
	}
	if loc.inInput {
		if isTextInput(loc.element) {
			return nil, fmt.Errorf("slacktest: %q is a text input: use Type or PressEnter", act.ActionID)
		}
		if d, _ := loc.block["dispatch_action"].(bool); !d {
			return nil, fmt.Errorf("slacktest: input block %q has no dispatch_action: Slack sends no block_actions for it", loc.blockID)
		}
	}
	sv, err := s.stateValueLocked(loc.element, act, true)
	if err != nil {
		return nil, err
	}
	if msg == nil && isStateful(loc.element) {
		s.setViewStateLocked(view.ID, loc.blockID, str(loc.element, "action_id"), sv)
	}
	return s.blockActionLocked(u, view, msg, loc, sv), nil
}

// viewBlockActionLocked sends the block_actions payload of an element of
// view whose state is already set.
func (s *Server) viewBlockActionLocked(u User, view View, loc located, sv map[string]any) *Invocation {
	return s.blockActionLocked(u, view, nil, loc, sv)
}

// blockActionLocked sends the block_actions payload of loc, an element of
// msg or (msg nil) of view, whose new state value is sv.
func (s *Server) blockActionLocked(u User, view View, msg *Message, loc located, sv map[string]any) *Invocation {
	user := u.ID
	now := s.now()
	actionTS := fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
	action := map[string]any{"action_id": str(loc.element, "action_id"), "block_id": loc.blockID, "action_ts": actionTS}
	for k, v := range sv {
		action[k] = v
	}
	if str(loc.element, "type") == "button" {
		action["text"] = loc.element["text"]
		if v, ok := loc.element["value"]; ok {
			action["value"] = v
		}
		if st := str(loc.element, "style"); st != "" {
			action["style"] = st
		}
	}
	channel := ""
	if msg != nil {
		channel = msg.Channel
	}
	inv := s.newInvocationLocked(KindBlockActions, user, channel)
	inv.ViewID = view.ID
	inv.TriggerID = s.newTriggerLocked(user, inv, view.ID)
	payload := map[string]any{
		"type": "block_actions", "user": s.userObjLocked(u), "api_app_id": AppID, "token": VerificationToken,
		"trigger_id": inv.TriggerID, "team": teamObj(), "enterprise": nil, "is_enterprise_install": false,
		"actions": []any{action},
	}
	if msg != nil {
		inv.MessageTS = msg.TS
		inv.ResponseURL = s.newResponseURLLocked(inv, user, msg.Channel, msg.Channel, msg.TS)
		container := map[string]any{"type": "message", "message_ts": msg.TS, "channel_id": msg.Channel, "is_ephemeral": msg.EphemeralTo != ""}
		if msg.ThreadTS != "" {
			container["thread_ts"] = msg.ThreadTS
		}
		payload["container"] = container
		payload["channel"] = map[string]any{"id": msg.Channel, "name": strings.TrimPrefix(s.channelNameLocked(msg.Channel), "#")}
		if msg.EphemeralTo == "" {
			payload["message"] = s.messageJSONLocked(*msg)
		}
		payload["state"] = map[string]any{"values": map[string]any{}}
		payload["response_url"] = inv.ResponseURL
	} else {
		state := s.viewStateValuesLocked(view)
		payload["container"] = map[string]any{"type": "view", "view_id": view.ID}
		payload["view"] = s.viewObjectLocked(view, nil, state)
		payload["state"] = map[string]any{"values": state}
	}
	inv.Payload = mustJSON(payload)
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Channel: channel, Invocation: inv.ID, Text: s.describeActionLocked(user, loc.element, sv, msg, view)})
	s.enqueueLocked("interactive", "block_actions", inv.Payload, true, inv)
	return inv
}

func isMulti(el map[string]any) bool {
	t := str(el, "type")
	return strings.HasPrefix(t, "multi_") || t == "checkboxes"
}

func isStateful(el map[string]any) bool {
	switch str(el, "type") {
	case "button", "overflow", "workflow_button":
		return false
	}
	return true
}

func (s *Server) setViewStateLocked(viewID, blockID, actionID string, v map[string]any) {
	if s.viewState[viewID] == nil {
		s.viewState[viewID] = map[string]map[string]any{}
	}
	if s.viewState[viewID][blockID] == nil {
		s.viewState[viewID][blockID] = map[string]any{}
	}
	s.viewState[viewID][blockID][actionID] = v
}

// viewStateValuesLocked returns view.state.values: every stateful element,
// with what the user set or its initial value.
func (s *Server) viewStateValuesLocked(v View) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, l := range findElements(v.Blocks) {
		if !isStateful(l.element) {
			continue
		}
		aid := str(l.element, "action_id")
		val, ok := s.viewState[v.ID][l.blockID][aid]
		if !ok {
			if !l.inInput {
				continue
			}
			iv, err := s.stateValueLocked(l.element, Action{}, false)
			if err != nil {
				continue
			}
			val = iv
		}
		if out[l.blockID] == nil {
			out[l.blockID] = map[string]any{}
		}
		out[l.blockID][aid] = val
	}
	return out
}

// --- view submission ---------------------------------------------------------------

// Values are form values for SubmitView, keyed by action_id, block_id or
// "block_id.action_id". A value is a string (text, option value, date,
// time, user/conversation id), a []string (multi-selects, checkboxes) or a
// SelectOption (external selects).
type Values map[string]any

// SubmitView makes user press Submit on its visible modal viewID. Values
// are validated like the Slack client does (required inputs, known options,
// min/max length); the app receives a view_submission payload with
// view.state.values. When the ack arrives its response_action is applied:
// none closes the view, "update" replaces it, "push" pushes one, "clear"
// closes the stack, "errors" keeps it open (see Ack.Errors).
func (s *Server) SubmitView(user, viewID string, values Values) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	v, err := s.topModalLocked(user, viewID)
	if err != nil {
		return nil, err
	}
	if v.Submit == "" {
		return nil, fmt.Errorf("slacktest: view %s has no submit button", viewID)
	}
	used := map[string]bool{}
	lookup := func(blockID, actionID string) (any, bool) {
		for _, k := range []string{blockID + "." + actionID, actionID, blockID} {
			if x, ok := values[k]; ok {
				used[k] = true
				return x, true
			}
		}
		return nil, false
	}
	var labels []string
	for _, l := range findElements(v.Blocks) {
		if !l.inInput {
			continue
		}
		aid := str(l.element, "action_id")
		x, ok := lookup(l.blockID, aid)
		label := str(obj(l.block["label"]), "text")
		if ok {
			act := Action{ActionID: aid}
			switch y := x.(type) {
			case string:
				act.Value, act.Values = y, []string{y}
			case []string:
				act.Values = y
			case SelectOption:
				act.Option = &y
			case *SelectOption:
				act.Option = y
			default:
				return nil, fmt.Errorf("slacktest: value for %q has unsupported type %T", aid, x)
			}
			if _, isList := x.([]string); isList && !isMulti(l.element) {
				return nil, fmt.Errorf("slacktest: %q takes a single value, got a list", aid)
			}
			sv, err := s.stateValueLocked(l.element, act, true)
			if err != nil {
				return nil, err
			}
			s.setViewStateLocked(v.ID, l.blockID, aid, sv)
			labels = append(labels, fmt.Sprintf("%s=%v", label, x))
		}
	}
	for k := range values {
		if !used[k] {
			return nil, fmt.Errorf("slacktest: value %q matches no input in view %s", k, viewID)
		}
	}
	state := s.viewStateValuesLocked(v)
	for _, l := range findElements(v.Blocks) {
		if !l.inInput {
			continue
		}
		if opt, _ := l.block["optional"].(bool); opt {
			continue
		}
		if sv := obj(state[l.blockID][str(l.element, "action_id")]); sv == nil || isEmptyState(sv) {
			return nil, fmt.Errorf("slacktest: required input %q (block %s) is empty: the Slack client would not submit", str(obj(l.block["label"]), "text"), l.blockID)
		}
	}
	inv := s.newInvocationLocked(KindViewSubmission, user, "")
	inv.ViewID = v.ID
	inv.TriggerID = s.newTriggerLocked(user, inv, v.ID)
	inv.Payload = mustJSON(map[string]any{
		"type": "view_submission", "team": teamObj(), "user": s.userObjLocked(u), "api_app_id": AppID,
		"token": VerificationToken, "trigger_id": inv.TriggerID, "view": s.viewObjectLocked(v, nil, state),
		"response_urls": []any{}, "is_enterprise_install": false, "enterprise": nil,
	})
	sort.Strings(labels)
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Invocation: inv.ID,
		Text: fmt.Sprintf("%s submitted %q: %s", s.userNameLocked(user), v.Title, strings.Join(labels, ", "))})
	s.enqueueLocked("interactive", "view_submission", inv.Payload, true, inv)
	return inv, nil
}

func (s *Server) topModalLocked(user, viewID string) (View, error) {
	stack := s.st.ModalStacks[user]
	if len(stack) == 0 || stack[len(stack)-1] != viewID {
		return View{}, fmt.Errorf("slacktest: view %s is not the visible modal of %s", viewID, user)
	}
	return s.st.Views[viewID], nil
}

// CloseView makes user close its visible modal viewID (the X / Close
// button). The view is popped (the whole stack with clear_on_close). If the
// view has notify_on_close the app gets a view_closed payload and the
// returned invocation is non-nil.
func (s *Server) CloseView(user, viewID string) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	v, err := s.topModalLocked(user, viewID)
	if err != nil {
		return nil, err
	}
	state := s.viewStateValuesLocked(v)
	if v.ClearOnClose {
		s.closeStackLocked(user)
	} else {
		s.popModalLocked(user)
	}
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Text: fmt.Sprintf("%s closed %q", s.userNameLocked(user), v.Title)})
	if !v.NotifyOnClose {
		s.notifyLocked()
		return nil, nil
	}
	inv := s.newInvocationLocked(KindViewClosed, user, "")
	inv.ViewID = v.ID
	inv.Payload = mustJSON(map[string]any{
		"type": "view_closed", "team": teamObj(), "user": s.userObjLocked(u), "api_app_id": AppID,
		"token": VerificationToken, "view": s.viewObjectLocked(v, nil, state), "is_cleared": v.ClearOnClose,
		"is_enterprise_install": false, "enterprise": nil,
	})
	s.enqueueLocked("interactive", "view_closed", inv.Payload, true, inv)
	return inv, nil
}

func (s *Server) popModalLocked(user string) {
	stack := s.st.ModalStacks[user]
	if len(stack) == 0 {
		return
	}
	top := stack[len(stack)-1]
	v := s.st.Views[top]
	v.Open = false
	s.st.Views[top] = v
	if len(stack) == 1 {
		delete(s.st.ModalStacks, user)
	} else {
		s.st.ModalStacks[user] = stack[:len(stack)-1]
	}
}

// BlockSuggestion makes user type value into the external select actionID
// of view viewID and returns the options the app answered with. Like Slack,
// nothing is sent (nil, nil) when value is shorter than min_query_length
// (default 3).
func (s *Server) BlockSuggestion(ctx context.Context, user, viewID, actionID, value string) ([]SelectOption, error) {
	s.mu.Lock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	v, ok := s.st.Views[viewID]
	if !ok || !v.Open || v.User != user {
		s.mu.Unlock()
		return nil, fmt.Errorf("slacktest: view %s is not open for %s", viewID, user)
	}
	loc, err := findElement(v.Blocks, actionID, "")
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if t := str(loc.element, "type"); t != "external_select" && t != "multi_external_select" {
		s.mu.Unlock()
		return nil, fmt.Errorf("slacktest: %q is a %s, not an external select", actionID, t)
	}
	minLen := 3
	if n, ok := intField(loc.element, "min_query_length"); ok {
		minLen = n
	}
	if runes(value) < minLen {
		s.mu.Unlock()
		return nil, nil
	}
	inv := s.newInvocationLocked(KindBlockSuggestion, user, "")
	inv.ViewID = v.ID
	inv.Payload = mustJSON(map[string]any{
		"type": "block_suggestion", "user": s.userObjLocked(u), "container": map[string]any{"type": "view", "view_id": v.ID},
		"api_app_id": AppID, "token": VerificationToken, "action_id": actionID, "block_id": loc.blockID, "value": value,
		"team": teamObj(), "view": s.viewObjectLocked(v, nil, s.viewStateValuesLocked(v)), "enterprise": nil, "is_enterprise_install": false,
	})
	s.enqueueLocked("interactive", "block_suggestion", inv.Payload, true, inv)
	s.mu.Unlock()

	ack, err := inv.WaitAck(ctx)
	if err != nil {
		return nil, err
	}
	if ack.Rejected != "" {
		return nil, fmt.Errorf("slacktest: block_suggestion ack rejected: %s %v", ack.Rejected, ack.RejectMessages)
	}
	var resp struct {
		Options []struct {
			Text  struct{ Text string } `json:"text"`
			Value string                `json:"value"`
		} `json:"options"`
		OptionGroups []struct {
			Options []struct {
				Text  struct{ Text string } `json:"text"`
				Value string                `json:"value"`
			} `json:"options"`
		} `json:"option_groups"`
	}
	_ = json.Unmarshal(ack.Payload, &resp)
	var out []SelectOption
	for _, o := range resp.Options {
		out = append(out, SelectOption{Text: o.Text.Text, Value: o.Value})
	}
	for _, g := range resp.OptionGroups {
		for _, o := range g.Options {
			out = append(out, SelectOption{Text: o.Text.Text, Value: o.Value})
		}
	}
	return out, nil
}

// Shortcut makes user trigger the global shortcut callbackID.
func (s *Server) Shortcut(user, callbackID string) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	inv := s.newInvocationLocked(KindShortcut, user, "")
	inv.TriggerID = s.newTriggerLocked(user, inv, "")
	now := s.now()
	inv.Payload = mustJSON(map[string]any{
		"type": "shortcut", "token": VerificationToken, "action_ts": fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000),
		"team": teamObj(), "user": map[string]any{"id": u.ID, "username": u.Name, "team_id": TeamID},
		"is_enterprise_install": false, "enterprise": nil, "callback_id": callbackID, "trigger_id": inv.TriggerID,
	})
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Invocation: inv.ID, Text: fmt.Sprintf("%s used shortcut %q", s.userNameLocked(user), callbackID)})
	s.enqueueLocked("interactive", "shortcut", inv.Payload, true, inv)
	return inv, nil
}

// --- events --------------------------------------------------------------------------

func (s *Server) eventEnvelopeLocked(inv *Invocation, event map[string]any) {
	outer := map[string]any{
		"token": VerificationToken, "team_id": TeamID, "api_app_id": AppID, "event": event,
		"type": "event_callback", "event_id": s.newIDLocked("Ev"), "event_time": s.now().Unix(),
		"authorizations":        []any{map[string]any{"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false}},
		"is_ext_shared_channel": false, "event_context": "4-" + s.randAlnumLocked(40),
	}
	inv.Payload = mustJSON(outer)
	s.enqueueLocked("events_api", str(event, "type"), inv.Payload, false, inv)
}

// Message makes user post text in channel (in the thread threadTS if not
// empty); the app receives an events_api message event, its text encoded
// as Slack encodes it (see the typing convention in typing.go: mentions
// <@U…>, links <url|label>, &, <, > as entities). Invocation.MessageTS is
// the new message's ts. A message from a bot user (User.IsBot) carries a
// bot_id, as Slack's do.
//
// The app hears only of messages in conversations it is a member of and
// its bot_events subscribe to (message.channels in public channels,
// message.groups in private ones, message.im in its DMs): for any other,
// the message is posted and ErrNotSubscribed returned with the invocation.
// A user can write to the app's DM only when its Messages tab is on and not
// read-only.
func (s *Server) Message(user, channel, text, threadTS string) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.checkUserLocked(user)
	if err != nil {
		return nil, err
	}
	c, err := s.checkChannelLocked(user, channel)
	if err != nil {
		return nil, err
	}
	if c.IsIM && !s.cfg.messagesTab {
		return nil, fmt.Errorf("slacktest: the app's Messages tab is off or read-only: %s cannot write to it", user)
	}
	if threadTS != "" {
		if _, ok := s.findMessageLocked(channel, threadTS); !ok {
			return nil, fmt.Errorf("slacktest: no message %s in %s to reply to", threadTS, channel)
		}
	}
	if text == "" || runes(text) > MaxMessageText {
		return nil, fmt.Errorf("slacktest: message text must have 1..%d characters", MaxMessageText)
	}
	typed := text
	if text, err = s.encodeTypedLocked(text, encodeMessage); err != nil {
		return nil, err
	}
	ts := s.newTSLocked()
	s.st.Messages[channel] = append(s.st.Messages[channel], Message{Channel: channel, TS: ts, ThreadTS: threadTS, User: user, Text: text, Source: "user", At: s.now()})
	inv := s.newInvocationLocked(KindMessage, user, channel)
	inv.MessageTS = ts
	ev := map[string]any{
		"client_msg_id": s.envelopeIDLocked(), "type": "message", "text": text, "user": user, "ts": ts, "team": TeamID,
		"channel": channel, "event_ts": ts, "channel_type": channelType(c),
	}
	if u.IsBot {
		ev["bot_id"] = "B" + strings.TrimPrefix(user, "U")
		delete(ev, "client_msg_id")
	}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	where := s.channelNameLocked(channel)
	if threadTS != "" {
		where += " (thread " + threadTS + ")"
	}
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Channel: channel, Invocation: inv.ID, Text: fmt.Sprintf("%s in %s: %s", s.userNameLocked(user), where, typed)})
	if !s.subscribedLocked(messageEvent(c)) || !s.isMemberLocked(c, BotUserID) {
		return inv, ErrNotSubscribed
	}
	s.eventEnvelopeLocked(inv, ev)
	return inv, nil
}

// messageEvent is the event type a message in c is delivered as.
func messageEvent(c Channel) string {
	switch {
	case c.IsIM:
		return "message.im"
	case c.IsPrivate:
		return "message.groups"
	}
	return "message.channels"
}

// echoLocked tells the app of its own message m (chat.postMessage), as
// Slack does wherever the app hears of messages: the event carries the
// app's bot_id, and an app that answers messages must recognise its own
// words or talk to itself forever. Edits (message_changed) are not sent.
func (s *Server) echoLocked(m Message) {
	c, ok := s.st.Channels[m.Channel]
	if !ok || !s.subscribedLocked(messageEvent(c)) || !s.isMemberLocked(c, BotUserID) {
		return
	}
	ev := map[string]any{
		"type": "message", "text": m.Text, "user": BotUserID, "bot_id": BotID, "app_id": AppID, "ts": m.TS,
		"team": TeamID, "channel": m.Channel, "event_ts": m.TS, "channel_type": channelType(c),
	}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
	}
	inv := s.newInvocationLocked(KindMessage, BotUserID, "")
	inv.Channel, inv.MessageTS = m.Channel, m.TS
	s.eventEnvelopeLocked(inv, ev)
}

// AppHomeOpened makes user open the app's Home tab; the app receives an
// app_home_opened event (with the published view, if any).
func (s *Server) AppHomeOpened(user string) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.checkUserLocked(user); err != nil {
		return nil, err
	}
	dm := s.dmLocked(user)
	inv := s.newInvocationLocked(KindAppHomeOpened, user, dm)
	ts := s.newTSLocked()
	ev := map[string]any{"type": "app_home_opened", "user": user, "channel": dm, "tab": "home", "event_ts": ts}
	if id, ok := s.st.HomeViews[user]; ok {
		v := s.st.Views[id]
		ev["view"] = s.viewObjectLocked(v, nil, nil)
		inv.ViewID = id
	}
	s.emitLocked(Line{Kind: LineUser, Actor: s.userNameLocked(user), Text: s.userNameLocked(user) + " opened the app Home"})
	s.eventEnvelopeLocked(inv, ev)
	return inv, nil
}

// --- ack processing ------------------------------------------------------------------

func (s *Server) rejectAck(a *Ack, code string, msgs ...string) {
	a.Rejected = code
	a.RejectMessages = msgs
	s.st.Warnings = append(s.st.Warnings, fmt.Sprintf("ack %s rejected: %s %v", a.EnvelopeID, code, msgs))
}

// processAckLocked validates an ack payload and applies it like Slack.
func (s *Server) processAckLocked(e *envelope, a *Ack) {
	inv := e.inv
	if inv != nil {
		s.acking = inv.ID // the lines the ack makes are its invocation's
		defer func() { s.acking = "" }()
	}
	rec := *s.envRecLocked(e)
	switch {
	case rec.Type == "slash_commands":
		s.ackSlashLocked(inv, a)
	case rec.Subtype == "view_submission":
		s.ackSubmissionLocked(inv, a)
	case rec.Subtype == "block_suggestion":
		if a.Payload == nil {
			s.rejectAck(a, "no_options", "[ERROR] block_suggestion ack needs options")
		} else if msgs := validateOptions(a.Payload); len(msgs) > 0 {
			s.rejectAck(a, "invalid_options", msgs...)
		}
	}
}

// slashAck is a slash command's ack payload, decoded and checked. The same
// payload bytes (the help, a frequent error) are decoded once.
type slashAck struct {
	text, responseType string
	empty              bool
	code               string
	msgs               []string
	blocks             json.RawMessage
}

func (s *Server) ackSlashLocked(inv *Invocation, a *Ack) {
	if a.Payload == nil || inv == nil {
		return
	}
	p, ok := s.slashAcks[string(a.Payload)]
	if !ok {
		var raw struct {
			Text         string          `json:"text"`
			Blocks       json.RawMessage `json:"blocks"`
			ResponseType string          `json:"response_type"`
		}
		if err := json.Unmarshal(a.Payload, &raw); err != nil {
			s.rejectAck(a, "invalid_payload", "[ERROR] ack payload must be a JSON object")
			return
		}
		p = slashAck{text: raw.Text, responseType: raw.ResponseType, empty: raw.Text == "" && len(raw.Blocks) == 0}
		if !p.empty {
			p.code, p.msgs, _, p.blocks = s.checkMessageLocked(raw.Text, raw.Blocks, false)
		}
		memoPut(&s.slashAcks, string(a.Payload), p)
	}
	if p.empty {
		return
	}
	if p.code != "" {
		s.rejectAck(a, p.code, p.msgs...)
		return
	}
	m := Message{Channel: inv.Channel, Text: p.text, Blocks: p.blocks, Source: "ack"}
	rt := "ephemeral"
	if p.responseType == "in_channel" {
		rt = "in_channel"
	} else {
		m.EphemeralTo = inv.User
	}
	m = s.addBotMessageLocked(m)
	s.addResponseLocked(inv, Response{Kind: ResponseAck, Channel: m.Channel, TS: m.TS, ResponseType: rt, Text: m.Text, Blocks: m.Blocks})
}

func (s *Server) ackSubmissionLocked(inv *Invocation, a *Ack) {
	if inv == nil {
		return
	}
	user := inv.User
	stack := s.st.ModalStacks[user]
	if len(stack) == 0 || stack[len(stack)-1] != inv.ViewID {
		// The view is no longer visible (closed or replaced meanwhile).
		if a.Payload != nil {
			s.rejectAck(a, "view_not_visible", "[ERROR] the submitted view is no longer the visible modal")
		}
		return
	}
	var p struct {
		ResponseAction string            `json:"response_action"`
		View           json.RawMessage   `json:"view"`
		Errors         map[string]string `json:"errors"`
	}
	if a.Payload != nil {
		if err := json.Unmarshal(a.Payload, &p); err != nil {
			s.rejectAck(a, "invalid_payload", "[ERROR] ack payload must be a JSON object")
			return
		}
	}
	a.ResponseAction = p.ResponseAction
	v := s.st.Views[inv.ViewID]
	switch p.ResponseAction {
	case "":
		if a.Payload != nil && string(a.Payload) != "{}" {
			s.rejectAck(a, "invalid_response_action", "[ERROR] missing response_action [json-pointer:/response_action]")
			return
		}
		s.popModalLocked(user)
		s.emitLocked(Line{Kind: LineBot, Actor: BotName, Text: fmt.Sprintf("%s closed modal %q for %s", BotName, v.Title, s.userNameLocked(user))})
	case "errors":
		if len(p.Errors) == 0 {
			s.rejectAck(a, "invalid_errors", "[ERROR] errors must not be empty [json-pointer:/errors]")
			return
		}
		inputs := map[string]bool{}
		for _, l := range findElements(v.Blocks) {
			if l.inInput {
				inputs[l.blockID] = true
			}
		}
		var bad []string
		for k := range p.Errors {
			if !inputs[k] {
				bad = append(bad, fmt.Sprintf("[ERROR] %q is not the block_id of an input block in the view [json-pointer:/errors/%s]", k, k))
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			s.rejectAck(a, "invalid_errors", bad...)
			return
		}
		a.Errors = p.Errors
		s.addResponseLocked(inv, Response{Kind: ResponseAck, ViewID: v.ID, ResponseAction: "errors", Errors: p.Errors})
		keys := make([]string, 0, len(p.Errors))
		for k, msg := range p.Errors {
			keys = append(keys, k+": "+msg)
		}
		sort.Strings(keys)
		s.emitLocked(Line{Kind: LineBot, Actor: BotName, Text: fmt.Sprintf("%s rejected %q: %s", BotName, v.Title, strings.Join(keys, "; "))})
	case "update", "push":
		if len(p.View) == 0 {
			s.rejectAck(a, "invalid_arguments", "[ERROR] missing view [json-pointer:/view]")
			return
		}
		if code, msgs := validateView(p.View, surfaceModal); code != "" {
			s.rejectAck(a, code, msgs...)
			return
		}
		if p.ResponseAction == "update" {
			s.applyViewLocked(&v, p.View)
			s.keepStateLocked(v)
			v.Updates++
			s.putViewLocked(v)
			s.emitViewLocked(v, "updated")
			s.addResponseLocked(inv, Response{Kind: ResponseAck, ViewID: v.ID, ResponseAction: "update", Text: v.Title, Blocks: v.Blocks})
			return
		}
		if len(stack) >= MaxPushedViews {
			s.rejectAck(a, "push_limit_reached")
			return
		}
		nv := s.openModalLocked(user, "", p.View, true)
		s.addResponseLocked(inv, Response{Kind: ResponseAck, ViewID: nv.ID, ResponseAction: "push", Text: nv.Title, Blocks: nv.Blocks})
	case "clear":
		s.closeStackLocked(user)
		s.addResponseLocked(inv, Response{Kind: ResponseAck, ViewID: v.ID, ResponseAction: "clear"})
		s.emitLocked(Line{Kind: LineBot, Actor: BotName, Text: fmt.Sprintf("%s closed all modals of %s", BotName, s.userNameLocked(user))})
	default:
		s.rejectAck(a, "invalid_response_action", fmt.Sprintf("[ERROR] response_action must be one of errors, update, push, clear, got %q [json-pointer:/response_action]", p.ResponseAction))
	}
}
