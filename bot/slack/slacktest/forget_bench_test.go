package slacktest

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// forgetLoad is a server under dealbench's long-run load, on a clock of
// its own: 4,000 slash commands a second, each an invocation with its
// trigger and response_url, a settled envelope, a response and an
// ephemeral answer with their transcript lines; every fourth one also a
// channel message, a Web API call and a response_url post.
type forgetLoad struct {
	s         *Server
	clock     atomic.Int64
	n         int
	maxAppend time.Duration // the longest lock hold of recording one command
	// appendStalls sums the lock holds of recording one command that
	// took over a millisecond (a list's growth).
	appendStalls time.Duration
}

const (
	forgetLoadRate   = 4000
	forgetLoadKeep   = 30 * time.Second // dealbench's keepRecords
	forgetLoadPeriod = 5 * time.Second  // dealbench's forgetLoop
)

func newForgetLoad(b *testing.B) *forgetLoad {
	b.Helper()
	l := &forgetLoad{}
	l.clock.Store(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC).UnixNano())
	s, err := New(WithClock(l.now), WithoutRateLimits())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	l.s = s
	for _, u := range forgetLoadUsers {
		s.AddUser(User{ID: u, Name: u[2:]})
	}
	s.AddChannel(Channel{ID: "C0SALES", Name: "sales", Members: []string{BotUserID}})
	l.run(forgetLoadKeep)
	l.maxAppend, l.appendStalls = 0, 0 // the first fill's growth is no round's
	return l
}

var forgetLoadUsers = []string{"U0ALICE", "U0BOB", "U0CAROL", "U0DAN"}

func (l *forgetLoad) now() time.Time { return time.Unix(0, l.clock.Load()).UTC() }

// run records d of the load.
func (l *forgetLoad) run(d time.Duration) {
	const step = time.Second / forgetLoadRate
	payload := []byte(`{"command":"/deal","text":"help"}`)
	s := l.s
	for range int(d / step) {
		t0 := time.Now()
		s.mu.Lock()
		l.clock.Add(int64(step))
		user := forgetLoadUsers[l.n%len(forgetLoadUsers)]
		inv := s.newInvocationLocked(KindSlashCommand, user, "C0SALES")
		inv.TriggerID = s.newTriggerLocked(user, inv, "")
		inv.ResponseURL = s.newResponseURLLocked(inv, user, "C0SALES", "", "")
		s.enqueueLocked("slash_commands", "/deal", payload, true, inv) // no connection: settled at once
		s.addResponseLocked(inv, Response{Kind: ResponseAck, Text: "help", ResponseType: "ephemeral"})
		s.addBotMessageLocked(Message{Channel: "C0SALES", EphemeralTo: user, Text: "help", Source: "ack"})
		if l.n%4 == 0 {
			s.addBotMessageLocked(Message{Channel: "C0SALES", Text: "a deal moved", Source: "chat.postMessage"})
			s.st.Calls = append(s.st.Calls, APICall{Method: "chat.postMessage", Token: "bot", At: s.now(), Status: 200})
			s.st.ResponsePosts = append(s.st.ResponsePosts, ResponsePost{URL: inv.ResponseURL, InvocationID: inv.ID, At: s.now(), Status: 200})
		}
		s.mu.Unlock()
		d := time.Since(t0)
		l.maxAppend = max(l.maxAppend, d)
		if d > time.Millisecond {
			l.appendStalls += d
		}
		l.n++
	}
}

// BenchmarkForget measures one Forget of 5 s of records by a server
// holding 30 s of them, as dealbench's long runs have it every 5 s. ns/op
// is the whole Forget (before it worked in batches, one hold of the
// server's lock; see BenchmarkForgetHold);
// max-append-ns the longest lock hold of recording one command between
// the rounds, append-stall-ns/op the sum of those over a millisecond
// (where a list's growth copies what it keeps).
//
//	go test ./bot/slack/slacktest -run '^$' -bench 'BenchmarkForget$' -benchtime 20x
func BenchmarkForget(b *testing.B) {
	l := newForgetLoad(b)
	forgotten := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		l.run(forgetLoadPeriod)
		cut := l.now().Add(-forgetLoadKeep)
		b.StartTimer()
		f := l.s.Forget(cut)
		forgotten += len(f.Envelopes)
	}
	b.ReportMetric(float64(l.maxAppend.Nanoseconds()), "max-append-ns")
	b.ReportMetric(float64(l.appendStalls.Nanoseconds())/float64(b.N), "append-stall-ns/op")
	b.ReportMetric(float64(forgotten)/float64(b.N), "envelopes/op")
}

// BenchmarkForgetHold is BenchmarkForget timing each of Forget's holds of
// the server's lock: what an envelope, an ack or a Web API call of the
// measured app waits for at most while Forget works.
//
//	go test ./bot/slack/slacktest -run '^$' -bench 'BenchmarkForgetHold$' -benchtime 20x
func BenchmarkForgetHold(b *testing.B) {
	l := newForgetLoad(b)
	var holds []time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		l.run(forgetLoadPeriod)
		cut := l.now().Add(-forgetLoadKeep)
		b.StartTimer()
		l.s.forget(cut, func(d time.Duration) { holds = append(holds, d) })
	}
	b.StopTimer()
	slices.Sort(holds)
	at := func(q float64) float64 { return float64(holds[int(q*float64(len(holds)-1))].Nanoseconds()) }
	var stalls time.Duration
	for _, d := range holds {
		if d > time.Millisecond {
			stalls += d
		}
	}
	b.ReportMetric(float64(stalls.Nanoseconds())/float64(b.N), "hold-stall-ns/op")
	b.ReportMetric(float64(l.appendStalls.Nanoseconds())/float64(b.N), "append-stall-ns/op")
	b.ReportMetric(float64(len(holds))/float64(b.N), "holds/op")
	b.ReportMetric(at(0.5), "p50-hold-ns")
	b.ReportMetric(at(0.99), "p99-hold-ns")
	b.ReportMetric(at(1), "max-hold-ns")
	b.ReportMetric(float64(l.maxAppend.Nanoseconds()), "max-append-ns")
}
