package slack

// What comes back from Slack is untrusted. A modal's private_metadata and a
// button's value are strings the bot wrote, but a payload carrying them
// may be forged or altered, so both are sealed (bot/seal: HMAC-SHA256 with
// the store's key) when they go out and opened before anything else when
// they come back; what does not open is refused, logged without its
// content, and does nothing.
//
// A reply URL is never read from what the bot wrote: a form opened by a
// slash command or a click confirms through that command's (that click's)
// response_url, which the bot keeps (replyBook) and names in the form's
// metadata by a random handle bound to the user. Every response_url is
// posted to only when it is on Slack's host (replyAllowed).

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/seal"
)

// Slack's limits on what the bot seals (slacktest enforces them).
const (
	maxPrivateMetadata = 3000
	maxButtonValue     = 2000
)

// Seal purposes: a modal's metadata is sealed for its callback_id, a
// button's value for its action_id, so neither opens anywhere else.
const (
	purposeView   = "view:"
	purposeButton = "button:"
)

// errWrongUser: a form's metadata submitted by someone other than the user
// it was opened for (a view belongs to one user on Slack).
var errWrongUser = errors.New("form metadata of another user")

// sealedMeta is a modal's private_metadata before sealing: who the form
// was opened for, and the bot's context of it.
type sealedMeta struct {
	User string          `json:"u"`
	Meta json.RawMessage `json:"m"`
}

// modal renders f for user with its metadata and button values sealed.
func (a *App) modal(f bot.Form, user string) (goslack.ModalViewRequest, error) {
	v, err := renderModal(a.loc, f)
	if err != nil {
		return v, err
	}
	raw, err := json.Marshal(sealedMeta{User: user, Meta: json.RawMessage(v.PrivateMetadata)})
	if err != nil {
		return v, err
	}
	v.PrivateMetadata = a.seal.Seal(purposeView+v.CallbackID, string(raw))
	if len(v.PrivateMetadata) > maxPrivateMetadata {
		return v, fmt.Errorf("form %s: sealed private_metadata is %d characters, Slack takes %d", f.Kind, len(v.PrivateMetadata), maxPrivateMetadata)
	}
	v.Blocks.BlockSet = a.sealBlocks(v.Blocks.BlockSet)
	return v, nil
}

// openMeta opens a submitted (or changed) view's metadata for user.
func (a *App) openMeta(v goslack.View, user string) (bot.FormMeta, error) {
	raw, err := a.seal.Open(purposeView+v.CallbackID, v.PrivateMetadata)
	if err != nil {
		return bot.FormMeta{}, err
	}
	var sm sealedMeta
	var m bot.FormMeta
	if err := json.Unmarshal([]byte(raw), &sm); err != nil {
		return m, fmt.Errorf("sealed metadata does not decode: %w", err)
	}
	if sm.User != user {
		return m, errWrongUser
	}
	if err := json.Unmarshal(sm.Meta, &m); err != nil {
		return m, fmt.Errorf("sealed form metadata does not decode: %w", err)
	}
	return m, nil
}

// openButton opens a clicked button's value.
func (a *App) openButton(actionID, value string) (string, error) {
	return a.seal.Open(purposeButton+actionID, value)
}

// refusal names why sealed content did not open, for the log (never the
// content itself).
func refusal(err error) string {
	switch {
	case errors.Is(err, seal.ErrNotSealed):
		return "not sealed (forged, or made before sealing)"
	case errors.Is(err, seal.ErrForged):
		return "signature does not match (altered, or another key)"
	case errors.Is(err, errWrongUser):
		return "sealed for another user"
	}
	return "undecodable"
}

// sealed returns m with its buttons' values sealed.
func (a *App) sealed(m message) message {
	m.Blocks = a.sealBlocks(m.Blocks)
	return m
}

// sealBlocks returns blocks with every button's value sealed for its
// action_id, copying what it changes (blocks may be shared). A value
// already sealed is left as it is.
func (a *App) sealBlocks(blocks []goslack.Block) []goslack.Block {
	out, copied := blocks, false
	for i, b := range blocks {
		nb := a.sealBlock(b)
		if nb == b {
			continue
		}
		if !copied {
			out, copied = slices.Clone(blocks), true
		}
		out[i] = nb
	}
	return out
}

func (a *App) sealBlock(b goslack.Block) goslack.Block {
	switch x := b.(type) {
	case *goslack.ActionBlock:
		if x.Elements == nil {
			return b
		}
		var els []goslack.BlockElement
		for i, e := range x.Elements.ElementSet {
			btn, ok := e.(*goslack.ButtonBlockElement)
			if !ok {
				continue
			}
			if s := a.sealButton(btn); s != btn {
				if els == nil {
					els = slices.Clone(x.Elements.ElementSet)
				}
				els[i] = s
			}
		}
		if els == nil {
			return b
		}
		c := *x
		c.Elements = &goslack.BlockElements{ElementSet: els}
		return &c
	case *goslack.SectionBlock:
		if x.Accessory == nil || x.Accessory.ButtonElement == nil {
			return b
		}
		s := a.sealButton(x.Accessory.ButtonElement)
		if s == x.Accessory.ButtonElement {
			return b
		}
		c, acc := *x, *x.Accessory
		acc.ButtonElement = s
		c.Accessory = &acc
		return &c
	}
	return b
}

func (a *App) sealButton(btn *goslack.ButtonBlockElement) *goslack.ButtonBlockElement {
	if _, err := a.openButton(btn.ActionID, btn.Value); err == nil {
		return btn
	}
	c := *btn
	c.Value = a.seal.Seal(purposeButton+btn.ActionID, btn.Value)
	if len(c.Value) > maxButtonValue {
		// Slack would refuse the message; a value this long is a bug.
		a.log.Error().Str("action_id", btn.ActionID).Int("len", len(c.Value)).Msg("sealed button value over Slack's limit")
	}
	return &c
}

// replyAllowed reports whether raw may be posted to as a response_url: an
// absolute URL without credentials, over the Web API's scheme, on the Web
// API's host or its hooks. subdomain (slack.com and hooks.slack.com in
// production, the local server in tests). Anything else was not made by
// Slack, and posting deal data there would hand it to whoever named it.
func (a *App) replyAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" || u.Host == "" {
		return false
	}
	api := a.apiBase
	return u.Scheme == api.Scheme && (u.Host == api.Host || u.Host == "hooks."+api.Host)
}

// replyLifetime is how long Slack takes posts to a response_url.
const replyLifetime = 30 * time.Minute

// maxReplies bounds the response_urls kept for open forms; past it the
// oldest is forgotten (its form, if still open, confirms by ephemeral
// message or DM instead).
const maxReplies = 20000

// replyBook keeps the response_url of each command or click that opened a
// form, under a random handle the form's sealed metadata carries, bound to
// the user it was given for. order holds the handles in the order kept, so
// a full book drops its oldest in constant time instead of sweeping every
// entry under its lock for each new form.
type replyBook struct {
	mu    sync.Mutex
	m     map[string]reply
	order []string
}

type reply struct {
	user, url string
	at        time.Time
}

func newReplyBook() *replyBook { return &replyBook{m: map[string]reply{}} }

// keep records url, given by Slack to user at now, and returns its handle
// ("" when there is nothing to keep).
func (r *replyBook) keep(user, url string, now time.Time) string {
	if url == "" {
		return ""
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := base64.RawURLEncoding.EncodeToString(b)
	r.mu.Lock()
	defer r.mu.Unlock()
	// Drop from the front what has expired or was already taken out, and
	// the oldest while the book is full.
	for len(r.order) > 0 {
		e, ok := r.m[r.order[0]]
		if ok && now.Sub(e.at) <= replyLifetime && len(r.m) < maxReplies {
			break
		}
		if ok {
			delete(r.m, r.order[0])
		}
		r.order[0] = ""
		r.order = r.order[1:]
	}
	r.m[h] = reply{user: user, url: url, at: now}
	r.order = append(r.order, h)
	return h
}

// url returns the response_url kept under handle for user, or "" when
// there is none, it is another user's, or Slack no longer takes it.
func (r *replyBook) url(handle, user string, now time.Time) string {
	if handle == "" {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.m[handle]
	if !ok || e.user != user {
		return ""
	}
	if now.Sub(e.at) > replyLifetime {
		delete(r.m, handle)
		return ""
	}
	return e.url
}
