package bot

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

func TestParsePeriod(t *testing.T) {
	cfg := config.Default()
	cfg.FiscalYearStart = time.April
	b := New(Options{Config: cfg})
	today := domain.NewDate(2026, 11, 25)
	tests := []struct {
		name string
		word string
		from domain.Date
		ok   bool
	}{
		{"Days", "30d", domain.NewDate(2026, 10, 27), true},
		{"Weeks", "2w", domain.NewDate(2026, 11, 12), true},
		{"FrenchWeeks", "2 semaines", domain.NewDate(2026, 11, 12), true},
		{"Month", "month", domain.NewDate(2026, 11, 1), true},
		{"FiscalQuarter", "quarter", domain.NewDate(2026, 10, 1), true},
		{"FiscalYear", "year", domain.NewDate(2026, 4, 1), true},
		// A named period ends today while it runs; one not begun is refused.
		{"NamedQuarterSoFar", "2027-Q3", domain.NewDate(2026, 10, 1), true},
		{"NotBegun", "2027-Q4", domain.Date{}, false},
		{"Zero", "0d", domain.Date{}, false},
		{"Words", "lately", domain.Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := b.ParsePeriod(tt.word, today)
			ok := err == nil
			if ok != tt.ok || (ok && (p.From != tt.from || p.To != today)) {
				t.Errorf("ParsePeriod(%q) = %v, %v; want from %v, %v", tt.word, p, ok, tt.from, tt.ok)
			}
		})
	}
}

func TestSummaryAtFollowsTheDigest(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	monday := domain.NewDate(2026, 11, 30)
	tests := []struct {
		name   string
		digest string
		want   time.Time
	}{
		{"MondayDigest", "0 8 * * MON", time.Date(2026, 11, 30, 8, 0, 0, 0, paris)},
		{"DailyDigest", "30 7 * * *", time.Date(2026, 11, 30, 7, 30, 0, 0, paris)},
		{"FridayDigest", "0 8 * * FRI", time.Date(2026, 11, 30, 9, 0, 0, 0, paris)}, // reminders_at
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Location, cfg.Schedules.Digest = paris, tt.digest
			if got := New(Options{Config: cfg}).summaryAt(monday); !got.Equal(tt.want) {
				t.Errorf("summaryAt = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEveryNudgeHasAMessage(t *testing.T) {
	for _, k := range coaching.Kinds {
		for _, key := range []string{k.MessageKey(), "coach.reason." + string(k)} {
			if !i18n.Has(key) {
				t.Errorf("no message %s", key)
			}
		}
	}
}

func TestReminderKeepsToTheMessageSize(t *testing.T) {
	deals := map[domain.DealID]*domain.Deal{}
	var items []coaching.Nudge
	for i := range maxReminderDeals + 5 {
		id := domain.DealID(i + 1)
		deals[id] = &domain.Deal{ID: id}
		for _, k := range []coaching.Kind{coaching.KindOverdue, coaching.KindStalled} {
			items = append(items, coaching.Nudge{Deal: id, Owner: "U1", Kind: k, Key: string(k) + ":" + id.Ref()})
		}
	}
	r, keys := reminderOf(coaching.DM{Rep: "U1", Items: items}, deals)
	if len(r.Deals) != maxReminderDeals || r.More != 5 {
		t.Errorf("%d deals shown, %d more; want %d and 5", len(r.Deals), r.More, maxReminderDeals)
	}
	// Only what is shown is recorded as sent: the rest comes tomorrow.
	if len(keys) != 2*maxReminderDeals {
		t.Errorf("%d keys recorded, want %d", len(keys), 2*maxReminderDeals)
	}
}
