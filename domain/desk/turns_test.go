package desk_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// twoRolesPolicy is testPolicy with the manager holding the vp role too.
func twoRolesPolicy(vps ...domain.UserID) desk.Policy {
	p := testPolicy()
	p.Roles["vp"] = vps
	return p
}

func TestOnePersonNeverFillsTwoSteps(t *testing.T) {
	p := twoRolesPolicy(mgr, vp)
	r, err := desk.NewRequest(p, draft(2500), mgr, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := r.Waiting(); !slices.Equal(got, desk.Users{vp}) {
		t.Errorf("step 2 waits on %v, want only %s: %s approved step 1", got, vp, mgr)
	}
	if r.ApproverWaiting(mgr) {
		t.Error("the step-1 approver is waited on for step 2")
	}
	if got := desk.Pending([]*desk.Request{r}, mgr); len(got) != 0 {
		t.Errorf("/deal approvals lists step 2 to the step-1 approver: %v", got)
	}
	for _, v := range []desk.Verdict{desk.Approve, desk.Reject, desk.Changes} {
		t.Run(string(v), func(t *testing.T) {
			c := r.Clone()
			e := checkErr(t, c.Decide(mgr, v, "why not", t0.Add(2*time.Hour)), domain.EFORBIDDEN, "desk.two_steps")
			if msg := e.Error(); msg == "" {
				t.Fatal("no message")
			}
			if len(c.Decisions) != 1 || c.Current != 1 {
				t.Errorf("the refusal changed the request: %+v", c)
			}
		})
	}
	if err := r.Decide(vp, desk.Approve, "", t0.Add(3*time.Hour)); err != nil || r.Status != desk.StatusApproved {
		t.Fatalf("the vp could not approve step 2: %v %s", err, r.Status)
	}
}

func TestOnePersonTwoStepsAgainAfterRevision(t *testing.T) {
	// A new revision is a new chain: who approved step 1 before may
	// approve step 1 again, and still not step 2 of the same revision.
	p := twoRolesPolicy(mgr, vp)
	r, _ := desk.NewRequest(p, draft(2500), mgr, t0)
	_ = r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour))
	if err := r.Decide(vp, desk.Changes, "2-year term", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := r.Revise(rep, draft(2200), p, mgr, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := r.Decide(mgr, desk.Approve, "", t0.Add(4*time.Hour)); err != nil {
		t.Fatalf("revision 2, step 1: %v", err)
	}
	checkErr(t, r.Decide(mgr, desk.Approve, "", t0.Add(5*time.Hour)), domain.EFORBIDDEN, "desk.two_steps")
}

func TestNewRequestNeedsDistinctApprovers(t *testing.T) {
	tests := []struct {
		name string
		vps  []domain.UserID
		bp   int
		want []string
	}{
		{"ManagerIsTheOnlyVP", []domain.UserID{mgr}, 2500, []string{"desk.no_distinct_approver"}},
		{"ManagerAndAnotherVP", []domain.UserID{mgr, vp}, 2500, nil},
		{"OneBandNeedsNoVP", []domain.UserID{mgr}, 1500, nil},
		{"RequesterIsTheOtherVP", []domain.UserID{mgr, rep}, 2500, []string{"desk.no_distinct_approver"}},
		{"NoVPAtAll", nil, 2500, []string{"desk.no_approver"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := desk.NewRequest(twoRolesPolicy(tt.vps...), draft(tt.bp), mgr, t0)
			if got := keys(t, err); !slices.Equal(got, tt.want) {
				t.Fatalf("keys = %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

func TestReresolve(t *testing.T) {
	const newMgr domain.UserID = "U0MGR2"
	tests := []struct {
		name    string
		approve int // steps approved before the configuration changed
		policy  func() desk.Policy
		manager domain.UserID
		changed []int // steps changed
		waiting desk.Users
	}{
		{"Unchanged", 0, testPolicy, mgr, nil, desk.Users{mgr}},
		{"ManagerReplaced", 0, testPolicy, newMgr, []int{0}, desk.Users{newMgr}},
		{"RepLeftTheTeam", 0, testPolicy, "", []int{0}, nil},
		{"VPReplacedWhileOnManagerStep", 0, func() desk.Policy { return twoRolesPolicy("U0VP2") }, mgr, []int{1}, desk.Users{mgr}},
		{"VPReplacedWhileOnVPStep", 1, func() desk.Policy { return twoRolesPolicy("U0VP2") }, mgr, []int{1}, desk.Users{"U0VP2"}},
		{"DecidedStepKept", 1, testPolicy, newMgr, nil, desk.Users{vp}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRequest(t, draft(2500))
			for i := 0; i < tt.approve; i++ {
				if err := r.Decide(r.Waiting()[0], desk.Approve, "", t0.Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			ch := r.Reresolve(tt.policy(), tt.manager)
			var steps []int
			for _, c := range ch {
				steps = append(steps, c.Step)
				if slices.Equal(c.Before, c.After) {
					t.Errorf("step %d reported changed but is not: %v", c.Step, c.After)
				}
			}
			if !slices.Equal(steps, tt.changed) {
				t.Errorf("changed steps %v, want %v", steps, tt.changed)
			}
			if got := r.Waiting(); !slices.Equal(got, tt.waiting) {
				t.Errorf("waiting on %v, want %v", got, tt.waiting)
			}
			if tt.approve > 0 && !slices.Equal(r.Steps[0].Approvers, []domain.UserID{mgr}) {
				t.Errorf("the decided step's approvers changed: %v", r.Steps[0].Approvers)
			}
		})
	}
	t.Run("RemovedManagerCannotDecide", func(t *testing.T) {
		r := mustRequest(t, draft(1500))
		r.Reresolve(testPolicy(), newMgr)
		checkErr(t, r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour)), domain.EFORBIDDEN, "desk.not_approver")
		if err := r.Decide(newMgr, desk.Approve, "", t0.Add(time.Hour)); err != nil || r.Status != desk.StatusApproved {
			t.Fatalf("the new manager could not approve: %v", err)
		}
	})
	t.Run("WithdrawnKeepsItsApprovers", func(t *testing.T) {
		// Its manager step was never decided: a request no longer pending
		// is history, and the configuration's changes do not rewrite it.
		r := mustRequest(t, draft(1500))
		if err := r.Withdraw(r.Requester, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if ch := r.Reresolve(testPolicy(), newMgr); ch != nil || !slices.Equal(r.Steps[0].Approvers, []domain.UserID{mgr}) {
			t.Errorf("a withdrawn request changed: %v, approvers %v", ch, r.Steps[0].Approvers)
		}
	})
	t.Run("NotPending", func(t *testing.T) {
		r := mustRequest(t, draft(1500))
		_ = r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour))
		if ch := r.Reresolve(testPolicy(), newMgr); ch != nil {
			t.Errorf("a decided request changed: %v", ch)
		}
	})
}
