package bot

// The quarterly ICP review (issue 21 point 4): at the start of each fiscal
// quarter, each team's manager gets, in a DM, the drift of win rate and
// cycle by segment value in the quarter just closed against the four
// before, and the ICP changes the evidence supports (domain/segment
// DriftOf), each with the numbers behind it and Accept / Dismiss buttons.
//
// # Once per quarter and team
//
// The review is made once and kept (ReviewStore, in the store's jobs
// bucket, never pruned): a run finding it kept and posted does nothing; one
// finding it kept and not posted (a DM that failed, a restart in between)
// posts the kept one, so the same proposals, and marks it posted after the
// DM went out. As for the manager summary, only a hard crash between the
// platform accepting the DM and the record's commit sends it twice.
//
// # Decisions
//
// Accept and Dismiss are decided once per proposal, by the team's manager
// or an admin, and recorded with who and when. The configuration file is
// the admin's: an accepted proposal changes nothing by itself; the answer
// says which line of dealpilot.yaml to change and to what, and the next
// quarter's review lists last quarter's decisions, each accepted one as
// now in the configuration or not yet.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// JobICPReview is the quarterly ICP review's job name.
const JobICPReview = "icp_review"

// Button action ids of the review; the value of each is
// "<quarter>|<team>|<proposal index>".
const (
	ActionICPAccept  = "icp_accept"
	ActionICPDismiss = "icp_dismiss"
)

func isReviewAction(id string) bool { return id == ActionICPAccept || id == ActionICPDismiss }

// ReviewStore keeps the quarterly reviews (store/icp_review.go).
type ReviewStore interface {
	// ICPReview returns the review of quarter for team; ok false when none.
	ICPReview(ctx context.Context, quarter, team string) (segment.Posted, bool, error)
	// SaveICPReview keeps p unless its quarter and team have one, and
	// returns the one kept (created: it is p).
	SaveICPReview(ctx context.Context, p segment.Posted) (kept segment.Posted, created bool, err error)
	// UpdateICPReview changes the kept review in one write transaction.
	UpdateICPReview(ctx context.Context, quarter, team string, fn func(*segment.Posted) error) (segment.Posted, error)
}

// ICPReview is the review's message: its title and numbers, each proposal
// with its buttons (or its decision), and last quarter's decisions.
type ICPReview struct {
	Title Msg
	Intro Msg
	Items []ReviewItem
	None  Msg // set when nothing is proposed
	// Last are last quarter's decisions: a heading, then one line each.
	Last []Msg
}

// ReviewItem is one proposal: what and why, the win rate of each quarter
// (Quarters, shown on one line after "By quarter:"), and either the
// buttons' value (Value) or its decision (Decided).
type ReviewItem struct {
	Text     Msg
	Quarters []Msg
	Value    string
	Decided  *Msg
}

func (ICPReview) isReply() {}

// reviewJob posts the review of the quarter just closed, from the quarter's
// first day at reminders_at (company zone), to each team's manager, once.
func (b *Bot) reviewJob() Job {
	return Job{Name: JobICPReview, Run: b.runICPReview}
}

func (b *Bot) runICPReview(ctx context.Context, m Messenger, now time.Time) error {
	rs, ok := b.store.(ReviewStore)
	if !ok || len(b.cfg.ICP) == 0 || len(b.cfg.Segments) == 0 {
		return nil
	}
	cal := b.Calendar()
	cur := cal.Current(now)
	at := b.cfg.Schedules.RemindersAt
	if now.Before(coaching.DueAt(cur.Start, b.cfg.Location, at.Hour, at.Minute)) {
		return nil
	}
	quarter := cal.Prev(cur)
	// Each team's review stands alone: one that fails (its deals unread,
	// its DM refused) is reported with its team and the others still go
	// out; the next tick tries the failed one again.
	var errs []error
	for i := range b.cfg.Teams {
		t := &b.cfg.Teams[i]
		if ctx.Err() != nil {
			break
		}
		if t.Manager == "" {
			continue
		}
		if err := b.reviewTeam(ctx, m, rs, t, quarter, now); err != nil {
			errs = append(errs, fmt.Errorf("ICP review of team %s: %w", t.Name, err))
		}
	}
	return errors.Join(errs...)
}

// reviewTeam makes (or finds kept) team t's review of quarter and DMs it
// to the manager, once.
func (b *Bot) reviewTeam(ctx context.Context, m Messenger, rs ReviewStore, t *config.Team, quarter forecast.Period, now time.Time) error {
	p, ok, err := rs.ICPReview(ctx, quarter.Name, t.Name)
	if err != nil {
		return err
	}
	if ok && !p.PostedAt.IsZero() {
		return nil
	}
	if !ok {
		made, err := b.makeReview(ctx, t, quarter, now)
		if err != nil {
			return err
		}
		if p, _, err = rs.SaveICPReview(ctx, made); err != nil {
			return err
		}
	}
	last, hadLast, err := rs.ICPReview(ctx, b.Calendar().Prev(quarter).Name, t.Name)
	if err != nil {
		return err
	}
	msg := b.reviewMessage(p, last, hadLast)
	send, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
	err = m.DM(send, t.Manager, msg)
	cancel()
	if err != nil {
		return fmt.Errorf("DM to %s: %w", t.Manager, err)
	}
	_, err = rs.UpdateICPReview(ctx, p.Quarter, p.Team, func(x *segment.Posted) error { x.PostedAt = now.UTC(); return nil })
	return err
}

// makeReview computes team t's review of quarter at now: the drift of its
// sellers' deals against the four quarters before.
func (b *Bot) makeReview(ctx context.Context, t *config.Team, quarter forecast.Period, now time.Time) (segment.Posted, error) {
	in, _, err := b.coachInput(ctx, b.CoachSettings(), t.Sellers(), nil)
	if err != nil {
		return segment.Posted{}, err
	}
	cal := b.Calendar()
	var before []coaching.Period
	var names []string
	q := quarter
	for range 4 {
		q = cal.Prev(q)
		before = append([]coaching.Period{{From: q.Start, To: q.Last()}}, before...)
		names = append([]string{q.Name}, names...)
	}
	th := b.segmentThresholds()
	r := segment.DriftOf(in, b.cfg.Segments, b.cfg.ICP, coaching.Period{From: quarter.Start, To: quarter.Last()}, before, now, th)
	p := segment.Posted{Quarter: quarter.Name, From: quarter.Start, To: quarter.Last(), Before: names, Team: t.Name, Manager: t.Manager,
		FitNow: r.FitNow, MinDeals: th.MinDeals, MadeAt: now.UTC()}
	for _, pr := range r.Proposals {
		p.Proposals = append(p.Proposals, segment.Decided{Proposal: pr})
	}
	return p, nil
}

// cycleDays is a median cycle as a message argument.
func cycleDays(days float64) coaching.Days { return coaching.Days(int(days*10 + 0.5)) }

// reviewValue is the buttons' value of proposal i of p.
func reviewValue(p segment.Posted, i int) string {
	return p.Quarter + "|" + p.Team + "|" + strconv.Itoa(i)
}

// parseReviewValue reads reviewValue's value; a team's name may hold "|".
func parseReviewValue(v string) (quarter, team string, i int, ok bool) {
	first, last := strings.Index(v, "|"), strings.LastIndex(v, "|")
	if first < 0 || last <= first {
		return "", "", 0, false
	}
	n, err := strconv.Atoi(v[last+1:])
	if err != nil || n < 0 || v[:first] == "" || v[first+1:last] == "" {
		return "", "", 0, false
	}
	return v[:first], v[first+1 : last], n, true
}

// reviewMessage is p's message, with last (the team's review of the
// quarter before, when hadLast) for last quarter's decisions.
func (b *Bot) reviewMessage(p segment.Posted, last segment.Posted, hadLast bool) ICPReview {
	out := ICPReview{Title: M("review.title", p.Team, p.Quarter)}
	beforeFrom, beforeTo := "", ""
	if len(p.Before) > 0 {
		beforeFrom, beforeTo = p.Before[0], p.Before[len(p.Before)-1]
	}
	out.Intro = M("review.intro", p.Quarter, beforeFrom, beforeTo, domain.Percent(p.FitNow.WinRateBP), p.FitNow.Closed(), cycleDays(p.FitNow.CycleMedianDays))
	for i, d := range p.Proposals {
		item := ReviewItem{Text: proposalText(p, d.Proposal), Quarters: quartersText(p, d.Drift)}
		if d.Decision == segment.Pending {
			item.Value = reviewValue(p, i)
		} else {
			m := decisionMsg(d)
			item.Decided = &m
		}
		out.Items = append(out.Items, item)
	}
	if len(p.Proposals) == 0 {
		out.None = M("review.none", p.MinDeals)
	}
	if hadLast && len(last.Proposals) > 0 {
		out.Last = append(out.Last, M("review.last", last.Quarter))
		for _, d := range last.Proposals {
			short := shortProposal(d.Proposal)
			switch {
			case d.Decision == segment.Dismissed:
				out.Last = append(out.Last, M("review.last.dismissed", short))
			case d.Decision == segment.Pending:
				out.Last = append(out.Last, M("review.last.pending", short))
			case b.applied(d.Proposal):
				out.Last = append(out.Last, M("review.last.applied", short))
			default:
				out.Last = append(out.Last, M("review.last.not_applied", short))
			}
		}
	}
	return out
}

func proposalText(p segment.Posted, pr segment.Proposal) Msg {
	d := pr.Drift
	f := domain.AttrField(pr.Attribute)
	if pr.Kind == segment.Add {
		return M("review.add", f, pr.Value, domain.Percent(d.Now.WinRateBP), d.Now.Closed(), p.Quarter, cycleDays(d.Now.CycleMedianDays),
			domain.Percent(pr.FitNow.WinRateBP), domain.Percent(d.Before.WinRateBP), d.Before.Closed())
	}
	return M("review.remove", f, pr.Value, domain.Percent(d.Now.WinRateBP), d.Now.Closed(), p.Quarter, cycleDays(d.Now.CycleMedianDays),
		domain.Percent(d.Before.WinRateBP), d.Before.Closed(), cycleDays(d.Before.CycleMedianDays))
}

// quartersText is the win rate of each quarter before, then the quarter's,
// one message each ("2026-Q1 67% of 3").
func quartersText(p segment.Posted, d segment.Drift) []Msg {
	var out []Msg
	for i, g := range d.Quarters {
		if i < len(p.Before) {
			out = append(out, M("review.quarter", p.Before[i], domain.Percent(g.WinRateBP), g.Closed()))
		}
	}
	return append(out, M("review.quarter", p.Quarter, domain.Percent(d.Now.WinRateBP), d.Now.Closed()))
}

func shortProposal(pr segment.Proposal) Msg {
	return M("review.short."+string(pr.Kind), domain.AttrField(pr.Attribute), pr.Value)
}

func decisionMsg(d segment.Decided) Msg {
	key := "review.accepted"
	if d.Decision == segment.Dismissed {
		key = "review.dismissed"
	}
	return M(key, Mention(d.By), domain.DateOf(d.At))
}

// applied reports whether the configuration's ICP now says what pr
// proposed.
func (b *Bot) applied(pr segment.Proposal) bool {
	a, ok := b.cfg.ICP.Attr(pr.Attribute)
	if pr.Kind == segment.Add {
		return ok && a.Fits(pr.Value)
	}
	return !ok || !a.Fits(pr.Value)
}

// changeLine says which line of the configuration an accepted proposal
// changes, and to what, from the configuration as it is now.
func (b *Bot) changeLine(pr segment.Proposal) Msg {
	a, ok := b.cfg.ICP.Attr(pr.Attribute)
	if !ok {
		return M("review.change_key", pr.Attribute, pr.Value)
	}
	vals := slices.Clone(a.Values)
	if pr.Kind == segment.Add {
		if !a.Fits(pr.Value) {
			vals = append(vals, pr.Value)
		}
	} else {
		vals = slices.DeleteFunc(vals, func(v string) bool { return segment.Key(v) == segment.Key(pr.Value) })
		if len(vals) == 0 {
			return M("review.change_drop", a.Line, pr.Attribute)
		}
	}
	return M("review.change_line", a.Line, pr.Attribute, strings.Join(a.Values, ", "), pr.Attribute, strings.Join(vals, ", "))
}

// reviewAction answers Accept and Dismiss: the team's manager or an admin
// decides each proposal once; the answer says what was decided and, for
// an accepted one, the line of the configuration to change.
func (b *Bot) reviewAction(ctx context.Context, c Caller, actionID, value string) (Reply, error) {
	rs, ok := b.store.(ReviewStore)
	quarter, team, i, parsed := parseReviewValue(value)
	if !ok || !parsed {
		return Notice{Msgs: []Msg{M("review.unknown")}}, nil
	}
	t, known := b.teamNamed(team)
	if !b.cfg.IsAdmin(c.User) && (!known || t.Manager != c.User) {
		return Notice{Msgs: []Msg{M("review.forbidden")}}, nil
	}
	decision := segment.Accepted
	if actionID == ActionICPDismiss {
		decision = segment.Dismissed
	}
	p, err := rs.UpdateICPReview(ctx, quarter, team, func(x *segment.Posted) error {
		return x.Decide(i, decision, c.User, b.clock.Now())
	})
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return Notice{Msgs: []Msg{M("review.unknown")}}, nil
		}
		if domain.ErrorCode(err) == domain.ECONFLICT {
			kept, ok, rerr := rs.ICPReview(ctx, quarter, team)
			if rerr == nil && ok && i < len(kept.Proposals) {
				return Notice{Msgs: []Msg{M("review.already", decisionMsg(kept.Proposals[i]))}}, nil
			}
		}
		return nil, err
	}
	d := p.Proposals[i]
	msgs := []Msg{M("review.decided", shortProposal(d.Proposal), decisionMsg(d))}
	if decision == segment.Accepted {
		msgs = append(msgs, b.changeLine(d.Proposal))
	}
	return Notice{Msgs: msgs}, nil
}
