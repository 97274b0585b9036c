package segment

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// Count is KPIs and Retain counted deal by deal, and in parts: a Count of
// some of the deals, frozen, merges into the Count of all of them, and the
// merged Table is exactly the one of a single count (KPIs, then Retain).
// /pipeline segments keeps each part of a scope's deals counted and counts
// again only the parts written since (bot's kept parts, BENCHMARKS.md).
//
// What a Count keeps of its deals: for each value of the attribute (and
// each fit class, and all of them) coaching's KPICount and the open
// pipeline's sums; for retention, a copy of each won deal's contract
// fields (the only deals Measure reads) and, for each account, the deal
// AccountValue would take its value from.
type Count struct {
	in     coaching.Input // its settings and zone; no deals
	schema Schema
	icp    ICP
	attr   string
	p      coaching.Period
	now    time.Time
	th     Thresholds
	days   *domain.Days

	values map[string]*valueCount // by value, NotSet for the deals without one
	total  *valueCount
	fit    [3]*coaching.KPICount // by Class; nil without an ICP

	// Retention: the won deals (copies, in id order), by part merged;
	// and by account key, the deal carrying attr that AccountValue reads
	// first (has false: none does, but the account has deals).
	won      [][]domain.Deal
	accounts map[string]valueSource
	// given are won deals' contracts the caller keeps (Contracts), of
	// any currency; noWon: Add keeps none (WithoutContracts).
	given  [][]domain.Deal
	noWon  bool
	frozen bool
}

// valueCount is the figures of one value's deals.
type valueCount struct {
	kpis *coaching.KPICount
	// The open pipeline: net, and Σ net × probability kept as its
	// quotient and remainder by 100 (pipeline's rounding, once, at the end).
	net, q, r int64
	n         int
}

// valueSource is what AccountValue reads of an account's deals: its best
// deal carrying the attribute, in later's order.
type valueSource struct {
	has   bool
	won   bool
	close domain.Date
	id    domain.DealID
	value string
}

// sourceOf is d as a value source of its account, v its value of the
// attribute ("": it carries none, and is no source).
func sourceOf(d *domain.Deal, v string) valueSource {
	if v == "" {
		return valueSource{}
	}
	return valueSource{has: true, won: d.Status == domain.Won, close: d.CloseDate, id: d.ID, value: v}
}

// after reports whether s comes before o in AccountValue's order (later).
func (s valueSource) after(o valueSource) bool {
	if !o.has {
		return s.has
	}
	if !s.has {
		return false
	}
	if s.won != o.won {
		return s.won
	}
	return cmp.Or(s.close.Compare(o.close), cmp.Compare(s.id, o.id)) > 0
}

// NewCount starts counting the Table of attribute attr over p at now, as
// KPIs and Retain compute it. in gives the settings and zones (its deals
// are not read).
func NewCount(in coaching.Input, schema Schema, icp ICP, attr string, p coaching.Period, now time.Time, th Thresholds) *Count {
	in.Deals, in.Chunks = nil, nil
	c := &Count{in: in, schema: schema, icp: icp, attr: attr, p: p, now: now, th: th,
		values: map[string]*valueCount{}, accounts: map[string]valueSource{}}
	c.days = domain.NewDays(in.Settings.Location)
	c.total = c.newValue()
	if len(icp) > 0 {
		for i := range c.fit {
			c.fit[i] = c.newKPIs()
		}
	}
	return c
}

// UseDays makes c (and the counts it starts) share d, the day cache of
// one call's parts.
func (c *Count) UseDays(d *domain.Days) {
	c.days = d
	c.total.kpis.UseDays(d)
	for _, v := range c.values {
		v.kpis.UseDays(d)
	}
	for _, k := range c.fit {
		if k != nil {
			k.UseDays(d)
		}
	}
}

func (c *Count) newKPIs() *coaching.KPICount {
	k := coaching.NewPeriodKPICount(c.in, c.p, nil, c.now)
	k.TeamOnly() // a row is the value's figures, not its reps'
	k.UseDays(c.days)
	return k
}

func (c *Count) newValue() *valueCount { return &valueCount{kpis: c.newKPIs()} }

// value is the count of v's deals, started when first asked for.
func (c *Count) value(v string) *valueCount {
	vc := c.values[v]
	if vc == nil {
		vc = c.newValue()
		c.values[v] = vc
	}
	return vc
}

// Add counts deals (in id order, after every deal added before).
func (c *Count) Add(deals []coaching.DealInput) {
	if c.frozen {
		panic("segment: Count.Add to a frozen part")
	}
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	// Each deal's value and class, once; then each value's deals (and
	// each class's) are counted together, through one reused slice.
	sc.values, sc.classes, sc.seen = sc.values[:0], sc.classes[:0], sc.seen[:0]
	won := 0
	for _, di := range deals {
		v := di.Deal.Attributes.Get(c.attr)
		sc.values = append(sc.values, v)
		if !slices.Contains(sc.seen, v) {
			sc.seen = append(sc.seen, v)
		}
		if len(c.icp) > 0 {
			sc.classes = append(sc.classes, c.icp.Score(di.Deal.Attributes).Class())
		}
		if di.Deal.Status == domain.Won {
			won++
		}
	}
	for _, v := range sc.seen {
		sc.deals = sc.deals[:0]
		for i, x := range sc.values {
			if x == v {
				sc.deals = append(sc.deals, deals[i])
			}
		}
		c.value(v).add(c.in.Settings.Stages, sc.deals)
	}
	c.total.add(c.in.Settings.Stages, deals)
	if len(c.icp) > 0 {
		for cl := range c.fit {
			sc.deals = sc.deals[:0]
			for i, x := range sc.classes {
				if x == Class(cl) {
					sc.deals = append(sc.deals, deals[i])
				}
			}
			if len(sc.deals) > 0 {
				c.fit[cl].Add(sc.deals)
			}
		}
	}
	if c.noWon {
		won = 0
	}
	contracts := make([]domain.Deal, 0, won)
	for i, di := range deals {
		contracts = c.addRetention(di.Deal, sc.values[i], contracts)
	}
	if len(contracts) > 0 {
		c.won = append(c.won, contracts)
	}
	clear(sc.deals[:cap(sc.deals)]) // nothing of the deals kept past the call
}

// scratch is what Add works in, reused from call to call (scratches).
type scratch struct {
	deals   []coaching.DealInput
	values  []string
	seen    []string
	classes []Class
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// addRetention notes what retention reads of d, whose value of the
// attribute is v: its account's value source, and when won its contract
// (appended to won).
func (c *Count) addRetention(d *domain.Deal, v string, won []domain.Deal) []domain.Deal {
	if k := domain.AccountKey(d.Account); k != "" {
		if old, seen := c.accounts[k]; !seen || sourceOf(d, v).after(old) {
			c.accounts[k] = sourceOf(d, v)
		}
	}
	if d.Status == domain.Won && !c.noWon {
		won = append(won, retention.ContractOf(d))
	}
	return won
}

// WithoutContracts makes c (a part) keep no won deal's contract: the
// caller keeps them once for every count of the same deals (the bot's
// retention parts) and gives them to the merged count (Contracts). Call
// it before Add.
func (c *Count) WithoutContracts() { c.noWon = true }

// Contracts gives c the contracts (retention.ContractOf) of won deals of
// any currency, read in place: those in the currency Table is asked for
// are the won deals c counted (its parts' WithoutContracts). won must
// outlive c's Table.
func (c *Count) Contracts(won []domain.Deal) { c.given = append(c.given, won) }

// add counts deals in vc.
func (vc *valueCount) add(stages domain.Stages, deals []coaching.DealInput) {
	vc.kpis.Add(deals)
	for _, di := range deals {
		d := di.Deal
		if d.Status != domain.Open || d.Category == domain.Omitted {
			continue
		}
		vc.n++
		net := d.NetAmount()
		vc.net += net
		if i := stages.Index(d.Stage); i >= 0 {
			w := net * int64(stages[i].Probability)
			vc.q, vc.r = vc.q+w/100, vc.r+w%100
		}
	}
}

// Freeze makes c a part that Merge may share between counts; nothing is
// added to it after.
func (c *Count) Freeze() {
	c.total.kpis.Freeze()
	for _, v := range c.values {
		v.kpis.Freeze()
	}
	for _, k := range c.fit {
		if k != nil {
			k.Freeze()
		}
	}
	c.frozen = true
}

// Merge adds what part counted to c, as if c had been given part's deals
// (after c's own, in id order): both started with the same settings,
// schema, ICP, attribute, period, thresholds and a now of the same day,
// and part frozen. c reads part's counts in place: part must outlive c's
// Table.
func (c *Count) Merge(part *Count) {
	if !part.frozen {
		panic("segment: Count.Merge of a part not frozen")
	}
	merge := func(vc, pv *valueCount) {
		vc.kpis.Merge(pv.kpis)
		vc.net, vc.q, vc.r, vc.n = vc.net+pv.net, vc.q+pv.q, vc.r+pv.r, vc.n+pv.n
	}
	for v, pv := range part.values {
		merge(c.value(v), pv)
	}
	merge(c.total, part.total)
	for i, k := range part.fit {
		if k != nil {
			c.fit[i].Merge(k)
		}
	}
	for k, src := range part.accounts {
		if old, seen := c.accounts[k]; !seen || src.after(old) {
			c.accounts[k] = src
		}
	}
	c.won = append(c.won, part.won...)
}

// Size is about how many bytes a frozen part holds.
func (c *Count) Size() int {
	n := c.total.kpis.Size() + 256
	for v, vc := range c.values {
		n += vc.kpis.Size() + len(v) + 96
	}
	for _, k := range c.fit {
		if k != nil {
			n += k.Size()
		}
	}
	for k, src := range c.accounts {
		n += len(k) + len(src.value) + 96
	}
	for _, ws := range c.won {
		n += cap(ws) * retention.ContractBytes
	}
	return n
}

// KPIs is the table's KPIs by value (KPIs' answer; no retention).
func (c *Count) KPIs() Table {
	out := Table{Attribute: c.attr, Period: c.p}
	a, _ := c.schema.Attr(c.attr)
	var unlisted []string
	for v := range c.values {
		if v != NotSet && !slices.Contains(a.Values, v) {
			unlisted = append(unlisted, v)
		}
	}
	slices.Sort(unlisted)
	row := func(v string, listed bool) Row {
		vc := c.values[v]
		if vc == nil {
			vc = c.newValue()
		}
		return vc.row(v, listed, c.th)
	}
	for _, v := range a.Values {
		out.Rows = append(out.Rows, row(v, true))
	}
	for _, v := range unlisted {
		out.Rows = append(out.Rows, row(v, false))
	}
	if _, ok := c.values[NotSet]; ok {
		out.Rows = append(out.Rows, row(NotSet, false))
	}
	out.Total = c.total.row(NotSet, false, c.th)
	if len(c.icp) > 0 {
		fig := func(k *coaching.KPICount) Group { return groupOf(k.Reports()[0].Team, c.th) }
		out.Fit = Comparison{Fit: fig(c.fit[Fit]), Others: fig(c.fit[Unfit]), Unknown: fig(c.fit[Unknown])}
	}
	return out
}

// row is vc's row for value v.
func (vc *valueCount) row(v string, listed bool, th Thresholds) Row {
	r := Row{Value: v, Listed: listed, Metrics: vc.kpis.Reports()[0].Team}
	r.Pipeline, r.PipelineDeals = vc.net, vc.n
	r.Weighted = vc.q + vc.r/100
	if vc.r%100 >= 50 {
		r.Weighted++
	}
	r.TooFew = r.Closed() < th.MinDeals
	return r
}

// Table is the whole table: KPIs, then the retention of each value's
// accounts (Retain) from accounts (by key, for their events and remembered
// values) in currency.
func (c *Count) Table(accounts map[string]*domain.Account, currency string) Table {
	t := c.KPIs()
	c.retain(&t, accounts, currency)
	return t
}

// retain is Retain over what c keeps of the deals: each account measured
// once, added to its value's row and to the total.
func (c *Count) retain(t *Table, accounts map[string]*domain.Account, currency string) {
	p := retention.Period{From: t.Period.From, To: t.Period.To}
	n := 0
	for _, ws := range c.won {
		n += len(ws)
	}
	for _, ws := range c.given {
		n += len(ws)
	}
	all := make([]*domain.Deal, 0, n)
	for _, ws := range c.won {
		for i := range ws {
			all = append(all, &ws[i])
		}
	}
	for _, ws := range c.given {
		for i := range ws {
			if currency == "" || ws[i].Currency == currency { // the deals counted
				all = append(all, &ws[i])
			}
		}
	}
	byAccount := retention.GroupByAccount(all)
	sums := map[string]*retention.Sum{}
	var total retention.Sum
	add := func(k, v string) {
		sum := sums[v]
		if sum == nil {
			sum = &retention.Sum{}
			sums[v] = sum
		}
		if ds := byAccount[k]; len(ds) > 0 {
			var events []domain.AccountEvent
			if a := accounts[k]; a != nil {
				events = a.Events
			}
			f := retention.MeasureAccount(k, ds, events, currency, p)
			sum.Add(f)
			total.Add(f)
		}
	}
	// Each account stands under one value (AccountValue).
	for k, src := range c.accounts {
		add(k, accountValue(t.Attribute, accounts[k], src))
	}
	for k := range byAccount {
		if _, ok := c.accounts[k]; !ok { // given, of a deal not counted
			add(k, accountValue(t.Attribute, accounts[k], valueSource{}))
		}
	}
	a, _ := c.schema.Attr(t.Attribute)
	for v := range sums {
		if !slices.ContainsFunc(t.Rows, func(r Row) bool { return r.Value == v }) {
			r := Row{Value: v, Listed: v != NotSet && slices.Contains(a.Values, v), TooFew: true}
			for _, cv := range t.Total.Metrics.Conversion {
				r.Metrics.Conversion = append(r.Metrics.Conversion, coaching.Conversion{Stage: cv.Stage})
			}
			t.Rows = append(t.Rows, r)
		}
	}
	slices.SortStableFunc(t.Rows, func(x, y Row) int { return rowOrder(a, x, y) })
	for i := range t.Rows {
		sum := sums[t.Rows[i].Value]
		if sum == nil {
			sum = &retention.Sum{}
		}
		t.Rows[i].Retention = sum.Figures(p)
	}
	t.Total.Retention = total.Figures(p)
}
