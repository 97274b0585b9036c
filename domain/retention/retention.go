// Package retention measures what a company keeps of its customers'
// recurring revenue: each account's ARR over time from its won deals and its
// churn and downgrade events, and for a period the starting ARR, gross and
// net revenue retention (GRR, NRR), churn that came within 90 days of a win
// (a hollow win) and the time from a customer's first win to its first
// renewal. It also lists the renewals coming due. Pure functions: money in
// integer minor units, ratios in basis points.
//
// A renewal renews one contract, not the account: of the account's won
// deals not yet renewed, the one whose term ends closest to the renewal's
// close date, with the deals without a term (add-ons); its other contracts
// keep their ARR and stay due for renewal (testdata/two_contracts.md).
package retention

import (
	"cmp"
	"math"
	"math/bits"
	"slices"

	"github.com/dealpilot/dealpilot/domain"
)

// HollowDays is how soon after a win a churn makes that win hollow.
const HollowDays = 90

// RenewalHorizon is how many days ahead renewals are listed as due.
const RenewalHorizon = 90

// Kind is what moved an account's ARR.
type Kind string

// Kinds of ARR change.
const (
	KindNew       Kind = "new"       // a won deal of an account without ARR before it
	KindExpansion Kind = "expansion" // more ARR from a customer that had some: a won deal, a renewal above the ARR it renews
	KindDowngrade Kind = "downgrade" // less ARR: /deal downgrade, or a renewal below the ARR it renews
	KindChurn     Kind = "churn"     // all of it: /deal churn
)

// Change is one move of one account's ARR, on a day. Amount is how much it
// moved, never negative; ARR is the account's ARR after it.
type Change struct {
	Account string // the account key
	On      domain.Date
	Kind    Kind
	Amount  int64
	ARR     int64
	Deal    domain.DealID // the deal won, 0 for an event
}

// Timeline is the ARR changes of one account, in day order: its won deals
// in currency with a recurring value (each on its close date, the day it
// was won) and its events. On one day, wins come before events, each in id
// (then record) order. Each won deal is a contract bringing its recurring
// value, the account's ARR their sum. A won new or expansion deal adds its
// contract; a won renewal replaces the contracts it renews (see renew:
// the one whose term ends closest to the renewal's close date, with the
// deals without a term) and the difference is expansion or downgrade, other
// contracts keeping theirs; a downgrade takes its amount (at most the ARR
// there is) off the contracts, those without a term then the one ending
// soonest first; a churn takes all of them. Deals in another currency do
// not count; neither do events in another currency.
func Timeline(key string, deals []*domain.Deal, events []domain.AccountEvent, currency string) []Change {
	var out []Change
	changes(key, deals, events, currency, func(c Change) { out = append(out, c) })
	return out
}

// changes calls fn with each of Timeline's changes, in order, without
// gathering them (Measure reads each once).
func changes(key string, deals []*domain.Deal, events []domain.AccountEvent, currency string, fn func(Change)) {
	steps := replay(deals, events, func(d *domain.Deal) bool {
		return d.Recurring > 0 && d.Currency == currency && !d.CloseDate.IsZero()
	}, func(e *domain.AccountEvent) bool { return e.Currency == "" || e.Currency == currency })
	var live []contract // in the order won
	var arr int64       // the sum of live's arr, kept as it moves
	for _, s := range steps {
		c := Change{Account: key, On: s.on}
		switch {
		case s.deal != nil && s.deal.Type.Of() == domain.TypeRenewal:
			c.Deal = s.deal.ID
			var was int64
			live, was = renew(live, s.deal, nil)
			switch r := s.deal.Recurring; {
			case r > was:
				c.Kind, c.Amount = KindExpansion, r-was
				if arr == 0 {
					c.Kind = KindNew
				}
			case r < was:
				c.Kind, c.Amount = KindDowngrade, was-r
			default:
				c.Kind = KindExpansion // renewed as it was: no move
			}
			live = append(live, newContract(s.deal))
			arr += s.deal.Recurring - was
		case s.deal != nil:
			c.Deal = s.deal.ID
			c.Kind, c.Amount = KindExpansion, s.deal.Recurring
			if arr == 0 {
				c.Kind = KindNew
			}
			live = append(live, newContract(s.deal))
			arr += s.deal.Recurring
		case s.event.Kind == domain.EventChurn:
			c.Kind, c.Amount = KindChurn, arr
			live, arr = nil, 0
		case s.event.Kind == domain.EventDowngrade:
			c.Kind, c.Amount = KindDowngrade, min(max(s.event.Amount, 0), arr)
			takeOff(live, c.Amount)
			arr -= c.Amount
		default:
			continue
		}
		c.ARR = arr
		fn(c)
	}
}

// step is a won deal or an account event, on its day.
type step struct {
	on    domain.Date
	order int
	deal  *domain.Deal
	event *domain.AccountEvent
}

// replay is the account's won deals and events that keep them, in day
// order: on one day, deals before events, each in id (then record) order.
func replay(deals []*domain.Deal, events []domain.AccountEvent, keepDeal func(*domain.Deal) bool, keepEvent func(*domain.AccountEvent) bool) []step {
	steps := make([]step, 0, len(deals)+len(events))
	for _, d := range deals {
		if d.Status == domain.Won && keepDeal(d) {
			steps = append(steps, step{on: d.CloseDate, order: int(d.ID), deal: d})
		}
	}
	for i := range events {
		if e := &events[i]; keepEvent(e) {
			steps = append(steps, step{on: e.On, order: math.MaxInt32 + i, event: e})
		}
	}
	// (day, order) is never the same for two steps: no need of a stable sort.
	slices.SortFunc(steps, func(a, b step) int { return cmp.Or(a.on.Compare(b.on), cmp.Compare(a.order, b.order)) })
	return steps
}

// contract is one won deal's part of an account's ARR.
type contract struct {
	deal *domain.Deal
	ends domain.Date // its term's end, zero without a term
	arr  int64       // its recurring value, less the downgrades taken off it
}

func newContract(d *domain.Deal) contract {
	return contract{deal: d, ends: d.TermEnd(), arr: d.Recurring}
}

// renew keeps, of live (contracts in the order won), those the won renewal
// r does not renew, in place, and returns them with the ARR of those it
// renews (each also handed to gone, when not nil): among the contracts
// with a term, the one whose term ends closest to r's close date (before
// or after it; the earlier won on a tie), and every one without a term (an
// add-on renews with its contract). Without a link between deals this is
// how a sales manager reads a renewal: it renews the contract coming to
// its end.
func renew(live []contract, r *domain.Deal, gone func(contract)) (kept []contract, renewed int64) {
	// A contract without a term (the zero end, year 0: DaysUntil saturates
	// at some 106,000 days) is never the closest while one with a term is;
	// those without a term are all renewed anyway.
	best, bestDays := -1, 0
	for i, k := range live {
		days := k.ends.DaysUntil(r.CloseDate)
		days = max(days, -days)
		if best < 0 || days < bestDays {
			best, bestDays = i, days
		}
	}
	kept = live[:0]
	for i, k := range live {
		if i == best || k.ends.IsZero() {
			renewed += k.arr
			if gone != nil {
				gone(k)
			}
		} else {
			kept = append(kept, k) // never past i: in place
		}
	}
	return kept, renewed
}

// takeOff takes amount (at most their sum) off the contracts of live:
// those without a term first, then by term end, soonest first (the
// earlier won on a tie): the contracts the next renewal renews.
func takeOff(live []contract, amount int64) {
	order := make([]int, len(live))
	for i := range order {
		order[i] = i
	}
	// The zero date (no term) sorts before every term end.
	slices.SortStableFunc(order, func(a, b int) int { return live[a].ends.Compare(live[b].ends) })
	for _, i := range order {
		take := min(amount, live[i].arr)
		live[i].arr -= take
		amount -= take
	}
}

// ARROn is the account's ARR at the end of day, from its timeline.
func ARROn(timeline []Change, day domain.Date) int64 {
	var arr int64
	for _, c := range timeline {
		if c.On.After(day) {
			break
		}
		arr = c.ARR
	}
	return arr
}

// Period is a range of days, both ends included.
type Period struct{ From, To domain.Date }

// Contains reports whether d is in p.
func (p Period) Contains(d domain.Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Input is what Measure works on: deals of any status (those of the scope
// measured: a rep's, a team's, everyone's), the accounts their accounts
// fold to (by key, for their events), and the currency figures are in.
type Input struct {
	Deals    []*domain.Deal
	Accounts map[string]*domain.Account
	Currency string
	// ByAccount, when set, is the deals grouped by account key
	// (GroupByAccount) and Deals is not read: a caller measuring several
	// scopes of the same deals folds their accounts once.
	ByAccount map[string][]*domain.Deal
}

// Figures are the retention of a period.
//
//   - Start is the starting ARR: the ARR, at the end of the day before the
//     period, of every account that had some (the cohort, Customers of
//     them). New customers of the period are not in it.
//   - Churn, Downgrade and Expansion are the cohort's ARR changes of those
//     kinds on the period's days; a cohort account that comes back after a
//     churn counts its return as expansion.
//   - GRR = (Start − Churn − Downgrade) ÷ Start, never below 0; NRR =
//     (Start − Churn − Downgrade + Expansion) ÷ Start; basis points,
//     rounded half up; both 0 when Start is 0 (HasStart false: nothing to
//     measure).
//   - Hollow lists the wins that churned within HollowDays days (the churn
//     in the period, the win on or before the churn day), any account.
//   - Renewals counts the accounts whose first won renewal falls in the
//     period; RenewalDays is the median of the days from their first win
//     to it (the mean of the two middle ones, rounded down, for an even
//     count).
type Figures struct {
	Period                      Period
	Customers                   int
	Start                       int64
	Churn, Downgrade, Expansion int64
	HasStart                    bool
	GRRBP, NRRBP                int
	Hollow                      []HollowWin
	Renewals                    int
	RenewalDays                 int
}

// ContractOf is what Measure reads of a won deal (its contract, the
// hollow wins, the first renewal), copied from d: a part of a company's
// won deals kept between calls (/pipeline retention, segments) holds
// these, not the deals a reader wrote over since.
func ContractOf(d *domain.Deal) domain.Deal {
	return domain.Deal{ID: d.ID, Owner: d.Owner, Account: d.Account, Status: d.Status, CloseDate: d.CloseDate,
		Currency: d.Currency, Type: d.Type, TermMonths: d.TermMonths, Recurring: d.Recurring}
}

// ContractBytes is about how many bytes a ContractOf holds (a domain.Deal).
const ContractBytes = 512

// HollowWin is a won deal whose customer churned within HollowDays days.
type HollowWin struct {
	Deal      domain.DealID
	Owner     domain.UserID
	Account   string // as the deal names it
	Won       domain.Date
	Churned   domain.Date
	Days      int
	Recurring int64
}

// Measure computes p's figures from in.
func Measure(in Input, p Period) Figures {
	byAccount := in.ByAccount
	if byAccount == nil {
		byAccount = GroupByAccount(in.Deals)
	}
	var sum Sum
	for key, deals := range byAccount {
		var events []domain.AccountEvent
		if a := in.Accounts[key]; a != nil {
			events = a.Events
		}
		sum.Add(MeasureAccount(key, deals, events, in.Currency, p))
	}
	return sum.Figures(p)
}

// AccountFigures is one account's part of a period's Figures: Measure
// adds every account's up (Sum), and a caller that puts an account in two
// sums (segments: its value's row and the total) measures it once.
type AccountFigures struct {
	start, churn, down, expand int64
	hollow                     []HollowWin
	renewalDays                int
	renewed                    bool
}

// MeasureAccount measures one account (key) over p: its deals (any status,
// any order; the won ones count), its events, in currency.
func MeasureAccount(key string, deals []*domain.Deal, events []domain.AccountEvent, currency string, p Period) AccountFigures {
	var a AccountFigures
	// The ARR at the end of the day before p (ARROn), and the changes in
	// p, counted only when there was some (Sum).
	changes(key, deals, events, currency, func(c Change) {
		switch {
		case c.On.Before(p.From):
			a.start = c.ARR
		case p.Contains(c.On):
			switch c.Kind {
			case KindChurn:
				a.churn += c.Amount
			case KindDowngrade:
				a.down += c.Amount
			case KindExpansion, KindNew:
				a.expand += c.Amount
			}
		}
	})
	a.hollow = hollow(deals, events, p)
	a.renewalDays, a.renewed = firstRenewal(deals, p)
	return a
}

// Sum adds up accounts' figures (the zero Sum has none).
type Sum struct {
	f           Figures
	renewalDays []int
}

// Add adds one account's figures.
func (s *Sum) Add(a AccountFigures) {
	if a.start > 0 {
		s.f.Customers++
		s.f.Start += a.start
		s.f.Churn += a.churn
		s.f.Downgrade += a.down
		s.f.Expansion += a.expand
	}
	s.f.Hollow = append(s.f.Hollow, a.hollow...)
	if a.renewed {
		s.renewalDays = append(s.renewalDays, a.renewalDays)
	}
}

// Figures are the figures of p of the accounts added, whatever their
// order: the ratios, the hollow wins by churn day then deal, the median
// of the renewals' days.
func (s *Sum) Figures(p Period) Figures {
	f := s.f
	f.Period = p
	if f.Start > 0 {
		f.HasStart = true
		kept := f.Start - f.Churn - f.Downgrade
		f.GRRBP = max(RatioBP(kept, f.Start), 0)
		f.NRRBP = max(RatioBP(kept+f.Expansion, f.Start), 0)
	}
	slices.SortFunc(f.Hollow, func(a, b HollowWin) int { return cmp.Or(a.Churned.Compare(b.Churned), cmp.Compare(a.Deal, b.Deal)) })
	f.Renewals = len(s.renewalDays)
	f.RenewalDays = medianInt(s.renewalDays)
	return f
}

// hollow lists the account's won deals that a churn of the period came
// within HollowDays days of (won on or before the churn day).
func hollow(deals []*domain.Deal, events []domain.AccountEvent, p Period) []HollowWin {
	var out []HollowWin
	for _, e := range events {
		if e.Kind != domain.EventChurn || !p.Contains(e.On) {
			continue
		}
		out = append(out, HollowWins(deals, e.On)...)
	}
	return out
}

// HollowWins lists the won deals of deals that a churn on day makes hollow:
// won on or before day, at most HollowDays days before it.
func HollowWins(deals []*domain.Deal, day domain.Date) []HollowWin {
	var out []HollowWin
	for _, d := range deals {
		if d.Status != domain.Won || d.CloseDate.IsZero() || d.CloseDate.After(day) {
			continue
		}
		if days := d.CloseDate.DaysUntil(day); days <= HollowDays {
			out = append(out, HollowWin{Deal: d.ID, Owner: d.Owner, Account: d.Account, Won: d.CloseDate,
				Churned: day, Days: days, Recurring: d.Recurring})
		}
	}
	return out
}

// firstRenewal is the days from the account's first win to its first won
// renewal after it, when that renewal is in p.
func firstRenewal(deals []*domain.Deal, p Period) (int, bool) {
	var first, renewal domain.Date
	for _, d := range deals {
		if d.Status != domain.Won || d.CloseDate.IsZero() {
			continue
		}
		if first.IsZero() || d.CloseDate.Before(first) {
			first = d.CloseDate
		}
	}
	for _, d := range deals {
		if d.Status != domain.Won || d.Type.Of() != domain.TypeRenewal || !d.CloseDate.After(first) {
			continue
		}
		if renewal.IsZero() || d.CloseDate.Before(renewal) {
			renewal = d.CloseDate
		}
	}
	if first.IsZero() || renewal.IsZero() || !p.Contains(renewal) {
		return 0, false
	}
	return first.DaysUntil(renewal), true
}

// Renewal is a won deal whose contract term ends soon.
type Renewal struct {
	Deal *domain.Deal
	Ends domain.Date
	Days int // from today to Ends
}

// RenewalsDue lists the won deals of deals whose term ends within
// RenewalHorizon days of today (today included), soonest first: a deal
// with a term that no won renewal renewed (renew's rule, as Timeline
// reads it: a renewal renews one contract of its account, not the others)
// and whose account has not churned since its win (a churn event on or
// after its close date). accounts gives each account's events by key (nil:
// none).
func RenewalsDue(deals []*domain.Deal, accounts map[string]*domain.Account, today domain.Date) []Renewal {
	byAccount := GroupByAccount(deals)
	var out []Renewal
	for key, ds := range byAccount {
		renewed := renewedDeals(ds, accounts[key])
		for _, d := range ds {
			ends := d.TermEnd()
			if d.Status != domain.Won || ends.IsZero() || ends.Before(today) || today.DaysUntil(ends) > RenewalHorizon {
				continue
			}
			if renewed[d.ID] || churnedSince(accounts[key], d.CloseDate) {
				continue
			}
			out = append(out, Renewal{Deal: d, Ends: ends, Days: today.DaysUntil(ends)})
		}
	}
	slices.SortFunc(out, func(a, b Renewal) int { return cmp.Or(a.Ends.Compare(b.Ends), cmp.Compare(a.Deal.ID, b.Deal.ID)) })
	return out
}

// renewedDeals is the account's won deals that a won renewal renewed,
// replayed as Timeline does but whatever their currency or recurring value
// (a renewal without ARR still renews): a churn ends the contracts won
// before it.
func renewedDeals(deals []*domain.Deal, a *domain.Account) map[domain.DealID]bool {
	var events []domain.AccountEvent
	if a != nil {
		events = a.Events
	}
	renewed := map[domain.DealID]bool{}
	var live []contract
	all := func(*domain.Deal) bool { return true }
	churns := func(e *domain.AccountEvent) bool { return e.Kind == domain.EventChurn }
	for _, s := range replay(deals, events, all, churns) {
		switch {
		case s.event != nil:
			live = nil
			continue
		case s.deal.Type.Of() == domain.TypeRenewal:
			live, _ = renew(live, s.deal, func(k contract) { renewed[k.deal.ID] = true })
		}
		live = append(live, newContract(s.deal))
	}
	return renewed
}

func churnedSince(a *domain.Account, day domain.Date) bool {
	if a == nil {
		return false
	}
	for _, e := range a.Events {
		if e.Kind == domain.EventChurn && !e.On.Before(day) {
			return true
		}
	}
	return false
}

// GroupByAccount is deals by account key, those without an account left
// out (they belong to no customer).
func GroupByAccount(deals []*domain.Deal) map[string][]*domain.Deal {
	m := map[string][]*domain.Deal{}
	for _, d := range deals {
		if k := domain.AccountKey(d.Account); k != "" {
			m[k] = append(m[k], d)
		}
	}
	return m
}

func medianInt(xs []int) int {
	n := len(xs)
	if n == 0 {
		return 0
	}
	slices.Sort(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// RatioBP is num ÷ den in basis points, rounded half away from zero, on
// 128 bits so no sum of amounts overflows; 0 for a zero den, clamped to
// int's range.
func RatioBP(num, den int64) int {
	if den == 0 {
		return 0
	}
	neg := (num < 0) != (den < 0)
	n, d := abs(num), abs(den)
	hi, lo := bits.Mul64(n, 10_000)
	if hi >= d {
		if neg {
			return math.MinInt
		}
		return math.MaxInt
	}
	q, rem := bits.Div64(hi, lo, d)
	if rem >= d-rem {
		q++
	}
	q = min(q, math.MaxInt)
	if neg {
		return -int(q)
	}
	return int(q)
}

func abs(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}
