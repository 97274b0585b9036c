package segment_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/segment"
)

// fixtureSchema and fixtureICP are segments_fixture.md's.
var (
	fixtureSchema = segment.Schema{{Name: "industry", Values: []string{"retail", "software", "healthcare"}}}
	fixtureICP    = segment.ICP{{Name: "industry", Values: []string{"retail"}}}
	fixtureTh     = segment.Thresholds{MinDeals: 3, StopPct: 50}
)

// loadDeals reads testdata/segments_deals.txt (its header says how).
func loadDeals(t *testing.T) coaching.Input {
	t.Helper()
	f, err := os.Open("testdata/segments_deals.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := coaching.DefaultSettings()
	s.Location = time.UTC
	in := coaching.Input{Settings: s}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || fs[0] == "#" {
			continue
		}
		if fs[0] != "deal" || len(fs) < 5 {
			t.Fatalf("bad line %q", sc.Text())
		}
		id, _ := strconv.Atoi(fs[1])
		euros, _ := strconv.ParseInt(fs[3], 10, 64)
		created := day(t, fs[4])
		d := &domain.Deal{ID: domain.DealID(id), Name: "Deal " + fs[1], Account: "Account " + fs[1], Owner: "U0ANNA",
			Amount: euros * 100, Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, Status: domain.Open,
			CreatedAt: created, UpdatedAt: created, CloseDate: domain.DateOf(created).AddDays(90)}
		if fs[2] != "-" {
			d.SetAttr("industry", fs[2])
		}
		hist := []domain.HistoryEntry{{Deal: d.ID, At: created, Field: domain.FieldStage, New: "Qualification"},
			{Deal: d.ID, At: created, Field: domain.FieldStatus, New: string(domain.Open)}}
		var info coaching.DiscountInfo
		category := ""
		for _, kv := range fs[5:] {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "discovery", "proposal":
				st, _ := s.Stages.Lookup(k)
				when := day(t, v)
				hist = append(hist, domain.HistoryEntry{Deal: d.ID, At: when, Field: domain.FieldStage, Old: d.Stage, New: st.Name})
				d.Stage, d.Category, d.UpdatedAt = st.Name, st.Category, when
			case "won", "lost":
				when := day(t, v)
				hist = append(hist, domain.HistoryEntry{Deal: d.ID, At: when, Field: domain.FieldStatus, Old: string(domain.Open), New: k})
				d.Status, d.UpdatedAt, d.CloseDate = domain.Status(k), when, domain.DateOf(when)
				if k == "lost" {
					d.LossReason = "price"
				}
			case "discount":
				bp, _ := strconv.Atoi(v)
				d.Discount, info.ApprovedBP = bp, bp
			case "category":
				category = v
			default:
				t.Fatalf("unknown key %q in %q", k, sc.Text())
			}
		}
		if category != "" {
			d.Category, _ = domain.ParseCategory(category)
		}
		in.Deals = append(in.Deals, coaching.DealInput{Deal: d, History: hist, Discount: info})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(in.Deals) != 25 {
		t.Fatalf("%d deals, want 25", len(in.Deals))
	}
	return in
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := domain.ParseISODate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d.Time(time.UTC).Add(10 * time.Hour)
}

func period(t *testing.T, from, to string) coaching.Period {
	t.Helper()
	f, err := domain.ParseISODate(from)
	if err != nil {
		t.Fatal(err)
	}
	e, err := domain.ParseISODate(to)
	if err != nil {
		t.Fatal(err)
	}
	return coaching.Period{From: f, To: e}
}

var fixtureNow = time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)

// rowWant is what segments_fixture.md computes for one row.
type rowWant struct {
	value                  string
	won, lost, winBP       int
	avgWon                 int64 // cents
	cycle                  float64
	discountBP             int
	qualLossBP, discLossBP int
	pipeline, weighted     int64 // cents
	pipelineDeals          int
	tooFew                 bool
}

func checkRow(t *testing.T, r segment.Row, w rowWant) {
	t.Helper()
	m := r.Metrics
	got := rowWant{value: r.Value, won: m.Won, lost: m.Lost, winBP: m.WinRateBP, avgWon: m.AvgWonAmount, cycle: m.CycleMedianDays,
		discountBP: m.AvgDiscountBP, qualLossBP: m.Conversion[0].LossBP, discLossBP: m.Conversion[1].LossBP,
		pipeline: r.Pipeline, weighted: r.Weighted, pipelineDeals: r.PipelineDeals, tooFew: r.TooFew}
	if got != w {
		t.Errorf("row %q:\n got %+v\nwant %+v", w.value, got, w)
	}
}

// TestFixture reproduces every figure of testdata/segments_fixture.md.
func TestFixture(t *testing.T) {
	in := loadDeals(t)
	year := period(t, "2026-01-01", "2026-12-31")
	tab := segment.KPIs(in, fixtureSchema, fixtureICP, "industry", year, fixtureNow, fixtureTh)

	t.Run("ByIndustry", func(t *testing.T) {
		want := []rowWant{
			{value: "retail", won: 7, lost: 5, winBP: 5833, avgWon: 1_828_571, cycle: 50, discountBP: 429, qualLossBP: 2308, discLossBP: 2000,
				pipeline: 4_000_000, weighted: 2_400_000, pipelineDeals: 1},
			{value: "software", won: 4, lost: 5, winBP: 4444, avgWon: 1_987_500, cycle: 45, discountBP: 375, qualLossBP: 3000, discLossBP: 3333,
				pipeline: 2_500_000, weighted: 500_000, pipelineDeals: 1},
			{value: "healthcare", tooFew: true},
			{value: segment.NotSet, won: 1, winBP: 10000, avgWon: 5_000_000, cycle: 60, tooFew: true},
		}
		if len(tab.Rows) != len(want) {
			t.Fatalf("%d rows, want %d: %+v", len(tab.Rows), len(want), tab.Rows)
		}
		for i, w := range want {
			checkRow(t, tab.Rows[i], w)
		}
		if !tab.Rows[0].Listed || !tab.Rows[2].Listed || tab.Rows[3].Listed {
			t.Errorf("listed = %v %v %v %v", tab.Rows[0].Listed, tab.Rows[1].Listed, tab.Rows[2].Listed, tab.Rows[3].Listed)
		}
		// Loss rates' inputs, as the fixture counts them.
		q, di := tab.Rows[0].Metrics.Conversion[0], tab.Rows[0].Metrics.Conversion[1]
		if q.Entered != 13 || q.Advanced != 10 || q.Lost != 3 || di.Entered != 10 || di.Advanced != 8 || di.Lost != 2 {
			t.Errorf("retail conversion = %+v %+v", q, di)
		}
		q, di = tab.Rows[1].Metrics.Conversion[0], tab.Rows[1].Metrics.Conversion[1]
		if q.Entered != 11 || q.Advanced != 7 || q.Lost != 3 || q.Open != 1 || di.Entered != 7 || di.Advanced != 4 || di.Lost != 2 || di.Open != 1 {
			t.Errorf("software conversion = %+v %+v", q, di)
		}
	})
	t.Run("Total", func(t *testing.T) {
		checkRow(t, tab.Total, rowWant{won: 12, lost: 10, winBP: 5455, avgWon: 2_145_833, cycle: 50, discountBP: 375,
			qualLossBP: tab.Total.Metrics.Conversion[0].LossBP, discLossBP: tab.Total.Metrics.Conversion[1].LossBP,
			pipeline: 6_500_000, weighted: 2_900_000, pipelineDeals: 2})
	})
	t.Run("FitAgainstOthers", func(t *testing.T) {
		want := segment.Comparison{
			Fit:     segment.Group{Won: 7, Lost: 5, WinRateBP: 5833, CycleMedianDays: 50},
			Others:  segment.Group{Won: 4, Lost: 5, WinRateBP: 4444, CycleMedianDays: 45},
			Unknown: segment.Group{Won: 1, WinRateBP: 10000, CycleMedianDays: 60, TooFew: true},
		}
		if tab.Fit != want {
			t.Errorf("fit = %+v\nwant %+v", tab.Fit, want)
		}
	})
	t.Run("FitScore", func(t *testing.T) {
		for _, tt := range []struct {
			deal    int
			bp      int
			class   segment.Class
			against string
		}{{13, 10000, segment.Fit, ""}, {23, 0, segment.Unfit, "industry"}, {25, 0, segment.Unknown, ""}} {
			s := fixtureICP.Score(in.Deals[tt.deal-1].Deal.Attributes)
			if s.BP() != tt.bp || s.Class() != tt.class || strings.Join(s.Against, ",") != tt.against {
				t.Errorf("deal %d: score %+v, bp %d, class %v", tt.deal, s, s.BP(), s.Class())
			}
		}
	})
	t.Run("Review", func(t *testing.T) {
		q4 := period(t, "2026-10-01", "2026-12-31")
		before := []coaching.Period{period(t, "2025-10-01", "2025-12-31"), period(t, "2026-01-01", "2026-03-31"),
			period(t, "2026-04-01", "2026-06-30"), period(t, "2026-07-01", "2026-09-30")}
		r := segment.DriftOf(in, fixtureSchema, fixtureICP, q4, before, fixtureNow, fixtureTh)
		if want := (segment.Group{Won: 1, Lost: 3, WinRateBP: 2500, CycleMedianDays: 60}); r.FitNow != want {
			t.Errorf("fit now = %+v, want %+v", r.FitNow, want)
		}
		g := func(won, lost, bp int, cycle float64) segment.Group {
			return segment.Group{Won: won, Lost: lost, WinRateBP: bp, CycleMedianDays: cycle, TooFew: won+lost < 3}
		}
		want := []segment.Drift{
			{Attribute: "industry", Value: "retail", InICP: true, Now: g(1, 3, 2500, 60), Before: g(6, 2, 7500, 45),
				Quarters: []segment.Group{g(0, 0, 0, 0), g(2, 1, 6667, 30), g(3, 0, 10000, 50), g(1, 1, 5000, 40)}},
			{Attribute: "industry", Value: "software", Now: g(3, 1, 7500, 40), Before: g(1, 4, 2000, 60),
				Quarters: []segment.Group{g(0, 0, 0, 0), g(0, 2, 0, 0), g(1, 1, 5000, 60), g(0, 1, 0, 0)}},
			{Attribute: "industry", Value: "healthcare", Now: g(0, 0, 0, 0), Before: g(0, 0, 0, 0),
				Quarters: []segment.Group{g(0, 0, 0, 0), g(0, 0, 0, 0), g(0, 0, 0, 0), g(0, 0, 0, 0)}},
		}
		if len(r.Drifts) != len(want) {
			t.Fatalf("%d drifts, want %d: %+v", len(r.Drifts), len(want), r.Drifts)
		}
		for i, w := range want {
			if !sameDrift(r.Drifts[i], w) {
				t.Errorf("drift %d:\n got %+v\nwant %+v", i, r.Drifts[i], w)
			}
		}
		var got []string
		for _, p := range r.Proposals {
			got = append(got, string(p.Kind)+" "+p.Attribute+"="+p.Value)
		}
		if strings.Join(got, "; ") != "remove industry=retail; add industry=software" {
			t.Errorf("proposals = %q", got)
		}
		// The default thresholds (5 deals) make none from the same deals.
		if r := segment.DriftOf(in, fixtureSchema, fixtureICP, q4, before, fixtureNow, segment.DefaultThresholds()); len(r.Proposals) != 0 {
			t.Errorf("with MinDeals 5: %+v", r.Proposals)
		}
	})
}

func sameDrift(a, b segment.Drift) bool {
	if a.Attribute != b.Attribute || a.Value != b.Value || a.InICP != b.InICP || a.Now != b.Now || a.Before != b.Before || len(a.Quarters) != len(b.Quarters) {
		return false
	}
	for i := range a.Quarters {
		if a.Quarters[i] != b.Quarters[i] {
			return false
		}
	}
	return true
}
