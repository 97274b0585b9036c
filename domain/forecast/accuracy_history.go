package forecast

import (
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// TrendPeriods is how many closed periods of a kind an accuracy trend
// follows.
const TrendPeriods = 4

// ClosedPeriods returns the last n periods of kind k closed before the one
// holding today, oldest first: the months (calendar months) or fiscal
// quarters an accuracy trend follows.
func (c Calendar) ClosedPeriods(k Kind, today domain.Date, n int) []Period {
	ps := make([]Period, n)
	p := c.Period(k, today)
	for i := n - 1; i >= 0; i-- {
		p = c.Prev(p)
		ps[i] = p
	}
	return ps
}

// Bias is what a rep's or a team's signed errors over a trend say about
// their calls.
type Bias int8

// Biases. BiasTolerance decides what counts as accurate.
const (
	BiasUnknown  Bias = iota // fewer than two periods with a call
	BiasAccurate             // every error within ±BiasTolerance
	BiasOver                 // over-caller: no error below zero, one at least +BiasTolerance
	BiasUnder                // sandbagger: no error above zero, one at least −BiasTolerance
	BiasMixed                // errors of both signs, one beyond the tolerance
)

// BiasTolerance is the error, in basis points, within which a call counts
// as accurate: 5%.
const BiasTolerance = 500

// String names the bias as catalogue keys do: "unknown", "accurate",
// "over", "under", "mixed".
func (b Bias) String() string {
	switch b {
	case BiasAccurate:
		return "accurate"
	case BiasOver:
		return "over"
	case BiasUnder:
		return "under"
	case BiasMixed:
		return "mixed"
	}
	return "unknown"
}

// BiasOf labels signed errors (basis points) of the periods that had a
// call: unknown with fewer than two; accurate when every one is strictly
// within ±BiasTolerance; an over-caller when none is negative, a
// sandbagger when none is positive (one at least beyond the tolerance, as
// it is not accurate); mixed otherwise.
func BiasOf(errs []int) Bias {
	if len(errs) < 2 {
		return BiasUnknown
	}
	accurate, neg, pos := true, false, false
	for _, e := range errs {
		if e <= -BiasTolerance || e >= BiasTolerance {
			accurate = false
		}
		neg = neg || e < 0
		pos = pos || e > 0
	}
	switch {
	case accurate:
		return BiasAccurate
	case !neg:
		return BiasOver
	case !pos:
		return BiasUnder
	}
	return BiasMixed
}

// AccuracyCell is a rep's or a team's accuracy in one closed period: what
// was won, and the start and M-1 points (nil when the period had no
// snapshot for them).
type AccuracyCell struct {
	Period    string
	Actual    int64
	Start, M1 *Accuracy
}

// AccuracyRow is a rep's or a team's accuracy period after period, and
// the bias of its calls at each point over those periods.
type AccuracyRow struct {
	User  domain.UserID // empty on team rows
	Team  string
	Cells []AccuracyCell // one per AccuracyHistory.Periods, in the same order
	// StartBias and M1Bias label the signed errors of the cells whose
	// point had a call (BiasOf).
	StartBias, M1Bias Bias
}

// Trend returns the row's signed errors at point (PointStart or PointM1),
// one per period, and whether each was measured (a point with a call that
// is not Unmeasurable: a call with nothing won says nothing of a bias).
func (r AccuracyRow) Trend(point string) (errs []int, measured []bool) {
	for _, c := range r.Cells {
		a := c.Start
		if point == PointM1 {
			a = c.M1
		}
		if a != nil && a.HasCall && !a.Unmeasurable {
			errs, measured = append(errs, a.ErrorBP), append(measured, true)
		} else {
			errs, measured = append(errs, 0), append(measured, false)
		}
	}
	return errs, measured
}

// AccuracyHistory is forecast accuracy over closed periods of one kind,
// oldest first, per rep and per team.
type AccuracyHistory struct {
	Kind    Kind
	Periods []string
	Reps    []AccuracyRow // in the order reps first appear in the reports
	Teams   []AccuracyRow
}

// Rep returns a rep's row.
func (h *AccuracyHistory) Rep(u domain.UserID) (AccuracyRow, bool) {
	for _, r := range h.Reps {
		if r.User == u {
			return r, true
		}
	}
	return AccuracyRow{}, false
}

// Team returns a team's row, by name in any case.
func (h *AccuracyHistory) Team(name string) (AccuracyRow, bool) {
	for _, r := range h.Teams {
		if strings.EqualFold(r.Team, name) {
			return r, true
		}
	}
	return AccuracyRow{}, false
}

// History lays reports of closed periods of kind k, given oldest first,
// side by side: one row per rep and per team, a cell per report (a rep
// absent from a report, who was not in the org then, gets a cell with
// nothing won and no point), and the bias of each row's calls.
func History(k Kind, reports []*AccuracyReport) *AccuracyHistory {
	h := &AccuracyHistory{Kind: k}
	type key struct {
		user domain.UserID
		team string
	}
	idx := map[key]int{}
	row := func(list *[]AccuracyRow, kk key, l AccuracyLine, i int) {
		j, ok := idx[kk]
		if !ok {
			j = len(*list)
			idx[kk] = j
			r := AccuracyRow{User: l.User, Team: l.Team, Cells: make([]AccuracyCell, len(reports))}
			for n, rp := range reports {
				r.Cells[n].Period = rp.Period
			}
			*list = append(*list, r)
		}
		c := &(*list)[j].Cells[i]
		c.Actual = l.Actual
		if a, ok := l.Point(PointStart); ok {
			c.Start = &a
		}
		if a, ok := l.Point(PointM1); ok {
			c.M1 = &a
		}
		if l.Team != "" {
			(*list)[j].Team = l.Team // the latest team a rep was in
		}
	}
	for i, r := range reports {
		h.Periods = append(h.Periods, r.Period)
		for _, l := range r.Reps {
			row(&h.Reps, key{user: l.User}, l, i)
		}
		for _, l := range r.Teams {
			row(&h.Teams, key{team: strings.ToLower(l.Team)}, l, i)
		}
	}
	for _, list := range [][]AccuracyRow{h.Reps, h.Teams} {
		for i := range list {
			list[i].StartBias = biasAt(list[i], PointStart)
			list[i].M1Bias = biasAt(list[i], PointM1)
		}
	}
	return h
}

func biasAt(r AccuracyRow, point string) Bias {
	errs, measured := r.Trend(point)
	var got []int
	for i, e := range errs {
		if measured[i] {
			got = append(got, e)
		}
	}
	return BiasOf(got)
}

// AccuracyHistory measures the last TrendPeriods periods of kind k closed
// before the one holding today (months are calendar months, quarters
// fiscal ones), oldest first, against what deals (as they are now) won in
// each, and lays them side by side (History). A period with neither a
// snapshot taken during it nor a call for it was not forecast: it is left
// out, so the trend may hold fewer periods, and none at all.
func (o *Org) AccuracyHistory(k Kind, today domain.Date, deals []*domain.Deal, calls []Call, snaps []Snapshot) *AccuracyHistory {
	var reports []*AccuracyReport
	for _, p := range o.cal.ClosedPeriods(k, today, TrendPeriods) {
		if !o.forecastIn(p, calls, snaps) {
			continue
		}
		reports = append(reports, o.Accuracy(p, o.Rollup(p, deals), calls, snaps))
	}
	return History(k, reports)
}

// forecastIn reports whether p has a snapshot taken during it or a call
// made for it before it ended.
func (o *Org) forecastIn(p Period, calls []Call, snaps []Snapshot) bool {
	for i := range snaps {
		if p.Contains(o.cal.Today(snaps[i].Taken)) {
			return true
		}
	}
	for _, c := range calls {
		if c.Period == p.Name && o.cal.Today(c.At).Before(p.End) {
			return true
		}
	}
	return false
}

// Leaning returns, among users in their order, those whose calls at the
// start over-call (BiasOver) and those who sandbag (BiasUnder) over the
// history's periods. A user without a row leans neither way.
func (h *AccuracyHistory) Leaning(users []domain.UserID) (over, under domain.UserList) {
	for _, u := range users {
		r, ok := h.Rep(u)
		switch {
		case !ok:
		case r.StartBias == BiasOver:
			over = append(over, u)
		case r.StartBias == BiasUnder:
			under = append(under, u)
		}
	}
	return over, under
}
