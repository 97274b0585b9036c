package report

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/export"
	"github.com/dealpilot/dealpilot/i18n"
)

// Statement is one person's commission statement for a month, as payroll
// reads it (dealpilot report commissions).
type Statement struct {
	User  domain.UserID
	Month commission.Month
	// LeftOut are the deals credited to User won in the month in another
	// currency than the company's: not in any figure (there are no
	// exchange rates), listed so payroll pays them by hand.
	LeftOut []LeftOut
}

// LeftOut is a won deal a statement leaves out for its currency.
type LeftOut struct {
	Deal     domain.DealID
	Amount   int64 // the deal's net amount, minor units of Currency
	Currency string
}

// WriteCommissionsCSV writes one row per statement line, then the person's
// earned, draw advance, recovered, pay and owed rows: exact figures
// (amounts in units of currency as Units writes them, rates in basis
// points) and each line's rule in loc's words, so payroll and the rep read
// the same thing.
func WriteCommissionsCSV(w io.Writer, loc i18n.Locale, month, currency string, ss []Statement, names map[domain.UserID]string) error {
	cw := newSheetWriter(w)
	_ = cw.Write([]string{"month", "user", "name", "closed", "kind", "deal", "rule", "base", "rate_bp", "factor_bp", "split_bp", "amount", "currency"})
	i64 := func(v int64) string { return Units(v, currency) }
	for _, s := range ss {
		m := s.Month
		closed := strconv.FormatBool(m.Closed)
		row := func(kind, deal, rule string, base int64, rate, factor, split int, amount int64) {
			// A display name is whatever the person set on the platform:
			// a spreadsheet must not run it as a formula. (A rule starts
			// with the catalogue's own words, a SPIFF's name after them.)
			_ = cw.Write([]string{month, string(s.User), export.Neutralise(names[s.User]), closed, kind, deal, rule, i64(base),
				strconv.Itoa(rate), strconv.Itoa(factor), strconv.Itoa(split), i64(amount), currency})
		}
		for _, l := range m.Lines {
			deal := ""
			if l.Deal != 0 {
				deal = l.Deal.Ref()
			}
			row(string(l.Kind), deal, i18n.CommissionRule(loc, l, currency), l.Base, l.Rate, l.Factor, l.Split, l.Amount)
		}
		for _, lo := range s.LeftOut {
			row("other_currency", lo.Deal.Ref(), i18n.T(loc, "commission.rule.other_currency", i18n.FormatAmount(loc, lo.Amount, lo.Currency)), 0, 0, 0, 0, 0)
		}
		row("earned", "", "", 0, 0, 0, 0, m.Earned)
		row("draw_advance", "", "", m.Draw.Draw, 0, 0, 0, m.Draw.Advance)
		row("recovered", "", "", m.Draw.OwedBefore, 0, 0, 0, m.Draw.Recovered)
		row("pay", "", "", 0, 0, 0, 0, m.Draw.Pay)
		row("owed", "", "", 0, 0, 0, 0, m.Draw.OwedAfter)
	}
	cw.Flush()
	return cw.Error()
}

type jsonCommissionLine struct {
	Kind     string      `json:"kind"`
	Deal     string      `json:"deal,omitempty"`
	Rule     string      `json:"rule"`
	Base     json.Number `json:"base"`
	RateBP   int         `json:"rate_bp,omitempty"`
	FactorBP int         `json:"factor_bp,omitempty"`
	SplitBP  int         `json:"split_bp,omitempty"`
	Amount   json.Number `json:"amount"`
	Capped   json.Number `json:"capped,omitempty"`
}

type jsonStatement struct {
	User         string               `json:"user"`
	Name         string               `json:"name,omitempty"`
	Closed       bool                 `json:"closed"`
	Plan         string               `json:"plan,omitempty"`
	PlanPeriod   string               `json:"plan_period,omitempty"`
	Quota        json.Number          `json:"quota,omitempty"`
	Credit       json.Number          `json:"credit"`
	AttainmentBP int                  `json:"attainment_bp"`
	Lines        []jsonCommissionLine `json:"lines"`
	Earned       json.Number          `json:"earned"`
	Draw         json.Number          `json:"draw"`
	Advance      json.Number          `json:"draw_advance"`
	OwedBefore   json.Number          `json:"owed_before"`
	Recovered    json.Number          `json:"recovered"`
	Pay          json.Number          `json:"pay"`
	OwedAfter    json.Number          `json:"owed_after"`
}

// WriteCommissionsJSON writes the month's statements as one JSON document.
func WriteCommissionsJSON(w io.Writer, loc i18n.Locale, month, currency string, ss []Statement, names map[domain.UserID]string) error {
	doc := struct {
		Month      string          `json:"month"`
		Currency   string          `json:"currency"`
		Total      json.Number     `json:"pay_total"`
		Statements []jsonStatement `json:"statements"`
	}{Month: month, Currency: currency, Statements: []jsonStatement{}}
	u := func(v int64) json.Number { return unitsJSON(v, currency) }
	var total int64
	for _, s := range ss {
		m := s.Month
		js := jsonStatement{User: string(s.User), Name: names[s.User], Closed: m.Closed, Credit: u(m.Credit), AttainmentBP: m.Attainment(),
			Lines: []jsonCommissionLine{}, Earned: u(m.Earned), Draw: u(m.Draw.Draw), Advance: u(m.Draw.Advance), OwedBefore: u(m.Draw.OwedBefore),
			Recovered: u(m.Draw.Recovered), Pay: u(m.Draw.Pay), OwedAfter: u(m.Draw.OwedAfter)}
		if m.Term != nil {
			js.Plan, js.PlanPeriod = m.Term.Plan.Name, m.Term.Period.Name
			if m.Term.Quota > 0 {
				js.Quota = u(m.Term.Quota)
			}
		}
		for _, l := range m.Lines {
			jl := jsonCommissionLine{Kind: string(l.Kind), Rule: i18n.CommissionRule(loc, l, currency), Base: u(l.Base), RateBP: l.Rate,
				FactorBP: l.Factor, SplitBP: l.Split, Amount: u(l.Amount)}
			if l.Capped != 0 {
				jl.Capped = u(l.Capped)
			}
			if l.Deal != 0 {
				jl.Deal = l.Deal.Ref()
			}
			js.Lines = append(js.Lines, jl)
		}
		for _, lo := range s.LeftOut {
			js.Lines = append(js.Lines, jsonCommissionLine{Kind: "other_currency", Deal: lo.Deal.Ref(),
				Rule: i18n.T(loc, "commission.rule.other_currency", i18n.FormatAmount(loc, lo.Amount, lo.Currency)), Base: u(0), Amount: u(0)})
		}
		total += m.Draw.Pay
		doc.Statements = append(doc.Statements, js)
	}
	doc.Total = u(total)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
