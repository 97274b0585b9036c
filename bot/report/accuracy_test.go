package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// nothingWonRow: ana's 2027-05 of domain/forecast/testdata/accuracy_h1_2027.txt:
// nothing won, 12,000 called at the start and standing at M-1 (W22).
func nothingWonRow() AccuracyRow {
	start := forecast.Accuracy{Point: forecast.PointStart, Week: "2027-W18", Called: 12_000_00, HasCall: true, Unmeasurable: true, BottomUp: 10_000_00, BottomUpErrorBP: 10000}
	m1 := forecast.Accuracy{Point: forecast.PointM1, Week: "2027-W22", Called: 12_000_00, HasCall: true, Unmeasurable: true}
	return AccuracyRow{Label: "ana", Row: forecast.AccuracyRow{User: "U0ANA", Team: "North",
		Cells: []forecast.AccuracyCell{{Period: "2027-05", Start: &start, M1: &m1}}}}
}

// TestAccuracyNothingWon: a call with nothing won is "n/a (called X, won
// 0)" in the table, and in CSV and JSON the called amount with an empty
// (null) error, never +10000.
func TestAccuracyNothingWon(t *testing.T) {
	rows := []AccuracyRow{nothingWonRow()}
	var tab bytes.Buffer
	if err := WriteAccuracyTable(&tab, i18n.EN, "EUR", []string{"2027-05"}, rows); err != nil {
		t.Fatal(err)
	}
	if want := "n/a (called €12,000, won 0) / n/a (called €12,000, won 0)"; !strings.Contains(tab.String(), want) {
		t.Errorf("table lacks %q:\n%s", want, tab.String())
	}
	var csv bytes.Buffer
	if err := WriteAccuracyCSV(&csv, forecast.Month, "EUR", rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	want := []string{
		"month,2027-05,ana,U0ANA,,North,EUR,start,2027-W18,0.00,12000.00,,10000.00,10000,unknown",
		"month,2027-05,ana,U0ANA,,North,EUR,M-1,2027-W22,0.00,12000.00,,0.00,0,unknown",
	}
	if len(lines) != 3 || lines[1] != want[0] || lines[2] != want[1] {
		t.Errorf("CSV =\n%s\nwant rows\n%s", csv.String(), strings.Join(want, "\n"))
	}
	var js bytes.Buffer
	if err := WriteAccuracyJSON(&js, forecast.Month, "EUR", []string{"2027-05"}, rows); err != nil {
		t.Fatal(err)
	}
	var flat bytes.Buffer
	if err := json.Compact(&flat, js.Bytes()); err != nil {
		t.Fatal(err)
	}
	if s := flat.String(); !strings.Contains(s, `"start":{"week":"2027-W18","called":12000.00,"error_bp":null,`) {
		t.Errorf("JSON lacks the called amount with a null error:\n%s", s)
	}
}
