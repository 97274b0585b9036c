package coaching

import (
	"cmp"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Kind names a rule. The value is stable: it starts every Nudge.Key, so
// renaming one would resend every nudge of that kind.
type Kind string

// The rules, in the order a reminder lists a deal's items.
const (
	KindOverdue      Kind = "next_step_overdue"    // the next step's due date has passed
	KindNoNextStep   Kind = "no_next_step"         // an open deal has no next step
	KindStalled      Kind = "stalled"              // longer in its stage than the stage's limit
	KindClosePast    Kind = "close_date_past"      // the close date has passed and the deal is open
	KindMissing      Kind = "missing_fields"       // fields its stage requires are empty
	KindPushed       Kind = "close_date_pushed"    // the close date was pushed MaxPushes times or more
	KindDiscountQual Kind = "discount_unqualified" // a discount over the band with qualification missing
	KindHollowWin    Kind = "hollow_win"           // won with a discount over HollowWinBP
)

// KindRenewalDue is a won deal whose contract term ends within 90 days
// (domain/retention.RenewalsDue). It is no rule of Evaluate (it reads
// accounts, which Input does not hold) and not in Kinds: the bot adds its
// nudges to a reminder's, keyed "renewal_due:<D-ref>:<owner>:<term end>",
// so each renewal is told once, and the KPIs never count it.
const KindRenewalDue Kind = "renewal_due"

// Kinds lists every kind in display order.
var Kinds = []Kind{KindOverdue, KindNoNextStep, KindStalled, KindClosePast, KindMissing, KindPushed, KindDiscountQual, KindHollowWin}

// MessageKey is the i18n catalogue key of the kind's message ("nudge.stalled");
// Nudge.Args are its arguments.
func (k Kind) MessageKey() string { return "nudge." + string(k) }

// Nudge is one thing a rep should fix on one deal.
//
// Key identifies the situation, not the deal: "<kind>:<D-ref>:<owner>:<state>",
// where state is what triggered the rule (the due date that passed, the
// stage and the day the deal entered it, the number of pushes…). While the
// deal stays in that situation the key is the same, so a reminder is not sent
// twice; a change that matters (a new due date, a new stage, another push, a
// new owner) makes a new key and a new reminder.
//
// Args are the arguments of the kind's message (Kind.MessageKey), in order:
//
//	next_step_overdue     next step (string), due date (Day)
//	no_next_step          none
//	stalled               stage (string), days in it (Days), limit (Days); see StallDays
//	close_date_past       close date (Day)
//	missing_fields        stage (string), the empty fields (Fields)
//	close_date_pushed     pushes (int), current close date (Day)
//	discount_unqualified  requested discount (domain.Percent), band (domain.Percent), the empty fields (Fields)
//	hollow_win            approved discount (domain.Percent), the configured level (domain.Percent)
type Nudge struct {
	Deal  domain.DealID
	Owner domain.UserID
	Kind  Kind
	Key   string
	Args  []any
}

// Input is what Evaluate and KPIs work on: a team's deals (the stall limits
// are the team's), the settings, and each rep's time zone.
type Input struct {
	Settings Settings
	Deals    []DealInput
	// Zone returns a rep's time zone, nil when unknown (then
	// Settings.Location applies). A nil Zone means every rep is in
	// Settings.Location.
	Zone func(domain.UserID) *time.Location
	// Chunks, when set, gives the deals instead of Deals, for the
	// figures (KPIsOver, KPICount, LossAnalysis; not Evaluate): consecutive
	// chunks of them in deal id order, each valid only until the next is
	// asked for, and the same deals each time it is ranged over (each
	// figure ranges over it once). /pipeline reads a
	// whole company's deals this way, a block at a time, instead of
	// holding them all (BENCHMARKS.md).
	Chunks iter.Seq[[]DealInput]
}

// Each ranges over in's deals: Chunks when set, else Deals as one chunk.
func (in *Input) Each() iter.Seq[[]DealInput] {
	if in.Chunks != nil {
		return in.Chunks
	}
	return func(yield func([]DealInput) bool) {
		if len(in.Deals) > 0 {
			yield(in.Deals)
		}
	}
}

// Evaluate applies every rule to every deal at the instant now. Dates (due
// dates, close dates) are compared with the owner's today, the day of now in
// the owner's time zone. The nudges are sorted by owner, deal, then kind (in
// Kinds order); a deal has at most one nudge of each kind.
func Evaluate(in Input, now time.Time) []Nudge {
	l, ends, _ := evaluate(&in, now, true)
	out := l.full
	// check emits each deal's nudges in Kinds order, with one key per kind:
	// sorting the deals that have nudges sorts the nudges.
	var order []int
	for i := range in.Deals {
		if i == 0 && ends[0] > 0 || i > 0 && ends[i] > ends[i-1] {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		da, db := in.Deals[a].Deal, in.Deals[b].Deal
		return cmp.Or(strings.Compare(string(da.Owner), string(db.Owner)), cmp.Compare(da.ID, db.ID))
	})
	sorted := make([]Nudge, 0, len(out))
	for _, i := range order {
		start := 0
		if i > 0 {
			start = ends[i-1]
		}
		sorted = append(sorted, out[start:ends[i]]...)
	}
	return sorted
}

// nudgeList collects the nudges of every deal, deal by deal: whole Nudges
// with their keys and message arguments (keys set, for Evaluate), or only
// their kinds (for the KPIs, which read nothing else: 16 bytes a nudge
// instead of a Nudge's 80, for every open deal of the company in an
// admin's /pipeline).
type nudgeList struct {
	keys  bool
	full  []Nudge
	kinds []Kind
}

func (l *nudgeList) len() int {
	if l.keys {
		return len(l.full)
	}
	return len(l.kinds)
}

// evaluate returns the nudges deal by deal (those of deal i are
// [ends[i-1]:ends[i]] of the list) and what scan found for each deal.
// Without keys, the list holds only each nudge's kind (no Key, no Args):
// the KPIs need no more, and a team's thousands of keys cost megabytes.
func evaluate(in *Input, now time.Time, keys bool) (l nudgeList, ends []int, fs []facts) {
	ev := newEvaluator(in, stallLimits(in), now, keys)
	ev.run(in.Deals)
	return ev.l, ev.ends, ev.fs
}

// stallLimits is StallLimits of in's deals.
func stallLimits(in *Input) []time.Duration {
	s := &in.Settings
	samples := make([][]time.Duration, len(s.Stages))
	collect := func(st int, d time.Duration) { samples[st] = appendStay(samples[st], d) }
	memo := &stageMemo{stages: s.Stages} // one, not an interface value a deal
	for deals := range in.Each() {
		for i := range deals {
			scan(memo, &deals[i], collect)
		}
	}
	return limits(s, samples)
}

// evaluator applies the rules to deals a chunk at a time, with the stall
// limits of the whole input: run gives a chunk's nudges (l, ends) and
// facts (fs), kept until the next run.
type evaluator struct {
	s      *Settings
	lim    []time.Duration
	today  todays
	now    time.Time
	l      nudgeList
	ends   []int
	fs     []facts
	stages *stageMemo
}

func newEvaluator(in *Input, lim []time.Duration, now time.Time, keys bool) *evaluator {
	return &evaluator{s: &in.Settings, lim: lim, now: now, l: nudgeList{keys: keys}, stages: &stageMemo{stages: in.Settings.Stages},
		today: todays{in: in, now: now, days: map[domain.UserID]domain.Date{}}}
}

// run evaluates deals, replacing the last chunk's nudges and facts.
func (ev *evaluator) run(deals []DealInput) {
	s := ev.s
	ev.fs = slices.Grow(ev.fs[:0], len(deals))[:len(deals)]
	for i := range deals {
		ev.fs[i] = scan(ev.stages, &deals[i], nil)
	}
	l := &ev.l
	if l.keys {
		l.full = slices.Grow(l.full[:0], len(deals)/2)
	} else {
		l.kinds = slices.Grow(l.kinds[:0], len(deals)/2)
	}
	ev.ends = slices.Grow(ev.ends[:0], len(deals))[:len(deals)]
	for i := range deals {
		check(l, s, &deals[i], &ev.fs[i], ev.lim, ev.today.of(deals[i].Deal.Owner), ev.now)
		ev.ends[i] = l.len()
	}
}

// todays caches each owner's today.
type todays struct {
	in   *Input
	now  time.Time
	days map[domain.UserID]domain.Date
}

func (t *todays) of(u domain.UserID) domain.Date {
	if d, ok := t.days[u]; ok {
		return d
	}
	d := domain.DateOf(t.now.In(repZone(t.in, u)))
	t.days[u] = d
	return d
}

func repZone(in *Input, u domain.UserID) *time.Location {
	if in.Zone != nil {
		if loc := in.Zone(u); loc != nil {
			return loc
		}
	}
	return in.Settings.location()
}

// check appends the nudges of one deal, in Kinds order (Evaluate relies on
// it); without keys, only their deal, owner and kind.
func check(l *nudgeList, s *Settings, in *DealInput, f *facts, lim []time.Duration, today domain.Date, now time.Time) {
	d := in.Deal
	// detail gives a nudge's state (its key's last part) and its
	// message's arguments, only made when keys are asked for.
	add := func(k Kind, detail func() (state string, args []any)) {
		if !l.keys {
			l.kinds = append(l.kinds, k)
			return
		}
		state, args := detail()
		key := string(k) + ":" + d.ID.Ref() + ":" + string(d.Owner) + ":" + state
		l.full = append(l.full, Nudge{Deal: d.ID, Owner: d.Owner, Kind: k, Key: key, Args: args})
	}
	if d.Status == domain.Won {
		since := now.Sub(f.closedAt)
		if in.Discount.ApprovedBP > s.HollowWinBP && (s.HollowWinDays == 0 || since < time.Duration(s.HollowWinDays)*day) {
			add(KindHollowWin, func() (string, []any) {
				return strconv.Itoa(in.Discount.ApprovedBP), []any{domain.Percent(in.Discount.ApprovedBP), domain.Percent(s.HollowWinBP)}
			})
		}
		return
	}
	if d.Status != domain.Open {
		return
	}

	if strings.TrimSpace(d.NextStep) == "" {
		add(KindNoNextStep, func() (string, []any) { return domain.DateOf(f.noStepSince.UTC()).String(), nil })
	} else if !d.NextStepDue.IsZero() && d.NextStepDue.Before(today) {
		add(KindOverdue, func() (string, []any) { return d.NextStepDue.String(), []any{d.NextStep, Day(d.NextStepDue)} })
	}

	if f.stage >= 0 && lim != nil { // no limits: the KPIs judge stalled later
		st := s.Stages[f.stage]
		if el := now.Sub(f.entered); el > lim[f.stage] {
			add(KindStalled, func() (string, []any) {
				shown, limit := StallDays(el, lim[f.stage])
				return st.Name + "@" + domain.DateOf(f.entered.UTC()).String(), []any{st.Name, shown, limit}
			})
		}
	}

	if !d.CloseDate.IsZero() && d.CloseDate.Before(today) {
		add(KindClosePast, func() (string, []any) { return d.CloseDate.String(), []any{Day(d.CloseDate)} })
	}

	if f.stage >= 0 {
		st := s.Stages[f.stage]
		var missing Fields
		for _, e := range st.CheckEntry(d) {
			// An empty next step has its own nudge.
			if e.Field != domain.FieldNextStep {
				missing = append(missing, e.Field)
			}
		}
		if len(missing) > 0 {
			add(KindMissing, func() (string, []any) { return st.Name + "@" + missing.key(), []any{st.Name, missing} })
		}
	}

	if s.MaxPushes > 0 && f.pushes >= s.MaxPushes {
		add(KindPushed, func() (string, []any) { return strconv.Itoa(f.pushes), []any{f.pushes, Day(d.CloseDate)} })
	}

	band := in.Discount.BandBP
	if band == 0 {
		band = s.DiscountBandBP
	}
	if in.Discount.RequestedBP > band {
		var empty Fields
		for _, q := range s.DiscountQualification {
			if strings.TrimSpace(d.Get(q)) == "" {
				empty = append(empty, q)
			}
		}
		if len(empty) > 0 {
			add(KindDiscountQual, func() (string, []any) {
				return strconv.Itoa(in.Discount.RequestedBP) + "@" + empty.key(), []any{domain.Percent(in.Discount.RequestedBP), domain.Percent(band), empty}
			})
		}
	}
}
