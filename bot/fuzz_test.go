package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// fuzzNow is the fuzzers' fixed time: a Wednesday morning in Paris.
var fuzzNow = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// fuzzUsers are who types: reps, their manager, an approver, an admin and
// someone the configuration does not know.
var fuzzUsers = []domain.UserID{sample.Rep1, sample.Rep2, sample.Manager, sample.VP, sample.Admin, "U0STRANGER"}

// newFuzzBot is the real bot on a real store with the sample pipeline.
func newFuzzBot(tb testing.TB) *bot.Bot {
	tb.Helper()
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		tb.Fatal(err)
	}
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(tb.TempDir(), "fuzz.db"), store.Options{Clock: clock})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := sample.Seed(context.Background(), db, clock, fuzzNow, cfg.Stages); err != nil {
		tb.Fatal(err)
	}
	return bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
}

// fuzzMentions are the users a fuzzed text may name, as a transport hands
// them over.
var fuzzMentions = map[string]domain.UserID{"@hugo": "U0REP2", "@U0REP3": "U0REP3", "@U0MGR": "U0MGR"}

// FuzzDealCommand types arbitrary text after /deal, as any user, through
// the whole handler path (routing, deal lookup by reference or words, the
// quick forms' amount/date/stage/category parsing, the store): it must
// never panic, and every refusal must be a message for the user, never an
// internal error.
func FuzzDealCommand(f *testing.F) {
	for _, s := range []string{
		"", "help", "list", "list @U0REP2", "list <@U0REP2|hugo> proposal", "list @hugo proposal", "list omitted", "show D-1", "show 1", "show acme",
		"history D-3", "next D-1 Send proposal by fri", "next boulangeries Call the CFO by tomorrow", "next D-2 Call by someday",
		"amount D-1 48k", "amount D-1 48 000,50 €", "amount D-1 12kk", "amount D-99999999999999999999 1", "close D-1 2026-12-15",
		"close D-1 15/12", "stage D-1 proposal", "stage D-1 nowhere", "commit D-1", "bestcase D-1", "omit D-4", "won D-5",
		"lost D-6 competitor", "lost D-6", "owner D-1 <@U0REP3>", "owner D-1 @U0REP3", "owner D-1 @nobody", "update D-1", "new", "new Acme",
		"D-1", "show D-", "show D-0", "next D-1  by ", "amount D-1 -5", "amount D-1 1e308", "show <!channel>",
		"next D-1 <@U0MGR> by fri", "next D-1 @U0MGR by fri", "next D-1 <http://evil|bank> by fri", "show \u00a0D-1", "SHOW d-1", "frobnicate",
		strings.Repeat("a ", 2000), "next D-1 " + strings.Repeat("x", 10_000) + " by fri",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	b := newFuzzBot(f)
	deal := b.Commands()["/deal"]
	f.Fuzz(func(t *testing.T, text string, who uint8) {
		if !utf8.ValidString(text) {
			return // Slack sends UTF-8
		}
		c := bot.Caller{User: fuzzUsers[int(who)%len(fuzzUsers)], Channel: sample.SalesChannel, Mentions: fuzzMentions}
		h, _, args := deal.Route(text)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		reply, err := h(ctx, c, args)
		if err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				t.Fatalf("/deal %q as %s: internal error %v", text, c.User, err)
			}
			return
		}
		if reply == nil {
			t.Fatalf("/deal %q as %s: no reply and no error", text, c.User)
		}
	})
}

// TestFuzzSeedsDealCommandAnswered is a reminder that the fuzzer's seeds
// all reach a handler: a panic-free, error-coded answer for each.
func TestFuzzSeedsDealCommandRouting(t *testing.T) {
	deal := newFuzzBot(t).Commands()["/deal"]
	for _, sub := range []string{"help", "new", "list", "update", "show", "history", "next", "stage", "amount", "close", "won", "lost", "owner"} {
		if _, got, _ := deal.Route(fmt.Sprintf("%s D-1", strings.ToUpper(sub))); got != sub {
			t.Errorf("Route(%q) = %q", sub, got)
		}
	}
}
