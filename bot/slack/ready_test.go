package slack

import (
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/domain"
)

// TestReadyWithOneConnectionUp: the bot holds two Socket Mode connections
// and Slack delivers to any live one, so it is ready while at least one is
// up, and not ready only when both are down.
func TestReadyWithOneConnectionUp(t *testing.T) {
	hello := socketmode.Event{Type: socketmode.EventTypeHello}
	connected := socketmode.Event{Type: socketmode.EventTypeConnected, Data: &socketmode.ConnectedEvent{}}
	connecting := socketmode.Event{Type: socketmode.EventTypeConnecting}
	failed := socketmode.Event{Type: socketmode.EventTypeConnectionError}
	steps := []struct {
		conn  int
		evt   socketmode.Event
		ready bool
	}{
		{0, connecting, false},
		{0, hello, true},
		{1, connected, true},
		{0, connecting, true}, // connection 0 refreshes: 1 takes everything
		{0, failed, true},
		{1, connecting, false}, // both down
		{1, hello, true},
		{0, connected, true},
		{1, failed, true},
		{0, connecting, false},
	}
	clock := domain.NewManualClock(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
	a := &App{log: zerolog.Nop(), clock: clock, downAt: clock.Now()}
	a.webOK.Store(true)
	for i, s := range steps {
		clock.Advance(10 * time.Second)
		a.observe(s.conn, s.evt)
		if got := a.Ready(); got != s.ready {
			t.Fatalf("step %d (%s on connection %d): ready %v, want %v (%s)", i, s.evt.Type, s.conn, got, s.ready, a.NotReady())
		}
		// Without a connection since this step, or up: how long, for /healthz.
		clock.Advance(5 * time.Second)
		want := time.Duration(0)
		switch {
		case !s.ready && i == 0:
			want = 15 * time.Second // since New: never connected
		case !s.ready:
			want = 5 * time.Second // since this step dropped the last one
		}
		if got := a.Disconnected(); got != want {
			t.Fatalf("step %d: disconnected for %s, want %s", i, got, want)
		}
	}
}
