package config

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain/segment"
)

const segmentsBase = base + `segments:
  - name: industry
    values: [retail, software, " manufacturing  goods "]
  - name: size_band
    values: ["1-50", "51-200"]
icp:
  industry: [Retail, software]
`

func TestSegments(t *testing.T) {
	cfg, err := Parse("dealpilot.yaml", []byte(segmentsBase), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	want := segment.Schema{
		{Name: "industry", Values: []string{"retail", "software", "manufacturing goods"}},
		{Name: "size_band", Values: []string{"1-50", "51-200"}},
	}
	if len(cfg.Segments) != 2 || !slices.Equal(cfg.Segments[0].Values, want[0].Values) || cfg.Segments[1].Name != "size_band" ||
		!slices.Equal(cfg.Segments[1].Values, want[1].Values) {
		t.Errorf("segments = %+v", cfg.Segments)
	}
	// The ICP spells values as segments: does, and knows its line.
	if len(cfg.ICP) != 1 || cfg.ICP[0].Name != "industry" || !slices.Equal(cfg.ICP[0].Values, []string{"retail", "software"}) || cfg.ICP[0].Line != 29 {
		t.Errorf("icp = %+v", cfg.ICP)
	}
	if d := Default(); len(d.Segments) != 0 || len(d.ICP) != 0 {
		t.Errorf("default segments = %+v, icp = %+v", d.Segments, d.ICP)
	}
	ex, err := Parse("example.yaml", []byte(Example()), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Segments) != 4 || ex.Segments[1].Name != "industry" || len(ex.ICP) != 2 || ex.ICP[0].Name != "size_band" {
		t.Errorf("example: segments = %+v, icp = %+v", ex.Segments, ex.ICP)
	}
}

// TestSegmentsErrors: each mistake is refused with its file, line and key,
// and a message that says what is allowed.
func TestSegmentsErrors(t *testing.T) {
	many := "segments:\n"
	for i := range maxSegments + 1 {
		many += "  - { name: a" + itoa(i) + ", values: [x] }\n"
		if i == 0 {
			many = strings.TrimSuffix(many, "\n") + " # <-\n" // a list's line is its first item's
		}
	}
	tests := []struct {
		name, from, to, key, msg string
	}{
		{"UnknownKey", "  - name: industry\n", "  - name: industry\n    label: Industry # <-\n", "segments[0].label", "unknown key; the keys here are name, values"},
		{"BadName", "  - name: industry\n", "  - name: Industry Type # <-\n", "segments[0].name", "not an attribute name"},
		{"NameTwice", "  - name: size_band\n", "  - name: industry # <-\n", "segments[1].name", `"industry" is listed twice`},
		{"MissingValues", "  - name: size_band\n    values: [\"1-50\", \"51-200\"]\n", "  - name: size_band # <-\n", "segments[1].values", "missing; it is required"},
		{"NoValues", "    values: [\"1-50\", \"51-200\"]\n", "    values: [] # <-\n", "segments[1].values", "list 1 to 50 values"},
		{"ValueTwice", "    values: [\"1-50\", \"51-200\"]\n", "    values:\n      - \"1-50\"\n      - \" 1-50\" # <-\n", "segments[1].values[1]", `"1-50" is listed twice`},
		{"BlankValue", "    values: [\"1-50\", \"51-200\"]\n", "    values:\n      - \"1-50\"\n      - \"  \" # <-\n", "segments[1].values[1]", "cannot be blank"},
		{"LongValue", "    values: [\"1-50\", \"51-200\"]\n", "    values:\n      - " + strings.Repeat("x", 76) + " # <-\n", "segments[1].values[0]", "longer than 75"},
		{"ValuesNotList", "    values: [\"1-50\", \"51-200\"]\n", "    values: small # <-\n", "segments[1].values", "want a list"},
		{"TooMany", "segments:\n  - name: industry\n    values: [retail, software, \" manufacturing  goods \"]\n  - name: size_band\n    values: [\"1-50\", \"51-200\"]\nicp:\n  industry: [Retail, software]\n",
			many, "segments", "at most 10 attributes"},
		{"ICPUnknownAttribute", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  region: [north] # <-\n", "icp.region", `"region" is not an attribute of segments: (industry, size_band)`},
		{"ICPUnknownValue", "  industry: [Retail, software]\n", "  industry: [Retail, banking] # <-\n", "icp.industry[1]", `"banking" is not a value of industry (retail, software, manufacturing goods)`},
		{"ICPValueTwice", "  industry: [Retail, software]\n", "  industry: [Retail, retail] # <-\n", "icp.industry[1]", "listed twice"},
		{"ICPEmpty", "  industry: [Retail, software]\n", "  industry: [] # <-\n", "icp.industry", "list at least one value"},
		{"ICPNotMapping", "icp:\n  industry: [Retail, software]\n", "icp: [retail] # <-\n", "icp", "want a mapping"},
		{"MinDealsZero", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  min_deals: 0 # <-\n", "icp.min_deals", "0 is not from 1 to 1000"},
		{"MinDealsTooMany", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  min_deals: 1001 # <-\n", "icp.min_deals", "1001 is not from 1 to 1000"},
		{"MinDealsNotWhole", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  min_deals: 2.5 # <-\n", "icp.min_deals", "want a whole number from 1 to 1000"},
		{"MinDealsWord", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  min_deals: five # <-\n", "icp.min_deals", "want a whole number from 1 to 1000"},
		{"MinDealsTwice", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  min_deals: 3\n  min_deals: 4 # <-\n", "icp.min_deals", "repeated key"},
		{"StopPctHundred", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  stop_pct: 100 # <-\n", "icp.stop_pct", "100 is not from 0 to 99"},
		{"StopPctNegative", "  industry: [Retail, software]\n", "  industry: [Retail, software]\n  stop_pct: -1 # <-\n", "icp.stop_pct", "-1 is not from 0 to 99"},
		{"AttributeNamedMinDeals", "  - name: size_band\n", "  - name: min_deals # <-\n", "segments[1].name", `"min_deals" is a setting of icp:, not a name for an attribute`},
		{"AttributeNamedStopPct", "  - name: size_band\n", "  - name: stop_pct # <-\n", "segments[1].name", `"stop_pct" is a setting of icp:, not a name for an attribute`},
		{"ICPWithoutSegments", "segments:\n  - name: industry\n    values: [retail, software, \" manufacturing  goods \"]\n  - name: size_band\n    values: [\"1-50\", \"51-200\"]\nicp:\n",
			"icp:\n  industry: [retail] # <-\n", "icp", "add segments: with their values first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := strings.Replace(segmentsBase, tt.from, tt.to, 1)
			if content == segmentsBase {
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

// TestEvidence: icp: min_deals and stop_pct set the thresholds, alone or
// beside the ICP's attributes; without them the defaults (5, 50) hold.
func TestEvidence(t *testing.T) {
	tests := []struct {
		name, icp string
		want      segment.Thresholds
		icpAttrs  int
	}{
		{"Default", "icp:\n  industry: [retail]\n", segment.Thresholds{MinDeals: 5, StopPct: 50}, 1},
		{"Both", "icp:\n  industry: [retail]\n  min_deals: 3\n  stop_pct: 40\n", segment.Thresholds{MinDeals: 3, StopPct: 40}, 1},
		{"MinDealsOnly", "icp:\n  min_deals: 1\n  industry: [retail]\n", segment.Thresholds{MinDeals: 1, StopPct: 50}, 1},
		{"Bounds", "icp:\n  min_deals: 1000\n  stop_pct: 0\n", segment.Thresholds{MinDeals: 1000, StopPct: 0}, 0},
		{"StopPctOnly", "icp:\n  stop_pct: 99\n", segment.Thresholds{MinDeals: 5, StopPct: 99}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("f.yaml", []byte(base+"segments:\n  - { name: industry, values: [retail, software] }\n"+tt.icp), testIDs)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Evidence != tt.want || len(cfg.ICP) != tt.icpAttrs {
				t.Errorf("evidence = %+v, icp = %+v; want %+v and %d attributes", cfg.Evidence, cfg.ICP, tt.want, tt.icpAttrs)
			}
		})
	}
	if d := Default(); d.Evidence != segment.DefaultThresholds() {
		t.Errorf("default evidence = %+v", d.Evidence)
	}
}
