package forecast

import (
	"cmp"
	"slices"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// SnapshotDeal is what a snapshot keeps of a deal: what the forecast reads.
type SnapshotDeal struct {
	ID        domain.DealID
	Owner     domain.UserID
	Amount    int64 // list amount, minor units of Currency
	Discount  int   // approved discount in basis points, as domain.Deal.Discount
	Currency  string
	Stage     string
	Category  domain.Category
	CloseDate domain.Date
	Status    domain.Status
}

// NetAmount is what the customer pays: Amount less the approved Discount,
// by domain.NetOf, as domain.Deal.NetAmount computes it.
func (d *SnapshotDeal) NetAmount() int64 { return domain.NetOf(d.Amount, d.Discount) }

// Snapshot is the state of the pipeline when the weekly digest ran.
type Snapshot struct {
	Taken time.Time
	Week  string         // ISO week of Taken in the company's time zone, e.g. "2026-W48"
	Deals []SnapshotDeal // by ascending id, each id once
}

// TakeSnapshot records the deals at taken: every open deal, and the won and
// lost deals whose close date is on or after keepClosedSince or that were
// last changed on or after that day (in the company's time zone). The
// digest passes the start of the current period (or of the previous week,
// when earlier), so a snapshot shows what was won so far in the period,
// which the bottom-up commit counts, and what was won or lost since the last
// snapshot, without keeping every deal ever closed.
func TakeSnapshot(cal Calendar, taken time.Time, deals []*domain.Deal, keepClosedSince domain.Date) Snapshot {
	s := Snapshot{Taken: taken, Week: cal.Week(taken), Deals: make([]SnapshotDeal, 0, len(deals))}
	for _, d := range deals {
		if d.Status != domain.Open && d.CloseDate.Before(keepClosedSince) && cal.Today(d.UpdatedAt).Before(keepClosedSince) {
			continue
		}
		s.Deals = append(s.Deals, SnapshotDeal{
			ID: d.ID, Owner: d.Owner, Amount: d.Amount, Discount: d.Discount, Currency: d.Currency,
			Stage: d.Stage, Category: d.Category, CloseDate: d.CloseDate, Status: d.Status,
		})
	}
	slices.SortFunc(s.Deals, byID)
	return s
}

func byID(a, b SnapshotDeal) int { return cmp.Compare(a.ID, b.ID) }

// Item is one deal in a list of changes: its values in the newer snapshot
// and, prefixed Old, in the older one (zero for a new deal; for a deal that
// left the snapshots, the plain fields repeat the old values).
type Item struct {
	Deal         domain.DealID
	Owner        domain.UserID
	OldOwner     domain.UserID
	Currency     string
	Amount       int64 // net of the approved discount (SnapshotDeal.NetAmount)
	OldAmount    int64 // net too: approving a discount shows as an amount down
	Delta        int64 // Amount − OldAmount
	Stage        string
	OldStage     string
	Category     domain.Category
	OldCategory  domain.Category
	CloseDate    domain.Date
	OldCloseDate domain.Date
}

// Changes is what happened to a period's forecast between two snapshots.
//
// Only the deals whose close date is in the period in either snapshot are
// considered. A deal may appear in several lists (its amount went up and it
// moved to commit). Each list puts the largest amounts first (the largest
// deltas for amount changes, the largest cut first for AmountDown), then the
// lowest id, so the same snapshots always give the same lists.
type Changes struct {
	Period   string
	From, To string // the weeks of the older and newer snapshots

	New      []Item // in the newer snapshot only
	Won      []Item // won since (including a deal created and won in between)
	Lost     []Item // lost since
	Reopened []Item // won or lost before, open again now
	// Slipped are open deals whose close date left the period: pushed past
	// its end, or (rarely, a correction) before its start.
	Slipped       []Item
	PulledIn      []Item // open deals whose close date moved into the period
	AmountUp      []Item // open deals whose amount rose (same currency)
	AmountDown    []Item // open deals whose amount fell (same currency)
	CategoryMoves []Item // open deals that moved forecast category: OldCategory → Category
	Reassigned    []Item // open deals that changed owner: OldOwner → Owner
	Gone          []Item // open before, in neither state now: deleted or out of the snapshot
}

// Len returns the number of items in all lists.
func (c Changes) Len() int {
	n := 0
	for _, l := range c.lists() {
		n += len(*l)
	}
	return n
}

func (c *Changes) lists() []*[]Item {
	return []*[]Item{&c.New, &c.Won, &c.Lost, &c.Reopened, &c.Slipped, &c.PulledIn,
		&c.AmountUp, &c.AmountDown, &c.CategoryMoves, &c.Reassigned, &c.Gone}
}

// Filter returns the changes of the deals owned (now or before) by users
// keep accepts, e.g. a team's members for its digest. Orders are kept.
func (c Changes) Filter(keep func(domain.UserID) bool) Changes {
	out := c
	outLists := out.lists()
	for i, l := range c.lists() {
		var kept []Item
		for _, it := range *l {
			if keep(it.Owner) || (it.OldOwner != "" && it.OldOwner != it.Owner && keep(it.OldOwner)) {
				kept = append(kept, it)
			}
		}
		*outLists[i] = kept
	}
	return out
}

// Compare lists what changed in period p between the snapshots prev and cur.
// It walks both by id in one pass, so it is linear in their sizes; snapshots
// not sorted by id are sorted (a copy) first, and a deal listed twice keeps
// its last state.
func Compare(prev, cur Snapshot, p Period) Changes {
	ch := Changes{Period: p.Name, From: prev.Week, To: cur.Week}
	in := spanOf(p)
	if !ch.walk(prev.Deals, cur.Deals, in) {
		ch = Changes{Period: p.Name, From: prev.Week, To: cur.Week}
		ch.walk(sortedDeals(prev.Deals), sortedDeals(cur.Deals), in)
	}
	byAmount := func(x, y Item) int {
		return cmp.Or(cmp.Compare(y.Amount, x.Amount), cmp.Compare(x.Deal, y.Deal))
	}
	for _, l := range []*[]Item{&ch.New, &ch.Won, &ch.Lost, &ch.Reopened, &ch.Slipped, &ch.PulledIn, &ch.CategoryMoves, &ch.Reassigned, &ch.Gone} {
		slices.SortFunc(*l, byAmount)
	}
	slices.SortFunc(ch.AmountUp, func(x, y Item) int {
		return cmp.Or(cmp.Compare(y.Delta, x.Delta), cmp.Compare(x.Deal, y.Deal))
	})
	slices.SortFunc(ch.AmountDown, func(x, y Item) int {
		return cmp.Or(cmp.Compare(x.Delta, y.Delta), cmp.Compare(x.Deal, y.Deal))
	})
	return ch
}

// walk merges a and b by id, recording changes, and reports false as soon as
// either is not sorted by strictly increasing id (ch is then incomplete).
func (ch *Changes) walk(a, b []SnapshotDeal, in span) bool {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if (i > 0 && i < len(a) && a[i].ID <= a[i-1].ID) || (j > 0 && j < len(b) && b[j].ID <= b[j-1].ID) {
			return false
		}
		switch {
		case j == len(b) || (i < len(a) && a[i].ID < b[j].ID):
			ch.gone(&a[i], in)
			i++
		case i == len(a) || b[j].ID < a[i].ID:
			ch.added(&b[j], in)
			j++
		default:
			ch.changed(&a[i], &b[j], in)
			i++
			j++
		}
	}
	return true
}

// sortedDeals returns a sorted copy of ds. A deal listed twice keeps its
// last state.
func sortedDeals(ds []SnapshotDeal) []SnapshotDeal {
	ds = slices.Clone(ds)
	slices.SortStableFunc(ds, byID)
	out := ds[:0]
	for i, d := range ds {
		if i+1 < len(ds) && ds[i+1].ID == d.ID {
			continue
		}
		out = append(out, d)
	}
	return out
}

func item(old, cur *SnapshotDeal) Item {
	var it Item
	if old != nil {
		it.OldOwner, it.OldAmount, it.OldStage, it.OldCategory, it.OldCloseDate = old.Owner, old.NetAmount(), old.Stage, old.Category, old.CloseDate
	}
	if cur == nil {
		cur = old
	}
	it.Deal, it.Owner, it.Currency, it.Amount, it.Stage, it.Category, it.CloseDate = cur.ID, cur.Owner, cur.Currency, cur.NetAmount(), cur.Stage, cur.Category, cur.CloseDate
	it.Delta = it.Amount - it.OldAmount
	return it
}

func (ch *Changes) gone(a *SnapshotDeal, in span) {
	if a.Status == domain.Open && in.contains(a.CloseDate) {
		it := item(a, nil)
		it.Delta = 0
		ch.Gone = append(ch.Gone, it)
	}
}

func (ch *Changes) added(b *SnapshotDeal, in span) {
	if !in.contains(b.CloseDate) {
		return
	}
	it := item(nil, b)
	ch.New = append(ch.New, it)
	switch b.Status {
	case domain.Won:
		ch.Won = append(ch.Won, it)
	case domain.Lost:
		ch.Lost = append(ch.Lost, it)
	}
}

func (ch *Changes) changed(a, b *SnapshotDeal, in span) {
	wasIn, isIn := in.contains(a.CloseDate), in.contains(b.CloseDate)
	if !wasIn && !isIn {
		return
	}
	if *a == *b {
		return
	}
	it := item(a, b)
	switch {
	case b.Status == a.Status:
	case b.Status == domain.Won:
		ch.Won = append(ch.Won, it)
		return
	case b.Status == domain.Lost:
		ch.Lost = append(ch.Lost, it)
		return
	case b.Status == domain.Open:
		ch.Reopened = append(ch.Reopened, it)
		return
	}
	if b.Status != domain.Open {
		return
	}
	switch {
	case wasIn && !isIn:
		ch.Slipped = append(ch.Slipped, it)
	case !wasIn && isIn:
		ch.PulledIn = append(ch.PulledIn, it)
	}
	if a.Currency == b.Currency {
		switch {
		case it.Amount > it.OldAmount:
			ch.AmountUp = append(ch.AmountUp, it)
		case it.Amount < it.OldAmount:
			ch.AmountDown = append(ch.AmountDown, it)
		}
	}
	if a.Category != b.Category {
		ch.CategoryMoves = append(ch.CategoryMoves, it)
	}
	if a.Owner != b.Owner {
		ch.Reassigned = append(ch.Reassigned, it)
	}
}
