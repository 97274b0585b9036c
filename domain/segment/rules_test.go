package segment_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

func TestResolve(t *testing.T) {
	schema := segment.Schema{{Name: "industry", Values: []string{"retail", "consumer goods"}}, {Name: "region", Values: []string{"north"}}}
	tests := []struct {
		name, attr, value string
		wantAttr, wantVal string
		wantErr           string
		schema            segment.Schema
	}{
		{name: "OK", attr: "industry", value: "retail", wantAttr: "industry", wantVal: "retail"},
		{name: "AnyCaseAndSpaces", attr: "Industry", value: "  Consumer   GOODS ", wantAttr: "industry", wantVal: "consumer goods"},
		{name: "EmptyClears", attr: "region", value: " ", wantAttr: "region"},
		{name: "UnknownAttribute", attr: "size", value: "big", wantErr: "There is no attribute size. The attributes are: industry, region."},
		{name: "UnknownValue", attr: "industry", value: "banking", wantErr: "banking is not a value of Industry. Its values are: retail, consumer goods."},
		{name: "NoSegments", attr: "industry", value: "retail", schema: segment.Schema{}, wantErr: "No segments are configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := schema
			if tt.schema != nil {
				s = tt.schema
			}
			a, v, err := s.Resolve(tt.attr, tt.value)
			if tt.wantErr != "" {
				if msg := i18n.ErrorMessage(i18n.EN, err); !strings.Contains(msg, tt.wantErr) {
					t.Errorf("error %q, want it to contain %q", msg, tt.wantErr)
				}
				return
			}
			if err != nil || a != tt.wantAttr || v != tt.wantVal {
				t.Errorf("Resolve = %q %q %v", a, v, err)
			}
		})
	}
}

func TestScore(t *testing.T) {
	icp := segment.ICP{{Name: "industry", Values: []string{"retail", "software"}}, {Name: "size_band", Values: []string{"51-200"}}}
	tests := []struct {
		name    string
		attrs   map[string]string
		bp      int
		class   segment.Class
		missing string
	}{
		{"Fit", map[string]string{"industry": "Retail", "size_band": "51-200", "region": "north"}, 10000, segment.Fit, ""},
		{"HalfKnown", map[string]string{"industry": "software"}, 5000, segment.Unknown, "size_band"},
		{"Against", map[string]string{"industry": "banking", "size_band": "51-200"}, 5000, segment.Unfit, ""},
		{"AgainstWithMissing", map[string]string{"size_band": "1-50"}, 0, segment.Unfit, "industry"},
		{"Nothing", nil, 0, segment.Unknown, "industry,size_band"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := icp.Score(domain.AttrsOf(tt.attrs))
			if s.BP() != tt.bp || s.Class() != tt.class || strings.Join(s.Missing, ",") != tt.missing {
				t.Errorf("score %+v: bp %d class %v", s, s.BP(), s.Class())
			}
		})
	}
	if (segment.ICP{}).Score(domain.AttrsOf(map[string]string{"industry": "retail"})).BP() != 0 {
		t.Error("an empty ICP scores")
	}
}

// closed makes deals of one industry closed on day: won of them won, lost lost.
type closed struct {
	industry  string
	day       string
	won, lost int
}

func input(t *testing.T, groups ...closed) coaching.Input {
	t.Helper()
	s := coaching.DefaultSettings()
	s.Location = time.UTC
	in := coaching.Input{Settings: s}
	id := 0
	for _, g := range groups {
		for i := range g.won + g.lost {
			id++
			when := day(t, g.day)
			created := when.AddDate(0, 0, -10)
			status := domain.Won
			if i >= g.won {
				status = domain.Lost
			}
			d := &domain.Deal{ID: domain.DealID(id), Name: fmt.Sprint("Deal ", id), Account: "A", Owner: "U0ANNA", Amount: 100_00,
				Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, Status: status, CreatedAt: created, UpdatedAt: when}
			d.SetAttr("industry", g.industry)
			in.Deals = append(in.Deals, coaching.DealInput{Deal: d, History: []domain.HistoryEntry{
				{Deal: d.ID, At: created, Field: domain.FieldStage, New: "Qualification"},
				{Deal: d.ID, At: when, Field: domain.FieldStatus, Old: "open", New: string(status)},
			}})
		}
	}
	return in
}

// TestProposalThresholds: a proposal needs the evidence (too few deals →
// no proposal), and each rule its margin.
func TestProposalThresholds(t *testing.T) {
	schema := segment.Schema{{Name: "industry", Values: []string{"retail", "software"}}}
	icp := segment.ICP{{Name: "industry", Values: []string{"retail"}}}
	const now, before = "2026-11-15", "2026-05-15"
	q := period(t, "2026-10-01", "2026-12-31")
	quarters := []coaching.Period{period(t, "2025-10-01", "2025-12-31"), period(t, "2026-01-01", "2026-03-31"),
		period(t, "2026-04-01", "2026-06-30"), period(t, "2026-07-01", "2026-09-30")}
	th := segment.Thresholds{MinDeals: 3, StopPct: 50}
	tests := []struct {
		name  string
		deals []closed
		icp   segment.ICP
		th    segment.Thresholds
		want  string
	}{
		{name: "AddAboveFit", deals: []closed{{"software", now, 3, 0}, {"retail", now, 1, 2}}, want: "add software"},
		{name: "AddTooFewSegment", deals: []closed{{"software", now, 2, 0}, {"retail", now, 1, 2}}},
		{name: "AddTooFewFit", deals: []closed{{"software", now, 3, 0}, {"retail", now, 1, 1}}},
		{name: "AddNotAbove", deals: []closed{{"software", now, 1, 2}, {"retail", now, 1, 2}}},
		{name: "AddDealsBeforeDoNotCount", deals: []closed{{"software", before, 3, 0}, {"software", now, 2, 0}, {"retail", now, 1, 2}}},
		{name: "RemoveStopped", deals: []closed{{"retail", before, 3, 1}, {"retail", now, 1, 3}}, want: "remove retail"},
		{name: "RemoveAtExactlyHalf", deals: []closed{{"retail", before, 2, 2}, {"retail", now, 1, 3}}, want: "remove retail"},
		{name: "RemoveNotHalved", deals: []closed{{"retail", before, 3, 1}, {"retail", now, 2, 2}}},
		{name: "RemoveTooFewNow", deals: []closed{{"retail", before, 3, 0}, {"retail", now, 0, 2}}},
		{name: "RemoveTooFewBefore", deals: []closed{{"retail", before, 1, 1}, {"retail", now, 0, 3}}},
		{name: "RemoveNeverWon", deals: []closed{{"retail", before, 0, 3}, {"retail", now, 0, 3}}},
		{name: "HigherMinDeals", deals: []closed{{"software", now, 3, 0}, {"retail", now, 1, 2}}, th: segment.Thresholds{MinDeals: 4, StopPct: 50}},
		{name: "NoICP", deals: []closed{{"software", now, 3, 0}, {"retail", now, 1, 2}}, icp: segment.ICP{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, thr := icp, th
			if tt.icp != nil {
				p = tt.icp
			}
			if tt.th != (segment.Thresholds{}) {
				thr = tt.th
			}
			r := segment.DriftOf(input(t, tt.deals...), schema, p, q, quarters, fixtureNow, thr)
			var got []string
			for _, pr := range r.Proposals {
				got = append(got, string(pr.Kind)+" "+pr.Value)
			}
			if strings.Join(got, "; ") != tt.want {
				t.Errorf("proposals = %q, want %q\nfit now %+v\ndrifts %+v", got, tt.want, r.FitNow, r.Drifts)
			}
		})
	}
}

// TestTooFewRows: a value below MinDeals closed is marked, one at it is not.
func TestTooFewRows(t *testing.T) {
	schema := segment.Schema{{Name: "industry", Values: []string{"retail", "software"}}}
	in := input(t, closed{"retail", "2026-11-15", 2, 1}, closed{"software", "2026-11-15", 1, 1})
	tab := segment.KPIs(in, schema, nil, "industry", period(t, "2026-10-01", "2026-12-31"), fixtureNow, segment.Thresholds{MinDeals: 3})
	if len(tab.Rows) != 2 || tab.Rows[0].TooFew || !tab.Rows[1].TooFew {
		t.Errorf("rows = %+v", tab.Rows)
	}
	if tab.Fit != (segment.Comparison{}) {
		t.Errorf("no ICP, yet a comparison %+v", tab.Fit)
	}
	// A value since removed from segments: keeps its row, unlisted, after the listed ones.
	tab = segment.KPIs(in, segment.Schema{{Name: "industry", Values: []string{"software"}}}, nil, "industry", period(t, "2026-10-01", "2026-12-31"), fixtureNow, segment.Thresholds{MinDeals: 3})
	if len(tab.Rows) != 2 || tab.Rows[0].Value != "software" || tab.Rows[1].Value != "retail" || tab.Rows[1].Listed {
		t.Errorf("rows = %+v", tab.Rows)
	}
}
