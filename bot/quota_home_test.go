package bot_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// TestForecastQuotaWithoutATransport: /forecast quota @rep 150k sets the
// rep's quota for the current quarter (or the period named last), told as
// set, then as changed from what it was, and /forecast @rep shows it. Only
// the rep's manager or an admin may; a user in no team, a missing or bad
// amount, a period that does not parse and a number of days are refused,
// each saying why, and leave the quota as it was.
func TestForecastQuotaWithoutATransport(t *testing.T) {
	cfg := sampleConfig(t)
	now := time.Date(2026, 11, 30, 9, 5, 0, 0, cfg.Location)
	b, _ := seededBot(t, cfg, now)
	ctx := context.Background()
	mentions := map[string]domain.UserID{"@rep1": sample.Rep1, "@vp": sample.VP}
	as := func(u domain.UserID) bot.Caller {
		return bot.Caller{User: u, Channel: sample.SalesChannel, Mentions: mentions}
	}
	fc := b.Commands()["/forecast"]
	quota := fc.Subs["quota"]
	q4 := b.Calendar().Current(now)
	if q4.Name != "2026-Q4" {
		t.Fatalf("the current period is %s", q4.Name)
	}
	repQuota := func(period string) (int64, bool) {
		t.Helper()
		org, err := b.ForecastOrg(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p, err := b.Calendar().ParseFiscal(period, domain.DateOf(now))
		if err != nil {
			t.Fatal(err)
		}
		return org.RepQuota(sample.Rep1, p)
	}
	say := func(u domain.UserID, args, key string) bot.Msg {
		t.Helper()
		reply, err := quota(ctx, as(u), args)
		if err != nil {
			t.Fatalf("%s: /forecast quota %s: %v", u, args, err)
		}
		ms := threadMsgs(reply)
		if len(ms) != 1 || ms[0].Key != key || !msgNames(ms[0], sample.Rep1) {
			t.Fatalf("%s: /forecast quota %s answered %+v, want %s naming Rep1", u, args, reply, key)
		}
		return ms[0]
	}

	m := say(sample.Manager, "@rep1 150k", "forecast.quota_set")
	if !slices.Contains(m.Args, any(domain.Money{Minor: 15_000_000, Currency: "EUR"})) || !slices.Contains(m.Args, any("2026-Q4")) {
		t.Errorf("set told %+v, want €150,000 for 2026-Q4", m.Args)
	}
	if got, ok := repQuota("2026-Q4"); !ok || got != 15_000_000 {
		t.Fatalf("Rep1's 2026-Q4 quota is %d (%v), want 150k", got, ok)
	}
	m = say(sample.Admin, "@rep1 160k", "forecast.quota_changed")
	if !slices.Contains(m.Args, any(domain.Money{Minor: 15_000_000, Currency: "EUR"})) {
		t.Errorf("the change told %+v, want the old €150,000 too", m.Args)
	}
	say(sample.Manager, "@rep1 120k 2027-Q1", "forecast.quota_set")
	if got, ok := repQuota("2027-Q1"); !ok || got != 12_000_000 {
		t.Errorf("Rep1's 2027-Q1 quota is %d (%v), want 120k", got, ok)
	}
	if got, _ := repQuota("2026-Q4"); got != 16_000_000 {
		t.Errorf("naming 2027-Q1 changed 2026-Q4's quota to %d", got)
	}
	h, _, args := fc.Route("@rep1")
	reply, err := h(ctx, as(sample.Manager), args)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := reply.(bot.ForecastReport); !ok || r.Focus.User != sample.Rep1 || !r.Focus.HasQuota || r.Focus.Quota != 16_000_000 {
		t.Errorf("/forecast @rep1 shows %+v, want Rep1's quota of 160k", reply)
	}

	for _, tc := range []struct {
		name string
		user domain.UserID
		args string
		code string
		key  string
	}{
		{"ARep", sample.Rep2, "@rep1 1k", domain.EFORBIDDEN, "forecast.quota_forbidden"},
		{"AnApprover", sample.VP, "@rep1 1k", domain.EFORBIDDEN, "forecast.quota_forbidden"},
		{"NotInATeam", sample.Admin, "@vp 1k", domain.EINVALID, "forecast.quota_no_team"},
		{"NoAmount", sample.Manager, "@rep1", domain.EINVALID, "forecast.quota_usage"},
		{"NotAMention", sample.Manager, "rep1 1k", domain.EINVALID, "forecast.quota_usage"},
		{"BadAmount", sample.Manager, "@rep1 lots", domain.EINVALID, ""},
		{"BadPeriod", sample.Manager, "@rep1 1k 2026-Q9", domain.EINVALID, ""},
		{"Days", sample.Manager, "@rep1 1k 90d", domain.EINVALID, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := quota(ctx, as(tc.user), tc.args)
			if domain.ErrorCode(err) != tc.code || tc.key != "" && !hasKey(err, tc.key) {
				t.Errorf("/forecast quota %s as %s: %v, want %s %s", tc.args, tc.user, err, tc.code, tc.key)
			}
			if got, _ := repQuota("2026-Q4"); got != 16_000_000 {
				t.Errorf("a refusal changed the quota to %d", got)
			}
		})
	}
}

// TestHomeWithoutATransport: App Home lists the caller's own open deals,
// those whose next step is overdue first, then by close date; someone the
// configuration does not know is shown the refusal in the view, not an
// error.
func TestHomeWithoutATransport(t *testing.T) {
	b, db := deskBot(t) // today is 2026-11-25
	ctx := context.Background()
	add := func(owner domain.UserID, name string, closing, due domain.Date) domain.DealID {
		t.Helper()
		d, err := db.CreateDeal(ctx, &domain.Deal{Name: name, Account: "Home " + name, Owner: owner, Amount: 1_000_000, Currency: "EUR",
			Stage: "Qualification", Category: domain.Pipeline, CloseDate: closing, NextStep: "Call", NextStepDue: due, Status: domain.Open}, owner, "")
		if err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	late := add(sample.Rep1, "Late", domain.NewDate(2026, 12, 31), domain.NewDate(2026, 12, 1))
	soon := add(sample.Rep1, "Soon", domain.NewDate(2026, 12, 10), domain.NewDate(2026, 12, 2))
	overdue := add(sample.Rep1, "Overdue", domain.NewDate(2027, 1, 31), domain.NewDate(2026, 11, 20))
	add(sample.Rep2, "Not hers", domain.NewDate(2026, 12, 1), domain.NewDate(2026, 11, 1))
	reply, err := b.Home(ctx, bot.Caller{User: sample.Rep1})
	if err != nil {
		t.Fatal(err)
	}
	h, ok := reply.(bot.Home)
	if !ok || h.User != sample.Rep1 || h.Today != domain.NewDate(2026, 11, 25) || h.Refusal.Key != "" {
		t.Fatalf("Home is %+v", reply)
	}
	var got []domain.DealID
	for _, d := range h.Deals {
		got = append(got, d.ID)
	}
	if want := []domain.DealID{overdue, soon, late}; !slices.Equal(got, want) {
		t.Errorf("Home lists %v, want %v: the overdue next step first, then by close date, only Rep1's", got, want)
	}

	reply, err = b.Home(ctx, bot.Caller{User: stranger})
	if err != nil {
		t.Fatalf("a stranger's Home: %v, want the refusal in the view", err)
	}
	if h, ok := reply.(bot.Home); !ok || h.Refusal.Key == "" || len(h.Deals) != 0 {
		t.Errorf("a stranger's Home is %+v, want the refusal and no deal", reply)
	}
}
