package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// hasKey reports whether err is, or lists, a message with this catalogue key.
func hasKey(err error, key string) bool {
	var es domain.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if e.Key == key {
				return true
			}
		}
		return false
	}
	var e *domain.Error
	return errors.As(err, &e) && e.Key == key
}

// TestGuardsRefuse holds each rule and permission check of a command, form
// or button (found by a mutation pass) to a case that is refused only
// because of it: each case names the caller, what they try, the error code
// and message key they get, and the deal is left as it was.
func TestGuardsRefuse(t *testing.T) {
	cfg := securityConfig(t)
	cfg.Teams[1].Channel = ""               // Germany has no channel for its digest
	clock := domain.NewManualClock(fuzzNow) // today is 2026-11-25
	db, err := store.Open(filepath.Join(t.TempDir(), "guards.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	create := func(name string, status domain.Status) *domain.Deal {
		d, err := db.CreateDeal(ctx, &domain.Deal{Name: name, Account: name, Owner: sample.Rep1, Amount: 2_000_000,
			Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: status}, sample.Rep1, "")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d, won := create("Open deal", domain.Open), create("Won deal", domain.Won)
	id := strconv.FormatUint(uint64(d.ID), 10)
	caller := func(u domain.UserID) bot.Caller {
		return bot.Caller{User: u, Channel: sample.SalesChannel,
			Mentions: map[string]domain.UserID{"@rep1": sample.Rep1, "@someone": stranger}}
	}
	run := func(cmd, text string) func(bot.Caller) (bot.Reply, error) {
		return func(c bot.Caller) (bot.Reply, error) {
			h, _, args := b.Commands()[cmd].Route(text)
			return h(ctx, c, args)
		}
	}
	// The update form as the owner opened it, with changes.
	updateForm := func(change bot.Values) func(bot.Caller) (bot.Reply, error) {
		return func(c bot.Caller) (bot.Reply, error) {
			r, err := b.Action(ctx, caller(sample.Rep1), bot.ActionUpdate, id)
			if err != nil {
				t.Fatal(err)
			}
			f := r.(bot.OpenForm).Form
			v := bot.Values{}
			for _, in := range f.Inputs {
				v[in.Field] = in.Initial
			}
			for k, x := range change {
				v[k] = x
			}
			return b.SubmitUpdate(ctx, c, f.Meta, v, "update-key")
		}
	}
	newDeal := func(change bot.Values) func(bot.Caller) (bot.Reply, error) {
		return func(c bot.Caller) (bot.Reply, error) {
			v := bot.Values{domain.FieldName: "Brand new", domain.FieldAccount: "Nouveau", domain.FieldAmount: "10k",
				domain.FieldCloseDate: "2026-12-20", domain.FieldStage: "Qualification",
				domain.FieldNextStep: "Call", domain.FieldNextStepDue: "2026-11-30"}
			for k, x := range change {
				v[k] = x
			}
			return b.SubmitNewDeal(ctx, c, bot.FormMeta{}, v, "new-key-"+string(change[domain.FieldCloseDate])+change[domain.FieldStage])
		}
	}
	const (
		inv = domain.EINVALID
		fb  = domain.EFORBIDDEN
	)
	tests := []struct {
		name string
		who  domain.UserID
		try  func(bot.Caller) (bot.Reply, error)
		code string
		key  string
	}{
		{"CloseDateInThePast", sample.Rep1, run("/deal", "close "+d.ID.Ref()+" 2026-11-24"), inv, "deal.close_date_past"},
		{"CloseDateYesterday", sample.Rep1, run("/deal", "close "+d.ID.Ref()+" yesterday"), inv, "deal.close_date_past"},
		{"OwnerNotInTheConfig", sample.Manager, run("/deal", "owner "+d.ID.Ref()+" @someone"), inv, "deal.owner_unknown"},
		{"StageOfAWonDeal", sample.Rep1, run("/deal", "stage "+won.ID.Ref()+" Discovery"), inv, "deal.closed"},
		{"PickedAnotherRepsDeal", sample.Rep2, func(c bot.Caller) (bot.Reply, error) {
			return b.SubmitPick(ctx, c, bot.FormMeta{}, bot.Values{bot.PickField: id}, "pick-key")
		}, fb, "deal.forbidden"},
		{"UpdateFormCloseDateInThePast", sample.Rep1, updateForm(bot.Values{domain.FieldCloseDate: "2026-11-24"}), inv, "deal.close_date_past"},
		{"NextStepFormDueInThePast", sample.Rep1, func(c bot.Caller) (bot.Reply, error) {
			r, err := b.Action(ctx, c, bot.ActionNextStep, id)
			if err != nil {
				t.Fatal(err)
			}
			f := r.(bot.OpenForm).Form
			return b.SubmitNextStep(ctx, c, f.Meta, bot.Values{domain.FieldNextStep: "Send it", domain.FieldNextStepDue: "2026-11-24"}, "next-key")
		}, inv, "deal.next_step_due_past"},
		{"NudgeDoneOnAnotherRepsDeal", sample.Rep2, func(c bot.Caller) (bot.Reply, error) {
			return b.Action(ctx, c, bot.ActionNudgeDone, id+":"+strconv.FormatUint(d.Version, 10))
		}, fb, "deal.forbidden"},
		// Refused for who they are before what the deal is.
		{"NudgeDoneOnAnotherRepsWonDeal", sample.Rep2, func(c bot.Caller) (bot.Reply, error) {
			return b.Action(ctx, c, bot.ActionNudgeDone, strconv.FormatUint(uint64(won.ID), 10)+":"+strconv.FormatUint(won.Version, 10))
		}, fb, "deal.forbidden"},
		{"NewDealCommandUnknownUser", stranger, run("/deal", "new"), fb, "deal.unknown_user"},
		{"NewDealCloseDateInThePast", sample.Rep1, newDeal(bot.Values{domain.FieldCloseDate: "2026-11-24"}), inv, "deal.close_date_past"},
		{"NewDealMissesTheStagesCriteria", sample.Rep1, newDeal(bot.Values{domain.FieldStage: "Discovery", domain.FieldNeed: " "}), inv, "stage.needs"},
		{"DiscountOnAWonDeal", sample.Rep1, run("/deal", "discount "+won.ID.Ref()+" 10%"), inv, "deskbot.deal_closed"},
		{"QuotaByARep", sample.Rep2, run("/forecast", "quota @rep1 150k"), fb, "forecast.quota_forbidden"},
		{"QuotaByAnotherTeamsManager", otherManager, run("/forecast", "quota @rep1 150k"), fb, "forecast.quota_forbidden"},
		{"CallForAnotherTeam", otherManager, run("/forecast", "submit France"), fb, "forecast.call_not_manager"},
		{"CallForATeamByAnAdmin", sample.Admin, run("/forecast", "submit France"), fb, "forecast.call_not_manager"},
		{"DigestOfATeamWithoutChannel", otherManager, run("/forecast", "digest"), inv, "forecast.digest_no_channel"},
		// A call form (an old or forged one) for someone in no team.
		{"CallFormOfSomeoneInNoTeam", sample.VP, func(c bot.Caller) (bot.Reply, error) {
			p := b.Calendar().Current(clock.Now()).Name
			return b.SubmitCall(ctx, c, bot.FormMeta{Period: p}, bot.Values{}, "call-key")
		}, fb, "forecast.call_no_team"},
		{"CallFormForAnotherTeam", otherManager, func(c bot.Caller) (bot.Reply, error) {
			p := b.Calendar().Current(clock.Now()).Name
			return b.SubmitCall(ctx, c, bot.FormMeta{Period: p, Team: "France"}, bot.Values{}, "call-key-2")
		}, fb, "forecast.call_not_manager"},
		{"QuotaOfSomeoneInNoTeam", sample.Admin, run("/forecast", "quota @someone 150k"), inv, "forecast.quota_no_team"},
		// Another team's digest is refused as its numbers are.
		{"DigestOfAnotherTeam", otherManager, run("/forecast", "digest France"), fb, "visibility.team"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, err := db.Deals(ctx, domain.DealFilter{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = tc.try(caller(tc.who))
			if domain.ErrorCode(err) != tc.code || !hasKey(err, tc.key) {
				t.Errorf("got %s (%v), want %s %s", domain.ErrorCode(err), err, tc.code, tc.key)
			}
			after, err := db.Deals(ctx, domain.DealFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before) {
				t.Fatalf("%d deals, want %d", len(after), len(before))
			}
			for i := range after {
				if after[i].Version != before[i].Version || after[i].Owner != before[i].Owner {
					t.Errorf("%s changed: version %d → %d, owner %s → %s", after[i].ID.Ref(), before[i].Version, after[i].Version, before[i].Owner, after[i].Owner)
				}
			}
		})
	}
	// A discount form submitted with figures other than its preview's,
	// after the deal changed, says who changed what instead of showing the
	// new figures as the rep's.
	t.Run("DiscountFormOnAChangedDeal", func(t *testing.T) {
		r, err := run("/deal", "discount "+d.ID.Ref()+" 15%")(caller(sample.Rep1))
		if err != nil {
			t.Fatal(err)
		}
		f := r.(bot.OpenForm).Form
		v := bot.Values{}
		for _, in := range f.Inputs {
			v[in.Field] = in.Initial
		}
		v[desk.FieldDiscount], v[desk.FieldJustification] = "18%", "Competitor is cheaper"
		cur, err := db.Deal(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UpdateDeal(ctx, d.ID, cur.Version, sample.Manager, func(x *domain.Deal) error { x.Amount = 9_900_000; return nil }); err != nil {
			t.Fatal(err)
		}
		_, err = b.SubmitDiscount(ctx, caller(sample.Rep1), f.Meta, v, "discount-key")
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("got %s (%v), want a conflict naming the change", domain.ErrorCode(err), err)
		}
	})
	// /deal withdraw withdraws the caller's own open request on the deal,
	// also when someone else's is pending on it too.
	t.Run("WithdrawTakesTheCallersOwn", func(t *testing.T) {
		x := create("Withdraw deal", domain.Open)
		ask := func(u domain.UserID, pct, key string) {
			r, err := run("/deal", "discount "+x.ID.Ref()+" "+pct)(caller(u))
			if err != nil {
				t.Fatal(err)
			}
			f := r.(bot.OpenForm).Form
			v := bot.Values{}
			for _, in := range f.Inputs {
				v[in.Field] = in.Initial
			}
			v[desk.FieldDiscount], v[desk.FieldJustification] = pct, "Competitor is cheaper"
			if _, err := b.SubmitDiscount(ctx, caller(u), f.Meta, v, key); err != nil {
				t.Fatal(err)
			}
		}
		open := func() []desk.Posted {
			ps, err := db.DeskRequests(ctx, x.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			return ps
		}
		ask(sample.Rep1, "15%", "withdraw-1")
		mine := open()[0].Request.ID
		if _, _, err := db.UpdateDeskRequest(ctx, mine, 0, func(r *desk.Request) error {
			return r.Decide(sample.Manager, desk.Changes, "a shorter term", clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		// The deal goes to Rep2 for a while, who asks too (pending), and back.
		owner := func(u domain.UserID) {
			cur, err := db.Deal(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.UpdateDeal(ctx, x.ID, cur.Version, sample.Manager, func(d *domain.Deal) error { d.Owner = u; return nil }); err != nil {
				t.Fatal(err)
			}
		}
		owner(sample.Rep2)
		ask(sample.Rep2, "12%", "withdraw-2")
		owner(sample.Rep1)
		if _, err := run("/deal", "withdraw "+x.ID.Ref())(caller(sample.Rep1)); err != nil {
			t.Fatalf("withdraw: %v", err)
		}
		for _, p := range open() {
			if p.Request.ID == mine || p.Request.Requester != sample.Rep2 || p.Request.Status != desk.StatusPending {
				t.Errorf("request %d of %s is %s; want only Rep2's, pending", p.Request.ID, p.Request.Requester, p.Request.Status)
			}
		}
	})
	// /deal approvals lists a request until it expires, not after, even
	// before the expiry job has marked it.
	t.Run("ApprovalsSkipAnExpiredRequest", func(t *testing.T) {
		other := create("Discount deal", domain.Open)
		r, err := run("/deal", "discount "+other.ID.Ref()+" 15%")(caller(sample.Rep1))
		if err != nil {
			t.Fatal(err)
		}
		f := r.(bot.OpenForm).Form
		v := bot.Values{}
		for _, in := range f.Inputs {
			v[in.Field] = in.Initial
		}
		v[desk.FieldDiscount], v[desk.FieldJustification] = "15%", "Competitor is cheaper"
		if _, err := b.SubmitDiscount(ctx, caller(sample.Rep1), f.Meta, v, "discount-key-2"); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			a, err := run("/deal", "approvals")(caller(sample.Manager))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, it := range a.(bot.DeskApprovals).Items {
				if it.Request.Deal == other.ID {
					n++
				}
			}
			return n
		}
		if n := count(); n != 1 {
			t.Fatalf("%d requests on the deal waiting on the manager, want 1", n)
		}
		clock.Set(fuzzNow.Add(15 * 24 * time.Hour)) // past expire_after_days: 14
		if n := count(); n != 0 {
			t.Errorf("%d requests waiting on the manager after expiry, want none", n)
		}
	})
	// The picker finds a deal by its reference only for someone who may
	// edit it: a rep of the same team reads it but gets no suggestion.
	t.Run("PickerByReference", func(t *testing.T) {
		for _, tc := range []struct {
			who  domain.UserID
			want bool
		}{{sample.Rep1, true}, {sample.Manager, true}, {sample.Rep2, false}, {otherManager, false}} {
			ds, _, err := b.SuggestDeals(ctx, caller(tc.who), d.ID.Ref())
			if err != nil {
				t.Fatal(err)
			}
			got := slices.ContainsFunc(ds, func(x *domain.Deal) bool { return x.ID == d.ID })
			if got != tc.want {
				t.Errorf("%s typing %s: suggested %v, want %v", tc.who, d.ID.Ref(), got, tc.want)
			}
		}
	})
}
