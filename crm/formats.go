package crm

import (
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// This file is the one place that knows each CRM's export columns and default
// stages. Import recognises a file by them; export writes them. Header names
// are those the CRMs' documentation and export screens show (HubSpot's
// property labels in English and French, Salesforce's report column labels and
// Data Loader's API field names, Pipedrive's "Deal - …" export labels).

// Format names a CRM whose deal exports dealpilot reads and writes. The
// values are interface: `dealpilot export --for hubspot|salesforce|pipedrive`.
type Format string

// Known formats. Generic is a file read through a mapping file.
const (
	HubSpot    Format = "hubspot"
	Salesforce Format = "salesforce"
	Pipedrive  Format = "pipedrive"
	Generic    Format = "generic"
	// Dealpilot is dealpilot's own deal export (`dealpilot export`
	// without --for): every field, for a spreadsheet or another file.
	Dealpilot Format = "dealpilot"
)

// Formats lists the CRM formats, in the order help texts name them.
var Formats = []Format{HubSpot, Salesforce, Pipedrive}

// Column is what a column means to dealpilot, whatever the CRM calls it. The
// values are interface too: a generic mapping file names them.
type Column string

// Columns dealpilot reads from (and writes to) a CRM file.
const (
	ColExternalID  Column = "external_id" // the CRM's own record id
	ColName        Column = "name"
	ColAccount     Column = "account"
	ColOwner       Column = "owner" // email, name or CRM user id
	ColAmount      Column = "amount"
	ColCurrency    Column = "currency"
	ColStage       Column = "stage"
	ColCategory    Column = "category" // forecast category
	ColCloseDate   Column = "close_date"
	ColProbability Column = "probability"
	ColNextStep    Column = "next_step"
	ColStatus      Column = "status" // open / won / lost, when the CRM has a column for it
	ColLossReason  Column = "loss_reason"
	ColPipeline    Column = "pipeline"
	ColCreated     Column = "created"

	// Columns only dealpilot's own export has: the deal's ref and the
	// fields no CRM keeps.
	ColRef            Column = "ref" // "D-12"
	ColNextStepDue    Column = "next_step_due"
	ColNeed           Column = "need"
	ColDecisionMakers Column = "decision_makers"
	ColBudget         Column = "budget"
	ColTimeline       Column = "timeline"
	ColRisk           Column = "risk"
	ColCompetitor     Column = "competitor"
	// The contract and who is credited (issue 20): type, term in months,
	// ARR, and splits in history's form ("U1:6000;U2:4000;U3:1000:overlay").
	ColType      Column = "type"
	ColTerm      Column = "term_months"
	ColRecurring Column = "recurring"
	ColSplits    Column = "splits"
)

// AllColumns lists every column meaning, in the order a generic file or a
// spreadsheet export writes them.
var AllColumns = []Column{
	ColExternalID, ColName, ColAccount, ColOwner, ColAmount, ColCurrency, ColStage, ColCategory,
	ColCloseDate, ColProbability, ColNextStep, ColStatus, ColLossReason, ColPipeline, ColCreated,
	ColRef, ColNextStepDue, ColNeed, ColDecisionMakers, ColBudget, ColTimeline, ColRisk, ColCompetitor,
	ColType, ColTerm, ColRecurring, ColSplits,
}

// Header is one column of a CRM's export: its meaning and the header text the
// CRM writes. Aliases are other texts seen for the same column (older export
// screens, relationship columns); readers accept them, writers use Name.
type Header struct {
	Column  Column
	Name    string
	Aliases []string
}

// HeaderSet is one dialect of one CRM's deal export: HubSpot in English or in
// French, a Salesforce opportunity report or a Data Loader export, Pipedrive.
type HeaderSet struct {
	ID      string // "hubspot-en", "salesforce-report", …; shown in the import report
	Format  Format
	Lang    string   // "en", "fr": the language of the headers (and of the CRM's stage names)
	Headers []Header // in the order the CRM writes them
	// Required are the columns whose headers must all be present for a file
	// to be recognised as this set.
	Required []Column
	// Attrs are, in a mapping file's set alone, the header of each segment
	// attribute's column by attribute name (attr.<name>: header).
	Attrs map[string]string
}

// Has reports whether the set has a header for c.
func (s HeaderSet) Has(c Column) bool {
	_, ok := s.Header(c)
	return ok
}

// Header returns the set's header for c.
func (s HeaderSet) Header(c Column) (Header, bool) {
	for _, h := range s.Headers {
		if h.Column == c {
			return h, true
		}
	}
	return Header{}, false
}

// Names returns the header texts in order, as an export's first row.
func (s HeaderSet) Names() []string {
	out := make([]string, len(s.Headers))
	for i, h := range s.Headers {
		out[i] = h.Name
	}
	return out
}

// HubSpotEN is HubSpot's deal export with English property labels.
var HubSpotEN = HeaderSet{
	ID: "hubspot-en", Format: HubSpot, Lang: "en",
	Headers: []Header{
		{Column: ColExternalID, Name: "Record ID", Aliases: []string{"Deal ID"}},
		{Column: ColName, Name: "Deal Name"},
		{Column: ColStage, Name: "Deal Stage"},
		{Column: ColCloseDate, Name: "Close Date"},
		{Column: ColOwner, Name: "Deal owner"},
		{Column: ColAmount, Name: "Amount"},
		{Column: ColCurrency, Name: "Currency", Aliases: []string{"Deal currency code"}},
		{Column: ColPipeline, Name: "Pipeline"},
		{Column: ColAccount, Name: "Associated Company", Aliases: []string{"Associated Company (Primary)", "Company name"}},
		{Column: ColCategory, Name: "Forecast category"},
		{Column: ColProbability, Name: "Deal probability"},
		{Column: ColNextStep, Name: "Next step"},
		{Column: ColLossReason, Name: "Closed Lost Reason"},
		{Column: ColCreated, Name: "Create Date"},
	},
	Required: []Column{ColExternalID, ColName, ColStage},
}

// HubSpotFR is HubSpot's deal export when the exporting user works in French:
// HubSpot translates the property labels.
var HubSpotFR = HeaderSet{
	ID: "hubspot-fr", Format: HubSpot, Lang: "fr",
	Headers: []Header{
		{Column: ColExternalID, Name: "ID de fiche d'informations", Aliases: []string{"ID de la fiche d'informations", "ID de transaction"}},
		{Column: ColName, Name: "Nom de la transaction"},
		{Column: ColStage, Name: "Phase de la transaction", Aliases: []string{"Phase de transaction"}},
		{Column: ColCloseDate, Name: "Date de fermeture"},
		{Column: ColOwner, Name: "Propriétaire de la transaction"},
		{Column: ColAmount, Name: "Montant"},
		{Column: ColCurrency, Name: "Devise"},
		{Column: ColPipeline, Name: "Pipeline"},
		{Column: ColAccount, Name: "Entreprise associée", Aliases: []string{"Entreprise associée (principale)", "Nom de l'entreprise"}},
		{Column: ColCategory, Name: "Catégorie de prévision"},
		{Column: ColProbability, Name: "Probabilité de la transaction"},
		{Column: ColNextStep, Name: "Prochaine étape"},
		{Column: ColLossReason, Name: "Raison de la perte", Aliases: []string{"Motif de perte"}},
		{Column: ColCreated, Name: "Date de création"},
	},
	Required: []Column{ColExternalID, ColName, ColStage},
}

// SalesforceReport is a Salesforce opportunity report exported as CSV or
// XLSX ("Export → Details only"): column labels, owner by full name.
var SalesforceReport = HeaderSet{
	ID: "salesforce-report", Format: Salesforce, Lang: "en",
	Headers: []Header{
		{Column: ColExternalID, Name: "Opportunity ID", Aliases: []string{"Opportunity ID (18)"}},
		{Column: ColName, Name: "Opportunity Name"},
		{Column: ColAccount, Name: "Account Name"},
		{Column: ColStage, Name: "Stage"},
		{Column: ColAmount, Name: "Amount"},
		{Column: ColCurrency, Name: "Amount Currency", Aliases: []string{"Opportunity Currency"}},
		{Column: ColCloseDate, Name: "Close Date"},
		{Column: ColCategory, Name: "Forecast Category"},
		{Column: ColProbability, Name: "Probability (%)"},
		{Column: ColNextStep, Name: "Next Step"},
		{Column: ColOwner, Name: "Opportunity Owner"},
		{Column: ColLossReason, Name: "Loss Reason"},
		{Column: ColCreated, Name: "Created Date"},
	},
	Required: []Column{ColExternalID, ColName, ColStage},
}

// SalesforceDataLoader is a Data Loader (or Workbench) export of the
// Opportunity object: API field names, owner by user id (or Owner.Email when
// the query asks for it), datetimes with offsets.
var SalesforceDataLoader = HeaderSet{
	ID: "salesforce-dataloader", Format: Salesforce, Lang: "en",
	Headers: []Header{
		{Column: ColExternalID, Name: "Id"},
		{Column: ColName, Name: "Name"},
		{Column: ColAccount, Name: "Account.Name", Aliases: []string{"AccountId"}},
		{Column: ColStage, Name: "StageName"},
		{Column: ColAmount, Name: "Amount"},
		{Column: ColCurrency, Name: "CurrencyIsoCode"},
		{Column: ColCloseDate, Name: "CloseDate"},
		{Column: ColCategory, Name: "ForecastCategoryName"},
		{Column: ColProbability, Name: "Probability"},
		{Column: ColNextStep, Name: "NextStep"},
		{Column: ColOwner, Name: "OwnerId", Aliases: []string{"Owner.Email", "Owner.Name"}},
		{Column: ColLossReason, Name: "Loss_Reason__c"}, // not standard: the custom field most orgs add
		{Column: ColCreated, Name: "CreatedDate"},
	},
	Required: []Column{ColExternalID, ColName, ColStage},
}

// PipedriveDeals is Pipedrive's deal export ("Export data → Deals").
var PipedriveDeals = HeaderSet{
	ID: "pipedrive", Format: Pipedrive, Lang: "en",
	Headers: []Header{
		{Column: ColExternalID, Name: "Deal - ID"},
		{Column: ColName, Name: "Deal - Title"},
		{Column: ColAccount, Name: "Deal - Organization"},
		{Column: ColAmount, Name: "Deal - Value"},
		{Column: ColCurrency, Name: "Deal - Currency of value", Aliases: []string{"Deal - Currency"}},
		{Column: ColPipeline, Name: "Deal - Pipeline"},
		{Column: ColStage, Name: "Deal - Stage"},
		{Column: ColOwner, Name: "Deal - Owner"},
		{Column: ColStatus, Name: "Deal - Status"},
		{Column: ColCloseDate, Name: "Deal - Expected close date"},
		{Column: ColProbability, Name: "Deal - Probability"},
		{Column: ColLossReason, Name: "Deal - Lost reason"},
		{Column: ColCreated, Name: "Deal - Deal created"},
	},
	Required: []Column{ColName, ColStage},
}

// PipedriveDealsFR is Pipedrive's deal export when the exporting user's
// language is French: Pipedrive translates the "Deal - …" labels and the
// status values (StatusNames). The title, value, organization, stage,
// status, lost reason and creation labels are those seen in scripts that
// read real French exports; the id, currency, owner, pipeline, expected
// close date and probability labels follow the same translation and are
// assumed, not seen.
var PipedriveDealsFR = HeaderSet{
	ID: "pipedrive-fr", Format: Pipedrive, Lang: "fr",
	Headers: []Header{
		{Column: ColExternalID, Name: "Affaire - ID"},
		{Column: ColName, Name: "Affaire - Titre"},
		{Column: ColAccount, Name: "Affaire - Organisation"},
		{Column: ColAmount, Name: "Affaire - Valeur"},
		{Column: ColCurrency, Name: "Affaire - Devise de la valeur", Aliases: []string{"Affaire - Devise"}},
		{Column: ColPipeline, Name: "Affaire - Pipeline"},
		{Column: ColStage, Name: "Affaire - Étape"},
		{Column: ColOwner, Name: "Affaire - Propriétaire"},
		{Column: ColStatus, Name: "Affaire - Statut"},
		{Column: ColCloseDate, Name: "Affaire - Date de clôture prévue"},
		{Column: ColProbability, Name: "Affaire - Probabilité"},
		{Column: ColLossReason, Name: "Affaire - Raison de la perte", Aliases: []string{"Affaire - Raison de perte"}},
		{Column: ColCreated, Name: "Affaire - Affaire créée"},
	},
	Required: []Column{ColName, ColStage},
}

// StatusNames maps the Deal - Status values Pipedrive exports onto
// open, won, lost and deleted: the English ones and, from a French
// export, "En cours", "Gagnée", "Perdue" (seen in scripts reading real
// exports) and "Supprimée" (assumed).
var StatusNames = map[string]string{
	"open": "open", "won": "won", "lost": "lost", "deleted": "deleted",
	"en cours": "open", "gagnée": "won", "perdue": "lost", "supprimée": "deleted",
}

// DealpilotSheet is dealpilot's own deal export (`dealpilot export`, the
// deals table without --for): the header names are the export's columns,
// so an export imports into another file as the same deals. Its
// external_id is the deal's own when it came from a CRM; a deal made in
// dealpilot is known by "dealpilot:" and its ref.
var DealpilotSheet = HeaderSet{
	ID: "dealpilot", Format: Dealpilot, Lang: "en",
	Headers: []Header{
		{Column: ColRef, Name: "id"},
		{Column: ColExternalID, Name: "external_id"},
		{Column: ColName, Name: "name"},
		{Column: ColAccount, Name: "account"},
		{Column: ColOwner, Name: "owner"},
		{Column: ColStage, Name: "stage"},
		{Column: ColCategory, Name: "category"},
		{Column: ColStatus, Name: "status"},
		{Column: ColCurrency, Name: "currency"},
		{Column: ColAmount, Name: "amount"},
		{Column: ColCloseDate, Name: "close_date"},
		{Column: ColNeed, Name: "need"},
		{Column: ColDecisionMakers, Name: "decision_makers"},
		{Column: ColBudget, Name: "budget"},
		{Column: ColTimeline, Name: "timeline"},
		{Column: ColRisk, Name: "risk"},
		{Column: ColNextStep, Name: "next_step"},
		{Column: ColNextStepDue, Name: "next_step_due"},
		{Column: ColLossReason, Name: "loss_reason"},
		{Column: ColCompetitor, Name: "competitor"},
		{Column: ColType, Name: "type"},
		{Column: ColTerm, Name: "term_months"},
		{Column: ColRecurring, Name: "recurring"},
		{Column: ColSplits, Name: "splits"},
	},
	Required: []Column{ColRef, ColName, ColStage, ColStatus},
}

// HeaderSets lists every known dialect, most specific first: a file is
// recognised as the first set whose required headers it all has and with the
// most of its headers.
var HeaderSets = []HeaderSet{HubSpotEN, HubSpotFR, SalesforceReport, SalesforceDataLoader, PipedriveDeals, PipedriveDealsFR, DealpilotSheet}

// ExportHeaders returns the header set `dealpilot export --for f` writes: the
// English one of each CRM (Salesforce: the report labels, which its import
// wizard maps without help).
func ExportHeaders(f Format) (HeaderSet, bool) {
	switch f {
	case HubSpot:
		return HubSpotEN, true
	case Salesforce:
		return SalesforceReport, true
	case Pipedrive:
		return PipedriveDeals, true
	}
	return HeaderSet{}, false
}

// NormHeader is how headers are compared: case, surrounding spaces, runs of
// spaces and typographic apostrophes do not matter.
func NormHeader(s string) string {
	s = strings.ReplaceAll(s, "\u2019", "'")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// StageMap maps one CRM stage onto dealpilot: the stage a deal takes (empty
// for a closed deal, which keeps its stage), its forecast category and status.
type StageMap struct {
	CRM      string // the CRM's stage label, as exported
	Lang     string // the language of the label: exports write the "en" ones
	Stage    string // a dealpilot stage name (domain.DefaultStages)
	Category domain.Category
	Status   domain.Status
}

// DefaultStageMaps returns the built-in mapping of a CRM's default pipeline
// stages onto dealpilot's default stages. The config's `import:` section
// overrides or extends it; a stage in neither is reported with a suggestion.
func DefaultStageMaps(f Format) []StageMap { return slices.Clone(defaultMaps[f]) }

// defaultMaps are the default stage maps, built once; readers in this
// package use them without copying.
var defaultMaps = map[Format][]StageMap{
	HubSpot:    defaultStageMaps(HubSpot),
	Salesforce: defaultStageMaps(Salesforce),
	Pipedrive:  defaultStageMaps(Pipedrive),
}

func defaultStageMaps(f Format) []StageMap {
	switch f {
	case HubSpot:
		return []StageMap{
			// HubSpot's default "Sales Pipeline", English labels then French.
			{"Appointment Scheduled", "en", "Qualification", domain.Pipeline, domain.Open},
			{"Qualified To Buy", "en", "Discovery", domain.Pipeline, domain.Open},
			{"Presentation Scheduled", "en", "Demo", domain.Upside, domain.Open},
			{"Decision Maker Bought-In", "en", "Proposal", domain.BestCase, domain.Open},
			{"Contract Sent", "en", "Negotiation", domain.Commit, domain.Open},
			{"Closed Won", "en", "Closing", domain.Commit, domain.Won},
			{"Closed Lost", "en", "", domain.Omitted, domain.Lost},
			{"Rendez-vous programmé", "fr", "Qualification", domain.Pipeline, domain.Open},
			{"Qualifié pour l'achat", "fr", "Discovery", domain.Pipeline, domain.Open},
			{"Présentation programmée", "fr", "Demo", domain.Upside, domain.Open},
			{"Décideur convaincu", "fr", "Proposal", domain.BestCase, domain.Open},
			{"Contrat envoyé", "fr", "Negotiation", domain.Commit, domain.Open},
			{"Fermé gagné", "fr", "Closing", domain.Commit, domain.Won},
			{"Fermé perdu", "fr", "", domain.Omitted, domain.Lost},
		}
	case Salesforce:
		return []StageMap{
			// Salesforce's default Opportunity stage picklist.
			{"Prospecting", "en", "Qualification", domain.Pipeline, domain.Open},
			{"Qualification", "en", "Qualification", domain.Pipeline, domain.Open},
			{"Needs Analysis", "en", "Discovery", domain.Pipeline, domain.Open},
			{"Value Proposition", "en", "Demo", domain.Upside, domain.Open},
			{"Id. Decision Makers", "en", "Demo", domain.Upside, domain.Open},
			{"Perception Analysis", "en", "Proposal", domain.BestCase, domain.Open},
			{"Proposal/Price Quote", "en", "Proposal", domain.BestCase, domain.Open},
			{"Negotiation/Review", "en", "Negotiation", domain.Commit, domain.Open},
			{"Closed Won", "en", "Closing", domain.Commit, domain.Won},
			{"Closed Lost", "en", "", domain.Omitted, domain.Lost},
		}
	case Pipedrive:
		return []StageMap{
			// Pipedrive's default pipeline; won and lost are a status there,
			// not a stage (ColStatus).
			{"Lead In", "en", "Qualification", domain.Pipeline, domain.Open},
			{"Contact Made", "en", "Discovery", domain.Pipeline, domain.Open},
			{"Needs Defined", "en", "Discovery", domain.Pipeline, domain.Open},
			{"Demo Scheduled", "en", "Demo", domain.Upside, domain.Open},
			{"Proposal Made", "en", "Proposal", domain.BestCase, domain.Open},
			{"Negotiations Started", "en", "Negotiation", domain.Commit, domain.Open},
		}
	}
	return nil
}

// CategoryNames maps the forecast category values CRMs export onto
// dealpilot's categories: Salesforce's ForecastCategoryName labels and API
// values, HubSpot's forecast categories (English and French).
var CategoryNames = map[string]domain.Category{
	"pipeline":       domain.Pipeline,
	"best case":      domain.BestCase,
	"bestcase":       domain.BestCase,
	"commit":         domain.Commit,
	"forecast":       domain.Commit, // Salesforce's API name for Commit
	"mostlikely":     domain.BestCase,
	"most likely":    domain.BestCase,
	"closed":         domain.Commit,
	"closed won":     domain.Commit, // HubSpot's category of won deals, as export --for hubspot writes it
	"omitted":        domain.Omitted,
	"not forecasted": domain.Omitted,
	"upside":         domain.Upside,
	"meilleur cas":   domain.BestCase,
	"engagement":     domain.Commit,
	"non prévu":      domain.Omitted,
	"fermé":          domain.Commit,
}

// LookupCategory reads a CRM's forecast category value; ok is false for an
// empty or unknown one (then the stage's default applies).
func LookupCategory(s string) (domain.Category, bool) {
	if c, ok := CategoryNames[NormHeader(s)]; ok {
		return c, true
	}
	return domain.ParseCategory(s)
}

// ExportCategory is the value a CRM's forecast category column takes for c.
func ExportCategory(f Format, c domain.Category) string {
	switch f {
	case Salesforce:
		switch c {
		case domain.Commit:
			return "Commit"
		case domain.BestCase, domain.Upside:
			return "Best Case"
		case domain.Pipeline:
			return "Pipeline"
		case domain.Omitted:
			return "Omitted"
		}
	case HubSpot:
		switch c {
		case domain.Commit:
			return "Commit"
		case domain.BestCase, domain.Upside:
			return "Best case"
		case domain.Pipeline:
			return "Pipeline"
		case domain.Omitted:
			return "Not forecasted"
		}
	}
	return string(c)
}

// exportStages is the stage of each CRM's default pipeline (English label)
// that a deal open at each of dealpilot's default stages is written as. It
// is chosen per stage, not read from the import mappings, which map several
// CRM stages onto one dealpilot stage (Salesforce's "Perception Analysis"
// and "Proposal/Price Quote" are both Proposal): the stage whose meaning
// and probability is dealpilot's. Closing, a deal about to be signed, has
// no open stage of its own in any default pipeline (HubSpot's and
// Salesforce's next stage is Closed Won, Pipedrive says won in a status):
// it is written as the CRM's last open stage, where such a deal sits in the
// CRM, so that the CRM's import knows it; dealpilot's import reads it back
// as Negotiation.
var exportStages = map[Format][]struct{ Stage, CRM string }{
	HubSpot: {
		{"Qualification", "Appointment Scheduled"},
		{"Discovery", "Qualified To Buy"},
		{"Demo", "Presentation Scheduled"},
		{"Proposal", "Decision Maker Bought-In"},
		{"Negotiation", "Contract Sent"},
		{"Closing", "Contract Sent"},
	},
	Salesforce: {
		{"Qualification", "Qualification"},
		{"Discovery", "Needs Analysis"},
		{"Demo", "Value Proposition"},
		{"Proposal", "Proposal/Price Quote"},
		{"Negotiation", "Negotiation/Review"},
		{"Closing", "Negotiation/Review"},
	},
	Pipedrive: {
		{"Qualification", "Lead In"},
		{"Discovery", "Needs Defined"}, // dealpilot's Discovery asks for the need
		{"Demo", "Demo Scheduled"},
		{"Proposal", "Proposal Made"},
		{"Negotiation", "Negotiations Started"},
		{"Closing", "Negotiations Started"},
	},
}

// ExportStage is the stage a CRM file gives a deal at dealpilot stage st with
// status s: exportStages for an open deal; the CRM's closed stage for a won
// or lost one (Closed Won, Closed Lost), except Pipedrive, which keeps the
// deal's stage and says won/lost in ColStatus. ok is false for a stage that
// is not one of dealpilot's defaults (a configured one); the exporter then
// writes the dealpilot stage name itself.
func ExportStage(f Format, st string, s domain.Status) (string, bool) {
	if s != domain.Open && f != Pipedrive {
		for _, m := range defaultMaps[f] {
			if m.Lang == "en" && m.Status == s {
				return m.CRM, true
			}
		}
		return "", false
	}
	for _, e := range exportStages[f] {
		if strings.EqualFold(e.Stage, strings.TrimSpace(st)) {
			return e.CRM, true
		}
	}
	return "", false
}

// ExportStatus is Pipedrive's Deal - Status value for s.
func ExportStatus(s domain.Status) string {
	switch s {
	case domain.Won:
		return "Won"
	case domain.Lost:
		return "Lost"
	}
	return "Open"
}
