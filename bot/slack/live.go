package slack

// Live forms: an input the bot marks Live dispatches block_actions as the
// user types or ticks (dispatch_action), and the bot answers each change
// with the form refreshed (the discount form's preview) through
// views.update.
//
// Changes race: Slack sends one payload per change, envelopes are served
// concurrently (over two connections), and an update that lands late
// would show figures older than the ones typed. Three rules keep what is
// shown the newest:
//   - per view, the changes are applied one at a time, and a change older
//     (by its action_ts) than one already seen is dropped: the newer one
//     updates;
//   - every views.update carries the view's hash, so an update is refused
//     (hash_conflict) when the view changed since the payload was made,
//     by a submission that replaced it for instance. It is not retried:
//     whatever changed the view is newer, and a later change updates it;
//   - typing does not change a view's hash, only updates do, so two
//     changes made on the same version carry the same hash. When the
//     payload's hash is one our own previews have since replaced, the
//     view changed only by our previews (which keep what the user typed:
//     same block and action ids), and the hash to send is the one our last
//     preview got back.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
)

// liveForget is how long a view's live state is kept after its last change.
const liveForget = time.Hour

// liveViews orders the live updates of the open views.
type liveViews struct {
	mu    sync.Mutex
	views map[string]*liveView
}

type liveView struct {
	turn     sync.Mutex      // held for one update of the view at a time
	latest   actionTime      // the newest change seen (guarded by liveViews.mu)
	ours     map[string]bool // hashes our own updates replaced (under turn)
	hash     string          // the hash our last update got back (under turn)
	lastSeen time.Time       // guarded by liveViews.mu
}

func newLiveViews() *liveViews { return &liveViews{views: map[string]*liveView{}} }

// errStale says a change was not shown: a newer one is, or will be.
var errStale = errors.New("live: a newer change updates the view")

// update runs fn, the views.update of one change made at ts on a view
// whose payload carried hash, with the hash to send; fn returns the
// view's new hash. It returns errStale, without calling fn, when a newer
// change of the view was seen.
func (l *liveViews) update(viewID, hash string, ts actionTime, now time.Time, fn func(hash string) (string, error)) error {
	l.mu.Lock()
	for id, v := range l.views {
		if now.Sub(v.lastSeen) > liveForget {
			delete(l.views, id)
		}
	}
	v := l.views[viewID]
	if v == nil {
		v = &liveView{ours: map[string]bool{}}
		l.views[viewID] = v
	}
	v.lastSeen = now
	if ts.before(v.latest) {
		l.mu.Unlock()
		return errStale
	}
	v.latest = ts
	l.mu.Unlock()

	v.turn.Lock()
	defer v.turn.Unlock()
	l.mu.Lock()
	newer := ts.before(v.latest)
	l.mu.Unlock()
	if newer {
		return errStale
	}
	send := hash
	if v.hash != "" && v.ours[hash] {
		send = v.hash
	}
	got, err := fn(send)
	if err != nil {
		return err
	}
	v.ours[send] = true
	v.hash = got
	return nil
}

// actionTime is an action_ts ("1733443200.123456") as comparable numbers.
type actionTime struct{ sec, frac int64 }

func parseActionTime(s string) actionTime {
	a, b, _ := strings.Cut(s, ".")
	sec, _ := strconv.ParseInt(a, 10, 64)
	b = (b + "000000")[:6]
	frac, _ := strconv.ParseInt(b, 10, 64)
	return actionTime{sec, frac}
}

func (t actionTime) before(u actionTime) bool {
	return t.sec < u.sec || (t.sec == u.sec && t.frac < u.frac)
}

// isInputOf reports whether blockID is an input block of view.
func isInputOf(view goslack.View, blockID string) bool {
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*goslack.InputBlock); ok && in.BlockID == blockID {
			return true
		}
	}
	return false
}

// onFormChange answers a change of a live input (already acked): the
// form's ChangeHandler gives the form to show, and views.update shows it
// unless a newer change or a submission got there first. Nothing here is
// an error for the user: a typing mistake is said in the form itself, and
// a failed update leaves the form as it was.
func (a *App) onFormChange(x *exchange, cb goslack.InteractionCallback, act *goslack.BlockAction, h bot.ChangeHandler) {
	x.after(func(ctx context.Context) {
		meta, err := a.openMeta(cb.View, cb.User.ID)
		if err != nil {
			// Its submission is refused too, where the user sees why.
			x.log.Warn().Str("callback_id", cb.View.CallbackID).Str("refused", refusal(err)).Msg("live form change: form metadata refused")
			return
		}
		f, err := h(ctx, a.caller(cb.User.ID, meta.Channel), meta, formValues(cb.View.State))
		if err != nil {
			x.log.Warn().Err(err).Msg("live form change not shown")
			return
		}
		f.Meta.Reply, f.Meta.Channel = meta.Reply, meta.Channel
		view, err := a.modal(f, cb.User.ID)
		if err != nil {
			x.log.Error().Err(err).Msg("rendering a live form failed")
			return
		}
		err = a.live.update(cb.View.ID, cb.View.Hash, parseActionTime(act.ActionTs), time.Now(), func(hash string) (string, error) {
			var got string
			err := a.call(ctx, "views.update", func() error {
				r, err := a.api.UpdateViewContext(ctx, view, "", hash, cb.View.ID)
				if err == nil {
					got = r.Hash
				}
				return err
			})
			return got, err
		})
		var se goslack.SlackErrorResponse
		switch {
		case err == nil:
		case errors.Is(err, errStale):
			x.log.Debug().Msg("live form change dropped: a newer one updates the view")
		case errors.As(err, &se) && (se.Err == "hash_conflict" || se.Err == "not_found"):
			// The view changed (a submission replaced or closed it) since
			// this change was made: what it shows now is newer.
			x.log.Debug().Str("error", se.Err).Msg("live form change not shown: the view moved on")
		default:
			x.log.Warn().Err(err).Msg("live form update failed")
		}
	})
}
