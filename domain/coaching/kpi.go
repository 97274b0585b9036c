package coaching

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Period is a range of calendar days, both ends included, in the company time
// zone (Settings.Location): an event belongs to it when its day there does.
type Period struct {
	From, To domain.Date
}

// Contains reports whether d is in p.
func (p Period) Contains(d domain.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Report is the KPIs of a team and of each of its reps.
type Report struct {
	Period Period
	Team   Metrics
	Reps   []RepMetrics // by user id
}

// RepMetrics is one rep's KPIs: those of the deals the rep owns now.
type RepMetrics struct {
	Rep domain.UserID
	Metrics
}

// Metrics are the pipeline KPIs of a set of deals.
//
// Rates are basis points (2500 is 25 %), rounded to the nearest; a rate whose
// denominator is zero is 0, and the counts next to it say so. Amounts are
// minor units added up as they are: a team works in one currency.
//
// "Closed in the period" means the deal was last won or lost (its last
// status entry) on a day of the period. Snapshot figures (deals per stage,
// stalled, hygiene, talks) describe the open deals at the instant the report
// is made, whatever the period.
type Metrics struct {
	Won, Lost int // deals closed in the period
	WinRateBP int // Won ÷ (Won + Lost)

	// Conversion[i] follows the deals that entered stage i during the period:
	// how many of them later moved past it (entered a later stage or were
	// won; skipping a stage counts as moving past it). For the last stage
	// that means being won.
	Conversion []Conversion

	WonAmount    int64 // total net amount (domain.Deal.NetAmount) of the deals won in the period
	AvgWonAmount int64 // WonAmount ÷ Won

	// Cycle length of the deals won in the period: days from the day of
	// creation to the day of the win. A deal imported without its CRM
	// creation date (Deal.CreatedUnknown) has no known cycle: it counts in
	// Won, not here. Cycles is how many cycles the figures are of (0: no
	// figure, both are 0).
	CycleMedianDays, CycleMeanDays float64
	Cycles                         int

	// Slippage is not here: it belongs to a forecast period (a fiscal
	// month or quarter), see forecast.Calendar.Slippage.

	// AvgDiscountBP is the mean approved discount (DiscountInfo.ApprovedBP)
	// of the deals won in the period, undiscounted ones counting as 0.
	AvgDiscountBP int

	Open     int          // open deals now
	PerStage []StageCount // open deals by current stage, in stage order
	Stalled  int          // open deals that are stalled now
	// Hygiene. An open deal is healthy when it meets its stage's entry
	// criteria, has a next step whose due date is set and not before its
	// owner's today (due today is on time), and its close date is not before
	// that today. The causes are counted separately and a deal may count
	// under several:
	//   - MissingCriteria: its stage is unknown, a field the stage requires
	//     is empty, or it has no next step at all (the guide asks every stage
	//     for a next action, even a configured stage that does not list it);
	//   - OverdueNextSteps: it has a next step with no due date or a due
	//     date before today (an undated step is never on time);
	//   - PastCloseDates: its close date is before today.
	Healthy          int
	HygieneBP        int // Healthy ÷ Open
	MissingCriteria  int
	OverdueNextSteps int
	PastCloseDates   int

	// Talks are the (at most) three open deals most worth a conversation;
	// see Talk.
	Talks []Talk
}

// Conversion is what became of the deals that entered a stage in the
// period, followed until the report: Advanced moved past it (see Metrics),
// Lost did not and are lost now, Open did not and are open now (they have
// not left the stage, so they count neither as a move on nor as a loss).
// A deal lost in the stage it entered is Lost there; a deal lost after
// moving back to an earlier stage is Lost in every stage it entered in the
// period and did not move past. Entered = Advanced + Lost + Open.
type Conversion struct {
	Stage    string
	Entered  int
	Advanced int
	Lost     int
	Open     int
	RateBP   int // Advanced ÷ Entered
	LossBP   int // Lost ÷ (Advanced + Lost): the share of exits that are losses
}

// Exits is how many of the deals that entered the stage left it: Advanced + Lost.
func (c Conversion) Exits() int { return c.Advanced + c.Lost }

// MinLeakExits is the fewest exits a stage needs before its loss rate may
// name it as the stage where deals leak: below it, one loss is noise.
const MinLeakExits = 5

// Leak is the stage where the period's deals are lost most: the highest
// loss rate (LossBP) among the stages with at least MinLeakExits exits; ties
// go to the stage with more losses, then to the earlier stage. Stage is -1
// when no stage has enough exits (Enough false) or when those that have
// lost no deal (Enough true).
func (m Metrics) Leak() (stage int, enough bool) {
	stage = -1
	for i, c := range m.Conversion {
		if c.Exits() < MinLeakExits {
			continue
		}
		enough = true
		if c.Lost == 0 {
			continue
		}
		if stage < 0 {
			stage = i
			continue
		}
		b := m.Conversion[stage]
		if c.LossBP > b.LossBP || (c.LossBP == b.LossBP && c.Lost > b.Lost) {
			stage = i
		}
	}
	return stage, enough
}

// StageCount is the open deals in one stage.
type StageCount struct {
	Stage  string
	Deals  int
	Amount int64
}

// Talk is a deal worth a conversation with its owner, and why.
//
// Scoring: each rule an open deal triggers now is a risk signal with a
// weight (Weight); Score = Amount × the sum of its signals' weights. Deals
// with no signal are never talks. The highest scores come first; ties go
// to the larger amount, then to the smaller deal id, so the choice is
// deterministic.
type Talk struct {
	Deal    domain.DealID
	Owner   domain.UserID
	Amount  int64
	Score   int64
	Reasons []Kind // the signals, in Kinds order
}

// Weight is the weight of a kind as a risk signal in Talk scoring: 3 for
// what says the deal is slipping away (stalled, close date passed), 2 for
// neglect (overdue or missing next step, repeated pushes, a discount asked
// before qualifying), 1 for missing paperwork, 0 for hollow wins (a won deal
// is not a talk about the pipeline).
func (k Kind) Weight() int64 {
	switch k {
	case KindStalled, KindClosePast:
		return 3
	case KindOverdue, KindNoNextStep, KindPushed, KindDiscountQual:
		return 2
	case KindMissing:
		return 1
	}
	return 0
}

const maxTalks = 3

// KPIs computes the team's and each rep's KPIs for period p, with snapshot
// figures (and the rules behind stalled and talks) taken at now.
func KPIs(in Input, p Period, now time.Time) Report {
	return KPIsOver(in, p, nil, now)[0]
}

// KPIsOver computes, in one pass over the deals, the KPIs of period p (the
// report KPIs gives, out[0]) and the period-bound KPIs of each comparison
// period (out[1:], same order): closed deals, win rate, won amounts, cycle,
// average discount and conversion. The snapshot figures (open deals,
// stalled, hygiene, talks) describe now, so only out[0] has them.
//
// Conversion in a comparison period follows its cohort until the end of
// that period's last day (stage and status entries of later days are not
// read), so that an older cohort is not given more time to move on than
// the one of p, which is followed until now.
func KPIsOver(in Input, p Period, comparisons []Period, now time.Time) []Report {
	k := NewKPICount(in, p, comparisons, now)
	for deals := range in.Each() {
		k.Add(deals)
	}
	return k.Reports()
}

// KPICount is KPIsOver deal by deal, for deals read a chunk at a time
// (Input.Chunks): Add takes every deal once, in chunks, and Reports gives
// what KPIsOver gives. It keeps no deal, only the sums, the cycles of the
// deals won in each period, the stays that make the stall limits, and for
// each open deal the little that being stalled changes (waiting): the
// limits are medians of every deal's stays, known only once all are
// added, so Reports counts the stalled deals and picks the talks.
type KPICount struct {
	s        *Settings
	loc      *time.Location
	now      time.Time
	periods  []Period
	until    []time.Time
	teams    []*acc
	reps     [][]*acc // by period, then by owner (index in owners); nil: none yet
	firstIn  [][]int
	snapshot bool
	today    todays
	samples  [][]time.Duration // the stays, by stage
	nudges   nudgeList         // one deal's, without stalled
	waiting  [][]openDeal
	owners   []domain.UserID // the deals' owners, by index (openDeal.owner, reps)
	todays   []domain.Date   // each owner's today; zero: not worked out yet
	ownerIx  map[domain.UserID]uint32
	days     *domain.Days
	stages   *stageMemo
	teamOnly bool    // TeamOnly: no rep's figures
	pair     [2]*acc // accsOf's answer, reused
	// frozen: Freeze made k a part; parts are those merged into k
	// (Merge), whose open deals and stays Reports reads in place.
	frozen bool
	parts  []*KPICount
}

// openDeal is what Reports needs of an open deal: whether it is stalled
// (its stage and since when), and its talk's other reasons and amount;
// 40 bytes, for each open deal of the company in an admin's /pipeline.
type openDeal struct {
	id      domain.DealID
	amount  int64  // net
	sec     int64  // when it entered its stage: Unix seconds
	nsec    int32  // and nanoseconds
	owner   uint32 // index in KPICount.owners
	stage   int16  // -1: unknown (never stalled)
	reasons uint8  // its nudges' kinds but stalled, as bits of Kinds' indexes
}

// openBlock is how many open deals one block of KPICount.waiting holds:
// blocks, not one slice grown by doubling (a copy of the whole list each time).
const openBlock = 4096

// firstOpenBlock is the size of KPICount.waiting's first block.
const firstOpenBlock = 128

// NewKPICount starts counting the KPIs of p and of comparisons at now, as
// KPIsOver computes them.
func NewKPICount(in Input, p Period, comparisons []Period, now time.Time) *KPICount {
	return newKPICount(in, p, comparisons, now, true)
}

// NewPeriodKPICount is NewKPICount for the figures of the periods alone
// (closed deals, win rate, won amounts, cycle, discount, conversion): the
// snapshot figures (open deals, stalled, hygiene, talks) are zero. They
// alone read the instant now (a deal is stalled from an instant on), so
// these figures change with the day only, and cost no open deal kept.
func NewPeriodKPICount(in Input, p Period, comparisons []Period, now time.Time) *KPICount {
	return newKPICount(in, p, comparisons, now, false)
}

// newKPICount is NewKPICount, without the snapshot figures (open deals,
// stalled, hygiene, talks: zero) when snapshot is false: those alone need
// the stall limits and the rules.
func newKPICount(in Input, p Period, comparisons []Period, now time.Time, snapshot bool) *KPICount {
	k := &KPICount{s: &in.Settings, loc: in.Settings.location(), now: now, snapshot: snapshot}
	s := k.s
	k.periods = append([]Period{p}, comparisons...)
	// until[k] is when period k's last day ends: a comparison's cohorts
	// are followed until then (instants compare faster than days).
	k.until = make([]time.Time, len(k.periods))
	for i, pk := range k.periods {
		k.until[i] = pk.To.AddDays(1).Time(k.loc)
	}
	// One team accumulator and one per rep for each period.
	k.teams = make([]*acc, len(k.periods))
	k.reps = make([][]*acc, len(k.periods))
	for i := range k.periods {
		k.teams[i] = newAcc(s)
	}
	// firstIn[k][st] is the history index of the deal's first entry into
	// stage st during period k, -1 when none: one pass over the history
	// serves every period.
	k.firstIn = make([][]int, len(k.periods))
	for i := range k.firstIn {
		k.firstIn[i] = make([]int, len(s.Stages))
	}
	k.samples = make([][]time.Duration, len(s.Stages))
	k.today = todays{in: &in, now: now, days: map[domain.UserID]domain.Date{}}
	k.days = domain.NewDays(k.loc)
	k.ownerIx = map[domain.UserID]uint32{}
	k.stages = &stageMemo{stages: s.Stages}
	return k
}

// TeamOnly makes k count the team's figures alone: Reports then gives no
// rep's (Report.Reps empty). A team's or the company's /pipeline shows the
// scope's figures only, and each rep's accumulators cost a look-up and a
// second sum for every deal of every period. Call it before Add.
func (k *KPICount) TeamOnly() { k.teamOnly = true }

// accsOf is what a deal of the owner of index o counts in for period i:
// the team's accumulator, then the owner's unless TeamOnly. The slice is
// k's, valid until the next call.
func (k *KPICount) accsOf(i int, o uint32) []*acc {
	k.pair[0] = k.teams[i]
	if k.teamOnly {
		return k.pair[:1]
	}
	k.pair[1] = k.repAcc(i, o)
	return k.pair[:]
}

// repAcc is the accumulator of period i for the owner of index o.
func (k *KPICount) repAcc(i int, o uint32) *acc {
	for len(k.reps[i]) <= int(o) {
		k.reps[i] = append(k.reps[i], nil)
	}
	a := k.reps[i][o]
	if a == nil {
		a = newAcc(k.s)
		k.reps[i][o] = a
	}
	return a
}

// kindBit is a kind's bit in openDeal.reasons: 1 << its index in Kinds
// (TestKindBit), 0 for no kind. A switch, not a map: it is asked for
// every nudge of every open deal of an admin's /pipeline.
func kindBit(k Kind) uint8 {
	switch k {
	case KindOverdue:
		return 1 << 0
	case KindNoNextStep:
		return 1 << 1
	case KindStalled:
		return 1 << 2
	case KindClosePast:
		return 1 << 3
	case KindMissing:
		return 1 << 4
	case KindPushed:
		return 1 << 5
	case KindDiscountQual:
		return 1 << 6
	case KindHollowWin:
		return 1 << 7
	}
	return 0
}

// Add counts deals (a chunk: they need not outlive the call).
func (k *KPICount) Add(deals []DealInput) {
	s, periods, firstIn, until := k.s, k.periods, k.firstIn, k.until
	dayOf := k.days.Of
	collect := func(st int, d time.Duration) { k.samples[st] = appendStay(k.samples[st], d) }
	for i := range deals {
		di := &deals[i]
		d := di.Deal
		o := k.owner(d.Owner) // the one look-up of the owner a deal
		var f facts
		if k.snapshot {
			f = scan(k.stages, di, collect)
		} else {
			f = scan(k.stages, di, nil)
		}

		closedDay := domain.Date{}
		if d.Status != domain.Open {
			closedDay = dayOf(f.closedAt)
		}
		for p := range firstIn {
			for j := range firstIn[p] {
				firstIn[p][j] = -1
			}
		}
		for h := range di.History {
			e := &di.History[h]
			if e.Field != domain.FieldStage {
				continue
			}
			st := k.stages.Index(e.New)
			if st < 0 {
				continue
			}
			day := dayOf(e.At)
			for p, pk := range periods {
				if firstIn[p][st] < 0 && pk.Contains(day) {
					firstIn[p][st] = h
				}
			}
		}
		for p, pk := range periods {
			accs := k.accsOf(p, o)

			// Closed in the period.
			if d.Status != domain.Open && pk.Contains(closedDay) {
				if d.Status == domain.Won {
					known := !d.CreatedUnknown
					cycle := 0
					if known {
						cycle = dayOf(d.CreatedAt).DaysUntil(closedDay)
					}
					for _, x := range accs {
						x.m.Won++
						x.m.WonAmount += d.NetAmount()
						if known {
							x.cycles = append(x.cycles, cycle)
						}
						x.discountBP += int64(di.Discount.ApprovedBP)
					}
				} else {
					for _, x := range accs {
						x.m.Lost++
					}
				}
			}

			// Conversion, from the history.
			status, hist := d.Status, di.History
			if p > 0 && slices.ContainsFunc(firstIn[p], func(h int) bool { return h >= 0 }) {
				status, hist = statusUntil(di, until[p])
			}
			for st, h := range firstIn[p] {
				if h < 0 {
					continue
				}
				adv := movedPast(k.stages, hist[min(h+1, len(hist)):], st)
				for _, x := range accs {
					c := &x.m.Conversion[st]
					c.Entered++
					switch {
					case adv:
						c.Advanced++
					case status == domain.Lost:
						c.Lost++
					default:
						c.Open++
					}
				}
			}
		}
		// Snapshot of open deals: all but being stalled, which waits for
		// the limits (Reports).
		if d.Status != domain.Open || !k.snapshot {
			continue
		}
		k.nudges.kinds = k.nudges.kinds[:0]
		check(&k.nudges, s, di, &f, nil, k.ownerToday(o), k.now)
		reasons := k.nudges.kinds
		var bits uint8
		for _, kd := range reasons {
			bits |= kindBit(kd)
		}
		// The rules already compared the dates with the owner's today,
		// and checked the stage's criteria: a criterion left empty is
		// missing_fields, but for an empty next step, which has its own
		// nudge; so missing is what CheckEntry would say, without
		// checking the criteria a second time.
		noStep := strings.TrimSpace(d.NextStep) == ""
		missing := f.stage < 0 || bits&kindBit(KindMissing) != 0 || noStep
		overdue := !noStep && (d.NextStepDue.IsZero() || bits&kindBit(KindOverdue) != 0)
		closePast := bits&kindBit(KindClosePast) != 0
		for _, x := range k.accsOf(0, o) {
			x.m.Open++
			if f.stage >= 0 {
				x.m.PerStage[f.stage].Deals++
				x.m.PerStage[f.stage].Amount += d.NetAmount()
			}
			if missing {
				x.m.MissingCriteria++
			}
			if overdue {
				x.m.OverdueNextSteps++
			}
			if closePast {
				x.m.PastCloseDates++
			}
			if !missing && !overdue && !closePast {
				x.m.Healthy++
			}
		}
		if f.stage >= 0 || bits != 0 { // else never stalled, never a talk
			k.wait(openDeal{id: d.ID, owner: o, amount: d.NetAmount(),
				sec: f.entered.Unix(), nsec: int32(f.entered.Nanosecond()), stage: int16(f.stage), reasons: bits})
		}
	}
}

// ownerToday is the today of the owner of index o, in their time zone.
func (k *KPICount) ownerToday(o uint32) domain.Date {
	for len(k.todays) <= int(o) {
		k.todays = append(k.todays, domain.Date{})
	}
	if k.todays[o].IsZero() {
		k.todays[o] = k.today.of(k.owners[o])
	}
	return k.todays[o]
}

func (k *KPICount) owner(u domain.UserID) uint32 {
	i, ok := k.ownerIx[u]
	if !ok {
		i = uint32(len(k.owners))
		k.owners = append(k.owners, u)
		k.ownerIx[u] = i
	}
	return i
}

func (k *KPICount) wait(o openDeal) {
	if n := len(k.waiting); n == 0 || len(k.waiting[n-1]) == cap(k.waiting[n-1]) {
		// The first blocks small, each twice the last up to openBlock: a
		// part of the deals (kpi_merge.go) holds a few hundred at most.
		size := firstOpenBlock
		if n > 0 {
			size = min(openBlock, 2*cap(k.waiting[n-1]))
		}
		k.waiting = append(k.waiting, make([]openDeal, 0, size))
	}
	last := &k.waiting[len(k.waiting)-1]
	*last = append(*last, o)
}

// Reports gives the KPIs of the deals added: the period's report, then
// each comparison's, as KPIsOver.
func (k *KPICount) Reports() []Report {
	if k.frozen {
		panic("coaching: Reports of a frozen KPICount (a part)")
	}
	if k.snapshot {
		k.stalledAndTalks()
	}
	out := make([]Report, len(k.periods))
	for i, pk := range k.periods {
		r := Report{Period: pk, Team: k.teams[i].finish(), Reps: make([]RepMetrics, 0, len(k.reps[i]))}
		for o, a := range k.reps[i] {
			if a != nil {
				r.Reps = append(r.Reps, RepMetrics{Rep: k.owners[o], Metrics: a.finish()})
			}
		}
		slices.SortFunc(r.Reps, func(a, b RepMetrics) int { return strings.Compare(string(a.Rep), string(b.Rep)) })
		out[i] = r
	}
	return out
}

// stalledAndTalks counts the open deals that are stalled, with the stall
// limits of every deal added (as check has it), and offers each open deal
// with a risk signal as a talk, its reasons in Kinds order (check's).
func (k *KPICount) stalledAndTalks() {
	cut := k.stallCuts(k.mergedLimits())
	k.judge(k.waiting, nil, cut)
	var remap []uint32
	for _, p := range k.parts {
		// A part's owners by their index in k.
		remap = remap[:0]
		for _, u := range p.owners {
			remap = append(remap, k.owner(u))
		}
		k.judge(p.waiting, remap, cut)
	}
	k.waiting = nil
}

// instant is a time as Unix seconds and nanoseconds, compared as integers.
type instant struct {
	sec  int64
	nsec int32
}

// stallCuts gives, for each stage's stall limit, the instant before which
// an open deal must have entered the stage to be stalled at now: now −
// its entry > the limit is entering before now − the limit.
func (k *KPICount) stallCuts(lim []time.Duration) []instant {
	cut := make([]instant, len(lim))
	for st, l := range lim {
		c := k.now.Add(-l)
		cut[st] = instant{c.Unix(), int32(c.Nanosecond())}
	}
	return cut
}

// judge counts the stalled deals among open deals and offers the talks,
// with the stall cuts of stallCuts (compared as integers: an admin's
// /pipeline walks every open deal); remap, when set, gives each open
// deal's owner index in k (the deals are a part's).
func (k *KPICount) judge(waiting [][]openDeal, remap []uint32, cut []instant) {
	stalledBit := kindBit(KindStalled)
	var scratch [8]Kind
	for _, block := range waiting {
		for i := range block {
			w := &block[i]
			bits := w.reasons
			if w.stage >= 0 {
				if c := cut[w.stage]; w.sec < c.sec || w.sec == c.sec && w.nsec < c.nsec {
					bits |= stalledBit
				}
			}
			o := w.owner
			if remap != nil {
				o = remap[o]
			}
			accs := k.accsOf(0, o)
			if bits&stalledBit != 0 {
				for _, x := range accs {
					x.m.Stalled++
				}
			}
			weight := kindsWeight[bits]
			if weight == 0 {
				continue
			}
			t := Talk{Deal: w.id, Amount: w.amount, Score: weight * w.amount}
			made := false
			for _, x := range accs {
				if !x.wants(t) {
					continue
				}
				if !made { // the reasons, only for a talk that is kept
					t.Owner, t.Reasons, made = k.owners[o], scratch[:0], true
					for j, kd := range Kinds {
						if bits&(1<<j) != 0 {
							t.Reasons = append(t.Reasons, kd)
						}
					}
				}
				x.offer(t)
			}
		}
	}
}

// kindsWeight is, for each set of kinds as openDeal.reasons holds them
// (kindBit), the sum of their weights (Kind.Weight).
var kindsWeight = func() (w [256]int64) {
	for bits := range w {
		for j, kd := range Kinds {
			if bits&(1<<j) != 0 {
				w[bits] += kd.Weight()
			}
		}
	}
	return w
}()

// statusUntil returns a deal's status at the instant end (the start of the
// day after a period, in the company zone) and its history before it: the
// last status entry before end
// (open when none; a closed deal without status entries counts as closed
// from its last update, as scan has it).
func statusUntil(di *DealInput, end time.Time) (domain.Status, []domain.HistoryEntry) {
	status, seen, n := domain.Open, false, 0
	for n < len(di.History) && di.History[n].At.Before(end) {
		if e := &di.History[n]; e.Field == domain.FieldStatus {
			status, seen = domain.Status(e.New), true
		}
		n++
	}
	if !seen && di.Deal.Status != domain.Open && di.Deal.UpdatedAt.Before(end) {
		status = di.Deal.Status
	}
	return status, di.History[:n]
}

// movedPast reports whether, in the history after a deal entered stage st,
// it entered a later stage or was won.
func movedPast(stages indexer, after []domain.HistoryEntry, st int) bool {
	for i := range after {
		e := &after[i]
		switch {
		case e.Field == domain.FieldStage && stages.Index(e.New) > st:
			return true
		case e.Field == domain.FieldStatus && domain.Status(e.New) == domain.Won:
			return true
		}
	}
	return false
}

// acc accumulates one set of metrics.
type acc struct {
	m          Metrics
	cycles     []int
	discountBP int64
}

func newAcc(s *Settings) *acc {
	a := &acc{m: Metrics{Conversion: make([]Conversion, len(s.Stages)), PerStage: make([]StageCount, len(s.Stages))}}
	for i, st := range s.Stages {
		a.m.Conversion[i].Stage = st.Name
		a.m.PerStage[i].Stage = st.Name
	}
	return a
}

// wants reports whether offer would keep t: fewer than maxTalks kept, or
// t before the last kept (only its score, amount and deal are read).
func (a *acc) wants(t Talk) bool {
	return len(a.m.Talks) < maxTalks || talkOrder(t, a.m.Talks[len(a.m.Talks)-1]) < 0
}

// offer keeps t when it is among the best maxTalks so far, with a copy of
// its reasons (they may share a chunk's list that the next chunk reuses).
func (a *acc) offer(t Talk) {
	if len(a.m.Talks) >= maxTalks && talkOrder(t, a.m.Talks[len(a.m.Talks)-1]) > 0 {
		return // after the last kept: it would be cut
	}
	t.Reasons = slices.Clone(t.Reasons)
	a.m.Talks = append(a.m.Talks, t)
	slices.SortFunc(a.m.Talks, talkOrder)
	if len(a.m.Talks) > maxTalks {
		a.m.Talks = a.m.Talks[:maxTalks]
	}
}

// talkOrder orders talks best first: the higher score, then the larger
// amount, then the smaller deal id.
func talkOrder(x, y Talk) int {
	return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(y.Amount, x.Amount), cmp.Compare(x.Deal, y.Deal))
}

func (a *acc) finish() Metrics {
	m := a.m
	m.WinRateBP = rateBP(m.Won, m.Won+m.Lost)
	m.HygieneBP = rateBP(m.Healthy, m.Open)
	for i := range m.Conversion {
		c := &m.Conversion[i]
		c.RateBP = rateBP(c.Advanced, c.Entered)
		c.LossBP = rateBP(c.Lost, c.Exits())
	}
	if m.Won > 0 {
		m.AvgWonAmount = divRound(m.WonAmount, int64(m.Won))
		m.AvgDiscountBP = int(divRound(a.discountBP, int64(m.Won)))
	}
	if n := len(a.cycles); n > 0 {
		m.Cycles = n
		slices.Sort(a.cycles)
		if n%2 == 1 {
			m.CycleMedianDays = float64(a.cycles[n/2])
		} else {
			m.CycleMedianDays = float64(a.cycles[n/2-1]+a.cycles[n/2]) / 2
		}
		sum := 0
		for _, c := range a.cycles {
			sum += c
		}
		m.CycleMeanDays = float64(sum) / float64(n)
	}
	return m
}

// rateBP is num ÷ den in basis points, rounded to the nearest; 0 when den is 0.
func rateBP(num, den int) int {
	if den == 0 {
		return 0
	}
	return int(divRound(int64(num)*10_000, int64(den)))
}

// divRound divides non-negative n by positive d, rounding halves up.
func divRound(n, d int64) int64 { return (2*n + d) / (2 * d) }
