package forecast

import (
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Accuracy points besides the weeks.
const (
	PointStart = "start" // the first snapshot of the period
	// PointM1 is the first snapshot on or after M1Day: one month before
	// the end of a quarter or a year, one week before the end of a month
	// (a month's "one month before" would be its start).
	PointM1 = "M-1"
)

// M1Day is the first day of a period's M-1 point: for a quarter or a year
// the same day one month before its end, for a month seven days before its
// end (the call standing in the month's last week).
func M1Day(p Period) domain.Date {
	if p.Kind == Month {
		return p.End.AddDays(-7)
	}
	return domain.NewDate(p.End.Year, p.End.Month-1, p.End.Day)
}

// Accuracy compares, at one point of a period, what was forecast with what
// was won in the end.
type Accuracy struct {
	Point   string // PointStart, PointM1 or the snapshot's ISO week
	Week    string // the snapshot's ISO week
	Actual  int64  // won in the period, known once it closed
	Called  int64  // the commit of the call standing that week
	HasCall bool   // false when no call was made that week or before: Called and ErrorBP are 0
	// ErrorBP is the signed error (Called − Actual) ÷ Actual in basis
	// points, rounded half away from zero: positive when the call was above
	// what was won (an over-call), negative below it (sandbagging). When
	// nothing was won it is 0 for a call of 0; any other call cannot be
	// measured against nothing (Unmeasurable).
	ErrorBP int
	// Unmeasurable is true for a call above 0 in a period where nothing was
	// won: there is no error to divide (shown "n/a (called X, won 0)"),
	// ErrorBP is 0 and the point is kept out of the bias label.
	Unmeasurable    bool
	BottomUp        int64 // the commit the snapshot's deals added up to (Line.Commit)
	BottomUpErrorBP int   // (BottomUp − Actual) ÷ Actual, signed as ErrorBP
	// BottomUpUnmeasurable is true when nothing was won: the bottom-up is
	// no one's call, so it has no error to divide, whatever it added up to
	// (shown "n/a", written empty); BottomUpErrorBP is 0.
	BottomUpUnmeasurable bool
}

// AccuracyLine is a rep's or a team's accuracy over a closed period.
type AccuracyLine struct {
	User   domain.UserID // empty on team lines
	Team   string
	Actual int64
	// Points are the start and M-1 points, when there are snapshots for
	// them, then every snapshot week of the period, oldest first. The start
	// and M-1 points repeat the figures of their weeks.
	Points []Accuracy
}

// Point returns the accuracy at a point: PointStart, PointM1 or a week.
func (l AccuracyLine) Point(name string) (Accuracy, bool) {
	for _, a := range l.Points {
		if a.Point == name {
			return a, true
		}
	}
	return Accuracy{}, false
}

// AccuracyReport is the accuracy of a closed period, per rep and per team.
type AccuracyReport struct {
	Period string
	Reps   []AccuracyLine // in the order of the final rollup's Lines
	Teams  []AccuracyLine // in the org's order
}

// Accuracy measures the forecast of the closed period p against final, the
// rollup of p computed once it closed (its Won is what was actually won).
//
// The points are the snapshots taken during p (by the company's time zone),
// oldest first. At each, the called commit is that of the rep's (or the
// team's) call standing that week (see LatestCall) and the bottom-up commit
// is the snapshot's rollup. Snapshots from other periods are ignored, and
// so are calls made once the period was over (by the company's time zone):
// a call after the fact forecasts nothing.
func (o *Org) Accuracy(p Period, final *Rollup, calls []Call, snaps []Snapshot) *AccuracyReport {
	var in []*Snapshot
	for i := range snaps {
		if p.Contains(o.cal.Today(snaps[i].Taken)) {
			in = append(in, &snaps[i])
		}
	}
	slices.SortStableFunc(in, func(a, b *Snapshot) int { return a.Taken.Compare(b.Taken) })
	m1 := M1Day(p)
	start, atM1 := -1, -1
	if len(in) > 0 {
		start = 0
	}
	for k, s := range in {
		if !o.cal.Today(s.Taken).Before(m1) {
			atM1 = k
			break
		}
	}

	type bottomUp struct {
		reps  map[domain.UserID]int64
		teams map[string]int64
	}
	bus := make([]bottomUp, len(in))
	for k, s := range in {
		r := o.RollupSnapshot(p, s)
		bu := bottomUp{reps: map[domain.UserID]int64{}, teams: map[string]int64{}}
		for _, l := range r.Lines() {
			bu.reps[l.User] = l.Commit
		}
		for _, t := range r.Teams {
			bu.teams[strings.ToLower(t.Team.Name)] = t.Total.Commit
		}
		bus[k] = bu
	}

	// Calls of the period, grouped by whose they are.
	type who struct {
		user domain.UserID
		team string
	}
	byWho := map[who][]Call{}
	for _, c := range calls {
		if c.Period != p.Name || !o.cal.Today(c.At).Before(p.End) {
			continue
		}
		k := who{team: strings.ToLower(c.Team)}
		if c.Team == "" {
			k.user = c.User
		}
		byWho[k] = append(byWho[k], c)
	}

	line := func(k who, actual int64, user domain.UserID, team string, bu func(int) int64) AccuracyLine {
		l := AccuracyLine{User: user, Team: team, Actual: actual}
		weeks := make([]Accuracy, len(in))
		for i, s := range in {
			a := Accuracy{Point: s.Week, Week: s.Week, Actual: actual, BottomUp: bu(i)}
			if c, ok := LatestCall(byWho[k], k.user, k.team, p.Name, s.Week); ok {
				a.Called, a.HasCall = c.Commit, true
				if actual == 0 && c.Commit != 0 {
					a.Unmeasurable = true
				} else {
					a.ErrorBP = errorBP(c.Commit, actual)
				}
			}
			if actual == 0 {
				a.BottomUpUnmeasurable = true
			} else {
				a.BottomUpErrorBP = errorBP(a.BottomUp, actual)
			}
			weeks[i] = a
		}
		if start >= 0 {
			a := weeks[start]
			a.Point = PointStart
			l.Points = append(l.Points, a)
		}
		if atM1 >= 0 {
			a := weeks[atM1]
			a.Point = PointM1
			l.Points = append(l.Points, a)
		}
		l.Points = append(l.Points, weeks...)
		return l
	}

	rep := &AccuracyReport{Period: p.Name}
	for _, rl := range final.Lines() {
		u := rl.User
		rep.Reps = append(rep.Reps, line(who{user: u}, rl.Won, u, rl.Team, func(i int) int64 { return bus[i].reps[u] }))
	}
	for _, t := range final.Teams {
		name := strings.ToLower(t.Team.Name)
		rep.Teams = append(rep.Teams, line(who{team: name}, t.Total.Won, "", t.Team.Name, func(i int) int64 { return bus[i].teams[name] }))
	}
	return rep
}

// errorBP is the signed (forecast − actual) ÷ actual in basis points; 0
// when nothing was won (a call of 0 then; any other call and any bottom-up
// are unmeasurable there instead).
func errorBP(forecast, actual int64) int {
	if actual == 0 {
		return 0
	}
	return ratioBP(forecast-actual, actual)
}

// TrendPoint is one period's accuracy at a point.
type TrendPoint struct {
	Period string
	Accuracy
}

// Trend is how a rep's or a team's accuracy at one point went, period after
// period.
type Trend struct {
	User   domain.UserID // empty for a team
	Team   string
	Points []TrendPoint // in the order of the reports; periods without the point are left out
}

// AccuracyTrend follows the accuracy at point (PointStart, PointM1) across
// reports, given oldest first: one trend per rep, in the order reps first
// appear, then one per team.
func AccuracyTrend(reports []*AccuracyReport, point string) []Trend {
	type key struct {
		user domain.UserID
		team string
	}
	var reps, teams []Trend
	idx := map[key]int{}
	add := func(list *[]Trend, k key, l AccuracyLine, period string) {
		i, ok := idx[k]
		if !ok {
			i = len(*list)
			idx[k] = i
			*list = append(*list, Trend{User: l.User, Team: l.Team})
		}
		if a, ok := l.Point(point); ok {
			(*list)[i].Points = append((*list)[i].Points, TrendPoint{Period: period, Accuracy: a})
		}
	}
	for _, r := range reports {
		for _, l := range r.Reps {
			add(&reps, key{user: l.User}, l, r.Period)
		}
		for _, l := range r.Teams {
			add(&teams, key{team: strings.ToLower(l.Team)}, l, r.Period)
		}
	}
	return append(reps, teams...)
}
