package teamstest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Entry is one line of the transcript: an activity the bot posted
// (send, reply, post: a new channel thread), updated (update), a 1:1
// conversation it created (create), or an activity the driver delivered to
// the bot (deliver, with the HTTP status the bot answered).
type Entry struct {
	At           time.Time
	Kind         string
	Conversation string
	ActivityID   string
	ReplyTo      string
	Status       int
	Activity     Activity
}

// Transcript returns the entries so far.
func (s *Server) Transcript() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.transcript...)
}

// Posted returns the activities the bot has in conversation convID now
// (updates applied), oldest first.
func (s *Server) Posted(convID string) []Activity {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.convs[baseConversation(convID)]
	if c == nil {
		return nil
	}
	var out []Activity
	for _, id := range c.order {
		if a := c.activities[id]; !a.fromUser() {
			out = append(out, *a)
		}
	}
	return out
}

// TranscriptText renders the transcript one line an entry: kind,
// conversation, activity id, and the text (an Adaptive Card as
// "[card: its first TextBlock]").
func (s *Server) TranscriptText() string {
	var b strings.Builder
	for _, e := range s.Transcript() {
		fmt.Fprintf(&b, "%-7s %s", e.Kind, e.Conversation)
		if e.ActivityID != "" {
			fmt.Fprintf(&b, " #%s", e.ActivityID)
		}
		if e.ReplyTo != "" {
			fmt.Fprintf(&b, " (reply to #%s)", e.ReplyTo)
		}
		if e.Kind == "deliver" || e.Kind == "forged" {
			fmt.Fprintf(&b, " %s", e.Activity.Type)
			if e.Activity.Name != "" {
				fmt.Fprintf(&b, "/%s", e.Activity.Name)
			}
			if e.Activity.From != nil {
				fmt.Fprintf(&b, " from %s", e.Activity.From.Name)
			}
			fmt.Fprintf(&b, " → %d", e.Status)
		}
		if t := summary(e.Activity); t != "" {
			fmt.Fprintf(&b, ": %s", t)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func summary(a Activity) string {
	parts := []string{}
	if a.Text != "" {
		parts = append(parts, strings.ReplaceAll(a.Text, "\n", " ⏎ "))
	}
	for _, at := range a.Attachments {
		if at.ContentType != AdaptiveCardType {
			parts = append(parts, "["+at.ContentType+"]")
			continue
		}
		var card struct {
			Body []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"body"`
		}
		json.Unmarshal(at.Content, &card)
		first := ""
		for _, el := range card.Body {
			if el.Type == "TextBlock" {
				first = el.Text
				break
			}
		}
		parts = append(parts, "[card: "+first+"]")
	}
	return strings.Join(parts, " ")
}
