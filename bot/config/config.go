package config

import (
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

// Config is a loaded and validated configuration. Load and Default return
// it complete: defaults are filled in, so callers never check for zero values.
type Config struct {
	Currency        string         // ISO 4217 code; amounts are minor units of it
	Locale          i18n.Locale    // language and formats of messages
	Location        *time.Location // schedules, and users whose platform gives no time zone
	FiscalYearStart time.Month     // first month of the fiscal year
	Admins          []domain.UserID
	Teams           []Team
	DealDesk        DealDesk
	Schedules       Schedules
	Stages          domain.Stages
	Quotas          []Quota
	// Commissions are the compensation plans (commissions:), per rep or
	// team and period; CommissionFor picks the one that pays a month.
	Commissions []Commission
	// commissionsYAML is the commissions: section as read, comments left
	// out: Setup keeps it so a report reads the plans the bot paid with.
	commissionsYAML string
	LossReasons     []string // the choices offered when a deal is lost
	Nudges          Nudges
	// Visibility is who reads whose deals, forecasts and KPIs
	// (domain.CanRead): team, the default, or company.
	Visibility domain.Visibility
	// Import is how `dealpilot import` reads a CRM's stages and owners
	// (import:).
	Import Import
	// MSTeams is the Microsoft Teams platform's own settings (msteams:;
	// teams: are sales teams). Read only by the Teams transport.
	MSTeams MSTeams
	// Segments (segments:) are the attributes a deal may carry, each with
	// its allowed values (issue 21); none by default.
	Segments segment.Schema
	// ICP (icp:) is the ideal customer profile: for attributes of
	// Segments, the values that fit; empty by default (no fit score).
	ICP segment.ICP
	// Evidence (icp: min_deals, stop_pct) is how many closed deals a
	// segment value needs before its figures say anything and make an ICP
	// proposal, and how far a win rate falls before an ICP value "stopped
	// winning"; segment.DefaultThresholds() by default.
	Evidence segment.Thresholds
}

// MSTeams holds the settings of the Microsoft Teams platform that belong in
// the file rather than the environment (credentials stay in TEAMS_*).
type MSTeams struct {
	// ServiceURL (service_url) is the Bot Framework service the bot posts
	// to before Teams has sent it anything since it started (a digest in a
	// channel after a restart): Teams gives it in every activity, and the
	// last one heard is used from then on. Empty: the bot waits to hear one.
	ServiceURL string
}

// Import maps what a CRM export says onto this configuration: its stages
// (before the CRM's defaults, which crm.DefaultStageMaps gives) and its
// owners (an email, a name or a CRM user id) onto users.
type Import struct {
	Stages []ImportStage
	// Owners is keyed by ImportOwnerKey of what the file writes.
	Owners map[string]domain.UserID
	// Attributes maps segment attributes (segments:) to the header of the
	// file's column holding them, in segments: order (issue 21).
	Attributes []ImportAttribute
}

// ImportAttribute is a segment attribute read from a file's column.
type ImportAttribute struct {
	Name   string // an attribute of segments:
	Header string // the header of its column
}

// ImportStage maps one CRM stage.
type ImportStage struct {
	CRM      string          // the stage as the file writes it
	Stage    string          // a stage of stages:; empty only for a lost one
	Category domain.Category // empty: the stage's own
	Status   domain.Status   // open (the default), won or lost
}

// ImportOwnerKey is how owners are compared: case, surrounding and repeated
// spaces do not matter ("Léa Martin", "lea@example.com").
func ImportOwnerKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Team is a manager and the reps who report to them.
type Team struct {
	Name        string
	Manager     domain.UserID
	Members     []domain.UserID
	Channel     string // the team's forecast channel: the Monday digest goes here
	WinsChannel string // where wins are announced; the team's Channel unless set
	// ManagerSells (manager_sells) counts the manager's own deals in the
	// team as a member's: in its forecast (a line of their own and the
	// team's total), digest, /pipeline and Monday summary. Off by default:
	// the manager's deals then count in the company line only.
	ManagerSells bool
}

// Sellers are the people whose deals are the team's: its members, and its
// manager when ManagerSells (once, even if also listed as a member).
func (t Team) Sellers() []domain.UserID {
	if !t.ManagerSells || t.Manager == "" || slices.Contains(t.Members, t.Manager) {
		return t.Members
	}
	return append(slices.Clip(t.Members), t.Manager)
}

// RoleManager is the approval role every team has: the team's manager.
// The other roles are the keys of DealDesk.Roles.
const RoleManager = "manager"

// DealDesk configures discount approvals.
type DealDesk struct {
	Channel         string                     // where requests are posted; empty: approvers are asked directly
	Roles           map[string][]domain.UserID // approval roles besides manager, and who holds them
	Bands           []Band                     // by ascending UpTo; the last one's UpTo is 100
	ExpireAfterDays int                        // an unanswered request expires after this many days
	// NonStandardTerms maps each kind of non-standard term (payment_terms,
	// custom_sla, extended_trial, other; always all four) to the roles it
	// adds to an approval chain; no roles means it adds none.
	NonStandardTerms map[string][]string
	RequirePlanAbove int // discounts above this percentage need a written plan
}

// Band is a range of discounts and the roles that must approve them, in order.
type Band struct {
	UpTo      int      // percent; the band covers discounts above the previous band's UpTo up to this
	Approvals []string // RoleManager or keys of DealDesk.Roles; empty: no approval needed
}

// Schedules says when the bot speaks unprompted.
type Schedules struct {
	Digest      string    // standard cron spec (or @weekly…), in Config.Location; validated
	RemindersAt TimeOfDay // each rep's own local time
}

// TimeOfDay is a wall-clock time.
type TimeOfDay struct {
	Hour, Minute int
}

// Quota is a rep's (User) or a whole team's (Team) target: exactly one of
// the two is set.
type Quota struct {
	User domain.UserID
	Team string // the team's name as teams spells it
	// Period is month, quarter or year (the target of every fiscal month,
	// quarter or year), or one period's canonical name: "2026-11",
	// "2026-Q4" or "FY2026", by fiscal_year_start.
	Period string
	Amount int64 // minor units of Config.Currency
}

// Quota periods.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
)

// Nudges tunes the reminders about neglected deals.
type Nudges struct {
	Weekends          bool // also nudge on Saturdays and Sundays
	StalledMinDays    int  // a deal is stalled after this many days without a change
	HollowWinDiscount int  // a win with a discount above this percentage is flagged
}

// DefaultLossReasons are offered when a deal is lost unless loss_reasons says otherwise.
var DefaultLossReasons = []string{"price", "competitor", "no decision", "timing", "no budget", "other"}

// defaultTerms are deal_desk.non_standard_terms' defaults. A role the file
// does not define is replaced by manager, so a term is never left without an
// approver.
var defaultTerms = []struct {
	term string
	role string
}{
	{"payment_terms", "finance"},
	{"custom_sla", "vp"},
	{"extended_trial", "vp"},
	{"other", "vp"},
}

// Default returns the configuration used when there is no file: EUR, English,
// UTC, a calendar fiscal year, no teams, discounts up to 10% free and above
// that approved by the manager, a digest at 08:00 on Mondays, reminders at
// 09:00, and the default stages.
func Default() *Config {
	return &Config{
		Currency:        "EUR",
		Locale:          i18n.EN,
		Location:        time.UTC,
		FiscalYearStart: time.January,
		DealDesk: DealDesk{
			Roles:            map[string][]domain.UserID{},
			Bands:            []Band{{UpTo: 10, Approvals: []string{}}, {UpTo: 100, Approvals: []string{RoleManager}}},
			ExpireAfterDays:  14,
			NonStandardTerms: termsFor(nil),
			RequirePlanAbove: 20,
		},
		Schedules:   Schedules{Digest: "0 8 * * MON", RemindersAt: TimeOfDay{Hour: 9}},
		Stages:      domain.DefaultStages(),
		LossReasons: slices.Clone(DefaultLossReasons),
		Nudges:      Nudges{StalledMinDays: 14, HollowWinDiscount: 25},
		Visibility:  domain.VisibilityTeam,
		Evidence:    segment.DefaultThresholds(),
	}
}

// termsFor returns the default non-standard terms for the roles defined.
func termsFor(roles map[string][]domain.UserID) map[string][]string {
	terms := make(map[string][]string, len(defaultTerms))
	for _, t := range defaultTerms {
		role := t.role
		if _, ok := roles[role]; !ok {
			role = RoleManager
		}
		terms[t.term] = []string{role}
	}
	return terms
}

// TeamOf returns the team user is a member of. A rep is in at most one team;
// a manager who is not also a member of a team has none (see TeamsManagedBy).
func (c *Config) TeamOf(user domain.UserID) (*Team, bool) {
	for i := range c.Teams {
		if slices.Contains(c.Teams[i].Members, user) {
			return &c.Teams[i], true
		}
	}
	return nil, false
}

// TeamsManagedBy returns the teams user manages, in file order.
func (c *Config) TeamsManagedBy(user domain.UserID) []*Team {
	var teams []*Team
	for i := range c.Teams {
		if c.Teams[i].Manager == user {
			teams = append(teams, &c.Teams[i])
		}
	}
	return teams
}

// IsAdmin reports whether user is listed in admins.
func (c *Config) IsAdmin(user domain.UserID) bool { return slices.Contains(c.Admins, user) }

// IsManagerOf reports whether manager manages the team rep is a member of.
func (c *Config) IsManagerOf(manager, rep domain.UserID) bool {
	t, ok := c.TeamOf(rep)
	return ok && t.Manager == manager
}

// Knows reports whether user appears anywhere in the file: as an admin, a
// team's manager or member, or a deal desk role holder.
func (c *Config) Knows(user domain.UserID) bool {
	if c.IsAdmin(user) || len(c.TeamsManagedBy(user)) > 0 {
		return true
	}
	if _, ok := c.TeamOf(user); ok {
		return true
	}
	for _, users := range c.DealDesk.Roles {
		if slices.Contains(users, user) {
			return true
		}
	}
	return false
}

// Band returns the band covering a discount, the first whose UpTo is at
// least discountPercent; false when the discount is below 0 or above 100.
// Callers round a fractional discount up (10.5% is 11), so that it never
// falls into a band with fewer approvals than it needs.
func (c *Config) Band(discountPercent int) (Band, bool) {
	if discountPercent < 0 {
		return Band{}, false
	}
	for _, b := range c.DealDesk.Bands {
		if discountPercent <= b.UpTo {
			return b, true
		}
	}
	return Band{}, false
}

// Approvers returns who holds role for a request by rep: the manager of rep's
// team for RoleManager, else the users of the deal desk role. None when rep
// has no team or the role is unknown.
func (c *Config) Approvers(role string, rep domain.UserID) []domain.UserID {
	if role == RoleManager {
		if t, ok := c.TeamOf(rep); ok {
			return []domain.UserID{t.Manager}
		}
		return nil
	}
	return slices.Clone(c.DealDesk.Roles[role])
}

// ManagersOf returns the manager of rep's team (none when rep is in no team).
func (c *Config) ManagersOf(rep domain.UserID) []domain.UserID {
	if t, ok := c.TeamOf(rep); ok {
		return []domain.UserID{t.Manager}
	}
	return nil
}

// TeamsOf returns the names of the teams user manages or is a member of,
// in file order (domain.Directory).
func (c *Config) TeamsOf(user domain.UserID) []string {
	var names []string
	for _, t := range c.Teams {
		if t.Manager == user || slices.Contains(t.Members, user) {
			names = append(names, t.Name)
		}
	}
	return names
}

// People returns the manager and the members of the team named team
// (domain.Directory); none when there is no such team.
func (c *Config) People(team string) []domain.UserID {
	for _, t := range c.Teams {
		if t.Name == team {
			return append([]domain.UserID{t.Manager}, t.Members...)
		}
	}
	return nil
}

// VisibleOwners returns whose deals user works with: everyone's for an
// admin (nil), their own and their teams' for a manager, their own for a rep.
func (c *Config) VisibleOwners(user domain.UserID) []domain.UserID {
	if c.IsAdmin(user) {
		return nil
	}
	owners := []domain.UserID{user}
	for _, t := range c.TeamsManagedBy(user) {
		for _, m := range t.Members {
			if !slices.Contains(owners, m) {
				owners = append(owners, m)
			}
		}
	}
	return owners
}
