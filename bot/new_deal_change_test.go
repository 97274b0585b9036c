package bot_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// TestNewDealStageChangeWithoutATransport: choosing a stage in the
// new-deal form (its Live input) answers that stage's form: the stage
// chosen, the qualification inputs the stage requires and no others, and
// every other input as the first form had it, so a transport keeps what
// was typed. The stage is matched by its name in any case; a prefix or a
// name the configuration does not know (a forged payload) gets the first
// stage's form. The changed form, filled in, creates the deal with what it
// asked for.
func TestNewDealStageChangeWithoutATransport(t *testing.T) {
	b, db := deskBot(t)
	ctx := context.Background()
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	open, err := b.Commands()["/deal"].Subs["new"](ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	first := open.(bot.OpenForm).Form
	change := b.Changes()[bot.FormNewDeal]
	if change == nil {
		t.Fatal("the new-deal form has no change handler")
	}
	// common is a form's inputs but its qualification ones, the stage's
	// initial value cleared.
	common := func(f bot.Form) []bot.Input {
		var out []bot.Input
		for _, in := range f.Inputs {
			if slices.Contains(domain.QualificationFields, in.Field) && in.Field != domain.FieldNextStep {
				continue
			}
			if in.Field == domain.FieldStage {
				in.Initial = ""
			}
			out = append(out, in)
		}
		return out
	}
	stageOf := func(f bot.Form) string {
		for _, in := range f.Inputs {
			if in.Field == domain.FieldStage {
				return in.Initial
			}
		}
		return ""
	}
	qualification := func(f bot.Form) []domain.Field {
		var out []domain.Field
		for _, in := range f.Inputs {
			if slices.Contains(domain.QualificationFields, in.Field) && in.Field != domain.FieldNextStep {
				out = append(out, in.Field)
			}
		}
		return out
	}
	stages := domain.DefaultStages()
	for _, st := range stages {
		for _, typed := range []string{st.Name, "  " + st.Name + " ", "\u00a0" + st.Name} {
			f, err := change(ctx, c, first.Meta, bot.Values{domain.FieldStage: typed, domain.FieldName: "kept by the transport"})
			if err != nil {
				t.Fatalf("%q: %v", typed, err)
			}
			var want []domain.Field
			for _, q := range domain.QualificationFields {
				if q != domain.FieldNextStep && slices.Contains(st.Requires, q) {
					want = append(want, q)
				}
			}
			if f.Kind != bot.FormNewDeal || stageOf(f) != st.Name || !slices.Equal(qualification(f), want) {
				t.Errorf("%q: the form is %s at stage %q asking %v, want the new-deal form at %s asking %v", typed, f.Kind, stageOf(f), qualification(f), st.Name, want)
			}
			if !reflect.DeepEqual(common(f), common(first)) || f.Meta != first.Meta {
				t.Errorf("%q: the form's other inputs or meta differ from the first form's", typed)
			}
		}
	}
	for _, typed := range []string{"Prop", "proposal!", "", "Closed won", "Negotiation\x00"} {
		f, err := change(ctx, c, first.Meta, bot.Values{domain.FieldStage: typed})
		if err != nil || stageOf(f) != stages[0].Name || len(qualification(f)) != 0 {
			t.Errorf("%q: the form is at %q asking %v (%v), want the first stage's", typed, stageOf(f), qualification(f), err)
		}
	}

	f, err := change(ctx, c, first.Meta, bot.Values{domain.FieldStage: "proposal"})
	if err != nil {
		t.Fatal(err)
	}
	v := bot.Values{
		domain.FieldName: "Rollout", domain.FieldAccount: "Cave Dumas", domain.FieldAmount: "48k",
		domain.FieldCloseDate: "2026-12-20", domain.FieldStage: stageOf(f), domain.FieldCategory: "",
		domain.FieldNextStep: "Send the proposal", domain.FieldNextStepDue: "2026-12-01",
		domain.FieldType: "new", domain.FieldTerm: "12", domain.FieldRecurring: "40k",
	}
	for _, q := range qualification(f) {
		v[q] = "Filled: " + string(q)
	}
	for _, in := range f.Inputs {
		if _, ok := v[in.Field]; !ok {
			t.Fatalf("the test does not fill input %s", in.Field)
		}
	}
	reply, err := b.Forms()[bot.FormNewDeal](ctx, c, f.Meta, v, "view:new1")
	if err != nil {
		t.Fatal(err)
	}
	created, ok := reply.(bot.Created)
	if !ok {
		t.Fatalf("the filled Proposal form answered %+v, want the deal created", reply)
	}
	d, err := db.Deal(ctx, created.Deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Stage != "Proposal" || d.Owner != sample.Rep1 || d.Amount != 4_800_000 {
		t.Errorf("stored %s, owner %s, amount %d", d.Stage, d.Owner, d.Amount)
	}
	for _, q := range qualification(f) {
		if got := d.Get(q); got != "Filled: "+string(q) {
			t.Errorf("stored %s %q", q, got)
		}
	}
}
