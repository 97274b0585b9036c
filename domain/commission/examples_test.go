package commission_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

var cal = forecast.Calendar{FiscalYearStart: time.January}

// eur is whole euros in cents.
func eur(v int64) int64 { return v * 100 }

func day(s string) domain.Date {
	d, err := domain.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// months returns n calendar months from the one named first.
func months(first string, n int) []forecast.Period {
	p, err := cal.ParsePeriod(first)
	if err != nil {
		panic(err)
	}
	out := []forecast.Period{p}
	for len(out) < n {
		out = append(out, cal.Next(out[len(out)-1]))
	}
	return out
}

// terms gives plan and quota to every plan period of kind k that holds one of ms.
func terms(k forecast.Kind, plan commission.Plan, quota int64, ms []forecast.Period) []commission.Term {
	var out []commission.Term
	for _, m := range ms {
		p := cal.Period(k, m.Start)
		if len(out) > 0 && out[len(out)-1].Period == p {
			continue
		}
		out = append(out, commission.Term{Plan: plan, Period: p, Quota: quota})
	}
	return out
}

func statements(k forecast.Kind, plan commission.Plan, quota int64, ms []forecast.Period, sales ...commission.Sale) []commission.Month {
	return commission.Settle(commission.Compute(terms(k, plan, quota, ms), ms, sales), nil, 0)
}

var tiers356 = []commission.Tier{{UpTo: 6000, Rate: 300}, {UpTo: 10000, Rate: 500}, {Rate: 700}}

// TestWorkedExamples checks every worked example of testdata/ against the
// engine: each file computes the example by hand, step by step, and ends with
// "=> [who] month what value" lines, which are what this test compares.
func TestWorkedExamples(t *testing.T) {
	fivePct := commission.Plan{Rate: 500}
	drawSales := []commission.Sale{
		{Deal: 1, Amount: eur(55_000), ClosedOn: day("2026-01-10")},
		{Deal: 2, Amount: eur(60_000), ClosedOn: day("2026-02-10")},
		{Deal: 3, Amount: eur(30_000), ClosedOn: day("2026-03-10")},
		{Deal: 4, Amount: eur(47_500), ClosedOn: day("2026-04-10")},
		{Deal: 5, Amount: eur(60_000), ClosedOn: day("2026-05-10")},
	}
	cases := []struct {
		file string
		run  func() map[string][]commission.Month
	}{
		{"tiers_marginal.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Tiers: tiers356, Mode: commission.Marginal}
			return one(statements(forecast.Quarter, plan, eur(500_000), months("2026-01", 3),
				commission.Sale{Deal: 1, Amount: eur(600_000), ClosedOn: day("2026-03-10")}))
		}},
		{"tiers_retroactive.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Tiers: tiers356, Mode: commission.Retroactive}
			return one(statements(forecast.Quarter, plan, eur(500_000), months("2026-01", 3),
				commission.Sale{Deal: 1, Amount: eur(600_000), ClosedOn: day("2026-03-10")}))
		}},
		{"tiers_retroactive_steps.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Tiers: tiers356, Mode: commission.Retroactive}
			return one(statements(forecast.Quarter, plan, eur(500_000), months("2026-01", 3),
				commission.Sale{Deal: 1, Amount: eur(200_000), ClosedOn: day("2026-01-20")},
				commission.Sale{Deal: 2, Amount: eur(200_000), ClosedOn: day("2026-02-10")},
				commission.Sale{Deal: 3, Amount: eur(200_000), ClosedOn: day("2026-03-05")}))
		}},
		{"accelerator_retroactive.txt", func() map[string][]commission.Month {
			accel := []commission.Factor{{At: 10000, Factor: 20000}}
			sales := []commission.Sale{{Deal: 1, Amount: eur(900_000), ClosedOn: day("2026-01-20")}, {Deal: 2, Amount: eur(110_000), ClosedOn: day("2026-02-10")}}
			return map[string][]commission.Month{
				"marginal":    statements(forecast.Quarter, commission.Plan{Rate: 500, Accelerators: accel}, eur(1_000_000), months("2026-01", 3), sales...),
				"retroactive": statements(forecast.Quarter, commission.Plan{Rate: 500, Accelerators: accel, Mode: commission.Retroactive}, eur(1_000_000), months("2026-01", 3), sales...),
			}
		}},
		{"quarter_true_up.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Tiers: []commission.Tier{{UpTo: 5000, Rate: 100}, {Rate: 300}}, TrueUp: true}
			return one(statements(forecast.Quarter, plan, eur(1_000_000), months("2026-01", 3),
				commission.Sale{Deal: 1, Amount: eur(250_000), ClosedOn: day("2026-01-15")},
				commission.Sale{Deal: 2, Amount: eur(350_000), ClosedOn: day("2026-02-12")},
				commission.Sale{Deal: 3, Amount: eur(200_000), ClosedOn: day("2026-03-18")}))
		}},
		{"draw_recoverable.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Rate: 500, Draw: commission.Draw{Amount: eur(2_000), Recoverable: true}}
			return one(statements(forecast.Quarter, plan, 0, months("2026-01", 5), drawSales...))
		}},
		{"draw_nonrecoverable.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Rate: 500, Draw: commission.Draw{Amount: eur(2_000)}}
			return one(statements(forecast.Quarter, plan, 0, months("2026-01", 5), drawSales...))
		}},
		{"split_50_50.txt", func() map[string][]commission.Month {
			ms := months("2026-01", 3)
			alice := commission.Plan{Tiers: []commission.Tier{{UpTo: 5000, Rate: 400}, {Rate: 600}}}
			sale := commission.Sale{Deal: 7, Amount: eur(100_000), ClosedOn: day("2026-02-05"), Split: 5000}
			return map[string][]commission.Month{
				"alice": statements(forecast.Quarter, alice, eur(80_000), ms, sale),
				"bruno": statements(forecast.Quarter, fivePct, 0, ms, sale),
			}
		}},
		{"clawback_pro_rata.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Rate: 1000, Clawback: commission.Clawback{Days: 365, Recovery: commission.ProRata}}
			return one(statements(forecast.Year, plan, 0, months("2026-01", 8),
				commission.Sale{Deal: 9, Amount: eur(120_000), TermMonths: 12, ClosedOn: day("2026-01-15"), ChurnedOn: day("2026-07-15")}))
		}},
		{"clawback_downgrade.txt", func() map[string][]commission.Month {
			d7 := commission.Sale{Deal: 7, Amount: eur(60_000), TermMonths: 12, ClosedOn: day("2026-01-15"), ChurnedOn: day("2026-07-15"),
				Downgrades: []commission.Downgrade{{On: day("2026-04-15"), Lost: eur(15_000), ARR: eur(60_000)}}}
			pro := commission.Plan{Rate: 1000, Clawback: commission.Clawback{Days: 365, Recovery: commission.ProRata}}
			return map[string][]commission.Month{
				"pro":  statements(forecast.Year, pro, 0, months("2026-01", 8), d7),
				"full": statements(forecast.Year, commission.Plan{Rate: 1000}, 0, months("2026-01", 8), d7),
			}
		}},
		{"cap_payout.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Rate: 1000, CapPayout: eur(15_000)}
			return one(statements(forecast.Quarter, plan, 0, months("2026-01", 3),
				commission.Sale{Deal: 1, Amount: eur(100_000), ClosedOn: day("2026-01-20")},
				commission.Sale{Deal: 2, Amount: eur(80_000), ClosedOn: day("2026-02-10")},
				commission.Sale{Deal: 3, Amount: eur(50_000), ClosedOn: day("2026-03-03")}))
		}},
		{"cap_attainment.txt", func() map[string][]commission.Month {
			plan := commission.Plan{Rate: 1000, CapAttainment: 10000}
			return one(statements(forecast.Quarter, plan, eur(200_000), months("2026-01", 3),
				commission.Sale{Deal: 1, Amount: eur(150_000), ClosedOn: day("2026-01-20")},
				commission.Sale{Deal: 2, Amount: eur(80_000), ClosedOn: day("2026-02-10")},
				commission.Sale{Deal: 3, Amount: eur(20_000), ClosedOn: day("2026-03-03")}))
		}},
		{"close_adjust.txt", func() map[string][]commission.Month {
			ms := months("2026-11", 3)
			tm := terms(forecast.Quarter, fivePct, 0, ms)
			d12 := commission.Sale{Deal: 12, Amount: eur(48_000), ClosedOn: day("2026-11-20")}
			d14 := commission.Sale{Deal: 14, Amount: eur(20_000), ClosedOn: day("2026-12-03")}
			closed := map[string]commission.Month{}
			step1 := commission.Settle(commission.Compute(tm, ms, []commission.Sale{d12}), closed, 0)
			closed["2026-11"] = commission.Close(step1[0])
			d12.Split = 6000
			step2 := commission.Settle(commission.Compute(tm, ms, []commission.Sale{d12, d14}), closed, 0)
			closed["2026-12"] = commission.Close(step2[1])
			d12.Amount = eur(50_000)
			step3 := commission.Settle(commission.Compute(tm, ms, []commission.Sale{d12, d14}), closed, 0)
			return map[string][]commission.Month{"step1": step1, "step2": step2, "step3": step3}
		}},
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(c.file, ".txt"), func(t *testing.T) {
			got := c.run()
			exps := expectations(t, filepath.Join("testdata", c.file))
			if len(exps) == 0 {
				t.Fatalf("%s has no => lines", c.file)
			}
			for _, e := range exps {
				m, ok := find(got[e.who], e.month)
				if !ok {
					t.Errorf("%s:%d: no month %s for %q", c.file, e.line, e.month, e.who)
					continue
				}
				if v := measure(m, e.what); v != e.value {
					t.Errorf("%s:%d: %s %s %s = %s, the hand computation says %s", c.file, e.line, e.who, e.month, e.what, money(v), money(e.value))
				}
			}
		})
	}
}

func one(ms []commission.Month) map[string][]commission.Month {
	return map[string][]commission.Month{"": ms}
}

func find(ms []commission.Month, name string) (commission.Month, bool) {
	for _, m := range ms {
		if m.Period.Name == name {
			return m, true
		}
	}
	return commission.Month{}, false
}

func measure(m commission.Month, what string) int64 {
	var v int64
	switch what {
	case "earned":
		return m.Earned
	case "pay":
		return m.Draw.Pay
	case "owed":
		return m.Draw.OwedAfter
	case "credit":
		return m.Credit
	case "lines":
		return int64(len(m.Lines)) * 100 // a count, read ×100 like cents by expectations
	case "capped":
		for _, l := range m.Lines {
			v += l.Capped
		}
	case "adjustment":
		for _, l := range m.Lines {
			if l.Kind == commission.KindAdjustment {
				v += l.Amount
			}
		}
	default:
		panic("unknown measure " + what)
	}
	return v
}

type expectation struct {
	line             int
	who, month, what string
	value            int64
}

// expectations reads the "=> [who] month what value" lines of a worked
// example; value is in euros with cents ("26000.00"), or a count for lines.
func expectations(t *testing.T, path string) []expectation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		rest, ok := strings.CutPrefix(sc.Text(), "=> ")
		if !ok {
			continue
		}
		fs := strings.Fields(rest)
		e := expectation{line: n}
		switch len(fs) {
		case 3:
			e.month, e.what = fs[0], fs[1]
		case 4:
			e.who, e.month, e.what = fs[0], fs[1], fs[2]
		default:
			t.Fatalf("%s:%d: want => [who] month what value", path, n)
		}
		raw := fs[len(fs)-1]
		if e.what == "lines" {
			v, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n, err)
			}
			e.value = v * 100
		} else {
			e.value = cents(t, path, n, raw)
		}
		out = append(out, e)
	}
	return out
}

func cents(t *testing.T, path string, n int, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		t.Fatalf("%s:%d: %q: write euros with two decimals", path, n, s)
	}
	neg := strings.HasPrefix(whole, "-")
	w, err1 := strconv.ParseInt(strings.TrimPrefix(whole, "-"), 10, 64)
	c, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s:%d: %q is not an amount", path, n, s)
	}
	v := w*100 + c
	if neg {
		v = -v
	}
	return v
}

func money(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + strconv.FormatInt(100+v%100, 10)[1:]
}
