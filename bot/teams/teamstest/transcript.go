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
	Answer       []byte // a delivered invoke: the bot's HTTP answer
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
		if e.Kind == "deliver" || e.Kind == "forged" || e.Kind == "crafted" {
			fmt.Fprintf(&b, " %s", e.Activity.Type)
			if e.Activity.Name != "" {
				fmt.Fprintf(&b, "/%s", e.Activity.Name)
			}
			if e.Activity.From != nil {
				fmt.Fprintf(&b, " from %s", e.Activity.From.Name)
			}
			if e.Status == 0 {
				b.WriteString(" → no answer in time")
			} else {
				fmt.Fprintf(&b, " → %d", e.Status)
			}
		}
		if t := summary(e.Activity); t != "" {
			fmt.Fprintf(&b, ": %s", t)
		}
		if len(e.Answer) > 0 {
			fmt.Fprintf(&b, " ⇒ %s", answerSummary(e.Answer))
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
	if len(a.Value) > 0 {
		var v struct {
			Action struct {
				Verb string          `json:"verb"`
				Data json.RawMessage `json:"data"`
			} `json:"action"`
			Data json.RawMessage `json:"data"`
		}
		json.Unmarshal(a.Value, &v)
		switch {
		case a.Type == "invoke" && v.Action.Verb != "":
			parts = append(parts, "[execute "+v.Action.Verb+" "+string(v.Action.Data)+"]")
		case a.Type == "invoke" && len(v.Data) > 0:
			parts = append(parts, "[data "+string(v.Data)+"]")
		case a.Type == "message":
			parts = append(parts, "[submit "+string(a.Value)+"]")
		}
	}
	for _, at := range a.Attachments {
		if at.ContentType != AdaptiveCardType {
			parts = append(parts, "["+at.ContentType+"]")
			continue
		}
		parts = append(parts, cardSummary(at.Content))
	}
	return strings.Join(parts, " ")
}

// cardSummary is "[card: <its first TextBlock>]".
func cardSummary(content json.RawMessage) string {
	var card struct {
		Body []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"body"`
	}
	json.Unmarshal(content, &card)
	for _, el := range card.Body {
		if el.Type == "TextBlock" {
			return "[card: " + el.Text + "]"
		}
	}
	return "[card]"
}

// answerSummary renders an invoke's answer: a card, a dialog, a text.
func answerSummary(body []byte) string {
	var r struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
		Task  *struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"task"`
	}
	if json.Unmarshal(body, &r) != nil {
		return "?"
	}
	switch {
	case r.Task != nil && r.Task.Type == "continue":
		var info struct {
			Title string `json:"title"`
			Card  struct {
				Content json.RawMessage `json:"content"`
			} `json:"card"`
		}
		json.Unmarshal(r.Task.Value, &info)
		return "dialog " + strconvQuote(info.Title) + " " + cardSummary(info.Card.Content)
	case r.Task != nil:
		return "dialog " + r.Task.Type + " " + string(r.Task.Value)
	case r.Type == ResponseCard:
		return cardSummary(r.Value)
	default:
		return r.Type + " " + string(r.Value)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
