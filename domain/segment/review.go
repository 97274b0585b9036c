package segment

import (
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Decision is a manager's answer to a proposal of the review.
type Decision string

// Decisions.
const (
	Pending   Decision = ""
	Accepted  Decision = "accepted"
	Dismissed Decision = "dismissed"
)

// Posted is one team's quarterly ICP review as the bot keeps it: what it
// proposed, with the numbers behind each proposal, what was decided, and
// when it went out (PostedAt zero until the manager's DM did). It is made
// once per quarter and team, and posted from what was kept, so a restart
// posts the same review and never a second one.
type Posted struct {
	Quarter   string      // the quarter reviewed ("2026-Q4")
	From, To  domain.Date // its days
	Before    []string    // the four quarters before it, oldest first
	Team      string
	Manager   domain.UserID
	FitNow    Group // the fit deals in the quarter
	MinDeals  int   // the evidence a proposal needed
	Proposals []Decided
	MadeAt    time.Time
	PostedAt  time.Time
}

// Decided is a proposal and its decision.
type Decided struct {
	Proposal
	Decision Decision
	By       domain.UserID
	At       time.Time
}

// Decide records decision on proposal i, by by at at. A proposal is
// decided once: a second decision (a double click, a second manager) is
// refused with the first one's (ECONFLICT, "review.already").
func (p *Posted) Decide(i int, decision Decision, by domain.UserID, at time.Time) error {
	if i < 0 || i >= len(p.Proposals) {
		return domain.Errorf(domain.ENOTFOUND, "review.unknown")
	}
	d := &p.Proposals[i]
	if d.Decision != Pending {
		return domain.Errorf(domain.ECONFLICT, "review.already_decided", domain.MessageKey("review.decision."+string(d.Decision)), d.By, domain.DateOf(d.At))
	}
	d.Decision, d.By, d.At = decision, by, at.UTC()
	return nil
}
