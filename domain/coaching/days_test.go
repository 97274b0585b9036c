package coaching_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestStallDays is the reminder's "Stuck in Demo for N days (the team's
// limit is M)": whole days rounded half up, both figures the same way, and a
// tenth when the deal is less than a day over its limit, so the time in the
// stage never reads as equal to the limit it exceeds.
func TestStallDays(t *testing.T) {
	const day = 24 * time.Hour
	days := func(v float64) time.Duration { return time.Duration(v * float64(day)) }
	tests := []struct {
		name           string
		elapsed, limit time.Duration
		en, fr         string // "elapsed/limit"
	}{
		{"22.4Over22", days(22.4), 22 * day, "22.4/22", "22,4/22"},
		{"22.5Over22", days(22.5), 22 * day, "22.5/22", "22,5/22"},
		{"22.6Over22", days(22.6), 22 * day, "22.6/22", "22,6/22"},
		{"22.96Over22", days(22.96), 22 * day, "23/22", "23/22"},            // a tenth rounds to a whole day
		{"OneHourOver", 22*day + time.Hour, 22 * day, "22.1/22", "22,1/22"}, // 22.04 would round to the limit
		{"MinuteOver", 22*day + time.Minute, 22 * day, "22.1/22", "22,1/22"},
		{"ExactlyADayOver", 23 * day, 22 * day, "23/22", "23/22"},
		{"23.4Over22", days(23.4), 22 * day, "23/22", "23/22"},
		{"23.5Over22", days(23.5), 22 * day, "24/22", "24/22"}, // half a day rounds up
		{"23.6Over22", days(23.6), 22 * day, "24/22", "24/22"},
		{"FractionalLimit", days(22.5), days(22.4), "22.5/22.4", "22,5/22,4"},
		{"FractionalLimitClose", days(22.44), days(22.4), "22.5/22.4", "22,5/22,4"}, // never shown at the limit
		{"FarOverFractionalLimit", days(40.5), days(22.5), "41/23", "41/23"},        // both half up
		{"FarOver", 60 * day, 22 * day, "60/22", "60/22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, l := coaching.StallDays(tt.elapsed, tt.limit)
			if got := i18n.Localize(i18n.EN, e) + "/" + i18n.Localize(i18n.EN, l); got != tt.en {
				t.Errorf("en %s, want %s", got, tt.en)
			}
			if got := i18n.Localize(i18n.FR, e) + "/" + i18n.Localize(i18n.FR, l); got != tt.fr {
				t.Errorf("fr %s, want %s", got, tt.fr)
			}
		})
	}
}

func TestWholeDays(t *testing.T) {
	const day = 24 * time.Hour
	for _, tt := range []struct {
		v    time.Duration
		want string
	}{{0, "0"}, {day/2 - time.Minute, "0"}, {day / 2, "1"}, {22*day + 11*time.Hour, "22"}, {22*day + 12*time.Hour, "23"}} {
		if got := coaching.WholeDays(tt.v).String(); got != tt.want {
			t.Errorf("WholeDays(%v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}
