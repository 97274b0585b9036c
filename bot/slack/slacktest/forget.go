package slacktest

import (
	"slices"
	"strings"
	"time"
)

// envRecLocked is the record of envelope e in st.Envelopes.
func (s *Server) envRecLocked(e *envelope) *Envelope { return &s.st.Envelopes[e.idx-s.envBase] }

// Forgotten is what one Forget dropped: the envelope records and the
// responses of their invocations (what a load run measures, handed over
// once as they go), and how many of the other records went.
type Forgotten struct {
	Envelopes []Envelope
	Responses map[string][]Response // by invocation id

	Invocations, Calls, Messages, Views, Lines int
}

// Forget drops what the server recorded before t and no longer needs, so
// that a load run of many minutes (dealbench) holds a window of records
// instead of every one since the start. Tests have no use for it: a real
// Slack forgets nothing a test could see within its run.
//
// Dropped, and handed back in Forgotten: the settled envelopes (acked or failed) from the oldest on, up
// to the first one created at t or later or still waiting for its ack,
// with their invocations, responses, response_urls and triggers; Web API
// calls, response_url posts, ephemeral messages and transcript lines
// before t; channel messages posted before t; views last opened or
// updated before t that are no longer open (in no modal stack, not an App
// Home). Counters are kept whole.
//
// What was forgotten is gone from State and from every lookup: a
// response_url or a trigger of a forgotten invocation is unknown, a
// forgotten message cannot be updated or replied to, a forgotten view
// cannot be updated. So t must be older than anything the run still acts
// on (dealbench keeps 30 s, ten times Slack's ack timeout).
func (s *Server) Forget(t time.Time) Forgotten {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := Forgotten{Responses: map[string][]Response{}}
	st := &s.st

	// Envelopes: a prefix, so that idx-envBase stays every record's index.
	n := 0
	for _, rec := range st.Envelopes {
		if !rec.Created.Before(t) || (rec.Ack == nil && !rec.Failed) {
			break
		}
		n++
	}
	for _, rec := range st.Envelopes[:n] {
		if e := s.envelopes[rec.ID]; e != nil {
			e.stopTimers()
			delete(s.envelopes, rec.ID)
		}
		if id := rec.InvocationID; id != "" {
			if inv := s.invocations[id]; inv != nil {
				delete(s.triggers, inv.TriggerID)
				if last := s.lastInv[inv.User+"|"+inv.Channel]; last == inv {
					delete(s.lastInv, inv.User+"|"+inv.Channel)
				}
				delete(s.invocations, id)
				f.Invocations++
			}
			if rs, ok := st.Responses[id]; ok {
				f.Responses[id] = rs
				delete(st.Responses, id)
			}
			delete(s.cursors, id)
		}
	}
	f.Envelopes = slices.Clone(st.Envelopes[:n])
	st.Envelopes = slices.Delete(st.Envelopes, 0, n)
	s.envBase += n

	// Response URLs and triggers are looked up by their own keys: drop
	// those of invocations already gone, and every trigger past Slack's
	// 3 seconds (it could no longer be used anyway).
	for id, u := range s.responseURLs {
		if u.created.Before(t) && (u.inv == nil || s.invocations[u.inv.ID] == nil) {
			delete(s.responseURLs, id)
		}
	}
	for id, tr := range s.triggers {
		if tr.created.Before(t) && tr.created.Before(s.now().Add(-s.cfg.triggerTTL)) {
			delete(s.triggers, id)
		}
	}

	before := func(at time.Time) bool { return at.Before(t) }
	k := len(st.Calls)
	st.Calls = slices.DeleteFunc(st.Calls, func(c APICall) bool { return before(c.At) })
	f.Calls = k - len(st.Calls)
	st.ResponsePosts = slices.DeleteFunc(st.ResponsePosts, func(p ResponsePost) bool { return before(p.At) })
	st.Ephemerals = slices.DeleteFunc(st.Ephemerals, func(m Message) bool { return before(m.At) })
	for ch, msgs := range st.Messages {
		k := len(msgs)
		st.Messages[ch] = slices.DeleteFunc(msgs, func(m Message) bool { return before(m.At) })
		f.Messages += k - len(st.Messages[ch])
	}
	// Transcript lines are rendered from s.rendered on: keep that index
	// pointing at the same line.
	i := 0
	for i < len(st.Transcript) && before(st.Transcript[i].At) && i < s.rendered {
		i++
	}
	st.Transcript = slices.Delete(st.Transcript, 0, i)
	s.rendered -= i
	f.Lines = i

	open := map[string]bool{}
	for _, stack := range st.ModalStacks {
		for _, id := range stack {
			open[id] = true
		}
	}
	for _, id := range st.HomeViews {
		open[id] = true
	}
	st.ViewOrder = slices.DeleteFunc(st.ViewOrder, func(id string) bool {
		v, ok := st.Views[id]
		if !ok || open[id] || v.Open || !before(v.OpenedAt) || !before(v.UpdatedAt) {
			return false
		}
		delete(st.Views, id)
		delete(s.viewState, id)
		f.Views++
		return true
	})
	s.notifyLocked()
	return f
}

// MessagesAfter returns the messages of channel posted after the one with
// timestamp ts ("" for all), in post order: what a long load run reads of a
// busy channel at each step, instead of the whole channel.
func (s *Server) MessagesAfter(channel, ts string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := s.st.Messages[channel]
	i, _ := slices.BinarySearchFunc(msgs, ts, func(m Message, ts string) int { return compareTS(m.TS, ts) })
	for i < len(msgs) && msgs[i].TS == ts {
		i++
	}
	return slices.Clone(msgs[i:])
}

// MessageAt returns the message of channel with timestamp ts, as it is now
// (edited, deleted).
func (s *Server) MessageAt(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := s.st.Messages[channel]
	i, ok := slices.BinarySearchFunc(msgs, ts, func(m Message, ts string) int { return compareTS(m.TS, ts) })
	if !ok {
		return Message{}, false
	}
	return msgs[i], true
}

// compareTS orders message timestamps ("1733490000.000100"): by length
// first, so that it holds past a change in the seconds' digits.
func compareTS(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
