package teams

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// fakeClock is the shared clock of a test: the code under test and
// teamstest read it, and Sleep advances it at once (no test sleeps).
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return ctx.Err()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// newTeams is a local Teams where the app is installed with the project's
// manifest (manifests/teams/manifest.json): what it declares, Teams does.
func newTeams(t *testing.T, opts ...teamstest.Option) *teamstest.Server {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(manifestDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := teamstest.New(append([]teamstest.Option{teamstest.WithLogf(t.Logf), teamstest.WithManifest(manifest)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// configFor is the configuration of a bot registered on srv.
func configFor(srv *teamstest.Server) Config {
	return Config{
		Addr:              "127.0.0.1:0",
		AppID:             srv.AppID(),
		AppPassword:       srv.AppPassword(),
		TenantID:          srv.TenantID(),
		OpenIDMetadataURL: srv.MetadataURL(),
		Issuer:            srv.Issuer(),
		TokenURL:          srv.TokenURL(),
		TokenScope:        srv.Scope(),
	}
}

// serve runs h on loopback and returns its base URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return "http://" + ln.Addr().String()
}

func sprintf(f string, args ...any) string { return fmt.Sprintf(f, args...) }
