package report

import (
	"strings"

	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// The words of the forecast's headline and of the digest's accuracy line,
// shared by the transports (Slack's section fields, Teams' FactSet) so that
// both show the same figures.

// PhoneColumns are the columns of Columns a chat table shows: who, won,
// commit, best case, attainment and call, six columns a phone shows
// without scrolling far. The full ten are the report command's and the
// digest's CSV.
var PhoneColumns = []int{0, 1, 2, 3, 6, 9}

// Figures are a line's ten headline figures, label then value, in the
// order the digest and /forecast show them: amounts with their currency,
// "–" where a figure means nothing (no quota: no gap, attainment or
// coverage).
func Figures(loc i18n.Locale, currency string, l forecast.Line) [][2]string {
	money := func(v int64) string { return i18n.FormatAmount(loc, v, currency) }
	none := "–"
	quota, gap, att, cov := none, none, none, none
	if l.HasQuota {
		quota, gap = money(l.Quota), money(l.Gap)
	}
	if bp, ok := l.Attainment(); ok {
		att = i18n.FormatWholeBP(loc, bp)
	}
	if bp, ok := l.Coverage(); ok {
		cov = Coverage(loc, bp)
	}
	label := func(key string) string { return i18n.T(loc, key) }
	return [][2]string{
		{label("forecast.label.won"), money(l.Won)},
		{label("forecast.label.commit"), money(l.Commit)},
		{label("forecast.label.best_case"), money(l.BestCase)},
		{label("forecast.label.quota"), quota},
		{label("forecast.label.attainment"), att},
		{label("forecast.label.gap"), gap},
		{label("forecast.label.coverage"), cov},
		{label("forecast.label.pipeline"), money(l.Pipeline)},
		{label("forecast.label.weighted"), money(l.Weighted)},
		{label("forecast.label.upside"), money(l.Upside)},
	}
}

// AccuracyPoint is what the digest's accuracy line says of a point (the
// start or M-1 of the last closed quarter): the call and its signed error,
// and the bottom-up figure and its error; "not measured" twice when no
// snapshot was taken then.
func AccuracyPoint(loc i18n.Locale, currency string, p *forecast.Accuracy) (called, bottomUp string) {
	if p == nil {
		n := i18n.T(loc, "forecast.accuracy.no_point")
		return n, n
	}
	money := func(v int64) string { return i18n.FormatAmount(loc, v, currency) }
	called = i18n.T(loc, "forecast.none")
	switch {
	case p.Unmeasurable:
		called = PointError(loc, currency, *p)
	case p.HasCall:
		called = i18n.T(loc, "forecast.accuracy.point", money(p.Called), SignedPercent(loc, p.ErrorBP))
	}
	bu := i18n.T(loc, "forecast.accuracy.na")
	if !p.BottomUpUnmeasurable {
		bu = SignedPercent(loc, p.BottomUpErrorBP)
	}
	return called, i18n.T(loc, "forecast.accuracy.point", money(p.BottomUp), bu)
}

// AccuracyTrend is the call's error at the start of each period, oldest
// first ("2026-Q2 +13% → 2026-Q3 −8%"); "" for fewer than two periods.
func AccuracyTrend(loc i18n.Locale, trend []forecast.TrendPoint) string {
	if len(trend) < 2 {
		return ""
	}
	ps := make([]string, 0, len(trend))
	for _, p := range trend {
		v := "–"
		switch {
		case p.Unmeasurable:
			v = i18n.T(loc, "forecast.accuracy.na")
		case p.HasCall:
			v = SignedPercent(loc, p.ErrorBP)
		}
		ps = append(ps, p.Period+" "+v)
	}
	return strings.Join(ps, " → ")
}
