package store

import (
	"context"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestSaveCallForm: the call form is applied in the write transaction on
// the calls as stored, its quarter's and month's calls saved together,
// once per submission key; a refused form saves nothing and spends no key.
func TestSaveCallForm(t *testing.T) {
	ctx := context.Background()
	clk := newClock(0)
	db := openTest(t, clk)
	cal := forecast.Calendar{FiscalYearStart: time.January, Location: time.UTC}
	form := func(commit, best, month string) forecast.CallForm {
		return forecast.CallForm{
			Submission: domain.Submission{By: "U0REP1", Values: map[domain.Field]string{
				forecast.FieldCommit: commit, forecast.FieldBestCase: best, forecast.FieldMonthCommit: month}},
			Period: "2026-Q1", Month: "2026-02", Calendar: cal, Locale: i18n.EN, Currency: "EUR",
			Teams: []forecast.Team{{Name: "France", Manager: "UMGR", Members: []domain.UserID{"U0REP1"}}},
		}
	}
	calls := func(period string) []forecast.Call {
		t.Helper()
		cs, err := db.Calls(ctx, period)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	saved, _, had, month, err := db.SaveCallForm(ctx, form("100", "200", "40"), "view:1")
	if err != nil || had || saved.Commit != 10_000 || !saved.At.Equal(t0) || saved.Week != "2026-W06" ||
		month == nil || month.Period != "2026-02" || month.Commit != 4_000 || !month.At.Equal(t0) {
		t.Fatalf("first: %+v %+v had %v, %v", saved, month, had, err)
	}
	clk.Advance(time.Hour)
	second, prev, had, month2, err := db.SaveCallForm(ctx, form("150", "250", ""), "view:2")
	if err != nil || !had || prev.Commit != 10_000 || second.Commit != 15_000 || month2 != nil {
		t.Fatalf("second: %+v prev %+v (%v) month %+v, %v", second, prev, had, month2, err)
	}
	// Redelivered later, when the form would now be refused (the month
	// call stands above a quarter commit of 30): the first answers.
	clk.Advance(time.Hour)
	again, prev, had, month, err := db.SaveCallForm(ctx, form("100", "200", "40"), "view:1")
	if err != nil || !again.At.Equal(saved.At) || again.Commit != 10_000 || had || month == nil || month.Commit != 4_000 {
		t.Fatalf("first redelivered: %+v prev %+v (%v) month %+v, %v", again, prev, had, month, err)
	}
	again, prev, had, month, err = db.SaveCallForm(ctx, form("150", "250", ""), "view:2")
	if err != nil || !again.At.Equal(second.At) || !had || prev.Commit != 10_000 || month != nil {
		t.Fatalf("second redelivered: %+v prev %+v (%v) month %+v, %v", again, prev, had, month, err)
	}
	if n, m := len(calls("2026-Q1")), len(calls("2026-02")); n != 2 || m != 1 {
		t.Fatalf("%d quarter calls and %d month calls saved; want 2 and 1", n, m)
	}
	// Refused, by the standing month call read in the transaction: nothing
	// saved, the key not spent.
	if _, _, _, _, err := db.SaveCallForm(ctx, form("30", "250", ""), "view:3"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a quarter commit below the month's standing call: %v", err)
	}
	if _, _, _, _, err := db.SaveCallForm(ctx, form("100", "50", "40"), "view:3"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("best case below commit: %v", err)
	}
	if n, m := len(calls("2026-Q1")), len(calls("2026-02")); n != 2 || m != 1 {
		t.Fatalf("refused forms saved calls: %d and %d", n, m)
	}
	if _, _, _, month, err := db.SaveCallForm(ctx, form("100", "200", "50"), "view:3"); err != nil || month == nil || month.Commit != 5_000 {
		t.Fatalf("the same key, now valid: %+v, %v", month, err)
	}
	// Without a key, each submission is saved.
	for i := 0; i < 2; i++ {
		clk.Advance(time.Minute)
		if _, _, _, _, err := db.SaveCallForm(ctx, form("100", "200", ""), ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(calls("2026-Q1")); n != 5 {
		t.Errorf("%d quarter calls; want 5", n)
	}
}
