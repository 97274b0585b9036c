package coaching_test

import (
	"bufio"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

// trendFixture reads testdata/trends_deals.txt (its header gives the
// format) into the rules' input, in UTC with the default settings.
func trendFixture(t *testing.T) coaching.Input {
	t.Helper()
	f, err := os.Open("testdata/trends_deals.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := coaching.Input{Settings: coaching.DefaultSettings()}
	var cur *coaching.DealInput
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		w := strings.Fields(line)
		switch {
		case len(w) == 0 || strings.HasPrefix(line, "#"):
		case w[0] == "deal":
			id, _ := strconv.Atoi(w[1])
			eur, _ := strconv.ParseInt(w[3], 10, 64)
			d := &domain.Deal{ID: domain.DealID(id), Name: "D" + w[1], Account: "Account " + w[1], Owner: domain.UserID(w[2]),
				Amount: eur * 100, Currency: "EUR", Category: domain.Pipeline, Status: domain.Open,
				Need: "yes", DecisionMakers: "yes", Budget: "yes", Timeline: "yes", Risk: "yes", NextStep: "Follow up"}
			var disc coaching.DiscountInfo
			for _, flag := range w[4:] {
				switch {
				case strings.HasPrefix(flag, "discount="):
					disc.ApprovedBP, _ = strconv.Atoi(strings.TrimPrefix(flag, "discount="))
				case flag == "terms":
					disc.NonStandardTerms = true
				case flag == "nobudget":
					d.Budget = ""
				default:
					t.Fatalf("line %d: unknown flag %q", n, flag)
				}
			}
			d.Discount = disc.ApprovedBP
			in.Deals = append(in.Deals, coaching.DealInput{Deal: d, Discount: disc})
			cur = &in.Deals[len(in.Deals)-1]
		case len(w) == 3 && cur != nil:
			at := when(t, w[0])
			d := cur.Deal
			value := w[2]
			if value == "-" {
				value = ""
			}
			first := len(cur.History) == 0
			if first {
				d.CreatedAt, d.CreatedBy = at, d.Owner
				cur.History = append(cur.History, domain.HistoryEntry{Deal: d.ID, At: at, By: d.Owner, Field: domain.FieldStatus, New: string(domain.Open)})
			}
			var field domain.Field
			switch w[1] {
			case "stage":
				field = domain.FieldStage
			case "close":
				field = domain.FieldCloseDate
			case "status":
				field = domain.FieldStatus
			case "budget":
				field = domain.FieldBudget
			case "timeline":
				field = domain.FieldTimeline
			default:
				t.Fatalf("line %d: unknown field %q", n, w[1])
			}
			old := d.Get(field)
			if field == domain.FieldCloseDate && d.CloseDate.IsZero() {
				old = ""
			}
			if field == domain.FieldStage && d.Stage == "" {
				old = ""
			}
			switch field {
			case domain.FieldStage:
				d.Stage = value
			case domain.FieldCloseDate:
				d.CloseDate = date(t, value)
			case domain.FieldStatus:
				d.Status = domain.Status(value)
				if d.Status == domain.Lost {
					d.LossReason = "price"
				}
			case domain.FieldBudget:
				d.Budget = value
			case domain.FieldTimeline:
				d.Timeline = value
			}
			d.UpdatedAt = at
			cur.History = append(cur.History, domain.HistoryEntry{Deal: d.ID, At: at, By: d.Owner, Field: field, Old: old, New: value})
		default:
			t.Fatalf("line %d: %q", n, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return in
}

// TestTrendFixture reproduces every trend figure and every hollow-win
// figure of testdata/trends_fixture.md, worked out there by hand. The
// slippage points are forecast's (domain/forecast/trend_fixture_test.go
// reproduces them from the same deals); here they are the input Trends
// is given.
func TestTrendFixture(t *testing.T) {
	in := trendFixture(t)
	q1 := period(t, "2027-01-01", "2027-03-31")
	now := time.Date(2027, 3, 31, 18, 0, 0, 0, time.UTC)
	prev, ly := coaching.Comparisons(q1)
	if prev != period(t, "2026-10-03", "2026-12-31") || ly != period(t, "2026-01-01", "2026-03-31") {
		t.Fatalf("comparisons %v %v", prev, ly)
	}
	rs := coaching.KPIsOver(in, q1, []coaching.Period{prev, ly}, now)

	type closed struct {
		won, lost, winBP int
		wonAmount, avg   int64
		median           float64
	}
	for i, want := range []closed{
		{4, 1, 8000, 10_300_000, 2_575_000, 64},
		{1, 1, 5000, 2_500_000, 2_500_000, 63},
		{2, 1, 6667, 4_000_000, 2_000_000, 73},
	} {
		m := rs[i].Team
		if got := (closed{m.Won, m.Lost, m.WinRateBP, m.WonAmount, m.AvgWonAmount, m.CycleMedianDays}); got != want {
			t.Errorf("period %d: %+v, want %+v", i, got, want)
		}
	}
	// {entered, advanced, lost, open} per stage Q Di De P.
	for i, want := range [][4][4]int{
		{{4, 3, 0, 1}, {4, 3, 1, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}},
		{{3, 2, 0, 1}, {3, 2, 0, 1}, {1, 0, 1, 0}, {}},
		{{2, 1, 1, 0}, {2, 2, 0, 0}, {1, 1, 0, 0}, {}},
	} {
		var got [4][4]int
		for st := range got {
			c := rs[i].Team.Conversion[st]
			got[st] = [4]int{c.Entered, c.Advanced, c.Lost, c.Open}
		}
		if got != want {
			t.Errorf("period %d conversion %v, want %v", i, got, want)
		}
	}

	slips := [3]coaching.SlipRate{{ForecastAmount: 15_000_000, RateBP: 800}, {ForecastAmount: 9_800_000, RateBP: 1071}, {ForecastAmount: 6_000_000, RateBP: 0}}
	bp := func(v int) coaching.Point { return coaching.Point{Has: true, BP: v} }
	want := []coaching.Trend{
		{Figure: coaching.FigureWinRate, Points: [3]coaching.Point{bp(8000), bp(5000), bp(6667)}},
		{Figure: coaching.FigureAvgWon, Points: [3]coaching.Point{{Has: true, Amount: 2_575_000}, {Has: true, Amount: 2_500_000}, {Has: true, Amount: 2_000_000}}},
		{Figure: coaching.FigureCycle, Points: [3]coaching.Point{{Has: true, Days: 64}, {Has: true, Days: 63}, {Has: true, Days: 73}}},
		{Figure: coaching.FigureConversion, Stage: "Qualification", Points: [3]coaching.Point{bp(7500), bp(6667), bp(5000)}},
		{Figure: coaching.FigureConversion, Stage: "Discovery", Points: [3]coaching.Point{bp(7500), bp(6667), bp(10_000)}},
		{Figure: coaching.FigureConversion, Stage: "Demo", Points: [3]coaching.Point{bp(10_000), bp(0), bp(10_000)}},
		{Figure: coaching.FigureSlippage, Points: [3]coaching.Point{bp(800), bp(1071), bp(0)}},
	}
	if got := coaching.Trends([3]coaching.Metrics{rs[0].Team, rs[1].Team, rs[2].Team}, slips); !reflect.DeepEqual(got, want) {
		t.Errorf("trends =\n%+v\nwant\n%+v", got, want)
	}

	team, reps := coaching.HollowWins(in, q1)
	wantTeam := coaching.Scorecard{Won: 4, WonAmount: 10_300_000, Discount: 1_050_000, Terms: 6_050_000, Unqualified: 2_000_000, Any: 8_050_000,
		DiscountBP: 1019, TermsBP: 5874, UnqualifiedBP: 1942, AnyBP: 7816}
	if team != wantTeam {
		t.Errorf("team scorecard %+v\nwant %+v", team, wantTeam)
	}
	wantReps := []coaching.Scorecard{
		{Rep: "anna", Won: 2, WonAmount: 6_050_000, Discount: 1_050_000, Terms: 6_050_000, Any: 6_050_000, DiscountBP: 1736, TermsBP: 10_000, AnyBP: 10_000},
		{Rep: "bruno", Won: 2, WonAmount: 4_250_000, Unqualified: 2_000_000, Any: 2_000_000, UnqualifiedBP: 4706, AnyBP: 4706},
	}
	if !reflect.DeepEqual(reps, wantReps) {
		t.Errorf("reps' scorecards\n%+v\nwant\n%+v", reps, wantReps)
	}
}
