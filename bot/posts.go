package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// PostReason says, in no platform's words, why a channel refused a message.
type PostReason string

// Post failure reasons. The first three need someone to act (invite the
// bot, fix the configuration); PostFailed may pass by itself.
const (
	PostNotInChannel PostReason = "not_in_channel" // the bot must be invited
	PostNoChannel    PostReason = "no_channel"     // unknown, or private and the bot not in it
	PostArchived     PostReason = "archived"
	PostNoRecipient  PostReason = "no_recipient"  // a DM to a deactivated or unknown account
	PostNoScope      PostReason = "missing_scope" // the app lacks a scope: an admin adds it
	PostFailed       PostReason = "failed"        // anything else: retried on the next tick
	// PostUncertain: a time-out or a server error, and the channel could
	// not be read to tell whether the message went out. Nobody is told of
	// a failure that may not be one; the next tick looks for the message
	// (its marker) before posting it again.
	PostUncertain PostReason = "uncertain"
)

// PostError is how a Messenger reports a message a channel refused.
type PostError struct {
	Channel string
	Reason  PostReason
	Err     error
}

func (e *PostError) Error() string {
	return fmt.Sprintf("posting in %s: %s: %v", e.Channel, e.Reason, e.Err)
}

func (e *PostError) Unwrap() error { return e.Err }

// ReasonOf is the reason of a failed post (PostFailed unless the Messenger
// said otherwise).
func ReasonOf(err error) PostReason {
	var pe *PostError
	if errors.As(err, &pe) && pe.Reason != "" {
		return pe.Reason
	}
	return PostFailed
}

// needsSomeone reports whether only a person can fix the failure: retrying
// on every tick would only fail again (and log it every minute).
func (r PostReason) needsSomeone() bool { return r != PostFailed && r != PostUncertain && r != "" }

// PostMark is what a Messenger needs to post a recorded message at most
// once: the marker the store holds for it, sent with each part (part i as
// ID.i, see PartMarker), and whether an earlier attempt may have gone out
// unanswered, so the channel is read for it before anything is posted.
type PostMark struct {
	ID   string
	Look bool
}

// PartMarker is the marker part i of a marked message carries.
func (pm PostMark) PartMarker(i int) string { return pm.ID + "." + strconv.Itoa(i) }

type postMarkKey struct{}

// PostMarkOf is the mark the bot put on ctx for the Post or PostParts call
// it makes with it (a call without one is not recorded: a fresh marker).
func PostMarkOf(ctx context.Context) (PostMark, bool) {
	pm, ok := ctx.Value(postMarkKey{}).(PostMark)
	return pm, ok && pm.ID != ""
}

// marked returns ctx carrying the mark of the message key, its marker drawn
// and recorded before the first attempt. Use the returned context for the
// post itself only: any other message sent with it would carry the mark.
func (b *Bot) marked(ctx context.Context, key string) (context.Context, error) {
	p, err := b.store.Post(ctx, key)
	if err != nil {
		return ctx, err
	}
	id, err := b.store.PostMarker(ctx, key, newMarker)
	if err != nil {
		return ctx, err
	}
	// Only an attempt that may have gone out is looked for: after a
	// refusal (not in the channel…) the channel may not even be readable.
	look := p.Marker != "" && p.Failed && PostReason(p.Reason) == PostUncertain
	return context.WithValue(ctx, postMarkKey{}, PostMark{ID: id, Look: look}), nil
}

func newMarker() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ChannelRef is a channel as a message argument; the transport shows it
// by name.
type ChannelRef string

// Self is the bot itself as a message argument; the transport shows it as
// people mention it.
type Self struct{}

// InviteHow is, as a message argument, how a person invites the bot into
// channel on the platform (a command to type); the transport words it.
type InviteHow struct{ Channel ChannelRef }

// Keys of the messages whose posting is recorded (see store posts).
func deskPostKey(id uint64) string       { return "desk:" + strconv.FormatUint(id, 10) }
func winPostKey(id domain.DealID) string { return "win:" + strconv.FormatUint(uint64(id), 10) }

// deskRevKey is the record of request id's revision rev owed to the
// request's thread: "deskrev:<id>:<rev>".
func deskRevKey(id uint64, rev int) string {
	return "deskrev:" + strconv.FormatUint(id, 10) + ":" + strconv.Itoa(rev)
}

// deskDMKey is the record of request id's revision rev owed to approver u
// by DM (a deal desk without a channel): "deskdm:<id>:<rev>:<user>".
func deskDMKey(id uint64, rev int, u domain.UserID) string {
	return "deskdm:" + strconv.FormatUint(id, 10) + ":" + strconv.Itoa(rev) + ":" + string(u)
}

// toldError is a failed post that was recorded and whose actor knows (or
// was told before): nobody needs a second, vaguer message about it.
type toldError struct{ error }

func (e *toldError) Unwrap() error { return e.error }

// postFailed records that the message key could not be posted in channel
// and tells actor, once per kind of failure, exactly what to do. It returns
// err, as a *toldError when the actor knows. A post that may have gone out
// (PostUncertain) is recorded and told to nobody: the bot does not know it
// failed, and the next tick finds out.
func (b *Bot) postFailed(ctx context.Context, m Messenger, key, channel string, actor domain.UserID, err error) error {
	return b.recordFailed(ctx, m, key, channel, actor, err, PostFailedNotice)
}

// recordFailed is postFailed with what the actor is told.
func (b *Bot) recordFailed(ctx context.Context, m Messenger, key, channel string, actor domain.UserID, err error, notice func(PostReason, string) Notice) error {
	reason := ReasonOf(err)
	p, serr := b.store.PostFailed(ctx, key, channel, actor, string(reason), err.Error())
	if serr != nil || p.Actor == "" || reason == PostUncertain {
		return err
	}
	if !p.Told {
		if m.DM(ctx, p.Actor, notice(reason, channel)) != nil {
			return err
		}
		_ = b.store.PostTold(ctx, key)
	}
	return &toldError{err}
}

// PostFailedNotice tells the person who acted what to do about a post
// channel refused for reason.
func PostFailedNotice(reason PostReason, channel string) Notice {
	return failedNotice("post.failed", reason, channel)
}

// failedNotice is the notice of what channel refused for reason, in the
// catalogue's messages under prefix (one per reason, the same arguments).
func failedNotice(prefix string, reason PostReason, channel string) Notice {
	ch := ChannelRef(channel)
	var m Msg
	switch reason {
	case PostNotInChannel:
		m = M(prefix+".not_in_channel", ch, Self{}, InviteHow{Channel: ch})
	case PostNoChannel:
		m = M(prefix+".no_channel", ch, Self{}, InviteHow{Channel: ch})
	case PostArchived:
		m = M(prefix+".archived", ch)
	case PostNoScope:
		m = M(prefix+".missing_scope", ch)
	default:
		m = M(prefix+".retry", ch)
	}
	return Notice{Msgs: []Msg{m}}
}

// needsSomeoneRetry is how often a tick retries a post only a person can
// unblock: the invite's member_joined_channel retries it at once, this
// catches an invite that came while the failure was being recorded.
const needsSomeoneRetry = time.Hour

// postsJob retries the messages that failed: on the first tick after a
// start every one (an admin may have invited the bot or fixed the
// configuration meanwhile), then those whose failure may pass by itself;
// the others wait for the bot to be invited (RetryPosts), or an hour.
func (b *Bot) postsJob() Job {
	return Job{Name: "posts_retry", Run: func(ctx context.Context, m Messenger, now time.Time) error {
		all := b.retriedAtStart.CompareAndSwap(false, true)
		err := b.retryPosts(ctx, m, "", all, now, now)
		if all {
			err = errors.Join(err, b.unpostedAtStart(ctx, m, now))
		}
		return err
	}}
}

// stoppedCause is what is recorded of a request a stopped run saved but
// never saw posted.
const stoppedCause = "the bot stopped before the request's post was confirmed"

// unpostedAtStart posts the open requests an earlier run saved but never
// saw posted: it stopped between the request's save and the post's
// answer, so no failure was recorded and no retry would come. Each is
// recorded as an uncertain post, which is what it is, and retried as one:
// when a marker was saved, an attempt may have gone out, and the channel is
// read for it before anything is posted (see marked). Nobody is told: the
// rep was told it was sent, and now it is.
func (b *Bot) unpostedAtStart(ctx context.Context, m Messenger, now time.Time) error {
	ch := b.cfg.DealDesk.Channel
	reqs, err := b.store.DeskRequests(ctx, 0, true)
	if err != nil {
		return err
	}
	b.retryMu.Lock()
	defer b.retryMu.Unlock()
	var errs []error
	for _, p := range reqs {
		r := p.Request
		if ch == "" {
			errs = append(errs, b.undmedAtStart(ctx, m, r, now)...)
			continue
		}
		if _, mine := b.publishing.Load(r.ID); mine {
			continue // this run's own post is under way
		}
		if p.Thread.Posted() {
			if err := b.unsaidAtStart(ctx, m, r, p.Thread, now); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		key := deskPostKey(r.ID)
		st, err := b.store.Post(ctx, key)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
			continue
		}
		if st.Failed {
			continue // recorded: retryPosts has it
		}
		if err := b.owedAtStart(ctx, m, key, ch, r.Requester, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// owedAtStart records key (a post to channel, or a DM to actor) as the
// uncertain post a stopped run left, and retries it as one: its channel or
// DM conversation is read for the marker of an attempt that may have gone
// out before anything is sent (see marked). A failure someone must act on
// was recorded and told; any other is returned.
func (b *Bot) owedAtStart(ctx context.Context, m Messenger, key, channel string, actor domain.UserID, now time.Time) error {
	st, err := b.store.PostFailed(ctx, key, channel, actor, string(PostUncertain), stoppedCause)
	if err == nil {
		err = b.retryPost(ctx, m, st, now)
	}
	if err != nil && !ReasonOf(err).needsSomeone() {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// unsaidAtStart says in its thread th the revision of r a stopped run
// saved but never saw said (its record still there), as an uncertain post:
// the thread is read for the record's marker before it is said again.
func (b *Bot) unsaidAtStart(ctx context.Context, m Messenger, r *desk.Request, th desk.Thread, now time.Time) error {
	key := deskRevKey(r.ID, r.Revision)
	st, err := b.store.Post(ctx, key)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if st.Marker == "" || st.Failed {
		return nil // said (or never owed), or retryPosts has it
	}
	return b.owedAtStart(ctx, m, key, th.Channel, "", now)
}

// undmedAtStart sends request r by DM to the approvers of its turn a
// stopped run owed it to (dmsPending's record still there), each recorded
// as an uncertain post first, so that the DM conversation is read for an
// attempt that may have gone out before anything is sent.
func (b *Bot) undmedAtStart(ctx context.Context, m Messenger, r *desk.Request, now time.Time) []error {
	if _, mine := b.publishing.Load(r.ID); mine || r.Status != desk.StatusPending {
		return nil // this run's own DMs are under way
	}
	var errs []error
	for _, u := range r.Waiting() {
		key := deskDMKey(r.ID, r.Revision, u)
		st, err := b.store.Post(ctx, key)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
			continue
		}
		if st.Marker == "" || st.Failed {
			continue // sent (or never owed), or retryPosts has it
		}
		if err := b.owedAtStart(ctx, m, key, "", u, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// RetryPosts re-sends what failed in channel: the transport calls it when
// the bot joins a channel (or someone joins one the bot is in).
func (b *Bot) RetryPosts(ctx context.Context, m Messenger, channel string) error {
	return b.retryPosts(ctx, m, channel, true, b.clock.Now(), time.Time{})
}

// retryPosts retries the failed posts of channel ("" for all): all of
// them or only those that may pass by themselves, and, when failedBefore is
// set, only those that failed before it.
func (b *Bot) retryPosts(ctx context.Context, m Messenger, channel string, all bool, now, failedBefore time.Time) error {
	b.retryMu.Lock()
	defer b.retryMu.Unlock()
	failed, err := b.store.FailedPosts(ctx, channel)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range failed {
		if !all && PostReason(p.Reason).needsSomeone() && now.Sub(p.FailedAt) < needsSomeoneRetry {
			continue
		}
		if !failedBefore.IsZero() && !p.FailedAt.Before(failedBefore) {
			continue // failed during this very tick: the next one retries it
		}
		// A refusal only a person can fix was recorded and told: it is no
		// job failure to log every minute.
		if err := b.retryPost(ctx, m, p, now); err != nil && !ReasonOf(err).needsSomeone() {
			errs = append(errs, fmt.Errorf("%s: %w", p.Key, err))
		}
	}
	return errors.Join(errs...)
}

// retryPost re-sends one failed message, or forgets it when it no longer
// needs sending.
func (b *Bot) retryPost(ctx context.Context, m Messenger, p domain.PostState, now time.Time) error {
	kind, rest, _ := strings.Cut(p.Key, ":")
	switch kind {
	case "desk":
		id, err := strconv.ParseUint(rest, 10, 64)
		if err != nil {
			return b.store.ForgetPost(ctx, p.Key)
		}
		r, th, err := b.store.DeskRequest(ctx, id)
		if err != nil || th.Posted() || r.Status.Final() || b.cfg.DealDesk.Channel == "" {
			return b.store.ForgetPost(ctx, p.Key)
		}
		if err := b.publish(ctx, m, r, p.Actor); err != nil {
			return err
		}
		if p.Told && p.Actor != "" {
			// Told to invite the bot: hear that it worked.
			_ = m.DM(ctx, p.Actor, Notice{Msgs: []Msg{M("post.done.desk", r.ID, ChannelRef(b.cfg.DealDesk.Channel))}})
		}
		return nil
	case "deskrev":
		ids, revs, _ := strings.Cut(rest, ":")
		id, err := strconv.ParseUint(ids, 10, 64)
		if err != nil {
			return b.store.ForgetPost(ctx, p.Key)
		}
		r, th, err := b.store.DeskRequest(ctx, id)
		if err != nil || r.Status != desk.StatusPending || strconv.Itoa(r.Revision) != revs || !th.Posted() {
			return b.store.ForgetPost(ctx, p.Key)
		}
		return b.sayRevision(ctx, m, r, th)
	case "deskdm":
		ids, _, _ := strings.Cut(rest, ":")
		id, err := strconv.ParseUint(ids, 10, 64)
		if err != nil {
			return b.store.ForgetPost(ctx, p.Key)
		}
		r, _, err := b.store.DeskRequest(ctx, id)
		if err != nil || r.Status != desk.StatusPending || deskDMKey(r.ID, r.Revision, p.Actor) != p.Key ||
			!slices.Contains(r.Waiting(), p.Actor) || b.cfg.DealDesk.Channel != "" {
			return b.store.ForgetPost(ctx, p.Key)
		}
		v, err := b.view(ctx, r)
		if err != nil {
			return err
		}
		return b.dmApprover(ctx, m, r, p.Actor, v)
	case "remind":
		return nil // the reminder job retries its own DMs
	case "win":
		id, err := strconv.ParseUint(rest, 10, 64)
		if err != nil {
			return b.store.ForgetPost(ctx, p.Key)
		}
		d, err := b.store.Deal(ctx, domain.DealID(id))
		if err != nil || d.Status != domain.Won {
			return b.store.ForgetPost(ctx, p.Key)
		}
		return b.postWin(ctx, m, d, p.Actor)
	case "files":
		team, week, _ := strings.Cut(rest, ":")
		for _, t := range b.cfg.Teams {
			if t.Name != team || t.Channel == "" {
				continue
			}
			if b.Calendar().Week(now) != week || !b.store.Done(DigestKey(t.Name, week)) || b.attachmentsDone(t.Name, week) {
				break // a past week's files are not news any more
			}
			b.digestMu.Lock()
			defer b.digestMu.Unlock()
			d, chart, err := b.BuildDigest(ctx, t, now)
			if err != nil {
				return err
			}
			return b.attachDigest(ctx, m, t, d, chart, p.Actor)
		}
		return b.store.ForgetPost(ctx, p.Key)
	case "digest":
		team, week, _ := strings.Cut(rest, ":")
		for _, t := range b.cfg.Teams {
			if t.Name != team || t.Channel == "" {
				continue
			}
			if b.Calendar().Week(now) != week || b.store.Done(DigestKey(t.Name, week)) {
				break // a past week's digest is not news any more
			}
			b.digestMu.Lock()
			defer b.digestMu.Unlock()
			return b.postDigest(ctx, m, t, now, "", &digestRun{})
		}
		return b.store.ForgetPost(ctx, p.Key)
	}
	return b.store.ForgetPost(ctx, p.Key)
}

// unposted reports whether request r could not be posted in the deal-desk
// channel: it then blocks no new request on its deal.
func (b *Bot) unposted(ctx context.Context, r *desk.Request, th desk.Thread) bool {
	if th.Posted() || b.cfg.DealDesk.Channel == "" {
		return false
	}
	p, err := b.store.Post(ctx, deskPostKey(r.ID))
	return err == nil && p.Failed
}
