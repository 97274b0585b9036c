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
	"github.com/dealpilot/dealpilot/bot/sample/large"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// wholeReads is a store without PipelineParts: /pipeline then reads every
// deal of its scope at each call, as before parts were kept.
type wholeReads struct{ bot.Store }

// TestPipelineFromKeptPartsLikeEveryDeal: /pipeline answered from kept
// parts (the store's parts, each counted again only once written) is the
// answer read from every deal, call after call, while deals are written
// (every figure's fields, owners, the desk's discounts, new deals) and days
// go by: for the company (an admin), a team (its manager) and one rep,
// over the default window and a quarter. On 2,500 deals of the large
// sample: three parts.
func TestPipelineFromKeptPartsLikeEveryDeal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parts.db")
	if err := large.Build(path, 2500); err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(large.Now)
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := largeConfig(t)
	kept := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	whole := bot.New(bot.Options{Store: wholeReads{db}, Config: cfg, Clock: clock})
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
	for step := range 80 {
		id := domain.DealID(1 + r.IntN(2500))
		update := func(fn func(d *domain.Deal)) {
			t.Helper()
			if _, _, err := db.UpdateDeal(ctx, id, 0, large.Admin, func(d *domain.Deal) error { fn(d); return nil }); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		var what string
		switch step % 8 {
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
		}
		if step%3 == 0 || step%8 == 7 {
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
