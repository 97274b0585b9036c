package desk_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

func milestones(n int) []desk.Milestone {
	ms := make([]desk.Milestone, n)
	for i := range ms {
		ms[i] = desk.Milestone{What: "Step", Side: desk.Ours, Due: domain.NewDate(2026, 12, 1)}
	}
	return ms
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*desk.Plan)
		want   []string
	}{
		{"OK", func(*desk.Plan) {}, nil},
		{"OKEmpty", func(p *desk.Plan) { p.Milestones = nil }, nil},
		{"OKFifty", func(p *desk.Plan) { p.Milestones = milestones(desk.MaxMilestones) }, nil},
		{"OK300Characters", func(p *desk.Plan) { p.Milestones[0].What = strings.Repeat("é", desk.MaxMilestoneLen) }, nil},
		{"ErrFiftyOne", func(p *desk.Plan) { p.Milestones = milestones(desk.MaxMilestones + 1) }, []string{"desk.plan_too_many"}},
		{"ErrThousandIsOneError", func(p *desk.Plan) {
			p.Milestones = milestones(1000)
			p.Milestones[3].What = "" // not reported: the plan is refused as a whole
		}, []string{"desk.plan_too_many"}},
		{"ErrNoWhat", func(p *desk.Plan) { p.Milestones[1].What = "  " }, []string{"desk.milestone_what"}},
		{"ErrTooLong", func(p *desk.Plan) { p.Milestones[0].What = strings.Repeat("é", desk.MaxMilestoneLen+1) },
			[]string{"desk.milestone_too_long"}},
		{"ErrSide", func(p *desk.Plan) { p.Milestones[0].Side = "theirs" }, []string{"desk.milestone_side"}},
		{"ErrNoDue", func(p *desk.Plan) { p.Milestones[1].Due = domain.Date{} }, []string{"desk.milestone_due"}},
		{"ErrAllOfOne", func(p *desk.Plan) { p.Milestones[0] = desk.Milestone{} },
			[]string{"desk.milestone_what", "desk.milestone_side", "desk.milestone_due"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan()
			tt.change(&p)
			if got := keys(t, p.Validate()); !slices.Equal(got, tt.want) {
				t.Fatalf("errors = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanTooManyMessage(t *testing.T) {
	err := desk.Plan{Milestones: milestones(1000)}.Validate()
	for loc, want := range map[i18n.Locale]string{
		i18n.EN: "A plan holds at most 50 milestones, and this one has 1,000; keep the ones that lead to signature.",
		i18n.FR: "Un plan compte au plus 50 jalons, et celui-ci en a 1\u202f000 ; gardez ceux qui mènent à la signature.",
	} {
		if got := i18n.ErrorMessage(loc, err); got != want {
			t.Errorf("%s:\n got %q\nwant %q", loc, got, want)
		}
	}
}

func TestPlanHelpers(t *testing.T) {
	p := plan()
	p.Milestones = append(p.Milestones, desk.Milestone{What: "Kick-off", Side: desk.Customer, Due: domain.NewDate(2026, 11, 10), Done: true})
	if done, total := p.Progress(); done != 1 || total != 3 {
		t.Errorf("Progress = %d/%d, want 1/3", done, total)
	}
	var got []string
	for _, m := range p.Sorted() {
		got = append(got, m.What)
	}
	if want := []string{"Kick-off", "Security review", "Order form sent"}; !slices.Equal(got, want) {
		t.Errorf("Sorted = %v, want %v", got, want)
	}
	if p.Milestones[2].What != "Kick-off" {
		t.Error("Sorted changed the plan")
	}
	for in, want := range map[string]desk.Side{"Ours": desk.Ours, "nous": desk.Ours, "client": desk.Customer, "customer": desk.Customer} {
		if s, ok := desk.ParseSide(in); !ok || s != want {
			t.Errorf("ParseSide(%q) = %q, %v", in, s, ok)
		}
	}
	if _, ok := desk.ParseSide("partner"); ok {
		t.Error("ParseSide(partner) accepted")
	}
}
