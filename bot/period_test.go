package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

// TestOnePeriodSyntax: /pipeline, /pipeline losses and /forecast read the
// same words (forecast.ParseWindow); a number of days is refused by the
// forecast (kept per fiscal period) with its own message, a period not
// begun by /pipeline, anything else with the accepted forms. Today is
// 2026-11-20 (calendar fiscal year).
func TestOnePeriodSyntax(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(filepath.Join(t.TempDir(), "period.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	caller := bot.Caller{User: sample.Manager, Channel: sample.SalesChannel}
	run := func(command, args string) (bot.Reply, error) {
		h, _, rest := b.Commands()[command].Route(args)
		return h(ctx, caller, rest)
	}
	d := domain.NewDate
	for _, tc := range []struct {
		args     string
		from, to domain.Date
	}{
		{"team 2026-Q3", d(2026, 7, 1), d(2026, 9, 30)},
		{"team 2026-Q4", d(2026, 10, 1), d(2026, 11, 20)},
		{"team this-quarter", d(2026, 10, 1), d(2026, 11, 20)},
		{"team quarter", d(2026, 10, 1), d(2026, 11, 20)},
		{"team last-month", d(2026, 10, 1), d(2026, 10, 31)},
		{"team 2026", d(2026, 1, 1), d(2026, 11, 20)},
		{"team 90d", d(2026, 8, 23), d(2026, 11, 20)},
		{"team 30j", d(2026, 10, 22), d(2026, 11, 20)},
	} {
		t.Run("pipeline "+tc.args, func(t *testing.T) {
			r, err := run("/pipeline", tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if p := r.(bot.Pipeline).Period; p.From != tc.from || p.To != tc.to {
				t.Errorf("/pipeline %s = %v..%v, want %v..%v", tc.args, p.From, p.To, tc.from, tc.to)
			}
			r, err = run("/pipeline", "losses "+tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if p := r.(bot.PipelineLosses).Losses.Period; p.From != tc.from || p.To != tc.to {
				t.Errorf("/pipeline losses %s = %v..%v, want %v..%v", tc.args, p.From, p.To, tc.from, tc.to)
			}
		})
	}
	for _, tc := range []struct{ args, period string }{
		{"France 2026-Q4", "2026-Q4"}, {"France this-quarter", "2026-Q4"}, {"France last-quarter", "2026-Q3"},
		{"France 2026", "FY2026"}, {"France FY2026", "FY2026"}, {"France 2026-11", "2026-11"}, {"France month", "2026-11"},
	} {
		t.Run("forecast "+tc.args, func(t *testing.T) {
			r, err := run("/forecast", tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if p := r.(bot.ForecastReport).Period.Name; p != tc.period {
				t.Errorf("/forecast %s = %s, want %s", tc.args, p, tc.period)
			}
		})
	}
	for _, tc := range []struct{ command, args, want string }{
		{"/forecast", "France 90d", "'90d' is a number of days"},
		{"/forecast", "submit 12w", "'12w' is a number of days"},
		{"/pipeline", "team 2026-12", "2026-12 has not begun yet"},
		{"/pipeline", "losses team 2027", "FY2027 has not begun yet"},
		{"/pipeline", "team lately", "'lately' is neither a person, team nor a period. Use /pipeline [@user | team] [period], a period being one of: 2026-Q4, 2026-11, 2026, 90d"},
		{"/forecast", "2026-Q5", "'2026-Q5' is not a user, a team"},
	} {
		t.Run("refused "+tc.command+" "+tc.args, func(t *testing.T) {
			_, err := run(tc.command, tc.args)
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(i18n.ErrorMessage(i18n.EN, err), tc.want) {
				t.Errorf("%s %s: %v; want %q", tc.command, tc.args, err, tc.want)
			}
		})
	}
}
