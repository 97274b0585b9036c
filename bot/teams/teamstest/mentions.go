package teamstest

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// atTag is a mention's markup in a message's text.
var atTag = regexp.MustCompile(`<at>.*?</at>`)

// checkMentions says why Teams could not have sent message a (nil when it
// could): every <at>…</at> in its text comes with a mention entity of
// that text, as a Teams client sends a mention; a user typing "<at>"
// literally has it sent escaped (&lt;at&gt;).
func checkMentions(a Activity) error {
	if a.Type != "message" {
		return nil
	}
	have := map[string]bool{}
	for _, raw := range a.Entities {
		var m struct {
			Type      string   `json:"type"`
			Text      string   `json:"text"`
			Mentioned *Account `json:"mentioned"`
		}
		if json.Unmarshal(raw, &m) == nil && m.Type == "mention" && m.Mentioned != nil && m.Mentioned.ID != "" {
			have[m.Text] = true
		}
	}
	for _, tag := range atTag.FindAllString(a.Text, -1) {
		if !have[tag] {
			return fmt.Errorf("teamstest: the text has %s without its mention entity: Teams sends a mention with one, and a typed \"<at>\" escaped (DeliverCrafted for a tampered client)", tag)
		}
	}
	return nil
}

// RSCChannelMessages is the resource-specific consent permission with
// which a team's owner lets an app's bot receive every message of the
// team's channels, not only those that mention it (Microsoft Learn,
// "Receive all conversation messages").
const RSCChannelMessages = "ChannelMessage.Read.Group"

// ErrNotMentioned is why Deliver refuses a channel message (a thread reply
// included) that does not mention the bot: Teams never hands it to the bot
// unless the app's manifest declares RSCChannelMessages.
var ErrNotMentioned = errors.New("teamstest: Teams delivers a channel message to a bot only when it mentions the bot, unless the app's manifest declares the RSC permission " + RSCChannelMessages)

// checkHeard says why Teams would not hand message a to the bot (nil when
// it would): in a channel, a message someone types reaches the bot only
// when it mentions the bot, unless the manifest grants
// RSCChannelMessages. A 1:1 chat's messages always do; so does a card's
// Action.Submit (a message with a value), which Teams sends to the bot
// whose card it is.
func (s *Server) checkHeard(a Activity) error {
	if a.Type != "message" || len(a.Value) > 0 || a.Conversation == nil {
		return nil
	}
	s.mu.Lock()
	kind := a.Conversation.ConversationType
	if c := s.convs[baseConversation(a.Conversation.ID)]; c != nil {
		kind = c.kind
	}
	granted := s.rsc[RSCChannelMessages]
	s.mu.Unlock()
	if kind != "channel" || granted || mentions(a, s.Bot().ID) {
		return nil
	}
	return fmt.Errorf("%w (%q in %s)", ErrNotMentioned, a.Text, a.Conversation.ID)
}

// mentions reports whether message a mentions the account id: a mention
// entity naming it, whose <at> text is in the message.
func mentions(a Activity, id string) bool {
	for _, raw := range a.Entities {
		var m struct {
			Type      string   `json:"type"`
			Text      string   `json:"text"`
			Mentioned *Account `json:"mentioned"`
		}
		if json.Unmarshal(raw, &m) == nil && m.Type == "mention" && m.Mentioned != nil && m.Mentioned.ID == id &&
			m.Text != "" && strings.Contains(a.Text, m.Text) {
			return true
		}
	}
	return false
}

// ErrNotInstalled is why Deliver refuses an activity from a channel of a
// team the app is not installed in: Teams hands the bot nothing from there.
var ErrNotInstalled = errors.New("teamstest: the app is not installed in that channel's team: Teams would not send this")

// checkInstalled refuses what Teams would not send: an activity from a
// channel of a team the app is not installed in (the notice of its
// removal aside).
func (s *Server) checkInstalled(a Activity) error {
	if a.Conversation == nil || a.Type == "conversationUpdate" || a.Type == "installationUpdate" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.convs[baseConversation(a.Conversation.ID)]; c != nil && c.kind == "channel" && s.uninstalled[c.team] {
		return fmt.Errorf("%w (%s)", ErrNotInstalled, a.Conversation.ID)
	}
	return nil
}
