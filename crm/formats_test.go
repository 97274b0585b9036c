package crm

import (
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestHeaderSetsAreConsistent: within a set no two columns share a header
// text, every required column has a header, and no two sets are identical
// for recognition (a file matching one's required headers must not match
// another's with the same score).
func TestHeaderSetsAreConsistent(t *testing.T) {
	for _, s := range HeaderSets {
		t.Run(s.ID, func(t *testing.T) {
			seen := map[string]Column{}
			cols := map[Column]bool{}
			for _, h := range s.Headers {
				if cols[h.Column] {
					t.Errorf("column %s has two headers", h.Column)
				}
				cols[h.Column] = true
				for _, n := range append([]string{h.Name}, h.Aliases...) {
					k := NormHeader(n)
					if c, dup := seen[k]; dup {
						t.Errorf("header %q is both %s and %s", n, c, h.Column)
					}
					seen[k] = h.Column
				}
			}
			for _, c := range s.Required {
				if !s.Has(c) {
					t.Errorf("required column %s has no header", c)
				}
			}
			if len(s.Names()) != len(s.Headers) {
				t.Errorf("Names() lost headers")
			}
		})
	}
}

// TestDefaultStageMapsNameDealpilotStages: every default mapping lands on a
// stage of dealpilot's default process (or none, for a lost deal), and the
// categories are valid.
func TestDefaultStageMapsNameDealpilotStages(t *testing.T) {
	stages := domain.DefaultStages()
	for _, f := range Formats {
		maps := DefaultStageMaps(f)
		if len(maps) == 0 {
			t.Errorf("%s: no default stages", f)
		}
		for _, m := range maps {
			if m.Status == domain.Lost && m.Stage == "" {
				continue
			}
			if stages.Index(m.Stage) < 0 {
				t.Errorf("%s: %q maps to unknown stage %q", f, m.CRM, m.Stage)
			}
			if _, ok := domain.ParseCategory(string(m.Category)); !ok {
				t.Errorf("%s: %q has bad category %q", f, m.CRM, m.Category)
			}
			if m.Lang != "en" && m.Lang != "fr" {
				t.Errorf("%s: %q has language %q", f, m.CRM, m.Lang)
			}
		}
	}
}

// TestExportStage: each of dealpilot's default stages is written as the
// CRM stage that means it, per CRM, whatever the import mappings' order;
// closed deals as the CRM closes them.
func TestExportStage(t *testing.T) {
	tests := []struct {
		name   string
		f      Format
		stage  string
		status domain.Status
		want   string
		ok     bool
	}{
		{"HubSpotQualification", HubSpot, "Qualification", domain.Open, "Appointment Scheduled", true},
		{"HubSpotDiscovery", HubSpot, "Discovery", domain.Open, "Qualified To Buy", true},
		{"HubSpotDemo", HubSpot, "Demo", domain.Open, "Presentation Scheduled", true},
		{"HubSpotProposal", HubSpot, "Proposal", domain.Open, "Decision Maker Bought-In", true},
		{"HubSpotNegotiation", HubSpot, "Negotiation", domain.Open, "Contract Sent", true},
		{"HubSpotClosingIsLastOpen", HubSpot, "Closing", domain.Open, "Contract Sent", true},
		{"HubSpotWonIsEnglish", HubSpot, "Demo", domain.Won, "Closed Won", true},
		{"HubSpotLost", HubSpot, "Demo", domain.Lost, "Closed Lost", true},
		{"SalesforceQualification", Salesforce, "Qualification", domain.Open, "Qualification", true},
		{"SalesforceDiscovery", Salesforce, "Discovery", domain.Open, "Needs Analysis", true},
		{"SalesforceDemo", Salesforce, "Demo", domain.Open, "Value Proposition", true},
		{"SalesforceProposal", Salesforce, "Proposal", domain.Open, "Proposal/Price Quote", true},
		{"SalesforceNegotiation", Salesforce, "Negotiation", domain.Open, "Negotiation/Review", true},
		{"SalesforceClosingIsLastOpen", Salesforce, "Closing", domain.Open, "Negotiation/Review", true},
		{"SalesforceWon", Salesforce, "Closing", domain.Won, "Closed Won", true},
		{"SalesforceLost", Salesforce, "Proposal", domain.Lost, "Closed Lost", true},
		{"PipedriveQualification", Pipedrive, "Qualification", domain.Open, "Lead In", true},
		{"PipedriveDiscovery", Pipedrive, "Discovery", domain.Open, "Needs Defined", true},
		{"PipedriveDemo", Pipedrive, "Demo", domain.Open, "Demo Scheduled", true},
		{"PipedriveProposal", Pipedrive, "Proposal", domain.Open, "Proposal Made", true},
		{"PipedriveNegotiation", Pipedrive, "Negotiation", domain.Open, "Negotiations Started", true},
		{"PipedriveClosingIsLastOpen", Pipedrive, "Closing", domain.Open, "Negotiations Started", true},
		{"PipedriveWonKeepsStage", Pipedrive, "Closing", domain.Won, "Negotiations Started", true},
		{"PipedriveLostKeepsStage", Pipedrive, "Demo", domain.Lost, "Demo Scheduled", true},
		{"CaseAndSpaces", Salesforce, " proposal ", domain.Open, "Proposal/Price Quote", true},
		{"ConfiguredStageUnmapped", HubSpot, "Legal", domain.Open, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExportStage(tt.f, tt.stage, tt.status)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ExportStage = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestExportStagesImportBack: every stage an export writes is a stage of
// the CRM's default pipeline that the import reads back as the same
// dealpilot stage, but Closing, written as the last open stage.
func TestExportStagesImportBack(t *testing.T) {
	for _, f := range Formats {
		for _, st := range domain.DefaultStages() {
			crmStage, ok := ExportStage(f, st.Name, domain.Open)
			if !ok {
				t.Errorf("%s: dealpilot stage %s is not exported", f, st.Name)
				continue
			}
			want := st.Name
			if want == "Closing" {
				want = "Negotiation"
			}
			found := false
			for _, m := range DefaultStageMaps(f) {
				if m.Lang == "en" && m.CRM == crmStage && m.Status == domain.Open {
					found = true
					if m.Stage != want {
						t.Errorf("%s: %s is written %q, which imports as %s", f, st.Name, crmStage, m.Stage)
					}
				}
			}
			if !found {
				t.Errorf("%s: %s is written %q, not an open stage of the CRM's default pipeline", f, st.Name, crmStage)
			}
		}
	}
}

func TestLookupCategory(t *testing.T) {
	tests := []struct {
		in   string
		want domain.Category
		ok   bool
	}{
		{"Best Case", domain.BestCase, true},
		{"Forecast", domain.Commit, true},
		{"Omitted", domain.Omitted, true},
		{"commit", domain.Commit, true},
		{"", "", false},
		{"Maybe", "", false},
	}
	for _, tt := range tests {
		got, ok := LookupCategory(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LookupCategory(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormHeader(t *testing.T) {
	if NormHeader("  ID de fiche d\u2019informations ") != NormHeader("id de FICHE d'informations") {
		t.Error("typographic apostrophe, case or spaces matter")
	}
}

// TestCopyFieldCoversImportedFields: every field an import may set is
// copied by an update (a field left out would be planned and never written).
func TestCopyFieldCoversImportedFields(t *testing.T) {
	src := domain.Deal{Name: "n", Account: "a", Owner: "U1", Amount: 5, Currency: "EUR", Stage: "Demo", Category: domain.Upside,
		CloseDate: domain.NewDate(2027, 1, 2), NextStep: "x", NextStepDue: domain.NewDate(2027, 1, 3), Status: domain.Lost,
		LossReason: "price", Need: "need", DecisionMakers: "dm", Budget: "b", Timeline: "t", Risk: "r", Competitor: "c",
		Type: domain.TypeRenewal, TermMonths: 12, Recurring: 24_000_00, Splits: []domain.Split{{User: "U1", Share: 10_000}}}
	for _, f := range importedFields {
		var d domain.Deal
		copyField(&d, &src, f)
		if d.Get(f) != src.Get(f) || d.Get(f) == "" {
			t.Errorf("copyField(%s) gives %q, want %q", f, d.Get(f), src.Get(f))
		}
	}
}

func TestExternalKeys(t *testing.T) {
	k := ExternalKey(HubSpot, "1234")
	if k != "hubspot:1234" || IDFor(HubSpot, k) != "1234" || IDFor(Pipedrive, k) != "" || IDFor(HubSpot, "") != "" {
		t.Errorf("key %q, IDFor %q", k, IDFor(HubSpot, k))
	}
	if f, id, ok := SplitExternalKey("dealpilot:D-12"); !ok || f != Dealpilot || id != "D-12" {
		t.Errorf("SplitExternalKey = %s %s %v", f, id, ok)
	}
	for _, bad := range []string{"zoho:1", "hubspot:", "1234"} {
		if _, _, ok := SplitExternalKey(bad); ok {
			t.Errorf("SplitExternalKey(%q) accepted", bad)
		}
	}
}
