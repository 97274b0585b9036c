package coaching_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// spec is a deal for the trend and scorecard tests: created in its first
// stage at steps[0], moved through the others, closed (end) at endAt, then
// reopened at reopen; tweak changes the deal last. Times are "2006-01-02" (10:00 UTC) or
// "2006-01-02 15:04" UTC.
type spec struct {
	id     domain.DealID
	owner  domain.UserID
	eur    int64
	steps  [][2]string // {at, stage}
	end    domain.Status
	endAt  string
	reopen string
	disc   coaching.DiscountInfo
	later  []domain.HistoryEntry // extra entries (At and Field set; By is the owner)
	tweak  func(*domain.Deal)
}

func when(t testing.TB, s string) time.Time {
	t.Helper()
	if len(s) == len("2006-01-02") {
		s += " 10:00"
	}
	return at(t, s)
}

// build turns specs into the rules' input, in UTC, with the default
// settings; every deal is fully qualified unless tweak says otherwise.
func build(t testing.TB, specs ...spec) coaching.Input {
	t.Helper()
	s := coaching.DefaultSettings()
	in := coaching.Input{Settings: s}
	for _, sp := range specs {
		created := when(t, sp.steps[0][0])
		d := &domain.Deal{
			ID: sp.id, Name: sp.id.Ref(), Account: "Account " + sp.id.Ref(), Owner: sp.owner,
			Amount: sp.eur * 100, Currency: "EUR", Stage: sp.steps[len(sp.steps)-1][1], Category: domain.Pipeline,
			CloseDate: domain.DateOf(created).AddDays(60), Need: "need", DecisionMakers: "CFO", Budget: "yes", Timeline: "Q2", Risk: "none",
			NextStep: "Follow up", NextStepDue: domain.DateOf(created).AddDays(7), Status: domain.Open,
			CreatedAt: created, CreatedBy: sp.owner, UpdatedAt: created, Discount: sp.disc.ApprovedBP,
		}
		h := []domain.HistoryEntry{
			change(d.ID, created, domain.FieldStage, "", sp.steps[0][1]),
			change(d.ID, created, domain.FieldStatus, "", string(domain.Open)),
		}
		for i := 1; i < len(sp.steps); i++ {
			h = append(h, change(d.ID, when(t, sp.steps[i][0]), domain.FieldStage, sp.steps[i-1][1], sp.steps[i][1]))
		}
		if sp.end != "" {
			h = append(h, change(d.ID, when(t, sp.endAt), domain.FieldStatus, string(domain.Open), string(sp.end)))
			d.Status, d.UpdatedAt = sp.end, when(t, sp.endAt)
			if sp.end == domain.Lost {
				d.LossReason = "price"
			}
		}
		if sp.reopen != "" {
			h = append(h, change(d.ID, when(t, sp.reopen), domain.FieldStatus, string(sp.end), string(domain.Open)))
			d.Status, d.LossReason, d.UpdatedAt = domain.Open, "", when(t, sp.reopen)
		}
		h = append(h, sp.later...)
		if sp.tweak != nil {
			sp.tweak(d)
		}
		for i := range h {
			h[i].Deal, h[i].By = d.ID, d.Owner
		}
		sortHistory(h)
		in.Deals = append(in.Deals, coaching.DealInput{Deal: d, History: h, Discount: sp.disc})
	}
	return in
}

func sortHistory(h []domain.HistoryEntry) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].At.Before(h[j-1].At); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

func period(t testing.TB, from, to string) coaching.Period {
	t.Helper()
	return coaching.Period{From: date(t, from), To: date(t, to)}
}

func TestYearBefore(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"OrdinaryDay", "2027-03-15", "2026-03-15"},
		{"LeapDay", "2028-02-29", "2027-02-28"},
		{"DayBeforeLeapDay", "2028-02-28", "2027-02-28"},
		{"EndOfFebruaryIntoLeapYear", "2029-02-28", "2028-02-29"},
		{"MarchFirstAfterLeapYear", "2029-03-01", "2028-03-01"},
		{"EndOfMonth", "2027-04-30", "2026-04-30"},
		{"NewYearsDay", "2027-01-01", "2026-01-01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := coaching.YearBefore(date(t, c.in)); got != date(t, c.want) {
				t.Errorf("YearBefore(%s) = %s, want %s", c.in, got, c.want)
			}
		})
	}
}

func TestComparisons(t *testing.T) {
	for _, c := range []struct {
		name        string
		p, prev, ly [2]string
	}{
		{"NinetyDays", [2]string{"2026-09-07", "2026-12-05"}, [2]string{"2026-06-09", "2026-09-06"}, [2]string{"2025-09-07", "2025-12-05"}},
		// The previous period straddles the fiscal (and calendar) year.
		{"QuarterToDateInJanuary", [2]string{"2027-01-01", "2027-01-20"}, [2]string{"2026-12-12", "2026-12-31"}, [2]string{"2026-01-01", "2026-01-20"}},
		{"WholeQuarter", [2]string{"2027-01-01", "2027-03-31"}, [2]string{"2026-10-03", "2026-12-31"}, [2]string{"2026-01-01", "2026-03-31"}},
		// Last year's February had 29 days: the month maps to the month.
		{"FebruaryAfterLeapYear", [2]string{"2029-02-01", "2029-02-28"}, [2]string{"2029-01-04", "2029-01-31"}, [2]string{"2028-02-01", "2028-02-29"}},
		{"LeapFebruary", [2]string{"2028-02-01", "2028-02-29"}, [2]string{"2028-01-03", "2028-01-31"}, [2]string{"2027-02-01", "2027-02-28"}},
		{"OneDay", [2]string{"2027-03-01", "2027-03-01"}, [2]string{"2027-02-28", "2027-02-28"}, [2]string{"2026-03-01", "2026-03-01"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev, ly := coaching.Comparisons(period(t, c.p[0], c.p[1]))
			if want := period(t, c.prev[0], c.prev[1]); prev != want {
				t.Errorf("previous = %v, want %v", prev, want)
			}
			if want := period(t, c.ly[0], c.ly[1]); ly != want {
				t.Errorf("last year = %v, want %v", ly, want)
			}
		})
	}
}

// TestKPIsOver: the comparison periods come out of the same pass, each with
// its own closed deals and cohorts, and a comparison's cohort is followed
// only until its period's end.
func TestKPIsOver(t *testing.T) {
	cur := period(t, "2027-01-01", "2027-03-31")
	prev, ly := coaching.Comparisons(cur) // 2026-10-03…12-31, 2026-01-01…03-31
	now := at(t, "2027-03-31 18:00")

	t.Run("NoDeals", func(t *testing.T) {
		rs := coaching.KPIsOver(build(t), cur, []coaching.Period{prev, ly}, now)
		if len(rs) != 3 {
			t.Fatalf("%d reports, want 3", len(rs))
		}
		for i, r := range rs {
			if r.Team.Won+r.Team.Lost != 0 || r.Team.Conversion[0].Entered != 0 || len(r.Reps) != 0 {
				t.Errorf("report %d = %+v, want empty", i, r.Team)
			}
		}
		if got := coaching.Trends([3]coaching.Metrics{rs[0].Team, rs[1].Team, rs[2].Team}, [3]coaching.SlipRate{}); len(got) != 0 {
			t.Errorf("trends of nothing = %+v", got)
		}
	})

	t.Run("WonInOnePeriodCreatedInThePrevious", func(t *testing.T) {
		// D1 is created in Qualification on 2026-12-01 (previous period),
		// moves to Discovery on 2027-01-10 and is won on 2027-02-01.
		in := build(t, spec{id: 1, owner: anna, eur: 10_000, steps: [][2]string{{"2026-12-01", "Qualification"}, {"2027-01-10", "Discovery"}},
			end: domain.Won, endAt: "2027-02-01"})
		rs := coaching.KPIsOver(in, cur, []coaching.Period{prev, ly}, now)
		c, p := rs[0].Team, rs[1].Team
		if c.Won != 1 || c.CycleMedianDays != 62 || c.WonAmount != 1_000_000 {
			t.Errorf("current: won %d cycle %v amount %d, want 1, 62 (12-01 → 02-01), 1,000,000", c.Won, c.CycleMedianDays, c.WonAmount)
		}
		if p.Won != 0 || p.Lost != 0 {
			t.Errorf("previous: won %d lost %d, want nothing closed", p.Won, p.Lost)
		}
		// The previous period's Qualification cohort is followed until
		// 12-31: D1 had not moved on then, so it is open there, not advanced.
		if q := p.Conversion[0]; q.Entered != 1 || q.Advanced != 0 || q.Open != 1 {
			t.Errorf("previous Qualification = %+v, want entered 1, open 1", q)
		}
		// The current period's Discovery cohort is followed until now: won.
		if d := c.Conversion[1]; d.Entered != 1 || d.Advanced != 1 || c.Conversion[0].Entered != 0 {
			t.Errorf("current conversion = %+v", c.Conversion)
		}
		// The asked period alone is what KPIs gives.
		if k := coaching.KPIs(in, cur, now); !reflect.DeepEqual(k, rs[0]) {
			t.Errorf("KPIs = %+v\nKPIsOver[0] = %+v", k, rs[0])
		}
	})

	t.Run("LostAtThePeriodsEndReopenedSince", func(t *testing.T) {
		// Lost on 12-20 (previous period), reopened 01-15 and won 02-10 from
		// Demo: lost in the previous cohort, advanced in the current one.
		in := build(t, spec{id: 2, owner: bruno, eur: 5_000, steps: [][2]string{{"2026-11-02", "Demo"}, {"2027-01-20", "Proposal"}},
			end: domain.Lost, endAt: "2026-12-20", reopen: "2027-01-15",
			later: []domain.HistoryEntry{{At: when(t, "2027-02-10"), Field: domain.FieldStatus, Old: "open", New: "won"}},
			tweak: func(d *domain.Deal) { d.Status, d.UpdatedAt = domain.Won, when(t, "2027-02-10") }})
		rs := coaching.KPIsOver(in, cur, []coaching.Period{prev, ly}, now)
		if de := rs[1].Team.Conversion[2]; de.Entered != 1 || de.Lost != 1 || de.LossBP != 10_000 {
			t.Errorf("previous Demo = %+v, want lost there", de)
		}
		// Its last close is the win of 02-10: won in the current period only.
		if rs[1].Team.Lost != 0 || rs[0].Team.Won != 1 {
			t.Errorf("closed: previous lost %d, current won %d", rs[1].Team.Lost, rs[0].Team.Won)
		}
	})

	// An imported deal has no status entry: it closed at its last update.
	t.Run("ClosedWithoutStatusEntry", func(t *testing.T) {
		in := build(t, spec{id: 4, owner: anna, eur: 5_000, steps: [][2]string{{"2026-11-02", "Demo"}}})
		d := in.Deals[0].Deal
		d.Status, d.LossReason, d.UpdatedAt = domain.Lost, "price", when(t, "2026-12-01")
		in.Deals[0].History = in.Deals[0].History[:1] // the stage entry only
		rs := coaching.KPIsOver(in, cur, []coaching.Period{prev}, now)
		if de := rs[1].Team.Conversion[2]; de.Entered != 1 || de.Lost != 1 {
			t.Errorf("previous Demo = %+v, want lost there (closed 12-01, before the period's end)", de)
		}
	})

	t.Run("SnapshotOnlyInTheAskedPeriod", func(t *testing.T) {
		in := build(t, spec{id: 3, owner: anna, eur: 7_000, steps: [][2]string{{"2026-11-02", "Qualification"}}})
		rs := coaching.KPIsOver(in, cur, []coaching.Period{prev}, now)
		if rs[0].Team.Open != 1 || rs[1].Team.Open != 0 || len(rs[1].Team.Talks) != 0 {
			t.Errorf("open: asked %d, previous %d", rs[0].Team.Open, rs[1].Team.Open)
		}
	})
}

func TestTrends(t *testing.T) {
	full := coaching.Metrics{Won: 2, Lost: 2, WinRateBP: 5000, AvgWonAmount: 1_500_000, Cycles: 2, CycleMedianDays: 19, Conversion: conv([3]int{4, 2, 5000}, [3]int{0, 0, 0})}
	prev := coaching.Metrics{Won: 1, Lost: 3, WinRateBP: 2500, AvgWonAmount: 1_000_000, Cycles: 1, CycleMedianDays: 28, Conversion: conv([3]int{2, 2, 10000}, [3]int{3, 1, 3333})}
	onlyLost := coaching.Metrics{Lost: 2, Conversion: conv([3]int{0, 0, 0}, [3]int{0, 0, 0})}
	none := coaching.Metrics{Conversion: conv([3]int{0, 0, 0}, [3]int{0, 0, 0})}
	slip := coaching.SlipRate{ForecastAmount: 100, RateBP: 1200}
	noSlip := coaching.SlipRate{}
	p := func(bp int) coaching.Point { return coaching.Point{Has: true, BP: bp} }
	for _, c := range []struct {
		name  string
		ms    [3]coaching.Metrics
		slips [3]coaching.SlipRate
		want  []coaching.Trend
	}{
		{"NothingToCompareWith", [3]coaching.Metrics{full, none, none}, [3]coaching.SlipRate{slip, noSlip, noSlip}, nil},
		{"NothingNow", [3]coaching.Metrics{none, full, full}, [3]coaching.SlipRate{noSlip, slip, slip}, nil},
		{"PreviousOnly", [3]coaching.Metrics{full, prev, none}, [3]coaching.SlipRate{slip, {ForecastAmount: 50, RateBP: 0}, noSlip}, []coaching.Trend{
			{Figure: coaching.FigureWinRate, Points: [3]coaching.Point{p(5000), p(2500), {}}},
			{Figure: coaching.FigureAvgWon, Points: [3]coaching.Point{{Has: true, Amount: 1_500_000}, {Has: true, Amount: 1_000_000}, {}}},
			{Figure: coaching.FigureCycle, Points: [3]coaching.Point{{Has: true, Days: 19}, {Has: true, Days: 28}, {}}},
			{Figure: coaching.FigureConversion, Stage: "Qualification", Points: [3]coaching.Point{p(5000), p(10000), {}}},
			// Nothing slipped of a forecast is a real 0 %.
			{Figure: coaching.FigureSlippage, Points: [3]coaching.Point{p(1200), p(0), {}}},
		}},
		// Last year lost deals but won none: its win rate is a real 0 %,
		// its average deal and cycle do not exist.
		{"LastYearOnlyLosses", [3]coaching.Metrics{full, none, onlyLost}, [3]coaching.SlipRate{slip, noSlip, noSlip}, []coaching.Trend{
			{Figure: coaching.FigureWinRate, Points: [3]coaching.Point{p(5000), {}, p(0)}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := coaching.Trends(c.ms, c.slips)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("trends =\n%+v\nwant\n%+v", got, c.want)
			}
		})
	}
}
