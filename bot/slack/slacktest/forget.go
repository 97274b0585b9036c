package slacktest

import (
	"runtime"
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

// forgetBatch bounds the work of one hold of the server's lock in Forget:
// records dropped, an envelope counting forgetEnvelopeCost (its
// invocation, trigger, response_url and responses go with it, eight map
// deletions). A hold then lasts 40 µs (100 µs at the 99th percentile),
// where dropping 5 seconds of a 4,000/s load in one hold took 50 ms, and
// every envelope, ack and Web API call of the app measured waited
// (BenchmarkForget, BenchmarkForgetHold).
const (
	forgetBatch        = 256
	forgetEnvelopeCost = 8
)

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
// on (dealbench keeps 30 s, ten times Slack's ack timeout). A trigger
// goes with its invocation: one past its 3 seconds but of an invocation
// still kept stays (unusable: expired_trigger_id) until the invocation
// goes.
//
// Its cost is in what it forgets, not in what it keeps: every record is
// created with a trigger and a response_url of its own invocation, or
// appended in time order, so Forget deletes those of the forgotten
// invocations by key and drops each list's records from the front,
// stopping at the first one to keep. A clock that went back (WithClock)
// can put a record before t behind one to keep: it stays until a later
// Forget reaches it. The work is done in batches (forgetBatch), the lock
// released between them: what one batch left is consistent, as after a
// Forget with an earlier t, and the server goes on serving meanwhile.
func (s *Server) Forget(t time.Time) Forgotten { return s.forget(t, nil) }

// forget is Forget; held, when set, is told how long each batch held the
// lock (BenchmarkForgetHold).
func (s *Server) forget(t time.Time, held func(time.Duration)) Forgotten {
	f := Forgotten{Responses: map[string][]Response{}}
	var envs [][]Envelope
	var rooms []room
	hold := func(do func()) {
		s.mu.Lock()
		var t0 time.Time
		if held != nil {
			t0 = time.Now()
		}
		do()
		if held != nil {
			held(time.Since(t0))
		}
		s.mu.Unlock()
		runtime.Gosched() // let what waits for the lock have it
	}
	for more := true; more; {
		hold(func() {
			more = s.forgetSomeLocked(t, forgetBatch, &f, &envs, &rooms)
			s.notifyLocked()
		})
	}
	// The lists that lack room get it now, each array made outside the
	// lock (a large allocation may have to help the collector for
	// milliseconds), the kept records copied in under it.
	for _, r := range rooms {
		move := r()
		hold(move)
	}
	f.Envelopes = slices.Concat(envs...)
	return f
}

// A room prepares, outside the server's lock, a larger array for one list
// of records, and returns what moves the list into it under the lock.
type room func() (move func())

// needRoom asks for room for the list get returns when less than a
// quarter of its length is left free at the end of its array: without it
// the next append would copy the list into an array a quarter larger, under
// the lock, allocating there, and again every few rounds as Forget's
// re-slicing takes the dropped records' room away. With it the list moves
// once per window's time (an array 2.25 times its length: 30 s for
// dealbench), made outside the lock. Short lists are left to append.
func needRoom[T any](rooms *[]room, get func() []T, set func([]T)) {
	x := get()
	if len(x) < 4096 || cap(x)-len(x) >= len(x)/4 {
		return
	}
	n := len(x)
	*rooms = append(*rooms, func() func() {
		y := make([]T, 2*n+n/4)
		clear(y) // its pages faulted in here, not under the lock
		y = y[:0]
		return func() {
			x := get()
			if cap(x)-len(x) >= len(x)/4 || len(x) > cap(y) {
				return // grown meanwhile
			}
			set(append(y, x...))
		}
	})
}

// forgetSomeLocked does up to budget of Forget's work (see forgetBatch)
// and reports whether some may be left.
func (s *Server) forgetSomeLocked(t time.Time, budget int, f *Forgotten, envs *[][]Envelope, rooms *[]room) bool {
	st := &s.st
	before := func(at time.Time) bool { return at.Before(t) }

	// Envelopes: a prefix, so that idx-envBase stays every record's index.
	n := 0
	for n < len(st.Envelopes) {
		rec := &st.Envelopes[n]
		if !before(rec.Created) || (rec.Ack == nil && !rec.Failed) {
			break
		}
		if budget < forgetEnvelopeCost {
			budget = 0 // the rest in the next batch
			break
		}
		s.forgetEnvelopeLocked(rec, f)
		budget -= forgetEnvelopeCost
		n++
	}
	if n > 0 {
		*envs = append(*envs, slices.Clone(st.Envelopes[:n]))
		st.Envelopes = dropFront(st.Envelopes, n)
		s.envBase += n
	}

	n = prefixBefore(st.Calls, func(c *APICall) time.Time { return c.At }, t, budget)
	st.Calls, f.Calls, budget = dropFront(st.Calls, n), f.Calls+n, budget-n
	n = prefixBefore(st.ResponsePosts, func(p *ResponsePost) time.Time { return p.At }, t, budget)
	st.ResponsePosts, budget = dropFront(st.ResponsePosts, n), budget-n
	n = prefixBefore(st.Ephemerals, func(m *Message) time.Time { return m.At }, t, budget)
	st.Ephemerals, budget = dropFront(st.Ephemerals, n), budget-n
	for ch, msgs := range st.Messages {
		if budget <= 0 {
			break
		}
		if n = prefixBefore(msgs, func(m *Message) time.Time { return m.At }, t, budget); n > 0 {
			st.Messages[ch], f.Messages, budget = dropFront(msgs, n), f.Messages+n, budget-n
		}
	}
	// Transcript lines are rendered from s.rendered on: keep that index
	// pointing at the same line. A line forgotten before it was ever
	// rendered is never read: it goes as it is.
	n = prefixBefore(st.Transcript, func(l *Line) time.Time { return l.At }, t, budget)
	st.Transcript, f.Lines, budget = dropFront(st.Transcript, n), f.Lines+n, budget-n
	s.rendered = max(s.rendered-n, 0)

	budget = s.forgetViewsLocked(t, budget, f)
	if budget > 0 { // the last batch
		needRoom(rooms, func() []Envelope { return st.Envelopes }, func(x []Envelope) { st.Envelopes = x })
		needRoom(rooms, func() []APICall { return st.Calls }, func(x []APICall) { st.Calls = x })
		needRoom(rooms, func() []ResponsePost { return st.ResponsePosts }, func(x []ResponsePost) { st.ResponsePosts = x })
		needRoom(rooms, func() []Message { return st.Ephemerals }, func(x []Message) { st.Ephemerals = x })
		for ch := range st.Messages {
			needRoom(rooms, func() []Message { return st.Messages[ch] }, func(x []Message) { st.Messages[ch] = x })
		}
		needRoom(rooms, func() []Line { return st.Transcript }, func(x []Line) { st.Transcript = x })
		needRoom(rooms, func() []string { return st.ViewOrder }, func(x []string) { st.ViewOrder = x })
	}
	return budget <= 0
}

// forgetEnvelopeLocked forgets rec's envelope and its invocation: the
// trigger and the response_url it was given, its responses (handed over
// in f) and its cursor.
func (s *Server) forgetEnvelopeLocked(rec *Envelope, f *Forgotten) {
	if e := s.envelopes[rec.ID]; e != nil {
		e.stopTimers()
		delete(s.envelopes, rec.ID)
	}
	id := rec.InvocationID
	if id == "" {
		return
	}
	if inv := s.invocations[id]; inv != nil {
		delete(s.triggers, inv.TriggerID)
		delete(s.responseURLs, responseURLID(inv.ResponseURL))
		if last := s.lastInv[inv.User+"|"+inv.Channel]; last == inv {
			delete(s.lastInv, inv.User+"|"+inv.Channel)
		}
		delete(s.invocations, id)
		f.Invocations++
	}
	if rs, ok := s.st.Responses[id]; ok {
		f.Responses[id] = rs
		delete(s.st.Responses, id)
	}
	delete(s.cursors, id)
}

// responseURLID is the id of a response_url the server gave
// (newResponseURLLocked: base/response/id), "" for none.
func responseURLID(url string) string { return url[strings.LastIndexByte(url, '/')+1:] }

// forgetViewsLocked drops up to budget views from the front of ViewOrder
// (creation order), stopping at the first one opened at t or later, and
// returns what is left of budget. The views it passes and keeps (open,
// or updated at t or later) stay in order in front of the rest: each
// Forget passes them again, as many as there are App Homes and modals
// left open since t.
func (s *Server) forgetViewsLocked(t time.Time, budget int, f *Forgotten) int {
	st := &s.st
	order := st.ViewOrder
	var kept []string
	i := 0
	for ; i < len(order) && budget > 0; i++ {
		id := order[i]
		v := st.Views[id] // every id in ViewOrder is a view's (putViewLocked)
		if !v.OpenedAt.Before(t) {
			break
		}
		// Open: in a modal stack or an App Home (every view put
		// there is Open, and closed when taken out).
		if v.Open || !v.UpdatedAt.Before(t) {
			kept = append(kept, id)
			continue
		}
		delete(st.Views, id)
		delete(s.viewState, id)
		f.Views++
		budget--
	}
	start := i - len(kept)
	copy(order[start:i], kept)
	st.ViewOrder = dropFront(order, start)
	return budget
}

// prefixBefore counts the records at the front of x recorded before t, at
// most limit: it stops at the first one to keep.
func prefixBefore[T any](x []T, at func(*T) time.Time, t time.Time, limit int) int {
	n := 0
	for n < len(x) && n < limit && at(&x[n]).Before(t) {
		n++
	}
	return n
}

// dropFront drops x's first n records by re-slicing, without copying what
// is kept (the array's room for them goes too: see needRoom). The dropped
// records are cleared, so that what they point to (payloads, blocks,
// render closures) goes now rather than with the array.
func dropFront[T any](x []T, n int) []T {
	if n == 0 {
		return x
	}
	clear(x[:n])
	return x[n:]
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
