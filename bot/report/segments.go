package report

// KPIs by segment value (/pipeline segments, `dealpilot report segments`):
// the cells every transport and the CLI show, and the CSV and JSON with
// exact figures.

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

// segmentColumns are the column keys, in order, after the value's.
var segmentColumns = []string{"closed", "open", "win_rate", "avg_won", "cycle", "pipeline", "weighted", "discount", "retention", "losses"}

// SegmentColumns are the table's column titles, the value's first.
func SegmentColumns(loc i18n.Locale) []string {
	out := []string{i18n.T(loc, "segment.col.value")}
	for _, k := range segmentColumns {
		out = append(out, i18n.T(loc, "segment.col."+k))
	}
	return out
}

// SegmentLabel is a row's first cell: the value, "not set", a value no
// longer configured marked so, "All deals" for the total; "too few deals"
// after a value below the threshold.
func SegmentLabel(loc i18n.Locale, r segment.Row, total bool) string {
	var s string
	switch {
	case total:
		s = i18n.T(loc, "segment.total")
	case r.Value == segment.NotSet:
		s = i18n.T(loc, "segment.not_set")
	case !r.Listed:
		s = i18n.T(loc, "segment.unlisted", r.Value)
	default:
		s = r.Value
	}
	if r.TooFew && !total {
		s += " · " + i18n.T(loc, "segment.too_few")
	}
	return s
}

// SegmentCells are a row's figures as shown, after its label: won / lost,
// open deals in the pipeline, win rate, average won (net), median cycle,
// pipeline, weighted pipeline, average discount of the wins, GRR / NRR of
// the value's accounts, loss rate by stage; "–" where nothing was won or
// closed, or no account had recurring revenue at the start.
func SegmentCells(loc i18n.Locale, currency string, r segment.Row) []string {
	m := r.Metrics
	dash := "–"
	win, avg, cycle, discount := dash, dash, dash, dash
	if r.Closed() > 0 {
		win = i18n.FormatBP(loc, m.WinRateBP)
	}
	if m.Won > 0 {
		avg = i18n.FormatAmount(loc, m.AvgWonAmount, currency)
		cycle = Days(loc, m.CycleMedianDays)
		discount = i18n.FormatBP(loc, m.AvgDiscountBP)
	}
	kept := dash
	if f := r.Retention; f.HasStart {
		kept = i18n.FormatBP(loc, f.GRRBP) + " / " + i18n.FormatBP(loc, f.NRRBP)
	}
	return []string{strconv.Itoa(m.Won) + " / " + strconv.Itoa(m.Lost), strconv.Itoa(r.PipelineDeals), win, avg, cycle,
		i18n.FormatAmount(loc, r.Pipeline, currency), i18n.FormatAmount(loc, r.Weighted, currency), discount, kept, SegmentLosses(loc, r)}
}

// SegmentLosses is the loss rate of each stage with exits: "Qualification
// 23.08% · Discovery 20%", "–" when none.
func SegmentLosses(loc i18n.Locale, r segment.Row) string {
	var parts []string
	for _, c := range r.Metrics.Conversion {
		if c.Exits() > 0 {
			parts = append(parts, c.Stage+" "+i18n.FormatBP(loc, c.LossBP))
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " · ")
}

// SegmentFit is the fit sentence ("Fit deals win 58.33% in 50 days;
// others 44.44% in 45 days."), a side with too few deals marked; "" when
// there is no ICP (hasICP false).
func SegmentFit(loc i18n.Locale, t segment.Table, hasICP bool) []string {
	if !hasICP {
		return nil
	}
	side := func(g segment.Group) (string, string) {
		rate, days := "–", "–"
		if g.Closed() > 0 {
			rate = i18n.FormatBP(loc, g.WinRateBP)
		}
		if g.Won > 0 {
			days = Days(loc, g.CycleMedianDays)
		}
		if g.TooFew {
			rate = i18n.T(loc, "segment.fit.side_too_few", rate)
		}
		return rate, days
	}
	fr, fd := side(t.Fit.Fit)
	or, od := side(t.Fit.Others)
	out := []string{i18n.T(loc, "segment.fit", fr, fd, or, od)}
	if n := t.Fit.Unknown.Closed(); n > 0 {
		out = append(out, i18n.T(loc, "segment.fit.unknown", n))
	}
	return out
}

// SegmentRows are the table's rows: each value's, then the total.
func SegmentRows(loc i18n.Locale, currency string, t segment.Table) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		out = append(out, append([]string{SegmentLabel(loc, r, false)}, SegmentCells(loc, currency, r)...))
	}
	return append(out, append([]string{SegmentLabel(loc, t.Total, true)}, SegmentCells(loc, currency, t.Total)...))
}

// WriteSegmentsTable draws t as an ASCII table on w.
func WriteSegmentsTable(w io.Writer, loc i18n.Locale, currency string, t segment.Table) error {
	cols := SegmentColumns(loc)
	tab := newTable(w, len(cols), 0, len(cols)-1)
	tab.Header(cols)
	for _, row := range SegmentRows(loc, currency, t) {
		if err := appendMono(tab, row); err != nil {
			return err
		}
	}
	return tab.Render()
}

// segmentRecord is one row of the CSV and JSON: exact figures, amounts in
// minor units, rates in basis points; "value" empty with "kind" not_set
// for the deals without one, and the whole scope as kind total.
type segmentRecord struct {
	Attribute     string  `json:"attribute"`
	Kind          string  `json:"kind"` // value, unlisted, not_set, total
	Value         string  `json:"value"`
	From          string  `json:"from"`
	To            string  `json:"to"`
	Currency      string  `json:"currency"`
	Won           int     `json:"won"`
	Lost          int     `json:"lost"`
	WinRateBP     int     `json:"win_rate_bp"`
	AvgWon        int64   `json:"avg_won"`
	CycleMedian   float64 `json:"cycle_median_days"`
	Pipeline      int64   `json:"pipeline"`
	Weighted      int64   `json:"weighted"`
	PipelineDeals int     `json:"pipeline_deals"`
	DiscountBP    int     `json:"avg_discount_bp"`
	TooFew        bool    `json:"too_few"`
	// Retention of the value's accounts: GRR and NRR null when none had
	// recurring revenue at the start.
	Customers   int           `json:"customers"`
	StartingARR int64         `json:"starting_arr"`
	GRRBP       *int          `json:"grr_bp"`
	NRRBP       *int          `json:"nrr_bp"`
	Stages      []stageRecord `json:"stages"`
}

type stageRecord struct {
	Stage    string `json:"stage"`
	Entered  int    `json:"entered"`
	Advanced int    `json:"advanced"`
	Lost     int    `json:"lost"`
	LossBP   int    `json:"loss_bp"`
}

func segmentRecords(currency string, t segment.Table) []segmentRecord {
	rec := func(kind string, r segment.Row) segmentRecord {
		m := r.Metrics
		out := segmentRecord{Attribute: t.Attribute, Kind: kind, Value: r.Value, From: t.Period.From.String(), To: t.Period.To.String(),
			Currency: currency, Won: m.Won, Lost: m.Lost, WinRateBP: m.WinRateBP, AvgWon: m.AvgWonAmount, CycleMedian: m.CycleMedianDays,
			Pipeline: r.Pipeline, Weighted: r.Weighted, PipelineDeals: r.PipelineDeals, DiscountBP: m.AvgDiscountBP, TooFew: r.TooFew,
			Customers: r.Retention.Customers, StartingARR: r.Retention.Start, Stages: []stageRecord{}}
		if f := r.Retention; f.HasStart {
			out.GRRBP, out.NRRBP = &f.GRRBP, &f.NRRBP
		}
		for _, c := range m.Conversion {
			out.Stages = append(out.Stages, stageRecord{Stage: c.Stage, Entered: c.Entered, Advanced: c.Advanced, Lost: c.Lost, LossBP: c.LossBP})
		}
		return out
	}
	var out []segmentRecord
	for _, r := range t.Rows {
		kind := "value"
		switch {
		case r.Value == segment.NotSet:
			kind = "not_set"
		case !r.Listed:
			kind = "unlisted"
		}
		out = append(out, rec(kind, r))
	}
	total := rec("total", t.Total)
	total.TooFew = false
	return append(out, total)
}

// bp is a ratio's cell: empty when there is none.
func bp(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// WriteSegmentsCSV writes t's rows as CSV with exact figures; the loss
// rate of each stage is one column per stage ("loss_bp:<stage>").
func WriteSegmentsCSV(w io.Writer, currency string, t segment.Table) error {
	cw := newSheetWriter(w)
	recs := segmentRecords(currency, t)
	head := []string{"attribute", "kind", "value", "from", "to", "currency", "won", "lost", "win_rate_bp", "avg_won", "cycle_median_days",
		"pipeline", "weighted", "pipeline_deals", "avg_discount_bp", "too_few", "customers", "starting_arr", "grr_bp", "nrr_bp"}
	if len(recs) > 0 {
		for _, s := range recs[0].Stages {
			head = append(head, "loss_bp:"+s.Stage)
		}
	}
	_ = cw.Write(head)
	i := strconv.Itoa
	for _, r := range recs {
		row := []string{r.Attribute, r.Kind, r.Value, r.From, r.To, r.Currency, i(r.Won), i(r.Lost), i(r.WinRateBP),
			Units(r.AvgWon, currency), strconv.FormatFloat(r.CycleMedian, 'f', -1, 64), Units(r.Pipeline, currency), Units(r.Weighted, currency),
			i(r.PipelineDeals), i(r.DiscountBP), strconv.FormatBool(r.TooFew), i(r.Customers), Units(r.StartingARR, currency), bp(r.GRRBP), bp(r.NRRBP)}
		for _, s := range r.Stages {
			row = append(row, i(s.LossBP))
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// WriteSegmentsJSON writes t as JSON: the scope, the rows and the fit
// comparison, exact figures.
func WriteSegmentsJSON(w io.Writer, scope, currency string, t segment.Table, hasICP bool) error {
	type group struct {
		Won         int     `json:"won"`
		Lost        int     `json:"lost"`
		WinRateBP   int     `json:"win_rate_bp"`
		CycleMedian float64 `json:"cycle_median_days"`
		TooFew      bool    `json:"too_few"`
	}
	g := func(x segment.Group) group {
		return group{Won: x.Won, Lost: x.Lost, WinRateBP: x.WinRateBP, CycleMedian: x.CycleMedianDays, TooFew: x.TooFew}
	}
	out := struct {
		Scope string          `json:"scope"`
		Rows  []segmentRecord `json:"rows"`
		Fit   map[string]any  `json:"fit,omitempty"`
	}{Scope: scope, Rows: segmentRecords(currency, t)}
	if hasICP {
		out.Fit = map[string]any{"fit": g(t.Fit.Fit), "others": g(t.Fit.Others), "unknown": g(t.Fit.Unknown)}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
