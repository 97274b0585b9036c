package coaching

import "github.com/dealpilot/dealpilot/domain"

// Comparisons returns the two periods a period is compared with: the
// previous period of the same length (the same number of days, ending the
// day before p starts, whatever fiscal year it falls in) and the same
// period last year (YearBefore of each end).
func Comparisons(p Period) (previous, lastYear Period) {
	n := p.From.DaysUntil(p.To) + 1
	previous = Period{From: p.From.AddDays(-n), To: p.To.AddDays(-n)}
	lastYear = Period{From: YearBefore(p.From), To: YearBefore(p.To)}
	return previous, lastYear
}

// YearBefore is the same day a year earlier. The last day of a month maps
// to the last day of that month a year earlier, so a month (or a quarter,
// or a year) maps to a whole month: 29 February 2028 → 28 February 2027, and
// 28 February 2029 → 29 February 2028.
func YearBefore(d domain.Date) domain.Date {
	if d.AddDays(1).Month != d.Month { // the last day of its month
		return domain.NewDate(d.Year-1, d.Month+1, 0)
	}
	return domain.NewDate(d.Year-1, d.Month, d.Day)
}

// Figure names a KPI a trend compares.
type Figure string

// The figures of a trend, in display order (conversion once per stage).
const (
	FigureWinRate    Figure = "win_rate"   // Metrics.WinRateBP; data: a deal won or lost in the period
	FigureAvgWon     Figure = "avg_won"    // Metrics.AvgWonAmount (net); data: a deal won in the period
	FigureCycle      Figure = "cycle"      // Metrics.CycleMedianDays; data: a deal won in the period with a known cycle
	FigureConversion Figure = "conversion" // Conversion.RateBP of Stage; data: a deal entered the stage in the period
	FigureSlippage   Figure = "slippage"   // the forecast period's slippage rate by value; data: a deal was forecast in it
)

// Point is a figure's value in one period. Has is false when the period has
// no data for the figure (see the Figure constants): the value is then
// meaningless, not zero, and is never shown.
type Point struct {
	Has    bool
	BP     int     // rates
	Amount int64   // FigureAvgWon, minor units
	Days   float64 // FigureCycle
}

// Trend is one figure in the asked period (Points[Now]) beside the
// previous period of the same length (Points[Previous]) and the same
// period last year (Points[LastYear]).
type Trend struct {
	Figure Figure
	Stage  string // FigureConversion only
	Points [3]Point
}

// Indexes of Trend.Points.
const (
	Now = iota
	Previous
	LastYear
)

// SlipRate is one forecast period's slippage as Trends reads it (from
// forecast.Slip, which this package may not import).
type SlipRate struct {
	ForecastAmount int64 // the period's forecast by value; 0: nothing was forecast, no data
	RateBP         int
}

// Trends compares the metrics of the asked period (ms[Now]) with those of
// its comparison periods (ms[Previous], ms[LastYear], see Comparisons), and
// the slippage of the matching forecast periods (slips, same indexes).
//
// A figure is listed only when the asked period has data for it and at
// least one comparison period has too; a comparison without data has
// Has false. So a manager never reads a zero that only means "nothing
// happened then". Conversion is listed per stage, in stage order; slippage
// last.
func Trends(ms [3]Metrics, slips [3]SlipRate) []Trend {
	var out []Trend
	add := func(t Trend) {
		if t.Points[Now].Has && (t.Points[Previous].Has || t.Points[LastYear].Has) {
			out = append(out, t)
		}
	}
	var win, avg, cyc, slip Trend
	win.Figure, avg.Figure, cyc.Figure, slip.Figure = FigureWinRate, FigureAvgWon, FigureCycle, FigureSlippage
	for i, m := range ms {
		win.Points[i] = Point{Has: m.Won+m.Lost > 0, BP: m.WinRateBP}
		avg.Points[i] = Point{Has: m.Won > 0, Amount: m.AvgWonAmount}
		cyc.Points[i] = Point{Has: m.Cycles > 0, Days: m.CycleMedianDays}
		slip.Points[i] = Point{Has: slips[i].ForecastAmount > 0, BP: slips[i].RateBP}
	}
	add(win)
	add(avg)
	add(cyc)
	for st, c := range ms[Now].Conversion {
		t := Trend{Figure: FigureConversion, Stage: c.Stage}
		for i, m := range ms {
			if st < len(m.Conversion) && m.Conversion[st].Entered > 0 {
				t.Points[i] = Point{Has: true, BP: m.Conversion[st].RateBP}
			}
		}
		add(t)
	}
	add(slip)
	return out
}
