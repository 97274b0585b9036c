package crm

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes rows to the first sheet of a new workbook, as a CRM's
// "Export as XLSX" does: numbers as numbers, dates as date-formatted serials.
func writeXLSX(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	f.SetColStyle("Sheet1", "D", style)
	p := filepath.Join(t.TempDir(), "deals.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadXLSX(t *testing.T) {
	p := writeXLSX(t, [][]any{
		{"Opportunity ID", "Opportunity Name", "Stage", "Close Date", "Amount", "Account Name"},
		{"0065g00000AbCdE", "Initech expansion", "Negotiation/Review", 46387, 15000.5, "Initech"},
		{"0065g00000AbCdF", "Umbrella pilot", "Prospecting", "2027-02-01", "2,000.00"}, // last cell empty: the row is short
	})
	f, recs := readAll(t, p, Options{})
	if f.Encoding != XLSXEncoded || f.Layout.Set.ID != "salesforce-report" || f.Rows != 2 {
		t.Fatalf("read as %s %s, %d rows", f.Encoding, f.Layout.Set.ID, f.Rows)
	}
	r := recs[0]
	if len(r.Problems) > 0 || r.CloseDate.String() != "2026-12-31" || r.Amount != 1500050 || r.Line != 2 || r.Account != "Initech" {
		t.Errorf("row 2 = %+v", r)
	}
	r = recs[1]
	if len(r.Problems) > 0 || r.CloseDate.String() != "2027-02-01" || r.Amount != 200000 || r.Account != "" {
		t.Errorf("row 3 = %+v", r)
	}
}

func TestReadXLSXRefusesBrokenWorkbook(t *testing.T) {
	p := writeFile(t, "deals.xlsx", []byte("PK\x03\x04 this is no zip"))
	_, err := Open(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot read the workbook") {
		t.Errorf("Open = %v", err)
	}
}
