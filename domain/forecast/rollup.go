package forecast

import (
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Line is one rep's, one team's or the company's numbers for a period. Every
// amount is in minor units of the company currency; ratios are in basis
// points (1/100 of a percent), rounded half away from zero, and are
// rounded again only when shown.
//
// A deal counts in the period when its close date is one of the period's
// days. Lost deals never count, and omitted deals count in no open figure.
// An open deal whose close date has passed still counts in the period of
// its close date.
type Line struct {
	User domain.UserID // the rep; empty on team and company lines
	Team string        // the rep's or the line's team; empty on company lines and for reps in no team

	// Every amount is net: the deal's list amount less its approved
	// discount (domain.Deal.NetAmount), what the customer pays.
	Won      int64 // won deals
	Commit   int64 // Won plus open commit deals: where the period ends if every commit deal closes
	BestCase int64 // Commit plus open best-case deals
	Upside   int64 // open upside deals alone (not cumulative)
	Pipeline int64 // open pipeline: every open deal but omitted ones, whatever its category
	// Weighted is Σ net amount × stage probability ÷ 100 over the open pipeline.
	// The products are summed exactly and divided once, rounding half away
	// from zero, so a line's weighted pipeline is the exact figure rounded
	// to the minor unit. Team and company lines are computed the same way
	// from their deals, so they may differ from the sum of their reps'
	// rounded figures by less than one minor unit per rep.
	Weighted int64

	Quota    int64 // see Org.RepQuota and Org.TeamQuota
	HasQuota bool  // false when no quota applies: Quota, Gap, GapRaw and both ratios are then 0
	// AttainmentBP is Won ÷ Quota (10000 is 100%); 0 when Quota is 0.
	AttainmentBP int
	GapRaw       int64 // Quota − Won: negative when the quota is beaten
	Gap          int64 // max(0, GapRaw): what is left to win
	// CoverageBP is Pipeline ÷ Gap (20000 is "2x"); 0 when Gap is 0 (the
	// quota is met or there is none), where coverage means nothing.
	CoverageBP int

	WonDeals  int // number of deals in Won
	OpenDeals int // number of deals in Pipeline
}

// Attainment returns AttainmentBP and whether it means anything (a quota
// above zero applies).
func (l Line) Attainment() (bp int, ok bool) { return l.AttainmentBP, l.HasQuota && l.Quota > 0 }

// Coverage returns CoverageBP and whether it means anything (there is a
// quota and some of it is left to win).
func (l Line) Coverage() (bp int, ok bool) { return l.CoverageBP, l.HasQuota && l.Gap > 0 }

// Rollup is a period's forecast: one line per rep, grouped by team, and the
// company's total.
type Rollup struct {
	Period   Period
	Currency string // the company currency; empty when every deal counts

	Teams []TeamRollup // in the org's order
	// Others are the reps in no team who own deals of the period (a
	// manager's own deals, a rep who left a team), by user id. They count
	// in the company line only.
	Others []Line
	// Company is every counted deal; its quota is the teams' plus the
	// others'. Its attainment, gap and coverage compare like with like,
	// as a team's do: a team's own quota counts with all the team's
	// deals; a team without one counts only its members who have a quota;
	// an other counts when they have a quota. Everyone's deals still count
	// in Won, Pipeline and the other amounts.
	Company Line
	// NoQuota names the reps whose deals are left out of the company's
	// attainment, gap and coverage: the teams' NoQuota in the org's order,
	// then the others without a quota by user id. Nil when no quota
	// applies anywhere (Company.HasQuota is false: no ratio to explain).
	NoQuota domain.UserList

	// Skipped lists, by id, the deals of the period that would count but
	// are in another currency than the company's, when the rollup was
	// built from deals; a rollup built from sums (Builder.AddSum) knows
	// only how many there are: SkippedDeals.
	Skipped []domain.DealID
	// SkippedDeals is how many deals of the period would count but are in
	// another currency: len(Skipped) plus those of the sums added.
	SkippedDeals int
}

// TeamRollup is a team's line and its reps' lines.
type TeamRollup struct {
	Team  Team
	Total Line   // the sum of the reps' figures; quota from Org.TeamQuota
	Reps  []Line // one per member, in the team's order, even with nothing to count

	// NoQuota is set when the team's quota is the sum of its members' (no
	// quota set for the team itself): the members without a quota, in the
	// team's order. Their deals count in Total's Won, Pipeline and other
	// amounts, but not in its attainment, gap and coverage, which compare
	// the members who have a quota with the sum of their quotas (like with
	// like): attainment = their won ÷ their quotas, gap = their quotas −
	// their won, coverage = their pipeline ÷ that gap. With no member quota
	// at all every member is listed and Total.HasQuota is false.
	NoQuota domain.UserList
}

// Rep returns a rep's line.
func (r *Rollup) Rep(u domain.UserID) (Line, bool) {
	for _, t := range r.Teams {
		for _, l := range t.Reps {
			if l.User == u {
				return l, true
			}
		}
	}
	for _, l := range r.Others {
		if l.User == u {
			return l, true
		}
	}
	return Line{}, false
}

// Team returns a team's rollup by name, in any case.
func (r *Rollup) Team(name string) (TeamRollup, bool) {
	for _, t := range r.Teams {
		if strings.EqualFold(t.Team.Name, name) {
			return t, true
		}
	}
	return TeamRollup{}, false
}

// Lines returns every rep line: the teams' in order, then the others.
func (r *Rollup) Lines() []Line {
	var ls []Line
	for _, t := range r.Teams {
		ls = append(ls, t.Reps...)
	}
	return append(ls, r.Others...)
}

// Rollup computes the forecast of period p from the deals as they are.
func (o *Org) Rollup(p Period, deals []*domain.Deal) *Rollup {
	b := o.newBuilder(p)
	for _, d := range deals {
		b.add(d.ID, d.Owner, d.NetAmount(), d.Currency, d.Stage, d.Category, d.CloseDate, d.Status)
	}
	return b.finish()
}

// Builder is Rollup one deal at a time, for a caller that streams the
// deals instead of holding them all: Add each deal, in the order Rollup
// would get them, then Finish. The figures are Rollup's own.
type Builder struct{ b *builder }

// NewBuilder starts the forecast of period p.
func (o *Org) NewBuilder(p Period) *Builder { return &Builder{b: o.newBuilder(p)} }

// Add counts one deal, as Rollup and RollupSnapshot count it.
func (b *Builder) Add(d *SnapshotDeal) {
	b.b.add(d.ID, d.Owner, d.NetAmount(), d.Currency, d.Stage, d.Category, d.CloseDate, d.Status)
}

// Sum is what a store keeps of the deals of one calendar month that share
// an owner, currency, status, category and stage: how many they are and
// the sum of their net amounts (domain.NetOf with the approved discount).
// The stage's probability is applied when the sum is added, so a change of
// probabilities in the configuration needs no rewrite.
type Sum struct {
	Owner    domain.UserID
	Currency string
	Status   domain.Status
	Category domain.Category
	Stage    string
	Deals    int64
	Net      int64
}

// AddSum counts the deals of s as Add counts each of them. The caller
// vouches that their close dates are in the period (s is a month of it).
// Σ net × probability is the exact figure Add's per-deal products sum to
// for amounts that are not negative, which the domain ensures
// (domain.Deal.Validate).
func (b *Builder) AddSum(s *Sum) { b.b.addSum(s) }

// Finish returns the rollup of the deals added.
func (b *Builder) Finish() *Rollup { return b.b.finish() }

// RollupSnapshot computes the forecast of period p from the deals as a
// snapshot saw them: the bottom-up numbers of that week.
func (o *Org) RollupSnapshot(p Period, s *Snapshot) *Rollup {
	b := o.newBuilder(p)
	for i := range s.Deals {
		d := &s.Deals[i]
		b.add(d.ID, d.Owner, d.NetAmount(), d.Currency, d.Stage, d.Category, d.CloseDate, d.Status)
	}
	return b.finish()
}

// acc accumulates one line.
type acc struct {
	line               Line
	openCommit, openBC int64
	// The exact weighted sum Σ amount × probability is kept as its
	// quotient and remainder by 100, so it cannot overflow sooner than the
	// plain sums.
	wq, wr int64
}

func (a *acc) add(amount int64, prob int, cat domain.Category, status domain.Status) {
	if status == domain.Won {
		a.line.Won += amount
		a.line.WonDeals++
		return
	}
	if cat == domain.Omitted {
		return
	}
	a.line.Pipeline += amount
	a.line.OpenDeals++
	w := amount * int64(prob)
	a.wq += w / 100
	a.wr += w % 100
	switch cat {
	case domain.Commit:
		a.openCommit += amount
	case domain.BestCase:
		a.openBC += amount
	case domain.Upside:
		a.line.Upside += amount
	}
}

func (a *acc) merge(o *acc) {
	a.line.Won += o.line.Won
	a.line.WonDeals += o.line.WonDeals
	a.line.Pipeline += o.line.Pipeline
	a.line.OpenDeals += o.line.OpenDeals
	a.line.Upside += o.line.Upside
	a.openCommit += o.openCommit
	a.openBC += o.openBC
	a.wq += o.wq
	a.wr += o.wr
}

// result completes the line with the cumulative figures, the weighted
// pipeline and everything that depends on the quota.
func (a *acc) result(quota int64, hasQuota bool) Line {
	l := a.line
	l.Commit = l.Won + a.openCommit
	l.BestCase = l.Commit + a.openBC
	l.Weighted = a.wq + a.wr/100
	switch r := a.wr % 100; {
	case r >= 50:
		l.Weighted++
	case r <= -50:
		l.Weighted--
	}
	if hasQuota {
		l.Quota, l.HasQuota = quota, true
		l.GapRaw = quota - l.Won
		l.Gap = max(0, l.GapRaw)
		if quota > 0 {
			l.AttainmentBP = ratioBP(l.Won, quota)
		}
		if l.Gap > 0 {
			l.CoverageBP = ratioBP(l.Pipeline, l.Gap)
		}
	}
	return l
}

type builder struct {
	o       *Org
	p       Period
	in      span
	reps    map[domain.UserID]*acc
	skipped []domain.DealID
	skipN   int // deals of sums skipped for their currency
}

func (o *Org) newBuilder(p Period) *builder {
	b := &builder{o: o, p: p, in: spanOf(p), reps: make(map[domain.UserID]*acc, len(o.teamOf)+8)}
	for u := range o.teamOf {
		b.reps[u] = &acc{}
	}
	return b
}

func (b *builder) add(id domain.DealID, owner domain.UserID, amount int64, currency, stage string, cat domain.Category, closeDate domain.Date, status domain.Status) {
	if status == domain.Lost || !b.in.contains(closeDate) {
		return
	}
	if status != domain.Won && cat == domain.Omitted {
		return
	}
	if b.o.currency != "" && currency != b.o.currency {
		b.skipped = append(b.skipped, id)
		return
	}
	a := b.reps[owner]
	if a == nil {
		a = &acc{}
		b.reps[owner] = a
	}
	prob := 0
	if status == domain.Open {
		prob = b.o.probability(stage)
	}
	a.add(amount, prob, cat, status)
}

func (b *builder) addSum(s *Sum) {
	if s.Deals == 0 || s.Status == domain.Lost || (s.Status != domain.Won && s.Category == domain.Omitted) {
		return
	}
	if b.o.currency != "" && s.Currency != b.o.currency {
		b.skipN += int(s.Deals)
		return
	}
	a := b.reps[s.Owner]
	if a == nil {
		a = &acc{}
		b.reps[s.Owner] = a
	}
	if s.Status == domain.Won {
		a.line.Won += s.Net
		a.line.WonDeals += int(s.Deals)
		return
	}
	a.line.Pipeline += s.Net
	a.line.OpenDeals += int(s.Deals)
	// Σ net × p split as Add splits each product: the quotient and
	// remainder by 100 (net = 100q + r, so net × p = 100·q·p + r·p).
	if prob := int64(b.o.probability(s.Stage)); prob != 0 && s.Status == domain.Open {
		q, r := s.Net/100, s.Net%100
		a.wq += q*prob + (r*prob)/100
		a.wr += (r * prob) % 100
	}
	switch s.Category {
	case domain.Commit:
		a.openCommit += s.Net
	case domain.BestCase:
		a.openBC += s.Net
	case domain.Upside:
		a.line.Upside += s.Net
	}
}

func (b *builder) finish() *Rollup {
	o := b.o
	r := &Rollup{Period: b.p, Currency: o.currency, Teams: make([]TeamRollup, len(o.teams))}
	var company, quoted acc // every deal; the deals measured against a quota
	var companyQuota int64
	var companyNoQuota domain.UserList
	companyHas := false
	for i, t := range o.teams {
		var total, withQuota acc
		var noQuota domain.UserList // this team's
		reps := make([]Line, len(t.Members))
		for j, m := range t.Members {
			a := b.reps[m]
			total.merge(a)
			q, ok := o.RepQuota(m, b.p)
			if ok {
				withQuota.merge(a)
			} else {
				noQuota = append(noQuota, m)
			}
			reps[j] = a.result(q, ok)
			reps[j].User, reps[j].Team = m, t.Name
		}
		q, ok := o.TeamQuota(t.Name, b.p)
		if ok {
			companyQuota += q
			companyHas = true
		}
		line := total.result(q, ok)
		if _, own := o.quota(quotaKey{team: strings.ToLower(t.Name)}, b.p); own {
			noQuota = nil // the team's own quota covers every member
			quoted.merge(&total)
		} else if ok {
			quoted.merge(&withQuota)
			// Like with like: the quota-bound figures of the members who
			// have a quota against the sum of their quotas.
			wq := withQuota.result(q, true)
			line.AttainmentBP, line.GapRaw, line.Gap, line.CoverageBP = wq.AttainmentBP, wq.GapRaw, wq.Gap, wq.CoverageBP
		}
		line.Team = t.Name
		r.Teams[i] = TeamRollup{Team: t, Total: line, Reps: reps, NoQuota: noQuota}
		company.merge(&total)
		companyNoQuota = append(companyNoQuota, noQuota...)
	}
	var othersNoQuota domain.UserList
	for u, a := range b.reps {
		if _, inTeam := o.teamOf[u]; inTeam {
			continue
		}
		q, ok := o.RepQuota(u, b.p)
		if ok {
			companyQuota += q
			companyHas = true
			quoted.merge(a)
		} else {
			othersNoQuota = append(othersNoQuota, u)
		}
		l := a.result(q, ok)
		l.User = u
		r.Others = append(r.Others, l)
		company.merge(a)
	}
	slices.SortFunc(r.Others, func(x, y Line) int { return strings.Compare(string(x.User), string(y.User)) })
	r.Company = company.result(companyQuota, companyHas)
	if companyHas {
		// Like with like, as a team's line: the quota-bound figures of the
		// deals measured against a quota, against the sum of those quotas.
		wq := quoted.result(companyQuota, true)
		r.Company.AttainmentBP, r.Company.GapRaw, r.Company.Gap, r.Company.CoverageBP = wq.AttainmentBP, wq.GapRaw, wq.Gap, wq.CoverageBP
		slices.Sort(othersNoQuota)
		r.NoQuota = append(companyNoQuota, othersNoQuota...)
	}
	slices.Sort(b.skipped)
	r.Skipped = b.skipped
	r.SkippedDeals = len(b.skipped) + b.skipN
	return r
}

// ratioBP returns num ÷ den in basis points, rounded half away from zero,
// computed on 128 bits so that no amount overflows. A zero den gives 0; a
// result beyond int's range is clamped.
func ratioBP(num, den int64) int {
	if den == 0 {
		return 0
	}
	neg := (num < 0) != (den < 0)
	n, d := absU(num), absU(den)
	hi, lo := bits.Mul64(n, 10000)
	if hi >= d {
		if neg {
			return math.MinInt
		}
		return math.MaxInt
	}
	q, rem := bits.Div64(hi, lo, d)
	if rem >= d-rem { // rem ≥ d/2, without overflow
		q++
	}
	if q > math.MaxInt {
		q = math.MaxInt
	}
	if neg {
		return -int(q)
	}
	return int(q)
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}
