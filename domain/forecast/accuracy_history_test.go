package forecast_test

import (
	"bufio"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// The team of testdata/accuracy_h1_2027.txt.
const (
	hAna  = domain.UserID("U0ANA")
	hBen  = domain.UserID("U0BEN")
	hCy   = domain.UserID("U0CY")
	hMaud = domain.UserID("U0MAUD")
)

var hCal = forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}

// hDeal is a deal of the fixture: open (in cat) from created until 12:00
// UTC on its close date, then won or lost.
type hDeal struct {
	id      domain.DealID
	owner   domain.UserID
	euros   int64
	cat     domain.Category
	close   string
	end     domain.Status
	created string
}

var hDeals = []hDeal{
	{1, hAna, 10_000, commit, "2027-01-20", won, ""},
	{2, hAna, 20_000, commit, "2027-02-17", won, ""},
	{3, hAna, 15_000, commit, "2027-03-17", lost, ""},
	{4, hAna, 30_000, commit, "2027-04-21", won, ""},
	{5, hAna, 10_000, commit, "2027-05-19", lost, ""},
	{6, hAna, 20_000, commit, "2027-06-16", won, ""},
	{11, hBen, 12_000, bestCase, "2027-01-13", won, ""},
	{12, hBen, 8_000, bestCase, "2027-02-10", won, ""},
	{13, hBen, 20_000, bestCase, "2027-03-10", won, ""},
	{14, hBen, 10_000, bestCase, "2027-04-14", won, ""},
	{15, hBen, 16_000, bestCase, "2027-05-12", won, ""},
	{16, hBen, 10_000, bestCase, "2027-06-09", won, ""},
	{21, hCy, 25_000, commit, "2027-06-23", won, "2027-05-10"},
}

func utcAt(date string, hour int) time.Time {
	return day(date).Time(time.UTC).Add(time.Duration(hour) * time.Hour)
}

// hDealsAt are the fixture's deals as they were at t.
func hDealsAt(t time.Time) []*domain.Deal {
	var out []*domain.Deal
	for _, h := range hDeals {
		created := utcAt("2026-12-01", 10)
		if h.created != "" {
			created = utcAt(h.created, 10)
		}
		if t.Before(created) {
			continue
		}
		d := &domain.Deal{ID: h.id, Name: h.id.Ref(), Account: "Acme", Owner: h.owner, Amount: eur(h.euros), Currency: "EUR",
			Stage: "Negotiation", Category: h.cat, CloseDate: day(h.close), Status: open, CreatedAt: created, UpdatedAt: created, Version: 1}
		if closed := utcAt(h.close, 12); !t.Before(closed) {
			d.Status, d.UpdatedAt, d.Stage = h.end, closed, "Closing"
			if h.end == lost {
				d.LossReason = "price"
			}
		}
		out = append(out, d)
	}
	return out
}

// hSnaps are the Monday 08:00 snapshots, kept as the digest keeps them.
func hSnaps() []forecast.Snapshot {
	var out []forecast.Snapshot
	for _, s := range []string{"2027-01-04", "2027-01-25", "2027-02-01", "2027-02-22", "2027-03-01", "2027-03-29",
		"2027-04-05", "2027-04-26", "2027-05-03", "2027-05-31", "2027-06-07", "2027-06-28", "2027-07-05"} {
		at := utcAt(s, 8)
		keep := hCal.Current(at).Start
		if wk := day(s).AddDays(-7); wk.Before(keep) {
			keep = wk
		}
		out = append(out, forecast.TakeSnapshot(hCal, at, hDealsAt(at), keep))
	}
	return out
}

func hCalls() []forecast.Call {
	c := func(user domain.UserID, team, period, date string, euros int64) forecast.Call {
		at := utcAt(date, 9)
		return forecast.Call{User: user, Team: team, Period: period, Week: hCal.Week(at), At: at, Commit: eur(euros), BestCase: eur(euros)}
	}
	return []forecast.Call{
		c(hAna, "", "2027-01", "2027-01-04", 12_000), c(hAna, "", "2027-01", "2027-01-25", 11_000),
		c(hAna, "", "2027-02", "2027-02-01", 22_000), c(hAna, "", "2027-02", "2027-02-22", 20_000),
		c(hAna, "", "2027-03", "2027-03-01", 15_000), c(hAna, "", "2027-03", "2027-03-29", 0),
		c(hAna, "", "2027-04", "2027-04-05", 33_000), c(hAna, "", "2027-04", "2027-04-26", 31_500),
		c(hAna, "", "2027-05", "2027-05-03", 12_000),
		c(hAna, "", "2027-06", "2027-06-07", 24_000), c(hAna, "", "2027-06", "2027-06-28", 21_000),
		c(hAna, "", "2027-Q1", "2027-01-04", 40_000), c(hAna, "", "2027-Q1", "2027-03-01", 33_000),
		c(hAna, "", "2027-Q2", "2027-04-05", 60_000), c(hAna, "", "2027-Q2", "2027-06-07", 55_000),

		c(hBen, "", "2027-01", "2027-01-04", 9_000), c(hBen, "", "2027-01", "2027-01-25", 12_000),
		c(hBen, "", "2027-02", "2027-02-01", 6_000), c(hBen, "", "2027-02", "2027-02-22", 7_000),
		c(hBen, "", "2027-03", "2027-03-01", 15_000),
		c(hBen, "", "2027-04", "2027-04-05", 8_000), c(hBen, "", "2027-04", "2027-04-26", 9_500),
		c(hBen, "", "2027-05", "2027-05-31", 14_000),
		c(hBen, "", "2027-06", "2027-06-07", 9_000), c(hBen, "", "2027-06", "2027-06-28", 10_000),
		c(hBen, "", "2027-06", "2027-07-01", 99_000), // after June: ignored
		c(hBen, "", "2027-Q1", "2027-01-04", 30_000), c(hBen, "", "2027-Q1", "2027-03-01", 36_000),
		c(hBen, "", "2027-Q2", "2027-04-05", 30_000), c(hBen, "", "2027-Q2", "2027-06-07", 36_000),

		c(hCy, "", "2027-Q2", "2027-05-10", 20_000),
		c(hCy, "", "2027-06", "2027-06-28", 25_000),

		c(hMaud, "North", "2027-Q1", "2027-01-04", 70_000), c(hMaud, "North", "2027-Q1", "2027-03-01", 75_000),
		c(hMaud, "North", "2027-Q2", "2027-04-05", 100_000), c(hMaud, "North", "2027-Q2", "2027-06-07", 120_000),
		c(hMaud, "North", "2027-05", "2027-05-03", 20_000),
		c(hMaud, "North", "2027-06", "2027-06-07", 50_000),
	}
}

func hOrg(t *testing.T) *forecast.Org {
	t.Helper()
	o, err := forecast.NewOrg(hCal, "EUR", domain.DefaultStages(),
		[]forecast.Team{{Name: "North", Manager: hMaud, Members: []domain.UserID{hAna, hBen, hCy}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

var hWho = map[string]domain.UserID{"ana": hAna, "ben": hBen, "cy": hCy}

// TestAccuracyFixture reproduces every figure of
// testdata/accuracy_h1_2027.txt: each month's and quarter's signed error at
// the start and at M-1 for every rep and the team, then the four-period
// trends and their labels on 2027-07-05.
func TestAccuracyFixture(t *testing.T) {
	org := hOrg(t)
	final := hDealsAt(utcAt("2027-07-05", 8))
	snaps, calls := hSnaps(), hCalls()
	f, err := os.Open("testdata/accuracy_h1_2027.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reports := map[string]*forecast.AccuracyReport{}
	report := func(name string) *forecast.AccuracyReport {
		if r, ok := reports[name]; ok {
			return r
		}
		p, err := hCal.ParsePeriod(name)
		if err != nil {
			t.Fatal(err)
		}
		reports[name] = org.Accuracy(p, org.Rollup(p, final), calls, snaps)
		return reports[name]
	}
	today := day("2027-07-05")
	hist := map[string]*forecast.AccuracyHistory{
		"month":   org.AccuracyHistory(forecast.Month, today, final, calls, snaps),
		"quarter": org.AccuracyHistory(forecast.Quarter, today, final, calls, snaps),
	}
	row := func(h *forecast.AccuracyHistory, who string) forecast.AccuracyRow {
		if u, ok := hWho[who]; ok {
			r, _ := h.Rep(u)
			return r
		}
		r, _ := h.Team(who)
		return r
	}
	num := func(s string) int64 {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("bad number %q", s)
		}
		return n
	}
	var figs, trends, periods int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		switch {
		case fs[0] == "fig" && len(fs) == 10 && fs[1] != "kind":
			figs++
			period, who, point := fs[2], fs[3], fs[4]
			r := report(period)
			var line forecast.AccuracyLine
			if u, ok := hWho[who]; ok {
				line = repLine(r, u)()
			} else {
				line = teamLine(r, who)()
			}
			a, ok := line.Point(point)
			if !ok {
				t.Errorf("%s %s %s: no point", period, who, point)
				continue
			}
			want := forecast.Accuracy{Point: point, Week: a.Week, Actual: eur(num(fs[5])), BottomUp: eur(num(fs[8]))}
			if fs[9] == "n/a" {
				want.BottomUpUnmeasurable = true
			} else {
				want.BottomUpErrorBP = int(num(fs[9]))
			}
			if fs[6] != "-" {
				want.Called, want.HasCall = eur(num(fs[6])), true
				if fs[7] == "n/a" {
					want.Unmeasurable = true
				} else {
					want.ErrorBP = int(num(fs[7]))
				}
			}
			if a != want {
				t.Errorf("%s %s %s:\n got %+v\nwant %+v", period, who, point, a, want)
			}
		case fs[0] == "periods" && hist[fs[1]] != nil:
			periods++
			if got := hist[fs[1]].Periods; !reflect.DeepEqual(got, fs[2:]) {
				t.Errorf("%s trend periods = %v, want %v", fs[1], got, fs[2:])
			}
		case fs[0] == "trend" && hist[fs[1]] != nil:
			trends++
			h, who, point := hist[fs[1]], fs[2], fs[3]
			r := row(h, who)
			errs, measured := r.Trend(point)
			var got []string
			for i, e := range errs {
				a := r.Cells[i].Start
				if point == forecast.PointM1 {
					a = r.Cells[i].M1
				}
				switch {
				case measured[i]:
					got = append(got, strconv.Itoa(e))
				case a != nil && a.Unmeasurable:
					got = append(got, "n/a")
				default:
					got = append(got, "-")
				}
			}
			wantErrs, wantBias := fs[4:len(fs)-1], fs[len(fs)-1]
			if !reflect.DeepEqual(got, wantErrs) {
				t.Errorf("%s %s %s trend = %v, want %v", fs[1], who, point, got, wantErrs)
			}
			bias := r.StartBias
			if point == forecast.PointM1 {
				bias = r.M1Bias
			}
			if bias.String() != wantBias {
				t.Errorf("%s %s %s bias = %s, want %s", fs[1], who, point, bias, wantBias)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// 6 months × 4 lines × 2 points, 2 quarters × 4 × 2; 2 kinds × 4 × 2.
	if figs != 64 || trends != 16 || periods != 2 {
		t.Errorf("read %d figures, %d trends, %d period lists; want 64, 16, 2", figs, trends, periods)
	}
}

// TestLeaning: over the fixture's months, ana over-calls and ben sandbags;
// cy (one month measured) and someone with no row lean neither way; the
// order is the one asked.
func TestLeaning(t *testing.T) {
	org := hOrg(t)
	h := org.AccuracyHistory(forecast.Month, day("2027-07-05"), hDealsAt(utcAt("2027-07-05", 8)), hCalls(), hSnaps())
	over, under := h.Leaning([]domain.UserID{"U0NOBODY", hCy, hBen, hAna})
	if !reflect.DeepEqual(over, domain.UserList{hAna}) || !reflect.DeepEqual(under, domain.UserList{hBen}) {
		t.Errorf("over %v, under %v; want [ana], [ben]", over, under)
	}
	if over, under := h.Leaning(nil); over != nil || under != nil {
		t.Errorf("nobody asked: %v %v", over, under)
	}
}
