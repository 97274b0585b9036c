package store

import (
	"slices"
	"testing"
)

func TestSearchWords(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  []string
	}{
		{"Empty", nil, nil},
		{"Lowercase", []string{"ACME Corp"}, []string{"acme", "corp"}},
		{"FrenchAccents", []string{"Société Générale"}, []string{"societe", "generale"}},
		{"Decomposed", []string{"Socie\u0301te\u0301"}, []string{"societe"}},
		{"Apostrophe", []string{"L'Oréal"}, []string{"l", "oreal"}},
		{"German", []string{"Zürich Straße"}, []string{"zurich", "strasse"}},
		{"Nordic", []string{"Øresund Ærø"}, []string{"oresund", "aero"}},
		{"Polish", []string{"Łódź"}, []string{"lodz"}},
		{"Digits", []string{"Project X-42 (2026)"}, []string{"project", "x", "42", "2026"}},
		{"Dedup", []string{"Acme pilot", "Acme"}, []string{"acme", "pilot"}},
		{"NonLatinKept", []string{"東京 Ελλάδα"}, []string{"東京", "ελλαδα"}},
		{"OnlyPunctuation", []string{" -- / "}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := searchWords(tt.texts...); !slices.Equal(got, tt.want) {
				t.Errorf("searchWords(%q) = %q; want %q", tt.texts, got, tt.want)
			}
		})
	}
}
