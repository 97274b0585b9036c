package commission

import (
	"cmp"
	"slices"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// Sale is a won deal as credited to one person.
type Sale struct {
	Deal       domain.DealID
	Amount     int64 // the deal's net amount (after an approved discount), minor units
	Type       DealType
	ClosedOn   domain.Date // the win
	Split      int         // basis points of Amount credited to this person; 0 reads as 100 %
	Overlay    bool        // an overlay split (outside the deal's 100 %)
	TermMonths int         // the contract's term; 0 unknown
	ChurnedOn  domain.Date // the customer left; zero: has not
	// Downgrades are the customer's cuts of recurring revenue after the
	// win and before ChurnedOn, oldest first (only for a deal that brought
	// recurring revenue: a one-off sale loses nothing to a downgrade).
	Downgrades []Downgrade
}

// Downgrade is a cut of the customer's recurring revenue: Lost of the ARR
// it had just before (ARR), on a day. Lost ÷ ARR of what the deal paid is
// the commission on the revenue lost.
type Downgrade struct {
	On        domain.Date
	Lost, ARR int64 // minor units; 0 < Lost ≤ ARR
}

// SplitBP returns the share credited, 100 % when unset.
func (s Sale) SplitBP() int {
	if s.Split == 0 {
		return Unit
	}
	return s.Split
}

// Credit returns the amount credited to the person: round(Amount × split).
func (s Sale) Credit() int64 { return pct(s.Amount, s.SplitBP()) }

// Term is a plan applied to one of its periods, with the person's quota
// for that period.
type Term struct {
	Plan   Plan
	Period forecast.Period // the plan's period: attainment counts over it
	Quota  int64           // minor units; 0 unknown
	// Kept marks a term read back from a closed month with its whole plan
	// and quota as they were at the close (a month closed before they were
	// kept has only the plan's name).
	Kept bool
}

// Kind says which rule produced a line.
type Kind string

// Line kinds.
const (
	KindTier       Kind = "tier"       // part of a deal's credit at a tier's rate (× a factor)
	KindCatchUp    Kind = "catch_up"   // retroactive: a higher rate reached, on the credit before
	KindTypeRate   Kind = "type_rate"  // a deal type's flat rate
	KindSpiff      Kind = "spiff"      // a fixed bonus
	KindTrueUp     Kind = "true_up"    // marginal with true_up: the reached rate on everything, less paid
	KindCapped     Kind = "cap_payout" // amount 0: what the payout cap kept of the line before
	KindOverCap    Kind = "cap_attain" // amount 0: credit above the attainment cap
	KindClawback   Kind = "clawback"   // negative: a churned customer's commission recovered
	KindAdjustment Kind = "adjustment" // a closed month's change, paid in the next open one
	KindNoPlan     Kind = "no_plan"    // amount 0: a credited deal in a month without plan
)

// Line is one amount of a statement and the rule that produced it: enough
// to write "tier 2: 5 % of €48,000 × 60 % split" without computing again.
type Line struct {
	Kind Kind
	Deal domain.DealID // 0 for a period's line (true-up)
	On   domain.Date   // the win, the churn, the period's last day

	DealAmount int64 // the deal's amount before split
	Split      int   // basis points credited
	Overlay    bool
	Type       DealType

	Tier   int   // 1-based tier of the rate; 0 for a plan of one rate
	Rate   int   // basis points
	Factor int   // basis points of the rate; Unit when none
	Base   int64 // what Rate applies to: the credit (or part of it) in the band
	// Paid is, for a catch-up or true-up, what was paid before on Base;
	// for a clawback, what the deal's lines paid.
	Paid int64

	Spiff string // the SPIFF's name

	// Clawback: the contract's term and whole months served, or (no term)
	// the days since the win and the window.
	TermMonths, Served, Days, Window int
	Recovery                         Recovery
	// A downgrade's clawback: the ARR lost and the ARR before it (0 for a
	// churn, which loses all).
	Lost, ARR int64

	Of  string // adjustment: the closed month corrected; true-up: its plan period
	Was int64  // adjustment: what the closed month paid for it (and earlier adjustments)

	Amount int64 // what the line pays; negative takes back
	Capped int64 // what the payout cap kept of this line
}

// Month is one person's statement for a calendar month.
type Month struct {
	Period forecast.Period // the calendar month
	// Term is the plan period holding the month; nil when no plan covers it.
	Term   *Term
	Lines  []Line
	Credit int64 // credited in the plan period up to the month's end
	Earned int64 // the lines' sum
	Draw   DrawStep
	Next   Next
	Closed bool // frozen by a close: shown as it was
}

// Attainment returns Credit in basis points of the term's quota (0 unknown).
func (m *Month) Attainment() int {
	if m.Term == nil || m.Term.Quota <= 0 {
		return 0
	}
	return int(scale(m.Credit, m.Term.Quota, Unit))
}

// DrawStep is how a month's pay follows from what it earned, its draw and
// what was owed before.
type DrawStep struct {
	Draw        int64 // the floor
	Recoverable bool
	OwedBefore  int64
	Pay         int64 // what the month pays
	Advance     int64 // what the draw added above the earnings net of what was owed
	Recovered   int64 // what was owed that this month's earnings took back
	OwedAfter   int64 // carried to the next month
}

// Change names what the next threshold changes.
type Change string

// Threshold changes.
const (
	ChangeTier        Change = "tier"
	ChangeAccelerator Change = "accelerator"
	ChangeDecelerator Change = "decelerator_end"
	ChangeCap         Change = "cap"
)

// Next says what the next credited euro pays at the month's end, and how far
// the next change of rate is. Tier is 1-based, 0 for a plan of one rate.
type Next struct {
	Tier, Rate, Factor int
	TypeRates          map[DealType]int
	// ToNext is the credit that reaches the next change (0: none ahead);
	// At its attainment, What the change, and the rate beyond it.
	ToNext                         int64
	At                             int
	What                           Change
	NextTier, NextRate, NextFactor int
	CapLeft                        int64 // what the payout cap leaves; -1 no cap
}

// bands is a term's thresholds as credit amounts.
type bands struct {
	plan    *Plan
	noQuota bool
	tierAt  []int64 // each tier's upper bound; the last unlimited
	decelAt int64
	accelAt []int64
	capAt   int64 // -1 none
}

func newBands(t *Term) *bands {
	p := &t.Plan
	b := &bands{plan: p, capAt: -1}
	b.noQuota = t.Quota <= 0
	amt := func(bp int) int64 { return pct(t.Quota, bp) }
	tiers := p.tiers()
	for i, tr := range tiers {
		if i == len(tiers)-1 || b.noQuota {
			b.tierAt = append(b.tierAt, -1)
			continue
		}
		b.tierAt = append(b.tierAt, amt(tr.UpTo))
	}
	if b.noQuota {
		return b
	}
	if p.Decelerator != nil {
		b.decelAt = amt(p.Decelerator.At)
	}
	for _, a := range p.Accelerators {
		b.accelAt = append(b.accelAt, amt(a.At))
	}
	if p.CapAttainment > 0 {
		b.capAt = amt(p.CapAttainment)
	}
	return b
}

// at returns the tier (0-based), rate and factor of the band holding
// attainment x: a band runs from above its lower threshold up to and
// including its upper one, so x exactly on 60 % is in the band up to 60 %.
func (b *bands) at(x int64) (tier, rate, factor int) {
	tiers := b.plan.tiers()
	tier = len(tiers) - 1
	for i, up := range b.tierAt {
		if up < 0 || x <= up {
			tier = i
			break
		}
	}
	factor = Unit
	if b.noQuota {
		return tier, tiers[tier].Rate, factor
	}
	if d := b.plan.Decelerator; d != nil && x <= b.decelAt {
		factor = d.Factor
	}
	for i, a := range b.accelAt {
		if x > a {
			factor = b.plan.Accelerators[i].Factor
		}
	}
	return tier, tiers[tier].Rate, factor
}

// cuts returns the thresholds strictly inside (lo, hi), ascending.
func (b *bands) cuts(lo, hi int64) []int64 {
	var out []int64
	add := func(v int64) {
		if v > lo && v < hi && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if b.noQuota {
		return nil
	}
	for _, v := range b.tierAt {
		if v >= 0 {
			add(v)
		}
	}
	if b.plan.Decelerator != nil {
		add(b.decelAt)
	}
	for _, v := range b.accelAt {
		add(v)
	}
	slices.Sort(out)
	return out
}

// next returns what the next euro pays at attainment x, and the next change.
func (b *bands) next(x int64, quota int64) Next {
	tier, rate, factor := b.at(x + 1)
	n := Next{Tier: tier + 1, Rate: rate, Factor: factor, TypeRates: b.plan.TypeRates, CapLeft: -1}
	if len(b.plan.Tiers) == 0 {
		n.Tier = 0 // a plan of one rate has no tiers to name
	}
	if b.noQuota {
		return n
	}
	type th struct {
		at   int64
		bp   int
		what Change
	}
	var ths []th
	tiers := b.plan.tiers()
	for i, v := range b.tierAt {
		if v >= 0 {
			ths = append(ths, th{v, tiers[i].UpTo, ChangeTier})
		}
	}
	if d := b.plan.Decelerator; d != nil {
		ths = append(ths, th{b.decelAt, d.At, ChangeDecelerator})
	}
	for i, v := range b.accelAt {
		ths = append(ths, th{v, b.plan.Accelerators[i].At, ChangeAccelerator})
	}
	if b.capAt >= 0 {
		ths = append(ths, th{b.capAt, b.plan.CapAttainment, ChangeCap})
	}
	// The nearest threshold ahead; at one amount, an accelerator or the cap
	// says more than a tier.
	rank := map[Change]int{ChangeCap: 0, ChangeAccelerator: 1, ChangeTier: 2, ChangeDecelerator: 3}
	slices.SortStableFunc(ths, func(p, q th) int {
		return cmp.Or(cmp.Compare(p.at, q.at), cmp.Compare(rank[p.what], rank[q.what]))
	})
	for _, t := range ths {
		if t.at < x || (t.at == x && t.what != ChangeCap) {
			continue
		}
		if t.what == ChangeCap && t.at <= x {
			n.What, n.At = ChangeCap, t.bp // reached: nothing more earns
			return n
		}
		n.ToNext, n.At, n.What = t.at-x, t.bp, t.what
		if t.what != ChangeCap {
			nt, nr, nf := b.at(t.at + 1)
			n.NextTier, n.NextRate, n.NextFactor = nt+1, nr, nf
		}
		return n
	}
	return n
}

// period computes one term's lines, in win order, and each month's credit
// and next at its end.
type period struct {
	t          *Term
	b          *bands
	credit     int64 // all credited so far (attainment), capped at the attainment cap
	tierBase   int64 // countable credit of deals paid by tiers
	tierPaid   int64 // what tier, catch-up lines paid before the payout cap
	cappedPaid int64 // what capped kinds paid after the cap
	lines      []Line
}

func (p *period) capped(l Line) Line {
	limit := p.t.Plan.CapPayout
	if limit <= 0 {
		p.cappedPaid += l.Amount
		return l
	}
	room := max(limit-p.cappedPaid, 0)
	if l.Amount > room {
		l.Capped, l.Amount = l.Amount-room, room
	}
	p.cappedPaid += l.Amount
	return l
}

func (p *period) add(l Line) {
	if l.Kind == KindTier || l.Kind == KindCatchUp || l.Kind == KindTypeRate || l.Kind == KindTrueUp {
		l = p.capped(l)
		p.lines = append(p.lines, l)
		if l.Capped != 0 {
			p.lines = append(p.lines, Line{Kind: KindCapped, Deal: l.Deal, On: l.On, Base: p.t.Plan.CapPayout, Paid: l.Capped})
		}
		return
	}
	p.lines = append(p.lines, l)
}

// tierNo is the 1-based tier lines name, 0 for a plan of one rate.
func (p *period) tierNo(tier int) int {
	if len(p.t.Plan.Tiers) == 0 {
		return 0
	}
	return tier + 1
}

func (p *period) sale(s Sale) {
	plan := &p.t.Plan
	credit := s.Credit()
	base := Line{Deal: s.Deal, On: s.ClosedOn, DealAmount: s.Amount, Split: s.SplitBP(), Overlay: s.Overlay, Type: s.Type.OrNew(), Factor: Unit}
	lo := p.credit
	hi := lo + credit
	over := int64(0)
	if p.b.capAt >= 0 && hi > p.b.capAt {
		over = hi - max(lo, p.b.capAt)
		hi = max(lo, p.b.capAt)
	}
	p.credit = hi
	countable := hi - lo
	if rate, ok := plan.TypeRates[s.Type.OrNew()]; ok {
		l := base
		l.Kind, l.Rate, l.Base, l.Amount = KindTypeRate, rate, countable, pct(countable, rate)
		if countable > 0 || over == 0 {
			p.add(l)
		}
	} else if plan.mode() == Retroactive {
		tier, rate, factor := p.b.at(hi)
		own := rated(countable, rate, factor)
		target := rated(p.tierBase+countable, rate, factor)
		catchUp := target - p.tierPaid - own
		l := base
		l.Kind, l.Tier, l.Rate, l.Factor, l.Base, l.Amount = KindTier, p.tierNo(tier), rate, factor, countable, own
		if countable > 0 || over == 0 {
			p.add(l)
		}
		if catchUp != 0 {
			c := base
			c.Kind, c.Tier, c.Rate, c.Factor, c.Base, c.Paid, c.Amount = KindCatchUp, p.tierNo(tier), rate, factor, p.tierBase, p.tierPaid, catchUp
			p.add(c)
		}
		p.tierBase += countable
		p.tierPaid = target
	} else {
		from := lo
		for _, to := range append(p.b.cuts(lo, hi), hi) {
			if to <= from && !(countable == 0 && over == 0) {
				continue
			}
			tier, rate, factor := p.b.at(to)
			l := base
			l.Kind, l.Tier, l.Rate, l.Factor, l.Base = KindTier, p.tierNo(tier), rate, factor, to-from
			l.Amount = rated(l.Base, rate, factor)
			p.add(l)
			p.tierPaid += l.Amount // before the payout cap: what the true-up compares with
			from = to
		}
		p.tierBase += countable
	}
	if over > 0 {
		l := base
		l.Kind, l.Base, l.Rate = KindOverCap, over, plan.CapAttainment
		p.add(l)
	}
	for _, sp := range plan.Spiffs {
		if sp.Type != "" && sp.Type != s.Type.OrNew() || s.Amount < sp.MinAmount {
			continue
		}
		l := base
		l.Kind, l.Spiff, l.Base, l.Amount = KindSpiff, sp.Name, sp.Amount, pct(sp.Amount, s.SplitBP())
		p.add(l)
	}
}

// trueUp adds the marginal plan's true-up at the period's end.
func (p *period) trueUp() {
	if !p.t.Plan.TrueUp || p.t.Plan.mode() != Marginal {
		return
	}
	tier, rate, factor := p.b.at(p.credit)
	target := rated(p.tierBase, rate, factor)
	if d := target - p.tierPaid; d != 0 {
		p.add(Line{Kind: KindTrueUp, On: p.t.Period.Last(), Of: p.t.Period.Name, Tier: p.tierNo(tier), Rate: rate, Factor: factor,
			Base: p.tierBase, Paid: p.tierPaid, Amount: d})
	}
}

// winOrder sorts sales in the order they count: win date, then deal id.
func winOrder(a, b Sale) int {
	return cmp.Or(a.ClosedOn.Compare(b.ClosedOn), cmp.Compare(a.Deal, b.Deal))
}

// Compute returns one person's statements for months (consecutive calendar
// months, oldest first), before closes and draws (Settle adds them). terms
// are the person's plan periods; a sale counts in the term whose period
// holds its win, its lines in the month of its win. A clawback counts only
// what months' lines paid, so months should start early enough to hold the
// wins a churn may claw back (the bot starts at the fiscal year before).
func Compute(terms []Term, months []forecast.Period, sales []Sale) []Month {
	sales = slices.Clone(sales)
	slices.SortStableFunc(sales, winOrder)
	out := make([]Month, len(months))
	index := map[string]int{}
	for i, m := range months {
		out[i].Period = m
		index[m.Name] = i
	}
	monthOf := func(d domain.Date) (int, bool) {
		i, ok := index[forecast.Calendar{}.Month(d).Name]
		return i, ok
	}
	var all []Line // every line computed, for the clawbacks
	for ti := range terms {
		t := &terms[ti]
		p := &period{t: t, b: newBands(t)}
		// The term's months in range, each with its credit and next at its end.
		var mine []int
		for i, m := range months {
			if t.Period.Contains(m.Start) {
				mine = append(mine, i)
				out[i].Term = t
			}
		}
		if len(mine) == 0 {
			continue
		}
		for _, mi := range mine {
			end := months[mi].End
			for _, s := range sales {
				if months[mi].Contains(s.ClosedOn) && t.Period.Contains(s.ClosedOn) {
					p.sale(s)
				}
			}
			if end == t.Period.End {
				p.trueUp()
			}
			for _, l := range p.lines {
				out[mi].Lines = append(out[mi].Lines, l)
			}
			all = append(all, p.lines...)
			p.lines = nil
			out[mi].Credit = p.credit
			out[mi].Next = p.b.next(p.credit, t.Quota)
			if t.Plan.CapPayout > 0 {
				out[mi].Next.CapLeft = max(t.Plan.CapPayout-p.cappedPaid, 0)
			}
		}
	}
	// Deals won in a month no plan covers are listed, unpaid.
	for _, s := range sales {
		if i, ok := monthOf(s.ClosedOn); ok && out[i].Term == nil {
			out[i].Lines = append(out[i].Lines, Line{Kind: KindNoPlan, Deal: s.Deal, On: s.ClosedOn, DealAmount: s.Amount,
				Split: s.SplitBP(), Overlay: s.Overlay, Type: s.Type.OrNew(), Base: s.Credit()})
		}
	}
	for _, s := range sales {
		for _, l := range clawbacks(s, terms, all) {
			if i, ok := monthOf(l.On); ok {
				out[i].Lines = append(out[i].Lines, l)
			}
		}
	}
	for i := range out {
		out[i].Earned = sum(out[i].Lines)
	}
	return out
}

func sum(ls []Line) int64 {
	var t int64
	for _, l := range ls {
		t += l.Amount
	}
	return t
}

// clawbacks returns the lines recovering a sale's commission for what its
// customer took away within its plan's window of the win: each downgrade
// in order, then the churn. What the deal's lines paid (tier, type rate,
// SPIFF) stands until a loss: a downgrade's share of it is standing ×
// Lost ÷ ARR, a churn's all of it, and what a loss takes is no longer
// standing for the next one, so a downgrade then a churn never recover
// more than was paid. Full recovers that share; pro rata the part of it
// not served (unserved whole months ÷ term; without a term, the days of
// the window left ÷ window). Each line is one rounding.
func clawbacks(s Sale, terms []Term, lines []Line) []Line {
	var plan *Plan
	for i := range terms {
		if terms[i].Period.Contains(s.ClosedOn) {
			plan = &terms[i].Plan
		}
	}
	if plan == nil {
		return nil
	}
	var standing int64
	for _, l := range lines {
		if l.Deal == s.Deal && (l.Kind == KindTier || l.Kind == KindTypeRate || l.Kind == KindSpiff) {
			standing += l.Amount
		}
	}
	losses := slices.Clone(s.Downgrades)
	if !s.ChurnedOn.IsZero() {
		losses = append(losses, Downgrade{On: s.ChurnedOn}) // Lost 0: all of it
	}
	window := plan.ClawbackDays()
	var out []Line
	for _, loss := range losses {
		switch {
		case loss.On.Before(s.ClosedOn): // before the win: not this deal's revenue
			continue
		case !s.ChurnedOn.IsZero() && loss.On.After(s.ChurnedOn): // nothing left to lose
			continue
		case loss.Lost < 0 || loss.Lost > loss.ARR: // not a share of the ARR
			continue
		}
		days := s.ClosedOn.DaysUntil(loss.On)
		if days > window {
			break // losses are in day order: the window is over for the rest
		}
		lost, arr := loss.Lost, loss.ARR
		if lost == 0 {
			lost, arr = 1, 1 // a churn: everything still standing
		}
		l := Line{Kind: KindClawback, Deal: s.Deal, On: loss.On, DealAmount: s.Amount, Split: s.SplitBP(),
			Overlay: s.Overlay, Type: s.Type.OrNew(), Paid: standing, Days: days, Window: window, Recovery: Full,
			Lost: loss.Lost, ARR: loss.ARR, Amount: -scale(standing, arr, lost)}
		if plan.Clawback.Recovery == ProRata {
			l.Recovery = ProRata
			if s.TermMonths > 0 {
				l.TermMonths, l.Served = s.TermMonths, wholeMonths(s.ClosedOn, loss.On)
				l.Amount = -scale(standing, arr*int64(s.TermMonths), lost, int64(max(s.TermMonths-l.Served, 0)))
			} else {
				l.Amount = -scale(standing, arr*int64(window), lost, int64(window-days))
			}
		}
		standing -= scale(standing, arr, lost)
		if l.Amount != 0 {
			out = append(out, l)
		}
	}
	return out
}

// wholeMonths counts the whole months from a to b: 15 January to 15 July
// is 6, to 14 July 5.
func wholeMonths(a, b domain.Date) int {
	n := (b.Year-a.Year)*12 + int(b.Month) - int(a.Month)
	if b.Day < a.Day {
		n--
	}
	return max(n, 0)
}
