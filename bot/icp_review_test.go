package bot

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestReviewChangeLine: an accepted proposal says which line of the
// configuration to change and to what, from the configuration as it is;
// the next review says whether it is in it yet.
func TestReviewChangeLine(t *testing.T) {
	cfg := config.Default()
	cfg.Segments = segment.Schema{{Name: "industry", Values: []string{"retail", "software", "healthcare"}}, {Name: "region", Values: []string{"north"}}}
	cfg.ICP = segment.ICP{{Name: "industry", Values: []string{"retail", "healthcare"}, Line: 31}}
	b := New(Options{Config: cfg})
	tests := []struct {
		name    string
		p       segment.Proposal
		want    string
		applied bool
	}{
		{"Add", segment.Proposal{Kind: segment.Add, Attribute: "industry", Value: "software"},
			"line 31, change industry: [retail, healthcare] to industry: [retail, healthcare, software].", false},
		{"AddApplied", segment.Proposal{Kind: segment.Add, Attribute: "industry", Value: "retail"},
			"line 31, change industry: [retail, healthcare] to industry: [retail, healthcare].", true},
		{"Remove", segment.Proposal{Kind: segment.Remove, Attribute: "industry", Value: "Retail"},
			"line 31, change industry: [retail, healthcare] to industry: [healthcare].", false},
		{"RemoveApplied", segment.Proposal{Kind: segment.Remove, Attribute: "industry", Value: "software"},
			"line 31, change industry: [retail, healthcare] to industry: [retail, healthcare].", true},
		{"AttributeNotInICP", segment.Proposal{Kind: segment.Add, Attribute: "region", Value: "north"},
			"under icp:, write region: [north].", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := b.changeLine(tt.p)
			if got := i18n.T(i18n.EN, m.Key, m.Args...); !strings.Contains(got, tt.want) {
				t.Errorf("change line %q, want it to contain %q", got, tt.want)
			}
			if got := b.applied(tt.p); got != tt.applied {
				t.Errorf("applied = %v", got)
			}
		})
	}
	cfg.ICP = segment.ICP{{Name: "industry", Values: []string{"retail"}, Line: 31}}
	m := b.changeLine(segment.Proposal{Kind: segment.Remove, Attribute: "industry", Value: "retail"})
	if got := i18n.T(i18n.EN, m.Key, m.Args...); !strings.Contains(got, "line 31, remove industry: from icp:") {
		t.Errorf("last value removed: %q", got)
	}
}

// TestReviewValue: the buttons' value reads back, and a forged one is refused.
func TestReviewValue(t *testing.T) {
	q, team, i, ok := parseReviewValue(reviewValue(segment.Posted{Quarter: "2026-Q4", Team: "France"}, 2))
	if !ok || q != "2026-Q4" || team != "France" || i != 2 {
		t.Errorf("read back %q %q %d %v", q, team, i, ok)
	}
	if _, team, _, ok := parseReviewValue("2026-Q4|A|B|3"); !ok || team != "A|B" {
		t.Errorf("a team named with | = %q", team)
	}
	for _, bad := range []string{"", "2026-Q4|France", "2026-Q4|France|x", "2026-Q4|France|-1", "|France|1", "2026-Q4||1"} {
		if _, _, _, ok := parseReviewValue(bad); ok {
			t.Errorf("%q read as a value", bad)
		}
	}
}
