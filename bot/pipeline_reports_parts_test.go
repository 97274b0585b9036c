package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample/large"
	"github.com/dealpilot/dealpilot/domain"
)

// TestSegmentsAndRetentionFromKeptPartsLikeEveryDeal: /pipeline segments
// and /pipeline retention answered from kept parts (and the accounts read
// again only once written) are the answers read from every deal and every
// account, call after call, while deals are written (every field they
// read: industry, contract, status, owner, currency), accounts are
// written (churn, downgrade, a remembered industry, an event withdrawn)
// and days go by: for the company, a team, a rep, over the default window
// and named periods. On 2,500 deals of the large sample: three parts.
func TestSegmentsAndRetentionFromKeptPartsLikeEveryDeal(t *testing.T) {
	db, clock, cfg, kept, whole := keptAndWhole(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 17))
	rep := large.Rep(13)
	asks := []struct {
		user domain.UserID
		text string
	}{
		{large.Admin, "segments"}, {large.Admin, "segments industry 2026-Q3"}, {large.Admin, "segments region 2026-Q3"}, {large.Manager(1), "segments"},
		{large.Manager(1), "segments @rep"}, {rep, "segments"},
		{large.Admin, "retention"}, {large.Admin, "retention 2026-Q3"}, {large.Manager(1), "retention"}, {rep, "retention"},
	}
	answer := func(b *bot.Bot, user domain.UserID, text string) bot.Reply {
		t.Helper()
		h, _, args := b.Commands()["/pipeline"].Route(text)
		reply, err := h(ctx, bot.Caller{User: user, Channel: "C0SALES", Mentions: map[string]domain.UserID{"@rep": rep}}, args)
		if err != nil {
			t.Fatalf("/pipeline %s as %s: %v", text, user, err)
		}
		return reply
	}
	compare := func(step string) {
		t.Helper()
		for _, a := range asks {
			got, want := answer(kept, a.user, a.text), answer(whole, a.user, a.text)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: /pipeline %s as %s from kept parts differs from every deal:\n got %+v\nwant %+v", step, a.text, a.user, got, want)
			}
		}
	}
	compare("start")
	// Each scope's figures are kept: segments of the company (two periods,
	// two attributes), the team and the rep (asked by the manager and by
	// the rep: one), retention of the company (two periods), the team and
	// the rep.
	if n := bot.KeptAnswers(kept); n != 9 {
		t.Errorf("%d answers kept, want 9", n)
	}
	if s := answer(whole, large.Admin, "retention 2026-Q3").(bot.Retention); !s.Rows[0].Figures.HasStart || s.Rows[0].Figures.Churn == 0 && s.Rows[0].Figures.Downgrade == 0 {
		t.Fatalf("the sample shows no retention to measure: %+v", s.Rows[0].Figures)
	}
	industries := []string{"retail", "software", "manufacturing", "healthcare", "", "mining"}
	accounts := []string{"Acme Holdings", "Globex Santé", "Hooli Systems", "Stark Energie"}
	for step := range 80 {
		id := domain.DealID(1 + r.IntN(2500))
		update := func(fn func(d *domain.Deal)) {
			t.Helper()
			if _, _, err := db.UpdateDeal(ctx, id, 0, large.Admin, func(d *domain.Deal) error { fn(d); return nil }); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		account := accounts[r.IntN(len(accounts))]
		var what string
		switch step % 10 {
		case 0:
			what = "industry"
			update(func(d *domain.Deal) { d.SetAttr("industry", industries[r.IntN(len(industries))]) })
		case 1:
			what = "won with a contract"
			update(func(d *domain.Deal) {
				d.Status, d.CloseDate = domain.Won, domain.DateOf(clock.Now()).AddDays(-r.IntN(100))
				d.Recurring, d.TermMonths, d.Type = int64(1+r.IntN(50))*1_000_00, 12, domain.TypeRenewal
			})
		case 2:
			what = "lost"
			update(func(d *domain.Deal) { d.Status, d.LossReason = domain.Lost, "Price" })
		case 3:
			what = "owner and account"
			update(func(d *domain.Deal) { d.Owner, d.Account = large.Rep(r.IntN(large.Reps)), account })
		case 4:
			what = "a churn"
			if _, err := db.AddAccountEvent(ctx, account, domain.AccountEvent{Kind: domain.EventChurn, On: domain.DateOf(clock.Now()).AddDays(-r.IntN(60)), By: large.Admin}); err != nil {
				t.Fatal(err)
			}
		case 5:
			what = "a downgrade, then an industry remembered"
			if _, err := db.AddAccountEvent(ctx, account, domain.AccountEvent{Kind: domain.EventDowngrade, On: domain.DateOf(clock.Now()),
				Amount: 2_000_00, Currency: "EUR", By: large.Admin}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SetAccountAttributes(ctx, account, map[string]string{"industry": industries[r.IntN(len(industries))]}); err != nil {
				t.Fatal(err)
			}
		case 6:
			what = "an event withdrawn"
			if _, _, err := db.WithdrawAccountEvent(ctx, account, domain.EventChurn, large.Admin); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND && domain.ErrorCode(err) != domain.EINVALID {
				t.Fatal(err)
			}
		case 7:
			what = "time passes"
			clock.Set(clock.Now().Add(time.Duration(1+r.IntN(30)) * time.Hour))
		case 8:
			what = "another currency"
			update(func(d *domain.Deal) { d.Currency = "USD" })
		case 9:
			what = "a new won deal"
			if _, err := db.CreateDeal(ctx, &domain.Deal{Name: fmt.Sprint("New ", step), Account: account, Owner: rep, Amount: 5_000_000,
				Currency: "EUR", Stage: cfg.Stages[0].Name, Category: domain.Pipeline, CloseDate: domain.DateOf(clock.Now()),
				NextStep: "Call", NextStepDue: domain.DateOf(clock.Now()).AddDays(3), Status: domain.Won, Recurring: 3_000_000, TermMonths: 24,
				Attributes: domain.AttrsOf(map[string]string{"industry": "retail"})}, rep, ""); err != nil {
				t.Fatal(err)
			}
		}
		if step%3 == 0 || step%10 >= 4 {
			compare(fmt.Sprintf("step %d (%s)", step, what))
		}
	}
	compare("end")
}

// TestWarmJobCountsSegmentsAndRetention: the warm-up job counts the
// company's /pipeline segments and retention at a run's first tick, so an
// admin's first call reads no part, and the parts written since of the
// scopes asked for in the last hour, like /pipeline's, so the next call
// reads none, and keeps retention's parts from day to day; each answer is
// the one read from every deal.
func TestWarmJobCountsSegmentsAndRetention(t *testing.T) {
	f := newWarmFixture(t)
	ask := func(text string) func() {
		return func() {
			t.Helper()
			got, want := f.askAny(f.b, large.Admin, text), f.askAny(f.whole, large.Admin, text)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("/pipeline %s differs from every deal's:\n got %+v\nwant %+v", text, got, want)
			}
		}
	}
	segments, retention := ask("segments"), ask("retention 2026-Q3")
	f.reads("the run's first tick", 39, f.job) // the company's and the teams' /pipeline, the company's segments and retention
	f.reads("segments' first call", 0, segments)
	f.reads("retention's first call", 0, retention) // its parts are of no period
	if _, _, err := f.db.UpdateDeal(context.Background(), 2100, 0, large.Admin, func(d *domain.Deal) error {
		d.Status, d.Recurring, d.CloseDate = domain.Won, 7_000_000, domain.DateOf(large.Now).AddDays(-100)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(large.Now.Add(time.Minute))
	f.reads("the warm-up a minute later", 2, f.job) // part 2, of each scope
	f.reads("segments' next call", 0, segments)
	f.reads("retention's next call", 0, retention)
	// The next day: the day's seeds are counted again, but retention's
	// won deals (of no day) are kept, as asked for in the last week.
	f.clock.Set(large.Now.Add(24 * time.Hour))
	f.reads("the next day's warm-up", 36, f.job) // 11 /pipeline scopes and segments, three parts each
	f.reads("retention's call the next day", 0, retention)
}

// askAny is /pipeline text as user, from b: any reply.
func (f *warmFixture) askAny(b *bot.Bot, user domain.UserID, text string) bot.Reply {
	f.t.Helper()
	h, _, args := b.Commands()["/pipeline"].Route(text)
	r, err := h(context.Background(), bot.Caller{User: user}, args)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}
