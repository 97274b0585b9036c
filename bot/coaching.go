package bot

// Coaching: the reps' daily reminders, the managers' Monday summary,
// /deal nudges and /pipeline. The rules are domain/coaching's; this file
// loads their input, plans and sends.
//
// # Exactly-once reminders
//
// A reminder to rep U for their local day D is recorded under the done key
// "remind:U:D" (with the sent log of its items, in one transaction) only
// after Messenger.DM returned success, and the key is checked before
// sending. So a fan-out that stops half-way (shutdown, crash, a DM that
// fails after its retries) resends nothing recorded and, on the next tick,
// reaches everyone it had not reached yet.
//
// The one window left is between Slack accepting the post and the record's
// commit. A cancelled job context never opens it: each DM is sent with a
// context detached from the job's (bounded by dmTimeout) and the fan-out
// stops between DMs, so a shutdown lets the DM in flight finish and be
// recorded. Only a hard crash (kill -9, power loss) inside that window,
// a few milliseconds, sends that one rep a second reminder after the
// restart: at-least-once for that window, on purpose. Claiming the key
// before posting would make it at-most-once instead, and Slack's
// chat.postMessage has no idempotency key to tell afterwards whether the
// claimed post went out; a missed reminder is silent, a duplicate is
// visible and harmless.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// Button action ids of the reminder DM. The value of each is the deal id in
// decimal, like the card's buttons; "Update deal" is ActionUpdate itself.
const (
	ActionNudgeDone    = "nudge_done"     // marks the next step done, opens the next-step form
	ActionNudgeSnooze1 = "nudge_snooze_1" // holds the deal's items back until tomorrow
	ActionNudgeSnooze3 = "nudge_snooze_3" // … until three days from today
)

func isCoachAction(id string) bool {
	return id == ActionNudgeDone || id == ActionNudgeSnooze1 || id == ActionNudgeSnooze3
}

// Scheduled job names.
const (
	JobReminders      = "coaching_reminders"
	JobManagerSummary = "coaching_summary"
)

// dmTimeout bounds one DM of a fan-out, 429 waits included.
const dmTimeout = 2 * time.Minute

// maxReminderDeals is how many deals one reminder lists (Slack allows 50
// blocks a message, two per deal); the others wait for the next day.
const maxReminderDeals = 20

// summaryDays is the period of the manager summary: the last 90 days.
const summaryDays = 90

// RemindKey is the done key of rep's reminder for their local day.
func RemindKey(rep domain.UserID, day domain.Date) string {
	return "remind:" + string(rep) + ":" + day.String()
}

// SummaryKey is the done key of a manager's summary of a team for an ISO week.
func SummaryKey(manager domain.UserID, team string, at time.Time) string {
	y, w := at.ISOWeek()
	return fmt.Sprintf("coach_summary:%s:%s:%d-W%02d", manager, team, y, w)
}

// CoachSettings are the rules' thresholds and schedule from the config.
func (b *Bot) CoachSettings() coaching.Settings {
	s := coaching.DefaultSettings()
	s.Stages = b.cfg.Stages
	s.Location = b.cfg.Location
	if n := b.cfg.Nudges.StalledMinDays; n > 0 {
		s.StallMinDays = n
	}
	// hollow_win_discount: 0 means 0 (every discounted win is hollow), not
	// the default: the default (25) is the configuration's own.
	s.HollowWinBP = b.cfg.Nudges.HollowWinDiscount * 100
	s.RemindHour, s.RemindMinute = b.cfg.Schedules.RemindersAt.Hour, b.cfg.Schedules.RemindersAt.Minute
	s.Weekends = b.cfg.Nudges.Weekends
	return s
}

// --- replies -------------------------------------------------------------------

// Reminder is a rep's daily DM: the deals that need them, each with its
// items and the Done, Snooze and Update buttons.
type Reminder struct {
	Rep   domain.UserID
	Day   domain.Date
	Deals []ReminderDeal
	More  int // deals left for another day (the message is full)
}

// ReminderDeal is one deal of a reminder and what to fix on it.
type ReminderDeal struct {
	Deal  *domain.Deal
	Items []Msg // "nudge.<kind>" messages
}

// CoachSummary is a manager's Monday summary of one team.
type CoachSummary struct {
	Team     string
	Currency string
	Report   coaching.Report
	Deals    map[domain.DealID]*domain.Deal // the deals of the talks
	// The team's trends (see Trend; SlipPeriod is the quarter whose
	// slippage they compare) and the hollow-win scorecard of the period,
	// the team's and each seller's (every seller listed, by id).
	SlipPeriod forecast.Period
	Trend
	Hollow      coaching.Scorecard
	HollowReps  []coaching.Scorecard
	HollowWinBP int // the discount above which a win is hollow (nudges.hollow_win_discount)
	// HollowChurns are the wins a churn of the period made hollow (within
	// 90 days of the win), a title then one line a deal; nil when none
	// (bot/retention.go's summaryHollowChurns).
	HollowChurns []Msg
	// Commission is what the month's commissions cost so far and the
	// sellers near an accelerator or a cap (commission_rhythm.go); empty
	// without commission plans.
	Commission []Msg
}

// Trend is the asked period's KPIs beside the previous period of the same
// length (Compared[0]) and the same period last year (Compared[1]), and
// its slippage (the fiscal quarter of its last day) beside the previous
// quarter and the same quarter last year (SlipCompared), each judged at
// the same point of its quarter. Trends holds only the figures with data
// (coaching.Trends).
type Trend struct {
	Compared     [2]coaching.Period
	SlipCompared [2]forecast.Period
	Trends       []coaching.Trend
}

// Pipeline is /pipeline's answer: the KPIs of a person, a team or everyone.
type Pipeline struct {
	Scope    Msg
	Currency string
	Period   coaching.Period
	Metrics  coaching.Metrics
	// Slippage is the guide's slippage (forecast.Slip) of the fiscal
	// quarter holding Period's last day, SlipPeriod, for the same scope;
	// SlippageMonth that of the calendar month holding it, SlipMonth.
	SlipPeriod    forecast.Period
	Slippage      forecast.Slip
	SlipMonth     forecast.Period
	SlippageMonth forecast.Slip
	Trend
	// Skipped counts the deals of the scope left out of every figure for
	// being in another currency than Currency (coachInput).
	Skipped int
}

func (Reminder) isReply()     {}
func (CoachSummary) isReply() {}
func (Pipeline) isReply()     {}

// --- loading -------------------------------------------------------------------

// coachInput loads the deals of members with their history (and what the
// deal desk knows of their discounts). Deals in another currency than the
// company's are left out, as the forecast leaves them out (their minor
// units are not the company's): skipped holds their owners, one per deal.
func (b *Bot) coachInput(ctx context.Context, s coaching.Settings, members []domain.UserID, zone func(domain.UserID) *time.Location) (in coaching.Input, skipped []domain.UserID, err error) {
	return b.loadCoaching(ctx, s, members, zone, b.store.CoachingDeals, true)
}

// kpiInput calls fn with coachInput's input for figures alone (/pipeline,
// /pipeline losses): the deals as the store's digests give them, a few
// dozen bytes a deal instead of the deal and its whole history, and read a
// chunk at a time (store PipelineView, coaching.Input.Chunks) inside one
// read transaction: an admin's call holds one chunk, not the company's
// deals. The figures are the same (store.TestDigestsComputeLikeEveryDeal);
// the deals are not for showing. skipped gives, once fn has read the deals,
// the owners of the deals left out for their currency, one per deal.
// With since set, only the deals touched at or after it are read
// (store PipelineViewSince): for figures that no other deal can change.
func (b *Bot) kpiInput(ctx context.Context, s coaching.Settings, members []domain.UserID, since time.Time, fn func(in coaching.Input, skipped func() []domain.UserID) error) error {
	if members != nil && len(members) == 0 {
		return fn(coaching.Input{Settings: s}, func() []domain.UserID { return nil })
	}
	return b.store.PipelineViewSince(ctx, members, since, 0, func(deals iter.Seq[[]coaching.DealInput]) error {
		var skipped []domain.UserID
		var kept []coaching.DealInput
		in := coaching.Input{Settings: s, Chunks: func(yield func([]coaching.DealInput) bool) {
			var pass []domain.UserID // the owners this pass skips; every pass skips the same
			for chunk := range deals {
				kept = kept[:0]
				for _, d := range chunk {
					if b.cfg.Currency != "" && d.Deal.Currency != b.cfg.Currency {
						pass = append(pass, d.Deal.Owner)
						continue
					}
					kept = append(kept, d)
				}
				if len(kept) > 0 && !yield(kept) {
					return
				}
			}
			skipped = pass
		}}
		return fn(in, func() []domain.UserID { return skipped })
	})
}

// loadCoaching loads members' deals with load, leaves out those in another
// currency and, when discounts is set, adds what the deal desk knows of
// their discounts (PipelineDeals gives it already).
func (b *Bot) loadCoaching(ctx context.Context, s coaching.Settings, members []domain.UserID, zone func(domain.UserID) *time.Location,
	load func(context.Context, []domain.UserID) ([]coaching.DealInput, error), discounts bool) (in coaching.Input, skipped []domain.UserID, err error) {
	in = coaching.Input{Settings: s, Zone: zone}
	if members != nil && len(members) == 0 {
		return in, nil, nil
	}
	all, err := load(ctx, members)
	if err != nil {
		return in, nil, err
	}
	deals := all[:0]
	for _, d := range all {
		if b.cfg.Currency != "" && d.Deal.Currency != b.cfg.Currency {
			skipped = append(skipped, d.Deal.Owner)
			continue
		}
		deals = append(deals, d)
	}
	if ds, ok := b.store.(DiscountSource); ok && discounts && len(deals) > 0 {
		ids := make([]domain.DealID, len(deals))
		for i := range deals {
			ids[i] = deals[i].Deal.ID
		}
		info, err := ds.DiscountInfo(ctx, ids)
		if err != nil {
			return in, skipped, err
		}
		for i := range deals {
			deals[i].Discount = info[deals[i].Deal.ID]
		}
	}
	in.Deals = deals
	return in, skipped, nil
}

// reps lists every team member once, in file order.
func (b *Bot) reps() []domain.UserID {
	var out []domain.UserID
	for _, t := range b.cfg.Teams {
		for _, m := range t.Members {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// --- reminders -----------------------------------------------------------------

// coachingJobs are the reminders and the manager summary.
func (b *Bot) coachingJobs() []Job {
	return []Job{
		{Name: JobReminders, Run: b.runReminders},
		{Name: JobManagerSummary, Run: b.runManagerSummary},
	}
}

// runReminders sends each rep due a reminder at now their DM, once per
// local working day; see the file comment for the exactly-once argument.
func (b *Bot) runReminders(ctx context.Context, m Messenger, now time.Time) error {
	s := b.CoachSettings()
	type repLog struct {
		sent    []coaching.Sent
		snoozes []coaching.Snooze
	}
	var due []coaching.Rep
	logs := map[domain.UserID]repLog{}
	zones := map[domain.UserID]*time.Location{}
	for _, u := range b.reps() {
		if ctx.Err() != nil {
			return nil
		}
		loc := b.Zone(Caller{User: u, TZ: m.Location(ctx, u)})
		zones[u] = loc
		today := domain.DateOf(now.In(loc))
		var last domain.Date
		if b.store.Done(RemindKey(u, today)) {
			last = today
		}
		if !coaching.ShouldSendNow(now, loc, last, s) {
			continue
		}
		sent, snoozes, prefs, err := b.store.NudgeLog(ctx, u)
		if err != nil {
			return err
		}
		if !prefs.Active(now) {
			continue
		}
		due = append(due, coaching.Rep{User: u, Location: loc, Prefs: prefs, LastSentDay: last})
		logs[u] = repLog{sent, snoozes}
	}
	if len(due) == 0 {
		return nil
	}

	// The rules run per team: stall limits are the team's. Only the deals
	// nudged about are kept past their team's turn (the DMs show them; a
	// snooze of another deal holds back nothing): a run holds one team's
	// deals and history at a time, not the company's (9.4 GiB at 1M deals).
	zone := func(u domain.UserID) *time.Location { return zones[u] }
	var nudges []coaching.Nudge
	deals := map[domain.DealID]*domain.Deal{}
	for _, t := range b.cfg.Teams {
		if !slices.ContainsFunc(due, func(r coaching.Rep) bool { return slices.Contains(t.Members, r.User) }) {
			continue
		}
		in, _, err := b.coachInput(ctx, s, t.Members, zone)
		if err != nil {
			return err
		}
		found := coaching.Evaluate(in, now)
		byID := make(map[domain.DealID]*domain.Deal, len(in.Deals))
		for _, d := range in.Deals {
			byID[d.Deal.ID] = d.Deal
		}
		for _, n := range found {
			if d := byID[n.Deal]; d != nil {
				deals[n.Deal] = d
			}
		}
		nudges = append(nudges, found...)
	}
	// Renewals due (retention.go): not a rule of the team's deals, the
	// won deals' accounts decide.
	dueReps := make([]domain.UserID, len(due))
	for i, r := range due {
		dueReps[i] = r.User
	}
	renewals, renewing, err := b.renewalNudges(ctx, dueReps, now, zone)
	if err != nil {
		return err
	}
	for id, d := range renewing {
		deals[id] = d
	}
	nudges = append(nudges, renewals...)
	var sent []coaching.Sent
	var snoozes []coaching.Snooze
	for u, l := range logs {
		sent = append(sent, l.sent...)
		for _, z := range l.snoozes {
			// A deal snoozed by its former owner is not the new owner's choice.
			if z.Key == "" && (deals[z.Deal] == nil || deals[z.Deal].Owner != u) {
				continue
			}
			snoozes = append(snoozes, z)
		}
	}

	var errs []error
	for _, dm := range coaching.Plan(now, due, nudges, sent, snoozes, s) {
		if ctx.Err() != nil {
			break // stopping: the next tick (or start) reaches the others
		}
		key := RemindKey(dm.Rep, dm.Day)
		if b.store.Done(key) {
			continue
		}
		failed, _ := b.store.Post(ctx, key)
		if failed.Failed && PostReason(failed.Reason) == PostNoRecipient {
			continue // recorded and logged: no DM reaches this person today
		}
		r, keys := reminderOf(dm, deals)
		send, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
		err := m.DM(send, dm.Rep, r)
		cancel()
		if err != nil {
			_, _ = b.store.PostFailed(context.WithoutCancel(ctx), key, "", "", string(ReasonOf(err)), err.Error())
			if ReasonOf(err) == PostNoRecipient {
				continue // a deactivated account: retrying every minute would not help
			}
			errs = append(errs, fmt.Errorf("reminder to %s: %w", dm.Rep, err))
			continue // the next tick tries again
		}
		if failed.Failed {
			_ = b.store.ForgetPost(context.WithoutCancel(ctx), key)
		}
		if _, err := b.store.RecordReminder(context.WithoutCancel(ctx), dm.Rep, key, keys); err != nil {
			// Without the record the next DM could not be proved sent either.
			return errors.Join(append(errs, fmt.Errorf("recording the reminder to %s: %w", dm.Rep, err))...)
		}
	}
	return errors.Join(errs...)
}

// reminderOf groups a DM's items by deal (in the DM's order) and returns it
// with the keys of the items it shows.
func reminderOf(dm coaching.DM, deals map[domain.DealID]*domain.Deal) (Reminder, []string) {
	r := Reminder{Rep: dm.Rep, Day: dm.Day}
	var keys []string
	idx := map[domain.DealID]int{}
	for _, n := range dm.Items {
		i, ok := idx[n.Deal]
		if !ok {
			if len(r.Deals) == maxReminderDeals {
				idx[n.Deal] = -1 // left for another day, counted once
				r.More++
				continue
			}
			d := deals[n.Deal]
			if d == nil {
				continue
			}
			i = len(r.Deals)
			idx[n.Deal] = i
			r.Deals = append(r.Deals, ReminderDeal{Deal: d})
		}
		if i < 0 {
			continue
		}
		r.Deals[i].Items = append(r.Deals[i].Items, Msg{Key: n.Kind.MessageKey(), Args: n.Args})
		keys = append(keys, n.Key)
	}
	return r, keys
}

// --- buttons and /deal nudges -----------------------------------------------------

// NudgeDoneValue is the value of a reminder's Done button on d: the deal
// and the version the reminder showed, so that Done clears the next step
// the reminder named and never one set since.
func NudgeDoneValue(d *domain.Deal) string {
	return strconv.FormatUint(uint64(d.ID), 10) + ":" + strconv.FormatUint(d.Version, 10)
}

// parseNudgeValue reads a reminder button's value: the deal id, and for
// Done the version it was shown on (0 when the value has none).
func parseNudgeValue(value string) (domain.DealID, uint64, bool) {
	idText, versionText, hasVersion := strings.Cut(value, ":")
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	var version uint64
	if hasVersion {
		if version, err = strconv.ParseUint(versionText, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return domain.DealID(id), version, true
}

// coachAction answers the reminder's Done and Snooze buttons.
func (b *Bot) coachAction(ctx context.Context, c Caller, actionID, value string) (Reply, error) {
	// Someone removed from the configuration still has old reminders;
	// their buttons write nothing and say nothing of the deal: someone
	// unknown is told so before anything is read.
	sight := b.sight(c.User)
	if _, err := sight.Filter(); err != nil {
		return nil, err
	}
	id, shown, ok := parseNudgeValue(value)
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "coach.bad_action")
	}
	d, err := b.store.Deal(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := sight.Check(domain.Read{Path: domain.ReadButton, Deal: d.ID, Owner: d.Owner}); err != nil {
		return nil, err
	}
	switch actionID {
	case ActionNudgeDone:
		if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
			return nil, err
		}
		if d.Status != domain.Open {
			return nil, domain.Errorf(domain.EINVALID, "deal.closed", d.ID.Ref(), d.Status)
		}
		if strings.TrimSpace(d.NextStep) != "" {
			// The step the reminder named is done: clear it (history says
			// when), then ask for the next one. Cancelling the form leaves
			// the deal without a next step, which tomorrow's reminder will
			// say. Only on the version the reminder showed: a next step set
			// since (or any other change) is not the one the rep is done
			// with, and a button without a version is never "the latest".
			if shown == 0 {
				return nil, domain.Errorf(domain.EINVALID, "form.no_version", d.ID.Ref())
			}
			d, _, err = b.store.UpdateDeal(ctx, d.ID, shown, c.User, func(x *domain.Deal) error {
				if err := domain.CanEdit(b.cfg, c.User, x); err != nil {
					return err
				}
				x.NextStep, x.NextStepDue = "", domain.Date{}
				return x.Validate()
			})
			if err != nil {
				return nil, err
			}
		}
		return OpenForm{Form: b.nextStepForm(c, d)}, nil
	case ActionNudgeSnooze1, ActionNudgeSnooze3:
		days := 1
		if actionID == ActionNudgeSnooze3 {
			days = 3
		}
		loc := b.Zone(c)
		until := coaching.ResumeAt(b.clock.Now(), loc, days)
		if err := b.store.Snooze(ctx, c.User, coaching.Snooze{Deal: d.ID, Until: until}); err != nil {
			return nil, err
		}
		return Notice{Msgs: []Msg{M("coach.snoozed", d.ID.Ref(), coaching.Day(domain.DateOf(until.In(loc))))}}, nil
	}
	return nil, domain.Errorf(domain.EINVALID, "deal.unknown_action", actionID)
}

// pauseLen reads "1w", "3d", "2 weeks", "10j", "2s" (French jours,
// semaines); a bare number is days.
var pauseLen = regexp.MustCompile(`(?i)^(\d{1,3})\s*(d|days?|j|jours?|w|weeks?|s|sem|semaines?)?$`)

// dealNudges is /deal nudges [on | off | pause 1w].
func (b *Bot) dealNudges(ctx context.Context, c Caller, args string) (Reply, error) {
	word, rest := SplitFirst(args)
	now := b.clock.Now()
	var p coaching.Prefs
	switch strings.ToLower(word) {
	case "on":
	case "off":
		p.Off = true
	case "pause":
		days := 7
		if rest != "" {
			m := pauseLen.FindStringSubmatch(strings.TrimSpace(rest))
			if m == nil {
				return nil, domain.Errorf(domain.EINVALID, "coach.nudges.bad_len", rest)
			}
			n, _ := strconv.Atoi(m[1])
			if u := strings.ToLower(m[2]); u != "" && (u[0] == 'w' || u[0] == 's') {
				n *= 7
			}
			if n < 1 || n > 56 {
				return nil, domain.Errorf(domain.EINVALID, "coach.nudges.bad_len", rest)
			}
			days = n
		}
		p.PausedUntil = coaching.ResumeAt(now, b.Zone(c), days)
	case "", "status":
		_, _, cur, err := b.store.NudgeLog(ctx, c.User)
		if err != nil {
			return nil, err
		}
		return Notice{Msgs: []Msg{b.nudgeState(c, cur, now)}}, nil
	default:
		return nil, domain.Errorf(domain.EINVALID, "coach.nudges.usage")
	}
	if err := b.store.SetNudgePrefs(ctx, c.User, p); err != nil {
		return nil, err
	}
	return Notice{Msgs: []Msg{b.nudgeState(c, p, now)}}, nil
}

func (b *Bot) nudgeState(c Caller, p coaching.Prefs, now time.Time) Msg {
	switch {
	case p.Off:
		return M("coach.nudges.off")
	case !p.Active(now):
		return M("coach.nudges.paused", coaching.Day(domain.DateOf(p.PausedUntil.In(b.Zone(c)))))
	}
	at := b.cfg.Schedules.RemindersAt
	return M("coach.nudges.on", fmt.Sprintf("%02d:%02d", at.Hour, at.Minute))
}

// --- manager summary -------------------------------------------------------------

// summaryAt is when Monday's summary may go out on day (a Monday) in the
// company zone: at the digest's first run that day (schedules.digest), or at
// reminders_at when the digest does not run on Mondays.
func (b *Bot) summaryAt(day domain.Date) time.Time {
	loc := b.cfg.Location
	midnight := coaching.DueAt(day, loc, 0, 0)
	if sched, err := cron.ParseStandard(b.cfg.Schedules.Digest); err == nil {
		if next := sched.Next(midnight.Add(-time.Second)); domain.DateOf(next.In(loc)) == day {
			return next
		}
	}
	at := b.cfg.Schedules.RemindersAt
	return coaching.DueAt(day, loc, at.Hour, at.Minute)
}

// runManagerSummary sends, on Mondays after the digest, each manager a DM
// per team they manage, once per week (done key SummaryKey, recorded after
// the DM went out).
func (b *Bot) runManagerSummary(ctx context.Context, m Messenger, now time.Time) error {
	local := now.In(b.cfg.Location)
	if local.Weekday() != time.Monday || now.Before(b.summaryAt(domain.DateOf(local))) {
		return nil
	}
	var errs []error
	for i := range b.cfg.Teams {
		t := &b.cfg.Teams[i]
		if ctx.Err() != nil {
			break
		}
		key := SummaryKey(t.Manager, t.Name, local)
		if t.Manager == "" || b.store.Done(key) {
			continue
		}
		r, err := b.ManagerSummary(ctx, t, now)
		if err != nil {
			return err
		}
		send, cancel := context.WithTimeout(context.WithoutCancel(ctx), dmTimeout)
		err = m.DM(send, t.Manager, r)
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("summary to %s: %w", t.Manager, err))
			continue
		}
		if _, err := b.store.MarkDone(key); err != nil {
			return errors.Join(append(errs, err)...)
		}
	}
	return errors.Join(errs...)
}

// ManagerSummary is the KPIs of team t over the last 90 days at now, with
// every member listed (a rep without deals has empty metrics).
func (b *Bot) ManagerSummary(ctx context.Context, t *config.Team, now time.Time) (CoachSummary, error) {
	s := b.CoachSettings()
	in, _, err := b.coachInput(ctx, s, t.Sellers(), nil)
	if err != nil {
		return CoachSummary{}, err
	}
	today := domain.DateOf(now.In(b.cfg.Location))
	period := coaching.Period{From: today.AddDays(1 - summaryDays), To: today}
	out := CoachSummary{Team: t.Name, Currency: b.cfg.Currency, HollowWinBP: s.HollowWinBP}
	tr, _, _ := b.trend(in, period, "", now, true)
	rep := tr.report
	out.Trend, out.SlipPeriod = tr.Trend, tr.quarter
	out.Hollow, out.HollowReps = coaching.HollowWins(in, period)
	for _, u := range t.Sellers() {
		if !slices.ContainsFunc(out.HollowReps, func(c coaching.Scorecard) bool { return c.Rep == u }) {
			out.HollowReps = append(out.HollowReps, coaching.Scorecard{Rep: u})
		}
	}
	slices.SortFunc(out.HollowReps, func(x, y coaching.Scorecard) int { return strings.Compare(string(x.Rep), string(y.Rep)) })
	if out.HollowChurns, err = b.summaryHollowChurns(ctx, in, period); err != nil {
		return CoachSummary{}, err
	}
	if out.Commission, err = b.commissionSummaryLines(ctx, t.Sellers(), today); err != nil {
		return CoachSummary{}, err
	}
	for _, u := range t.Sellers() {
		if !slices.ContainsFunc(rep.Reps, func(r coaching.RepMetrics) bool { return r.Rep == u }) {
			rep.Reps = append(rep.Reps, coaching.RepMetrics{Rep: u, Metrics: emptyMetrics(s)})
		}
	}
	slices.SortFunc(rep.Reps, func(x, y coaching.RepMetrics) int { return strings.Compare(string(x.Rep), string(y.Rep)) })
	deals := map[domain.DealID]*domain.Deal{}
	for _, d := range in.Deals {
		for _, tk := range rep.Team.Talks {
			if tk.Deal == d.Deal.ID {
				deals[d.Deal.ID] = d.Deal
			}
		}
	}
	out.Report, out.Deals = rep, deals
	return out, nil
}

func emptyMetrics(s coaching.Settings) coaching.Metrics {
	return coaching.KPIs(coaching.Input{Settings: s}, coaching.Period{}, time.Time{}).Team
}

// --- /pipeline -----------------------------------------------------------------

// pipelineWindow reads a /pipeline period (forecast.ParseWindow, the one
// syntax of every command and report) as the days it covers up to today: a
// quarter still running ends today, a period not begun is refused.
func (b *Bot) pipelineWindow(word string, today domain.Date) (coaching.Period, error) {
	w, err := b.Calendar().ParseWindow(word, today)
	if err != nil {
		return coaching.Period{}, err
	}
	w, ok := w.SoFar(today)
	if !ok {
		return coaching.Period{}, domain.Errorf(domain.EINVALID, "period.future", w.Name)
	}
	return coaching.Period{From: w.From, To: w.To}, nil
}

// pipeline is /pipeline [@user | team] [period]: a rep's own KPIs by
// default, a manager's team, everyone's for an admin; the last 90 days
// unless a period is given.
func (b *Bot) pipeline(ctx context.Context, c Caller, args string) (Reply, error) {
	sc, err := b.pipelineScope(c, args)
	if err != nil {
		return nil, err
	}
	period, user, members := sc.period, sc.user, sc.members
	s := b.CoachSettings()
	now := b.clock.Now()
	out := Pipeline{Currency: b.cfg.Currency, Period: period, Scope: sc.label}

	// Each rep's figures only when one person's are shown: a team's or
	// the company's answer reads the scope's.
	answer := func(tr trendOut, m coaching.Metrics, slip forecast.Slip, skipped []domain.UserID) {
		out.Metrics, out.Slippage = m, slip
		out.Trend, out.SlipPeriod = tr.Trend, tr.quarter
		tr.monthSlippage(&out, user)
		if user == "" {
			out.Skipped = len(skipped)
			return
		}
		// A person's KPIs, with their team's stall limits: members are
		// the team's.
		out.Scope = M("raw", user)
		for _, o := range skipped {
			if o == user {
				out.Skipped++
			}
		}
	}
	if ps, ok := b.store.(PartSource); ok && (members == nil || len(members) > 0) {
		// Only the parts written since the last call are read
		// (pipeline_parts.go); a team without sellers reads nothing.
		tr, m, slip, skipped, err := b.trendOfParts(ctx, ps, s, members, period, sc.word, user, now, user != "")
		if err != nil {
			return nil, err
		}
		answer(tr, m, slip, skipped)
		return out, nil
	}
	err = b.kpiInput(ctx, s, members, time.Time{}, func(in coaching.Input, skipped func() []domain.UserID) error {
		tr, m, slip := b.trend(in, period, user, now, user != "")
		answer(tr, m, slip, skipped())
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pipelineScope is whose deals, and over which window, /pipeline and
// /pipeline losses read.
type pipelineScope struct {
	period coaching.Period
	// user is the person asked about when the answer is one person's;
	// members then are their team's (the stall limits are the team's).
	user domain.UserID
	// members are whose deals to load: nil for everyone (an admin in no
	// team).
	members []domain.UserID
	label   Msg    // the team's or everyone's; a person's is M("raw", user)
	word    string // the period as typed ("" for the default window)
}

// pipelineScope reads [@user | team | <team name>] [period] and applies the
// visibility rule (sight) before anything is loaded: a person's figures
// need ReadPipeline on their deals, a team's on the team. A word that is
// none of these is refused with the usage.
func (b *Bot) pipelineScope(c Caller, args string) (pipelineScope, error) {
	var sc pipelineScope
	sight := b.sight(c.User)
	if _, err := sight.Filter(); err != nil {
		return sc, err // someone unknown: the same refusal as everywhere
	}
	today := domain.DateOf(b.clock.Now().In(b.cfg.Location))
	sc.period = coaching.Period{From: today.AddDays(1 - summaryDays), To: today}
	var user domain.UserID
	var named *config.Team
	team, teamWord := false, false
	for _, tok := range strings.Fields(args) {
		if u, ok := c.Mentioned(tok); ok {
			user = u
			continue
		}
		if t, ok := b.teamNamed(tok); ok {
			named, team, teamWord = t, true, true
			continue
		}
		switch strings.ToLower(tok) {
		case "team", "équipe", "equipe":
			team, teamWord = true, true
			continue
		}
		if _, err := b.Calendar().ParseWindow(tok, today); err != nil {
			return sc, domain.Errorf(domain.EINVALID, "pipeline.usage", tok, forecast.PeriodForms)
		}
		p, err := b.pipelineWindow(tok, today)
		if err != nil {
			return sc, err
		}
		sc.period, sc.word = p, tok
	}
	managed := b.cfg.TeamsManagedBy(c.User)
	if user == "" && !team {
		if len(managed) > 0 || b.cfg.IsAdmin(c.User) {
			team = true
		} else {
			user = c.User
		}
	}
	if user != "" && !teamWord {
		// Whose KPIs these are decides, before anything is loaded.
		if err := sight.Check(domain.Read{Path: domain.ReadPipeline, Owner: user}); err != nil {
			return sc, err
		}
		sc.user, sc.members, sc.label = user, []domain.UserID{user}, M("raw", user)
		if t, ok := b.cfg.TeamOf(user); ok {
			sc.members = t.Members
		}
		return sc, nil
	}

	// A team: the one named, else the caller's own, else the first they
	// manage; everyone's for an admin in no team.
	t := named
	if mine, ok := b.cfg.TeamOf(c.User); ok && t == nil {
		t = mine
	} else if len(managed) > 0 && t == nil {
		t = managed[0]
	}
	switch {
	case t != nil:
		if err := sight.Check(domain.Read{Path: domain.ReadPipeline, Team: t.Name}); err != nil {
			return sc, err
		}
		sc.members, sc.label = t.Sellers(), M("pipeline.scope.team", t.Name)
	case b.cfg.IsAdmin(c.User):
		if err := sight.Check(domain.Read{Path: domain.ReadPipeline}); err != nil {
			return sc, err
		}
		sc.label = M("pipeline.scope.all")
	default:
		return sc, domain.Errorf(domain.EINVALID, "pipeline.no_team")
	}
	return sc, nil
}

// PipelineReport is /pipeline's computation for the offline report
// (`dealpilot report pipeline`): a team's KPIs, or everyone's when team is
// empty, over period at now.
func (b *Bot) PipelineReport(ctx context.Context, team string, period coaching.Period, now time.Time) (Pipeline, error) {
	d, err := b.PipelineDetail(ctx, team, period, now)
	return d.Pipeline, err
}

// PipelineDetail is `dealpilot report pipeline`'s content: /pipeline's
// answer for the scope (Pipeline, the same figures), the period's
// hollow-win scorecard of the scope, and each seller's own KPIs, slippage
// and scorecard.
type PipelineDetail struct {
	Pipeline
	HollowWinBP int // the discount above which a win is hollow (nudges.hollow_win_discount)
	Hollow      coaching.Scorecard
	// Reps are the scope's sellers and anyone else owning one of its
	// deals, by user id; a seller without deals has empty figures.
	Reps []RepPipeline
}

// RepPipeline is one seller's figures in a PipelineDetail: those of the
// deals they own now (as /pipeline @rep counts them).
type RepPipeline struct {
	Rep      domain.UserID
	Metrics  coaching.Metrics
	Slippage forecast.Slip // of the scope's SlipPeriod
	// SlippageMonth is the seller's slippage of the scope's SlipMonth.
	SlippageMonth forecast.Slip
	Hollow        coaching.Scorecard
}

// PipelineDetail computes PipelineReport's figures and, from the same
// deals, the hollow-win scorecard and each seller's figures.
func (b *Bot) PipelineDetail(ctx context.Context, team string, period coaching.Period, now time.Time) (PipelineDetail, error) {
	s := b.CoachSettings()
	out := PipelineDetail{Pipeline: Pipeline{Currency: b.cfg.Currency, Period: period, Scope: M("pipeline.scope.all")}, HollowWinBP: s.HollowWinBP}
	members := b.reps()
	var load []domain.UserID // nil: everyone's deals
	if team != "" {
		i := slices.IndexFunc(b.cfg.Teams, func(t config.Team) bool { return strings.EqualFold(t.Name, team) })
		if i < 0 {
			return out, domain.Errorf(domain.ENOTFOUND, "raw", "no team "+team)
		}
		members, out.Scope = b.cfg.Teams[i].Sellers(), M("pipeline.scope.team", b.cfg.Teams[i].Name)
		load = members
	}
	in, skipped, err := b.coachInput(ctx, s, load, nil)
	if err != nil {
		return out, err
	}
	out.Skipped = len(skipped)
	tr, metrics, slip := b.trend(in, period, "", now, true)
	rep := tr.report
	out.Metrics, out.Slippage, out.Trend, out.SlipPeriod = metrics, slip, tr.Trend, tr.quarter

	var hollowReps []coaching.Scorecard
	out.Hollow, hollowReps = coaching.HollowWins(in, period)
	slipReps := tr.quarterReps

	who := slices.Clone(members)
	for _, r := range rep.Reps {
		who = append(who, r.Rep)
	}
	for _, r := range hollowReps {
		who = append(who, r.Rep)
	}
	for _, r := range slipReps {
		who = append(who, r.Rep)
	}
	slices.SortFunc(who, func(x, y domain.UserID) int { return strings.Compare(string(x), string(y)) })
	for _, u := range slices.Compact(who) {
		r := RepPipeline{Rep: u, Metrics: emptyMetrics(s), Hollow: coaching.Scorecard{Rep: u}}
		if i := slices.IndexFunc(rep.Reps, func(m coaching.RepMetrics) bool { return m.Rep == u }); i >= 0 {
			r.Metrics = rep.Reps[i].Metrics
		}
		if i := slices.IndexFunc(slipReps, func(x forecast.RepSlip) bool { return x.Rep == u }); i >= 0 {
			r.Slippage = slipReps[i].Slip
		}
		if i := slices.IndexFunc(hollowReps, func(c coaching.Scorecard) bool { return c.Rep == u }); i >= 0 {
			r.Hollow = hollowReps[i]
		}
		out.Reps = append(out.Reps, r)
	}
	monthReps := tr.monthSlippage(&out.Pipeline, "")
	for i := range out.Reps {
		if j := slices.IndexFunc(monthReps, func(x forecast.RepSlip) bool { return x.Rep == out.Reps[i].Rep }); j >= 0 {
			out.Reps[i].SlippageMonth = monthReps[j].Slip
		}
	}
	return out, nil
}

// trendOut is what trend computes in its one pass over the deals.
type trendOut struct {
	Trend
	report      coaching.Report // the period's KPIs, the team's and each rep's
	quarter     forecast.Period // the fiscal quarter of the period's last day
	quarterReps []forecast.RepSlip
	// The calendar month of the period's last day, its slippage at now,
	// the team's and each seller's.
	month     forecast.Period
	monthTeam forecast.Slip
	monthReps []forecast.RepSlip
}

// monthSlippage sets out's SlipMonth, the calendar month of its window's
// last day, and that month's slippage: the team's, or user's alone when
// user is set (in held their whole team, for the stall limits). It returns
// each seller's slippage of that month.
func (t trendOut) monthSlippage(out *Pipeline, user domain.UserID) []forecast.RepSlip {
	out.SlipMonth = t.month
	out.SlippageMonth = t.monthTeam
	if user != "" {
		out.SlippageMonth = forecast.Slip{}
		for _, r := range t.monthReps {
			if r.Rep == user {
				out.SlippageMonth = r.Slip
			}
		}
	}
	return t.monthReps
}

// trend computes, in one pass over the deals of in (after the one that
// gives the stall limits), period's KPIs and its comparisons'
// (coaching.KPICount), the slippage of the fiscal quarter of period's
// last day and of its comparison quarters, and that of the calendar month
// of that day: the team's when user is empty, else user's (empty metrics
// when they own none). It returns them with the scope's metrics and
// quarter's slippage. Without reps, only the scope's figures are counted:
// out.report, out.quarterReps and out.monthReps have no rep (user must
// then be empty).
func (b *Bot) trend(in coaching.Input, period coaching.Period, user domain.UserID, now time.Time, reps bool) (trendOut, coaching.Metrics, forecast.Slip) {
	tc, out := b.newTrendCount(in, period, now, !reps && user == "")
	days := b.Calendar().Days()
	var buf []domain.Date
	for deals := range in.Each() {
		buf = tc.add(deals, days, buf)
	}
	return b.trendResult(tc, out, in.Settings, user)
}

// trendCount is what trend counts: the KPIs of the period and of its
// comparisons, and the slippage of the three quarters and of the month.
// Counts of parts of the deals merge into one (merge), as if it had been
// given their deals (pipeline_parts.go).
type trendCount struct {
	kpis   *coaching.KPICount
	counts [4]*forecast.SlipCounter // the three quarters, then the month at now
}

// newTrendCount starts trend's counts of period at now, for the team's
// figures alone when teamOnly, and gives the periods they are of.
func (b *Bot) newTrendCount(in coaching.Input, period coaching.Period, now time.Time, teamOnly bool) (*trendCount, trendOut) {
	var out trendOut
	tr := &out.Trend
	tr.Compared[0], tr.Compared[1] = coaching.Comparisons(period)

	cal := b.Calendar()
	q := cal.Quarter(period.To)
	out.quarter = q
	out.month = cal.Month(period.To)
	tr.SlipCompared = [2]forecast.Period{cal.Quarter(q.Start.AddDays(-1)), cal.Quarter(coaching.YearBefore(q.Start))}
	// Where the quarter is at now (its end once over), so that a past
	// quarter is judged at the same point of itself.
	elapsed := max(0, q.Start.DaysUntil(cal.Today(now)))
	tc := &trendCount{}
	for k, qk := range [3]forecast.Period{q, tr.SlipCompared[0], tr.SlipCompared[1]} {
		at := now
		if k > 0 {
			// Past its last day (a shorter quarter), Slippage judges the
			// whole quarter.
			day := qk.Start.AddDays(elapsed)
			loc := cal.Location
			if loc == nil {
				loc = time.UTC
			}
			at = day.Time(loc)
		}
		tc.counts[k] = cal.SlipCount(qk, at)
	}
	tc.counts[3] = cal.SlipCount(out.month, now)

	tc.kpis = coaching.NewKPICount(in, period, tr.Compared[:], now)
	if teamOnly {
		tc.kpis.TeamOnly()
		for _, c := range tc.counts {
			c.TeamOnly()
		}
	}
	return tc, out
}

// add counts deals (a chunk), working out each entry's day once with days
// for the four slippages; buf is reused memory, returned for the next call.
func (tc *trendCount) add(deals []coaching.DealInput, days *domain.Days, buf []domain.Date) []domain.Date {
	tc.kpis.Add(deals)
	for i := range deals {
		sd := forecast.SlipDeal{Deal: deals[i].Deal, History: deals[i].History}
		buf = sd.DaysOf(days, buf) // each entry's day once, for the four counts
		for _, c := range tc.counts {
			c.Add(sd)
		}
	}
	return buf
}

// trendResult gives trend's answer from its counts (out from
// newTrendCount): the team's figures when user is empty, else user's.
func (b *Bot) trendResult(tc *trendCount, out trendOut, s coaching.Settings, user domain.UserID) (trendOut, coaching.Metrics, forecast.Slip) {
	tr := &out.Trend
	reports := tc.kpis.Reports()
	var ms [3]coaching.Metrics
	for k, r := range reports {
		ms[k] = r.Team
		if user != "" {
			ms[k] = emptyMetrics(s)
			for _, rm := range r.Reps {
				if rm.Rep == user {
					ms[k] = rm.Metrics
				}
			}
		}
	}

	var slips [3]forecast.Slip
	var rates [3]coaching.SlipRate
	for k := range 3 {
		team, reps := tc.counts[k].Result()
		if k == 0 {
			out.quarterReps = reps
		}
		slips[k] = team
		if user != "" {
			slips[k] = forecast.Slip{}
			for _, r := range reps {
				if r.Rep == user {
					slips[k] = r.Slip
				}
			}
		}
		rates[k] = coaching.SlipRate{ForecastAmount: slips[k].ForecastAmount, RateBP: slips[k].RateBP}
	}
	out.monthTeam, out.monthReps = tc.counts[3].Result()
	tr.Trends = coaching.Trends(ms, rates)
	out.report = reports[0]
	return out, ms[0], slips[0]
}

// ParsePeriod reads a period of /pipeline (and its reports) in the one
// syntax of every command, as the days it covers up to today.
func (b *Bot) ParsePeriod(word string, today domain.Date) (coaching.Period, error) {
	return b.pipelineWindow(word, today)
}

// PipelineLosses is /pipeline losses' answer: where, why, whose and to whom
// the deals of a person, a team or everyone were lost over Losses.Period.
type PipelineLosses struct {
	Scope    Msg
	Currency string
	Losses   coaching.Losses
}

func (PipelineLosses) isReply() {}

// pipelineLosses answers /pipeline losses [@user | team] [period]: the same
// scope, window and visibility rule as /pipeline (pipelineScope).
func (b *Bot) pipelineLosses(ctx context.Context, c Caller, args string) (Reply, error) {
	sc, err := b.pipelineScope(c, args)
	if err != nil {
		return nil, err
	}
	return b.losses(ctx, sc, b.clock.Now())
}

// LossesReport is /pipeline losses' computation for the offline report
// (`dealpilot report losses`): a team's losses, or everyone's when team is
// empty, over period at now.
func (b *Bot) LossesReport(ctx context.Context, team string, period coaching.Period, now time.Time) (PipelineLosses, error) {
	sc := pipelineScope{period: period, label: M("pipeline.scope.all")}
	if team != "" {
		i := slices.IndexFunc(b.cfg.Teams, func(t config.Team) bool { return strings.EqualFold(t.Name, team) })
		if i < 0 {
			return PipelineLosses{}, domain.Errorf(domain.ENOTFOUND, "raw", "no team "+team)
		}
		sc.members, sc.label = b.cfg.Teams[i].Sellers(), M("pipeline.scope.team", b.cfg.Teams[i].Name)
	}
	return b.losses(ctx, sc, now)
}

func (b *Bot) losses(ctx context.Context, sc pipelineScope, now time.Time) (PipelineLosses, error) {
	out := PipelineLosses{Scope: sc.label, Currency: b.cfg.Currency}
	s := b.CoachSettings()
	// Only a deal touched since the window began can have been lost in
	// it or have entered a stage in it (coaching.LossAnalysis): the
	// others are passed over unread (BENCHMARKS.md). From the day before:
	// an earlier bound only reads more, and a zone whose midnight a
	// clock change skips has no clean start of that day.
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	since := sc.period.From.AddDays(-1).Time(loc)
	err := b.kpiInput(ctx, s, sc.members, since, func(in coaching.Input, _ func() []domain.UserID) error {
		if sc.user != "" {
			// A person's losses: the deals they own (their team was loaded).
			in = ownedBy(in, sc.user)
		}
		out.Losses = coaching.LossAnalysis(in, sc.period, b.cfg.LossReasons, now)
		return nil
	})
	if err != nil {
		return PipelineLosses{}, err
	}
	return out, nil
}

// ownedBy is in with only the deals user owns.
func ownedBy(in coaching.Input, user domain.UserID) coaching.Input {
	all := in.Each()
	var kept []coaching.DealInput
	in.Deals = nil
	in.Chunks = func(yield func([]coaching.DealInput) bool) {
		for chunk := range all {
			kept = kept[:0]
			for _, d := range chunk {
				if d.Deal.Owner == user {
					kept = append(kept, d)
				}
			}
			if len(kept) > 0 && !yield(kept) {
				return
			}
		}
	}
	return in
}

// Sheet is d as `dealpilot report pipeline` writes it, labels in loc: the
// scope's row, then each seller's (by id: names are not kept yet).
func (d PipelineDetail) Sheet(loc i18n.Locale) report.Pipeline {
	scope := i18n.T(loc, d.Scope.Key, d.Scope.Args...)
	out := report.Pipeline{Scope: scope, Currency: d.Currency, Skipped: d.Skipped, Period: d.Period, SlipPeriod: d.SlipPeriod, SlipMonth: d.SlipMonth,
		HollowWinBP: d.HollowWinBP, Compared: d.Compared, SlipCompared: d.SlipCompared, Trends: d.Trends,
		Rows: []report.PipelineRow{{Who: scope, Metrics: d.Metrics, Slippage: d.Slippage, SlippageMonth: d.SlippageMonth, Hollow: d.Hollow}}}
	for _, r := range d.Reps {
		out.Rows = append(out.Rows, report.PipelineRow{Who: string(r.Rep), User: r.Rep, Metrics: r.Metrics, Slippage: r.Slippage,
			SlippageMonth: r.SlippageMonth, Hollow: r.Hollow})
	}
	return out
}
