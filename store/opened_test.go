package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// fnForm is a form that makes fn's change on the version it was opened on,
// held to it as domain's forms are (domain.CheckOpened, with the history
// read only on a conflict): what is tested here is the store's part, that
// Apply runs in the write transaction on the deal as stored, reads the
// history there, and that a submission is made once per key.
type fnForm struct {
	opened uint64
	fn     func(*domain.Deal) error
}

func (f fnForm) Apply(cur *domain.Deal, history func() ([]domain.HistoryEntry, error)) (*domain.Deal, error) {
	var hist []domain.HistoryEntry
	if f.opened != cur.Version {
		var err error
		if hist, err = history(); err != nil {
			return nil, err
		}
	}
	if err := domain.CheckOpened(f.opened, cur, hist); err != nil {
		return nil, err
	}
	x := *cur
	if err := f.fn(&x); err != nil {
		return nil, err
	}
	return &x, nil
}

// TestUpdateDealForm: a form's change is made only as its Apply says, on
// the deal as it is in the write transaction (a change since is a conflict
// naming it, read from the history there), and once per submission key.
func TestUpdateDealForm(t *testing.T) {
	setAmount := func(v int64) func(*domain.Deal) error {
		return func(d *domain.Deal) error { d.Amount = v; return nil }
	}
	type step struct {
		by       domain.UserID
		opened   uint64 // 0: a quick command (UpdateDeal on the latest)
		key      string
		fn       func(*domain.Deal) error
		wantErr  string // "conflict", an error key, or "" for saved
		wantVer  uint64 // the deal's version after the step
		wantSame int    // the step whose answer this one must repeat (1-based), 0 for none
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"SavedOnItsVersion", []step{
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 2},
		}},
		{"OwnQuickCommandInBetweenRefuses", []step{
			{by: "U2", fn: setAmount(9900)},
			{by: "U1", fn: func(d *domain.Deal) error { d.Category = domain.Commit; return nil }},
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(4800), wantErr: "conflict", wantVer: 3},
		}},
		{"RedeliveryAppliesOnceSameAnswer", []step{
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 2},
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 2, wantSame: 1},
		}},
		{"RedeliveryAfterALaterChangeStillTheFirstAnswer", []step{
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 2},
			{by: "U2", fn: setAmount(7), wantVer: 3},
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 3, wantSame: 1},
		}},
		{"AnotherSubmissionOfTheOldVersionIsRefused", []step{
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 2},
			{by: "U1", opened: 1, key: "view:B", fn: setAmount(6), wantErr: "conflict", wantVer: 2},
		}},
		{"RefusedSubmissionIsNotRecorded", []step{
			{by: "U1", opened: 1, key: "view:A", fn: func(*domain.Deal) error { return domain.FieldErrorf(domain.FieldAmount, "x") }, wantErr: "x", wantVer: 1},
			{by: "U1", opened: 1, key: "view:A", fn: setAmount(5), wantVer: 2},
		}},
		{"NoKeyIsRefused", []step{
			{by: "U1", opened: 1, key: "", fn: setAmount(5), wantErr: "internal", wantVer: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, newClock(time.Minute))
			ctx := context.Background()
			d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
			type answer struct {
				deal    *domain.Deal
				changes []domain.Change
			}
			var answers []answer
			for i, s := range tt.steps {
				var got *domain.Deal
				var changes []domain.Change
				var err error
				if s.opened == 0 && s.key == "" && s.wantErr == "" {
					got, changes, err = db.UpdateDeal(ctx, d.ID, 0, s.by, s.fn)
				} else {
					got, changes, err = db.UpdateDealForm(ctx, d.ID, s.by, s.key, fnForm{s.opened, s.fn})
				}
				answers = append(answers, answer{got, changes})
				var c *domain.Conflict
				var e *domain.Error
				switch {
				case s.wantErr == "conflict":
					if !errors.As(err, &c) || len(c.Changes) == 0 {
						t.Fatalf("step %d: err = %v; want a conflict naming the changes", i+1, err)
					}
				case s.wantErr == "internal":
					if err == nil || domain.ErrorCode(err) != domain.EINTERNAL {
						t.Fatalf("step %d: err = %v; want an internal error", i+1, err)
					}
				case s.wantErr != "":
					if !errors.As(err, &e) || e.Key != s.wantErr {
						t.Fatalf("step %d: err = %v; want %s", i+1, err, s.wantErr)
					}
				case err != nil:
					t.Fatalf("step %d: %v", i+1, err)
				}
				if s.wantVer != 0 {
					if v := mustDeal(t, db, d.ID).Version; v != s.wantVer {
						t.Errorf("step %d: version %d; want %d", i+1, v, s.wantVer)
					}
				}
				if s.wantSame != 0 {
					if first := answers[s.wantSame-1]; !reflect.DeepEqual(first, answers[i]) {
						t.Errorf("step %d answered %+v %+v; want step %d's %+v %+v", i+1, got, changes, s.wantSame, first.deal, first.changes)
					}
				}
			}
		})
	}
}

// TestSavePlanForm: a plan form saves only on the plan's version it was
// opened on (1 for a deal without a plan), checked in the write
// transaction, once per submission key; versions never come back, even
// through an empty plan.
func TestSavePlanForm(t *testing.T) {
	plan := func(what string) desk.Plan {
		return desk.Plan{Milestones: []desk.Milestone{{What: what, Side: desk.Customer, Due: domain.NewDate(2026, 12, 1)}}}
	}
	type step struct {
		by      domain.UserID
		opened  uint64 // 0 with plain: SavePlan, not a form
		plain   bool
		key     string
		p       desk.Plan
		wantErr string // "conflict", an error key, "internal", or "" for saved
		wantVer uint64 // the plan's version after the step
		want    string // the first milestone after the step ("" for none)
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"FirstPlanOnVersionOne", []step{
			{by: "U1", opened: 1, key: "view:A", p: plan("Review"), wantVer: 2, want: "Review"},
		}},
		{"ZeroIsRefused", []step{
			{by: "U1", opened: 0, key: "view:A", p: plan("Review"), wantErr: "form.no_version", wantVer: 1},
		}},
		{"FutureIsRefused", []step{
			{by: "U1", opened: 2, key: "view:A", p: plan("Review"), wantErr: "form.no_version", wantVer: 1},
		}},
		{"AnotherSaveSinceRefuses", []step{
			{by: "U2", opened: 1, key: "view:M", p: plan("Manager's"), wantVer: 2, want: "Manager's"},
			{by: "U1", opened: 1, key: "view:A", p: plan("Rep's"), wantErr: "conflict", wantVer: 2, want: "Manager's"},
		}},
		{"PlainSaveSinceRefuses", []step{
			{by: "U2", plain: true, p: plan("Imported"), wantVer: 2, want: "Imported"},
			{by: "U1", opened: 1, key: "view:A", p: plan("Rep's"), wantErr: "conflict", wantVer: 2, want: "Imported"},
		}},
		{"EmptyPlanKeepsCounting", []step{
			{by: "U1", opened: 1, key: "view:A", p: plan("Review"), wantVer: 2, want: "Review"},
			{by: "U2", opened: 2, key: "view:B", p: desk.Plan{}, wantVer: 3},
			{by: "U1", opened: 1, key: "view:C", p: plan("Stale"), wantErr: "conflict", wantVer: 3},
			{by: "U1", opened: 2, key: "view:D", p: plan("Stale"), wantErr: "conflict", wantVer: 3},
		}},
		{"RedeliverySavesOnce", []step{
			{by: "U1", opened: 1, key: "view:A", p: plan("Review"), wantVer: 2, want: "Review"},
			{by: "U1", opened: 1, key: "view:A", p: plan("Review"), wantVer: 2, want: "Review"},
		}},
		{"NoKeyIsRefused", []step{
			{by: "U1", opened: 1, key: "", p: plan("Review"), wantErr: "internal", wantVer: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, newClock(time.Minute))
			ctx := context.Background()
			d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
			for i, s := range tt.steps {
				var err error
				if s.plain {
					err = db.SavePlan(ctx, d.ID, s.p, s.by)
				} else {
					err = savePlanForm(ctx, db, d.ID, s.opened, s.p, s.by, s.key)
				}
				var c *domain.Conflict
				var e *domain.Error
				switch {
				case s.wantErr == "conflict":
					if !errors.As(err, &c) || len(c.Changes) != 1 || c.Changes[0].Field != desk.FieldPlan || c.By == "" {
						t.Fatalf("step %d: err = %v; want a conflict naming the plan's last save", i+1, err)
					}
				case s.wantErr == "internal":
					if err == nil || domain.ErrorCode(err) != domain.EINTERNAL {
						t.Fatalf("step %d: err = %v; want an internal error", i+1, err)
					}
				case s.wantErr != "":
					if !errors.As(err, &e) || e.Key != s.wantErr {
						t.Fatalf("step %d: err = %v; want %s", i+1, err, s.wantErr)
					}
				case err != nil:
					t.Fatalf("step %d: %v", i+1, err)
				}
				p, v, err := db.PlanVersion(ctx, d.ID)
				if err != nil {
					t.Fatal(err)
				}
				first := ""
				if len(p.Milestones) > 0 {
					first = p.Milestones[0].What
				}
				if v != s.wantVer || first != s.want {
					t.Errorf("step %d: plan %q at version %d; want %q at %d", i+1, first, v, s.want, s.wantVer)
				}
			}
		})
	}
}
