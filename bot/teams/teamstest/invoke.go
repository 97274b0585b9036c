package teamstest

import (
	"encoding/json"
	"fmt"
)

// What a user does with a card or a dialog, as Teams sends it to the bot.

// Execute is the user pressing an Action.Execute button on the card posted
// as activity cardID: an adaptiveCard/action invoke whose value carries
// the action (type, verb, data) and trigger "manual".
func (s *Server) Execute(from *User, convID, cardID, verb string, data any) Activity {
	a := s.Invoke(from, convID, "adaptiveCard/action", map[string]any{
		"action":  map[string]any{"type": "Action.Execute", "verb": verb, "data": data},
		"trigger": "manual",
	})
	a.ReplyToID = cardID
	return a
}

// Submit is the user pressing an Action.Submit button on the card posted
// as activity cardID: a message activity with no text whose value is the
// action's data merged with the card's inputs (data here).
func (s *Server) Submit(from *User, convID, cardID string, data any) Activity {
	a := s.activity("message", from, convID)
	a.ReplyToID = cardID
	a.Value, _ = json.Marshal(data)
	return a
}

// TaskFetch is the user opening a dialog from a card button (an
// Action.Submit with msteams.type task/fetch): a task/fetch invoke whose
// value holds the button's data.
func (s *Server) TaskFetch(from *User, convID, cardID string, data any) Activity {
	a := s.Invoke(from, convID, "task/fetch", map[string]any{"data": data, "context": map[string]string{"theme": "default"}})
	a.ReplyToID = cardID
	return a
}

// TaskSubmit is the user submitting a dialog: a task/submit invoke whose
// value.data holds the dialog card's inputs.
func (s *Server) TaskSubmit(from *User, convID string, data any) Activity {
	return s.Invoke(from, convID, "task/submit", map[string]any{"data": data, "context": map[string]string{"theme": "default"}})
}

// Invoke response content types Teams knows for adaptiveCard/action.
const (
	ResponseCard    = "application/vnd.microsoft.card.adaptive"
	ResponseMessage = "application/vnd.microsoft.activity.message"
	ResponseError   = "application/vnd.microsoft.error"
)

// CheckInvokeResponse says whether Teams could use the bot's HTTP answer
// to an invoke: status 200, and a body of the shape the invoke name asks
// (adaptiveCard/action: statusCode, type and value, a card validating
// against the schema when the server has it; task/fetch and task/submit:
// a task of type continue with a title and an Adaptive Card, or of type
// message with a text; task/submit may also answer with no body, which
// closes the dialog). A nil error is an answer Teams shows.
func (s *Server) CheckInvokeResponse(name string, status int, body []byte) error {
	if status != 200 {
		return fmt.Errorf("%s: HTTP %d, Teams shows an error", name, status)
	}
	switch name {
	case "adaptiveCard/action":
		var r struct {
			StatusCode int             `json:"statusCode"`
			Type       string          `json:"type"`
			Value      json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			return fmt.Errorf("%s: the answer is not JSON: %v", name, err)
		}
		switch r.Type {
		case ResponseCard:
			if r.StatusCode != 200 {
				return fmt.Errorf("%s: a card with statusCode %d", name, r.StatusCode)
			}
			return s.checkCard(name, r.Value)
		case ResponseMessage:
			var text string
			if r.StatusCode != 200 || json.Unmarshal(r.Value, &text) != nil || text == "" {
				return fmt.Errorf("%s: a message answer needs statusCode 200 and a text value", name)
			}
		case ResponseError:
			var e struct{ Code, Message string }
			if r.StatusCode < 400 || json.Unmarshal(r.Value, &e) != nil || e.Message == "" {
				return fmt.Errorf("%s: an error answer needs a 4xx/5xx statusCode and a value with a message", name)
			}
		default:
			return fmt.Errorf("%s: unknown answer type %q", name, r.Type)
		}
		return nil
	case "task/fetch", "task/submit":
		if len(body) == 0 && name == "task/submit" {
			return nil
		}
		var r struct {
			Task *struct {
				Type  string          `json:"type"`
				Value json.RawMessage `json:"value"`
			} `json:"task"`
		}
		if err := json.Unmarshal(body, &r); err != nil || r.Task == nil {
			return fmt.Errorf("%s: the answer has no task", name)
		}
		switch r.Task.Type {
		case "continue":
			var info struct {
				Title string      `json:"title"`
				Card  *Attachment `json:"card"`
			}
			if err := json.Unmarshal(r.Task.Value, &info); err != nil || info.Card == nil {
				return fmt.Errorf("%s: continue needs a value with a card", name)
			}
			if info.Title == "" {
				return fmt.Errorf("%s: the dialog has no title", name)
			}
			if info.Card.ContentType != AdaptiveCardType {
				return fmt.Errorf("%s: the dialog card is %q, not an Adaptive Card", name, info.Card.ContentType)
			}
			return s.checkCard(name, info.Card.Content)
		case "message":
			var text string
			if json.Unmarshal(r.Task.Value, &text) != nil || text == "" {
				return fmt.Errorf("%s: message needs a text value", name)
			}
			return nil
		default:
			return fmt.Errorf("%s: unknown task type %q", name, r.Task.Type)
		}
	}
	return nil
}

func (s *Server) checkCard(name string, card json.RawMessage) error {
	if len(card) == 0 {
		return fmt.Errorf("%s: no card", name)
	}
	if s.cards != nil {
		if err := s.cards.Validate(card); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
