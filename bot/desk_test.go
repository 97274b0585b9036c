package bot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
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
			p, err := bot.ParsePlan(tt.in, i18n.EN, now)
			if tt.err == "" {
				if err != nil || len(p.Milestones) != tt.n {
					t.Fatalf("ParsePlan = %d milestones, %v", len(p.Milestones), err)
				}
				if back, err := bot.ParsePlan(bot.FormatPlan(p), i18n.EN, now); err != nil || len(back.Milestones) != tt.n {
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
