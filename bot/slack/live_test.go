package slack

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// The ordering rules of live form updates; the Slack side (hash_conflict)
// is covered end to end in e2e_preview_test.go.
func TestLiveViewsOrder(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	type change struct {
		ts, hash string
		sends    string // the hash views.update is called with; "" when it is not called
		answer   string // the hash the update gets back
	}
	tests := []struct {
		name    string
		changes []change
	}{
		{"OneChange", []change{{"1.000001", "H0", "H0", "H1"}}},
		{"SameVersionTwoKeystrokes", []change{
			// Both typed on H0; the first preview made it H1, so the second
			// (newer) is sent with H1 instead of being refused.
			{"1.000001", "H0", "H0", "H1"},
			{"1.000002", "H0", "H1", "H2"},
		}},
		{"OlderChangeDropped", []change{
			{"1.000002", "H0", "H0", "H1"},
			{"1.000001", "H0", "", ""},
		}},
		{"OlderBySecondsDropped", []change{
			{"2.000001", "H0", "H0", "H1"},
			{"1.999999", "H0", "", ""},
		}},
		{"ViewChangedElsewhere", []change{
			// H9 is no hash of ours (a submission replaced the view): it
			// is sent as is, and Slack decides.
			{"1.000001", "H0", "H0", "H1"},
			{"1.000002", "H9", "H9", "H10"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLiveViews()
			for i, c := range tt.changes {
				called := ""
				err := l.update("V1", c.hash, parseActionTime(c.ts), now, func(h string) (string, error) {
					called = h
					return c.answer, nil
				})
				if called != c.sends {
					t.Fatalf("change %d: views.update with %q, want %q", i, called, c.sends)
				}
				if c.sends == "" && !errors.Is(err, errStale) {
					t.Fatalf("change %d: err %v, want errStale", i, err)
				}
			}
		})
	}
}

// A change that waits for its view's turn while a newer one arrives is
// dropped once its turn comes.
func TestLiveViewsNewerWhileWaiting(t *testing.T) {
	l := newLiveViews()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	inFirst, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		_ = l.update("V1", "H0", parseActionTime("1.1"), now, func(string) (string, error) {
			close(inFirst)
			<-release
			return "H1", nil
		})
	})
	<-inFirst
	second := make(chan error, 1)
	calledSecond := make(chan struct{}, 1)
	wg.Go(func() {
		second <- l.update("V1", "H0", parseActionTime("1.2"), now, func(string) (string, error) {
			calledSecond <- struct{}{}
			return "H2", nil
		})
	})
	// The second waits for the turn; meanwhile a third, newer, arrives.
	waitLatest(t, l, "V1", parseActionTime("1.2"))
	third := make(chan error, 1)
	wg.Go(func() {
		third <- l.update("V1", "H0", parseActionTime("1.3"), now, func(h string) (string, error) {
			if h != "H1" {
				t.Errorf("third sent %q, want H1", h)
			}
			return "H3", nil
		})
	})
	waitLatest(t, l, "V1", parseActionTime("1.3"))
	close(release)
	wg.Wait()
	if err := <-third; err != nil {
		t.Fatalf("newest change: %v", err)
	}
	// The second, superseded while it waited, is dropped.
	if err := <-second; !errors.Is(err, errStale) {
		t.Fatalf("second change: %v, want errStale", err)
	}
	if len(calledSecond) != 0 {
		t.Fatal("the superseded change was sent")
	}
}

// waitLatest waits until the view has seen the change at ts.
func waitLatest(t *testing.T, l *liveViews, id string, ts actionTime) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		l.mu.Lock()
		v := l.views[id]
		ok := v != nil && v.latest == ts
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-deadline:
			t.Fatal("the change never arrived")
		default:
			runtime.Gosched()
		}
	}
}

func TestParseActionTime(t *testing.T) {
	tests := []struct {
		a, b string
		less bool
	}{
		{"1733443200.123456", "1733443200.123457", true},
		{"1733443200.9", "1733443201.000001", true},
		{"1733443200.5", "1733443200.123456", false},
		{"1733443200.123456", "1733443200.123456", false},
	}
	for _, tt := range tests {
		if got := parseActionTime(tt.a).before(parseActionTime(tt.b)); got != tt.less {
			t.Errorf("%s before %s = %v", tt.a, tt.b, got)
		}
	}
}
