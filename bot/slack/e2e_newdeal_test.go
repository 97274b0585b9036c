package slack_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// The new-deal form shows what the chosen stage requires: Stage is an
// input with dispatch_action, and picking a stage makes the bot replace
// the form (views.update, with the view's hash) by that stage's, which
// keeps what was typed in the inputs both hold.

// pickStage chooses stage in the new-deal form viewID and waits for the
// bot's ack of the block_actions Slack sends for it.
func (h *harness) pickStage(user domain.UserID, viewID, stage string) {
	h.t.Helper()
	inv, err := h.srv.BlockAction(string(user), slacktest.InView(viewID), slacktest.Action{ActionID: "stage", Value: stage})
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctxT(h.t)); err != nil {
		h.t.Fatal(err)
	}
}

// qualificationLabels are the labels of the inputs a stage may require,
// but Next step, which every form has.
var qualificationLabels = []string{"Need", "Decision makers", "Budget", "Timeline", "Risk"}

func TestNewDealFormShowsWhatTheStageRequires(t *testing.T) {
	tests := []struct {
		stage string
		shows []string // the qualification inputs the form then holds
	}{
		{"Discovery", []string{"Need"}},
		{"Demo", []string{"Need", "Decision makers"}},
		{"Proposal", []string{"Need", "Decision makers", "Budget", "Timeline"}},
		{"Negotiation", qualificationLabels},
		{"Closing", qualificationLabels},
		{"Qualification", nil},
	}
	h := newHarness(t)
	view := h.openNewDeal(sample.Rep1)
	for _, l := range qualificationLabels {
		if hasInput(view, l) {
			t.Fatalf("the Qualification form asks for %s:\n%s", l, view.Render())
		}
	}
	for _, tt := range tests { // one form, the stage changed again and again
		t.Run(tt.stage, func(t *testing.T) {
			h.pickStage(sample.Rep1, view.ID, tt.stage)
			var got slacktest.View
			err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
				got = st.Views[view.ID]
				for _, l := range qualificationLabels {
					if hasInput(got, l) != slices.Contains(tt.shows, l) {
						return false
					}
				}
				return true
			})
			if err != nil {
				t.Fatalf("after choosing %s the form is not %s's (%v):\n%s", tt.stage, tt.shows, err, got.Render())
			}
		})
	}
	for _, c := range h.srv.Calls("views.update") {
		if c.Error != "" || c.Args["hash"] == nil || c.Args["hash"] == "" {
			t.Errorf("views.update without a hash or refused: %+v", c)
		}
	}
}

func TestNewDealAtProposalInOneForm(t *testing.T) {
	h := newHarness(t)
	view := h.openNewDeal(sample.Rep1)
	// Typed before the stage is chosen: kept by the update (same ids).
	if _, err := h.srv.Type(string(sample.Rep1), view.ID, slacktest.Action{ActionID: "name", Value: "Acme renewal"}); err != nil {
		t.Fatal(err)
	}
	h.pickStage(sample.Rep1, view.ID, "Proposal")
	h.waitView(view.ID, "Budget", "Timeline")

	v := newDealValues("48k")
	delete(v, "name")
	delete(v, "stage") // chosen above
	v["need"], v["decision_makers"], v["budget"], v["timeline"] = "Faster quotes", "CFO and COO", "50k approved", "Live by March"
	ack := h.submit(sample.Rep1, view.ID, v)
	if len(ack.Errors) > 0 || ack.ResponseAction != "" || ack.Rejected != "" {
		t.Fatalf("a complete Proposal form refused: %s %v %s", ack.ResponseAction, ack.Errors, ack.Rejected)
	}
	d := h.deal(1)
	if d.Name != "Acme renewal" || d.Stage != "Proposal" || d.Category != domain.BestCase || d.Need != "Faster quotes" ||
		d.DecisionMakers != "CFO and COO" || d.Budget != "50k approved" || d.Timeline != "Live by March" || d.Risk != "" {
		t.Fatalf("stored deal = %+v", d)
	}
}

// A required field left blank (spaces pass the client's check) is refused
// next to its own input, the others keeping what was typed; nothing is
// stored. The same field is not asked at a stage that does not require it.
func TestNewDealMissingStageFieldsRefusedInline(t *testing.T) {
	h := newHarness(t)
	view := h.openNewDeal(sample.Rep2)
	h.pickStage(sample.Rep2, view.ID, "Negotiation")
	h.waitView(view.ID, "Risk")
	v := newDealValues("48k")
	delete(v, "stage")
	v["need"], v["decision_makers"], v["budget"], v["timeline"], v["risk"] = "Faster quotes", "  ", "50k approved", " ", "Legal review"
	ack := h.submit(sample.Rep2, view.ID, v)
	want := map[string]string{"decision_makers": "Negotiation needs Decision makers.", "timeline": "Negotiation needs Timeline."}
	if ack.ResponseAction != "errors" || len(ack.Errors) != len(want) {
		t.Fatalf("ack %s %v, want errors %v", ack.ResponseAction, ack.Errors, want)
	}
	for block, msg := range want {
		if ack.Errors[block] != msg {
			t.Errorf("error on %s = %q, want %q", block, ack.Errors[block], msg)
		}
	}
	if ds, err := h.store().Deals(ctxT(t), domain.DealFilter{}); err != nil || len(ds) != 0 {
		t.Fatalf("a refused form stored %d deals (%v)", len(ds), err)
	}
}

func hasInput(v slacktest.View, label string) bool {
	return strings.Contains(string(v.Blocks), `"text":"`+label+`"`)
}

// A stage chosen without its form coming (the update lost, or Submit
// pressed first) is answered with that stage's form in place of the
// modal (response_action update), what was typed kept: the rep is never
// told "Proposal needs Need." with nowhere to write it, once what the form
// holds is right. Nothing is stored until the form is complete.
func TestNewDealSubmittedBeforeItsStageFormGetsIt(t *testing.T) {
	h := newHarness(t)
	view := h.openNewDeal(sample.Rep1)
	v := newDealValues("48kk")
	v["stage"] = "Proposal" // picked at the submission: no block_actions went out
	// What the form holds is said wrong first, next to its input.
	ack := h.submit(sample.Rep1, view.ID, v)
	if ack.ResponseAction != "errors" || !strings.Contains(ack.Errors["amount"], "'48kk' is not an amount") {
		t.Fatalf("ack %q %v, want the amount refused first", ack.ResponseAction, ack.Errors)
	}
	v["amount"] = "48k"
	ack = h.submit(sample.Rep1, view.ID, v)
	if ack.ResponseAction != "update" || len(ack.Errors) != 0 || ack.Rejected != "" {
		t.Fatalf("ack %q %v %s, want the Proposal form in place", ack.ResponseAction, ack.Errors, ack.Rejected)
	}
	got := h.waitView(view.ID, "Need", "Decision makers", "Budget", "Timeline")
	if hasInput(got, "Risk") {
		t.Errorf("the Proposal form asks for Risk:\n%s", got.Render())
	}
	if ds, err := h.store().Deals(ctxT(t), domain.DealFilter{}); err != nil || len(ds) != 0 {
		t.Fatalf("%d deals stored from an incomplete form (%v)", len(ds), err)
	}
	// Only the new inputs are filled in: the rest was kept by the update.
	ack = h.submit(sample.Rep1, view.ID, slacktest.Values{"need": "Faster quotes", "decision_makers": "CFO",
		"budget": "50k approved", "timeline": "Live by March"})
	if ack.ResponseAction != "" || len(ack.Errors) > 0 || ack.Rejected != "" {
		t.Fatalf("the completed form refused: %q %v %s", ack.ResponseAction, ack.Errors, ack.Rejected)
	}
	if d := h.deal(1); d.Name != "Acme renewal" || d.Stage != "Proposal" || d.Amount != 4_800_000 || d.Budget != "50k approved" {
		t.Fatalf("stored deal = %+v", d)
	}
}
