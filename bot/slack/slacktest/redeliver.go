package slacktest

import "errors"

// Redeliver sends inv's payload to the app again as a retry (retry_attempt
// 1, retry_reason "timeout"), as Slack does when it never saw the ack: for
// example when the app crashed after doing the work and before acking. The
// new delivery has its own handle and envelope id; the app must recognise
// the work and not do it twice.
func (s *Server) Redeliver(inv *Invocation) (*Invocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.envelopes[inv.EnvelopeID]
	if old == nil {
		return nil, errors.New("slacktest: the invocation has no envelope to redeliver")
	}
	dup := s.newInvocationLocked(inv.Kind, inv.User, inv.Channel)
	dup.TriggerID, dup.ResponseURL, dup.ViewID, dup.MessageTS, dup.Payload = inv.TriggerID, inv.ResponseURL, inv.ViewID, inv.MessageTS, inv.Payload
	rec := *s.envRecLocked(old)
	e := &envelope{id: s.envelopeIDLocked(), typ: old.typ, payload: old.payload, accepts: old.accepts, inv: dup, attempt: 1, reason: "timeout"}
	e.idx = s.envBase + len(s.st.Envelopes)
	s.envelopes[e.id] = e
	s.st.Envelopes = append(s.st.Envelopes, Envelope{ID: e.id, Type: rec.Type, Subtype: rec.Subtype, Payload: old.payload,
		AcceptsResponsePayload: old.accepts, Created: s.now(), InvocationID: dup.ID})
	dup.EnvelopeID = e.id
	s.st.Counters.Envelopes++
	s.dispatchLocked(e)
	s.notifyLocked()
	return dup, nil
}
