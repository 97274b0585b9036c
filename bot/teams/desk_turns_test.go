package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

const (
	vp1AAD = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d" // the VP, later replaced
	vp2AAD = "9e8d7c6b-5a49-4837-a261-5f4e3d2c1b0a" // the new VP
)

// twoStepConfig: a 15 % discount needs the rep's manager, then the VP.
func twoStepConfig(vp string) string {
	return strings.Replace(strings.Replace(e2eConfig,
		"    - { up_to: 100, approvals: [manager] }", "    - { up_to: 100, approvals: [manager, vp] }", 1),
		"deal_desk:\n", "deal_desk:\n  roles: { vp: ["+vp+"] }\n", 1)
}

// restart puts a new bot with cfgText on the same store behind the same
// local Teams, as a restart after a configuration change does.
func (e *e2e) restart(cfgText string) {
	e.t.Helper()
	cfg, err := config.Parse("dealpilot.yaml", []byte(cfgText), IDs())
	if err != nil {
		e.t.Fatal(err)
	}
	e.cfg = cfg
	e.reopen()
}

// TestDeskTurnsByExecute: on Teams as on Slack, a two-step chain is
// decided by the right approvers in turn: the VP's click before the
// manager's is refused, someone outside the chain is refused, and after
// the VP is replaced in the configuration the old VP's click on the card
// is refused while the new VP's decides (issue 13's rules, issue 18).
func TestDeskTurnsByExecute(t *testing.T) {
	e := newE2E(t)
	e.restart(twoStepConfig(vp1AAD))
	vp1 := e.srv.AddUser(teamstest.User{ID: "29:vp1", AADObjectID: vp1AAD, Name: "Victor Paul", Installed: true})
	vp2 := e.srv.AddUser(teamstest.User{ID: "29:vp2", AADObjectID: vp2AAD, Name: "Vera Petit", Installed: true})
	eve := e.srv.AddUser(teamstest.User{ID: "29:eve", AADObjectID: "3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f00918", Name: "Eve", Installed: true})
	card := e.requestCard()
	state := func() string { return cardText(e.srv.Posted(desk01)[0].Attachments[0].Content) }
	approve := func() map[string]any { return actionData(t, e.srv.Posted(desk01)[0].Attachments[0].Content, 0) }
	click := func(u *teamstest.User) string {
		return executeText(t, e.deliver(e.srv.Execute(u, desk01, card.ID, bot.ActionDeskApprove, approve())))
	}

	if got := click(vp1); strings.Contains(state(), "approved") {
		t.Fatalf("the VP decided before the manager (%q):\n%s", got, state())
	}
	if got := click(eve); strings.Contains(state(), "approved") {
		t.Fatalf("someone outside the chain decided (%q):\n%s", got, state())
	}
	click(e.marc)
	if !strings.Contains(state(), "approve · Marc Dubois") {
		t.Fatalf("the manager's approval is not on the card:\n%s", state())
	}
	if strings.Contains(state(), "Approvals: approved") || !strings.Contains(state(), "pending") {
		t.Fatalf("one step of two decided the request:\n%s", state())
	}

	e.restart(twoStepConfig(vp2AAD)) // Victor leaves; Vera is VP now
	old := click(vp1)
	if strings.Contains(state(), "approve · Victor Paul") || strings.Contains(state(), "Approvals: approved") {
		t.Fatalf("a removed approver decided (%q):\n%s", old, state())
	}
	if old == e.app.r.text(bot.M("button.unverified")) {
		t.Errorf("the old VP's click was refused for its seal, not for his right: %q", old)
	}
	click(vp2)
	if !strings.Contains(state(), "Approvals: approved") {
		t.Errorf("the new VP could not approve:\n%s", state())
	}
}
