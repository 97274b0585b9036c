package teams

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// metadataDoor stands between the verifier and the local Teams' OpenID
// metadata, as a Microsoft endpoint that fails or is slow: it counts the
// GETs, answers them with status when set, and holds them while hold is
// open.
type metadataDoor struct {
	target  string
	mu      sync.Mutex
	status  int           // 0: the metadata is passed through
	hold    chan struct{} // not nil: GETs wait until it is closed
	arrived chan struct{} // a GET arrived (buffered)
	asked   int
}

func newMetadataDoor(t *testing.T) (*metadataDoor, func(srv *teamstest.Server, c *Config)) {
	d := &metadataDoor{arrived: make(chan struct{}, 100)}
	return d, func(srv *teamstest.Server, c *Config) {
		d.target = srv.MetadataURL()
		c.OpenIDMetadataURL = serve(t, d) + "/metadata"
	}
}

func (d *metadataDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.asked++
	status, hold := d.status, d.hold
	d.mu.Unlock()
	d.arrived <- struct{}{}
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	if status != 0 {
		http.Error(w, "unavailable", status)
		return
	}
	resp, err := http.Get(d.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (d *metadataDoor) set(status int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.status = status
}

func (d *metadataDoor) gets() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.asked
}

// arrival waits for a GET at the door (a guard: it would wait forever).
func (d *metadataDoor) arrival(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case <-d.arrived:
	case <-ctx.Done():
		t.Fatal("no metadata GET arrived")
	}
}

func (k *keyCache) fetchesStarted() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.started
}

// deliverSettled delivers a message with a token forged as f, waits until
// any fetch it started has ended, and returns the status.
func (e *endpoint) deliverSettled(t *testing.T, f teamstest.Forgery) int {
	t.Helper()
	d, err := e.srv.DeliverForged(context.Background(), e.srv.Message(e.alice, e.conv, "hi"), f)
	if err != nil {
		t.Fatal(err)
	}
	e.verifier.keys.settle()
	return d.Status
}

// TestKeysServedWhileTheMetadataFails: a day after the keys were fetched
// the metadata endpoint answers 503. The cached keys still admit genuine
// tokens, and the failed refresh is not tried again for five minutes,
// whatever asks for it: ten genuine requests, or tokens with unknown kids.
func TestKeysServedWhileTheMetadataFails(t *testing.T) {
	door, change := newMetadataDoor(t)
	e := newEndpointWith(t, 0, change)
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 || door.gets() != 1 {
		t.Fatalf("first activity: status %d, %d metadata GETs", st, door.gets())
	}

	door.set(http.StatusServiceUnavailable)
	e.clock.Advance(25 * time.Hour)
	for i := range 10 {
		if st := e.deliverSettled(t, teamstest.Genuine); st != 200 {
			t.Fatalf("request %d with a cached key: status %d (%s)", i, st, e.lastLog())
		}
	}
	if n := door.gets(); n != 2 {
		t.Fatalf("%d metadata GETs for ten requests while it fails, want one more than the first", n)
	}
	// within the back-off, unknown kids fetch nothing either
	e.clock.Advance(4 * time.Minute)
	for range 3 {
		if st := e.deliverSettled(t, teamstest.UnknownKID); st != 401 {
			t.Fatalf("an unknown kid: status %d", st)
		}
	}
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 || door.gets() != 2 {
		t.Fatalf("within the back-off: status %d, %d metadata GETs, want 200 and 2", st, door.gets())
	}
	// past it, one more try for all the unknown kids, failing again
	e.clock.Advance(time.Minute)
	for range 3 {
		if st := e.deliverSettled(t, teamstest.UnknownKID); st != 401 {
			t.Fatalf("an unknown kid: status %d", st)
		}
	}
	if n := door.gets(); n != 3 {
		t.Fatalf("%d metadata GETs after the back-off, want 3", n)
	}
	// the endpoint back, the keys are refreshed once the back-off is over,
	// and not again
	door.set(0)
	e.clock.Advance(5 * time.Minute)
	for range 3 {
		if st := e.deliverSettled(t, teamstest.Genuine); st != 200 {
			t.Fatalf("the endpoint back: status %d", st)
		}
	}
	if n, f := door.gets(), e.srv.KeysFetches(); n != 4 || f != 2 {
		t.Fatalf("the endpoint back: %d metadata GETs, %d JWKS GETs, want 4 and 2", n, f)
	}
}

// TestNoKeysYetBacksOff: before the first successful fetch, a failing
// metadata endpoint is asked once per back-off, not once per request.
func TestNoKeysYetBacksOff(t *testing.T) {
	door, change := newMetadataDoor(t)
	e := newEndpointWith(t, 0, change)
	door.set(http.StatusServiceUnavailable)
	for range 10 {
		if st := e.deliverSettled(t, teamstest.Genuine); st != 401 {
			t.Fatalf("no keys: status %d", st)
		}
	}
	if n := door.gets(); n != 1 {
		t.Fatalf("%d metadata GETs for ten requests, want 1", n)
	}
	if log := e.lastLog(); !strings.Contains(log, "signing keys unavailable") || !strings.Contains(log, "503") {
		t.Errorf("log %q, want why the keys are unavailable", log)
	}
	door.set(0)
	e.clock.Advance(5 * time.Minute)
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 || door.gets() != 2 {
		t.Fatalf("the endpoint back: status %d, %d metadata GETs", st, door.gets())
	}
}

// TestSlowRefreshBlocksNoOne: a refresh that hangs on a slow endpoint
// holds no request whose key is cached, and is the only one under way.
func TestSlowRefreshBlocksNoOne(t *testing.T) {
	door, change := newMetadataDoor(t)
	e := newEndpointWith(t, 0, change)
	// a guard, not a measure: with the fetch under the lock, the requests
	// below would wait for it until this gives up
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 {
		t.Fatalf("first activity: status %d", st)
	}
	door.arrival(t, ctx)
	hold := make(chan struct{})
	door.mu.Lock()
	door.hold = hold
	door.mu.Unlock()
	e.clock.Advance(25 * time.Hour)

	for i := range 5 {
		d, err := e.srv.DeliverForged(ctx, e.srv.Message(e.alice, e.conv, "hi"), teamstest.Genuine)
		if err != nil {
			t.Fatalf("request %d while the refresh hangs: %v", i, err)
		}
		if d.Status != 200 {
			t.Fatalf("request %d while the refresh hangs: status %d", i, d.Status)
		}
		if i == 0 {
			door.arrival(t, ctx) // the refresh is at the door
		}
	}
	if n := e.verifier.keys.fetchesStarted(); n != 2 {
		t.Errorf("%d fetches started, want the first and one refresh", n)
	}
	close(hold)
	e.verifier.keys.settle()
	if n, f := door.gets(), e.srv.KeysFetches(); n != 2 || f != 2 {
		t.Errorf("%d metadata GETs, %d JWKS GETs, want 2 and 2", n, f)
	}
}

// TestStaleKeysRefused: while the metadata endpoint fails, the cached keys
// serve for a day past their refresh time, no longer: two days after
// their fetch a genuine token is refused (401), the log saying why; once
// the endpoint answers again, fresh keys admit it.
func TestStaleKeysRefused(t *testing.T) {
	door, change := newMetadataDoor(t)
	e := newEndpointWith(t, 0, change)
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 {
		t.Fatalf("first activity: status %d", st)
	}
	door.set(http.StatusServiceUnavailable)
	e.clock.Advance(47 * time.Hour)
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 {
		t.Fatalf("keys 47 h old, refresh failing: status %d (%s), want them still used", st, e.lastLog())
	}
	e.clock.Advance(2 * time.Hour)
	if st := e.deliverSettled(t, teamstest.Genuine); st != 401 {
		t.Fatalf("keys 49 h old, refresh failing: status %d, want 401", st)
	}
	if log := e.lastLog(); !strings.Contains(log, "more than 48h0m0s") || !strings.Contains(log, "503") {
		t.Errorf("log %q, want why: keys too old, and the refresh's failure", log)
	}
	door.set(0)
	e.clock.Advance(5 * time.Minute)
	if st := e.deliverSettled(t, teamstest.Genuine); st != 200 {
		t.Fatalf("the endpoint back: status %d (%s)", st, e.lastLog())
	}
}
