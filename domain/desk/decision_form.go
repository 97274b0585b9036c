package desk

import (
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// DecisionForm is an approver's decision on a request: a button, or the
// comment form a rejection or a send-back asks. The store applies it once,
// in the write transaction that saves what it returns.
type DecisionForm struct {
	By      domain.UserID
	Verdict Verdict
	Comment string
	// Revision and Step are the turn the button or form was shown for
	// (CheckTurn); Revision 0 holds it to no turn.
	Revision, Step int
	Policy         Policy
	Org            domain.Org // who the requester's manager is now
	Now            time.Time
}

// Apply returns the request as the decision leaves cur (the request as
// stored, which Apply does not change), and the steps whose approvers
// changed since it was sent; or why nothing may be saved. In this order:
//   - who holds each step still to decide is who the configuration names
//     now (Reresolve), so the decision is checked against them;
//   - the turn it was made for, when it names one (CheckTurn);
//   - the decision itself (Decide: the verdict, a request still pending
//     and not expired, by a holder of the current step who is not the
//     requester and did not approve another step, a reason to reject or
//     send back).
func (f DecisionForm) Apply(cur *Request) (*Request, []StepChange, error) {
	next := cur.Clone()
	changes := next.Reresolve(f.Policy, ManagerOf(f.Org, next.Requester))
	if f.Revision != 0 {
		if err := next.CheckTurn(f.Revision, f.Step); err != nil {
			return nil, nil, err
		}
	}
	if err := next.Decide(f.By, f.Verdict, f.Comment, f.Now); err != nil {
		return nil, nil, err
	}
	return next, changes, nil
}

// ManagerOf is the manager who approves rep's requests: the first manager
// org names for rep, or none.
func ManagerOf(org domain.Org, rep domain.UserID) domain.UserID {
	if ms := org.ManagersOf(rep); len(ms) > 0 {
		return ms[0]
	}
	return ""
}
