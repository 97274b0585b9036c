package domain_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// unversioned, as a formCase's opened, is a form that names no version.
const unversioned = ^uint64(0)

// formToday is the submitter's today in the form tests.
var formToday = domain.NewDate(2026, 11, 25)

// formDeal is D-7 as stored when a form is submitted: UREPFR's (France,
// manager UMGRFR: readOrg), in Qualification, version 3 (created by the
// rep, the amount set by the manager, the category by the rep).
func formDeal() *domain.Deal {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	return &domain.Deal{
		ID: 7, Version: 3, Name: "Acme renewal", Account: "Acme", Owner: "UREPFR",
		Amount: 2_000_000, Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline,
		CloseDate: domain.NewDate(2026, 12, 20), NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30),
		Status: domain.Open, CreatedAt: t0, CreatedBy: "UREPFR", UpdatedAt: t0.Add(2 * time.Hour), UpdatedBy: "UREPFR",
	}
}

// formHistory is formDeal's history: what a conflict names.
func formHistory() []domain.HistoryEntry {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	return []domain.HistoryEntry{
		{Deal: 7, At: t0, By: "UREPFR", Field: domain.FieldAmount, New: "1000000", Version: 1},
		{Deal: 7, At: t0.Add(time.Hour), By: "UMGRFR", Field: domain.FieldAmount, Old: "1000000", New: "2000000", Version: 2},
		{Deal: 7, At: t0.Add(2 * time.Hour), By: "UREPFR", Field: domain.FieldCategory, Old: "best_case", New: "pipeline", Version: 3},
	}
}

func formRules() domain.FormRules {
	return domain.FormRules{Org: readOrg{}, Stages: domain.DefaultStages(), Locale: i18n.EN, Currency: "EUR"}
}

// updateValues is the update form as it opens on formDeal (every input
// prefilled), with changes made by the rep.
func updateValues(changes map[domain.Field]string) map[domain.Field]string {
	v := map[domain.Field]string{
		domain.FieldStage: "Qualification", domain.FieldAmount: "20,000", domain.FieldCloseDate: "2026-12-20",
		domain.FieldCategory: "pipeline", domain.FieldNeed: "", domain.FieldDecisionMakers: "", domain.FieldBudget: "",
		domain.FieldTimeline: "", domain.FieldRisk: "", domain.FieldNextStep: "Call back", domain.FieldNextStepDue: "2026-11-30",
	}
	for f, s := range changes {
		v[f] = s
	}
	return v
}

// formOutcome says what Apply answered, in one comparable string: "ok",
// each field error as field:key in the order given, "conflict" with the
// versions of the changes it names, or a refusal's key.
func formOutcome(err error) string {
	var es domain.Errors
	var c *domain.Conflict
	var e *domain.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &es):
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = string(e.Field) + ":" + e.Key
		}
		return strings.Join(parts, " ")
	case errors.As(err, &c):
		s := "conflict"
		for _, ch := range c.Changes {
			s += fmt.Sprintf(" v%d", ch.Version)
		}
		return s
	case errors.As(err, &e):
		if e.Field != "" {
			return string(e.Field) + ":" + e.Key
		}
		return e.Key
	}
	return "not a domain error: " + err.Error()
}

// formCase is one submission of a form on formDeal (changed by deal, when
// set): who submits it (UREPFR unless said), the version it was opened on
// (3 unless said), what Apply must answer, and the deal it must return.
type formCase struct {
	name   string
	values map[domain.Field]string
	by     domain.UserID
	opened uint64
	deal   func(*domain.Deal) // the deal as stored, changed before the submission
	want   string             // formOutcome
	check  func(*domain.Deal) string
}

func runFormCases(t *testing.T, tests []formCase, form func(domain.Submission) domain.DealForm) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := formDeal()
			if tt.deal != nil {
				tt.deal(cur)
			}
			before := *cur
			s := domain.Submission{Values: tt.values, Opened: 3, By: "UREPFR", Today: formToday}
			if tt.by != "" {
				s.By = tt.by
			}
			switch tt.opened {
			case 0:
			case unversioned:
				s.Opened = 0
			default:
				s.Opened = tt.opened
			}
			reads := 0
			history := func() ([]domain.HistoryEntry, error) { reads++; return formHistory(), nil }
			got, err := form(s).Apply(cur, history)
			if o := formOutcome(err); o != tt.want {
				t.Fatalf("outcome %q; want %q", o, tt.want)
			}
			if !reflect.DeepEqual(*cur, before) {
				t.Errorf("Apply changed the stored deal it was given: %+v", *cur)
			}
			// The history is read for a conflict, and only then.
			if wantReads := map[bool]int{true: 1, false: 0}[strings.HasPrefix(tt.want, "conflict")]; reads != wantReads {
				t.Errorf("history read %d times; want %d", reads, wantReads)
			}
			if err != nil {
				if got != nil {
					t.Errorf("a refusal returned a deal: %+v", got)
				}
				return
			}
			if got.ID != cur.ID || got.Version != cur.Version || got.Owner != cur.Owner || got.Currency != cur.Currency {
				t.Errorf("the form changed what it does not hold: %+v", got)
			}
			if tt.check != nil {
				if msg := tt.check(got); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// TestUpdateForm is every refusal of the update form, in the order Apply
// says, and what a valid one saves.
func TestUpdateForm(t *testing.T) {
	v := updateValues
	type F = map[domain.Field]string
	proposal := F{domain.FieldStage: "Proposal", domain.FieldNeed: "A new site", domain.FieldDecisionMakers: "CEO",
		domain.FieldBudget: "30k", domain.FieldTimeline: "Q1"}
	tests := []formCase{
		{name: "UnchangedSavesTheDealAsItIs", values: v(nil), want: "ok", check: func(d *domain.Deal) string {
			if want := formDeal(); !reflect.DeepEqual(d, want) {
				return fmt.Sprintf("deal %+v; want %+v", d, want)
			}
			return ""
		}},
		{name: "EveryFieldSaved", values: v(F{domain.FieldStage: "Proposal", domain.FieldAmount: "25k", domain.FieldCloseDate: "2027-01-15",
			domain.FieldCategory: "pipeline", domain.FieldNeed: "  A new site ", domain.FieldDecisionMakers: "CEO", domain.FieldBudget: "30k",
			domain.FieldTimeline: "Q1", domain.FieldRisk: "Rival", domain.FieldNextStep: " Send the quote ", domain.FieldNextStepDue: "2026-11-25"}),
			want: "ok", check: func(d *domain.Deal) string {
				want := formDeal()
				want.Stage, want.Category, want.Amount, want.CloseDate = "Proposal", domain.BestCase, 2_500_000, domain.NewDate(2027, 1, 15)
				want.Need, want.DecisionMakers, want.Budget, want.Timeline, want.Risk = "A new site", "CEO", "30k", "Q1", "Rival"
				want.NextStep, want.NextStepDue = "Send the quote", formToday
				if !reflect.DeepEqual(d, want) {
					return fmt.Sprintf("deal %+v; want %+v", d, want)
				}
				return ""
			}},
		// The category follows the stage unless the rep changed it in the form.
		{name: "CategoryFollowsTheStage", values: v(proposal), want: "ok", check: category(domain.BestCase)},
		{name: "CategoryChangedInTheFormWins", values: v(merge(proposal, F{domain.FieldCategory: "commit"})), want: "ok", check: category(domain.Commit)},
		{name: "CategoryAloneChanged", values: v(F{domain.FieldCategory: "upside"}), want: "ok", check: category(domain.Upside)},
		{name: "StageByPrefix", values: v(merge(proposal, F{domain.FieldStage: "prop"})), want: "ok", check: func(d *domain.Deal) string {
			if d.Stage != "Proposal" {
				return "stage " + d.Stage
			}
			return ""
		}},

		// What the form says by itself, told first and alone.
		{name: "AmountNotANumber", values: v(F{domain.FieldAmount: "12kk"}), want: "amount:parse.amount"},
		{name: "AmountEmpty", values: v(F{domain.FieldAmount: " "}), want: "amount:parse.amount_empty"},
		{name: "AmountInAnotherCurrency", values: v(F{domain.FieldAmount: "$48k"}), want: "amount:parse.amount_currency"},
		{name: "StageUnknown", values: v(F{domain.FieldStage: "Nowhere"}), want: "stage:stage.unknown"},
		{name: "StageAmbiguous", values: v(F{domain.FieldStage: "D"}), want: "stage:stage.unknown"},
		{name: "AmountAndStageTogether", values: v(F{domain.FieldAmount: "12kk", domain.FieldStage: "Nowhere"}),
			want: "amount:parse.amount stage:stage.unknown"},
		{name: "ReadErrorsBeforeTheRest", values: v(F{domain.FieldAmount: "12kk", domain.FieldCloseDate: "2026-11-01", domain.FieldNextStep: ""}),
			want: "amount:parse.amount"},
		{name: "ReadErrorsBeforeAConflict", values: v(F{domain.FieldAmount: "12kk"}), opened: 2, want: "amount:parse.amount"},

		// The version it was opened on.
		{name: "ChangedSinceIsAConflict", values: v(nil), opened: 2, want: "conflict v3"},
		{name: "ConflictNamesEveryChangeSince", values: v(F{domain.FieldAmount: "22k"}), opened: 1, want: "conflict v2 v3"},
		{name: "NoVersionIsRefused", values: v(nil), opened: unversioned, want: "form.no_version"},
		{name: "AVersionTheDealNeverHad", values: v(nil), opened: 4, want: "form.no_version"},
		{name: "ConflictBeforeForbidden", values: v(nil), opened: 2, by: "UREPDE", want: "conflict v3"},

		// Who may change it, and that it is open.
		{name: "AnotherTeamsRepIsForbidden", values: v(nil), by: "UREPDE", want: "deal.forbidden"},
		{name: "ATeammateIsForbidden", values: v(nil), by: "UREPFR2", want: "deal.forbidden"},
		{name: "TheOwnersManagerMay", values: v(F{domain.FieldAmount: "21k"}), by: "UMGRFR", want: "ok", check: amount(2_100_000)},
		{name: "AnAdminMay", values: v(F{domain.FieldAmount: "21k"}), by: "UADMIN", want: "ok", check: amount(2_100_000)},
		{name: "ForbiddenBeforeClosed", values: v(nil), by: "UREPDE", deal: won, want: "deal.forbidden"},
		{name: "AWonDealIsClosed", values: v(nil), deal: won, want: "deal.closed"},
		{name: "ClosedBeforeFieldErrors", values: v(F{domain.FieldNextStep: ""}), deal: won, want: "deal.closed"},

		// The deal as the form leaves it.
		{name: "CloseDateMovedIntoThePast", values: v(F{domain.FieldCloseDate: "2026-11-24"}), want: "close_date:deal.close_date_past"},
		{name: "CloseDateMovedToToday", values: v(F{domain.FieldCloseDate: "2026-11-25"}), want: "ok"},
		{name: "APastCloseDateLeftAsItWas", values: v(F{domain.FieldCloseDate: "2026-11-20"}),
			deal: func(d *domain.Deal) { d.CloseDate = domain.NewDate(2026, 11, 20) }, want: "ok"},
		// The close date input is required, so a platform never submits it
		// empty; a forged empty one is refused, if under a date's message.
		{name: "CloseDateCleared", values: v(F{domain.FieldCloseDate: ""}), want: "close_date:deal.close_date_past"},
		{name: "AmountZero", values: v(F{domain.FieldAmount: "0"}), want: "amount:deal.amount_positive"},
		{name: "StageEntryCriteria", values: v(F{domain.FieldStage: "Proposal"}),
			want: "need:stage.needs decision_makers:stage.needs budget:stage.needs timeline:stage.needs"},
		{name: "BlankIsNotFilled", values: v(merge(proposal, F{domain.FieldBudget: "  "})), want: "budget:stage.needs"},
		{name: "NextStepCleared", values: v(F{domain.FieldNextStep: " "}), want: "next_step:stage.needs"},
		{name: "NextStepDueCleared", values: v(F{domain.FieldNextStepDue: ""}), want: "next_step_due:deal.next_step_needs_due"},
		{name: "NextStepDuePast", values: v(F{domain.FieldNextStepDue: "2026-11-24"}), want: "next_step_due:deal.next_step_due_past"},
		{name: "APastDueLeftAsItWas", values: v(F{domain.FieldNextStepDue: "2026-11-20"}),
			deal: func(d *domain.Deal) { d.NextStepDue = domain.NewDate(2026, 11, 20) }, want: "next_step_due:deal.next_step_due_past"},
		{name: "TextTooLong", values: v(F{domain.FieldRisk: strings.Repeat("r", domain.MaxTextLen+1)}), want: "risk:deal.too_long"},
		{name: "TextAtItsLimit", values: v(F{domain.FieldRisk: strings.Repeat("r", domain.MaxTextLen)}), want: "ok"},
		// Every field error at once, one per input, in the order of the rules.
		{name: "EveryFieldErrorTogether", values: v(F{domain.FieldStage: "Proposal", domain.FieldCloseDate: "2026-11-01",
			domain.FieldNeed: strings.Repeat("n", domain.MaxTextLen+1), domain.FieldNextStep: "", domain.FieldNextStepDue: "2026-11-24",
			domain.FieldAmount: "0"}),
			want: "close_date:deal.close_date_past decision_makers:stage.needs budget:stage.needs timeline:stage.needs next_step:stage.needs " +
				"next_step_due:deal.next_step_due_past need:deal.too_long amount:deal.amount_positive"},
	}
	runFormCases(t, tests, func(s domain.Submission) domain.DealForm { return domain.UpdateForm{Submission: s, Rules: formRules()} })
}

// TestNextStepForm is every refusal of the next-step form and what it saves:
// the next step and its due date, nothing else.
func TestNextStepForm(t *testing.T) {
	type F = map[domain.Field]string
	next := func(text, due string) F { return F{domain.FieldNextStep: text, domain.FieldNextStepDue: due} }
	tests := []formCase{
		{name: "Saved", values: next("  Send the quote ", "2026-12-02"), want: "ok", check: func(d *domain.Deal) string {
			want := formDeal()
			want.NextStep, want.NextStepDue = "Send the quote", domain.NewDate(2026, 12, 2)
			if !reflect.DeepEqual(d, want) {
				return fmt.Sprintf("deal %+v; want %+v", d, want)
			}
			return ""
		}},
		{name: "DueToday", values: next("Call", "2026-11-25"), want: "ok"},
		{name: "OnAWonDeal", values: next("Call", "2026-11-25"), deal: won, want: "ok"},
		{name: "TextMissing", values: next(" ", "2026-12-02"), want: "next_step:deal.next_step_required"},
		{name: "DueMissing", values: next("Call", ""), want: "next_step_due:deal.next_step_needs_due"},
		{name: "DuePast", values: next("Call", "2026-11-24"), want: "next_step_due:deal.next_step_due_past"},
		{name: "BothMissing", values: F{}, want: "next_step:deal.next_step_required next_step_due:deal.next_step_needs_due"},
		{name: "FieldErrorsBeforeAConflict", values: next("", "2026-12-02"), opened: 2, want: "next_step:deal.next_step_required"},
		{name: "ChangedSinceIsAConflict", values: next("Call", "2026-12-02"), opened: 2, want: "conflict v3"},
		{name: "NoVersionIsRefused", values: next("Call", "2026-12-02"), opened: unversioned, want: "form.no_version"},
		{name: "ConflictBeforeForbidden", values: next("Call", "2026-12-02"), opened: 1, by: "UREPDE", want: "conflict v2 v3"},
		{name: "AnotherTeamsRepIsForbidden", values: next("Call", "2026-12-02"), by: "UREPDE", want: "deal.forbidden"},
		{name: "TheOwnersManagerMay", values: next("Call", "2026-12-02"), by: "UMGRFR", want: "ok"},
		{name: "TextTooLong", values: next(strings.Repeat("x", domain.MaxTextLen+1), "2026-12-02"), want: "next_step:deal.too_long"},
	}
	runFormCases(t, tests, func(s domain.Submission) domain.DealForm {
		return domain.NextStepForm{Submission: s, Rules: formRules()}
	})
}

func won(d *domain.Deal) { d.Status = domain.Won }

func merge(a, b map[domain.Field]string) map[domain.Field]string {
	out := map[domain.Field]string{}
	for f, s := range a {
		out[f] = s
	}
	for f, s := range b {
		out[f] = s
	}
	return out
}

func category(want domain.Category) func(*domain.Deal) string {
	return func(d *domain.Deal) string {
		if d.Category != want {
			return fmt.Sprintf("category %s; want %s", d.Category, want)
		}
		return ""
	}
}

func amount(want int64) func(*domain.Deal) string {
	return func(d *domain.Deal) string {
		if d.Amount != want {
			return fmt.Sprintf("amount %d; want %d", d.Amount, want)
		}
		return ""
	}
}

// TestNewDealForm is who may submit the new-deal form, every field error
// of it, in the order they are told, and the deal a valid one describes.
func TestNewDealForm(t *testing.T) {
	type F = map[domain.Field]string
	values := func(changes F) F {
		v := F{domain.FieldName: " Acme renewal ", domain.FieldAccount: "Acme", domain.FieldAmount: "20k",
			domain.FieldCloseDate: "2026-12-20", domain.FieldStage: "Qualification", domain.FieldCategory: "",
			domain.FieldNextStep: "Call back", domain.FieldNextStepDue: "2026-11-30"}
		for f, s := range changes {
			v[f] = s
		}
		return v
	}
	want := func(change func(*domain.Deal)) *domain.Deal {
		d := &domain.Deal{Name: "Acme renewal", Account: "Acme", Owner: "UREPFR", Amount: 2_000_000, Currency: "EUR",
			Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20),
			NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}
		if change != nil {
			change(d)
		}
		return d
	}
	proposal := F{domain.FieldStage: "Proposal", domain.FieldNeed: " A new site", domain.FieldDecisionMakers: "CEO",
		domain.FieldBudget: "30k", domain.FieldTimeline: "Q1"}
	tests := []struct {
		name   string
		values F
		want   string        // formOutcome of the errors
		deal   *domain.Deal  // the deal described, when want is "ok"
		stage  string        // the form's stage, when want is not "ok"
		by     domain.UserID // who submits; UREPFR when empty
	}{
		{name: "Valid", values: values(nil), want: "ok", deal: want(nil)},
		{name: "StageBringsItsCategory", values: values(proposal), want: "ok", deal: want(func(d *domain.Deal) {
			d.Stage, d.Category, d.Need, d.DecisionMakers, d.Budget, d.Timeline = "Proposal", domain.BestCase, "A new site", "CEO", "30k", "Q1"
		})},
		{name: "CategoryChosen", values: values(F{domain.FieldCategory: "commit"}), want: "ok", deal: want(func(d *domain.Deal) { d.Category = domain.Commit })},
		{name: "CloseDateToday", values: values(F{domain.FieldCloseDate: "2026-11-25"}), want: "ok", deal: want(func(d *domain.Deal) { d.CloseDate = formToday })},
		{name: "AStageThePipelineLacksIsTheFirst", values: values(F{domain.FieldStage: "Nowhere"}), want: "ok", deal: want(nil)},

		{name: "AmountMissing", values: values(F{domain.FieldAmount: " "}), want: "amount:deal.required", stage: "Qualification"},
		{name: "AmountUnreadable", values: values(F{domain.FieldAmount: "12kk"}), want: "amount:parse.amount", stage: "Qualification"},
		{name: "AmountZero", values: values(F{domain.FieldAmount: "0"}), want: "amount:deal.amount_positive", stage: "Qualification"},
		{name: "NameAndAccountMissing", values: values(F{domain.FieldName: "", domain.FieldAccount: " "}),
			want: "name:deal.required account:deal.required", stage: "Qualification"},
		{name: "NameTooLong", values: values(F{domain.FieldName: strings.Repeat("n", domain.MaxNameLen+1)}), want: "name:deal.too_long", stage: "Qualification"},
		{name: "NameOnTwoLines", values: values(F{domain.FieldName: "Acme\nrenewal"}), want: "name:text.hidden_line_break", stage: "Qualification"},
		{name: "CloseDateMissing", values: values(F{domain.FieldCloseDate: ""}), want: "close_date:deal.required", stage: "Qualification"},
		{name: "CloseDatePast", values: values(F{domain.FieldCloseDate: "2026-11-24"}), want: "close_date:deal.close_date_past", stage: "Qualification"},
		{name: "StageEntryCriteria", values: values(F{domain.FieldStage: "Proposal"}),
			want: "need:stage.needs decision_makers:stage.needs budget:stage.needs timeline:stage.needs", stage: "Proposal"},
		{name: "NextStepMissing", values: values(F{domain.FieldNextStep: ""}), want: "next_step:stage.needs", stage: "Qualification"},
		{name: "NextStepDueMissing", values: values(F{domain.FieldNextStepDue: ""}), want: "next_step_due:deal.next_step_needs_due", stage: "Qualification"},
		{name: "NextStepDuePast", values: values(F{domain.FieldNextStepDue: "2026-11-24"}), want: "next_step_due:deal.next_step_due_past", stage: "Qualification"},
		{name: "EveryFieldErrorTogether", values: values(F{domain.FieldName: "", domain.FieldAmount: "12kk", domain.FieldCloseDate: "2026-11-01",
			domain.FieldStage: "Discovery", domain.FieldNextStepDue: "2026-11-24", domain.FieldAccount: "Ac\u200bme"}),
			want: "amount:parse.amount close_date:deal.close_date_past name:deal.required account:text.hidden_invisible need:stage.needs " +
				"next_step_due:deal.next_step_due_past", stage: "Discovery"},

		// Who may own deals (CanOwn) is held first: a stranger is told so,
		// whatever else the form says.
		{name: "Admin", by: "UADMIN", values: values(nil), want: "ok", deal: want(func(d *domain.Deal) { d.Owner = "UADMIN" })},
		{name: "Manager", by: "UMGRDE", values: values(nil), want: "ok", deal: want(func(d *domain.Deal) { d.Owner = "UMGRDE" })},
		{name: "Stranger", by: "USTRANGER", values: values(nil), want: "deal.unknown_user", stage: "Qualification"},
		{name: "StrangerWithFieldErrors", by: "USTRANGER", values: values(F{domain.FieldName: "", domain.FieldAmount: "12kk", domain.FieldStage: "Discovery"}),
			want: "deal.unknown_user", stage: "Discovery"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by := tt.by
			if by == "" {
				by = "UREPFR"
			}
			f := domain.NewDealForm{Submission: domain.Submission{Values: tt.values, By: by, Today: formToday}, Rules: formRules()}
			d, err := f.Apply()
			if o := formOutcome(err); o != tt.want {
				t.Fatalf("outcome %q; want %q", o, tt.want)
			}
			if tt.want == "ok" && !reflect.DeepEqual(d, tt.deal) {
				t.Errorf("deal %+v; want %+v", d, tt.deal)
			}
			if tt.want != "ok" && d != nil {
				t.Errorf("refused, yet a deal %+v", d)
			}
			if tt.stage != "" && f.Stage().Name != tt.stage {
				t.Errorf("stage %q; want %q", f.Stage().Name, tt.stage)
			}
		})
	}
}
