package export

import (
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
)

// hubSpotPipeline is the pipeline a HubSpot file names: HubSpot's import
// requires one per deal, and "Sales Pipeline" is the one every portal
// starts with.
const hubSpotPipeline = "Sales Pipeline"

// crmSet is the deals in the header set crm.ExportHeaders gives f, the
// columns that CRM's import maps by itself and `dealpilot import`
// recognises: one cell per header, in its order.
func crmSet(f crm.Format, stages domain.Stages) (columnSet, bool) {
	hs, ok := crm.ExportHeaders(f)
	if !ok {
		return columnSet{}, false
	}
	cols := make([]crm.Column, len(hs.Headers))
	for i, h := range hs.Headers {
		cols[i] = h.Column
	}
	return columnSet{names: hs.Names(), cells: func(d *domain.Deal, name func(domain.UserID) string) []Cell {
		row := make([]Cell, len(cols))
		for i, c := range cols {
			row[i] = crmCell(f, c, d, name, stages)
		}
		return row
	}}, true
}

// crmCell is deal d's value of column c in CRM f's file.
func crmCell(f crm.Format, c crm.Column, d *domain.Deal, name func(domain.UserID) string, stages domain.Stages) Cell {
	switch c {
	case crm.ColExternalID:
		// The CRM's own record id, when the deal came from that CRM: its
		// import then updates that record; else empty, a new record.
		return T(crm.IDFor(f, d.ExternalID))
	case crm.ColName:
		return T(d.Name)
	case crm.ColAccount:
		return T(d.Account)
	case crm.ColOwner:
		// The CRM matches its users by name (or email, which dealpilot
		// does not know); the id when Slack never named them.
		if n := name(d.Owner); n != "" {
			return T(n)
		}
		return T(string(d.Owner))
	case crm.ColAmount:
		// What the customer pays: the CRMs' deal amount is the deal's
		// value, and every dealpilot figure reads the net.
		return Amount(d.NetAmount(), d.Currency)
	case crm.ColCurrency:
		return T(d.Currency)
	case crm.ColStage:
		if s, ok := crm.ExportStage(f, d.Stage, d.Status); ok {
			return T(s)
		}
		return T(d.Stage)
	case crm.ColCategory:
		return T(crmCategory(f, d))
	case crm.ColCloseDate:
		return T(isoDate(d.CloseDate))
	case crm.ColProbability:
		return Int(int64(probability(d, stages)))
	case crm.ColNextStep:
		return T(d.NextStep)
	case crm.ColStatus:
		return T(crm.ExportStatus(d.Status))
	case crm.ColLossReason:
		return T(d.LossReason)
	case crm.ColPipeline:
		if f == crm.HubSpot {
			return T(hubSpotPipeline)
		}
		return T("")
	case crm.ColCreated:
		if d.CreatedAt.IsZero() || d.CreatedUnknown { // not the CRM's: a re-import keeps it unknown
			return T("")
		}
		return T(d.CreatedAt.UTC().Format("2006-01-02"))
	}
	return T("")
}

// crmCategory is the forecast category a CRM gives deal d: a closed deal
// is in the category the CRM gives closed deals (won: Salesforce's
// "Closed", HubSpot's "Closed won"; lost: out of the forecast), whatever
// category it had when it closed; an open one as crm.ExportCategory maps it.
func crmCategory(f crm.Format, d *domain.Deal) string {
	switch {
	case d.Status == domain.Won && f == crm.Salesforce:
		return "Closed"
	case d.Status == domain.Won && f == crm.HubSpot:
		return "Closed won"
	case d.Status == domain.Lost:
		return crm.ExportCategory(f, domain.Omitted)
	}
	return crm.ExportCategory(f, d.Category)
}

// probability is the deal's chance in percent: 100 won, 0 lost, else its
// stage's configured probability (0 for a stage no longer configured).
func probability(d *domain.Deal, stages domain.Stages) int {
	switch d.Status {
	case domain.Won:
		return 100
	case domain.Lost:
		return 0
	}
	if i := stages.Index(d.Stage); i >= 0 {
		return stages[i].Probability
	}
	return 0
}
