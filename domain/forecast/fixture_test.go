package forecast_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// The fixture: a company with two teams selling in EUR, fiscal year =
// calendar year, time zone UTC+1, forecasting 2026-Q4 = [2026-10-01,
// 2027-01-01). Thirty-one deals, seen by weekly snapshots on Mondays at
// 08:00: W41 (Oct 5, the period's first), W49 (Nov 30) and W50 (Dec 7, "now"),
// plus one before the period (W40) and one after it closed (2027-W01, Jan 4),
// which accuracy must ignore.
//
// Default stages and probabilities: Qualification 10, Discovery 20, Demo 40,
// Proposal 60, Negotiation 80, Closing 90.
//
// Teams and 2026-Q4 quotas:
//
//	France   manager U0MGR1   Alice €100,000 (named quarter)
//	                          Bob    €80,000 (named quarter)
//	                          Chloe  months 2026-10 €20,000 + 2026-11 €20,000 + 2026-12 €25,000
//	                          team: no quota of its own → 100,000 + 80,000 + 65,000 = €245,000
//	Benelux  manager U0MGR2   David  €50,000 (every quarter)
//	                          Emma   none
//	                          team: €120,000 set for the team
//	(no team)                 Frank  none
//	company: 245,000 + 120,000 = €365,000
const (
	alice = domain.UserID("U0ALICE")
	bob   = domain.UserID("U0BOB")
	chloe = domain.UserID("U0CHLOE")
	david = domain.UserID("U0DAVID")
	emma  = domain.UserID("U0EMMA")
	frank = domain.UserID("U0FRANK")
	mgr1  = domain.UserID("U0MGR1")
	mgr2  = domain.UserID("U0MGR2")
)

// cet is the company's time zone (a fixed UTC+1, so tests need no tzdata).
var cet = time.FixedZone("CET", 3600)

var cal = forecast.Calendar{FiscalYearStart: time.January, Location: cet}

// eur converts whole euros to cents.
func eur(n int64) int64 { return n * 100 }

func day(s string) domain.Date {
	d, err := domain.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// monday8 is 08:00 company time on the given day.
func monday8(s string) time.Time { return day(s).Time(cet).Add(8 * time.Hour) }

// row is a deal's state in one week. Currency is EUR unless set.
type row struct {
	id       domain.DealID
	owner    domain.UserID
	amount   int64
	stage    string
	cat      domain.Category
	close    string
	status   domain.Status
	currency string
}

const (
	open = domain.Open
	won  = domain.Won
	lost = domain.Lost
)

const (
	commit   = domain.Commit
	bestCase = domain.BestCase
	upside   = domain.Upside
	pipeline = domain.Pipeline
	omitted  = domain.Omitted
)

// week50 is the pipeline on Monday 2026-12-07 ("now").
var week50 = []row{
	// Alice
	{1, alice, eur(30_000), "Closing", commit, "2026-10-20", won, ""},
	{2, alice, eur(25_000), "Closing", commit, "2026-12-03", won, ""},
	{3, alice, eur(40_000), "Negotiation", commit, "2026-12-15", open, ""},
	{4, alice, eur(20_000), "Proposal", bestCase, "2026-12-20", open, ""},
	{5, alice, eur(15_000), "Demo", upside, "2027-01-20", open, ""},
	{6, alice, eur(10_000), "Discovery", pipeline, "2026-12-28", open, ""},
	{7, alice, eur(5_000), "Proposal", bestCase, "2026-12-02", lost, ""},
	{30, alice, eur(50_000), "Closing", commit, "2026-12-09", open, "USD"},
	// Bob
	{8, bob, eur(50_000), "Closing", commit, "2026-11-10", won, ""},
	{9, bob, eur(20_000), "Closing", commit, "2026-12-18", open, ""},
	{10, bob, eur(12_000), "Proposal", bestCase, "2026-12-22", open, ""},
	{11, bob, eur(8_000), "Negotiation", omitted, "2026-12-30", open, ""},
	{12, bob, 100_125, "Qualification", pipeline, "2026-12-31", open, ""}, // €1,001.25
	{13, bob, 100_125, "Qualification", pipeline, "2026-12-31", open, ""}, // €1,001.25
	{14, bob, eur(30_000), "Proposal", bestCase, "2027-02-01", open, ""},
	// Chloe
	{15, chloe, eur(65_000), "Closing", commit, "2026-10-30", won, ""},
	{16, chloe, eur(10_000), "Closing", commit, "2026-11-25", won, ""},
	{17, chloe, eur(9_000), "Negotiation", commit, "2026-12-11", open, ""},
	{18, chloe, eur(6_000), "Demo", upside, "2026-12-19", open, ""},
	// David
	{19, david, eur(10_000), "Closing", commit, "2026-10-02", won, ""},
	{20, david, eur(25_000), "Negotiation", commit, "2026-12-16", open, ""},
	{21, david, eur(15_000), "Proposal", bestCase, "2026-12-21", open, ""},
	{22, david, 777_777, "Demo", upside, "2026-12-23", open, ""}, // €7,777.77
	{23, david, eur(9_000), "Negotiation", commit, "2026-11-15", lost, ""},
	{24, david, eur(4_000), "Discovery", pipeline, "2026-09-25", open, ""},
	// Emma
	{25, emma, eur(20_000), "Closing", commit, "2026-11-27", won, ""},
	{26, emma, eur(18_000), "Closing", commit, "2026-12-10", open, ""},
	{27, emma, eur(11_000), "Demo", upside, "2026-12-14", open, ""},
	{28, emma, eur(5_000), "Qualification", pipeline, "2026-12-30", open, ""},
	{31, emma, eur(9_000), "Discovery", pipeline, "2027-03-10", open, ""},
	// Frank, in no team
	{29, frank, eur(12_000), "Negotiation", commit, "2026-12-12", open, ""},
}

// week49 is the pipeline on Monday 2026-11-30: week50 as it was a week
// earlier.
var week49 = patch(week50, []row{
	{2, alice, eur(25_000), "Closing", commit, "2026-12-04", open, ""},      // won on Dec 3
	{3, alice, eur(35_000), "Negotiation", commit, "2026-12-15", open, ""},  // raised to 40,000
	{4, alice, eur(20_000), "Demo", upside, "2026-12-20", open, ""},         // to Proposal, best case
	{5, alice, eur(15_000), "Demo", upside, "2026-12-18", open, ""},         // pushed to Jan 20
	{7, alice, eur(5_000), "Proposal", bestCase, "2026-12-10", open, ""},    // lost on Dec 2
	{10, bob, eur(12_000), "Proposal", bestCase, "2027-02-15", open, ""},    // pulled in to Dec 22
	{17, chloe, eur(12_000), "Negotiation", commit, "2026-12-11", open, ""}, // cut to 9,000
	{27, emma, eur(11_000), "Negotiation", commit, "2026-12-14", open, ""},  // back to Demo, upside
	{id: 18}, {id: 28}, {id: 31}, // created during W49
})

// week41 is the pipeline on Monday 2026-10-05, the period's first snapshot.
var week41 = []row{
	{1, alice, eur(30_000), "Negotiation", commit, "2026-10-20", open, ""},
	{2, alice, eur(25_000), "Proposal", bestCase, "2026-12-04", open, ""},
	{3, alice, eur(35_000), "Demo", upside, "2026-12-15", open, ""},
	{6, alice, eur(10_000), "Discovery", pipeline, "2026-11-30", open, ""},
	{8, bob, eur(50_000), "Negotiation", commit, "2026-11-10", open, ""},
	{9, bob, eur(20_000), "Proposal", bestCase, "2026-12-18", open, ""},
	{14, bob, eur(30_000), "Demo", upside, "2027-02-01", open, ""},
	{15, chloe, eur(65_000), "Closing", commit, "2026-10-30", open, ""},
	{19, david, eur(10_000), "Closing", commit, "2026-10-02", won, ""},
	{20, david, eur(25_000), "Proposal", bestCase, "2026-12-16", open, ""},
	{23, david, eur(9_000), "Negotiation", commit, "2026-11-15", open, ""},
	{25, emma, eur(20_000), "Negotiation", commit, "2026-12-01", open, ""},
}

// week40 is Monday 2026-09-28, before the period: accuracy ignores it. It
// would change every start figure if it were taken for the start.
var week40 = patch(week41, []row{
	{1, alice, eur(99_000), "Negotiation", commit, "2026-10-20", open, ""},
	{19, david, eur(10_000), "Closing", commit, "2026-10-02", open, ""},
})

// final is the pipeline on Monday 2027-01-04, once 2026-Q4 has closed.
var final = patch(week50, []row{
	{3, alice, eur(40_000), "Closing", commit, "2026-12-15", won, ""},
	{4, alice, eur(20_000), "Proposal", bestCase, "2026-12-20", lost, ""},
	{6, alice, eur(10_000), "Discovery", pipeline, "2027-01-30", open, ""},
	{9, bob, eur(20_000), "Closing", commit, "2026-12-18", won, ""},
	{10, bob, eur(12_000), "Closing", commit, "2026-12-22", won, ""},
	{11, bob, eur(8_000), "Negotiation", omitted, "2026-12-30", lost, ""},
	{12, bob, 100_125, "Qualification", pipeline, "2027-01-29", open, ""},
	{13, bob, 100_125, "Qualification", pipeline, "2027-01-29", open, ""},
	{17, chloe, eur(9_000), "Closing", commit, "2026-12-11", won, ""},
	{18, chloe, eur(6_000), "Demo", upside, "2027-01-15", open, ""},
	{20, david, eur(25_000), "Negotiation", commit, "2027-01-15", open, ""},
	{21, david, eur(15_000), "Closing", commit, "2026-12-21", won, ""},
	{22, david, 777_777, "Demo", upside, "2026-12-23", lost, ""},
	{26, emma, eur(18_000), "Closing", commit, "2026-12-10", won, ""},
	{27, emma, eur(11_000), "Closing", upside, "2026-12-14", won, ""},
	{28, emma, eur(5_000), "Qualification", pipeline, "2027-01-08", open, ""},
	{29, frank, eur(12_000), "Closing", commit, "2026-12-12", won, ""},
	{30, alice, eur(50_000), "Closing", commit, "2026-12-09", won, "USD"},
})

// patch returns base with each row of changes replacing the row of the same
// id; a change with no owner removes the deal.
func patch(base, changes []row) []row {
	by := map[domain.DealID]row{}
	for _, c := range changes {
		by[c.id] = c
	}
	var out []row
	for _, r := range base {
		c, ok := by[r.id]
		switch {
		case !ok:
			out = append(out, r)
		case c.owner != "":
			out = append(out, c)
		}
	}
	return out
}

func deals(rows []row) []*domain.Deal {
	ds := make([]*domain.Deal, len(rows))
	for i, r := range rows {
		cur := r.currency
		if cur == "" {
			cur = "EUR"
		}
		d := &domain.Deal{
			ID: r.id, Name: r.id.Ref(), Account: "Acme", Owner: r.owner,
			Amount: r.amount, Currency: cur, Stage: r.stage, Category: r.cat,
			CloseDate: day(r.close), Status: r.status, Version: 1,
		}
		if r.status == lost {
			d.LossReason = "price"
		}
		ds[i] = d
	}
	return ds
}

func snapshot(t *testing.T, taken string, rows []row) forecast.Snapshot {
	t.Helper()
	// Closed deals are kept from the start of the quarter on, as the digest does.
	return forecast.TakeSnapshot(cal, monday8(taken), deals(rows), day("2026-10-01"))
}

var teams = []forecast.Team{
	{Name: "France", Manager: mgr1, Members: []domain.UserID{alice, bob, chloe}},
	{Name: "Benelux", Manager: mgr2, Members: []domain.UserID{david, emma}},
}

func fixtureOrg(t *testing.T) *forecast.Org {
	t.Helper()
	o, err := forecast.NewOrg(cal, "EUR", domain.DefaultStages(), teams, []forecast.Quota{
		{User: alice, Period: "2026-Q4", Amount: eur(100_000)},
		{User: bob, Period: "2026-Q4", Amount: eur(80_000)},
		{User: chloe, Period: "2026-10", Amount: eur(20_000)},
		{User: chloe, Period: "2026-11", Amount: eur(20_000)},
		{User: chloe, Period: "2026-12", Amount: eur(25_000)},
		{User: david, Period: "quarter", Amount: eur(50_000)},
		{Team: "Benelux", Period: "2026-Q4", Amount: eur(120_000)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func q4(t *testing.T) forecast.Period {
	t.Helper()
	p, err := cal.ParsePeriod("2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFixtureRollup checks every figure of the 2026-Q4 rollup on Monday
// 2026-12-07 (week50), rep by rep, team by team and for the company.
// Counted deals close in [2026-10-01, 2027-01-01); lost deals never count;
// Commit = Won + open commit; BestCase = Commit + open best case; Upside =
// open upside; Pipeline = every open deal but omitted ones; Weighted =
// round(Σ cents × probability ÷ 100); Attainment = Won ÷ Quota; Gap =
// max(0, Quota − Won); Coverage = Pipeline ÷ Gap. Ratios in basis points,
// rounded half up.
func TestFixtureRollup(t *testing.T) {
	org := fixtureOrg(t)
	r := org.Rollup(q4(t), deals(week50))

	reps := []struct {
		name string
		want forecast.Line
	}{
		// Alice. Counted: won D1 30,000 + D2 25,000 = 55,000.
		// Open in Q4: D3 40,000 commit (Negotiation 80%), D4 20,000 best case
		// (Proposal 60%), D6 10,000 pipeline (Discovery 20%). Not counted: D5
		// (closes 2027-01-20), D7 (lost), D30 (USD: skipped).
		// Commit 55,000 + 40,000 = 95,000. Best case 95,000 + 20,000 = 115,000.
		// Upside 0. Pipeline 40,000 + 20,000 + 10,000 = 70,000.
		// Weighted 32,000 + 12,000 + 2,000 = 46,000.
		// Quota 100,000 → attainment 55,000/100,000 = 5500 bp; gap 45,000;
		// coverage 70,000/45,000 = 1.55556 → 15556 bp.
		{"Alice", forecast.Line{User: alice, Team: "France",
			Won: eur(55_000), Commit: eur(95_000), BestCase: eur(115_000), Upside: 0,
			Pipeline: eur(70_000), Weighted: eur(46_000),
			Quota: eur(100_000), HasQuota: true, AttainmentBP: 5500,
			GapRaw: eur(45_000), Gap: eur(45_000), CoverageBP: 15556,
			WonDeals: 2, OpenDeals: 3}},
		// Bob. Won D8 50,000. Open in Q4: D9 20,000 commit (Closing 90%), D10
		// 12,000 best case (Proposal 60%), D12 and D13 1,001.25 each
		// (Qualification 10%). D11 is omitted: in no open figure. D14 closes
		// in 2027.
		// Commit 50,000 + 20,000 = 70,000. Best case 70,000 + 12,000 = 82,000.
		// Pipeline 20,000 + 12,000 + 1,001.25 + 1,001.25 = 34,002.50 = 3,400,250 cents.
		// Weighted, in cents × %: 2,000,000×90 = 180,000,000;
		// 1,200,000×60 = 72,000,000; 100,125×10 = 1,001,250 twice = 2,002,500;
		// sum 254,002,500 ÷ 100 = 2,540,025 cents exactly. (Rounding each
		// deal first would give 10,012.5 → 10,013 twice: 2,540,026, one cent
		// off: that is why the products are summed before dividing.)
		// Quota 80,000 → 50,000/80,000 = 6250 bp; gap 30,000;
		// coverage 3,400,250/3,000,000 = 1.133417 → 11334 bp.
		{"Bob", forecast.Line{User: bob, Team: "France",
			Won: eur(50_000), Commit: eur(70_000), BestCase: eur(82_000), Upside: 0,
			Pipeline: 3_400_250, Weighted: 2_540_025,
			Quota: eur(80_000), HasQuota: true, AttainmentBP: 6250,
			GapRaw: eur(30_000), Gap: eur(30_000), CoverageBP: 11334,
			WonDeals: 1, OpenDeals: 4}},
		// Chloe. Won D15 65,000 + D16 10,000 = 75,000. Open: D17 9,000 commit
		// (Negotiation 80%), D18 6,000 upside (Demo 40%).
		// Commit 75,000 + 9,000 = 84,000; best case 84,000; upside 6,000;
		// pipeline 15,000; weighted 7,200 + 2,400 = 9,600.
		// Quota from her months: 20,000 + 20,000 + 25,000 = 65,000.
		// Attainment 75,000/65,000 = 1.153846 → 11538 bp. Gap raw 65,000 −
		// 75,000 = −10,000, gap 0, so coverage is undefined: 0.
		{"Chloe", forecast.Line{User: chloe, Team: "France",
			Won: eur(75_000), Commit: eur(84_000), BestCase: eur(84_000), Upside: eur(6_000),
			Pipeline: eur(15_000), Weighted: eur(9_600),
			Quota: eur(65_000), HasQuota: true, AttainmentBP: 11538,
			GapRaw: eur(-10_000), Gap: 0, CoverageBP: 0,
			WonDeals: 2, OpenDeals: 2}},
		// David. Won D19 10,000. Open: D20 25,000 commit (80%), D21 15,000 best
		// case (60%), D22 7,777.77 upside (40%). D23 lost; D24 closes
		// 2026-09-25, before the quarter (overdue, counts in Q3).
		// Commit 10,000 + 25,000 = 35,000; best case 35,000 + 15,000 = 50,000;
		// upside 777,777 cents; pipeline 2,500,000 + 1,500,000 + 777,777 = 4,777,777 cents.
		// Weighted: 200,000,000 + 90,000,000 + 31,111,080 = 321,111,080 ÷ 100
		// = 3,211,110.80 → 3,211,111 cents.
		// Quota "every quarter" 50,000 → 2000 bp; gap 40,000;
		// coverage 4,777,777/4,000,000 = 1.194444 → 11944 bp.
		{"David", forecast.Line{User: david, Team: "Benelux",
			Won: eur(10_000), Commit: eur(35_000), BestCase: eur(50_000), Upside: 777_777,
			Pipeline: 4_777_777, Weighted: 3_211_111,
			Quota: eur(50_000), HasQuota: true, AttainmentBP: 2000,
			GapRaw: eur(40_000), Gap: eur(40_000), CoverageBP: 11944,
			WonDeals: 1, OpenDeals: 3}},
		// Emma. Won D25 20,000. Open: D26 18,000 commit (Closing 90%), D27
		// 11,000 upside (Demo 40%), D28 5,000 pipeline (Qualification 10%).
		// D31 closes in 2027. Commit 38,000; best case 38,000; upside 11,000;
		// pipeline 34,000; weighted 16,200 + 4,400 + 500 = 21,100.
		// No quota: quota, attainment, gap and coverage all 0.
		{"Emma", forecast.Line{User: emma, Team: "Benelux",
			Won: eur(20_000), Commit: eur(38_000), BestCase: eur(38_000), Upside: eur(11_000),
			Pipeline: eur(34_000), Weighted: eur(21_100),
			WonDeals: 1, OpenDeals: 3}},
	}
	for _, tc := range reps {
		t.Run("Rep/"+tc.name, func(t *testing.T) {
			got, ok := r.Rep(tc.want.User)
			if !ok {
				t.Fatalf("no line for %s", tc.want.User)
			}
			if got != tc.want {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}

	t.Run("Others", func(t *testing.T) {
		// Frank is in no team: D29 12,000 commit (Negotiation 80%) → commit,
		// best case and pipeline 12,000, weighted 9,600, no quota.
		want := []forecast.Line{{User: frank,
			Commit: eur(12_000), BestCase: eur(12_000), Pipeline: eur(12_000), Weighted: eur(9_600),
			OpenDeals: 1}}
		if !reflect.DeepEqual(r.Others, want) {
			t.Errorf("\n got %+v\nwant %+v", r.Others, want)
		}
	})

	totals := []struct {
		name string
		got  func() forecast.Line
		want forecast.Line
	}{
		// France = Alice + Bob + Chloe.
		// Won 55,000 + 50,000 + 75,000 = 180,000.
		// Commit 95,000 + 70,000 + 84,000 = 249,000.
		// Best case 115,000 + 82,000 + 84,000 = 281,000. Upside 6,000.
		// Pipeline 7,000,000 + 3,400,250 + 1,500,000 = 11,900,250 cents.
		// Weighted: (460,000,000 + 254,002,500 + 96,000,000) ÷ 100 = 8,100,025 cents.
		// Quota: none set for the team → 100,000 + 80,000 + 65,000 = 245,000.
		// Attainment 180,000/245,000 = 0.734694 → 7347 bp. Gap 65,000 (the
		// team's, not the sum of the reps' gaps 45,000 + 30,000 + 0: Chloe's
		// extra counts). Coverage 11,900,250/6,500,000 = 1.830808 → 18308 bp.
		{"Team/France", func() forecast.Line { tr, _ := r.Team("france"); return tr.Total }, forecast.Line{Team: "France",
			Won: eur(180_000), Commit: eur(249_000), BestCase: eur(281_000), Upside: eur(6_000),
			Pipeline: 11_900_250, Weighted: 8_100_025,
			Quota: eur(245_000), HasQuota: true, AttainmentBP: 7347,
			GapRaw: eur(65_000), Gap: eur(65_000), CoverageBP: 18308,
			WonDeals: 5, OpenDeals: 9}},
		// Benelux = David + Emma.
		// Won 10,000 + 20,000 = 30,000. Commit 35,000 + 38,000 = 73,000.
		// Best case 50,000 + 38,000 = 88,000. Upside 777,777 + 1,100,000 = 1,877,777 cents.
		// Pipeline 4,777,777 + 3,400,000 = 8,177,777 cents.
		// Weighted (321,111,080 + 211,000,000) ÷ 100 = 5,321,110.80 → 5,321,111 cents.
		// Quota: set for the team, 120,000 (not David's 50,000).
		// Attainment 30,000/120,000 = 2500 bp; gap 90,000;
		// coverage 8,177,777/9,000,000 = 0.908642 → 9086 bp.
		{"Team/Benelux", func() forecast.Line { tr, _ := r.Team("Benelux"); return tr.Total }, forecast.Line{Team: "Benelux",
			Won: eur(30_000), Commit: eur(73_000), BestCase: eur(88_000), Upside: 1_877_777,
			Pipeline: 8_177_777, Weighted: 5_321_111,
			Quota: eur(120_000), HasQuota: true, AttainmentBP: 2500,
			GapRaw: eur(90_000), Gap: eur(90_000), CoverageBP: 9086,
			WonDeals: 2, OpenDeals: 6}},
		// Company = France + Benelux + Frank.
		// Won 180,000 + 30,000 + 0 = 210,000. Commit 249,000 + 73,000 + 12,000 = 334,000.
		// Best case 281,000 + 88,000 + 12,000 = 381,000.
		// Upside 600,000 + 1,877,777 = 2,477,777 cents.
		// Pipeline 11,900,250 + 8,177,777 + 1,200,000 = 21,278,027 cents.
		// Weighted (810,002,500 + 532,111,080 + 96,000,000) ÷ 100
		// = 14,381,135.80 → 14,381,136 cents.
		// Quota 245,000 + 120,000 = 365,000 → attainment 210,000/365,000 =
		// 0.575342 → 5753 bp; gap 155,000. Like with like (issue 14):
		// France's members all have a quota and Benelux's own quota covers
		// Emma, but Frank has none, so his pipeline is left out of the
		// coverage: (21,278,027 − 1,200,000 = 20,078,027)/15,500,000 =
		// 1.295357 → 12954 bp (it was 13728 with his). His won is 0, so
		// attainment and gap do not move.
		{"Company", func() forecast.Line { return r.Company }, forecast.Line{
			Won: eur(210_000), Commit: eur(334_000), BestCase: eur(381_000), Upside: 2_477_777,
			Pipeline: 21_278_027, Weighted: 14_381_136,
			Quota: eur(365_000), HasQuota: true, AttainmentBP: 5753,
			GapRaw: eur(155_000), Gap: eur(155_000), CoverageBP: 12954,
			WonDeals: 7, OpenDeals: 16}},
	}
	for _, tc := range totals {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(); got != tc.want {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}

	t.Run("CompanyNoQuota", func(t *testing.T) {
		// Left out of the company's ratios: only Frank (France: everyone
		// has a quota; Benelux: the team's own quota covers Emma).
		if want := (domain.UserList{frank}); !reflect.DeepEqual(r.NoQuota, want) {
			t.Errorf("NoQuota = %v, want %v", r.NoQuota, want)
		}
	})

	t.Run("Skipped", func(t *testing.T) {
		// D30 is Alice's USD deal, open commit closing 2026-12-09.
		if want := []domain.DealID{30}; !reflect.DeepEqual(r.Skipped, want) {
			t.Errorf("Skipped = %v, want %v", r.Skipped, want)
		}
	})
	t.Run("Order", func(t *testing.T) {
		var got []domain.UserID
		for _, l := range r.Lines() {
			got = append(got, l.User)
		}
		want := []domain.UserID{alice, bob, chloe, david, emma, frank}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Lines order = %v, want %v", got, want)
		}
	})
	t.Run("Ratios", func(t *testing.T) {
		// Chloe beat her quota: attainment means something, coverage does
		// not. Emma has no quota: neither does.
		c, _ := r.Rep(chloe)
		if bp, ok := c.Attainment(); !ok || bp != 11538 {
			t.Errorf("Chloe Attainment() = %d, %v", bp, ok)
		}
		if _, ok := c.Coverage(); ok {
			t.Error("Chloe Coverage() ok with nothing left to win")
		}
		e, _ := r.Rep(emma)
		if _, ok := e.Attainment(); ok {
			t.Error("Emma Attainment() ok without a quota")
		}
	})
}

// TestFixtureWeekOverWeek compares W49 (2026-11-30) with W50 (2026-12-07)
// for 2026-Q4. Deal by deal (see week49's comments):
//
//	D2  open commit 25,000 → won                       Won
//	D3  35,000 → 40,000                                AmountUp +5,000
//	D4  Demo/upside → Proposal/best case               CategoryMoves
//	D5  close 2026-12-18 → 2027-01-20                  Slipped
//	D7  open → lost                                    Lost
//	D10 close 2027-02-15 → 2026-12-22                  PulledIn
//	D17 12,000 → 9,000                                 AmountDown −3,000
//	D18 new, closes 2026-12-19                         New
//	D27 Negotiation/commit → Demo/upside               CategoryMoves
//	D28 new, closes 2026-12-30                         New
//	D31 new, but closes 2027-03-10: not this period's  (none)
//
// Every other deal is the same in both. Lists are by amount, largest first:
// New D18 6,000 then D28 5,000; CategoryMoves D4 20,000 then D27 11,000.
func TestFixtureWeekOverWeek(t *testing.T) {
	prev, cur := snapshot(t, "2026-11-30", week49), snapshot(t, "2026-12-07", week50)
	got := forecast.Compare(prev, cur, q4(t))

	d := day
	want := forecast.Changes{
		Period: "2026-Q4", From: "2026-W49", To: "2026-W50",
		New: []forecast.Item{
			{Deal: 18, Owner: chloe, Currency: "EUR", Amount: eur(6_000), Delta: eur(6_000), Stage: "Demo", Category: upside, CloseDate: d("2026-12-19")},
			{Deal: 28, Owner: emma, Currency: "EUR", Amount: eur(5_000), Delta: eur(5_000), Stage: "Qualification", Category: pipeline, CloseDate: d("2026-12-30")},
		},
		Won: []forecast.Item{
			{Deal: 2, Owner: alice, OldOwner: alice, Currency: "EUR", Amount: eur(25_000), OldAmount: eur(25_000),
				Stage: "Closing", OldStage: "Closing", Category: commit, OldCategory: commit,
				CloseDate: d("2026-12-03"), OldCloseDate: d("2026-12-04")},
		},
		Lost: []forecast.Item{
			{Deal: 7, Owner: alice, OldOwner: alice, Currency: "EUR", Amount: eur(5_000), OldAmount: eur(5_000),
				Stage: "Proposal", OldStage: "Proposal", Category: bestCase, OldCategory: bestCase,
				CloseDate: d("2026-12-02"), OldCloseDate: d("2026-12-10")},
		},
		Slipped: []forecast.Item{
			{Deal: 5, Owner: alice, OldOwner: alice, Currency: "EUR", Amount: eur(15_000), OldAmount: eur(15_000),
				Stage: "Demo", OldStage: "Demo", Category: upside, OldCategory: upside,
				CloseDate: d("2027-01-20"), OldCloseDate: d("2026-12-18")},
		},
		PulledIn: []forecast.Item{
			{Deal: 10, Owner: bob, OldOwner: bob, Currency: "EUR", Amount: eur(12_000), OldAmount: eur(12_000),
				Stage: "Proposal", OldStage: "Proposal", Category: bestCase, OldCategory: bestCase,
				CloseDate: d("2026-12-22"), OldCloseDate: d("2027-02-15")},
		},
		AmountUp: []forecast.Item{
			{Deal: 3, Owner: alice, OldOwner: alice, Currency: "EUR", Amount: eur(40_000), OldAmount: eur(35_000), Delta: eur(5_000),
				Stage: "Negotiation", OldStage: "Negotiation", Category: commit, OldCategory: commit,
				CloseDate: d("2026-12-15"), OldCloseDate: d("2026-12-15")},
		},
		AmountDown: []forecast.Item{
			{Deal: 17, Owner: chloe, OldOwner: chloe, Currency: "EUR", Amount: eur(9_000), OldAmount: eur(12_000), Delta: eur(-3_000),
				Stage: "Negotiation", OldStage: "Negotiation", Category: commit, OldCategory: commit,
				CloseDate: d("2026-12-11"), OldCloseDate: d("2026-12-11")},
		},
		CategoryMoves: []forecast.Item{
			{Deal: 4, Owner: alice, OldOwner: alice, Currency: "EUR", Amount: eur(20_000), OldAmount: eur(20_000),
				Stage: "Proposal", OldStage: "Demo", Category: bestCase, OldCategory: upside,
				CloseDate: d("2026-12-20"), OldCloseDate: d("2026-12-20")},
			{Deal: 27, Owner: emma, OldOwner: emma, Currency: "EUR", Amount: eur(11_000), OldAmount: eur(11_000),
				Stage: "Demo", OldStage: "Negotiation", Category: upside, OldCategory: commit,
				CloseDate: d("2026-12-14"), OldCloseDate: d("2026-12-14")},
		},
	}
	t.Run("All", func(t *testing.T) {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("\n got %+v\nwant %+v", got, want)
		}
		if got.Len() != 10 {
			t.Errorf("Len() = %d, want 10", got.Len())
		}
	})

	tests := []struct {
		name  string
		team  forecast.Team
		deals map[string][]domain.DealID
	}{
		// France owns D2, D3, D4, D5, D7 (Alice), D10 (Bob), D17, D18 (Chloe).
		{"France", teams[0], map[string][]domain.DealID{
			"New": {18}, "Won": {2}, "Lost": {7}, "Slipped": {5}, "PulledIn": {10},
			"AmountUp": {3}, "AmountDown": {17}, "CategoryMoves": {4}}},
		// Benelux owns D27 and D28 (Emma).
		{"Benelux", teams[1], map[string][]domain.DealID{"New": {28}, "CategoryMoves": {27}}},
	}
	for _, tc := range tests {
		t.Run("Filter/"+tc.name, func(t *testing.T) {
			f := got.Filter(tc.team.Has)
			lists := map[string][]forecast.Item{"New": f.New, "Won": f.Won, "Lost": f.Lost, "Reopened": f.Reopened,
				"Slipped": f.Slipped, "PulledIn": f.PulledIn, "AmountUp": f.AmountUp, "AmountDown": f.AmountDown,
				"CategoryMoves": f.CategoryMoves, "Reassigned": f.Reassigned, "Gone": f.Gone}
			for name, items := range lists {
				var ids []domain.DealID
				for _, it := range items {
					ids = append(ids, it.Deal)
				}
				if !reflect.DeepEqual(ids, tc.deals[name]) {
					t.Errorf("%s = %v, want %v", name, ids, tc.deals[name])
				}
			}
		})
	}
}

// calls are the 2026-Q4 calls (and one for 2027-Q1, which accuracy must not
// mix in). Chloe and Frank never call.
func calls() []forecast.Call {
	c := func(user domain.UserID, team, period string, at time.Time, commit, best int64, comment string) forecast.Call {
		return forecast.Call{User: user, Team: team, Period: period, Week: cal.Week(at), At: at,
			Commit: commit, BestCase: best, Comment: comment}
	}
	h := func(date string, hour int) time.Time { return day(date).Time(cet).Add(time.Duration(hour) * time.Hour) }
	return []forecast.Call{
		c(alice, "", "2026-Q4", h("2026-10-05", 10), eur(90_000), eur(120_000), ""),
		c(bob, "", "2026-Q4", h("2026-10-06", 9), eur(60_000), eur(80_000), ""),
		c(david, "", "2026-Q4", h("2026-10-05", 11), eur(60_000), eur(70_000), ""),
		c(mgr1, "France", "2026-Q4", h("2026-10-05", 15), eur(230_000), eur(280_000), ""),
		c(mgr2, "Benelux", "2026-Q4", h("2026-10-05", 16), eur(130_000), eur(150_000), ""),

		c(alice, "", "2026-Q4", h("2026-11-30", 10), eur(100_000), eur(115_000), ""),
		c(david, "", "2026-Q4", h("2026-11-30", 10), eur(40_000), eur(55_000), ""),
		c(emma, "", "2026-Q4", h("2026-12-01", 10), eur(40_000), eur(45_000), ""),
		c(mgr2, "Benelux", "2026-Q4", h("2026-12-02", 10), eur(100_000), eur(120_000), ""),

		// Alice calls twice on Monday W50; the later one stands.
		c(alice, "", "2026-Q4", h("2026-12-07", 9), eur(97_000), eur(112_000), ""),
		c(alice, "", "2026-Q4", h("2026-12-07", 10), eur(95_000), eur(110_000), "D-4 may slip"),
		c(alice, "", "2027-Q1", h("2026-12-07", 11), eur(70_000), eur(90_000), ""),
		c(bob, "", "2026-Q4", h("2026-12-08", 9), eur(85_000), eur(90_000), ""),
		c(david, "", "2026-Q4", h("2026-12-07", 9), eur(35_000), eur(50_000), ""),
		c(mgr1, "France", "2026-Q4", h("2026-12-07", 15), eur(255_000), eur(270_000), ""),
		c(mgr2, "Benelux", "2026-Q4", h("2026-12-07", 16), eur(90_000), eur(105_000), ""),
	}
}

// TestFixtureAccuracy measures 2026-Q4 once closed. Actual won (final):
//
//	Alice  D1 30,000 + D2 25,000 + D3 40,000           = 95,000
//	Bob    D8 50,000 + D9 20,000 + D10 12,000          = 82,000
//	Chloe  D15 65,000 + D16 10,000 + D17 9,000         = 84,000
//	David  D19 10,000 + D21 15,000                     = 25,000
//	Emma   D25 20,000 + D26 18,000 + D27 11,000        = 49,000
//	Frank  D29 12,000                                  = 12,000
//	France 95,000 + 82,000 + 84,000 = 261,000; Benelux 25,000 + 49,000 = 74,000
//	(D30 won in USD: skipped)
//
// Points: the Q4 snapshots W41, W49, W50; start = W41 (first in the
// period); M-1 = first on or after 2026-12-01 = W50. W40 and 2027-W01 are
// outside the period. The call at a week is the latest made that week or
// before. Bottom-up = won so far + open commit, both closing in Q4, in that
// week's snapshot. Error = (x − actual) ÷ actual in bp, signed (+ over-call,
// − sandbagging), rounded half away from zero; the magnitudes below are
// worked out as |x − actual| and the sign is x's side of actual.
func TestFixtureAccuracy(t *testing.T) {
	org := fixtureOrg(t)
	p := q4(t)
	snaps := []forecast.Snapshot{
		snapshot(t, "2026-12-07", week50), // out of order on purpose
		snapshot(t, "2026-09-28", week40),
		snapshot(t, "2026-10-05", week41),
		snapshot(t, "2026-11-30", week49),
		snapshot(t, "2027-01-04", final),
	}
	rep := org.Accuracy(p, org.Rollup(p, deals(final)), calls(), snaps)

	type pt struct {
		called   int64 // -1: no call
		err      int
		bottomUp int64
		buErr    int
	}
	tests := []struct {
		name          string
		line          func() forecast.AccuracyLine
		actual        int64
		w41, w49, w50 pt
	}{
		// Alice, actual 95,000.
		// W41: call 90,000 → 5,000/95,000 = 0.052632 → 526.
		//      bottom-up: no won yet; open commit D1 30,000 → 30,000 → 65/95 = 0.684211 → 6842.
		// W49: call 100,000 → 5/95 → 526. Bottom-up won D1 30,000 + commit D2
		//      25,000 + D3 35,000 = 90,000 → 5/95 → 526.
		// W50: call 95,000 (the 10:00 one) → 0. Bottom-up won D1 + D2 55,000
		//      + commit D3 40,000 = 95,000 → 0.
		{"Alice", repLine(rep, alice), eur(95_000),
			pt{eur(90_000), -526, eur(30_000), -6842},
			pt{eur(100_000), 526, eur(90_000), -526},
			pt{eur(95_000), 0, eur(95_000), 0}},
		// Bob, actual 82,000.
		// W41: call 60,000 → 22/82 = 0.268293 → 2683. Bottom-up D8 50,000
		//      commit → 32/82 = 0.390244 → 3902.
		// W49: no new call, W41's stands: 2683. Bottom-up won D8 50,000 +
		//      commit D9 20,000 = 70,000 (D11 omitted) → 12/82 = 0.146341 → 1463.
		// W50: call 85,000 (Tuesday, still W50) → 3/82 = 0.036585 → 366.
		//      Bottom-up 70,000 → 1463.
		{"Bob", repLine(rep, bob), eur(82_000),
			pt{eur(60_000), -2683, eur(50_000), -3902},
			pt{eur(60_000), -2683, eur(70_000), -1463},
			pt{eur(85_000), 366, eur(70_000), -1463}},
		// Chloe, actual 84,000, never called.
		// W41: D15 65,000 commit → 19/84 = 0.226190 → 2262.
		// W49: won 75,000 + D17 12,000 = 87,000 → 3/84 = 0.035714 → 357.
		// W50: won 75,000 + D17 9,000 = 84,000 → 0.
		{"Chloe", repLine(rep, chloe), eur(84_000),
			pt{-1, 0, eur(65_000), -2262},
			pt{-1, 0, eur(87_000), 357},
			pt{-1, 0, eur(84_000), 0}},
		// David, actual 25,000.
		// W41: call 60,000 → 35/25 = 1.4 → 14000. Bottom-up won D19 10,000 +
		//      commit D23 9,000 = 19,000 (D20 still best case) → 6/25 → 2400.
		// W49: call 40,000 → 15/25 → 6000. Bottom-up 10,000 + D20 25,000 =
		//      35,000 (D23 lost) → 10/25 → 4000.
		// W50: call 35,000 → 10/25 → 4000. Bottom-up 35,000 → 4000.
		{"David", repLine(rep, david), eur(25_000),
			pt{eur(60_000), 14000, eur(19_000), -2400},
			pt{eur(40_000), 6000, eur(35_000), 4000},
			pt{eur(35_000), 4000, eur(35_000), 4000}},
		// Emma, actual 49,000.
		// W41: no call. Bottom-up D25 20,000 commit → 29/49 = 0.591837 → 5918.
		// W49: call 40,000 (Tuesday of W49) → 9/49 = 0.183673 → 1837.
		//      Bottom-up won D25 20,000 + D26 18,000 + D27 11,000 = 49,000 → 0.
		// W50: W49's call stands → 1837. Bottom-up 20,000 + D26 18,000 =
		//      38,000 (D27 now upside) → 11/49 = 0.224490 → 2245.
		{"Emma", repLine(rep, emma), eur(49_000),
			pt{-1, 0, eur(20_000), -5918},
			pt{eur(40_000), -1837, eur(49_000), 0},
			pt{eur(40_000), -1837, eur(38_000), -2245}},
		// Frank, actual 12,000, no team, no call.
		// W41: D29 did not exist: bottom-up 0 → 12/12 → 10000.
		// W49, W50: D29 12,000 commit → 0.
		{"Frank", repLine(rep, frank), eur(12_000),
			pt{-1, 0, 0, -10000},
			pt{-1, 0, eur(12_000), 0},
			pt{-1, 0, eur(12_000), 0}},
		// France (manager's calls), actual 261,000.
		// W41: call 230,000 → 31/261 = 0.118774 → 1188. Bottom-up 30,000 +
		//      50,000 + 65,000 = 145,000 → 116/261 = 0.444444 → 4444.
		// W49: W41's call stands → 1188. Bottom-up 90,000 + 70,000 + 87,000 =
		//      247,000 → 14/261 = 0.053640 → 536.
		// W50: call 255,000 → 6/261 = 0.022989 → 230. Bottom-up 95,000 +
		//      70,000 + 84,000 = 249,000 → 12/261 = 0.045977 → 460.
		{"France", teamLine(rep, "France"), eur(261_000),
			pt{eur(230_000), -1188, eur(145_000), -4444},
			pt{eur(230_000), -1188, eur(247_000), -536},
			pt{eur(255_000), -230, eur(249_000), -460}},
		// Benelux, actual 74,000.
		// W41: call 130,000 → 56/74 = 0.756757 → 7568. Bottom-up 19,000 +
		//      20,000 = 39,000 → 35/74 = 0.472973 → 4730.
		// W49: call 100,000 (Wednesday of W49) → 26/74 = 0.351351 → 3514.
		//      Bottom-up 35,000 + 49,000 = 84,000 → 10/74 = 0.135135 → 1351.
		// W50: call 90,000 → 16/74 = 0.216216 → 2162. Bottom-up 35,000 +
		//      38,000 = 73,000 → 1/74 = 0.013514 → 135.
		{"Benelux", teamLine(rep, "Benelux"), eur(74_000),
			pt{eur(130_000), 7568, eur(39_000), -4730},
			pt{eur(100_000), 3514, eur(84_000), 1351},
			pt{eur(90_000), 2162, eur(73_000), -135}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.line()
			if l.Actual != tc.actual {
				t.Errorf("Actual = %d, want %d", l.Actual, tc.actual)
			}
			acc := func(point, week string, p pt) forecast.Accuracy {
				a := forecast.Accuracy{Point: point, Week: week, Actual: tc.actual,
					Called: p.called, HasCall: p.called >= 0, ErrorBP: p.err,
					BottomUp: p.bottomUp, BottomUpErrorBP: p.buErr}
				if !a.HasCall {
					a.Called = 0
				}
				return a
			}
			want := []forecast.Accuracy{
				acc(forecast.PointStart, "2026-W41", tc.w41),
				acc(forecast.PointM1, "2026-W50", tc.w50),
				acc("2026-W41", "2026-W41", tc.w41),
				acc("2026-W49", "2026-W49", tc.w49),
				acc("2026-W50", "2026-W50", tc.w50),
			}
			if !reflect.DeepEqual(l.Points, want) {
				t.Errorf("\n got %+v\nwant %+v", l.Points, want)
			}
		})
	}

	t.Run("Trend", func(t *testing.T) {
		// A Q3 report where Alice called 40,000 at the start and won 50,000:
		// −10/50 → −2000. Then Q4's start: −526 (above).
		q3 := &forecast.AccuracyReport{Period: "2026-Q3", Reps: []forecast.AccuracyLine{{
			User: alice, Team: "France", Actual: eur(50_000),
			Points: []forecast.Accuracy{{Point: forecast.PointStart, Week: "2026-W27", Actual: eur(50_000),
				Called: eur(40_000), HasCall: true, ErrorBP: -2000}},
		}}}
		trends := forecast.AccuracyTrend([]*forecast.AccuracyReport{q3, rep}, forecast.PointStart)
		// Reps first in order of appearance (Alice from Q3, then Q4's
		// others), then the teams.
		var who []string
		for _, tr := range trends {
			who = append(who, string(tr.User)+"/"+tr.Team)
		}
		wantWho := []string{"U0ALICE/France", "U0BOB/France", "U0CHLOE/France", "U0DAVID/Benelux", "U0EMMA/Benelux", "U0FRANK/", "/France", "/Benelux"}
		if !reflect.DeepEqual(who, wantWho) {
			t.Fatalf("trends = %v, want %v", who, wantWho)
		}
		var got []int
		var periods []string
		for _, tp := range trends[0].Points {
			got = append(got, tp.ErrorBP)
			periods = append(periods, tp.Period)
		}
		if !reflect.DeepEqual(got, []int{-2000, -526}) || !reflect.DeepEqual(periods, []string{"2026-Q3", "2026-Q4"}) {
			t.Errorf("Alice's start trend = %v over %v, want [-2000 -526] over [2026-Q3 2026-Q4]", got, periods)
		}
		if n := len(trends[1].Points); n != 1 {
			t.Errorf("Bob's trend has %d points, want 1 (Q4 only)", n)
		}
	})
}

// TestFixtureCallDiff: Alice's two Monday W50 calls.
// 09:00 commit 97,000, best case 112,000, no comment;
// 10:00 commit 95,000 (−2,000), best case 110,000 (−2,000), "D-4 may slip".
func TestFixtureCallDiff(t *testing.T) {
	cs := calls()
	got := forecast.CallDiff(cs[9], cs[10])
	want := []forecast.CallChange{
		{Field: forecast.FieldCommit, Old: eur(97_000), New: eur(95_000), Delta: eur(-2_000)},
		{Field: forecast.FieldBestCase, Old: eur(112_000), New: eur(110_000), Delta: eur(-2_000)},
		{Field: forecast.FieldComment, OldText: "", NewText: "D-4 may slip"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("\n got %+v\nwant %+v", got, want)
	}
}

func repLine(r *forecast.AccuracyReport, u domain.UserID) func() forecast.AccuracyLine {
	return func() forecast.AccuracyLine {
		for _, l := range r.Reps {
			if l.User == u {
				return l
			}
		}
		return forecast.AccuracyLine{}
	}
}

func teamLine(r *forecast.AccuracyReport, team string) func() forecast.AccuracyLine {
	return func() forecast.AccuracyLine {
		for _, l := range r.Teams {
			if l.Team == team {
				return l
			}
		}
		return forecast.AccuracyLine{}
	}
}
