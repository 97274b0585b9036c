package coaching

import (
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Settings are the thresholds of the rules and the reminder schedule.
// DefaultSettings returns the values the issue names; bot/config's `nudges:`
// and `schedules.reminders_at` override them.
type Settings struct {
	Stages domain.Stages // the sales process; stage indexes below refer to it

	// Location is the company time zone: the zone of a rep whose own zone is
	// unknown, and the zone in which KPI periods are cut into days.
	// Nil means UTC.
	Location *time.Location

	// A stage's stall limit is StallFactor × the team's median time in that
	// stage, and never less than StallMinDays days.
	StallFactor  int
	StallMinDays int

	// MaxPushes: a deal whose close date has been moved later this many
	// times gets a nudge (slow attrition). 0 turns the rule off.
	MaxPushes int

	// DiscountBandBP is the discount (basis points) above which a request
	// needs the DiscountQualification fields filled in, when the deal desk
	// gives no band of its own (DiscountInfo.BandBP == 0).
	DiscountBandBP        int
	DiscountQualification []domain.Field

	// A deal won with an approved discount above HollowWinBP (basis points)
	// in the last HollowWinDays days (0: ever) is a hollow win.
	HollowWinBP   int
	HollowWinDays int

	// Reminders go out at RemindHour:RemindMinute in each rep's own time
	// zone, and may still go out up to SendWindow later (a restart, a
	// nudge that appeared at 09:30); 0 means until the end of the rep's day.
	RemindHour, RemindMinute int
	SendWindow               time.Duration

	// Weekends: also send reminders on Saturdays and Sundays.
	Weekends bool
}

// DefaultSettings returns the defaults: the default stages, stall limit 2×
// the median and at least 14 days, a nudge at the second push of a close
// date, a 15 % discount band needing need, decision makers, budget and
// timeline, hollow wins above 25 % in the last 30 days, reminders at 09:00
// local time (still sent until 13:00), none on weekends.
func DefaultSettings() Settings {
	return Settings{
		Stages:         domain.DefaultStages(),
		Location:       time.UTC,
		StallFactor:    2,
		StallMinDays:   14,
		MaxPushes:      2,
		DiscountBandBP: 1500,
		DiscountQualification: []domain.Field{
			domain.FieldNeed, domain.FieldDecisionMakers, domain.FieldBudget, domain.FieldTimeline,
		},
		HollowWinBP:   2500,
		HollowWinDays: 30,
		RemindHour:    9,
		SendWindow:    4 * time.Hour,
	}
}

// location returns the company zone, UTC when unset.
func (s *Settings) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

const day = 24 * time.Hour
