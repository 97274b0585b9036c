package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

// TestQuarterFormAsksTheMonth: the call form of the quarter holding today
// also asks the commit of the month holding today, and saves it as that
// month's call, so months have calls for forecast accuracy by month. Real
// bbolt, the bot's own handlers, 2026-11-16.
func TestQuarterFormAsksTheMonth(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "month.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	rep := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	open := func(args string) bot.Form {
		t.Helper()
		h, _, rest := b.Commands()["/forecast"].Route("submit " + args)
		r, err := h(ctx, rep, rest)
		if err != nil {
			t.Fatal(err)
		}
		return r.(bot.OpenForm).Form
	}
	asksMonth := func(f bot.Form) bool {
		for _, in := range f.Inputs {
			if in.Field == forecast.FieldMonthCommit {
				return true
			}
		}
		return false
	}
	calls := func(period string) []forecast.Call {
		t.Helper()
		cs, err := db.Calls(ctx, period)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}

	f := open("")
	if !asksMonth(f) || f.Meta.Month != "2026-11" {
		t.Fatalf("the current quarter's form: month asked %v, meta %+v; want November's commit", asksMonth(f), f.Meta)
	}
	for _, args := range []string{"2027-Q1", "2026-Q3", "2026-11"} {
		if f := open(args); asksMonth(f) || f.Meta.Month != "" {
			t.Errorf("/forecast submit %s asks a month's commit (meta %+v): only the quarter holding today does", args, f.Meta)
		}
	}

	submit := func(meta bot.FormMeta, month, key string) (bot.Reply, error) {
		return b.SubmitCall(ctx, rep, meta, bot.Values{forecast.FieldCommit: "100k", forecast.FieldBestCase: "150k", forecast.FieldMonthCommit: month}, key)
	}
	t.Run("AboveTheQuarterRefusedNothingSaved", func(t *testing.T) {
		_, err := submit(f.Meta, "100001", "k-above")
		var es domain.Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0].Key != "forecast.month_above_quarter" || es[0].Field != forecast.FieldMonthCommit {
			t.Fatalf("err = %v, want the month's field refused", err)
		}
		if n, m := len(calls("2026-Q4")), len(calls("2026-11")); n+m != 0 {
			t.Errorf("%d quarter and %d month calls saved by a refused form", n, m)
		}
	})
	t.Run("AForgedMonthOutsideTheQuarter", func(t *testing.T) {
		meta := f.Meta
		meta.Month = "2027-01"
		if _, err := submit(meta, "40k", "k-forged"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("err = %v, want a refusal", err)
		}
		if n := len(calls("")); n != 0 {
			t.Errorf("%d calls saved by a forged form", n)
		}
	})
	t.Run("EmptyMakesNoMonthCall", func(t *testing.T) {
		if _, err := submit(f.Meta, " ", "k-empty"); err != nil {
			t.Fatal(err)
		}
		if n, m := len(calls("2026-Q4")), len(calls("2026-11")); n != 1 || m != 0 {
			t.Errorf("%d quarter and %d month calls, want 1 and 0", n, m)
		}
	})
	t.Run("SavedOnceAsTheMonthsCall", func(t *testing.T) {
		clock.Set(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC))
		for range 2 { // a redelivered form saves nothing twice
			r, err := submit(f.Meta, "40k", "k-month")
			if err != nil {
				t.Fatal(err)
			}
			msgs := r.(bot.Notice).Msgs
			if last := msgs[len(msgs)-1]; last.Key != "forecast.call_saved_month" || last.Args[0] != "2026-11" {
				t.Errorf("the reply ends with %+v, want the month's call saved", last)
			}
		}
		m := calls("2026-11")
		if len(m) != 1 || m[0].User != sample.Rep1 || m[0].Commit != 4_000_000 || m[0].BestCase != 4_000_000 || m[0].Week != "2026-W47" {
			t.Fatalf("month calls = %+v, want Léa's 40,000 of week 47", m)
		}
		if q := calls("2026-Q4"); len(q) != 2 || q[1].Commit != 10_000_000 {
			t.Errorf("quarter calls = %+v", q)
		}
		// The next form shows the standing month call.
		for _, in := range open("").Inputs {
			if in.Field == forecast.FieldMonthCommit && in.Initial != "40,000" {
				t.Errorf("the month's commit is prefilled with %q, want the standing call 40,000", in.Initial)
			}
		}
	})
	// Léa clears the month field and lowers the quarter to 30,000: her
	// November call of 40,000 would still stand above it, so the form is
	// refused on the month's field, naming that call; nothing is saved.
	// With November lowered to 20,000 in the same form, it is accepted.
	t.Run("EmptyMonthKeepsTheStandingCall", func(t *testing.T) {
		lower := func(commit, month, key string) (bot.Reply, error) {
			return b.SubmitCall(ctx, rep, f.Meta, bot.Values{forecast.FieldCommit: commit, forecast.FieldBestCase: "150k", forecast.FieldMonthCommit: month}, key)
		}
		_, err := lower("30k", "", "k-lower")
		var es domain.Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0].Key != "forecast.month_call_stands" || es[0].Field != forecast.FieldMonthCommit ||
			es[0].Args[0] != "2026-11" || es[0].Args[1] != (domain.Money{Minor: 4_000_000, Currency: "EUR"}) {
			t.Fatalf("err = %v, want the month's field refused, naming November's 40,000", err)
		}
		if n, m := len(calls("2026-Q4")), len(calls("2026-11")); n != 2 || m != 1 {
			t.Errorf("%d quarter and %d month calls after a refused form, want 2 and 1", n, m)
		}
		if _, err := lower("40k", "", "k-equal"); err != nil {
			t.Errorf("a quarter commit equal to the standing month call: %v", err)
		}
		if _, err := lower("30k", "20k", "k-both"); err != nil {
			t.Fatal(err)
		}
		if m := calls("2026-11"); len(m) != 1 || m[0].Commit != 2_000_000 {
			t.Errorf("month calls = %+v, want November lowered to 20,000 (a week keeps its last call)", m)
		}
	})
}
