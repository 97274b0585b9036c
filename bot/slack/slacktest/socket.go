package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// maxAckSize is Slack's WebSocket message limit: larger acks are dropped silently.
const maxAckSize = 20 * 1024

// Disconnect reasons Slack sends in a "disconnect" message.
const (
	DisconnectWarning          = "warning"
	DisconnectRefreshRequested = "refresh_requested"
	DisconnectLinkDisabled     = "link_disabled"
	DisconnectTooManyWebsocket = "too_many_websockets"
)

// Chaos configures random connection failures: every random interval in
// [MinInterval, MaxInterval] one live connection is either dropped abruptly
// or sent a disconnect message, with the given relative weights.
type Chaos struct {
	MinInterval      time.Duration // default 200ms
	MaxInterval      time.Duration // default 1s
	DropWeight       int           // default 1
	DisconnectWeight int           // default 1
	// Reasons are the disconnect reasons to pick from
	// (default "warning" and "refresh_requested").
	Reasons []string
	// KeepOne spares the app's last live connection: the network fails one
	// socket at a time, the case an app holding two connections is built
	// for. Without it, chaos may leave no connection, and a slash command
	// sent then fails (dispatch_failed) as it would in Slack.
	KeepOne bool
}

type wsConn struct {
	id          int
	ws          *websocket.Conn
	out         chan []byte
	done        chan struct{}
	once        sync.Once
	draining    bool // guarded by Server.mu
	connectedAt time.Time
}

// kill closes the socket abruptly (no close frame).
func (c *wsConn) kill() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

type envelope struct {
	idx         int
	id          string
	typ         string
	payload     json.RawMessage
	accepts     bool
	attempt     int
	reason      string
	connID      int
	outstanding bool
	timer       *time.Timer
	retry       *time.Timer // an undelivered event's next attempt
	acked       bool
	failed      bool
	inv         *Invocation
}

func (e *envelope) stopTimers() {
	if e.timer != nil {
		e.timer.Stop()
	}
	if e.retry != nil {
		e.retry.Stop()
	}
}

// connectionsOpenLocked implements apps.connections.open.
func (s *Server) connectionsOpenLocked() map[string]any {
	ticket := s.randHexLocked(32)
	s.tickets[ticket] = s.now()
	wsURL := "ws://" + strings.TrimPrefix(s.base, "http://") + "/link/?ticket=" + ticket + "&app_id=" + AppID
	return map[string]any{"ok": true, "url": wsURL}
}

func (s *Server) handleLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	_, ok := s.tickets[ticket]
	delete(s.tickets, ticket)
	if !ok {
		s.st.Counters.ConnectionsDenied++
		s.notifyLocked()
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "invalid or already used ticket", http.StatusUnauthorized)
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &wsConn{ws: ws, out: make(chan []byte, 8192), done: make(chan struct{})}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	if len(s.conns) >= s.cfg.maxConnections {
		s.st.Counters.ConnectionsDenied++
		s.notifyLocked()
		s.mu.Unlock()
		_ = ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_ = ws.WriteJSON(map[string]any{"type": "disconnect", "reason": DisconnectTooManyWebsocket, "debug_info": map[string]any{"host": "applink-slacktest"}})
		_ = ws.Close()
		return
	}
	s.nextConnID++
	c.id = s.nextConnID
	c.connectedAt = s.now()
	s.conns[c.id] = c
	s.st.Counters.ConnectionsOpened++
	hello := mustJSON(map[string]any{
		"type":            "hello",
		"num_connections": len(s.conns),
		"debug_info": map[string]any{
			"host":                        fmt.Sprintf("applink-slacktest-%d", c.id),
			"build_number":                1,
			"approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	})
	c.out <- hello
	// The write and ping loops, and this read loop: Close waits for all
	// three, so nothing logs (through a test's t.Logf) after it returns.
	s.wg.Add(3)
	defer s.wg.Done()
	s.notifyLocked()
	s.mu.Unlock()
	s.logf("connection %d opened", c.id)

	ws.SetPongHandler(func(string) error {
		s.mu.Lock()
		s.st.Counters.Pongs++
		s.mu.Unlock()
		return nil
	})
	go s.writeLoop(c)
	go s.pingLoop(c)
	// Frames are stamped as they are read and applied in order by a second
	// goroutine, so reading the next ack never waits for the validation of a
	// large payload before it: an ack's latency is when it reached Slack, as
	// on Slack's side, not when the local server got round to it. Every
	// frame read is applied before the connection's unacknowledged envelopes
	// are redelivered.
	frames := make(chan ackFrame, 8192)
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		for f := range frames {
			s.handleAck(c, f.data, f.arrived)
		}
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			break
		}
		frames <- ackFrame{data: data, arrived: s.now()}
	}
	close(frames)
	<-applied
	c.kill()
	s.connGone(c)
}

// ackFrame is one message read from the app's socket and when it arrived.
type ackFrame struct {
	data    []byte
	arrived time.Time
}

func (s *Server) writeLoop(c *wsConn) {
	defer s.wg.Done()
	for {
		select {
		case <-c.done:
			return
		case msg := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				c.kill()
				return
			}
		}
	}
}

func (s *Server) pingLoop(c *wsConn) {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.pingInterval)
	defer t.Stop()
	n := 0
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			n++
			if err := c.ws.WriteControl(websocket.PingMessage, fmt.Appendf(nil, "ping-%d", n), time.Now().Add(5*time.Second)); err != nil {
				c.kill()
				return
			}
			s.mu.Lock()
			s.st.Counters.Pings++
			s.mu.Unlock()
		}
	}
}

// connGone forgets a closed connection and redelivers what it did not ack.
// A connection already forgotten (DropConnection(s) handle theirs at once)
// is left alone.
func (s *Server) connGone(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c.id]; !ok {
		return
	}
	delete(s.conns, c.id)
	s.handOnLocked(c)
}

// handOnLocked redelivers, to another live connection or by failing them as
// Slack does when none is left, the envelopes a forgotten connection had not
// acked.
func (s *Server) handOnLocked(c *wsConn) {
	s.logf("connection %d closed", c.id)
	if s.closed {
		s.notifyLocked()
		return
	}
	for _, e := range s.sortedEnvelopesLocked() {
		if e.outstanding && e.connID == c.id && !e.acked && !e.failed {
			e.stopTimers()
			e.outstanding = false
			rec := s.envRecLocked(e)
			rec.Deliveries[len(rec.Deliveries)-1].Outcome = "connection_lost"
			s.redeliverLocked(e)
		}
	}
	s.notifyLocked()
}

func (s *Server) sortedEnvelopesLocked() []*envelope {
	out := make([]*envelope, len(s.st.Envelopes))
	for _, e := range s.envelopes {
		out[e.idx-s.envBase] = e
	}
	return out
}

// pickConnLocked returns a live connection, round robin.
func (s *Server) pickConnLocked() *wsConn {
	var live []*wsConn
	for id := 1; id <= s.nextConnID; id++ {
		if c, ok := s.conns[id]; ok && !c.draining {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		return nil
	}
	s.rr++
	return live[s.rr%len(live)]
}

// enqueueLocked creates an envelope and delivers it. With no connection
// open, a slash command or an interactive payload fails at once
// (dispatch_failed) and an event waits for Slack's next retry.
func (s *Server) enqueueLocked(typ, subtype string, payload json.RawMessage, accepts bool, inv *Invocation) *envelope {
	if s.forge != nil && typ != "events_api" {
		payload = s.forgeLocked(payload, inv)
	}
	e := &envelope{id: s.envelopeIDLocked(), typ: typ, payload: payload, accepts: accepts, inv: inv}
	e.idx = s.envBase + len(s.st.Envelopes)
	s.envelopes[e.id] = e
	rec := Envelope{ID: e.id, Type: typ, Subtype: subtype, Payload: payload, AcceptsResponsePayload: accepts, Created: s.now()}
	if inv != nil {
		rec.InvocationID = inv.ID
		inv.EnvelopeID = e.id
	}
	s.st.Envelopes = append(s.st.Envelopes, rec)
	s.st.Counters.Envelopes++
	s.dispatchLocked(e)
	s.notifyLocked()
	return e
}

// dispatchLocked sends the envelope on a live connection. When none is open
// Slack does not wait for one: the user's slash command or click fails on
// the spot ("dispatch_failed"), and an Events API event is retried on
// Slack's schedule (see undeliveredEventLocked).
func (s *Server) dispatchLocked(e *envelope) {
	rec := s.envRecLocked(e)
	c := s.pickConnLocked()
	if c == nil {
		if e.typ == "events_api" {
			s.undeliveredEventLocked(e)
			return
		}
		s.failLocked(e, "dispatch_failed")
		return
	}
	msg := wireEnvelope(e)
	rec.Deliveries = append(rec.Deliveries, Delivery{ConnID: c.id, RetryAttempt: e.attempt, RetryReason: e.reason, SentAt: s.now(), Outcome: "pending"})
	s.st.Counters.Deliveries++
	if e.attempt > 0 {
		s.st.Counters.Redeliveries++
	}
	e.connID = c.id
	e.outstanding = true
	gen := len(rec.Deliveries)
	id := e.id
	e.timer = time.AfterFunc(s.cfg.ackTimeout, func() { s.ackTimedOut(id, gen) })
	select {
	case c.out <- msg:
	default:
		// The client does not read: treat the connection as broken.
		go c.kill()
	}
}

// undeliveredEventLocked handles an event Slack could not deliver for want
// of a connection: like the Events API over HTTP, Slack tries again at once,
// then after a minute, then after five more (WithEventRetryDelays), each
// attempt counted in retry_attempt, and gives up after MaxRetries. An event
// therefore survives a short gap, but arrives late: Slack does not deliver
// it the moment a connection opens.
func (s *Server) undeliveredEventLocked(e *envelope) {
	for {
		if e.attempt >= s.cfg.maxRetries {
			s.failLocked(e, "connection_failed")
			return
		}
		delay := s.cfg.eventRetryDelays[min(e.attempt, len(s.cfg.eventRetryDelays)-1)]
		e.attempt++
		e.reason = "connection_failed"
		s.st.Counters.UndeliveredEvents++
		if delay > 0 {
			id := e.id
			e.retry = time.AfterFunc(delay, func() { s.retryEvent(id) })
			return
		}
		if s.pickConnLocked() != nil {
			s.dispatchLocked(e)
			return
		}
	}
}

// retryEvent is an undelivered event's next attempt.
func (s *Server) retryEvent(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envelopes[id]
	if e == nil || s.closed || e.acked || e.failed {
		return
	}
	e.retry = nil
	s.dispatchLocked(e)
	s.notifyLocked()
}

func (s *Server) ackTimedOut(id string, gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.envelopes[id]
	if e == nil || s.closed || e.acked || e.failed || !e.outstanding {
		return
	}
	rec := s.envRecLocked(e)
	if len(rec.Deliveries) != gen {
		return
	}
	rec.Deliveries[gen-1].Outcome = "timeout"
	e.outstanding = false
	s.redeliverLocked(e)
	s.notifyLocked()
}

// redeliverLocked schedules the next attempt, or fails the envelope after MaxRetries.
func (s *Server) redeliverLocked(e *envelope) {
	if e.attempt >= s.cfg.maxRetries {
		s.failLocked(e, "not_acknowledged")
		return
	}
	e.attempt++
	e.reason = "timeout"
	s.dispatchLocked(e)
}

func (s *Server) failLocked(e *envelope, reason string) {
	e.failed = true
	e.stopTimers()
	rec := s.envRecLocked(e)
	rec.Failed = true
	rec.FailReason = reason
	s.st.Counters.FailedEnvelopes++
	who := "the user"
	if e.inv != nil && e.inv.User != "" {
		who = s.userNameLocked(e.inv.User)
	}
	text := fmt.Sprintf("%s %s failed: %s (%s sees an error)", rec.Type, rec.Subtype, reason, who)
	if reason == "dispatch_failed" {
		// What Slack shows the user in place of an answer.
		text = fmt.Sprintf("%s failed with the error \"dispatch_failed\" (shown to %s)", rec.Subtype, who)
	}
	s.emitLocked(Line{Kind: LineSystem, Actor: "slack", Text: text})
	s.notifyLocked()
}

// handleAck processes one message the app sent on the socket.
func (s *Server) handleAck(c *wsConn, data []byte, arrived time.Time) {
	// The ack counts from the moment its frame arrived, as Slack would see
	// it, and is decoded before taking the server's lock, so a large payload
	// delays neither its own latency nor the dispatch of other envelopes.
	var a struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	decodeErr := json.Unmarshal(data, &a)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(data) >= maxAckSize {
		s.st.Counters.OversizedAcks++
		s.st.Warnings = append(s.st.Warnings, fmt.Sprintf("ack of %d bytes on connection %d dropped (limit %d)", len(data), c.id, maxAckSize))
		s.notifyLocked()
		return
	}
	if decodeErr != nil || a.EnvelopeID == "" {
		s.st.Counters.UnknownAcks++
		s.notifyLocked()
		return
	}
	e := s.envelopes[a.EnvelopeID]
	if e == nil {
		s.st.Counters.UnknownAcks++
		s.notifyLocked()
		return
	}
	if e.acked || e.failed {
		s.st.Counters.DuplicateAcks++
		s.notifyLocked()
		return
	}
	rec := s.envRecLocked(e)
	if len(rec.Deliveries) == 0 {
		s.st.Counters.UnknownAcks++
		s.notifyLocked()
		return
	}
	e.acked = true
	e.outstanding = false
	e.stopTimers()
	d := &rec.Deliveries[len(rec.Deliveries)-1]
	d.Outcome = "acked"
	now := arrived
	payload := a.Payload
	if len(payload) == 0 || string(payload) == "null" {
		payload = nil
	}
	ack := &Ack{EnvelopeID: e.id, Payload: payload, At: now, Latency: now.Sub(d.SentAt), RetryAttempt: d.RetryAttempt, ConnID: c.id}
	s.processAckLocked(e, ack)
	rec.Ack = ack
	s.st.Counters.Acks++
	if ack.Rejected != "" {
		s.st.Counters.RejectedAcks++
	}
	s.notifyLocked()
}

// DropConnections closes every Socket Mode connection abruptly (no close
// frame), like a network failure. Slack sees the failure at once, before the
// app can reconnect: each unacknowledged slash command or click fails
// (dispatch_failed) and each event waits for Slack's next retry. It returns
// the number of connections dropped.
func (s *Server) DropConnections() int {
	s.mu.Lock()
	conns := make([]*wsConn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.st.Counters.Drops += len(conns)
	for _, c := range conns { // all forgotten before any envelope is handed on
		delete(s.conns, c.id)
	}
	for _, c := range conns {
		s.handOnLocked(c)
	}
	s.notifyLocked()
	s.mu.Unlock()
	for _, c := range conns {
		c.kill()
	}
	return len(conns)
}

// Connections returns the ids of the live Socket Mode connections that
// still take envelopes (not told to disconnect), oldest first.
func (s *Server) Connections() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int
	for id := 1; id <= s.nextConnID; id++ {
		if c, ok := s.conns[id]; ok && !c.draining {
			ids = append(ids, id)
		}
	}
	return ids
}

// DropConnection closes one Socket Mode connection abruptly, like a network
// failure on that socket only. Its unacknowledged envelopes go to another
// live connection at once, or fail (see enqueueLocked) when none is left.
// It reports whether the connection was live.
func (s *Server) DropConnection(id int) bool {
	s.mu.Lock()
	c, ok := s.conns[id]
	if ok {
		s.st.Counters.Drops++
		delete(s.conns, id)
		s.handOnLocked(c) // at once, as Slack sees the socket fail
	}
	s.mu.Unlock()
	if ok {
		c.kill()
	}
	return ok
}

// SendDisconnectTo sends a disconnect message with reason on one
// connection, as Slack refreshes each connection on its own schedule
// ("refresh_requested" comes a few hours after that connection opened). It
// reports whether the connection was live and not already told.
func (s *Server) SendDisconnectTo(id int, reason string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.conns[id]
	if !ok || c.draining {
		return false
	}
	s.disconnectLocked(c, reason)
	s.notifyLocked()
	return true
}

// SendDisconnect sends a disconnect message with reason ("warning",
// "refresh_requested", "link_disabled"…) on every live connection. They
// receive no new envelopes and are closed after the disconnect grace period
// unless the app closes them first. It returns the number of connections.
func (s *Server) SendDisconnect(reason string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.conns {
		if !c.draining {
			s.disconnectLocked(c, reason)
			n++
		}
	}
	s.notifyLocked()
	return n
}

func (s *Server) disconnectLocked(c *wsConn, reason string) {
	c.draining = true
	s.st.Counters.Disconnects++
	msg := mustJSON(map[string]any{"type": "disconnect", "reason": reason, "debug_info": map[string]any{"host": fmt.Sprintf("applink-slacktest-%d", c.id)}})
	select {
	case c.out <- msg:
	default:
		go c.kill()
	}
	time.AfterFunc(s.cfg.disconnectGrace, c.kill)
}

func (s *Server) runChaos(ch Chaos) {
	defer s.wg.Done()
	if ch.MinInterval <= 0 {
		ch.MinInterval = 200 * time.Millisecond
	}
	if ch.MaxInterval < ch.MinInterval {
		ch.MaxInterval = max(ch.MinInterval, time.Second)
	}
	if ch.DropWeight <= 0 && ch.DisconnectWeight <= 0 {
		ch.DropWeight, ch.DisconnectWeight = 1, 1
	}
	if len(ch.Reasons) == 0 {
		ch.Reasons = []string{DisconnectWarning, DisconnectRefreshRequested}
	}
	for {
		s.mu.Lock()
		d := ch.MinInterval
		if span := ch.MaxInterval - ch.MinInterval; span > 0 {
			d += time.Duration(s.rng.Int64N(int64(span)))
		}
		s.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-s.closeCh:
			t.Stop()
			return
		case <-t.C:
		}
		s.mu.Lock()
		var live []*wsConn
		for id := 1; id <= s.nextConnID; id++ {
			if c, ok := s.conns[id]; ok && !c.draining {
				live = append(live, c)
			}
		}
		if len(live) == 0 || (ch.KeepOne && len(live) < 2) {
			s.mu.Unlock()
			continue
		}
		c := live[s.rng.IntN(len(live))]
		var victim *wsConn
		if s.rng.IntN(max(ch.DropWeight, 0)+max(ch.DisconnectWeight, 0)) < max(ch.DropWeight, 0) {
			s.st.Counters.Drops++
			victim = c
			delete(s.conns, c.id)
			s.handOnLocked(c) // at once, as DropConnection does
		} else {
			s.disconnectLocked(c, ch.Reasons[s.rng.IntN(len(ch.Reasons))])
		}
		s.notifyLocked()
		s.mu.Unlock()
		if victim != nil {
			victim.kill()
		}
	}
}

// wireEnvelope encodes an envelope as Slack sends it, keys in the order a
// map's encoding gives them; the payload, encoded by the server itself, is
// copied as is rather than checked and compacted again.
func wireEnvelope(e *envelope) []byte {
	b := make([]byte, 0, len(e.payload)+192)
	b = append(b, `{"accepts_response_payload":`...)
	b = strconv.AppendBool(b, e.accepts)
	b = append(b, `,"envelope_id":`...)
	b = append(b, mustJSON(e.id)...)
	b = append(b, `,"payload":`...)
	if len(e.payload) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, e.payload...)
	}
	b = append(b, `,"retry_attempt":`...)
	b = strconv.AppendInt(b, int64(e.attempt), 10)
	b = append(b, `,"retry_reason":`...)
	b = append(b, mustJSON(e.reason)...)
	b = append(b, `,"type":`...)
	b = append(b, mustJSON(e.typ)...)
	return append(b, '}')
}
