package report

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// LossKind names a breakdown of coaching.Losses.
type LossKind string

// The breakdowns, in the order a report shows them.
const (
	LossByStage      LossKind = "stage"
	LossByReason     LossKind = "reason"
	LossByRep        LossKind = "rep"
	LossByCompetitor LossKind = "competitor"
)

// LossGroup is one breakdown's rows; Stages, for LossByStage only, holds
// each row's leak cohort (same index).
type LossGroup struct {
	Kind   LossKind
	Rows   []coaching.LossRow
	Stages []coaching.Conversion
}

// LossGroups returns l's four breakdowns in report order.
func LossGroups(l coaching.Losses) []LossGroup {
	st := LossGroup{Kind: LossByStage}
	for _, s := range l.ByStage {
		st.Rows = append(st.Rows, s.LossRow)
		st.Stages = append(st.Stages, s.Cohort)
	}
	return []LossGroup{st, {Kind: LossByReason, Rows: l.ByReason}, {Kind: LossByRep, Rows: l.ByRep}, {Kind: LossByCompetitor, Rows: l.ByCompetitor}}
}

// Title is the group's column title (the first column's header).
func (g LossGroup) Title(loc i18n.Locale) string { return i18n.T(loc, "losses.col."+string(g.Kind)) }

// LossLabel is what a row's first cell says in loc: the stage, reason, user
// id or competitor, "no reason" and "unknown" for the rows without one, and
// a reason that is not configured marked so.
func LossLabel(loc i18n.Locale, k LossKind, r coaching.LossRow) string {
	switch {
	case k == LossByReason && r.Key == coaching.NoReason:
		return i18n.T(loc, "losses.no_reason")
	case k == LossByReason && !r.Listed:
		return i18n.T(loc, "losses.unlisted", r.Key)
	case k == LossByCompetitor && r.Key == coaching.UnknownCompetitor:
		return i18n.T(loc, "losses.unknown_competitor")
	}
	return r.Key
}

// LossCells are a row's figures as shown: deals, net amount, share of the
// deals, share of the net amount.
func LossCells(loc i18n.Locale, currency string, r coaching.LossRow) []string {
	return []string{strconv.Itoa(r.Deals), i18n.FormatAmount(loc, r.Amount, currency),
		i18n.FormatBP(loc, r.DealsBP), i18n.FormatBP(loc, r.AmountBP)}
}

// LossRate is a stage's cohort loss rate as shown: "16.67% (1 of 6)", "–"
// when no deal of its cohort has left it.
func LossRate(loc i18n.Locale, c coaching.Conversion) string {
	if c.Exits() == 0 {
		return "–"
	}
	return i18n.T(loc, "losses.loss_rate", i18n.FormatBP(loc, c.LossBP), c.Lost, c.Exits())
}

// LossColumns are the figures' column titles, after the group's own.
func LossColumns(loc i18n.Locale) []string {
	out := []string{}
	for _, k := range []string{"deals", "amount", "deals_share", "amount_share", "loss_rate"} {
		out = append(out, i18n.T(loc, "losses.col."+k))
	}
	return out
}

// WriteLossesTable draws l as one ASCII table per breakdown on w, with the
// stages' loss rates, numbers aligned right.
// A rep's row shows their display name beside the id when names has it.
func WriteLossesTable(w io.Writer, loc i18n.Locale, currency string, l coaching.Losses, names map[domain.UserID]string) error {
	for _, g := range LossGroups(l) {
		cols := LossColumns(loc)
		if g.Kind != LossByStage {
			cols = cols[:4]
		}
		t := newTable(w, 1+len(cols), 0)
		t.Header(append([]string{g.Title(loc)}, cols...))
		for i, r := range g.Rows {
			label := LossLabel(loc, g.Kind, r)
			if n := names[domain.UserID(r.Key)]; g.Kind == LossByRep && n != "" {
				label = n + " (" + r.Key + ")"
			}
			cells := append([]string{label}, LossCells(loc, currency, r)...)
			if g.Kind == LossByStage {
				cells = append(cells, LossRate(loc, g.Stages[i]))
			}
			if err := appendMono(t, cells); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	return nil
}

// WriteLossesCSV writes l as CSV with exact figures (amounts in minor units,
// shares and rates in basis points): one "total" row, then one row per
// breakdown row; the cohort columns are filled on stage rows only. "key"
// is the stage, reason, user id or competitor as stored, empty for no
// reason and an unknown competitor; "listed" says whether a reason (or a
// stage) is configured.
func WriteLossesCSV(w io.Writer, currency string, l coaching.Losses, names map[domain.UserID]string) error {
	cw := newSheetWriter(w)
	_ = cw.Write([]string{"from", "to", "currency", "breakdown", "key", "name", "listed", "deals", "amount", "deals_bp", "amount_bp",
		"cohort_entered", "cohort_advanced", "cohort_lost", "cohort_loss_bp"})
	from, to := l.Period.From.String(), l.Period.To.String()
	i := strconv.Itoa
	_ = cw.Write([]string{from, to, currency, "total", "", "", "", i(l.Deals), Units(l.Amount, currency), i(whole(l.Deals > 0)), i(whole(l.Amount > 0)), "", "", "", ""})
	for _, g := range LossGroups(l) {
		for k, r := range g.Rows {
			name := ""
			if g.Kind == LossByRep {
				name = names[domain.UserID(r.Key)]
			}
			row := []string{from, to, currency, string(g.Kind), r.Key, name, strconv.FormatBool(r.Listed), i(r.Deals), Units(r.Amount, currency),
				i(r.DealsBP), i(r.AmountBP), "", "", "", ""}
			if g.Kind == LossByStage {
				c := g.Stages[k]
				row[11], row[12], row[13], row[14] = i(c.Entered), i(c.Advanced), i(c.Lost), i(c.LossBP)
			}
			_ = cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// whole is the total row's share: all of it, or nothing when there is none.
func whole(some bool) int {
	if some {
		return 10_000
	}
	return 0
}

type jsonLossRow struct {
	Key      string      `json:"key"`
	Name     string      `json:"name,omitempty"` // a rep's display name, beside the id in key
	Listed   bool        `json:"listed"`
	Deals    int         `json:"deals"`
	Amount   json.Number `json:"amount"`
	DealsBP  int         `json:"deals_bp"`
	AmountBP int         `json:"amount_bp"`
}

type jsonStageRow struct {
	jsonLossRow
	Cohort struct {
		Entered  int `json:"entered"`
		Advanced int `json:"advanced"`
		Lost     int `json:"lost"`
		Open     int `json:"open"`
		LossBP   int `json:"loss_bp"`
	} `json:"cohort"`
}

// WriteLossesJSON writes l as one JSON object with exact figures: amounts
// in minor units of currency, shares and rates in basis points.
func WriteLossesJSON(w io.Writer, scope, currency string, l coaching.Losses, names map[domain.UserID]string) error {
	rows := func(rs []coaching.LossRow) []jsonLossRow {
		out := make([]jsonLossRow, len(rs))
		for i, r := range rs {
			out[i] = jsonLossRow{Key: r.Key, Listed: r.Listed, Deals: r.Deals, Amount: unitsJSON(r.Amount, currency), DealsBP: r.DealsBP, AmountBP: r.AmountBP}
		}
		return out
	}
	byRep := rows(l.ByRep)
	for i := range byRep {
		byRep[i].Name = names[domain.UserID(byRep[i].Key)]
	}
	out := struct {
		Scope        string         `json:"scope"`
		From         string         `json:"from"`
		To           string         `json:"to"`
		Currency     string         `json:"currency"`
		Deals        int            `json:"deals"`
		Amount       json.Number    `json:"amount"`
		ByStage      []jsonStageRow `json:"by_stage"`
		ByReason     []jsonLossRow  `json:"by_reason"`
		ByRep        []jsonLossRow  `json:"by_rep"`
		ByCompetitor []jsonLossRow  `json:"by_competitor"`
	}{Scope: scope, From: l.Period.From.String(), To: l.Period.To.String(), Currency: currency, Deals: l.Deals, Amount: unitsJSON(l.Amount, currency),
		ByStage: []jsonStageRow{}, ByReason: rows(l.ByReason), ByRep: byRep, ByCompetitor: rows(l.ByCompetitor)}
	for _, s := range l.ByStage {
		j := jsonStageRow{jsonLossRow: rows([]coaching.LossRow{s.LossRow})[0]}
		j.Cohort.Entered, j.Cohort.Advanced, j.Cohort.Lost, j.Cohort.Open, j.Cohort.LossBP = s.Cohort.Entered, s.Cohort.Advanced, s.Cohort.Lost, s.Cohort.Open, s.Cohort.LossBP
		out.ByStage = append(out.ByStage, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
