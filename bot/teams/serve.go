package teams

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// ShutdownGrace is how long requests under way at a shutdown get to
// finish.
const ShutdownGrace = 10 * time.Second

// serveGrace is ShutdownGrace; tests shorten it.
var serveGrace = ShutdownGrace

// stopKey is the context key of the context a request's work after its
// answer (Handler.after) ends with: the server's, cancelled once the
// grace is over.
type stopKey struct{}

// Serve runs the messaging endpoint h on ln (a listener on
// DEALPILOT_TEAMS_ADDR; TLS is the reverse proxy's) until ctx ends, then
// lets requests under way finish for up to ShutdownGrace: their contexts
// do not end with ctx but with the grace (an activity half handled when
// the bot stops was answered 500 at once, its work cut off). Once the grace is over the requests left are
// cancelled, and Serve returns when their handlers have (the caller may
// then close the file they write to).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	base = context.WithValue(base, stopKey{}, base)
	var (
		mu       sync.Mutex
		stopping bool
		inflight sync.WaitGroup
	)
	track := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if stopping {
			mu.Unlock()
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		inflight.Add(1)
		mu.Unlock()
		defer inflight.Done()
		h.ServeHTTP(w, r)
	})
	srv := &http.Server{
		Handler:           track,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveGrace)
	defer cancel()
	err := srv.Shutdown(shut)
	cancelBase() // the grace is over: what is still running is cancelled
	mu.Lock()
	stopping = true
	mu.Unlock()
	inflight.Wait()
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
