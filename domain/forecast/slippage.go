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
}

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
	days := sd.Days
	if len(days) != len(sd.History)+1 {
		days = nil
	}
	if created := sd.day(days, 0, today); !created.Before(cut) {
		return
	}
	var close domain.Date
	status := domain.Open
	inForecast := false
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
			if nd, err := domain.ParseISODate(e.New); err == nil {
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
	look() // the state at the end (or now), and a period with no event in it
	if !inForecast {
		return
	}
	a := sc.reps[d.Owner]
	if a == nil {
		a = &Slip{}
		sc.reps[d.Owner] = a
	}
	slipped := status == domain.Open && !close.Before(p.End)
	for _, s := range [2]*Slip{&sc.team, a} {
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
// (c.Days()), reusing buf's memory; it returns the slice for the next call.
func (sd *SlipDeal) DaysOf(days *domain.Days, buf []domain.Date) []domain.Date {
	buf = append(buf[:0], days.Of(sd.Deal.CreatedAt))
	for i := range sd.History {
		buf = append(buf, days.Of(sd.History[i].At))
	}
	sd.Days = buf
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
