package teams

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// TestCommissionStatements: `commission` typed to the bot in Teams answers
// as /commission does in Slack, in an Adaptive Card the connector
// validated: Léa her own statement, Marc his team's month, someone outside
// the configuration a refusal. By hand: Léa wins D-1 (€48,000) on Dec 7;
// the team's plan pays 5 %: €2,400, the month's cost.
func TestCommissionStatements(t *testing.T) {
	e := newE2E(t)
	cfg, err := config.Parse("dealpilot.yaml", []byte(e2eConfig+"commissions:\n  - { team: France, period: quarter, rate: 5 }\n"), IDs())
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = cfg
	e.reopen()
	eve := e.srv.AddUser(teamstest.User{ID: "29:eve", AADObjectID: "3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f00918", Name: "Eve", Installed: true})
	lea := e.srv.PersonalConversation(e.lea.ID)

	e.deliver(e.srv.Message(e.lea, lea, "deal won D-1"))
	wantIn(t, "deal won", e.last(lea), "D-1")
	e.deliver(e.srv.Message(e.lea, lea, "commission"))
	wantIn(t, "Léa's statement", e.last(lea), "Commission statement of Léa Martin, 2026-12",
		"D-1 · 5% of €48,000 = €2,400", "To pay: €2,400")

	marc := e.srv.PersonalConversation(e.marc.ID)
	e.deliver(e.srv.Message(e.marc, marc, "commission"))
	wantIn(t, "Marc's month", e.last(marc), "Commissions, 2026-12", "Léa Martin: €48,000 credited", "earned €2,400, to pay €2,400",
		"Commission cost of the month: €2,400")

	conv := e.srv.PersonalConversation(eve.ID)
	e.deliver(e.srv.Message(eve, conv, "commission"))
	wantIn(t, "Eve's answer", e.last(conv), "You are not in any team of dealpilot's configuration")
	if got := e.last(conv); strings.Contains(got, "€2,400") {
		t.Errorf("Eve read a figure:\n%s", got)
	}
}
