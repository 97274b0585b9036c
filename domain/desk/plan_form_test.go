package desk_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

func TestParsePlan(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		n    int    // milestones
		err  string // part of the first error, in English
	}{
		{"OK", "2026-12-01 | customer | Security review | done\n\n2026-12-15 | ours | Order form sent", 2, ""},
		{"French", "2026-12-01 | client | Revue sécurité | fait", 1, ""},
		{"Empty", "  \n", 0, ""},
		{"ErrShape", "2026-12-01 Security review", 0, "Milestone 1: write it as"},
		{"ErrDate", "2026-13-01 | customer | Review", 0, "Milestone 1: '2026-13-01' is not a date"},
		{"ErrSide", "2026-12-01 | partner | Review", 0, "Milestone 1: say whose side"},
		{"ErrDone", "2026-12-01 | ours | Review | maybe", 0, "end the line with done"},
		{"ErrWhat", "2026-12-01 | ours |  ", 0, "Milestone 1: say what is to be done"},
		{"ErrThousand", strings.Repeat("2026-12-01 | ours | x\n", 1000), 0, "at most 50 milestones, and this one has 1,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := desk.ParsePlan(tt.in, i18n.EN, now)
			if tt.err == "" {
				if err != nil || len(p.Milestones) != tt.n {
					t.Fatalf("ParsePlan = %d milestones, %v", len(p.Milestones), err)
				}
				if back, err := desk.ParsePlan(desk.FormatPlan(p), i18n.EN, now); err != nil || len(back.Milestones) != tt.n {
					t.Errorf("FormatPlan does not read back: %v", err)
				}
				return
			}
			var es domain.Errors
			if !errors.As(err, &es) || !strings.Contains(i18n.ErrorMessage(i18n.EN, es[0]), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if es[0].Field != desk.FieldPlan {
				t.Errorf("error on %q", es[0].Field)
			}
		})
	}
}

// TestPlanForm holds the plan form to each rule in the order Apply says:
// every row also breaks every rule after its own.
func TestPlanForm(t *testing.T) {
	saved := desk.StoredPlan{Plan: plan(), Version: 3, By: mgr, At: t0.Add(-time.Hour)}
	good := "2026-12-01 | customer | Security review | done\n2026-12-15 | ours | Order form sent"
	for _, tt := range []struct {
		name   string
		by     domain.UserID
		opened uint64
		text   string
		cur    desk.StoredPlan
		want   string
	}{
		{name: "ErrForbiddenFirst", by: "U0STRANGER", opened: 1, text: "not a plan", cur: saved, want: "forbidden deal.forbidden"},
		{name: "ErrEveryLine", by: rep, opened: 1, text: "not a plan\n2026-13-01 | partner | Review | maybe", cur: saved,
			want: "plan:deskbot.plan.line plan:deskbot.plan.date plan:desk.milestone_side plan:deskbot.plan.done"},
		{name: "ErrTooMany", by: rep, opened: 1, text: strings.Repeat("2026-12-01 | ours | x\n", desk.MaxMilestones+1), cur: saved,
			want: "plan:desk.plan_too_many"},
		{name: "ErrSavedSince", by: rep, opened: 2, text: good, cur: saved, want: "conflict v0"},
		{name: "ErrNoVersion", by: rep, opened: 0, text: good, cur: saved, want: "invalid form.no_version"},
		{name: "ErrFutureVersion", by: rep, opened: 4, text: good, cur: saved, want: "invalid form.no_version"},
		{name: "ErrFutureVersionOfNoPlan", by: rep, opened: 2, text: good, cur: desk.StoredPlan{Version: 1}, want: "invalid form.no_version"},
		{name: "OK", by: rep, opened: 3, text: good, cur: saved, want: "ok"},
		{name: "OKByTheManager", by: mgr, opened: 3, text: good, cur: saved, want: "ok"},
		{name: "OKFirstPlan", by: rep, opened: 1, text: good, cur: desk.StoredPlan{Version: 1}, want: "ok"},
		{name: "OKEmptied", by: rep, opened: 3, text: " \n", cur: saved, want: "ok"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := desk.PlanForm{
				Submission: domain.Submission{Values: map[domain.Field]string{desk.FieldPlan: tt.text}, Opened: tt.opened, By: tt.by},
				Deal:       12, Org: team{}, Locale: i18n.EN, Now: t0,
			}
			p, err := f.Apply(formDeal(), tt.cur)
			if got := requestOutcome(err); got != tt.want {
				t.Fatalf("Apply = %s; want %s", got, tt.want)
			}
			var c *domain.Conflict
			if errors.As(err, &c) {
				// Who saved which plan, and when.
				ch := c.Changes[0]
				if c.Deal != 12 || c.By != mgr || !c.At.Equal(saved.At) || c.Currency != "EUR" || ch.Field != desk.FieldPlan ||
					ch.By != mgr || ch.New != "2026-11-20 Security review; 2026-11-27 Order form sent" {
					t.Errorf("conflict %+v", c)
				}
			}
			if err != nil {
				if len(p.Milestones) != 0 {
					t.Errorf("a refusal returned a plan: %+v", p)
				}
				return
			}
			if want, _ := desk.ParsePlan(tt.text, i18n.EN, t0); !reflect.DeepEqual(p, want) {
				t.Errorf("saved %+v; want %+v", p, want)
			}
		})
	}
}
