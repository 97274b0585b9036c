package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

func init() { migrationTests[9] = testMigrationV9 }

// digestPast is an imported deal's past: stage moves (forward, back and to
// an unknown stage), close-date pushes and pull-ins, next steps set and
// emptied, status changes, and fields the rules do not read, over the
// year before t0; some entries share an update (same instant, version),
// some updates share an instant.
func digestPast(r *rand.Rand) []domain.HistoryEntry {
	stages := domain.DefaultStages()
	at := t0.Add(-time.Duration(200+r.IntN(200)) * 24 * time.Hour)
	var h []domain.HistoryEntry
	close := sumsDay(r)
	for v := range uint64(r.IntN(14)) {
		if r.IntN(3) > 0 { // else two updates at one instant: only the version tells them apart
			at = at.Add(time.Duration(1+r.IntN(30*24)) * time.Hour)
		}
		for range 1 + r.IntN(3) {
			e := domain.HistoryEntry{At: at, By: "U1", Version: v + 1}
			switch r.IntN(7) {
			case 0, 1:
				e.Field, e.New = domain.FieldStage, sumsStage(r)
			case 2:
				e.Field, e.Old = domain.FieldCloseDate, close.String()
				close = close.AddDays(r.IntN(80) - 30)
				e.New = close.String()
			case 3:
				e.Field, e.Old, e.New = domain.FieldNextStep, "Call", []string{"", "  ", "Send it"}[r.IntN(3)]
			case 4:
				e.Field, e.Old, e.New = domain.FieldStatus, "open", string(sumsStatuses[r.IntN(len(sumsStatuses))])
			case 5:
				e.Field, e.Old, e.New = domain.FieldAmount, "100", "200"
			default:
				e.Field, e.Old, e.New = domain.FieldStage, stages[0].Name, stages[len(stages)-1].Name
			}
			h = append(h, e)
		}
	}
	return h
}

// digestDeal is randomDeal with free-text fields filled, blank or spaces
// only, a next step or none, a competitor on some losses, and what the
// segment and retention reports read: one of a few accounts (some alike
// but for case and spaces), segment attributes, a type, a term and a
// recurring value, or none of them.
func digestDeal(r *rand.Rand, i int) *domain.Deal {
	d := randomDeal(r, i)
	digestRetention(r, d)
	text := func() string { return []string{"", " ", "yes", "Board"}[r.IntN(4)] }
	d.Need, d.DecisionMakers, d.Budget, d.Timeline, d.Risk = text(), text(), text(), text(), text()
	d.NextStep = text()
	if r.IntN(3) > 0 {
		d.NextStepDue = t0Date().AddDays(r.IntN(60) - 30)
	}
	if d.Status == domain.Lost && r.IntN(2) == 0 {
		d.Competitor = []string{"Rival", "rival ", "Other"}[r.IntN(3)]
	}
	return d
}

func t0Date() domain.Date { return domain.DateOf(t0) }

// digestRetention gives d one of a few accounts, attributes, a type, a
// term and a recurring value at random (each possibly none).
func digestRetention(r *rand.Rand, d *domain.Deal) {
	d.Account = []string{"Acme", "ACME ", "Globex", "Société Générale", "Initech"}[r.IntN(5)]
	d.Attributes = domain.Attrs{}
	for _, name := range []string{"industry", "region", "size_band"} {
		d.SetAttr(name, []string{"", "", "Retail", "North", "51-200"}[r.IntN(5)])
	}
	d.Type = []domain.DealType{"", domain.TypeNew, domain.TypeExpansion, domain.TypeRenewal}[r.IntN(4)]
	d.TermMonths = []int{0, 12, 24, 36}[r.IntN(4)]
	d.Recurring = []int64{0, 0, 12_000_00, int64(1 + r.IntN(90_000_000))}[r.IntN(4)]
}

// digestSettings are the rules' settings of the comparison: the default
// stages (with their entry criteria), the default qualification fields.
func digestSettings(loc *time.Location) coaching.Settings {
	s := coaching.DefaultSettings()
	s.Location = loc
	return s
}

// compareWithEveryDeal computes, for each scope, every figure /pipeline and
// /pipeline losses show from the digests (PipelineDeals) and from the
// deals with their whole history (CoachingDeals), and requires them equal:
// KPIs of several windows with their comparison periods (conversion,
// closed, cycle, discount, snapshot, talks), the losses, the slippage of
// months and quarters, the stall limits and the nudges behind talks.
func compareWithEveryDeal(t *testing.T, step string, db *DB, now time.Time, loc *time.Location) {
	t.Helper()
	ctx := context.Background()
	s := digestSettings(loc)
	cal := forecast.Calendar{FiscalYearStart: time.April, Location: loc}
	today := domain.DateOf(now.In(loc))
	for _, owners := range [][]domain.UserID{nil, {"U1", "U2", "U3"}, {"U4"}, {"UGONE", "U5"}} {
		full, err := db.CoachingDeals(ctx, owners)
		if err != nil {
			t.Fatal(err)
		}
		dig, err := db.PipelineDeals(ctx, owners)
		if err != nil {
			t.Fatal(err)
		}
		// The rules do not depend on the order of the deals (each sorts
		// what it lists); CoachingDeals gives them in its index's order.
		slices.SortFunc(full, func(a, b coaching.DealInput) int { return cmp.Compare(a.Deal.ID, b.Deal.ID) })
		if len(full) != len(dig) {
			t.Fatalf("%s %v: %d deals from the digests, %d deals", step, owners, len(dig), len(full))
		}
		ids := make([]domain.DealID, len(full))
		for i := range full {
			ids[i] = full[i].Deal.ID
			if dig[i].Deal.ID != full[i].Deal.ID {
				t.Fatalf("%s %v: deal %d is %s from the digests, %s", step, owners, i, dig[i].Deal.ID.Ref(), full[i].Deal.ID.Ref())
			}
			// What the segment and retention reports read is the deal's
			// own, not a mark.
			g, w := dig[i].Deal, full[i].Deal
			if g.Account != w.Account || g.Attributes != w.Attributes || g.Type != w.Type || g.TermMonths != w.TermMonths || g.Recurring != w.Recurring {
				t.Fatalf("%s %v: %s from its digest: account %q, attributes %q, type %q, term %d, recurring %d; the deal's %q, %q, %q, %d, %d",
					step, owners, w.ID.Ref(), g.Account, g.Attributes.Map(), g.Type, g.TermMonths, g.Recurring,
					w.Account, w.Attributes.Map(), w.Type, w.TermMonths, w.Recurring)
			}
		}
		info, err := db.DiscountInfo(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for i := range full {
			full[i].Discount = info[ids[i]]
		}
		fin, din := coaching.Input{Settings: s, Deals: full}, coaching.Input{Settings: s, Deals: dig}
		same := func(what string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %v %s: from the digests\n %+v\nfrom every deal\n %+v", step, owners, what, got, want)
			}
		}
		same("stall limits", coaching.StallLimits(s, dig), coaching.StallLimits(s, full))
		nudges := func(in coaching.Input) []string {
			var out []string
			for _, n := range coaching.Evaluate(in, now) {
				out = append(out, fmt.Sprintf("%s %s %s", n.Deal.Ref(), n.Kind, n.Key))
			}
			return out
		}
		same("nudges", nudges(din), nudges(fin))
		for _, p := range []coaching.Period{
			{From: today.AddDays(-89), To: today},
			{From: today.AddDays(-29), To: today},
			{From: domain.NewDate(today.Year, 1, 1), To: today},
			{From: today.AddDays(-400), To: today.AddDays(-200)},
		} {
			prev, year := coaching.Comparisons(p)
			same(fmt.Sprintf("KPIs %v", p), coaching.KPIsOver(din, p, []coaching.Period{prev, year}, now),
				coaching.KPIsOver(fin, p, []coaching.Period{prev, year}, now))
			same(fmt.Sprintf("losses %v", p), coaching.LossAnalysis(din, p, []string{"Price", "Timing"}, now),
				coaching.LossAnalysis(fin, p, []string{"Price", "Timing"}, now))
		}
		slip := func(in []coaching.DealInput, p forecast.Period, at time.Time) string {
			deals := make([]forecast.SlipDeal, len(in))
			for i, d := range in {
				deals[i] = forecast.SlipDeal{Deal: d.Deal, History: d.History}
			}
			team, reps := cal.Slippage(p, deals, at)
			return fmt.Sprintf("%+v %+v", team, reps)
		}
		for d := today.AddDays(-400); !d.After(today.AddDays(40)); d = d.AddDays(27) {
			for _, p := range []forecast.Period{cal.Month(d), cal.Quarter(d)} {
				for _, at := range []time.Time{now, p.Start.AddDays(10).Time(loc)} {
					same(fmt.Sprintf("slippage %s at %s", p.Name, at), slip(dig, p, at), slip(full, p, at))
				}
			}
		}
		// /pipeline reads them): chunks of one deal, of three, and the
		// store's own size, each chunk written over by the next.
		for _, chunk := range []int{1, 3, 0} {
			if err := db.PipelineView(ctx, owners, chunk, func(deals iter.Seq[[]coaching.DealInput]) error {
				cin := coaching.Input{Settings: s, Chunks: deals}
				for _, p := range []coaching.Period{
					{From: today.AddDays(-89), To: today},
					{From: today.AddDays(-400), To: today.AddDays(-200)},
				} {
					prev, year := coaching.Comparisons(p)
					same(fmt.Sprintf("KPIs %v by chunks of %d", p, chunk), coaching.KPIsOver(cin, p, []coaching.Period{prev, year}, now),
						coaching.KPIsOver(fin, p, []coaching.Period{prev, year}, now))
					same(fmt.Sprintf("losses %v by chunks of %d", p, chunk), coaching.LossAnalysis(cin, p, []string{"Price", "Timing"}, now),
						coaching.LossAnalysis(fin, p, []string{"Price", "Timing"}, now))
					// A team's or the company's /pipeline counts the scope's
					// figures alone (TeamOnly): the same team figures, no rep's.
					k := coaching.NewKPICount(cin, p, []coaching.Period{prev, year}, now)
					k.TeamOnly()
					for chunk := range deals {
						k.Add(chunk)
					}
					want := coaching.KPIsOver(fin, p, []coaching.Period{prev, year}, now)
					for i, r := range k.Reports() {
						if len(r.Reps) > 0 {
							t.Fatalf("%s %v: KPIs %v team only by chunks of %d: %d reps' figures", step, owners, p, chunk, len(r.Reps))
						}
						same(fmt.Sprintf("KPIs %v team only by chunks of %d, report %d", p, chunk, i), r.Team, want[i].Team)
					}
				}
				for d := today.AddDays(-400); !d.After(today.AddDays(40)); d = d.AddDays(53) {
					for _, p := range []forecast.Period{cal.Month(d), cal.Quarter(d)} {
						at := p.Start.AddDays(10).Time(loc)
						c := cal.SlipCount(p, at)
						days, buf := cal.Days(), []domain.Date(nil) // the days worked out once, as /pipeline does
						for chunk := range deals {
							for _, d := range chunk {
								sd := forecast.SlipDeal{Deal: d.Deal, History: d.History}
								buf = sd.DaysOf(days, buf)
								c.Add(sd)
							}
						}
						team, reps := c.Result()
						same(fmt.Sprintf("slippage %s at %s by chunks of %d", p.Name, at, chunk), fmt.Sprintf("%+v %+v", team, reps), slip(full, p, at))
						// The scope's alone (TeamOnly): the same team figure, no rep's.
						c = cal.SlipCount(p, at)
						c.TeamOnly()
						for chunk := range deals {
							for _, d := range chunk {
								sd := forecast.SlipDeal{Deal: d.Deal, History: d.History}
								buf = sd.DaysOf(days, buf)
								c.Add(sd)
							}
						}
						alone, none := c.Result()
						same(fmt.Sprintf("slippage %s at %s team only by chunks of %d", p.Name, at, chunk), fmt.Sprintf("%+v %+v", alone, none), fmt.Sprintf("%+v %+v", team, []forecast.RepSlip{}))
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// /pipeline losses reads only the deals touched since its window
	// began (PipelineViewSince, from its first day's start, or the day
	// before as the bot asks): the same losses as from every deal.
	for _, owners := range [][]domain.UserID{nil, {"U1", "U2", "U3"}} {
		full, err := db.CoachingDeals(ctx, owners)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]domain.DealID, len(full))
		for i := range full {
			ids[i] = full[i].Deal.ID
		}
		info, err := db.DiscountInfo(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for i := range full {
			full[i].Discount = info[ids[i]]
		}
		fin := coaching.Input{Settings: s, Deals: full}
		for _, p := range []coaching.Period{
			{From: today.AddDays(-89), To: today},
			{From: today.AddDays(-29), To: today},
			{From: today, To: today},
			{From: domain.NewDate(today.Year, 1, 1), To: today},
			{From: today.AddDays(-400), To: today.AddDays(-200)},
		} {
			want := coaching.LossAnalysis(fin, p, []string{"Price", "Timing"}, now)
			for _, since := range []time.Time{p.From.Time(loc), p.From.AddDays(-1).Time(loc)} {
				if err := db.PipelineViewSince(ctx, owners, since, 3, func(deals iter.Seq[[]coaching.DealInput]) error {
					got := coaching.LossAnalysis(coaching.Input{Settings: s, Chunks: deals}, p, []string{"Price", "Timing"}, now)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s %v losses %v from the deals touched since %s:\n %+v\nfrom every deal\n %+v", step, owners, p, since, got, want)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := db.bolt.View(func(tx *bbolt.Tx) error {
		if drift := checkDigests(tx); len(drift) > 0 {
			t.Fatalf("%s: the digests drifted from the deals:\n%s", step, strings.Join(drift, "\n"))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestDigestsComputeLikeEveryDeal: random deal sets on real bbolt files,
// created and imported with a random past, then random sequences of every
// write a deal goes through (each field the rules read, the free-text
// fields filled and emptied, a form, a discount approved through the desk,
// win, loss with and without competitor, reopen, a change of owner); after
// each checked step, every figure /pipeline and /pipeline losses compute
// from the digests equals the figure computed from the deals and their
// whole history, to the cent and basis point, in two time zones.
func TestDigestsComputeLikeEveryDeal(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(5) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 9))
			loc := []*time.Location{time.UTC, paris}[seed%2]
			clk := newClock(7*time.Hour + 13*time.Minute)
			db := openTest(t, clk)
			ctx := context.Background()
			n := 0
			var ids []domain.DealID
			for range 20 + r.IntN(20) {
				n++
				ids = append(ids, mustCreate(t, db, digestDeal(r, n), "U1").ID)
			}
			var items []Imported
			for range 40 {
				n++
				items = append(items, Imported{Deal: digestDeal(r, n), By: "U2", History: digestPast(r)})
			}
			imported, err := db.ImportDeals(ctx, items)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, imported...)
			compareWithEveryDeal(t, "created", db, clk.Peek(), loc)
			pending, pendingOn := 0, map[domain.DealID]bool{}

			for step := range 160 {
				id := ids[r.IntN(len(ids))]
				var what string
				change := func(fn func(d *domain.Deal)) {
					t.Helper()
					if _, _, err := db.UpdateDeal(ctx, id, 0, "U1", func(d *domain.Deal) error { fn(d); return nil }); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
				}
				text := []string{"", "  ", "Board", "CFO"}
				switch k := r.IntN(19); k {
				case 0:
					what = "create"
					n++
					ids = append(ids, mustCreate(t, db, digestDeal(r, n), "U3").ID)
				case 1:
					what = "amount"
					change(func(d *domain.Deal) { d.Amount = int64(1 + r.IntN(900_000_000)) })
				case 2:
					what = "close date"
					change(func(d *domain.Deal) { d.CloseDate = d.CloseDate.AddDays(r.IntN(100) - 40) })
				case 3:
					what = "owner"
					change(func(d *domain.Deal) { d.Owner = sumsOwners[r.IntN(len(sumsOwners))] })
				case 4, 5:
					what = "stage"
					change(func(d *domain.Deal) { d.Stage = sumsStage(r) })
				case 6:
					what = "win"
					change(func(d *domain.Deal) { sumsSetStatus(d, domain.Won); d.CloseDate = domain.DateOf(clk.Peek()) })
				case 7:
					what = "lose"
					change(func(d *domain.Deal) {
						sumsSetStatus(d, domain.Lost)
						d.Competitor = []string{"", "Rival", "Other Co"}[r.IntN(3)]
					})
				case 8:
					what = "reopen"
					change(func(d *domain.Deal) { sumsSetStatus(d, domain.Open); d.Competitor = "" })
				case 9:
					what = "currency"
					change(func(d *domain.Deal) { d.Currency = []string{"EUR", "USD"}[r.IntN(2)] })
				case 10:
					what = "discount"
					change(func(d *domain.Deal) { d.Discount = r.IntN(10_001) })
				case 11:
					what = "next step"
					change(func(d *domain.Deal) {
						d.NextStep = text[r.IntN(len(text))]
						d.NextStepDue = domain.DateOf(clk.Peek()).AddDays(r.IntN(20) - 10)
					})
				case 12:
					what = "qualification"
					change(func(d *domain.Deal) {
						d.Need, d.Budget, d.DecisionMakers = text[r.IntN(4)], text[r.IntN(4)], text[r.IntN(4)]
						d.Name = "Renamed " + text[r.IntN(4)]
					})
				case 13:
					what = "form"
					cur := mustDeal(t, db, id)
					if _, _, err := db.UpdateDealForm(ctx, id, "U1", fmt.Sprintf("view-%d", step), fnForm{cur.Version, func(d *domain.Deal) error {
						d.Stage, d.CloseDate, d.Timeline = sumsStage(r), sumsDay(r), text[r.IntN(4)]
						return nil
					}}); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
				case 14:
					what = "several fields at once"
					change(func(d *domain.Deal) {
						d.Owner, d.Stage, d.CloseDate, d.Amount = sumsOwners[r.IntN(len(sumsOwners))], sumsStage(r), sumsDay(r), d.Amount*2+1
						sumsSetStatus(d, sumsStatuses[r.IntN(len(sumsStatuses))])
					})
				case 15:
					what = "discount approved through the desk"
					if pendingOn[id] {
						break // one pending request a deal: it stays pending
					}
					cur := mustDeal(t, db, id)
					if cur.Status != domain.Open {
						change(func(d *domain.Deal) { sumsSetStatus(d, domain.Open) })
						cur = mustDeal(t, db, id)
					}
					approveDiscount(t, db, cur, 500+r.IntN(3000))
				case 18:
					what = "account, attributes, type, term and recurring value"
					change(func(d *domain.Deal) { digestRetention(r, d) })
				case 16:
					what = "time passes"
					clk.Advance(time.Duration(r.IntN(20*24)) * time.Hour)
				case 17:
					what = "a discount asked and left pending, naming a rival"
					cur := mustDeal(t, db, id)
					if cur.Status != domain.Open {
						break
					}
					req, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: cur.ID, Requester: "U1", DiscountBP: 500 + r.IntN(3000),
						ListAmount: cur.Amount, Currency: cur.Currency, Justification: "Rival", DealVersion: cur.Version,
						Competitor: []string{"Rival", "Other Co"}[r.IntN(2)]}, "UMGR", clk.Peek())
					if err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					if _, err := db.CreateDeskRequest(ctx, req, ""); err == nil {
						pending++
						pendingOn[id] = true
					} else if domain.ErrorCode(err) != domain.ECONFLICT {
						t.Fatalf("%s: %v", what, err) // a second pending request on a deal is refused, nothing else
					}
				}
				if step%20 == 19 || r.IntN(12) == 0 {
					compareWithEveryDeal(t, fmt.Sprintf("step %d (%s)", step, what), db, clk.Peek(), loc)
				}
			}
			compareWithEveryDeal(t, "end", db, clk.Peek(), loc)
			if pending == 0 {
				t.Error("no discount request was left pending: the desk's part of the figures went untested")
			}
		})
	}
}

// TestDigestsTellUpdatesAtOneInstantApart: on a clock that does not move,
// a deal's close date is moved into the month, then it is won, in two
// updates at the same instant that only their versions tell apart. The
// month's slippage counts it as forecast (it was open with that date
// between the two updates), and so do the digests.
func TestDigestsTellUpdatesAtOneInstantApart(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	ctx := context.Background()
	d := newDeal("Deal", "Acme", "U1", "2026-03-31", "")
	d.Currency = "EUR"
	d = mustCreate(t, db, d, "U1")
	for _, fn := range []func(*domain.Deal){
		func(d *domain.Deal) { d.CloseDate = date("2026-02-20") },
		func(d *domain.Deal) { sumsSetStatus(d, domain.Won) },
	} {
		if _, _, err := db.UpdateDeal(ctx, d.ID, 0, "U1", func(d *domain.Deal) error { fn(d); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	dig, err := db.PipelineDeals(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	cal := forecast.Calendar{}
	team, _ := cal.Slippage(cal.Month(date("2026-02-02")), []forecast.SlipDeal{{Deal: dig[0].Deal, History: dig[0].History}}, t0)
	if team.Forecast != 1 || team.Slipped != 0 {
		t.Errorf("February's slippage from the digest: %+v; want the deal forecast, not slipped", team)
	}
	compareWithEveryDeal(t, "one instant", db, t0, time.UTC)
}

// testMigrationV9: migration 9 builds a digest for each of a version 8
// file's deals, equal to the one the writes keep (no drift), built afresh
// when run again; the deals read from them carry the fixture's figures.
func testMigrationV9(t *testing.T) {
	bdb, err := bbolt.Open(copyFixture(t), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bbolt.Tx) error {
		if err := migrateTo(tx, t0, 8, t.Logf); err != nil {
			return err
		}
		if tx.Bucket(bucketDigests) != nil {
			t.Fatal("pl_digests before migration 9")
		}
		if err := migrateTo(tx, t0, 9, t.Logf); err != nil {
			return err
		}
		if v := rawVersion(t, tx); v != 9 {
			t.Errorf("version %d after migration 9", v)
		}
		for range 2 { // run again (a file migrated by hand): built afresh
			if drift := checkDigests(tx); len(drift) > 0 {
				t.Errorf("drift after migration 9: %q", drift)
			}
			b := tx.Bucket(bucketDigests)
			if n := countKeys(b); n != len(v1FixtureDeals()) {
				t.Errorf("%d digests; want one per deal, %d", n, len(v1FixtureDeals()))
			}
			for _, want := range v1FixtureDeals() {
				r := digestReader{in: interner{}}
				got, err := r.read(want.ID, b.Get(idKey(want.ID)))
				if err != nil {
					t.Fatalf("%s: %v", want.ID.Ref(), err)
				}
				g := got.Deal
				if g.Owner != want.Owner || g.Amount != want.Amount || g.Currency != want.Currency || g.Stage != want.Stage ||
					g.Status != want.Status || g.CloseDate != want.CloseDate || g.NextStepDue != want.NextStepDue ||
					!g.CreatedAt.Equal(want.CreatedAt) || !g.UpdatedAt.Equal(want.UpdatedAt) ||
					(g.Budget == "") != (want.Budget == "") || (g.NextStep == "") != (want.NextStep == "") {
					t.Errorf("%s from its digest: %+v; want the figures of %+v", want.ID.Ref(), *g, *want)
				}
				if len(got.History) == 0 || got.History[0].Field != domain.FieldStage {
					t.Errorf("%s: history from its digest %+v; want its creation's stage entry first", want.ID.Ref(), got.History)
				}
			}
			if err := migrateV9(tx, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOnlyAddHistoryAndImportWriteTheHistoryBucket: the digests follow the
// history through addHistory, and through putDeal for an import's past
// (written just before its deal); a history entry written anywhere else
// would be missing from its deal's digest.
func TestOnlyAddHistoryAndImportWriteTheHistoryBucket(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var writes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for i, line := range strings.Split(mustRead(t, f), "\n") {
			if strings.Contains(line, "Put(historyKey(") || strings.Contains(line, "bucketHistory).Put(") {
				writes = append(writes, fmt.Sprintf("%s:%d", f, i+1))
			}
		}
	}
	slices.Sort(writes)
	if len(writes) != 2 || !strings.HasPrefix(writes[0], "bulk.go:") || !strings.HasPrefix(writes[1], "deals.go:") {
		t.Errorf("writes to the history bucket at %v; want two, ImportDeals' and addHistory's", writes)
	}
}

// TestCheckFileReportsDigestDrift: `dealpilot check` recomputes each
// deal's digest from the deal and its history and names the deals whose
// stored digest differs (a digest changed, one missing, a history entry
// written behind the store's back), one left for a deal that no longer
// exists, and a digest that cannot be read.
func TestCheckFileReportsDigestDrift(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drift.db")
	db := openPath(t, path, newClock(time.Second))
	for i := range 4 {
		mustCreate(t, db, newDeal(fmt.Sprint("Deal ", i), "Acme", "U1", "2026-03-31", ""), "U1")
	}
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDigests)
		other := digestOf(newDeal("Other", "Acme", "U2", "2026-04-30", ""), nil)
		if err := b.Put(idKey(1), other); err != nil {
			return err
		}
		if err := b.Delete(idKey(2)); err != nil {
			return err
		}
		h := tx.Bucket(bucketHistory)
		v, err := encodeHistory(domain.HistoryEntry{At: t0, By: "U1", Field: domain.FieldStage, Old: "Qualification", New: "Proposal", Version: 2})
		if err != nil {
			return err
		}
		if err := h.Put(historyKey(3, 999), v); err != nil {
			return err
		}
		if err := b.Put(idKey(9), other); err != nil {
			return err
		}
		return b.Put(idKey(4), []byte{digestVersion, 50})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	rep, err := CheckFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"pl_digests/D-4: the deal's part is cut short"}; !slices.Equal(rep.BadRecords, want) {
		t.Errorf("CheckFile bad records:\n%s\nwant\n%s", strings.Join(rep.BadRecords, "\n"), strings.Join(want, "\n"))
	}
	want := []string{
		"pl_digests/D-1: drift: differs from the deal and its history",
		"pl_digests/D-2: drift: missing",
		"pl_digests/D-3: drift: differs from the deal and its history",
		"pl_digests/D-4: drift: differs from the deal and its history",
		"pl_digests/D-9: drift: no such deal",
	}
	if !slices.Equal(rep.Drift, want) || rep.OK() {
		t.Errorf("CheckFile drift:\n%s\nwant\n%s", strings.Join(rep.Drift, "\n"), strings.Join(want, "\n"))
	}
}

// TestPipelineViewStopsWhenCancelled: a context cancelled while the deals
// are read a chunk at a time ends the sequence at the next chunk, and
// PipelineView returns its error even though fn, which saw only part of
// the deals, returned none: figures of part of a company never get out.
func TestPipelineViewStopsWhenCancelled(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	for i := range 5 {
		mustCreate(t, db, newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", "2026-03-31", ""), "U1")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := 0
	err := db.PipelineView(ctx, nil, 1, func(deals iter.Seq[[]coaching.DealInput]) error {
		for chunk := range deals {
			seen += len(chunk)
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || seen != 1 {
		t.Fatalf("cancelled after the first chunk: %d deals seen, error %v; want 1 and context.Canceled", seen, err)
	}
	// Not cancelled: every deal, in chunks of two, twice over.
	seen = 0
	if err := db.PipelineView(context.Background(), nil, 2, func(deals iter.Seq[[]coaching.DealInput]) error {
		for range 2 {
			for chunk := range deals {
				if len(chunk) > 2 {
					t.Errorf("a chunk of %d deals, want at most 2", len(chunk))
				}
				seen += len(chunk)
			}
		}
		return nil
	}); err != nil || seen != 10 {
		t.Fatalf("%d deals seen over two passes, error %v; want 10", seen, err)
	}
}

// TestDigestTouched: the last instant a digest tells of is the deal's
// update or its latest entry's, whichever is later (an import may date a
// deal's past after the import itself), and nothing when it has neither.
func TestDigestTouched(t *testing.T) {
	d := newDeal("Deal", "Acme", "U1", "2026-03-31", "")
	d.UpdatedAt = t0
	entry := func(at time.Time, f domain.Field, old, new string) domain.HistoryEntry {
		return domain.HistoryEntry{At: at, Field: f, Old: old, New: new, Version: 1}
	}
	bare := *d
	bare.CreatedAt, bare.UpdatedAt = time.Time{}, time.Time{}
	for _, c := range []struct {
		name string
		d    *domain.Deal
		hist []domain.HistoryEntry
		want int64
	}{
		{"UpdatedOnly", d, nil, t0.UnixNano()},
		{"EntriesBefore", d, []domain.HistoryEntry{entry(t0.Add(-time.Hour), domain.FieldStage, "", "Demo")}, t0.UnixNano()},
		{"StageAfter", d, []domain.HistoryEntry{entry(t0.Add(time.Hour), domain.FieldStage, "", "Demo"),
			entry(t0.Add(-time.Hour), domain.FieldStatus, "open", "won")}, t0.Add(time.Hour).UnixNano()},
		{"CloseAfter", d, []domain.HistoryEntry{entry(t0.Add(-time.Hour), domain.FieldStage, "", "Demo"),
			entry(t0.Add(2*time.Hour), domain.FieldCloseDate, "2026-03-01", "2026-04-01")}, t0.Add(2 * time.Hour).UnixNano()},
		{"NoStepAfter", d, []domain.HistoryEntry{entry(t0.Add(3*time.Hour), domain.FieldNextStep, "Call", "")}, t0.Add(3 * time.Hour).UnixNano()},
		{"EntryNotKept", d, []domain.HistoryEntry{entry(t0.Add(3*time.Hour), domain.FieldAmount, "1", "2")}, t0.UnixNano()},
		{"Nothing", &bare, nil, math.MinInt64},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := digestTouched(digestOf(c.d, c.hist))
			if err != nil || got != c.want {
				t.Errorf("digestTouched = %d, %v; want %d", got, err, c.want)
			}
		})
	}
	for _, bad := range [][]byte{nil, {digestVersion + 1}, {digestVersion, 50}, append(digestOf(d, nil), 99)} {
		if _, err := digestTouched(bad); err == nil {
			t.Errorf("digestTouched(%v): no error", bad)
		}
	}
}

// TestPipelineViewSinceSkipsUntouched: only the deals updated, or given a
// history entry the rules read, at or after since are read; every deal
// when since is zero.
func TestPipelineViewSinceSkipsUntouched(t *testing.T) {
	clk := newClock(0)
	db := openTest(t, clk)
	ctx := context.Background()
	var ids []domain.DealID
	for i := range 4 {
		ids = append(ids, mustCreate(t, db, newDeal(fmt.Sprintf("Deal %d", i), "Acme", "U1", "2026-03-31", ""), "U1").ID)
		clk.Advance(24 * time.Hour)
	}
	since := clk.Peek()
	if _, _, err := db.UpdateDeal(ctx, ids[1], 0, "U1", func(d *domain.Deal) error { d.Amount++; return nil }); err != nil {
		t.Fatal(err)
	}
	read := func(since time.Time) []domain.DealID {
		var got []domain.DealID
		if err := db.PipelineViewSince(ctx, nil, since, 0, func(deals iter.Seq[[]coaching.DealInput]) error {
			for chunk := range deals {
				for _, d := range chunk {
					got = append(got, d.Deal.ID)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got, want := read(since), []domain.DealID{ids[1]}; !slices.Equal(got, want) {
		t.Errorf("deals touched since %s: %v; want %v", since, got, want)
	}
	if got := read(time.Time{}); !slices.Equal(got, ids) {
		t.Errorf("every deal: %v; want %v", got, ids)
	}
	if got, want := read(since.Add(-24*time.Hour)), []domain.DealID{ids[1], ids[3]}; !slices.Equal(got, want) {
		t.Errorf("deals touched since the day before: %v; want %v", got, want)
	}
}

// TestDigestBufNumbers: the digest's numbers read back as encoding/binary
// wrote them, one-byte ones (read by hand) and longer ones alike.
func TestDigestBufNumbers(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 2, 63, -63, -64, 64, 127, 128, -129, 1 << 20, -(1 << 40), math.MaxInt64, math.MinInt64} {
		b := binary.AppendVarint(nil, v)
		b = binary.AppendUvarint(b, uint64(v))
		r := digestBuf{b: b}
		if got := r.varint(); got != v || r.err != nil {
			t.Errorf("varint %d: read %d, %v", v, got, r.err)
		}
		if got := r.uvarint(); got != uint64(v) || r.err != nil || len(r.b) != 0 {
			t.Errorf("uvarint %d: read %d, %v, %d bytes left", uint64(v), got, r.err, len(r.b))
		}
	}
	for _, b := range [][]byte{nil, {0x80}} {
		r := digestBuf{b: b}
		if r.uvarint(); r.err == nil {
			t.Errorf("uvarint of %v: no error", b)
		}
		r = digestBuf{b: b}
		if r.varint(); r.err == nil {
			t.Errorf("varint of %v: no error", b)
		}
	}
}

// TestDigestReaderStrings: the strings a digest reader gives are the
// bytes read, whatever it saw before: strings that share a place in its
// cache of seen strings.
func TestDigestReaderStrings(t *testing.T) {
	r := digestReader{in: interner{}}
	byPlace := map[uint32][]string{}
	var words []string
	for i := range 5000 {
		w := fmt.Sprintf("U%05d", i)
		words = append(words, w)
		byPlace[strSlot([]byte(w))] = append(byPlace[strSlot([]byte(w))], w)
	}
	shared := 0
	for _, ws := range byPlace {
		if len(ws) > 1 {
			shared++
		}
	}
	if shared == 0 {
		t.Fatal("no two words share a place: the test reads no collision")
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		w := words[rnd.IntN(len(words))]
		if got := r.str([]byte(w)); got != w {
			t.Fatalf("str(%q) = %q", w, got)
		}
	}
}

func init() { migrationTests[19] = testMigrationV19 }

// digestV1Of is d's digest as version 1 wrote it, before migration 19: a
// frozen copy of that encoding, to make the files migration 19 finds. The
// deal's part had no account, attributes, type, term nor recurring value,
// the account's mark was the second of the free-text fields' (name,
// account, need, decision makers, budget, timeline, risk, next step), and
// CreatedUnknown's bit 1<<8; the entries are encoded as today
// (appendDigestEntry did not change).
func digestV1Of(d *domain.Deal, hist []domain.HistoryEntry) []byte {
	var h []byte
	for _, s := range []string{string(d.Owner), d.Currency, d.Stage, string(d.Category), string(d.Status)} {
		h = appendString(h, s)
	}
	h = binary.AppendVarint(h, d.Amount)
	h = binary.AppendVarint(h, int64(d.Discount))
	h = appendDate(h, d.CloseDate)
	h = appendDate(h, d.NextStepDue)
	h = appendTime(h, d.CreatedAt)
	h = appendTime(h, d.UpdatedAt)
	var marks uint64
	for i, s := range []string{d.Name, d.Account, d.Need, d.DecisionMakers, d.Budget, d.Timeline, d.Risk, d.NextStep} {
		if strings.TrimSpace(s) != "" {
			marks |= 1 << i
		}
	}
	if d.CreatedUnknown {
		marks |= 1 << 8
	}
	h = binary.AppendUvarint(h, marks)
	h = appendString(h, d.LossReason)
	h = appendString(h, d.Competitor)
	b := binary.AppendUvarint([]byte{1}, uint64(len(h)))
	b = append(b, h...)
	for i := range hist {
		b = appendDigestEntry(b, &hist[i])
	}
	return b
}

// testMigrationV19: a file at schema 18, its digests of version 1 as the
// code of then wrote them (which today's readers refuse, and `dealpilot
// check` leaves to the migration), deals with accounts, attributes,
// types, terms and recurring values: opened, every digest is rebuilt in
// version 2 (no drift, every figure and report field as from the deals),
// every part has a new generation, the accounts have one (not 0), and
// `dealpilot check` finds nothing; run again, it is harmless.
func testMigrationV19(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v18.db")
	clk := newClock(time.Minute)
	db := openPath(t, path, clk)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(19, 18))
	for n := range 30 {
		mustCreate(t, db, digestDeal(r, n+1), "U1")
	}
	var items []Imported
	for n := range PartDeals + 40 { // two parts
		d := digestDeal(r, n+31)
		d.CreatedUnknown = n%7 == 0
		items = append(items, Imported{Deal: d, By: "U2", History: digestPast(r)})
	}
	if _, err := db.ImportDeals(ctx, items); err != nil {
		t.Fatal(err)
	}
	gens := func() map[uint64]uint64 {
		t.Helper()
		out := map[uint64]uint64{}
		if err := db.PipelineParts(ctx, nil, func(p, g uint64) bool { out[p] = g; return true }, nil); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := gens()
	if len(before) != 2 {
		t.Fatalf("%d parts, want 2", len(before))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Back to schema 18: version 1 digests, the accounts' sequence unused.
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDigests)
		err := tx.Bucket(bucketDeals).ForEach(func(k, v []byte) error {
			d, err := decodeDeal(idSuffix(k), v)
			if err != nil {
				return err
			}
			hist, err := history(tx, d.ID, skipQuietly)
			if err != nil {
				return err
			}
			old := digestV1Of(d, hist)
			rd := digestReader{in: interner{}}
			if _, err := rd.read(d.ID, old); err == nil {
				t.Errorf("%s: a version 1 digest was read", d.ID.Ref())
			}
			return b.Put(k, old)
		})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketAccounts).SetSequence(0); err != nil {
			return err
		}
		return setFileVersion(tx, 18)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := CheckFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.SchemaVersion != 18 {
		t.Errorf("check of the file at schema 18: schema %d, bad records %q, drift %q; want nothing found",
			rep.SchemaVersion, rep.BadRecords, rep.Drift)
	}

	db = openPath(t, path, clk)
	compareWithEveryDeal(t, "migrated", db, clk.Peek(), time.UTC) // no drift, the same figures and fields
	after := gens()
	for p, g := range before {
		if after[p] <= g {
			t.Errorf("part %d: generation %d after the migration, %d before: not bumped", p, after[p], g)
		}
	}
	accounts, gen, err := db.AccountsAt(ctx, 0)
	if err != nil || gen == 0 || len(accounts) == 0 {
		t.Errorf("AccountsAt after the migration: %d accounts, generation %d, %v; want them, not 0", len(accounts), gen, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if rep, err := CheckFile(path); err != nil || !rep.OK() || rep.SchemaVersion != 19 {
		t.Errorf("check after the migration: %+v, %v; want OK at schema 19", rep, err)
	}

	bdb, err = bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(func(tx *bbolt.Tx) error {
		if err := migrateV19(tx, t0); err != nil { // again: harmless
			return err
		}
		if drift := checkDigests(tx); len(drift) > 0 {
			t.Errorf("drift after migration 19 ran again: %q", drift)
		}
		if g := tx.Bucket(bucketAccounts).Sequence(); g <= gen {
			t.Errorf("accounts' generation %d after migration 19 ran again, was %d", g, gen)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
