package report

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// AccuracyRow is one line of an accuracy table: a rep or a team, period
// after period.
type AccuracyRow struct {
	Label string // a rep's name or id, a team
	// Name is the rep's display name as the store keeps it (as the platform
	// last showed it), "" when unknown or not a rep's row: beside the id.
	Name string
	Row  forecast.AccuracyRow
}

// SignedPercent writes a signed error in basis points as a whole percent
// with its sign, rounded half away from zero: "+12%", "−3%" (U+2212 MINUS
// SIGN), "0%"; "+12 %" in French.
func SignedPercent(loc i18n.Locale, bp int) string {
	p := i18n.RoundBP(bp, 100)
	switch {
	case p > 0:
		return "+" + i18n.FormatPercent(loc, p)
	case p < 0:
		return "\u2212" + i18n.FormatPercent(loc, -p)
	}
	return i18n.FormatPercent(loc, 0)
}

// AccuracyHeader is the table's header: who, one column per period, then
// the bias at the start and at M-1.
func AccuracyHeader(loc i18n.Locale, periods []string) []string {
	h := []string{i18n.T(loc, "forecast.col.who")}
	h = append(h, periods...)
	return append(h, i18n.T(loc, "forecast.accuracy.col.bias_start"), i18n.T(loc, "forecast.accuracy.col.bias_m1"))
}

// AccuracyCells are a row's cells: per period the call's signed error at
// the start and at M-1 ("+20% / +5%"; "–" where no call stood), then the
// two bias labels.
func AccuracyCells(loc i18n.Locale, currency string, r AccuracyRow) []string {
	point := func(a *forecast.Accuracy) string {
		if a == nil || !a.HasCall {
			return "–"
		}
		return PointError(loc, currency, *a)
	}
	label := r.Label
	if r.Name != "" && r.Row.User != "" { // the name beside the id, as report forecast writes it
		label = r.Name + " (" + string(r.Row.User) + ")"
	}
	cells := []string{label}
	for _, c := range r.Row.Cells {
		cells = append(cells, point(c.Start)+" / "+point(c.M1))
	}
	return append(cells, Bias(loc, r.Row.StartBias), Bias(loc, r.Row.M1Bias))
}

// PointError is a point's call error: its signed percent, or "n/a (called
// €40,000, won 0)" when nothing was won (Accuracy.Unmeasurable).
func PointError(loc i18n.Locale, currency string, a forecast.Accuracy) string {
	if a.Unmeasurable {
		return i18n.T(loc, "forecast.accuracy.unmeasurable", i18n.FormatAmount(loc, a.Called, currency))
	}
	return SignedPercent(loc, a.ErrorBP)
}

// Bias names a bias: "over-caller", "sandbagger", "accurate", "mixed",
// or "–" when there is too little to say.
func Bias(loc i18n.Locale, b forecast.Bias) string {
	if b == forecast.BiasUnknown {
		return "–"
	}
	return i18n.T(loc, "forecast.accuracy.bias."+b.String())
}

// WriteAccuracyTable draws the rows as an ASCII table on w.
func WriteAccuracyTable(w io.Writer, loc i18n.Locale, currency string, periods []string, rows []AccuracyRow) error {
	head := AccuracyHeader(loc, periods)
	t := newTable(w, len(head), 0, len(head)-2, len(head)-1)
	t.Header(head)
	for _, r := range rows {
		cells := AccuracyCells(loc, currency, r)
		if err := appendMono(t, cells); err != nil {
			return err
		}
	}
	return t.Render()
}

// WriteAccuracyCSV writes one line per row, period and point with exact
// figures: amounts in units of currency written from the minor units
// ("74932.50"), beside it in its own column, errors in signed basis points,
// empty where nothing was measured (no call, or a call with nothing won: its
// called amount is written, its error left empty; with nothing won the
// bottom-up's error is empty too); a rep's display name beside the id.
func WriteAccuracyCSV(w io.Writer, kind forecast.Kind, currency string, rows []AccuracyRow) error {
	cw := newSheetWriter(w)
	_ = cw.Write([]string{"kind", "period", "who", "user", "name", "team", "currency", "point", "week", "won", "called", "error_bp",
		"bottom_up", "bottom_up_error_bp", "bias"})
	i := func(v int64) string { return Units(v, currency) }
	for _, r := range rows {
		for _, c := range r.Row.Cells {
			for _, p := range []struct {
				name string
				a    *forecast.Accuracy
				bias forecast.Bias
			}{{forecast.PointStart, c.Start, r.Row.StartBias}, {forecast.PointM1, c.M1, r.Row.M1Bias}} {
				name := ""
				if r.Row.User != "" {
					name = r.Name
				}
				rec := []string{kind.String(), c.Period, r.Label, string(r.Row.User), name, r.Row.Team, currency, p.name, "", i(c.Actual),
					"", "", "", "", p.bias.String()}
				if a := p.a; a != nil {
					rec[8], rec[12] = a.Week, i(a.BottomUp)
					if !a.BottomUpUnmeasurable {
						rec[13] = strconv.Itoa(a.BottomUpErrorBP)
					}
					if a.HasCall {
						rec[10] = i(a.Called)
						if !a.Unmeasurable {
							rec[11] = strconv.Itoa(a.ErrorBP)
						}
					}
				}
				_ = cw.Write(rec)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonPoint is a point in JSON: null figures where nothing was measured; a
// call with nothing won has its called amount and a null error, and so has
// the bottom-up (a null bottom_up_error_bp); amounts are
// numbers of currency units written from the minor units.
type jsonPoint struct {
	Week            string       `json:"week"`
	Called          *json.Number `json:"called"`
	ErrorBP         *int         `json:"error_bp"`
	BottomUp        json.Number  `json:"bottom_up"`
	BottomUpErrorBP *int         `json:"bottom_up_error_bp"`
}

type jsonCell struct {
	Period string      `json:"period"`
	Won    json.Number `json:"won"`
	Start  *jsonPoint  `json:"start"`
	M1     *jsonPoint  `json:"m1"`
}

type jsonAccuracyRow struct {
	Who       string     `json:"who"`
	User      string     `json:"user,omitempty"`
	Name      string     `json:"name,omitempty"` // the rep's display name, beside the id in user
	Team      string     `json:"team,omitempty"`
	Periods   []jsonCell `json:"periods"`
	BiasStart string     `json:"bias_start"`
	BiasM1    string     `json:"bias_m1"`
}

// WriteAccuracyJSON writes the rows as one JSON object: the kind of
// period, the currency (every amount is a number of its units, exact:
// 74932.50), the periods oldest first and the rows, each rep's id beside
// their name.
func WriteAccuracyJSON(w io.Writer, kind forecast.Kind, currency string, periods []string, rows []AccuracyRow) error {
	out := struct {
		Kind     string            `json:"kind"`
		Currency string            `json:"currency"`
		Periods  []string          `json:"periods"`
		Rows     []jsonAccuracyRow `json:"rows"`
	}{Kind: kind.String(), Currency: currency, Periods: periods, Rows: make([]jsonAccuracyRow, len(rows))}
	if out.Periods == nil {
		out.Periods = []string{}
	}
	point := func(a *forecast.Accuracy) *jsonPoint {
		if a == nil {
			return nil
		}
		p := &jsonPoint{Week: a.Week, BottomUp: unitsJSON(a.BottomUp, currency)}
		if !a.BottomUpUnmeasurable {
			bu := a.BottomUpErrorBP
			p.BottomUpErrorBP = &bu
		}
		if a.HasCall {
			e := a.ErrorBP
			p.Called = unitsJSONPtr(a.Called, currency)
			if !a.Unmeasurable {
				p.ErrorBP = &e
			}
		}
		return p
	}
	for k, r := range rows {
		j := jsonAccuracyRow{Who: r.Label, User: string(r.Row.User), Team: r.Row.Team, Periods: []jsonCell{},
			BiasStart: r.Row.StartBias.String(), BiasM1: r.Row.M1Bias.String()}
		if r.Row.User != "" {
			j.Name = r.Name
		}
		for _, c := range r.Row.Cells {
			j.Periods = append(j.Periods, jsonCell{Period: c.Period, Won: unitsJSON(c.Actual, currency), Start: point(c.Start), M1: point(c.M1)})
		}
		out.Rows[k] = j
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
