package report

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// Pipeline is what `dealpilot report pipeline` writes: /pipeline's figures
// for a scope (a team or everyone) and each seller's, with the hollow-win
// scorecard and the trends. The bot fills it (bot.PipelineDetail.Sheet).
type Pipeline struct {
	Scope       string // "team France", "all teams"
	Currency    string
	Period      coaching.Period
	SlipPeriod  forecast.Period // the fiscal quarter whose slippage the rows hold
	SlipMonth   forecast.Period // the calendar month whose slippage the rows also hold
	Skipped     int             // the scope's deals in another currency, left out of every figure
	HollowWinBP int             // the discount above which a win is hollow
	Rows        []PipelineRow   // the scope first, then each seller by id
	// The trends of the scope: the comparison periods and the figures
	// with data (coaching.Trends).
	Compared     [2]coaching.Period
	SlipCompared [2]forecast.Period
	Trends       []coaching.Trend
}

// PipelineRow is the scope's or one seller's figures.
type PipelineRow struct {
	Who  string        // the scope's label, or the seller's name or id
	User domain.UserID // the seller; empty on the scope's row
	// Name is the seller's display name as the store keeps it (as the
	// platform last showed it), "" when unknown: written beside the id.
	Name     string
	Metrics  coaching.Metrics
	Slippage forecast.Slip // of SlipPeriod
	// SlippageMonth is the slippage of SlipMonth.
	SlippageMonth forecast.Slip
	Hollow        coaching.Scorecard
}

// The row kinds of the CSV ("row" column).
const (
	rowScope = "scope"
	rowRep   = "rep"
	rowStage = "stage"
	rowTrend = "trend"
)

// PipelineColumns are the CSV's columns, in order, by group; the JSON uses
// the same names. README's reports section documents each group: a
// column's meaning never changes, new columns are added at the end of
// their group's place only in a new version noted there.
var PipelineColumns = []string{
	// where: every row
	"period_from", "period_to", "currency", "scope", "row", "who", "user", "name",
	// wins: scope and rep rows
	"won", "lost", "win_rate_bp", "won_amount", "avg_won_amount", "cycle_median_days", "cycle_mean_days", "avg_discount_bp",
	"cycle_deals", // since issue 19: the wins the cycle is of (an import without creation dates has none)
	// open deals and hygiene: scope and rep rows; open and open_amount on stage rows too
	"open", "open_amount", "stalled", "healthy", "hygiene_bp", "missing_criteria", "overdue_next_steps", "past_close_dates",
	// leak: scope and rep rows
	"leak_stage", "leak_enough",
	// slippage: scope and rep rows
	"slip_period", "slip_forecast", "slip_forecast_amount", "slipped", "slipped_amount", "slip_rate_bp", "slipped_deals",
	// slippage of the calendar month: scope and rep rows
	"slip_month", "slip_month_forecast", "slip_month_forecast_amount", "slip_month_slipped", "slip_month_slipped_amount",
	"slip_month_rate_bp", "slip_month_deals",
	// hollow wins: scope and rep rows
	"hollow_level_bp", "hollow_discount_amount", "hollow_terms_amount", "hollow_unqualified_amount", "hollow_any_amount",
	"hollow_discount_bp", "hollow_terms_bp", "hollow_unqualified_bp", "hollow_any_bp",
	// stages: stage rows (stage also on conversion trend rows)
	"stage", "cohort_entered", "cohort_advanced", "cohort_lost", "cohort_open", "conversion_bp", "cohort_loss_bp",
	// trends: trend rows
	"figure", "now", "previous", "last_year", "now_period", "previous_period", "last_year_period",
	// the scope's deals in another currency than `currency`, left out of every figure: scope row
	"skipped_other_currency",
}

// pipelineRecord is one CSV line or JSON object by column name; a value
// is an int, int64 (an amount in minor units, written in currency units by
// inUnits), json.Number (such an amount written), float64, bool, string,
// []string or nil (nothing applies).
type pipelineRecord map[string]any

// whoRecord is the scope's or a seller's figures.
func (p Pipeline) whoRecord(kind string, r PipelineRow) pipelineRecord {
	m, s, h := r.Metrics, r.Slippage, r.Hollow
	var open int64
	for _, st := range m.PerStage {
		open += st.Amount
	}
	leak, enough := m.Leak()
	var leakStage any
	if leak >= 0 {
		leakStage = m.Conversion[leak].Stage
	}
	refs := func(ids []domain.DealID) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id.Ref()
		}
		return out
	}
	sm := r.SlippageMonth
	return pipelineRecord{
		"row": kind, "who": r.Who, "user": string(r.User), "name": r.Name,
		"won": m.Won, "lost": m.Lost, "win_rate_bp": m.WinRateBP, "won_amount": m.WonAmount, "avg_won_amount": m.AvgWonAmount,
		"cycle_median_days": m.CycleMedianDays, "cycle_mean_days": m.CycleMeanDays, "avg_discount_bp": m.AvgDiscountBP, "cycle_deals": m.Cycles,
		"open": m.Open, "open_amount": open, "stalled": m.Stalled, "healthy": m.Healthy, "hygiene_bp": m.HygieneBP,
		"missing_criteria": m.MissingCriteria, "overdue_next_steps": m.OverdueNextSteps, "past_close_dates": m.PastCloseDates,
		"leak_stage": leakStage, "leak_enough": enough,
		"slip_period": p.SlipPeriod.Name, "slip_forecast": s.Forecast, "slip_forecast_amount": s.ForecastAmount,
		"slipped": s.Slipped, "slipped_amount": s.SlippedAmount, "slip_rate_bp": s.RateBP, "slipped_deals": refs(s.Deals),
		"slip_month": p.SlipMonth.Name, "slip_month_forecast": sm.Forecast, "slip_month_forecast_amount": sm.ForecastAmount,
		"slip_month_slipped": sm.Slipped, "slip_month_slipped_amount": sm.SlippedAmount, "slip_month_rate_bp": sm.RateBP,
		"slip_month_deals": refs(sm.Deals),
		"hollow_level_bp":  p.HollowWinBP, "hollow_discount_amount": h.Discount, "hollow_terms_amount": h.Terms,
		"hollow_unqualified_amount": h.Unqualified, "hollow_any_amount": h.Any, "hollow_discount_bp": h.DiscountBP,
		"hollow_terms_bp": h.TermsBP, "hollow_unqualified_bp": h.UnqualifiedBP, "hollow_any_bp": h.AnyBP,
	}
}

// stageRecords are a row's stages: the cohort that entered each over the
// period and the deals open in it now.
func stageRecords(r PipelineRow) []pipelineRecord {
	m := r.Metrics
	out := make([]pipelineRecord, len(m.Conversion))
	for i, c := range m.Conversion {
		var open int
		var amount int64
		if i < len(m.PerStage) {
			open, amount = m.PerStage[i].Deals, m.PerStage[i].Amount
		}
		out[i] = pipelineRecord{"row": rowStage, "who": r.Who, "user": string(r.User), "name": r.Name, "stage": c.Stage,
			"cohort_entered": c.Entered, "cohort_advanced": c.Advanced, "cohort_lost": c.Lost, "cohort_open": c.Open,
			"conversion_bp": c.RateBP, "cohort_loss_bp": c.LossBP, "open": open, "open_amount": amount}
	}
	return out
}

// interval writes a period as ISO 8601 does: "2026-09-07/2026-12-05".
func interval(p coaching.Period) string { return p.From.String() + "/" + p.To.String() }

// trendRecords are the scope's trends: a figure's value now, in the
// previous period and a year ago (nil without data), in basis points,
// currency units (avg_won) or days (cycle), and the periods compared.
func (p Pipeline) trendRecords() []pipelineRecord {
	out := make([]pipelineRecord, 0, len(p.Trends))
	for _, t := range p.Trends {
		periods := [3]string{interval(p.Period), interval(p.Compared[0]), interval(p.Compared[1])}
		if t.Figure == coaching.FigureSlippage {
			periods = [3]string{p.SlipPeriod.Name, p.SlipCompared[0].Name, p.SlipCompared[1].Name}
		}
		var v [3]any
		for i, pt := range t.Points {
			switch {
			case !pt.Has:
			case t.Figure == coaching.FigureAvgWon:
				v[i] = pt.Amount
			case t.Figure == coaching.FigureCycle:
				v[i] = pt.Days
			default:
				v[i] = pt.BP
			}
		}
		r := pipelineRecord{"row": rowTrend, "who": p.Scope, "figure": string(t.Figure), "now": v[coaching.Now],
			"previous": v[coaching.Previous], "last_year": v[coaching.LastYear],
			"now_period": periods[0], "previous_period": periods[1], "last_year_period": periods[2]}
		if t.Figure == coaching.FigureConversion {
			r["stage"] = t.Stage
		}
		out = append(out, r)
	}
	return p.inUnits(out)
}

// inUnits writes every amount of recs (each int64: minor units of
// p.Currency) as a decimal number of currency units, exactly (Units).
func (p Pipeline) inUnits(recs []pipelineRecord) []pipelineRecord {
	for _, r := range recs {
		for k, v := range r {
			if minor, ok := v.(int64); ok {
				r[k] = unitsJSON(minor, p.Currency)
			}
		}
	}
	return recs
}

// records are every line of the report in CSV order: the scope, its
// stages, each seller and their stages, then the trends.
func (p Pipeline) records() []pipelineRecord {
	var out []pipelineRecord
	for i, r := range p.Rows {
		kind := rowRep
		if i == 0 {
			kind = rowScope
		}
		rec := p.whoRecord(kind, r)
		if i == 0 {
			rec["skipped_other_currency"] = p.Skipped
		}
		out = append(out, rec)
		out = append(out, stageRecords(r)...)
	}
	out = append(p.inUnits(out), p.trendRecords()...)
	for _, r := range out {
		r["period_from"], r["period_to"], r["currency"], r["scope"] = p.Period.From.String(), p.Period.To.String(), p.Currency, p.Scope
	}
	return out
}

// cell writes a value as the CSV holds it: numbers as they are (amounts in
// currency units, days with as many decimals as they have), booleans
// true/false, lists joined by a space, nothing as an empty cell. An amount
// still in minor units (int64) has no cell: records write each in units.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(x)
	case json.Number:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, " ")
	case string:
		return x
	}
	panic("report: no CSV cell for a value of this type")
}

// WritePipelineCSV writes p as CSV (PipelineColumns) with exact figures:
// amounts in units of the currency column written from the minor units
// ("74932.50"), rates in basis points,
// days as computed. The "row" column says what a line is: the scope, a
// seller (rep), a stage of the line above's who, or a trend.
func WritePipelineCSV(w io.Writer, p Pipeline) error {
	cw := newSheetWriter(w)
	_ = cw.Write(PipelineColumns)
	for _, r := range p.records() {
		line := make([]string, len(PipelineColumns))
		for i, c := range PipelineColumns {
			line[i] = cell(r[c])
		}
		_ = cw.Write(line)
	}
	cw.Flush()
	return cw.Error()
}

// WritePipelineJSON writes p as one JSON object with the CSV's names and
// exact figures: the period, scope and currency once, "rows" (the scope,
// then each seller, each with its "stages") and "trends"; null where
// nothing applies.
func WritePipelineJSON(w io.Writer, p Pipeline) error {
	strip := func(r pipelineRecord) pipelineRecord {
		for _, k := range []string{"period_from", "period_to", "currency", "scope"} {
			delete(r, k)
		}
		return r
	}
	keep := func(r pipelineRecord, group []string) pipelineRecord {
		out := pipelineRecord{}
		for _, k := range group {
			out[k] = r[k]
		}
		return out
	}
	rows := make([]pipelineRecord, 0, len(p.Rows))
	for _, r := range p.records() {
		switch r["row"] {
		case rowScope, rowRep:
			r["stages"] = []pipelineRecord{}
			rows = append(rows, strip(r))
		case rowStage:
			last := rows[len(rows)-1]
			last["stages"] = append(last["stages"].([]pipelineRecord), keep(r, stageColumns))
		}
	}
	trends := []pipelineRecord{}
	for _, r := range p.trendRecords() {
		trends = append(trends, keep(r, trendColumns))
	}
	out := map[string]any{"period_from": p.Period.From.String(), "period_to": p.Period.To.String(), "currency": p.Currency,
		"scope": p.Scope, "rows": rows, "trends": trends}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// The JSON's stage and trend objects hold these columns.
var (
	stageColumns = []string{"stage", "cohort_entered", "cohort_advanced", "cohort_lost", "cohort_open", "conversion_bp", "cohort_loss_bp", "open", "open_amount"}
	trendColumns = []string{"figure", "stage", "now", "previous", "last_year", "now_period", "previous_period", "last_year_period"}
)

// WritePipelineReps draws each seller's figures as an ASCII table: won and
// lost, hygiene and its three causes, slippage, hollow wins.
func WritePipelineReps(w io.Writer, loc i18n.Locale, p Pipeline) error {
	if len(p.Rows) == 0 {
		return nil
	}
	col := func(k string) string { return i18n.T(loc, "report.pipeline.col."+k) }
	head := []string{col("seller"), col("won_lost"), col("win_rate"), col("won_amount"), col("hygiene"),
		col("overdue"), col("past_close"), col("missing"), col("slipped"), col("slippage"), col("hollow")}
	t := newTable(w, len(head), 0)
	t.Header(head)
	pc := func(bp int) string { return i18n.FormatBP(loc, bp) }
	money := func(v int64) string { return i18n.FormatAmount(loc, v, p.Currency) }
	for _, r := range p.Rows {
		m, s, h := r.Metrics, r.Slippage, r.Hollow
		// A rate without a denominator is "–", never a 0 that reads as a figure.
		hygiene, slip, hollow := "–", "–", "–"
		if m.Open > 0 {
			hygiene = pc(m.HygieneBP)
		}
		if s.ForecastAmount > 0 {
			slip = pc(s.RateBP)
		}
		if h.Won > 0 {
			hollow = pc(h.AnyBP)
		}
		who := r.Who
		if r.Name != "" && r.User != "" { // the name beside the id, as report forecast writes it
			who = r.Name + " (" + string(r.User) + ")"
		}
		cells := []string{who, strconv.Itoa(m.Won) + " / " + strconv.Itoa(m.Lost), pc(m.WinRateBP), money(m.WonAmount),
			hygiene, strconv.Itoa(m.OverdueNextSteps), strconv.Itoa(m.PastCloseDates), strconv.Itoa(m.MissingCriteria),
			strconv.Itoa(s.Slipped) + " / " + strconv.Itoa(s.Forecast) + " · " + money(s.SlippedAmount), slip, hollow}
		if err := appendMono(t, cells); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := io.WriteString(w, i18n.T(loc, "report.pipeline.reps_rule", p.SlipPeriod.Name, i18n.FormatBP(loc, p.HollowWinBP))+"\n")
	return err
}
