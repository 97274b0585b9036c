package coaching

import (
	"slices"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// A part is a KPICount of some of the deals, kept to be merged into the
// count of all of them (Merge): /pipeline keeps each part of the company's
// deals counted, and counts again only the parts written since, so that an
// admin's call reads the deals of the parts that changed and not every
// deal (bot's pipeline cache, BENCHMARKS.md).

// Freeze makes k a part that Merge may share between counts, several at
// once: it sorts k's stays in place, once, and nothing changes k after.
// Call it after the last Add, and never call Reports on a frozen part.
func (k *KPICount) Freeze() {
	for _, ds := range k.samples {
		slices.Sort(ds)
	}
	k.frozen = true
}

// Merge adds what part counted to k, as if k had been given part's deals:
// both were started with the same settings, periods and day (NewKPICount
// with the same input settings, p, comparisons and a now of the same day
// in every owner's zone: Add reads now only as each owner's today), and
// part is frozen. k keeps part's open deals and stays, read in place by
// Reports, so part must outlive k's Reports; the sums are copied.
func (k *KPICount) Merge(part *KPICount) {
	if !part.frozen {
		panic("coaching: KPICount.Merge of a part not frozen")
	}
	for i := range k.periods {
		k.teams[i].add(part.teams[i])
		if k.teamOnly {
			continue
		}
		for o, a := range part.reps[i] {
			if a != nil {
				k.repAcc(i, k.owner(part.owners[o])).add(a)
			}
		}
	}
	k.parts = append(k.parts, part)
}

// add adds b's sums to a: every figure Add counts (stalled and talks are
// Reports', after the merge).
func (a *acc) add(b *acc) {
	m, n := &a.m, &b.m
	m.Won += n.Won
	m.Lost += n.Lost
	m.WonAmount += n.WonAmount
	for i := range m.Conversion {
		c, d := &m.Conversion[i], &n.Conversion[i]
		c.Entered += d.Entered
		c.Advanced += d.Advanced
		c.Lost += d.Lost
		c.Open += d.Open
	}
	m.Open += n.Open
	for i := range m.PerStage {
		m.PerStage[i].Deals += n.PerStage[i].Deals
		m.PerStage[i].Amount += n.PerStage[i].Amount
	}
	m.Healthy += n.Healthy
	m.MissingCriteria += n.MissingCriteria
	m.OverdueNextSteps += n.OverdueNextSteps
	m.PastCloseDates += n.PastCloseDates
	a.cycles = append(a.cycles, b.cycles...)
	a.discountBP += b.discountBP
}

// mergedLimits is limits over k's own stays and its parts' (each sorted
// by Freeze), without gathering them: each stage's median is found by
// counting, in each sorted list, the stays up to a value.
func (k *KPICount) mergedLimits() []time.Duration {
	if len(k.parts) == 0 {
		return limits(k.s, k.samples)
	}
	out := make([]time.Duration, len(k.samples))
	floor := time.Duration(k.s.StallMinDays) * day
	lists := make([][]time.Duration, 0, len(k.parts)+1)
	for st := range k.samples {
		slices.Sort(k.samples[st])
		lists = append(lists[:0], k.samples[st])
		for _, p := range k.parts {
			if len(p.samples[st]) > 0 {
				lists = append(lists, p.samples[st])
			}
		}
		out[st] = max(time.Duration(k.s.StallFactor)*sortedMedian(lists), floor)
	}
	return out
}

// sortedMedian is median of the union of sorted lists (0 when all are
// empty).
func sortedMedian(lists [][]time.Duration) time.Duration {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sortedKth(lists, n/2)
	}
	return (sortedKth(lists, n/2-1) + sortedKth(lists, n/2)) / 2
}

// sortedKth is the k-th smallest (from 0) of the union of sorted lists,
// which hold more than k values: the least value v with more than k
// values ≤ v, found by halving the range of the values.
func sortedKth(lists [][]time.Duration, k int) time.Duration {
	lo, hi := time.Duration(0), time.Duration(0)
	first := true
	for _, l := range lists {
		if len(l) == 0 {
			continue
		}
		if first || l[0] < lo {
			lo = l[0]
		}
		if first || l[len(l)-1] > hi {
			hi = l[len(l)-1]
		}
		first = false
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		n := 0
		for _, l := range lists {
			// How many of l are ≤ mid.
			i, _ := slices.BinarySearch(l, mid+1)
			n += i
		}
		if n > k {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// UseDays makes k work out days with d, which must give them in k's time
// zone (the settings'): the parts of one count share one (domain.Days
// holds 512 days, 16 KiB, once used).
func (k *KPICount) UseDays(d *domain.Days) { k.days = d }

// openDealBytes is the size of an openDeal.
const openDealBytes = 40

// Size is about how many bytes a frozen part holds: its open deals, stays,
// cycles and owners, and a fixed part (its accumulators and maps).
func (k *KPICount) Size() int {
	n := 4096
	for _, b := range k.waiting {
		n += cap(b) * openDealBytes
	}
	for _, s := range k.samples {
		n += cap(s) * 8
	}
	accs := slices.Clone(k.teams)
	for _, reps := range k.reps {
		accs = append(accs, reps...)
	}
	for _, a := range accs {
		if a != nil {
			n += 512 + cap(a.cycles)*8
		}
	}
	return n + len(k.owners)*48
}
