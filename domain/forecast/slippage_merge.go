package forecast

import "github.com/dealpilot/dealpilot/domain"

// UseDays makes sc work out days with d, which must give them in the
// calendar's time zone: the counters of one count share one.
func (sc *SlipCounter) UseDays(d *domain.Days) { sc.days = d }

// Size is about how many bytes sc holds: its slipped deals and reps.
func (sc *SlipCounter) Size() int {
	n := 256 + cap(sc.team.Deals)*8
	for _, s := range sc.reps {
		n += 128 + cap(s.Deals)*8
	}
	return n
}

// Merge adds what part counted to sc, as if sc had been given part's deals:
// both count the same period judged on the same day (SlipCount with the
// same period and a now of the same day). part is not changed and may be
// merged into other counters.
func (sc *SlipCounter) Merge(part *SlipCounter) {
	sc.team.add(&part.team)
	if sc.teamOnly {
		return
	}
	for u, s := range part.reps {
		a := sc.reps[u]
		if a == nil {
			a = &Slip{}
			sc.reps[u] = a
		}
		a.add(s)
	}
}

// add adds b's counts and slipped deals to s (RateBP is finish's).
func (s *Slip) add(b *Slip) {
	s.Forecast += b.Forecast
	s.Slipped += b.Slipped
	s.ForecastAmount += b.ForecastAmount
	s.SlippedAmount += b.SlippedAmount
	s.Deals = append(s.Deals, b.Deals...)
}
