package domain

import "slices"

// Visibility is who reads whose deals, forecasts and KPIs: the
// configuration's visibility setting.
type Visibility string

const (
	// VisibilityTeam, the default: a rep reads their team's data, a
	// manager their teams', an admin everyone's.
	VisibilityTeam Visibility = "team"
	// VisibilityCompany: every configured user reads everyone's data.
	VisibilityCompany Visibility = "company"
)

// Directory is the read rule's view of the company: who is who (Org) and
// who works together.
type Directory interface {
	Org
	// TeamsOf returns the names of the teams user manages or is a member of.
	TeamsOf(user UserID) []string
	// People returns a team's manager and members (none for an unknown team).
	People(team string) []UserID
}

// ReadPath names a way data is read. The rule is the same on every path;
// naming the path keeps every caller honest about what it shows, and lets
// the table test cover each one.
type ReadPath string

// The read paths.
const (
	ReadShow     ReadPath = "show"     // /deal show: a deal's card
	ReadHistory  ReadPath = "history"  // /deal history and the History button
	ReadList     ReadPath = "list"     // /deal list [@user]
	ReadPicker   ReadPath = "picker"   // the deal picker's suggestions and a deal typed by words
	ReadHome     ReadPath = "home"     // App Home
	ReadButton   ReadPath = "button"   // buttons on a deal: Update, Next step, Discount, nudges
	ReadForecast ReadPath = "forecast" // /forecast [@user | team]
	ReadPipeline ReadPath = "pipeline" // /pipeline [@user | team]
	ReadReport   ReadPath = "report"   // a report shown in chat (a team's digest, a manager's summary)
)

// ReadPaths is every read path, for tests.
var ReadPaths = []ReadPath{ReadShow, ReadHistory, ReadList, ReadPicker, ReadHome, ReadButton, ReadForecast, ReadPipeline, ReadReport}

// Read is what someone asks to read: one deal (Deal and its Owner), one
// person's data (Owner: their deals, forecast or KPIs), a team's (Team), or,
// with none of these, the whole company's.
type Read struct {
	Path  ReadPath
	Deal  DealID // set when one deal is read; its refusal is "no such deal"
	Owner UserID
	Team  string
}

// Sight is whose data one person may read, worked out once per request so
// that lists filter by owner before loading anything.
type Sight struct {
	Known bool     // the viewer is in the configuration
	All   bool     // everyone's data
	Teams []string // the teams whose numbers the viewer reads
	// Owners are the people whose deals and numbers the viewer reads
	// (themselves first) when All is false.
	Owners []UserID
}

// Sees returns what viewer may read. Someone the directory does not know
// reads nothing; with VisibilityCompany everyone else reads everything; with
// VisibilityTeam an admin reads everything, anyone else their own data and
// that of the people of the teams they manage or belong to (a team's people
// are its manager and its members).
func Sees(dir Directory, vis Visibility, viewer UserID) Sight {
	if !dir.Knows(viewer) {
		return Sight{}
	}
	if vis == VisibilityCompany || dir.IsAdmin(viewer) {
		return Sight{Known: true, All: true}
	}
	s := Sight{Known: true, Owners: []UserID{viewer}, Teams: dir.TeamsOf(viewer)}
	for _, t := range s.Teams {
		for _, p := range dir.People(t) {
			if !slices.Contains(s.Owners, p) {
				s.Owners = append(s.Owners, p)
			}
		}
	}
	return s
}

// CanRead is the one rule every read path asks: nil when viewer may read r.
// Someone not in the configuration gets the same one-line refusal on every
// path; a deal the viewer may not read is "no such deal", exactly as if it
// did not exist, so a refusal never tells that it does or what it is called.
func CanRead(dir Directory, vis Visibility, viewer UserID, r Read) error {
	return Sees(dir, vis, viewer).Check(r)
}

// Check applies the rule to r with a Sight already worked out.
func (s Sight) Check(r Read) error {
	if !s.Known {
		return Errorf(EFORBIDDEN, "deal.unknown_user")
	}
	if s.All {
		return nil
	}
	switch {
	case r.Deal != 0:
		if !slices.Contains(s.Owners, r.Owner) {
			return Errorf(ENOTFOUND, "deal.not_found", r.Deal.Ref())
		}
	case r.Owner != "":
		if !slices.Contains(s.Owners, r.Owner) {
			return Errorf(EFORBIDDEN, "visibility.user", r.Owner)
		}
	case r.Team != "":
		if !slices.Contains(s.Teams, r.Team) {
			return Errorf(EFORBIDDEN, "visibility.team", r.Team)
		}
	default:
		return Errorf(EFORBIDDEN, "visibility.company")
	}
	return nil
}

// Filter returns the owners a query for deals must be limited to, nil
// for everyone's; an unknown viewer gets Check's refusal instead (an empty
// owner list would mean everyone's to a query).
func (s Sight) Filter() ([]UserID, error) {
	if !s.Known {
		return nil, s.Check(Read{})
	}
	if s.All {
		return nil, nil
	}
	return s.Owners, nil
}
