package forecast

import (
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// SlipDeal is a deal and its history, oldest entry first, as Slippage reads
// them.
type SlipDeal struct {
	Deal    *domain.Deal
	History []domain.HistoryEntry
	// Days, when set, are the days (Calendar.Today) of the deal's
	// creation and of each entry (Days[i+1] is History[i]'s), worked out
	// once for several counters of one calendar (/pipeline counts four
	// periods in one pass); else SlipCounter works them out.
	Days []domain.Date
	// closes, set by DaysOf with Days, is the close date each entry
	// sets, read once for every counter (closes[i] is History[i]'s;
	// zero for another field or a date that does not read).
	closes []domain.Date
	// last, set by DaysOf with Days: see slipLast.
	last slipLast
}

// slipLast is what a counter needs of a deal none of whose entries falls
// on or after its period's start or its cut: then it reads every entry
// and judges the deal only at the end, on the close date of the last
// close entry that reads and the status of the last status entry.
type slipLast struct {
	set    bool
	latest domain.Date // the latest day of an entry (zero: none)
	close  domain.Date
	status domain.Status
}

// Slip is the slippage of one period for a set of deals: the sales guide's
// "deals qui glissent sur la période suivante".
//
// A deal is in the period's forecast when, open, its close date was in the
// period at the period's start or was moved into it during the period. It
// slipped when, at the end of the period (at now while the period runs), it
// is still open and its close date is in a later period: it was moved out
// during the period and not back. A close date moved within the period, or
// moved out and back in, is not a slip; nor is a deal won or lost. A deal
// forecast for a later period and won or lost early is not in this one's
// forecast: /deal won and lost move the close date to the day in the same
// update as the status, so the deal is never open with that date (the
// entries of one update are read as one change).
// Amounts are the net amounts now (what the customer pays).
type Slip struct {
	Forecast, Slipped             int
	ForecastAmount, SlippedAmount int64
	RateBP                        int             // SlippedAmount ÷ ForecastAmount, rounded; 0 when nothing was forecast
	Deals                         []domain.DealID // the slipped deals, by id
}

// RepSlip is one rep's slippage, by the deal's owner now.
type RepSlip struct {
	Rep domain.UserID
	Slip
}

// Slippage is the slippage of period p for the team (all deals given) and
// per rep, judged at now: events are cut into days in the calendar's time
// zone, and only those before the period's end and not after now count.
func (c Calendar) Slippage(p Period, deals []SlipDeal, now time.Time) (Slip, []RepSlip) {
	sc := c.SlipCount(p, now)
	for i := range deals {
		sc.Add(deals[i])
	}
	return sc.Result()
}

// SlipCounter is Slippage deal by deal, for deals read a chunk at a time
// (/pipeline over a whole company): Add each deal once, then Result. It
// keeps no deal, only the sums and the slipped deals' ids.
type SlipCounter struct {
	p    Period
	cut  domain.Date // the first day whose events no longer count
	days *domain.Days
	team Slip
	reps map[domain.UserID]*Slip
	// teamOnly: TeamOnly was called, reps stays empty.
	teamOnly bool
}

// TeamOnly makes sc count the team's slippage alone: Result then gives no
// rep's. Call it before Add.
func (sc *SlipCounter) TeamOnly() { sc.teamOnly = true }

// SlipCount starts counting the slippage of period p judged at now, as
// Slippage does.
func (c Calendar) SlipCount(p Period, now time.Time) *SlipCounter {
	today := c.Today(now)
	cut := p.End
	if today.Before(p.Last()) {
		cut = today.AddDays(1) // the period runs: up to today
	}
	return &SlipCounter{p: p, cut: cut, days: domain.NewDays(c.loc()), reps: map[domain.UserID]*Slip{}}
}

// Add counts one deal.
func (sc *SlipCounter) Add(sd SlipDeal) {
	p, cut, today := sc.p, sc.cut, sc.days.Of // Calendar.Today, without a zone lookup per entry
	d := sd.Deal
	if d == nil {
		return
	}
	days, closes := sd.Days, sd.closes
	if len(days) != len(sd.History)+1 {
		days = nil
	}
	if len(closes) != len(sd.History) {
		closes = nil
	}
	if created := sd.day(days, 0, today); !created.Before(cut) {
		return
	}
	var close domain.Date
	status := domain.Open
	inForecast := false
	if l := &sd.last; l.set && days != nil && l.latest.Before(p.Start) && l.latest.Before(cut) {
		// No entry starts the period or stops at the cut: the walk would
		// only leave the last close date and status (most deals of a
		// company, for a period after their last change).
		close, status = l.close, l.status
	} else {
		inForecast = sd.walk(&close, &status, days, closes, today, cut, p)
	}
	if status == domain.Open && p.Contains(close) { // the state at the end (or now), and a period with no event in it
		inForecast = true
	}
	if !inForecast {
		return
	}
	sc.count(d, status == domain.Open && !close.Before(p.End))
}

// walk reads sd's entries before cut as Add does, leaving in close and
// status their values at the end; it reports whether the deal was in p's
// forecast at the period's start or after an update in it.
func (sd *SlipDeal) walk(closeP *domain.Date, statusP *domain.Status, days, closes []domain.Date,
	today func(time.Time) domain.Date, cut domain.Date, p Period) (inForecast bool) {
	close, status := *closeP, *statusP
	started := false
	look := func() {
		if status == domain.Open && p.Contains(close) {
			inForecast = true
		}
	}
	for i := range sd.History {
		e := &sd.History[i]
		day := sd.day(days, i+1, today)
		if !day.Before(cut) {
			break
		}
		if !started && !day.Before(p.Start) {
			started = true
			look() // the state at the period's start
		}
		switch e.Field {
		case domain.FieldCloseDate:
			if closes != nil {
				if !closes[i].IsZero() {
					close = closes[i]
				}
			} else if nd, err := domain.ParseISODate(e.New); err == nil {
				close = nd
			}
		case domain.FieldStatus:
			status = domain.Status(e.New)
		}
		// One update's entries are one change: a win or a loss moves
		// the close date to its day in the same update, and the deal
		// was never open with that date.
		if started && (i+1 == len(sd.History) || !sameUpdate(e, &sd.History[i+1])) {
			look()
		}
	}
	*closeP, *statusP = close, status
	return inForecast
}

// count adds a deal in the period's forecast, slipped or not.
func (sc *SlipCounter) count(d *domain.Deal, slipped bool) {
	pair := [2]*Slip{&sc.team}
	slips := pair[:1]
	if !sc.teamOnly {
		a := sc.reps[d.Owner]
		if a == nil {
			a = &Slip{}
			sc.reps[d.Owner] = a
		}
		pair[1] = a
		slips = pair[:]
	}
	for _, s := range slips {
		s.Forecast++
		s.ForecastAmount += d.NetAmount()
		if slipped {
			s.Slipped++
			s.SlippedAmount += d.NetAmount()
			s.Deals = append(s.Deals, d.ID)
		}
	}
}

// day is days[i] when days are given, else the day today gives of the
// creation (i = 0) or of entry i-1.
func (sd SlipDeal) day(days []domain.Date, i int, today func(time.Time) domain.Date) domain.Date {
	if days != nil {
		return days[i]
	}
	if i == 0 {
		return today(sd.Deal.CreatedAt)
	}
	return today(sd.History[i-1].At)
}

// DaysOf sets sd.Days from days, which must give the calendar's days
// (c.Days()), and the close date each entry sets, read once for every
// counter the deal is added to (a successful read is never the zero
// date), reusing buf's memory; it returns the slice for the next call.
func (sd *SlipDeal) DaysOf(days *domain.Days, buf []domain.Date) []domain.Date {
	n := len(sd.History)
	buf = append(buf[:0], days.Of(sd.Deal.CreatedAt))
	for i := range sd.History {
		buf = append(buf, days.Of(sd.History[i].At))
	}
	last := slipLast{set: true, status: domain.Open}
	for i := range sd.History {
		var c domain.Date
		switch e := &sd.History[i]; e.Field {
		case domain.FieldCloseDate:
			if nd, err := domain.ParseISODate(e.New); err == nil {
				c, last.close = nd, nd
			}
		case domain.FieldStatus:
			last.status = domain.Status(e.New)
		}
		if day := buf[i+1]; last.latest.Before(day) {
			last.latest = day
		}
		buf = append(buf, c)
	}
	sd.Days, sd.closes, sd.last = buf[:n+1:n+1], buf[n+1:], last
	return buf
}

// Days gives the days of instants in the calendar's time zone, as Today.
func (c Calendar) Days() *domain.Days { return domain.NewDays(c.loc()) }

// Result is the slippage of the deals added, the team's and each rep's
// (by user id), as Slippage gives it.
func (sc *SlipCounter) Result() (Slip, []RepSlip) {
	out := make([]RepSlip, 0, len(sc.reps))
	for u, s := range sc.reps {
		s.finish()
		out = append(out, RepSlip{Rep: u, Slip: *s})
	}
	team := sc.team
	team.finish()
	slices.SortFunc(out, func(a, b RepSlip) int { return strings.Compare(string(a.Rep), string(b.Rep)) })
	return team, out
}

// sameUpdate reports whether two history entries of a deal were written by
// one update: the same version (entries from before history kept versions
// have 0) at the same instant.
func sameUpdate(a, b *domain.HistoryEntry) bool {
	return a.Version == b.Version && a.At.Equal(b.At)
}

func (s *Slip) finish() {
	slices.Sort(s.Deals)
	if s.ForecastAmount > 0 {
		s.RateBP = domain.ShareBP(s.SlippedAmount, s.ForecastAmount)
	}
}
