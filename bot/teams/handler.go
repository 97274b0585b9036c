package teams

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// MessagesPath is the messaging endpoint's path.
const MessagesPath = "/api/messages"

// maxInbound bounds an inbound activity's body (Teams sends at most about
// 100 KB; a card's submitted values stay far below 1 MB).
const maxInbound = 1 << 20

// ActivityFunc handles one authenticated, first-time activity. For an
// invoke it returns the response Teams shows (nil: 200 with no body); for
// other activities the response is ignored. An error answers 500 and lets
// a redelivery try again.
type ActivityFunc func(ctx context.Context, a *Activity) (*InvokeResponse, error)

// Handler is the messaging endpoint: POST /api/messages. Every request is
// authenticated before anything else (a 401 says nothing; only the reason
// is logged), then the activity is parsed, checked against the token,
// deduplicated by conversation and activity id, and handed to the
// ActivityFunc.
type Handler struct {
	verifier *Verifier
	handle   ActivityFunc
	seen     *seen
	logf     func(string, ...any)
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler)

// WithHandlerLogf sets where refusals are logged (the reason only).
func WithHandlerLogf(f func(string, ...any)) HandlerOption {
	return func(h *Handler) { h.logf = f }
}

// WithHandlerClock sets the clock of the dedupe set.
func WithHandlerClock(now func() time.Time) HandlerOption {
	return func(h *Handler) { h.seen.now = now }
}

// NewHandler makes the endpoint.
func NewHandler(v *Verifier, fn ActivityFunc, opts ...HandlerOption) *Handler {
	h := &Handler{verifier: v, handle: fn, seen: newSeen(time.Now), logf: func(string, ...any) {}}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Mux serves the handler at POST /api/messages.
func (h *Handler) Mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("POST "+MessagesPath, h)
	return mux
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id, err := h.verifier.Authenticate(r.Context(), r.Header.Get("Authorization"))
	if err != nil {
		h.refuse(w, err)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxInbound+1))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	if len(body) > maxInbound {
		http.Error(w, "activity too large", http.StatusRequestEntityTooLarge)
		return
	}
	var a Activity
	if err := json.Unmarshal(body, &a); err != nil {
		h.logf("teams: 400: the activity is not JSON: %v", err)
		http.Error(w, "the activity is not JSON", http.StatusBadRequest)
		return
	}
	if err := id.Admit(&a); err != nil {
		h.refuse(w, err)
		return
	}
	if a.ID == "" || a.Conversation == nil || a.Conversation.ID == "" {
		h.logf("teams: 400: activity without id or conversation")
		http.Error(w, "the activity has no id or no conversation", http.StatusBadRequest)
		return
	}
	key := a.Conversation.ID + "\x00" + a.ID
	entry, first := h.seen.begin(key, id.replayable)
	if !first {
		select {
		case <-entry.done:
			h.write(w, entry.answer)
		case <-r.Context().Done():
		}
		return
	}
	resp, err := h.handle(r.Context(), &a)
	if err != nil {
		h.logf("teams: 500: %s %s %s: %v", a.Type, a.Name, a.ID, err)
		ans := answer{status: http.StatusInternalServerError}
		h.seen.forget(key, entry, ans)
		h.write(w, ans)
		return
	}
	ans := answer{status: http.StatusOK}
	if a.Type == TypeInvoke && resp != nil {
		if resp.Status != 0 {
			ans.status = resp.Status
		}
		if resp.Body != nil {
			if ans.body, err = json.Marshal(resp.Body); err != nil {
				h.logf("teams: 500: %s %s: invoke response: %v", a.Name, a.ID, err)
				ans = answer{status: http.StatusInternalServerError}
				h.seen.forget(key, entry, ans)
				h.write(w, ans)
				return
			}
		}
	}
	h.seen.finish(entry, ans)
	h.write(w, ans)
	if resp != nil && len(resp.After) > 0 {
		h.after(r.Context(), a, resp.After)
	}
}

// afterTimeout bounds the work that follows an answer (as Slack's).
const afterTimeout = 2 * time.Minute

// after runs the work an answer left for later, once the answer is out:
// flushed whole (its length said), so that Teams has it while this runs.
// The work gets a context of its own: Teams hanging up once it has the
// answer must not cancel it. A server shutting down waits for it, as for
// any request under way, for up to its grace (Serve).
func (h *Handler) after(rctx context.Context, a Activity, fns []func(context.Context)) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(rctx), afterTimeout)
	defer cancel()
	if stop, ok := rctx.Value(stopKey{}).(context.Context); ok {
		// Serve's grace over, the work is cancelled too.
		defer context.AfterFunc(stop, cancel)()
	}
	for _, fn := range fns {
		func() {
			defer func() {
				if p := recover(); p != nil {
					h.logf("teams: the work after %s %s %s panicked: %v", a.Type, a.Name, a.ID, p)
				}
			}()
			fn(ctx)
		}()
	}
}

func (h *Handler) refuse(w http.ResponseWriter, err error) {
	h.logf("teams: 401: %v", err)
	w.Header().Set("WWW-Authenticate", "Bearer")
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// write sends the answer whole, its length said, and flushes it: the
// caller may go on working after it (Handler.after) without holding it.
func (h *Handler) write(w http.ResponseWriter, a answer) {
	if a.body != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	w.Write(a.body)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
