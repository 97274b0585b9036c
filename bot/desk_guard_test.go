package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// deskBot is a bot on a real file with the security test's two teams.
func deskBot(t *testing.T) (*bot.Bot, *store.DB) {
	t.Helper()
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "desk.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return bot.New(bot.Options{Store: db, Config: securityConfig(t), Clock: clock}), db
}

func deskDeal(t *testing.T, db *store.DB, owner domain.UserID, n int) *domain.Deal {
	t.Helper()
	d, err := db.CreateDeal(context.Background(), &domain.Deal{Name: fmt.Sprintf("Desk deal %d", n), Account: fmt.Sprintf("Desk %d", n),
		Owner: owner, Amount: 2_000_000, Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline,
		CloseDate: domain.NewDate(2026, 12, 20), NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30),
		Need: "Replace spreadsheets", Status: domain.Open}, owner, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDeskActionsAgainstEveryRole runs each deal-desk action on a fresh deal
// of Rep1 as each role: the deal's editors (its owner, their manager, an
// admin: domain.CanEdit) may ask for a discount and edit the plan, by
// command, live preview or form; anyone else gets EFORBIDDEN (a command
// naming another team's deal: ENOTFOUND) and nothing changes. Each permission check of bot/desk.go has a row here that fails
// without it.
func TestDeskActionsAgainstEveryRole(t *testing.T) {
	b, db := deskBot(t)
	deal := b.Commands()["/deal"]
	forms := b.Forms()
	ctx := context.Background()
	editors := "Owner Manager Admin"
	discountRef := func(d *domain.Deal) string { return fmt.Sprintf(`{"p":800,"a":%d}`, d.Amount) } // the previewed 8 %
	// Reading is open to the owner's team and admins (visibility: team): a
	// command naming another team's deal finds no such deal.
	readers := "Owner OtherRep Manager Admin"
	actions := []struct {
		name    string
		allowed string
		command bool
		run     func(c bot.Caller, d *domain.Deal, key string) (any, error)
	}{
		{"DiscountCommand", editors, true, func(c bot.Caller, d *domain.Deal, _ string) (any, error) {
			h, _, args := deal.Route("discount " + d.ID.Ref() + " 8")
			return h(ctx, c, args)
		}},
		{"DiscountLivePreview", editors, false, func(c bot.Caller, d *domain.Deal, _ string) (any, error) {
			return b.ChangeDiscount(ctx, c, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: discountRef(d)}, bot.Values{desk.FieldDiscount: "9"})
		}},
		{"DiscountSubmission", editors, false, func(c bot.Caller, d *domain.Deal, key string) (any, error) {
			return forms[bot.FormDiscount](ctx, c, bot.FormMeta{Deal: d.ID, Version: d.Version, Ref: discountRef(d)},
				bot.Values{desk.FieldDiscount: "8", desk.FieldJustification: "Rival"}, key)
		}},
		{"PlanCommand", editors, true, func(c bot.Caller, d *domain.Deal, _ string) (any, error) {
			h, _, args := deal.Route("plan " + d.ID.Ref())
			return h(ctx, c, args)
		}},
		{"PlanSubmission", editors, false, func(c bot.Caller, d *domain.Deal, key string) (any, error) {
			_, version, err := db.PlanVersion(ctx, d.ID)
			if err != nil {
				return nil, err
			}
			return forms[bot.FormPlan](ctx, c, bot.FormMeta{Deal: d.ID, Version: version}, bot.Values{desk.FieldPlan: "2026-12-01 | customer | Security review"}, key)
		}},
	}
	n := 0
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			for _, r := range roles {
				t.Run(r.name, func(t *testing.T) {
					n++
					d := deskDeal(t, db, sample.Rep1, n)
					c := bot.Caller{User: r.user, Channel: sample.SalesChannel}
					reply, err := a.run(c, d, fmt.Sprintf("view:desk%d", n))
					allowed := strings.Contains(" "+a.allowed+" ", " "+r.name+" ")
					want := domain.EFORBIDDEN
					if a.command && r.user != stranger && !strings.Contains(" "+readers+" ", " "+r.name+" ") {
						want = domain.ENOTFOUND
					}
					after, gerr := db.Deal(ctx, d.ID)
					if gerr != nil {
						t.Fatal(gerr)
					}
					reqs, _ := db.DeskRequests(ctx, d.ID, false)
					plan, _ := db.Plan(ctx, d.ID)
					switch {
					case allowed && err != nil:
						t.Errorf("%s may %s, got %v", r.name, a.name, err)
					case allowed && reply == nil:
						t.Errorf("%s: no reply", r.name)
					case !allowed && err == nil:
						t.Errorf("%s may not %s, but it succeeded: %T", r.name, a.name, reply)
					case !allowed && domain.ErrorCode(err) != want:
						t.Errorf("%s refused with %s (%v), want %s", r.name, domain.ErrorCode(err), err, want)
					case !allowed && (after.Version != d.Version || len(reqs) != 0 || len(plan.Milestones) != 0):
						t.Errorf("a refused %s changed something: deal version %d → %d, %d requests, %d milestones",
							a.name, d.Version, after.Version, len(reqs), len(plan.Milestones))
					}
				})
			}
		})
	}
}

// TestDeskFormCannotMoveARequest: the request a revision form revises is
// named in its metadata; a forged id of a request on another deal, or of
// another rep's request, is refused and changes nothing.
func TestDeskFormCannotMoveARequest(t *testing.T) {
	b, db := deskBot(t)
	ctx := context.Background()
	forms := b.Forms()
	own := deskDeal(t, db, sample.Rep1, 1)
	target := deskDeal(t, db, sample.Rep1, 2)
	other := deskDeal(t, db, sample.Rep2, 3)
	sentBack := func(d *domain.Deal, rep, approver domain.UserID) *desk.Request {
		t.Helper()
		r, err := desk.NewRequest(desk.Policy{Bands: []desk.Band{{UpTo: 100, Approvals: []desk.Role{desk.RoleManager}}}, RequirePlanAbove: 100},
			desk.Draft{Deal: d.ID, Requester: rep, DiscountBP: 1500, ListAmount: d.Amount, Currency: "EUR", Justification: "Rival"}, approver, fuzzNow)
		if err != nil {
			t.Fatal(err)
		}
		r.DealVersion = d.Version // as a form opened on the deal now
		if r, err = db.CreateDeskRequest(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
		r, _, err = db.UpdateDeskRequest(ctx, r.ID, 0, func(x *desk.Request) error {
			return x.Decide(approver, desk.Changes, "secret note for the rep", fuzzNow)
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mine := sentBack(own, sample.Rep1, sample.Manager)
	theirs := sentBack(other, sample.Rep2, sample.Manager)
	managers := sentBack(own, sample.Manager, sample.VP) // on the rep's own deal

	tests := []struct {
		name    string
		deal    *domain.Deal // the form's deal
		request *desk.Request
		code    string
	}{
		{"RequestOfAnotherDeal", target, mine, domain.EINVALID},
		{"RequestOfAnotherRep", own, theirs, domain.EINVALID},
		{"AnotherRepsRequestOnItsDeal", other, theirs, domain.EFORBIDDEN},
		{"SomeoneElsesRequestOnTheSameDeal", own, managers, domain.EFORBIDDEN},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
			ref := fmt.Sprintf(`{"r":%d,"p":1200,"a":%d}`, tt.request.ID, tt.deal.Amount)
			meta := bot.FormMeta{Deal: tt.deal.ID, Version: tt.deal.Version, Ref: ref}
			vals := bot.Values{desk.FieldDiscount: "12", desk.FieldJustification: "forged"}
			_, err := forms[bot.FormDiscount](ctx, c, meta, vals, fmt.Sprintf("view:forged%d", i))
			if got := domain.ErrorCode(err); got != tt.code && got != domain.EFORBIDDEN {
				t.Errorf("submission: %v (%s), want a refusal", err, got)
			}
			if _, err := b.ChangeDiscount(ctx, c, meta, vals); err == nil {
				t.Error("the live preview showed a request of another deal or rep")
			}
			got, _, err := db.DeskRequest(ctx, tt.request.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != tt.request.Version || got.Deal != tt.request.Deal || got.Status != desk.StatusChangesRequested {
				t.Errorf("the request changed: %+v", got)
			}
		})
	}
}
