package main

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEDefinesEveryKPI: issue 14's acceptance asks the README's command
// table to give each KPI's definition in one line. Each figure /forecast,
// /pipeline and /pipeline losses show must be defined ("name = …") in a row of
// the command table (a line starting with "| `/" or "| ↳"), not only named.
func TestREADMEDefinesEveryKPI(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, "| `/") || strings.HasPrefix(l, "| ↳") {
			rows = append(rows, l)
		}
	}
	for _, def := range []string{
		// /forecast
		"commit = won + ", "best case = commit + ", "upside = ", "pipeline = ", "weighted = ",
		"attainment = won ÷ quota", "gap = quota − won", "coverage = pipeline ÷ (quota − won)",
		"signed accuracy = (called − won) ÷ won",
		// /pipeline
		"win rate = won ÷ (won + lost)", "average won deal = ", "cycle = ", "average discount = ",
		"deals per stage = ", "stalled = ", "hygiene = ", "conversion = advanced ÷ entered",
		"loss rate = lost ÷ (advanced + lost)", "rate = slipped value ÷ forecast value",
	} {
		found := false
		for _, r := range rows {
			if strings.Contains(r, def) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README's command table does not define %q", def)
		}
	}
}
