package teams

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// The App is the bot's Messenger on Teams. A message's reference is the
// conversation it is in and its activity id, "<conversation>#<id>"; a new
// channel thread's is the thread's conversation id
// ("19:…@thread.tacv2;messageid=<root>"), which names both, so that the
// bot can post into it (thread) and update its root.
var _ bot.Messenger = (*App)(nil)

// isChannel reports whether id is a team channel (a new message there
// starts a thread) rather than a conversation to send into.
func isChannel(id string) bool {
	return strings.HasPrefix(id, "19:") && !strings.Contains(id, ";") &&
		(strings.HasSuffix(id, "@thread.tacv2") || strings.HasSuffix(id, "@thread.skype"))
}

// splitRef is a message reference's conversation and activity id.
func splitRef(ref string) (conv, id string) {
	if c, i, ok := strings.Cut(ref, "#"); ok {
		return c, i
	}
	if _, root, ok := strings.Cut(ref, ";messageid="); ok {
		return ref, root
	}
	return ref, ""
}

func (a *App) send(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	cd, summary, ok := a.r.render(r)
	if !ok {
		a.logf("teams: the renderer does not know %T", r)
	}
	return a.sendCard(ctx, channel, thread, rendered{card: cd, summary: summary})
}

// sendCard sends a rendered card to a channel (a new thread), into thread,
// or to a conversation.
func (a *App) sendCard(ctx context.Context, channel, thread string, rc rendered) (string, error) {
	out, err := a.activity(rc.card, rc.summary)
	if err != nil {
		return "", err
	}
	_, tenant := a.where()
	to := channel
	if thread != "" {
		to, _ = splitRef(thread)
	}
	svc := a.serviceFor(to)
	if svc == "" {
		return "", fmt.Errorf("teams: no service URL yet (Teams has sent nothing since the start; set msteams.service_url)")
	}
	switch {
	case thread != "":
		conv := to
		id, err := a.client.Send(ctx, svc, conv, out)
		return conv + "#" + id, err
	case isChannel(channel):
		res, err := a.client.PostInChannel(ctx, svc, tenant, channel, out)
		return res.ID, err
	}
	id, err := a.client.Send(ctx, svc, channel, out)
	return channel + "#" + id, err
}

// Post sends r to a channel (a new thread) or into thread. A refusal is a
// *bot.PostError in the bot's words (postError). A post marked to be
// looked for (bot.PostMarkOf) is sent again: a bot cannot read a channel's
// messages without Graph permissions, and a message sent twice is better
// than one never sent.
func (a *App) Post(ctx context.Context, channel, thread string, r bot.Reply) (string, error) {
	ref, err := a.send(ctx, channel, thread, r)
	if err != nil {
		return "", postError(channel, err)
	}
	return ref, nil
}

// postError says why Teams refused a post, as the bot words it: a channel
// or conversation Teams does not know (404), the bot not in the team or
// not installed for the person (403), a connector fault after the
// client's retries (5xx, time-out: it may have gone out), anything else.
func postError(channel string, err error) *bot.PostError {
	reason := bot.PostFailed
	var api *APIError
	switch {
	case errors.As(err, &api) && api.Status == http.StatusNotFound:
		reason = bot.PostNoChannel
	case errors.As(err, &api) && api.Status == http.StatusForbidden:
		reason = bot.PostNotInChannel
		if !isChannel(channel) {
			reason = bot.PostNoRecipient
		}
	case errors.As(err, &api) && api.Status >= 500, errors.Is(err, context.DeadlineExceeded):
		reason = bot.PostUncertain
	}
	return &bot.PostError{Channel: channel, Reason: reason, Err: err}
}

// PostParts sends r as one card, a Table holding what Slack splits,
// unless that card weighs more than a card may (maxCard: a digest of a
// team of some twenty reps): then a digest's rows go in as many cards as it
// takes (renderer.digestCards), the first with its figures, the last with
// its changes and its button. Part i is skipped when posted[i] is set.
func (a *App) PostParts(ctx context.Context, channel, thread string, r bot.Reply, posted []string, saved func(i int, ref string) error) (string, error) {
	parts := a.parts(r)
	refs := make([]string, len(parts))
	for i, part := range parts {
		if i < len(posted) && posted[i] != "" {
			refs[i] = posted[i]
			continue
		}
		ref, err := a.sendCard(ctx, channel, thread, part)
		if err != nil {
			return refs[0], postError(channel, err)
		}
		refs[i] = ref
		if saved != nil {
			if err := saved(i, ref); err != nil {
				return refs[0], err
			}
		}
	}
	return refs[0], nil
}

// parts are the cards r is posted as: a digest's, cut to fit; anything
// else, one card.
func (a *App) parts(r bot.Reply) []rendered {
	if d, ok := r.(bot.ForecastDigest); ok {
		return a.r.digestCards(d)
	}
	cd, summary, ok := a.r.render(r)
	if !ok {
		a.logf("teams: the renderer does not know %T", r)
	}
	return []rendered{{card: cd, summary: summary}}
}

// Update replaces a message the bot posted, in place.
func (a *App) Update(ctx context.Context, channel, ref string, r bot.Reply) error {
	cd, summary, _ := a.r.render(r)
	out, err := a.activity(cd, summary)
	if err != nil {
		return err
	}
	conv, id := splitRef(ref)
	if id == "" {
		return fmt.Errorf("teams update: %q names no message", ref)
	}
	return a.client.Update(ctx, a.serviceFor(conv), conv, id, out)
}

// DM sends r to user in their 1:1 conversation with the bot, opening it
// (with the tenant kept from the install) when it is not known yet.
func (a *App) DM(ctx context.Context, user domain.UserID, r bot.Reply) error {
	conv, err := a.personal(ctx, user)
	if err != nil {
		return err
	}
	_, err = a.send(ctx, conv, "", r)
	return err
}

func (a *App) personal(ctx context.Context, user domain.UserID) (string, error) {
	a.mu.Lock()
	p, known := a.people[user]
	svc, tenant := a.serviceURL, a.tenant
	a.mu.Unlock()
	if p.conv != "" {
		return p.conv, nil
	}
	if !known || p.id == "" {
		return "", fmt.Errorf("teams: cannot message %s: they have not used the app yet (install it for them, or they open it once)", user)
	}
	if p.svc != "" {
		svc = p.svc
	}
	conv, err := a.client.CreatePersonal(ctx, svc, tenant, p.id)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	p = a.people[user]
	p.conv = conv
	if p.svc == "" {
		p.svc = svc
	}
	a.people[user] = p
	a.mu.Unlock()
	if a.keep != nil {
		if err := a.keep.SaveMSTeamsPerson(string(user), p.id, conv, p.svc); err != nil {
			a.logf("teams: keeping %s's 1:1 conversation failed (a restart will open it again): %v", user, err)
		}
	}
	return conv, nil
}

// Ephemeral: Teams shows nothing to one person only in a channel, so the
// message goes to them directly.
func (a *App) Ephemeral(ctx context.Context, channel, thread string, user domain.UserID, r bot.Reply) error {
	return a.DM(ctx, user, r)
}

// maxInlineImage bounds a chart sent inside a card (the whole activity
// must stay under the connector's 100 KB).
const maxInlineImage = 60 << 10

// maxCSVRows bounds the rows of a CSV file shown as a card's table.
const maxCSVRows = 40

// Upload shares a file in a card: a chart as an image, a CSV as a table (a
// bot cannot put a file in a channel's files without Graph permissions).
func (a *App) Upload(ctx context.Context, channel, filename, title string, data []byte) error {
	var body []any
	switch {
	case strings.HasSuffix(filename, ".png"):
		if len(data) > maxInlineImage {
			return fmt.Errorf("teams upload %s: %d bytes, more than a card holds (%d)", filename, len(data), maxInlineImage)
		}
		body = []any{title0(title), map[string]any{"type": "Image", "url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(data), "altText": title}}
	case strings.HasSuffix(filename, ".csv"):
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(rows) == 0 {
			return fmt.Errorf("teams upload %s: not a CSV table: %v", filename, err)
		}
		more := 0
		if len(rows) > maxCSVRows+1 {
			more, rows = len(rows)-maxCSVRows-1, rows[:maxCSVRows+1]
		}
		body = []any{title0(title), table(rows[0], rows[1:])}
		if more > 0 {
			body = append(body, subtle(fmt.Sprintf("+%d", more)))
		}
	default:
		return fmt.Errorf("teams upload %s: a card shows PNG charts and CSV tables only", filename)
	}
	out, err := a.activity(newCard(body, nil), title)
	if err != nil {
		return err
	}
	// The channel's own service URL: a tenant spread over regions has
	// several, and the last one Teams used may be another team's.
	_, tenant := a.where()
	svc := a.serviceFor(channel)
	if svc == "" {
		return fmt.Errorf("teams upload %s: no service URL yet (Teams has sent nothing since the start; set msteams.service_url)", filename)
	}
	if isChannel(channel) {
		_, err = a.client.PostInChannel(ctx, svc, tenant, channel, out)
	} else {
		_, err = a.client.Send(ctx, svc, channel, out)
	}
	return err
}

func title0(s string) map[string]any { return title(s) }

// Location is user's time zone as their Teams client last reported it
// (an activity's localTimezone), or nil before they wrote.
func (a *App) Location(ctx context.Context, user domain.UserID) *time.Location {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.people[user].tz
}

// DisplayName is how Teams last named user.
func (a *App) DisplayName(ctx context.Context, user domain.UserID) string {
	return a.DisplayNameOf(user)
}
