package domain

import "time"

// Setup is what the offline reports need of a configuration: a running bot
// keeps the one it started with in its file, so `dealpilot report` on a
// copied file reads the teams, quotas, calendar, stages and currency the
// figures were made with, without the YAML.
type Setup struct {
	Currency        string
	Locale          string // "en" or "fr"
	Timezone        string // an IANA name: "Europe/Paris"
	FiscalYearStart time.Month
	Teams           []SetupTeam
	Quotas          []SetupQuota // as configured (those set with /forecast quota are kept apart)
	Stages          Stages
	LossReasons     []string
	// Nudges are the thresholds the KPIs read (stall limits, the hollow-win
	// level); nil in a file kept before they were (the defaults then).
	Nudges *SetupNudges
	// Commissions is the configuration's commissions: section as YAML
	// (comments left out), read again by the config package's own rules;
	// "" without plans, or in a file kept before plans were.
	Commissions string
}

// SetupNudges are the configured nudges.stalled_min_days and
// nudges.hollow_win_discount (a percentage; 0 flags every discounted win).
type SetupNudges struct {
	StalledMinDays    int
	HollowWinDiscount int
}

// SetupTeam is a team as configured: its manager and members at the time.
type SetupTeam struct {
	Name         string
	Manager      UserID
	Members      []UserID
	ManagerSells bool
}

// SetupQuota is a configured quota: a rep's (User) or a team's (Team), for
// "month", "quarter", "year" or a named period, in minor units.
type SetupQuota struct {
	User   UserID
	Team   string
	Period string
	Amount int64
}
