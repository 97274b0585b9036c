package desk_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// newManager is an org where rep's manager is now U0MGR2.
type newManager struct{ team }

func (newManager) ManagersOf(u domain.UserID) []domain.UserID {
	if u == rep {
		return []domain.UserID{"U0MGR2"}
	}
	return nil
}

// TestDecisionForm holds a decision to each rule in the order Apply says:
// every row also breaks every rule after its own.
func TestDecisionForm(t *testing.T) {
	// rep's request for 25 %: step 1 the manager's, step 2 the vp's.
	pending := func(t *testing.T) *desk.Request { return mustRequest(t, draft(2500)) }
	atStep2 := func(t *testing.T) *desk.Request {
		r := pending(t)
		if err := r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		return r
	}
	later := t0.Add(2 * time.Hour)
	tests := []struct {
		name        string
		cur         func(*testing.T) *desk.Request
		org         domain.Org
		policy      desk.Policy
		f           desk.DecisionForm
		want        string
		wantChanged []int // steps whose approvers changed
	}{
		{name: "ErrHoldersAsConfiguredNow", cur: pending, org: newManager{},
			f: desk.DecisionForm{By: mgr, Verdict: desk.Reject, Revision: 1, Step: 0}, want: "forbidden desk.not_approver", wantChanged: []int{0}},
		{name: "ErrTurnMoved", cur: pending, f: desk.DecisionForm{By: rep, Verdict: desk.Reject, Revision: 2, Step: 0},
			want: "conflict desk.state.moved"},
		{name: "ErrStepDone", cur: atStep2, f: desk.DecisionForm{By: mgr, Verdict: desk.Reject, Revision: 1, Step: 0},
			want: "conflict desk.state.step_done"},
		{name: "ErrSelfDecision", cur: pending, f: desk.DecisionForm{By: rep, Verdict: desk.Reject, Revision: 1, Step: 0},
			want: "forbidden desk.self_decision"},
		{name: "ErrReasonRequired", cur: pending, f: desk.DecisionForm{By: mgr, Verdict: desk.Reject, Comment: " ", Revision: 1, Step: 0},
			want: "comment:desk.reason_required"},
		{name: "ErrExpired", cur: pending, f: desk.DecisionForm{By: mgr, Verdict: desk.Approve, Now: t0.Add(15 * 24 * time.Hour)},
			want: "conflict desk.state.expired"},
		{name: "OKNoTurnNamed", cur: pending, f: desk.DecisionForm{By: mgr, Verdict: desk.Approve, Step: 5}, want: "ok"},
		{name: "OKOnItsTurn", cur: atStep2, f: desk.DecisionForm{By: vp, Verdict: desk.Changes, Comment: "2-year term", Revision: 1, Step: 1}, want: "ok"},
		{name: "OKByTheNewManager", cur: pending, org: newManager{}, f: desk.DecisionForm{By: "U0MGR2", Verdict: desk.Approve, Revision: 1},
			want: "ok", wantChanged: []int{0}},
		{name: "OKVPReplacedBeforeTheirStep", cur: pending, policy: twoRolesPolicy("U0VP2"),
			f: desk.DecisionForm{By: mgr, Verdict: desk.Approve, Revision: 1}, want: "ok", wantChanged: []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur, before := tt.cur(t), tt.cur(t)
			f := tt.f
			f.Org, f.Policy = tt.org, tt.policy
			if f.Org == nil {
				f.Org = team{}
			}
			if f.Policy.Bands == nil {
				f.Policy = testPolicy()
			}
			if f.Now.IsZero() {
				f.Now = later
			}
			next, changes, err := f.Apply(cur)
			if got := requestOutcome(err); got != tt.want {
				t.Fatalf("Apply = %s; want %s", got, tt.want)
			}
			if !reflect.DeepEqual(cur, before) {
				t.Errorf("Apply changed the stored request: %+v", cur)
			}
			if err != nil {
				if next != nil || changes != nil {
					t.Errorf("a refusal returned %+v %v", next, changes)
				}
				return
			}
			var steps []int
			for _, c := range changes {
				steps = append(steps, c.Step)
			}
			if !slices.Equal(steps, tt.wantChanged) {
				t.Errorf("steps changed %v; want %v", steps, tt.wantChanged)
			}
			d, ok := next.LastDecision()
			if !ok || d.By != f.By || d.Verdict != f.Verdict || !d.At.Equal(later) || len(next.Decisions) != len(cur.Decisions)+1 {
				t.Errorf("decision %+v of %+v", d, next)
			}
		})
	}
}

func TestManagerOf(t *testing.T) {
	if got := desk.ManagerOf(team{}, rep); got != mgr {
		t.Errorf("ManagerOf(rep) = %q; want %q", got, mgr)
	}
	if got := desk.ManagerOf(team{}, vp); got != "" {
		t.Errorf("ManagerOf(someone in no team) = %q; want none", got)
	}
}
