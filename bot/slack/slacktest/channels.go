package slacktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/dealpilot/dealpilot/manifests"
)

// Channel membership as Slack has it: the app sees and posts only where it
// was invited. A public channel it is not in answers not_in_channel (unless
// the app holds chat:write.public, and then only for chat.postMessage); a
// private channel it is not in does not exist for it (channel_not_found);
// an archived channel answers is_archived.

// isMemberLocked reports whether user is in c. A DM holds its user and the
// app. A channel whose Members name no human user holds every human user
// (a convenience for tests); the app (and any bot user) is a member only
// when listed, as it is only after someone invites it.
func (s *Server) isMemberLocked(c Channel, user string) bool {
	if c.IsIM {
		return user == c.User || user == BotUserID
	}
	if contains(c.Members, user) {
		return true
	}
	if u, ok := s.st.Users[user]; ok && u.IsBot {
		return false
	}
	for _, m := range c.Members {
		if u, ok := s.st.Users[m]; !ok || !u.IsBot {
			return false // the list names humans, and not this one
		}
	}
	return true
}

// chatWritePublicLocked reports whether the app holds chat:write.public,
// which lets chat.postMessage (only) post in public channels it has not
// joined.
func (s *Server) chatWritePublicLocked() bool {
	return slices.Contains(s.grantedLocked("bot"), "chat:write.public")
}

// postableLocked checks that the app may post in channel id (already
// resolved): "" when it may, else Slack's error code. public says whether
// chat:write.public would let a non-member post (chat.postMessage only).
func (s *Server) postableLocked(id string, public bool) string {
	c, ok := s.st.Channels[id]
	if !ok {
		return "channel_not_found"
	}
	member := s.isMemberLocked(c, BotUserID)
	switch {
	case (c.IsPrivate || c.IsIM) && !member:
		return "channel_not_found"
	case c.IsArchived:
		return "is_archived"
	case member:
		return ""
	case public && s.chatWritePublicLocked():
		return ""
	}
	return "not_in_channel"
}

// Invite adds user (a person or BotUserID) to channel, as a member who
// types /invite there would; inviter ("" for none) is who did it. Like
// Slack it sends the app a member_joined_channel event when the app is a
// member of the channel after the join (so also when the app itself is the
// one invited), subscribes to the event (see WithBotEvents) and holds
// channels:read (groups:read for a private channel).
func (s *Server) Invite(channel, user, inviter string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Channels[channel]
	if !ok || c.IsIM {
		return fmt.Errorf("slacktest: unknown channel %q (AddChannel it first; DMs take no invites)", channel)
	}
	if c.IsArchived {
		return fmt.Errorf("slacktest: %s is archived", s.channelNameLocked(channel))
	}
	u, ok := s.st.Users[user]
	if !ok || u.Deleted {
		return fmt.Errorf("slacktest: unknown user %q (AddUser it first)", user)
	}
	if s.isMemberLocked(c, user) {
		return fmt.Errorf("slacktest: %s is already in %s", s.userNameLocked(user), s.channelNameLocked(channel))
	}
	c.Members = append(append([]string(nil), c.Members...), user)
	s.st.Channels[channel] = c
	actor, line := s.userNameLocked(user), s.userNameLocked(user)+" joined "+s.channelNameLocked(channel)
	if inviter != "" {
		actor = s.userNameLocked(inviter)
		line = actor + " invited " + s.userNameLocked(user) + " to " + s.channelNameLocked(channel)
	}
	s.emitLocked(Line{Kind: LineUser, Actor: actor, Channel: channel, Text: line})
	if s.isMemberLocked(c, BotUserID) && s.subscribedLocked("member_joined_channel") &&
		slices.Contains(s.grantedLocked("bot"), conversationKind(c)+":read") {
		inv := s.newInvocationLocked(KindMemberJoined, user, "")
		inv.Channel = channel
		ev := map[string]any{"type": "member_joined_channel", "user": user, "channel": channel,
			"channel_type": channelTypeLetter(c), "team": TeamID, "event_ts": s.newTSLocked()}
		if inviter != "" {
			ev["inviter"] = inviter
		}
		s.eventEnvelopeLocked(inv, ev)
	}
	s.notifyLocked()
	return nil
}

// Archive archives channel: posts there answer is_archived from now on.
func (s *Server) Archive(channel string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Channels[channel]
	if !ok || c.IsIM {
		return fmt.Errorf("slacktest: unknown channel %q", channel)
	}
	c.IsArchived = true
	s.st.Channels[channel] = c
	s.emitLocked(Line{Kind: LineUser, Actor: "slack", Channel: channel, Text: s.channelNameLocked(channel) + " was archived"})
	s.notifyLocked()
	return nil
}

// subscribedLocked reports whether the app subscribes to the bot event
// (by default, the manifest's bot_events).
func (s *Server) subscribedLocked(event string) bool {
	if s.cfg.botEvents == nil {
		return slices.Contains(manifests.BotEvents(), event)
	}
	return contains(s.cfg.botEvents, event)
}

// channelTypeLetter is member_joined_channel's channel_type: "C" public,
// "G" private.
func channelTypeLetter(c Channel) string {
	if c.IsPrivate {
		return "G"
	}
	return "C"
}

// numMembersLocked counts the members of c, as conversations.info's
// num_members.
func (s *Server) numMembersLocked(c Channel) int {
	n := 0
	for id := range s.st.Users {
		if s.isMemberLocked(c, id) {
			n++
		}
	}
	return n
}

// parseMetadata checks chat.postMessage's metadata: an object with an
// event_type and an event_payload object ("" code when absent or valid).
func parseMetadata(raw []byte) (json.RawMessage, string) {
	if len(raw) == 0 {
		return nil, ""
	}
	var md struct {
		EventType    string         `json:"event_type"`
		EventPayload map[string]any `json:"event_payload"`
	}
	if err := json.Unmarshal(raw, &md); err != nil || md.EventType == "" || md.EventPayload == nil {
		return nil, "invalid_metadata_format"
	}
	return mustJSON(md), ""
}

// readableLocked checks that the app may read channel's history: "" or
// Slack's error code (not_in_channel for a public channel it is not in).
func (s *Server) readableLocked(id string) string {
	c, ok := s.st.Channels[id]
	if !ok {
		return "channel_not_found"
	}
	if s.isMemberLocked(c, BotUserID) {
		return ""
	}
	if c.IsPrivate || c.IsIM {
		return "channel_not_found"
	}
	return "not_in_channel"
}

// historyJSONLocked is a message as conversations.history/replies return
// it: metadata only when asked for.
func (s *Server) historyJSONLocked(m Message, withMeta bool) map[string]any {
	out := s.messageJSONLocked(m)
	if !withMeta {
		delete(out, "metadata")
	}
	return out
}

// apiConversationsHistory returns the channel's messages, newest first,
// thread replies left out (conversations.replies has them).
func (s *Server) apiConversationsHistory(r *apiReq) apiResult {
	ch := r.str("channel")
	if code := s.readableLocked(ch); code != "" {
		return slackErr(code)
	}
	limit := 100
	if n, err := strconv.Atoi(r.str("limit")); err == nil && n > 0 && n < 1000 {
		limit = n
	}
	withMeta := r.str("include_all_metadata") == "1" || r.str("include_all_metadata") == "true"
	oldest, latest := r.str("oldest"), r.str("latest")
	list := s.st.Messages[ch]
	out := []map[string]any{}
	for i := len(list) - 1; i >= 0 && len(out) < limit; i-- {
		m := list[i]
		if m.Deleted || (m.ThreadTS != "" && m.ThreadTS != m.TS) ||
			(oldest != "" && tsLess(m.TS, oldest)) || (latest != "" && !tsLess(m.TS, latest)) {
			continue
		}
		out = append(out, s.historyJSONLocked(m, withMeta))
	}
	return apiResult{"ok": true, "messages": out, "has_more": false}
}

// apiConversationsReplies returns a thread: its parent, then the replies.
func (s *Server) apiConversationsReplies(r *apiReq) apiResult {
	ch, ts := r.str("channel"), r.str("ts")
	if code := s.readableLocked(ch); code != "" {
		return slackErr(code)
	}
	if _, ok := s.findMessageLocked(ch, ts); !ok {
		return slackErr("thread_not_found")
	}
	withMeta := r.str("include_all_metadata") == "1" || r.str("include_all_metadata") == "true"
	out := []map[string]any{}
	for _, m := range s.st.Messages[ch] {
		if !m.Deleted && (m.TS == ts || m.ThreadTS == ts) {
			out = append(out, s.historyJSONLocked(m, withMeta))
		}
	}
	return apiResult{"ok": true, "messages": out, "has_more": false}
}

// tsLess compares message timestamps "sec.micro".
func tsLess(a, b string) bool {
	fa, _ := strconv.ParseFloat(a, 64)
	fb, _ := strconv.ParseFloat(b, 64)
	return fa < fb
}
