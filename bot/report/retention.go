package report

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// RetentionRow is one scope's retention figures for the retention report.
type RetentionRow struct {
	Scope   string
	Figures retention.Figures
}

// retentionHeader is the CSV's columns: one row per scope, amounts in
// currency units, ratios in basis points (empty when there was no
// starting ARR to measure against).
var retentionHeader = []string{"scope", "from", "to", "currency", "customers", "starting_arr", "churn", "downgrades",
	"expansion", "grr_bp", "nrr_bp", "hollow_wins", "first_renewals", "median_days_to_first_renewal"}

// WriteRetentionCSV writes the rows as CSV, one line per scope.
func WriteRetentionCSV(w io.Writer, currency string, rows []RetentionRow) error {
	cw := newSheetWriter(w)
	if err := cw.Write(retentionHeader); err != nil {
		return err
	}
	for _, r := range rows {
		f := r.Figures
		grr, nrr := "", ""
		if f.HasStart {
			grr, nrr = strconv.Itoa(f.GRRBP), strconv.Itoa(f.NRRBP)
		}
		days := ""
		if f.Renewals > 0 {
			days = strconv.Itoa(f.RenewalDays)
		}
		err := cw.Write([]string{r.Scope, f.Period.From.String(), f.Period.To.String(), currency, strconv.Itoa(f.Customers),
			Units(f.Start, currency), Units(f.Churn, currency), Units(f.Downgrade, currency), Units(f.Expansion, currency),
			grr, nrr, strconv.Itoa(len(f.Hollow)), strconv.Itoa(f.Renewals), days})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type jsonHollow struct {
	Deal      string      `json:"deal"`
	Account   string      `json:"account"`
	Owner     string      `json:"owner"`
	Name      string      `json:"name,omitempty"`
	Won       string      `json:"won"`
	Churned   string      `json:"churned"`
	Days      int         `json:"days"`
	Recurring json.Number `json:"recurring"`
}

type jsonRetention struct {
	Scope       string       `json:"scope"`
	From        string       `json:"from"`
	To          string       `json:"to"`
	Currency    string       `json:"currency"`
	Customers   int          `json:"customers"`
	StartingARR json.Number  `json:"starting_arr"`
	Churn       json.Number  `json:"churn"`
	Downgrades  json.Number  `json:"downgrades"`
	Expansion   json.Number  `json:"expansion"`
	GRRBP       *int         `json:"grr_bp"`
	NRRBP       *int         `json:"nrr_bp"`
	HollowWins  []jsonHollow `json:"hollow_wins"`
	Renewals    int          `json:"first_renewals"`
	MedianDays  *int         `json:"median_days_to_first_renewal"`
}

// WriteRetentionJSON writes the rows as a JSON array, each scope with its
// hollow wins (names beside the owners' ids when known).
func WriteRetentionJSON(w io.Writer, currency string, rows []RetentionRow, names map[domain.UserID]string) error {
	out := make([]jsonRetention, 0, len(rows))
	for _, r := range rows {
		f := r.Figures
		j := jsonRetention{Scope: r.Scope, From: f.Period.From.String(), To: f.Period.To.String(), Currency: currency,
			Customers: f.Customers, StartingARR: unitsJSON(f.Start, currency), Churn: unitsJSON(f.Churn, currency),
			Downgrades: unitsJSON(f.Downgrade, currency), Expansion: unitsJSON(f.Expansion, currency),
			HollowWins: []jsonHollow{}, Renewals: f.Renewals}
		if f.HasStart {
			grr, nrr := f.GRRBP, f.NRRBP
			j.GRRBP, j.NRRBP = &grr, &nrr
		}
		if f.Renewals > 0 {
			d := f.RenewalDays
			j.MedianDays = &d
		}
		for _, h := range f.Hollow {
			j.HollowWins = append(j.HollowWins, jsonHollow{Deal: h.Deal.Ref(), Account: h.Account, Owner: string(h.Owner),
				Name: names[h.Owner], Won: h.Won.String(), Churned: h.Churned.String(), Days: h.Days, Recurring: unitsJSON(h.Recurring, currency)})
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
