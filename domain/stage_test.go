package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

func openDeal() domain.Deal {
	return domain.Deal{
		Name: "Acme renewal", Account: "Acme", Owner: "U0REP1", Amount: 4_800_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 15),
		NextStep: "Call CFO", NextStepDue: domain.NewDate(2026, 11, 27), Status: domain.Open,
	}
}

func TestCheckOpenDeal(t *testing.T) {
	today := domain.NewDate(2026, 11, 25)
	stages := domain.DefaultStages()
	tests := []struct {
		name   string
		change func(*domain.Deal)
		want   []domain.Field // fields with an error, in order
	}{
		{"OK", func(*domain.Deal) {}, nil},
		{"ErrDiscoveryNeedsNeed", func(d *domain.Deal) { d.Stage = "Discovery" }, []domain.Field{domain.FieldNeed}},
		{"ErrProposalNeedsBudgetAndMore", func(d *domain.Deal) { d.Stage = "Proposal"; d.Need = "CRM"; d.DecisionMakers = "CFO" },
			[]domain.Field{domain.FieldBudget, domain.FieldTimeline}},
		{"ErrNoNextStep", func(d *domain.Deal) { d.NextStep = "" }, []domain.Field{domain.FieldNextStep}},
		{"ErrNoDueDate", func(d *domain.Deal) { d.NextStepDue = domain.Date{} }, []domain.Field{domain.FieldNextStepDue}},
		{"ErrDuePast", func(d *domain.Deal) { d.NextStepDue = today.AddDays(-1) }, []domain.Field{domain.FieldNextStepDue}},
		{"DueTodayOK", func(d *domain.Deal) { d.NextStepDue = today }, nil},
		{"ErrUnknownStage", func(d *domain.Deal) { d.Stage = "Nowhere" }, []domain.Field{domain.FieldStage}},
		{"BlankFieldCountsAsEmpty", func(d *domain.Deal) { d.Stage = "Discovery"; d.Need = "   " }, []domain.Field{domain.FieldNeed}},
		{"WonNotHeld", func(d *domain.Deal) { d.Status = domain.Won; d.NextStep = ""; d.Stage = "Closing" }, nil},
		// Lookup trims; a stored stage must be spelled as configured.
		{"ErrStageWithSpaces", func(d *domain.Deal) { d.Stage = " Qualification " }, []domain.Field{domain.FieldStage}},
	}
	// A next step is required even in a stage that does not list it.
	t.Run("ErrNoNextStepInAStageNotRequiringIt", func(t *testing.T) {
		d := openDeal()
		d.Stage, d.NextStep, d.NextStepDue = "Open", "", domain.Date{}
		err := domain.Stages{{Name: "Open", Probability: 10, Category: domain.Pipeline}}.CheckOpenDeal(&d, today)
		var es domain.Errors
		if !errors.As(err, &es) || len(es) == 0 || es[0].Field != domain.FieldNextStep {
			t.Fatalf("err = %v, want the next step required", err)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openDeal()
			tt.change(&d)
			err := stages.CheckOpenDeal(&d, today)
			var got []domain.Field
			var es domain.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					got = append(got, e.Field)
				}
			} else if err != nil {
				t.Fatalf("err = %v, want domain.Errors", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("fields = %v, want %v (%v)", got, tt.want, err)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("fields = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestStageNeedsMessage(t *testing.T) {
	d := openDeal()
	st, _ := domain.DefaultStages().Lookup("proposal")
	d.Need, d.DecisionMakers, d.Timeline = "x", "y", "z"
	es := st.CheckEntry(&d)
	if len(es) != 1 {
		t.Fatalf("got %v", es)
	}
	if got := i18n.Message(i18n.EN, es[0]); got != "Proposal needs Budget." {
		t.Errorf("en = %q", got)
	}
	if got := i18n.Message(i18n.FR, es[0]); got != "Proposal exige : Budget." {
		t.Errorf("fr = %q", got)
	}
}

func TestStagesLookup(t *testing.T) {
	s := domain.DefaultStages()
	tests := []struct {
		name, typed, want string
		ok                bool
	}{
		{"Exact", "Proposal", "Proposal", true},
		{"AnyCase", "proposal", "Proposal", true},
		{"Prefix", "neg", "Negotiation", true},
		{"Spaces", "  demo ", "Demo", true},
		{"Empty", "", "", false},
		{"Unknown", "signed", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := s.Lookup(tt.typed)
			if ok != tt.ok || got.Name != tt.want {
				t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.typed, got.Name, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestStagesValidate(t *testing.T) {
	tests := []struct {
		name string
		s    domain.Stages
		ok   bool
	}{
		{"Defaults", domain.DefaultStages(), true},
		{"Empty", domain.Stages{}, false},
		{"Duplicate", domain.Stages{{Name: "A", Category: domain.Pipeline}, {Name: "a", Category: domain.Pipeline}}, false},
		{"BadProbability", domain.Stages{{Name: "A", Probability: 101, Category: domain.Pipeline}}, false},
		{"BadCategory", domain.Stages{{Name: "A", Category: "maybe"}}, false},
		{"BadField", domain.Stages{{Name: "A", Category: domain.Pipeline, Requires: []domain.Field{"amount"}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestDealValidate(t *testing.T) {
	long := string(make([]rune, domain.MaxNameLen+1))
	tests := []struct {
		name   string
		change func(*domain.Deal)
		field  domain.Field
	}{
		{"OK", func(*domain.Deal) {}, ""},
		{"ErrNoName", func(d *domain.Deal) { d.Name = " " }, domain.FieldName},
		{"ErrLongName", func(d *domain.Deal) { d.Name = long }, domain.FieldName},
		{"ErrZeroAmount", func(d *domain.Deal) { d.Amount = 0 }, domain.FieldAmount},
		{"ErrHugeAmount", func(d *domain.Deal) { d.Amount = domain.MaxAmountMinor + 1 }, domain.FieldAmount},
		{"ErrCurrency", func(d *domain.Deal) { d.Currency = "eur" }, domain.FieldCurrency},
		{"ErrCategory", func(d *domain.Deal) { d.Category = "sure" }, domain.FieldCategory},
		{"ErrLostWithoutReason", func(d *domain.Deal) { d.Status = domain.Lost }, domain.FieldLossReason},
		{"ErrNoCloseDate", func(d *domain.Deal) { d.CloseDate = domain.Date{} }, domain.FieldCloseDate},
		{"ErrNextStepWithoutDue", func(d *domain.Deal) { d.NextStepDue = domain.Date{} }, domain.FieldNextStepDue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openDeal()
			tt.change(&d)
			err := d.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var es domain.Errors
			if !errors.As(err, &es) || es[0].Field != tt.field {
				t.Fatalf("Validate() = %v, want an error on %s", err, tt.field)
			}
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("code = %s", domain.ErrorCode(err))
			}
		})
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want domain.DealID
		ok   bool
	}{
		{"D-12", 12, true}, {"d12", 12, true}, {"12", 12, true}, {"#7", 7, true},
		{"D-0", 0, false}, {"D-", 0, false}, {"Acme", 0, false}, {"+3", 0, false}, {"D-1x", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := domain.ParseRef(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRef(%q) = %d, %v", tt.in, got, ok)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	a := openDeal()
	b := a
	b.Stage, b.Amount = "Discovery", 5_000_000
	got := domain.Diff(&a, &b)
	want := []domain.Change{{Field: domain.FieldAmount, Old: "4800000", New: "5000000"}, {Field: domain.FieldStage, Old: "Qualification", New: "Discovery"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Diff = %v", got)
	}
}

func TestErrorMessageHidesInternals(t *testing.T) {
	err := errors.New("open /secret/path: xoxb-123")
	if got := i18n.ErrorMessage(i18n.EN, err); got == err.Error() || domain.ErrorCode(err) != domain.EINTERNAL {
		t.Errorf("internal error shown to user: %q", got)
	}
	c := &domain.Conflict{Deal: 3, By: "U1", At: time.Date(2026, 11, 25, 14, 2, 0, 0, time.UTC)}
	if domain.ErrorCode(c) != domain.ECONFLICT {
		t.Errorf("conflict code = %s", domain.ErrorCode(c))
	}
}

func TestCatalogueHasFrench(t *testing.T) {
	for _, k := range i18n.Keys() {
		if i18n.T(i18n.FR, k) == "" || i18n.T(i18n.EN, k) == "" {
			t.Errorf("%s: empty message", k)
		}
	}
}

func TestStagesMove(t *testing.T) {
	s := domain.DefaultStages()
	proposal, _ := s.Lookup("proposal")
	tests := []struct {
		name     string
		category domain.Category
		want     domain.Category
	}{
		{"FollowsTheStage", domain.Pipeline, domain.BestCase},
		{"KeepsTheRepsChoice", domain.Commit, domain.Commit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openDeal()
			d.Category = tt.category
			s.Move(&d, proposal)
			if d.Stage != "Proposal" || d.Category != tt.want {
				t.Errorf("after Move: %s %s, want Proposal %s", d.Stage, d.Category, tt.want)
			}
		})
	}
}

func TestMatchLossReason(t *testing.T) {
	reasons := []string{"price", "competitor", "no decision"}
	tests := []struct{ typed, want string }{
		{"competitor", "competitor"}, {"COMPET", "competitor"}, {"no dec", "no decision"},
		{"pr", "pr"}, {"went with a cousin", "went with a cousin"}, {"  price ", "price"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			if got := domain.MatchLossReason(reasons, tt.typed); got != tt.want {
				t.Errorf("MatchLossReason(%q) = %q, want %q", tt.typed, got, tt.want)
			}
		})
	}
}

func TestStageSummaryNamesEveryField(t *testing.T) {
	st, _ := domain.DefaultStages().Lookup("proposal")
	d := openDeal()
	err := st.Summary(st.CheckEntry(&d))
	var e *domain.Error
	if !errors.As(err, &e) {
		t.Fatalf("Summary = %v", err)
	}
	if got := i18n.Message(i18n.EN, e); got != "Proposal needs Need, Decision makers, Budget, Timeline." {
		t.Errorf("en = %q", got)
	}
	if got := i18n.Message(i18n.FR, e); got != "Proposal exige : Besoin, Décideurs, Budget, Calendrier." {
		t.Errorf("fr = %q", got)
	}
	if st.Summary(nil) != nil {
		t.Error("no missing field must give no error")
	}
}

// TestStagesNames: the list messages give of the stages there are, in order.
func TestStagesNames(t *testing.T) {
	tests := []struct {
		stages domain.Stages
		want   string
	}{
		{domain.DefaultStages(), "Qualification, Discovery, Demo, Proposal, Negotiation, Closing"},
		{domain.Stages{{Name: "Lead"}}, "Lead"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := tt.stages.Names(); got != tt.want {
			t.Errorf("Names() = %q; want %q", got, tt.want)
		}
	}
}
