// Package report writes dealpilot's figures as text, with no platform
// markup: the forecast, /pipeline with each seller's row, its losses and
// forecast accuracy, as a table drawn with tablewriter (for a terminal),
// CSV (also attached to the digest) or JSON; and the words of the
// pipeline's figures, stage table, leak and trend lines, which bot/slack
// puts in its blocks. It is pure: figures in, text out, so the digest, the
// chat replies and the report command show the same figures the same way.
package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// Row is one line of a forecast table: a rep, a team or the company.
type Row struct {
	Label string // what the first column shows: a rep's name or number, a team
	// Name is the rep's display name as last seen from the platform, "" when
	// unknown or not a rep's row: written beside the id.
	Name string
	Line forecast.Line
	// Call is the commit of the call standing for the row, when there is one.
	Call    int64
	HasCall bool
}

// Columns are the table's columns, as catalogue keys.
var Columns = []string{"forecast.col.who", "forecast.col.won", "forecast.col.commit", "forecast.col.best_case",
	"forecast.col.pipeline", "forecast.col.quota", "forecast.col.attainment", "forecast.col.gap", "forecast.col.coverage", "forecast.col.call"}

// Cells returns a row's cells as the table shows them: amounts without
// currency sign (the header names it), ratios rounded to whole percents
// or tenths of "x", "–" where a figure means nothing.
func Cells(loc i18n.Locale, currency string, r Row) []string {
	l := r.Line
	money := func(v int64) string { return i18n.FormatMinor(loc, roundWhole(v, currency), currency) }
	att, cov, quota, gap, call := "–", "–", "–", "–", "–"
	if l.HasQuota {
		quota, gap = money(l.Quota), money(l.Gap)
	}
	if bp, ok := l.Attainment(); ok {
		att = i18n.FormatWholeBP(loc, bp)
	}
	if bp, ok := l.Coverage(); ok {
		cov = Coverage(loc, bp)
	}
	if r.HasCall {
		call = money(r.Call)
	}
	who := r.Label
	if r.Name != "" && l.User != "" && r.Label == string(l.User) {
		who = r.Name + " (" + string(l.User) + ")"
	}
	return []string{who, money(l.Won), money(l.Commit), money(l.BestCase), money(l.Pipeline), quota, att, gap, cov, call}
}

// Coverage writes a coverage ratio in basis points as "2.4x" ("2,4x" in French).
func Coverage(loc i18n.Locale, bp int) string {
	tenths := i18n.RoundBP(bp, 1000)
	s := strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
	if loc == i18n.FR {
		s = strconv.Itoa(tenths/10) + "," + strconv.Itoa(tenths%10)
	}
	return s + "x"
}

// roundWhole rounds minor units to whole currency units for the table,
// half away from zero: tables show whole amounts, exact figures live in
// CSV and JSON.
func roundWhole(minor int64, currency string) int64 {
	scale := int64(1)
	for range domain.CurrencyOf(currency).Exponent {
		scale *= 10
	}
	if scale == 1 {
		return minor
	}
	q, r := minor/scale, minor%scale
	if r >= scale/2 {
		q++
	} else if r <= -scale/2 {
		q--
	}
	return q * scale
}

// Header returns the localized column titles; the amounts' columns name
// the currency.
func Header(loc i18n.Locale, currency string) []string {
	h := make([]string, len(Columns))
	for i, k := range Columns {
		h[i] = i18n.T(loc, k)
	}
	if currency != "" {
		h[1] += " (" + currency + ")"
	}
	return h
}

// Table draws rows as an ASCII table, numbers aligned right.
func Table(loc i18n.Locale, currency string, rows []Row) string {
	var buf bytes.Buffer
	_ = WriteTable(&buf, loc, currency, rows)
	return buf.String()
}

// WriteTable draws rows as an ASCII table on w.
func WriteTable(w io.Writer, loc i18n.Locale, currency string, rows []Row) error {
	t := newTable(w, len(Columns), 0)
	t.Header(Header(loc, currency))
	for _, r := range rows {
		cells := Cells(loc, currency, r)
		if err := appendMono(t, cells); err != nil {
			return err
		}
	}
	return t.Render()
}

// Monospace makes a French figure safe in a fixed-width table: U+202F
// NARROW NO-BREAK SPACE (French thousands, before %) is narrower than a
// column in the fonts that draw it and missing from many monospace fonts
// (the fallback is narrower still), so the columns drift; U+00A0 NO-BREAK
// SPACE is in every monospace font at the width of a space and still never
// breaks. Proportional text (Slack's table block, messages) keeps U+202F.
func Monospace(s string) string {
	return strings.ReplaceAll(s, i18n.FrenchThousandsSep, "\u00a0")
}

// WriteCSV writes rows as CSV with exact figures: amounts in units of
// currency, written from the minor units ("74932.50"), beside it in its own
// column, and ratios in basis points, so a spreadsheet can recompute
// everything. "who" is the row's label (a person's name where the caller
// knows it, a team, the total), "user" the person's id and "name" their
// display name as last seen, empty on other rows.
func WriteCSV(w io.Writer, period, currency string, rows []Row) error {
	cw := newSheetWriter(w)
	_ = cw.Write([]string{"period", "who", "user", "name", "team", "currency", "won", "commit", "best_case", "upside", "pipeline", "weighted",
		"quota", "attainment_bp", "gap", "coverage_bp", "call_commit"})
	for _, r := range rows {
		l := r.Line
		i := func(v int64) string { return Units(v, currency) }
		quota, att, gap, cov, call := "", "", "", "", ""
		if l.HasQuota {
			quota, gap = i(l.Quota), i(l.Gap)
		}
		if bp, ok := l.Attainment(); ok {
			att = strconv.Itoa(bp)
		}
		if bp, ok := l.Coverage(); ok {
			cov = strconv.Itoa(bp)
		}
		if r.HasCall {
			call = i(r.Call)
		}
		name := ""
		if l.User != "" {
			name = r.Name
		}
		_ = cw.Write([]string{period, r.Label, string(l.User), name, l.Team, currency, i(l.Won), i(l.Commit), i(l.BestCase), i(l.Upside), i(l.Pipeline),
			i(l.Weighted), quota, att, gap, cov, call})
	}
	cw.Flush()
	return cw.Error()
}

// jsonRow is a row in JSON: exact figures, null where nothing applies;
// amounts are numbers of currency units written from the minor units.
type jsonRow struct {
	Who          string       `json:"who"`
	User         string       `json:"user,omitempty"`
	Name         string       `json:"name,omitempty"`
	Team         string       `json:"team,omitempty"`
	Won          json.Number  `json:"won"`
	Commit       json.Number  `json:"commit"`
	BestCase     json.Number  `json:"best_case"`
	Upside       json.Number  `json:"upside"`
	Pipeline     json.Number  `json:"pipeline"`
	Weighted     json.Number  `json:"weighted"`
	Quota        *json.Number `json:"quota"`
	AttainmentBP *int         `json:"attainment_bp"`
	Gap          *json.Number `json:"gap"`
	CoverageBP   *int         `json:"coverage_bp"`
	CallCommit   *json.Number `json:"call_commit"`
}

// WriteJSON writes rows as one JSON object: the period, the currency (every
// amount is a number of its units, exact: 74932.50) and the rows, each
// person's id beside their name.
func WriteJSON(w io.Writer, period, currency string, rows []Row) error {
	out := struct {
		Period   string    `json:"period"`
		Currency string    `json:"currency"`
		Rows     []jsonRow `json:"rows"`
	}{Period: period, Currency: currency, Rows: make([]jsonRow, len(rows))}
	u := func(v int64) json.Number { return unitsJSON(v, currency) }
	for k, r := range rows {
		l := r.Line
		j := jsonRow{Who: r.Label, User: string(l.User), Team: l.Team, Won: u(l.Won), Commit: u(l.Commit), BestCase: u(l.BestCase),
			Upside: u(l.Upside), Pipeline: u(l.Pipeline), Weighted: u(l.Weighted)}
		if l.User != "" {
			j.Name = r.Name
		}
		if l.HasQuota {
			j.Quota, j.Gap = unitsJSONPtr(l.Quota, currency), unitsJSONPtr(l.Gap, currency)
		}
		if bp, ok := l.Attainment(); ok {
			j.AttainmentBP = &bp
		}
		if bp, ok := l.Coverage(); ok {
			j.CoverageBP = &bp
		}
		if r.HasCall {
			j.CallCommit = unitsJSONPtr(r.Call, currency)
		}
		out.Rows[k] = j
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
