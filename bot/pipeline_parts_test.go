package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample/large"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// wholeReads is a store without PipelineParts: /pipeline then reads every
// deal of its scope at each call, as before parts were kept.
type wholeReads struct{ bot.Store }

// TestPipelineFromKeptPartsLikeEveryDeal: /pipeline answered from kept
// parts (the store's parts, each counted again only once written) is the
// answer read from every deal, call after call, while deals are written
// (every figure's fields, owners, another currency, new deals), discounts
// are asked at the desk (store's TestPipelinePartsGiveOnlyWhatChanged
// shows their part read again) and days go by: for the company (an
// admin), a team (its manager) and one rep,
// over the default window and a quarter. On 2,500 deals of the large
// sample: three parts.
func TestPipelineFromKeptPartsLikeEveryDeal(t *testing.T) {
	db, clock, cfg, kept, whole := keptAndWhole(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	rep := large.Rep(13)
	asks := []struct {
		user domain.UserID
		args string
	}{
		{large.Admin, ""}, {large.Admin, "2026-Q4"}, {large.Admin, "2026-Q3"}, {large.Manager(1), ""}, {large.Manager(1), "@rep"}, {rep, ""},
	}
	compare := func(step string) {
		t.Helper()
		for _, a := range asks {
			caller := bot.Caller{User: a.user, Channel: "C0SALES", Mentions: map[string]domain.UserID{"@rep": rep}}
			answer := func(b *bot.Bot) bot.Pipeline {
				t.Helper()
				h, _, args := b.Commands()["/pipeline"].Route(a.args)
				reply, err := h(ctx, caller, args)
				if err != nil {
					t.Fatalf("%s: /pipeline %s as %s: %v", step, a.args, a.user, err)
				}
				return reply.(bot.Pipeline)
			}
			got, want := answer(kept), answer(whole)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: /pipeline %s as %s from kept parts differs from every deal:\n got %+v\nwant %+v", step, a.args, a.user, got.Metrics, want.Metrics)
			}
		}
	}
	compare("start")
	stages := cfg.Stages
	for step := range 100 {
		id := domain.DealID(1 + r.IntN(2500))
		update := func(fn func(d *domain.Deal)) {
			t.Helper()
			if _, _, err := db.UpdateDeal(ctx, id, 0, large.Admin, func(d *domain.Deal) error { fn(d); return nil }); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		var what string
		switch step % 10 {
		case 0:
			what = "amount"
			update(func(d *domain.Deal) { d.Amount += int64(1 + r.IntN(1_000_000)) })
		case 1:
			what = "stage"
			update(func(d *domain.Deal) { d.Stage = stages[r.IntN(len(stages))].Name })
		case 2:
			what = "won"
			update(func(d *domain.Deal) { d.Status, d.CloseDate = domain.Won, domain.DateOf(clock.Now()) })
		case 3:
			what = "lost"
			update(func(d *domain.Deal) { d.Status, d.LossReason = domain.Lost, "Price" })
		case 4:
			what = "owner"
			update(func(d *domain.Deal) { d.Owner = large.Rep(r.IntN(large.Reps)) })
		case 5:
			what = "close date and next step"
			update(func(d *domain.Deal) {
				d.CloseDate = d.CloseDate.AddDays(r.IntN(60) - 20)
				d.NextStep, d.NextStepDue = fmt.Sprint("Call ", step), domain.DateOf(clock.Now()).AddDays(r.IntN(10)-5)
			})
		case 6:
			what = "a new deal"
			if _, err := db.CreateDeal(ctx, &domain.Deal{Name: fmt.Sprint("New ", step), Account: "Acme", Owner: rep, Amount: 5_000_000,
				Currency: "EUR", Stage: stages[0].Name, Category: domain.Pipeline, CloseDate: domain.DateOf(clock.Now()).AddDays(30),
				NextStep: "Call", NextStepDue: domain.DateOf(clock.Now()).AddDays(3), Status: domain.Open}, rep, ""); err != nil {
				t.Fatal(err)
			}
		case 7:
			what = "time passes"
			clock.Set(clock.Now().Add(time.Duration(1+r.IntN(30)) * time.Hour))
		case 8:
			what = "another currency" // left out, and counted as such
			update(func(d *domain.Deal) { d.Currency = "USD" })
		case 9:
			what = "a discount asked at the desk" // the discount-before-qualifying nudge, the competitor
			d, err := db.Deal(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != domain.Open {
				update(func(d *domain.Deal) { d.Status = domain.Open })
				if d, err = db.Deal(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
			policy := desk.Policy{Bands: []desk.Band{{UpTo: 5}, {UpTo: 100, Approvals: []desk.Role{desk.RoleManager}}}, ExpireAfterDays: 14, RequirePlanAbove: 100}
			req, err := desk.NewRequest(policy, desk.Draft{Deal: d.ID, Requester: d.Owner, DiscountBP: 2500, ListAmount: d.Amount,
				Currency: d.Currency, Justification: "Rival", DealVersion: d.Version, Competitor: "Rival"}, large.Manager(0), clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateDeskRequest(ctx, req, ""); err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
				t.Fatal(err)
			}
		}
		if step%3 == 0 || step%10 >= 7 {
			compare(fmt.Sprintf("step %d (%s)", step, what))
		}
	}
	compare("end")
	// Calls at once share the parts they keep (go test -race): each
	// gets the same answer.
	if _, _, err := db.UpdateDeal(ctx, 1, 0, large.Admin, func(d *domain.Deal) error { d.Amount++; return nil }); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	// Two people asking for the same team (one user has one heavy
	// command at a time), and a third for the company.
	callers := []struct {
		user domain.UserID
		args string
	}{{large.Admin, "Team2"}, {large.Manager(1), ""}, {large.Manager(0), ""}}
	answers := make([]bot.Reply, len(callers))
	for i, c := range callers {
		wg.Go(func() {
			h, _, args := kept.Commands()["/pipeline"].Route(c.args)
			var err error
			if answers[i], err = h(ctx, bot.Caller{User: c.user}, args); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if !reflect.DeepEqual(answers[0], answers[1]) {
		t.Fatal("calls at once for the same team: the answers differ")
	}
}

// keptAndWhole is 2,500 deals of the large sample (three parts) at its
// present, a bot that keeps parts on them, and one that reads every deal
// (wholeReads), with the configuration both run.
func keptAndWhole(t *testing.T) (*store.DB, *domain.ManualClock, *config.Config, *bot.Bot, *bot.Bot) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parts.db")
	if err := large.Build(path, 2500); err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(large.Now)
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := largeConfig(t)
	return db, clock, cfg, bot.New(bot.Options{Store: db, Config: cfg, Clock: clock}),
		bot.New(bot.Options{Store: wholeReads{db}, Config: cfg, Clock: clock})
}

// countingParts is the store, counting the parts PipelineParts reads.
type countingParts struct {
	*store.DB
	read int
}

func (c *countingParts) PipelineParts(ctx context.Context, owners []domain.UserID, known func(part, gen uint64) bool,
	fn func(part, gen uint64, deals []coaching.DealInput) error) error {
	return c.DB.PipelineParts(ctx, owners, known, func(part, gen uint64, deals []coaching.DealInput) error {
		c.read++
		return fn(part, gen, deals)
	})
}

// warmFixture is a bot on 2,500 deals of the large sample (three parts)
// whose store counts the parts it reads, beside a bot that reads every
// deal, both at clock.
type warmFixture struct {
	t        *testing.T
	db       *store.DB
	clock    *domain.ManualClock
	counting *countingParts
	b, whole *bot.Bot
}

func newWarmFixture(t *testing.T) *warmFixture {
	path := filepath.Join(t.TempDir(), "warm.db")
	if err := large.Build(path, 2500); err != nil {
		t.Fatal(err)
	}
	f := &warmFixture{t: t, clock: domain.NewManualClock(large.Now)}
	db, err := store.Open(path, store.Options{Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := largeConfig(t)
	f.db, f.counting = db, &countingParts{DB: db}
	f.b = bot.New(bot.Options{Store: f.counting, Config: cfg, Clock: f.clock})
	f.whole = bot.New(bot.Options{Store: wholeReads{db}, Config: cfg, Clock: f.clock})
	return f
}

// ask is /pipeline text as user, from b.
func (f *warmFixture) ask(b *bot.Bot, user domain.UserID, text string) bot.Pipeline {
	f.t.Helper()
	h, _, args := b.Commands()["/pipeline"].Route(text)
	r, err := h(context.Background(), bot.Caller{User: user}, args)
	if err != nil {
		f.t.Fatal(err)
	}
	return r.(bot.Pipeline)
}

// reads runs fn and checks it made the counting store read want parts.
func (f *warmFixture) reads(what string, want int, fn func()) {
	f.t.Helper()
	f.counting.read = 0
	fn()
	if f.counting.read != want {
		f.t.Errorf("%s read %d parts, want %d", what, f.counting.read, want)
	}
}

// call asks /pipeline text as user and checks the answer is every deal's.
func (f *warmFixture) call(user domain.UserID, text string) func() {
	return func() {
		f.t.Helper()
		if !reflect.DeepEqual(f.ask(f.b, user, text), f.ask(f.whole, user, text)) {
			f.t.Errorf("/pipeline %s as %s differs from every deal's", text, user)
		}
	}
}

// job runs the warm-up job, as a tick does.
func (f *warmFixture) job() {
	f.t.Helper()
	for _, j := range f.b.Jobs() {
		if j.Name == bot.JobPipelineWarm {
			if err := j.Run(context.Background(), nil, f.clock.Now()); err != nil {
				f.t.Fatal(err)
			}
			return
		}
	}
	f.t.Fatal("no warm-up job")
}

// TestPipelineWarmJobCountsTheNewDay: what /pipeline keeps is of one day.
// The warm-up job, at a run's first tick and each day's, counts the
// company's and each team's default scope, and the company's segments and
// retention (the large sample: 10 teams, every scope of three parts), so
// their first call reads no part; a scope
// it does not know (a named quarter) is counted by its first call, and
// again by the first call of a day without the job, and by the job for a
// new day when it was asked for in the last week. A scope is warmed once a
// day, whatever the ticks, and earlier days' counts are forgotten.
func TestPipelineWarmJobCountsTheNewDay(t *testing.T) {
	f := newWarmFixture(t)
	b, clock := f.b, f.clock
	company, quarter := f.call(large.Admin, ""), f.call(large.Manager(0), "2026-Q4")
	job := func(want int) { f.reads("the warm-up job", want, f.job) }
	both := func() { company(); quarter() }

	job(39) // the company's and ten teams' scopes, the company's segments and retention, three parts each
	f.reads("the company's first call after the job", 0, company)
	f.reads("a named quarter's first call", 3, quarter)
	f.reads("the second calls", 0, both)
	// The next day, no tick: the first calls count every part again.
	clock.Set(large.Now.Add(24 * time.Hour))
	f.reads("a new day without the warm-up", 6, both)
	// The day after, the day's first tick counts the seeds and the
	// quarter asked for yesterday.
	clock.Set(large.Now.Add(48 * time.Hour))
	job(42)
	f.reads("a new day after the warm-up", 0, both)
	if n := bot.KeptPipelineScopes(b); n != 14 {
		t.Errorf("%d scopes kept after the warm-up, want today's 14", n)
	}
	job(0) // the day's next tick: nothing written, nothing counted
	if n := bot.KeptPipelineScopes(b); n != 14 {
		t.Errorf("%d scopes kept after a second tick, want 14", n)
	}
	// Days on, with no call since: the quarter asked for on the third
	// day is counted each new day for a week from then.
	clock.Set(large.Now.Add(5 * 24 * time.Hour))
	job(42)
	clock.Set(large.Now.Add(6 * 24 * time.Hour))
	job(42)
	// Eight days after that call: the seeds only; the quarter, not asked
	// for in a week, is forgotten.
	clock.Set(large.Now.Add(10 * 24 * time.Hour))
	job(39)
	if n := bot.KeptPipelineScopes(b); n != 13 {
		t.Errorf("%d scopes kept a week later, want the 13 seeds", n)
	}
}

// TestPipelineWarmJobCountsWhatWasWritten: within a day, the warm-up job
// counts the parts written since of the scopes asked for in the last hour
// (the company's here; the teams' it counted at the start were not asked
// for), so the next call counts none; a scope not asked for in the last
// hour is left to its next call.
func TestPipelineWarmJobCountsWhatWasWritten(t *testing.T) {
	f := newWarmFixture(t)
	call := f.call(large.Admin, "")
	write := func(ids ...domain.DealID) {
		t.Helper()
		for _, id := range ids {
			if _, _, err := f.db.UpdateDeal(context.Background(), id, 0, large.Admin, func(d *domain.Deal) error { d.Amount += 100; return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.reads("the run's first tick", 39, f.job) // the company's and the teams' scopes
	f.reads("the first call", 0, call)
	write(10, 2100) // parts 0 and 2
	f.clock.Set(large.Now.Add(time.Minute))
	f.reads("the warm-up a minute later", 2, f.job)
	f.reads("the next call", 0, call)
	// Two hours on, the same day: nobody asked in the last hour.
	f.clock.Set(large.Now.Add(2 * time.Hour))
	write(1500) // part 1
	f.reads("the warm-up two hours after the call", 0, f.job)
	f.reads("the next call", 1, call)
}
