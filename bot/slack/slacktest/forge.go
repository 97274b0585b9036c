package slacktest

import "encoding/json"

// Forge makes the next slash command or interactive payload the server
// sends pass through edit first, as a payload forged or altered on its way
// would arrive (Slack itself never does this): a view's private_metadata,
// a button's value or a response_url set to what an attacker wants. The
// edit applies to one payload; the invocation keeps its handle, and its
// Payload is the edited one. Events are not edited.
func (s *Server) Forge(edit func(payload map[string]any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forge = edit
}

func (s *Server) forgeLocked(payload json.RawMessage, inv *Invocation) json.RawMessage {
	edit := s.forge
	s.forge = nil
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		return payload
	}
	edit(p)
	out := mustJSON(p)
	if inv != nil {
		inv.Payload = out
		if u, ok := p["response_url"].(string); ok {
			inv.ResponseURL = u
		}
	}
	return out
}
