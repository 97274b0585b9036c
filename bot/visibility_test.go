package bot_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// TestEveryReadPathAgainstEveryRole reads Rep1's deal (team France) and
// France's numbers on every read path the bot has, as every role, with
// visibility: team. Each outcome is ok or the error code the caller gets;
// a deal the caller may not read is ENOTFOUND, as if it did not exist.
// domain.TestCanRead tables the rule itself; this proves each path asks it.
func TestEveryReadPathAgainstEveryRole(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "read.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Visible deal", Account: "Vis", Owner: sample.Rep1, Amount: 2_000_000,
		Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
		NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatUint(uint64(d.ID), 10)
	run := func(cmd, text string) func(bot.Caller) error {
		return func(c bot.Caller) error {
			h, _, args := b.Commands()[cmd].Route(text)
			_, err := h(ctx, c, args)
			return err
		}
	}
	action := func(actionID string) func(bot.Caller) error {
		return func(c bot.Caller) error { _, err := b.Action(ctx, c, actionID, id); return err }
	}
	const (
		ok = "ok"
		nf = domain.ENOTFOUND
		fb = domain.EFORBIDDEN
	)
	paths := []struct {
		name string
		read func(bot.Caller) error
		// Owner OtherRep Manager ManagerOfAnotherTeam ApproverOfAnotherRole Admin Unknown
		want [7]string
	}{
		{"Show", run("/deal", "show "+d.ID.Ref()), [7]string{ok, ok, ok, nf, nf, ok, fb}},
		{"ShowMissing", run("/deal", "show D-999"), [7]string{nf, nf, nf, nf, nf, nf, fb}}, // someone unknown learns nothing either
		{"ShowByWords", run("/deal", "show visible deal"), [7]string{ok, ok, ok, nf, nf, ok, fb}},
		{"History", run("/deal", "history "+d.ID.Ref()), [7]string{ok, ok, ok, nf, nf, ok, fb}},
		{"HistoryButton", action(bot.ActionHistory), [7]string{ok, ok, ok, nf, nf, ok, fb}},
		{"UpdateButton", action(bot.ActionUpdate), [7]string{ok, fb, ok, nf, nf, ok, fb}},
		{"NextStepButton", action(bot.ActionNextStep), [7]string{ok, fb, ok, nf, nf, ok, fb}},
		{"SnoozeButton", action(bot.ActionNudgeSnooze1), [7]string{ok, ok, ok, nf, nf, ok, fb}},
		{"ListOfRep", run("/deal", "list @rep1"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"ListOwn", run("/deal", "list"), [7]string{ok, ok, ok, ok, ok, ok, fb}},
		{"Picker", run("/deal", "update"), [7]string{ok, ok, ok, ok, ok, ok, fb}},
		{"Suggestions", func(c bot.Caller) error { _, _, err := b.SuggestDeals(ctx, c, "visible"); return err }, [7]string{ok, ok, ok, ok, ok, ok, fb}},
		{"Home", func(c bot.Caller) error {
			h, err := b.Home(ctx, c)
			if home, isHome := h.(bot.Home); err == nil && isHome && home.Refusal.Key != "" {
				return domain.Errorf(domain.EFORBIDDEN, home.Refusal.Key)
			}
			return err
		}, [7]string{ok, ok, ok, ok, ok, ok, fb}},
		{"ForecastOfRep", run("/forecast", "@rep1"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"ForecastOfTeam", run("/forecast", "France"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"ForecastOfCompany", run("/forecast", ""), [7]string{ok, ok, ok, ok, fb, ok, fb}}, // a manager's default is their team
		{"ForecastCall", run("/forecast", "submit"), [7]string{ok, ok, ok, ok, fb, fb, fb}},
		{"DigestDefault", run("/forecast", "digest"), [7]string{fb, fb, ok, ok, fb, fb, fb}},
		{"DigestOfTeam", run("/forecast", "digest France"), [7]string{fb, fb, ok, fb, fb, ok, fb}},
		{"PipelineOfRep", run("/pipeline", "@rep1"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"PipelineOfTeam", run("/pipeline", "France"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"PipelineOwnTeam", run("/pipeline", "team"), [7]string{ok, ok, ok, ok, "invalid", ok, fb}},
		// /pipeline losses reads through the same scope and rule.
		{"LossesOfRep", run("/pipeline", "losses @rep1"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"LossesOfTeam", run("/pipeline", "losses France quarter"), [7]string{ok, ok, ok, fb, fb, ok, fb}},
		{"LossesOwnTeam", run("/pipeline", "losses team"), [7]string{ok, ok, ok, ok, "invalid", ok, fb}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for i, r := range roles {
				c := bot.Caller{User: r.user, Channel: sample.SalesChannel, Mentions: map[string]domain.UserID{"@rep1": sample.Rep1}}
				err := p.read(c)
				got := ok
				if err != nil {
					got = domain.ErrorCode(err)
				}
				if got != p.want[i] {
					t.Errorf("%s as %s: %s (%v), want %s", p.name, r.name, got, err, p.want[i])
				}
				if r.user == stranger && err != nil && err.Error() != domain.Errorf(fb, "deal.unknown_user").Error() {
					t.Errorf("%s as someone unknown: %v, want the one-line refusal", p.name, err)
				}
			}
		})
	}
}
