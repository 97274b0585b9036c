package bot_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// TestCallerZone: the caller's own zone when the platform told it, else the
// company's; Now and Today follow it (22:30 UTC is already tomorrow in
// Tokyo, still today in Paris).
func TestCallerZone(t *testing.T) {
	cfg := securityConfig(t) // Europe/Paris
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	clock := domain.NewManualClock(time.Date(2026, 11, 20, 22, 30, 0, 0, time.UTC))
	b := bot.New(bot.Options{Config: cfg, Clock: clock})
	for _, c := range []struct {
		name  string
		tz    *time.Location
		want  *time.Location
		today domain.Date
	}{
		{"Told", tokyo, tokyo, domain.NewDate(2026, 11, 21)},
		{"NotTold", nil, cfg.Location, domain.NewDate(2026, 11, 20)},
	} {
		t.Run(c.name, func(t *testing.T) {
			caller := bot.Caller{User: "U0REP1", TZ: c.tz}
			if got := b.Zone(caller); got != c.want {
				t.Errorf("Zone = %v, want %v", got, c.want)
			}
			if got := b.Now(caller).Location(); got != c.want {
				t.Errorf("Now is in %v, want %v", got, c.want)
			}
			if got := b.Today(caller); got != c.today {
				t.Errorf("Today = %v, want %v", got, c.today)
			}
		})
	}
}
