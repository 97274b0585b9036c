package teamstest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// What a user can send is what a card in front of them offers: Teams
// builds a click's payload from the card the bot delivered (its action's
// verb and data, with the card's inputs), never from anything else. The
// driver checks each genuine click against the cards it saw the bot
// deliver, every version of them (a client may still show one the bot has
// since updated: a stale card), and a dialog's submission against the
// dialog the bot opened for that user. DeliverCrafted skips the check: a
// tampered client, which the bot must withstand on its own (sealed
// values).

// cardAction is one action of a card: its type, verb and data, and the
// ids of the inputs of the card it is on.
type cardAction struct {
	Type   string
	Verb   string
	Data   map[string]any
	inputs map[string]bool
}

// actionsOf lists every action of a card (its actions, ActionSets in its
// body, at any depth), each with the card's input ids.
func actionsOf(card json.RawMessage) []cardAction {
	var root any
	if json.Unmarshal(card, &root) != nil {
		return nil
	}
	inputs := map[string]bool{}
	var acts []cardAction
	var walk func(x any)
	walk = func(x any) {
		switch x := x.(type) {
		case []any:
			for _, v := range x {
				walk(v)
			}
		case map[string]any:
			typ, _ := x["type"].(string)
			if id, ok := x["id"].(string); ok && strings.HasPrefix(typ, "Input.") {
				inputs[id] = true
			}
			if strings.HasPrefix(typ, "Action.") {
				a := cardAction{Type: typ}
				a.Verb, _ = x["verb"].(string)
				a.Data, _ = x["data"].(map[string]any)
				acts = append(acts, a)
			}
			for _, k := range []string{"body", "actions", "items", "columns", "rows", "cells", "card"} {
				walk(x[k])
			}
		}
	}
	walk(root)
	for i := range acts {
		acts[i].inputs = inputs
	}
	return acts
}

// offers reports whether a sends sent: its data are all in sent, as
// they are, and whatever else sent holds is an input of its card.
func (a cardAction) offers(sent map[string]any) bool {
	for k, v := range a.Data {
		if !sameJSON(v, sent[k]) {
			return false
		}
	}
	for k := range sent {
		if _, ok := a.Data[k]; !ok && !a.inputs[k] {
			return false
		}
	}
	return true
}

func sameJSON(a, b any) bool {
	ra, _ := json.Marshal(a)
	rb, _ := json.Marshal(b)
	var va, vb any
	json.Unmarshal(ra, &va)
	json.Unmarshal(rb, &vb)
	return reflect.DeepEqual(va, vb)
}

// cardsLocked lists every version of the cards the bot delivered as
// activity id in conversation convID.
func (s *Server) cardsLocked(convID, id string) []json.RawMessage {
	c := s.convs[baseConversation(convID)]
	if c == nil {
		return nil
	}
	var out []json.RawMessage
	for _, a := range c.history[id] {
		for _, at := range a.Attachments {
			if at.ContentType == AdaptiveCardType {
				out = append(out, at.Content)
			}
		}
	}
	return out
}

// checkClick says why Teams could not have sent a (nil when it could):
// a click on a card names a card the bot delivered in that conversation
// with an action offering what it sends; a dialog's submission answers
// the dialog open for its user. Messages typed by a user are not clicks.
func (s *Server) checkClick(a Activity) error {
	var who string
	if a.From != nil {
		who = a.From.Name
	}
	conv := ""
	if a.Conversation != nil {
		conv = a.Conversation.ID
	}
	var want func(cardAction) bool
	var what string
	switch {
	case a.Type == "invoke" && a.Name == "adaptiveCard/action":
		var v struct {
			Action struct {
				Type string         `json:"type"`
				Verb string         `json:"verb"`
				Data map[string]any `json:"data"`
			} `json:"action"`
		}
		json.Unmarshal(a.Value, &v)
		what = fmt.Sprintf("Action.Execute %q %s", v.Action.Verb, compact(v.Action.Data))
		want = func(c cardAction) bool {
			return c.Type == "Action.Execute" && c.Verb == v.Action.Verb && c.offers(v.Action.Data)
		}
	case a.Type == "invoke" && a.Name == "task/fetch":
		var v struct {
			Data map[string]any `json:"data"`
		}
		json.Unmarshal(a.Value, &v)
		what = "a dialog button " + compact(v.Data)
		want = func(c cardAction) bool {
			ms, _ := c.Data["msteams"].(map[string]any)
			return c.Type == "Action.Submit" && ms["type"] == "task/fetch" && c.offers(v.Data)
		}
	case a.Type == "invoke" && a.Name == "task/submit":
		var v struct {
			Data map[string]any `json:"data"`
		}
		json.Unmarshal(a.Value, &v)
		if a.From == nil {
			return fmt.Errorf("teamstest: a dialog submitted by nobody")
		}
		s.mu.Lock()
		dialog, open := s.dialogs[a.From.ID]
		s.mu.Unlock()
		if !open {
			return fmt.Errorf("teamstest: %s submits a dialog, but the bot opened none for them (DeliverCrafted for a tampered client)", who)
		}
		for _, c := range actionsOf(dialog) {
			if c.Type == "Action.Submit" && c.offers(v.Data) {
				return nil
			}
		}
		return fmt.Errorf("teamstest: %s submits %s, which the dialog open for them does not send (its button's data and its inputs only; DeliverCrafted for a tampered client)", who, compact(v.Data))
	case a.Type == "message" && len(a.Value) > 0:
		var v map[string]any
		json.Unmarshal(a.Value, &v)
		what = "Action.Submit " + compact(v)
		want = func(c cardAction) bool { return c.Type == "Action.Submit" && c.offers(v) }
	default:
		return nil
	}
	if a.ReplyToID == "" {
		return fmt.Errorf("teamstest: %s sends %s on no card: Teams sends a click with the card's activity id (replyToId)", who, what)
	}
	s.mu.Lock()
	cards := s.cardsLocked(conv, a.ReplyToID)
	s.mu.Unlock()
	if len(cards) == 0 {
		return fmt.Errorf("teamstest: %s clicks on #%s in %s, where the bot delivered no card (DeliverCrafted for a tampered client)", who, a.ReplyToID, conv)
	}
	for _, card := range cards {
		for _, c := range actionsOf(card) {
			if want(c) {
				return nil
			}
		}
	}
	return fmt.Errorf("teamstest: %s sends %s, which no version of card #%s in %s offers (DeliverCrafted for a tampered client)", who, what, a.ReplyToID, conv)
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// noteAnswer keeps what an invoke's answer puts in front of its user: the
// dialog it opens (forgotten when an answer closes it), the card that
// replaces the one clicked.
func (s *Server) noteAnswer(a Activity, status int, body []byte) {
	if a.Type != "invoke" || a.From == nil || status != 200 {
		return
	}
	if a.Name == "adaptiveCard/action" {
		var r struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		}
		if json.Unmarshal(body, &r) == nil && r.Type == ResponseCard && a.Conversation != nil {
			s.mu.Lock()
			if c := s.convs[baseConversation(a.Conversation.ID)]; c != nil {
				card := &Activity{Type: "message", Attachments: []Attachment{{ContentType: AdaptiveCardType, Content: r.Value}}}
				c.history[a.ReplyToID] = append(c.history[a.ReplyToID], card)
			}
			s.mu.Unlock()
		}
		return
	}
	if a.Name != "task/fetch" && a.Name != "task/submit" {
		return
	}
	var r struct {
		Task *struct {
			Type  string `json:"type"`
			Value struct {
				Card *Attachment `json:"card"`
			} `json:"value"`
		} `json:"task"`
	}
	json.Unmarshal(body, &r)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Task != nil && r.Task.Type == "continue" && r.Task.Value.Card != nil:
		s.dialogs[a.From.ID] = r.Task.Value.Card.Content
	case a.Name == "task/submit":
		delete(s.dialogs, a.From.ID)
	}
}
