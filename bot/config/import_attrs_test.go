package config

import (
	"errors"
	"strings"
	"testing"
)

const importAttrsBase = segmentsBase + `import:
  attributes:
    Industry: " Sector "
    size_band: Company size
`

// TestImportAttributes: import: attributes: names a segment attribute
// (any case) and the header of its column, in the order written.
func TestImportAttributes(t *testing.T) {
	cfg, err := Parse("dealpilot.yaml", []byte(importAttrsBase), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Import.Attributes
	if len(got) != 2 || got[0] != (ImportAttribute{Name: "industry", Header: "Sector"}) || got[1] != (ImportAttribute{Name: "size_band", Header: "Company size"}) {
		t.Errorf("attributes = %+v", got)
	}
}

func TestImportAttributesErrors(t *testing.T) {
	tests := []struct {
		name, from, to, key, msg string
	}{
		{"UnknownAttribute", "    size_band: Company size\n", "    region: Region # <-\n", "import.attributes", `"region" is not an attribute of segments: (industry, size_band)`},
		{"Twice", "    size_band: Company size\n", "    industry: Company size # <-\n", "import.attributes.industry", "mapped twice"},
		{"SameHeader", "    size_band: Company size\n", "    size_band: sector # <-\n", "import.attributes.size_band", `header "sector" is already another attribute's`},
		{"BlankHeader", "    size_band: Company size\n", "    size_band: \" \" # <-\n", "import.attributes.size_band", "cannot be blank"},
		{"NotMapping", "  attributes:\n    Industry: \" Sector \"\n    size_band: Company size\n", "  attributes: [industry] # <-\n", "import.attributes", "want a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := strings.Replace(importAttrsBase, tt.from, tt.to, 1)
			if content == importAttrsBase {
				t.Fatal("the case changes nothing")
			}
			_, err := Parse("f.yaml", []byte(content), testIDs)
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Parse = %v, want Errors", err)
			}
			prefix := "f.yaml:" + itoa(markedLine(content)) + ": " + tt.key + ":"
			for _, e := range es {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no error starts with %q and mentions %q; got:\n%v", prefix, tt.msg, err)
		})
	}
}
