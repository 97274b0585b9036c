package slack

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/i18n"
)

// importSummaryFixture is a dry run of a HubSpot export, with invalid rows
// (and a name that is markup) or without.
func importSummaryFixture(invalid bool) bot.ImportSummary {
	s := bot.ImportSummary{ID: "F0IMPORT1", File: "hubspot-deals.csv", Format: "hubspot-en", Rows: 5,
		Counts: map[crm.Action]int{crm.Create: 3, crm.Update: 1, crm.Unchanged: 1}}
	if invalid {
		s.Rows = 16
		s.Counts = map[crm.Action]int{crm.Create: 2, crm.Update: 1, crm.Conflict: 1, crm.Invalid: 12}
		s.Problems = []string{
			`line 3: invalid   Amount "12,5x": not an amount`,
			`line 4: conflict  D-7 "<!channel> Acme": stage changed in dealpilot ("Demo") and in the file ("Proposal"): dealpilot's kept (--prefer-file takes the file's)`,
		}
		for i := 5; i < 13; i++ {
			s.Problems = append(s.Problems, fmt.Sprintf(`line %d: invalid   Deal owner "j.doe@example.com": not a configured user`, i))
		}
		s.More = 3
	}
	return s
}

// TestRenderImportSummary: the dry run's summary, with Import and Cancel,
// or with invalid rows their lines and Import the valid rows instead.
func TestRenderImportSummary(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for name, invalid := range map[string]bool{"valid": false, "invalid": true} {
			m := renderImportSummary(loc, importSummaryFixture(invalid))
			golden(t, "import_summary_"+name+"_"+string(loc), m)
			raw := rawJSON(t, m)
			// Guards: no plain Import while rows are invalid; their lines
			// escaped (a deal named "<!channel>" pings nobody).
			if invalid && strings.Contains(raw, `"`+bot.ActionImportApply+`"`) {
				t.Errorf("%s: a summary with invalid rows offers Import", loc)
			}
			if !invalid && strings.Contains(raw, bot.ActionImportApplyValid) {
				t.Errorf("%s: a valid summary offers Import the valid rows", loc)
			}
			if strings.Contains(raw, "<!channel>") {
				t.Errorf("%s: a problem line is not escaped", loc)
			}
			checkShownAsWritten(t, m.Text, m.Blocks)
		}
		// Nothing to write: why, and no button.
		for name, invalid := range map[string]bool{"nothing": false, "fix": true} {
			s := importSummaryFixture(invalid)
			s.Closed = true
			if invalid {
				s.Counts = map[crm.Action]int{crm.Unchanged: 4, crm.Invalid: 12}
			} else {
				s.Counts = map[crm.Action]int{crm.Unchanged: 5}
			}
			m := renderImportSummary(loc, s)
			golden(t, "import_summary_"+name+"_"+string(loc), m)
			if raw := rawJSON(t, m); strings.Contains(raw, "import_") && strings.Contains(raw, `"button"`) {
				t.Errorf("%s: a summary with nothing to write has buttons", loc)
			}
		}
	}
}
