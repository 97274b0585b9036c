package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// TestDeskSelfApprovalByExecute: Léa is one of the VPs a 15 % discount
// needs, and the requester: her Approve on her own request is refused
// with the self-approval message and decides nothing; the other VP's
// decides.
func TestDeskSelfApprovalByExecute(t *testing.T) {
	e := newE2E(t)
	e.restart(strings.Replace(strings.Replace(e2eConfig,
		"    - { up_to: 100, approvals: [manager] }", "    - { up_to: 100, approvals: [vp] }", 1),
		"deal_desk:\n", "deal_desk:\n  roles: { vp: ["+leaAAD+", "+vp1AAD+"] }\n", 1))
	vp1 := e.srv.AddUser(teamstest.User{ID: "29:vp1", AADObjectID: vp1AAD, Name: "Victor Paul", Installed: true})
	card := e.requestCard()
	approve := actionData(t, card.Attachments[0].Content, 0)

	self := executeText(t, e.deliver(e.srv.Execute(e.lea, desk01, card.ID, bot.ActionDeskApprove, approve)))
	if want := "You cannot approve your own request, even as vp"; !strings.Contains(self, want) {
		t.Errorf("Léa approving her own request was told %q, want %q", self, want)
	}
	if got := e.deskState(); strings.Contains(got, "approve · Léa") || !strings.Contains(got, "pending") {
		t.Fatalf("the requester approved her own request:\n%s", got)
	}
	executeText(t, e.deliver(e.srv.Execute(vp1, desk01, card.ID, bot.ActionDeskApprove, approve)))
	if got := e.deskState(); !strings.Contains(got, "Approvals: approved") {
		t.Errorf("the other VP could not approve:\n%s", got)
	}
}

// TestDeskStaleStepByExecute: in a two-step chain (manager, then VP) the
// VP clicks Approve on the card as it was before the manager decided
// step 1 (a card drawn for step 1, as Slack's
// TestDeskStaleClickNeverDecidesANewRevision clicks a revision-1 button):
// told step 1 is done, and step 2 is not decided by it; the card as it
// is now decides.
func TestDeskStaleStepByExecute(t *testing.T) {
	e := newE2E(t)
	e.restart(twoStepConfig(vp1AAD))
	vp1 := e.srv.AddUser(teamstest.User{ID: "29:vp1", AADObjectID: vp1AAD, Name: "Victor Paul", Installed: true})
	card := e.requestCard()
	step1 := actionData(t, card.Attachments[0].Content, 0) // the Approve of step 1

	executeText(t, e.deliver(e.srv.Execute(e.marc, desk01, card.ID, bot.ActionDeskApprove, step1)))
	if got := e.deskState(); !strings.Contains(got, "approve · Marc Dubois") || !strings.Contains(got, "pending") {
		t.Fatalf("the manager's approval of step 1:\n%s", got)
	}
	stale := executeText(t, e.deliver(e.srv.Execute(vp1, desk01, card.ID, bot.ActionDeskApprove, step1)))
	if !strings.Contains(stale, "Step 1 (manager) was already approved by") {
		t.Errorf("a click on the step-1 card told the VP %q", stale)
	}
	if got := e.deskState(); strings.Contains(got, "Approvals: approved") || strings.Contains(got, "approve · Victor Paul") {
		t.Fatalf("a step-1 button decided step 2:\n%s", got)
	}
	now := actionData(t, e.srv.Posted(desk01)[0].Attachments[0].Content, 0)
	executeText(t, e.deliver(e.srv.Execute(vp1, desk01, card.ID, bot.ActionDeskApprove, now)))
	if got := e.deskState(); !strings.Contains(got, "Approvals: approved") {
		t.Errorf("the VP could not approve from the card as it is:\n%s", got)
	}
}
