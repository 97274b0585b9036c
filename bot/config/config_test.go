package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// testIDs are the id rules these tests load files with. bot/config has no
// rule of its own: a transport supplies one (bot/slack's IDs, whose
// messages are tested there).
var testIDs = IDs{
	User:    IDRule{Match: func(s string) bool { return len(s) > 2 && strings.HasPrefix(s, "U0") }, What: "a test user id (U0 then more)"},
	Channel: IDRule{Match: func(s string) bool { return len(s) > 2 && strings.HasPrefix(s, "C0") }, What: "a test channel id (C0 then more)"},
}

// base is the example from the issue, without comments.
const base = `currency: EUR
locale: en
timezone: Europe/Paris
fiscal_year_start: 1
admins: [U0ADMIN]
teams:
  - name: France
    manager: U0MGR
    members: [U0REP1, U0REP2]
    channel: C0FORECAST
deal_desk:
  channel: C0DESK
  roles: { vp: [U0VP], finance: [U0FIN] }
  bands:
    - { up_to: 10,  approvals: [] }
    - { up_to: 20,  approvals: [manager] }
    - { up_to: 35,  approvals: [manager, vp] }
    - { up_to: 100, approvals: [manager, vp, finance] }
  expire_after_days: 14
schedules:
  digest: "0 8 * * MON"
  reminders_at: "09:00"
`

// withTeams adds teams after base's France.
func withTeams(teams string) string {
	return strings.Replace(base, "deal_desk:\n", teams+"deal_desk:\n", 1)
}

// writeFile writes a config file named dealpilot.yaml in a temporary directory.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dealpilot.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadExample(t *testing.T) {
	for _, tt := range []struct {
		name, content string
	}{
		{"Issue", base},
		{"Annotated", Example()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(writeFile(t, tt.content), true, testIDs)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if cfg.Currency != "EUR" || cfg.Locale != i18n.EN || cfg.Location.String() != "Europe/Paris" || cfg.FiscalYearStart != time.January {
				t.Errorf("top-level values: %+v", cfg)
			}
			if len(cfg.Teams) != 1 || cfg.Teams[0].Manager != "U0MGR" || len(cfg.Teams[0].Members) != 2 || cfg.Teams[0].Channel != "C0FORECAST" {
				t.Errorf("teams: %+v", cfg.Teams)
			}
			if len(cfg.DealDesk.Bands) != 4 || cfg.DealDesk.Bands[2].UpTo != 35 || strings.Join(cfg.DealDesk.Bands[3].Approvals, ",") != "manager,vp,finance" {
				t.Errorf("bands: %+v", cfg.DealDesk.Bands)
			}
			if cfg.DealDesk.ExpireAfterDays != 14 || cfg.Schedules.Digest != "0 8 * * MON" || cfg.Schedules.RemindersAt != (TimeOfDay{9, 0}) {
				t.Errorf("deal desk or schedules: %+v %+v", cfg.DealDesk, cfg.Schedules)
			}
			if len(cfg.Stages) != 6 || cfg.Stages[3].Name != "Proposal" || cfg.Stages[3].Category != domain.BestCase {
				t.Errorf("stages: %+v", cfg.Stages)
			}
			if got := strings.Join(cfg.DealDesk.NonStandardTerms["payment_terms"], ","); got != "finance" {
				t.Errorf("payment_terms approvals = %s, want finance", got)
			}
		})
	}
}

func TestExampleOptionalKeys(t *testing.T) {
	cfg, err := Parse("example.yaml", []byte(Example()), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Teams[0].WinsChannel != "C0WINS" {
		t.Errorf("wins_channel = %q", cfg.Teams[0].WinsChannel)
	}
	if len(cfg.Quotas) != 2 || cfg.Quotas[0] != (Quota{User: "U0REP1", Period: PeriodQuarter, Amount: 15_000_000}) {
		t.Errorf("quotas = %+v", cfg.Quotas)
	}
	if len(cfg.LossReasons) != 6 || cfg.LossReasons[2] != "no decision" {
		t.Errorf("loss reasons = %q", cfg.LossReasons)
	}
	if cfg.Nudges != (Nudges{Weekends: false, StalledMinDays: 14, HollowWinDiscount: 25}) || cfg.DealDesk.RequirePlanAbove != 20 {
		t.Errorf("nudges = %+v, require_plan_above = %d", cfg.Nudges, cfg.DealDesk.RequirePlanAbove)
	}
	if cfg.Visibility != domain.VisibilityTeam {
		t.Errorf("visibility = %q", cfg.Visibility)
	}
	company, err := Parse("company.yaml", []byte(base+"visibility: company\n"), testIDs)
	if err != nil || company.Visibility != domain.VisibilityCompany {
		t.Errorf("visibility: company = %v, %v", company, err)
	}
}

func TestDefaults(t *testing.T) {
	t.Run("MissingDefaultFile", func(t *testing.T) {
		cfg, err := Load(filepath.Join(t.TempDir(), "dealpilot.yaml"), false, testIDs)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Currency != "EUR" || cfg.Locale != i18n.EN || cfg.Location != time.UTC || len(cfg.Stages) != len(domain.DefaultStages()) {
			t.Errorf("defaults = %+v", cfg)
		}
		if b, ok := cfg.Band(15); !ok || strings.Join(b.Approvals, ",") != RoleManager {
			t.Errorf("default band for 15%% = %+v, %v", b, ok)
		}
		if got := cfg.DealDesk.NonStandardTerms["payment_terms"]; len(got) != 1 || got[0] != RoleManager {
			t.Errorf("default payment_terms approvals without a finance role = %v, want [manager]", got)
		}
	})
	t.Run("MissingExplicitFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "mine.yaml")
		_, err := Load(path, true, testIDs)
		if err == nil || !strings.Contains(err.Error(), "mine.yaml") {
			t.Errorf("Load(missing, explicit) = %v, want an error naming the file", err)
		}
	})
	t.Run("EmptyFile", func(t *testing.T) {
		cfg, err := Load(writeFile(t, "# nothing yet\n"), true, testIDs)
		if err != nil || cfg.Currency != "EUR" {
			t.Errorf("Load(empty) = %+v, %v", cfg, err)
		}
	})
	t.Run("DefaultIsFresh", func(t *testing.T) {
		a := Default()
		a.LossReasons[0] = "changed"
		a.Stages[0].Name = "changed"
		if b := Default(); b.LossReasons[0] == "changed" || b.Stages[0].Name == "changed" {
			t.Error("Default shares its slices between calls")
		}
	})
	t.Run("OptionalKeysDefault", func(t *testing.T) {
		cfg, err := Parse("dealpilot.yaml", []byte(base), testIDs)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Teams[0].WinsChannel != "C0FORECAST" {
			t.Errorf("wins_channel defaults to %q, want the team channel", cfg.Teams[0].WinsChannel)
		}
		if strings.Join(cfg.LossReasons, ",") != "price,competitor,no decision,timing,no budget,other" {
			t.Errorf("loss reasons = %q", cfg.LossReasons)
		}
		if cfg.Nudges != (Nudges{StalledMinDays: 14, HollowWinDiscount: 25}) || cfg.DealDesk.RequirePlanAbove != 20 {
			t.Errorf("nudges = %+v", cfg.Nudges)
		}
		if cfg.Visibility != domain.VisibilityTeam {
			t.Errorf("visibility defaults to %q, want team", cfg.Visibility)
		}
		want := map[string]string{"payment_terms": "finance", "custom_sla": "vp", "extended_trial": "vp", "other": "vp"}
		for term, role := range want {
			if got := strings.Join(cfg.DealDesk.NonStandardTerms[term], ","); got != role {
				t.Errorf("non_standard_terms.%s = %s, want %s", term, got, role)
			}
		}
	})
}

// TestLoadErrors loads broken files. In each, the line marked "# <-" is the
// one the error must name, with the key path and a part of the message.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		key     string
		msg     string
	}{
		{"UnknownTopKey", "currency: EUR\ncolour: blue # <-\n", "colour", "unknown key"},
		{"UnknownKeyAtDepth", strings.Replace(base, "    - { up_to: 20,  approvals: [manager] }", "    - { up_to: 20,  approvals: [manager], note: x } # <-", 1),
			"deal_desk.bands[1].note", "unknown key"},
		{"ManagerSellsNotBool", strings.Replace(base, "    channel: C0FORECAST", "    channel: C0FORECAST\n    manager_sells: often # <-", 1), "teams[0].manager_sells", "want true or false"},
		{"ManagerSellsButMemberElsewhere", strings.Replace(base, "    channel: C0FORECAST", "    channel: C0FORECAST\n  - name: Spain\n    manager: U0REP1\n    members: [U0REP9]\n    channel: C0SPAIN\n    manager_sells: true # <-", 1),
			"teams[1].manager_sells", `U0REP1 is a member of team "France"`},
		{"ManagerSellsInTwoTeams", strings.Replace(base, "    channel: C0FORECAST", "    channel: C0FORECAST\n    manager_sells: true\n  - name: Spain\n    manager: U0MGR\n    members: [U0REP9]\n    channel: C0SPAIN\n    manager_sells: true # <-", 1),
			"teams[1].manager_sells", `already count in team "France"`},
		{"UnknownTeamKey", strings.Replace(base, "    channel: C0FORECAST", "    channel: C0FORECAST\n    chanel: C0X # <-", 1), "teams[0].chanel", "unknown key"},
		{"RepeatedKey", "locale: en\nlocale: fr # <-\n", "locale", "repeated key"},
		{"BadCron", strings.Replace(base, `digest: "0 8 * * MON"`, `digest: "0 8 * * MONDAY" # <-`, 1), "schedules.digest", "not a usable schedule"},
		{"CronTooFewFields", strings.Replace(base, `digest: "0 8 * * MON"`, `digest: "0 8 *" # <-`, 1), "schedules.digest", "not a usable schedule"},
		{"CronTZPrefix", strings.Replace(base, `digest: "0 8 * * MON"`, `digest: "TZ=Europe/Paris" # <-`, 1), "schedules.digest", "TZ="},
		{"CronEvery", strings.Replace(base, `digest: "0 8 * * MON"`, `digest: "@every 1m" # <-`, 1), "schedules.digest", "@every"},
		{"CronNever", strings.Replace(base, `digest: "0 8 * * MON"`, `digest: "0 8 30 2 *" # <-`, 1), "schedules.digest", "never runs"},
		{"BadRemindersAt", strings.Replace(base, `reminders_at: "09:00"`, `reminders_at: "9h" # <-`, 1), "schedules.reminders_at", "HH:MM"},
		{"RemindersAt25", strings.Replace(base, `reminders_at: "09:00"`, `reminders_at: "25:00" # <-`, 1), "schedules.reminders_at", "HH:MM"},
		{"MalformedUserID", strings.Replace(base, "admins: [U0ADMIN]", "admins: [u0admin] # <-", 1), "admins[0]", "not a test user id"},
		{"UserName", strings.Replace(base, "    manager: U0MGR", "    manager: \"@marie\" # <-", 1), "teams[0].manager", "not a test user id"},
		{"MalformedChannelID", strings.Replace(base, "    channel: C0FORECAST", "    channel: \"#forecast\" # <-", 1), "teams[0].channel", "not a test channel id"},
		{"ShortChannelID", strings.Replace(base, "  channel: C0DESK", "  channel: C # <-", 1), "deal_desk.channel", "not a test channel id"},
		{"OverlappingBands", strings.Replace(base, "    - { up_to: 35,  approvals: [manager, vp] }", "    - { up_to: 35,  approvals: [manager, vp] }\n    - { up_to: 20,  approvals: [manager] } # <-", 1),
			"deal_desk.bands[3].up_to", "bands overlap: 20 is not above the previous band's 35"},
		{"EqualBands", strings.Replace(base, "    - { up_to: 20,  approvals: [manager] }", "    - { up_to: 10,  approvals: [manager] } # <-", 1),
			"deal_desk.bands[1].up_to", "bands overlap: 10 is not above the previous band's 10"},
		{"LastBandNot100", strings.Replace(base, "    - { up_to: 100, approvals: [manager, vp, finance] }", "    - { up_to: 50, approvals: [manager, vp, finance] } # <-", 1),
			"deal_desk.bands[3].up_to", "last band must go up to 100"},
		{"BandAbove100", strings.Replace(base, "    - { up_to: 100, approvals: [manager, vp, finance] }", "    - { up_to: 101, approvals: [manager, vp, finance] } # <-", 1),
			"deal_desk.bands[3].up_to", "101 is not from 1 to 100"},
		{"BandZero", strings.Replace(base, "    - { up_to: 10,  approvals: [] }", "    - { up_to: 0,  approvals: [] } # <-", 1),
			"deal_desk.bands[0].up_to", "0 is not from 1 to 100"},
		{"UnknownRole", strings.Replace(base, "    - { up_to: 35,  approvals: [manager, vp] }", "    - { up_to: 35,  approvals: [manager, cfo] } # <-", 1),
			"deal_desk.bands[2].approvals[1]", `unknown role "cfo"; the roles are manager, finance, vp`},
		{"ManagerIsBuiltIn", strings.Replace(base, "  roles: { vp: [U0VP], finance: [U0FIN] }", "  roles: { vp: [U0VP], manager: [U0FIN] } # <-", 1),
			"deal_desk.roles.manager", "built in"},
		{"EmptyRole", strings.Replace(base, "  roles: { vp: [U0VP], finance: [U0FIN] }", "  roles: { vp: [U0VP], finance: [] } # <-", 1),
			"deal_desk.roles.finance", "at least one user"},
		{"UnknownTermRole", strings.Replace(base, "  expire_after_days: 14", "  expire_after_days: 14\n  non_standard_terms:\n    payment_terms: [cfo] # <-", 1), "deal_desk.non_standard_terms.payment_terms[0]", "unknown role"},
		{"UnknownTerm", strings.Replace(base, "  expire_after_days: 14", "  expire_after_days: 14\n  non_standard_terms:\n    free_beer: [vp] # <-", 1),
			"deal_desk.non_standard_terms.free_beer", "unknown term; the terms are payment_terms, custom_sla, extended_trial, other"},
		{"ExpireZero", strings.Replace(base, "  expire_after_days: 14", "  expire_after_days: 0 # <-", 1), "deal_desk.expire_after_days", "not from 1 to 365"},
		{"BadTimezone", strings.Replace(base, "timezone: Europe/Paris", "timezone: Europe/Lyon # <-", 1), "timezone", "not a time zone"},
		{"LocalTimezone", strings.Replace(base, "timezone: Europe/Paris", "timezone: Local # <-", 1), "timezone", "not a time zone"},
		{"BadLocale", strings.Replace(base, "locale: en", "locale: de # <-", 1), "locale", "use en or fr"},
		{"BadVisibility", base + "visibility: everyone # <-\n", "visibility", `"everyone" is not a visibility; use team`},
		{"VisibilityCase", base + "visibility: Team # <-\n", "visibility", `"Team" is not a visibility`},
		{"VisibilityEmpty", base + "visibility: # <-\n", "visibility", "missing value"},
		{"VisibilityList", base + "visibility: [team] # <-\n", "visibility", "not a list"},
		{"BadCurrency", strings.Replace(base, "currency: EUR", "currency: eur # <-", 1), "currency", "ISO 4217"},
		{"UnknownCurrency", strings.Replace(base, "currency: EUR", "currency: XYZ # <-", 1), "currency", "ISO 4217"},
		{"FiscalYearStartJan", strings.Replace(base, "fiscal_year_start: 1", "fiscal_year_start: jan # <-", 1), "fiscal_year_start", `want a whole number from 1 to 12, not "jan"`},
		{"FiscalYearStart13", strings.Replace(base, "fiscal_year_start: 1", "fiscal_year_start: 13 # <-", 1), "fiscal_year_start", "13 is not from 1 to 12"},
		{"FiscalYearStartQuoted", strings.Replace(base, "fiscal_year_start: 1", `fiscal_year_start: "1" # <-`, 1), "fiscal_year_start", "want a whole number"},
		{"ListForScalar", strings.Replace(base, "locale: en", "locale: [en] # <-", 1), "locale", "not a list"},
		{"ScalarForList", strings.Replace(base, "admins: [U0ADMIN]", "admins: U0ADMIN # <-", 1), "admins", "want a list"},
		{"MappingForTeams", "teams:\n  x: 1 # <-\n", "teams", "want a list"},
		{"DuplicateStage", base + "stages:\n  - { name: Demo, probability: 40, category: upside }\n  - { name: demo, probability: 50, category: upside } # <-\n",
			"stages[1].name", "stage demo is listed twice"},
		{"StageBadProbability", base + "stages:\n  - name: Demo\n    probability: 140 # <-\n    category: upside\n",
			"stages[0].probability", "probability 140 is not between 0 and 100"},
		{"StageBadCategory", base + "stages:\n  - name: Demo\n    probability: 40\n    category: maybe # <-\n",
			"stages[0].category", "'maybe' is not a forecast category"},
		{"StageBadRequiredField", base + "stages:\n  - name: Demo\n    probability: 40\n    category: upside\n    requires: [need, budjet] # <-\n",
			"stages[0].requires[1]", "'budjet' is not a field a stage can require"},
		{"StageMissingName", base + "stages:\n  - { probability: 40, category: upside } # <-\n", "stages[0].name", "missing"},
		{"NoStages", base + "stages: [] # <-\n", "stages", "at least one stage"},
		{"TeamMissingManager", strings.Replace(base, "  - name: France\n    manager: U0MGR\n", "  - name: France # <-\n", 1), "teams[0].manager", "missing"},
		{"TeamNoMembers", strings.Replace(base, "    members: [U0REP1, U0REP2]", "    members: [] # <-", 1), "teams[0].members", "at least one member"},
		{"RepInTwoTeams", withTeams("  - name: Belgium\n    manager: U0MGR\n    members: [U0REP3, U0REP2] # <-\n    channel: C0BE\n"),
			"teams[1].members[1]", `U0REP2 is already a member of team "France"`},
		{"DuplicateTeam", withTeams("  - name: france # <-\n    manager: U0MGR\n    members: [U0REP3]\n    channel: C0BE\n"), "teams[1].name", "listed twice"},
		{"DuplicateMember", strings.Replace(base, "    members: [U0REP1, U0REP2]", "    members: [U0REP1, U0REP1] # <-", 1), "teams[0].members[1]", "listed twice"},
		{"EmptyTeamEntry", strings.Replace(base, "teams:\n", "teams:\n  - # <-\n", 1), "teams[0]", "empty entry"},
		{"QuotaForStranger", base + "quotas:\n  - { user: U0NOBODY, period: quarter, amount: 1000 } # <-\n", "quotas[0].user", "in no team"},
		{"QuotaBadPeriod", base + "quotas:\n  - { user: U0REP1, period: week, amount: 1000 } # <-\n", "quotas[0].period", "not a period"},
		{"QuotaNegative", base + "quotas:\n  - { user: U0REP1, period: year, amount: -5 } # <-\n", "quotas[0].amount", "not from 1"},
		{"QuotaBadNamedPeriod", base + "quotas:\n  - { user: U0REP1, period: 2026-Q5, amount: 1000 } # <-\n", "quotas[0].period", "name one such as 2026-Q4"},
		{"QuotaUserAndTeam", base + "quotas:\n  - { user: U0REP1, team: France, period: year, amount: 1000 } # <-\n", "quotas[0].team", "not both"},
		{"QuotaNobody", base + "quotas:\n  - { period: year, amount: 1000 } # <-\n", "quotas[0]", "say whose quota"},
		{"QuotaUnknownTeam", base + "quotas:\n  - { team: Spain, period: year, amount: 1000 } # <-\n", "quotas[0].team", `no team "Spain"`},
		{"QuotaNamedTwice", base + "quotas:\n  - { team: France, period: 2026-q4, amount: 5 }\n  - { team: france, period: 2026-Q4, amount: 6 } # <-\n", "quotas[1]", "team France already has a 2026-Q4 quota"},
		{"QuotaTwice", base + "quotas:\n  - { user: U0REP1, period: year, amount: 5 }\n  - { user: U0REP1, period: year, amount: 6 } # <-\n", "quotas[1]", "already has a year quota"},
		{"LossReasonsEmpty", base + "loss_reasons: [] # <-\n", "loss_reasons", "at least one reason"},
		{"LossReasonTwice", base + "loss_reasons:\n  - price\n  - Price # <-\n", "loss_reasons[1]", "listed twice"},
		{"NudgesWeekendsNotBool", base + "nudges:\n  weekends: sometimes # <-\n", "nudges.weekends", "want true or false"},
		{"HollowWin101", base + "nudges:\n  hollow_win_discount: 101 # <-\n", "nudges.hollow_win_discount", "not from 0 to 100"},
		{"RequirePlanAbove", strings.Replace(base, "  expire_after_days: 14", "  expire_after_days: 14\n  require_plan_above: 120 # <-", 1), "deal_desk.require_plan_above", "not from 0 to 100"},
		{"Alias", "admins: &a [U0ADMIN] # <-\n", "", "aliases"},
		{"SecondDocument", "locale: en\n--- # <-\nlocale: fr\n", "", "second YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := markedLine(tt.content)
			path := writeFile(t, tt.content)
			_, err := Load(path, true, testIDs)
			if err == nil {
				t.Fatalf("Load accepted:\n%s", tt.content)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Load returned %T %v, want Errors", err, err)
			}
			prefix := path + ":"
			if line > 0 {
				prefix += itoa(line) + ":"
			}
			if tt.key != "" {
				prefix += " " + tt.key + ":"
			}
			for _, e := range es {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no error starts with %q and mentions %q; got:\n%v", prefix, tt.msg, err)
		})
	}
}

func TestNonStandardTerms(t *testing.T) {
	content := strings.Replace(base, "  expire_after_days: 14", "  expire_after_days: 14\n  non_standard_terms: { custom_sla: [manager, vp], other: [] }", 1)
	cfg, err := Parse("dealpilot.yaml", []byte(content), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"payment_terms": "finance", "custom_sla": "manager,vp", "extended_trial": "vp", "other": ""}
	for term, roles := range want {
		if got := strings.Join(cfg.DealDesk.NonStandardTerms[term], ","); got != roles {
			t.Errorf("%s = %q, want %q", term, got, roles)
		}
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	path := writeFile(t, "locale: en\nteams:\n  - name: [unclosed\n")
	_, err := Load(path, true, testIDs)
	if err == nil || !strings.HasPrefix(err.Error(), path+":") || !strings.Contains(err.Error(), "not valid YAML") {
		t.Errorf("Load = %v, want a YAML error naming %s and a line", err, path)
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	content := strings.NewReplacer("locale: en", "locale: de", "fiscal_year_start: 1", "fiscal_year_start: 0", "admins: [U0ADMIN]", "admins: [nope]").Replace(base)
	_, err := Parse("dealpilot.yaml", []byte(content), testIDs)
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Errorf("Parse = %v, want three errors", err)
	}
	if !strings.HasPrefix(err.Error(), "dealpilot.yaml:2: locale: ") {
		t.Errorf("errors are not in file order: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	content := withTeams(`  - name: Belgium
    manager: U0MGR
    members: [U0REP3]
    channel: C0BE
  - name: Swiss
    manager: U0MGR2
    members: [U0REP4]
    channel: C0CH
`)
	cfg, err := Parse("dealpilot.yaml", []byte(content), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if team, ok := cfg.TeamOf("U0REP3"); !ok || team.Name != "Belgium" {
		t.Errorf("TeamOf(U0REP3) = %v, %v", team, ok)
	}
	if _, ok := cfg.TeamOf("U0MGR"); ok {
		t.Error("a manager who is no member has no team")
	}
	if teams := cfg.TeamsManagedBy("U0MGR"); len(teams) != 2 || teams[0].Name != "France" || teams[1].Name != "Belgium" {
		t.Errorf("TeamsManagedBy(U0MGR) = %v", teams)
	}
	checks := []struct {
		name string
		got  bool
		want bool
	}{
		{"IsAdmin", cfg.IsAdmin("U0ADMIN"), true},
		{"IsNotAdmin", cfg.IsAdmin("U0MGR"), false},
		{"IsManagerOf", cfg.IsManagerOf("U0MGR", "U0REP1"), true},
		{"IsManagerOfOtherTeam", cfg.IsManagerOf("U0MGR", "U0REP3"), true},
		{"IsNotManagerOf", cfg.IsManagerOf("U0MGR2", "U0REP1"), false},
		{"RepIsNotManager", cfg.IsManagerOf("U0REP1", "U0REP2"), false},
		{"KnowsRep", cfg.Knows("U0REP4"), true},
		{"KnowsRoleHolder", cfg.Knows("U0FIN"), true},
		{"KnowsNotStranger", cfg.Knows("U0STRANGER"), false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	bands := []struct {
		discount int
		upTo     int
		ok       bool
	}{{0, 10, true}, {10, 10, true}, {11, 20, true}, {35, 35, true}, {36, 100, true}, {100, 100, true}, {101, 0, false}, {-1, 0, false}}
	for _, b := range bands {
		got, ok := cfg.Band(b.discount)
		if ok != b.ok || got.UpTo != b.upTo {
			t.Errorf("Band(%d) = %+v, %v; want up_to %d, %v", b.discount, got, ok, b.upTo, b.ok)
		}
	}
	if got := cfg.Approvers(RoleManager, "U0REP4"); len(got) != 1 || got[0] != "U0MGR2" {
		t.Errorf("Approvers(manager, U0REP4) = %v", got)
	}
	if got := cfg.Approvers("vp", "U0REP4"); len(got) != 1 || got[0] != "U0VP" {
		t.Errorf("Approvers(vp, U0REP4) = %v", got)
	}
}

// markedLine returns the 1-based number of the line marked "# <-", or 0.
func markedLine(content string) int {
	for i, l := range strings.Split(content, "\n") {
		if strings.Contains(l, "# <-") {
			return i + 1
		}
	}
	return 0
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return fmtInt(n/10) + string(rune('0'+n%10))
}

func TestNamedAndTeamQuotas(t *testing.T) {
	content := strings.Replace(Example(), "  - { user: U0REP2, period: quarter, amount: 120000 }",
		"  - { user: U0REP2, period: \"2026-q4\", amount: 120000 }\n  - { user: U0REP2, period: 2026-11, amount: 40000 }\n  - { team: france, period: FY2026, amount: 900000 }", 1)
	cfg, err := Parse("example.yaml", []byte(content), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	want := []Quota{
		{User: "U0REP1", Period: PeriodQuarter, Amount: 15_000_000},
		{User: "U0REP2", Period: "2026-Q4", Amount: 12_000_000},
		{User: "U0REP2", Period: "2026-11", Amount: 4_000_000},
		{Team: cfg.Teams[0].Name, Period: "FY2026", Amount: 90_000_000},
	}
	if len(cfg.Quotas) != len(want) {
		t.Fatalf("quotas = %+v", cfg.Quotas)
	}
	for i := range want {
		if cfg.Quotas[i] != want[i] {
			t.Errorf("quotas[%d] = %+v, want %+v", i, cfg.Quotas[i], want[i])
		}
	}
}

// TestManagerSells: manager_sells adds the manager to the team's sellers
// (once); off, the sellers are the members.
func TestManagerSells(t *testing.T) {
	on := strings.Replace(base, "    channel: C0FORECAST", "    channel: C0FORECAST\n    manager_sells: true", 1)
	for _, tc := range []struct {
		name, yaml string
		want       []domain.UserID
	}{
		{"Off", base, []domain.UserID{"U0REP1", "U0REP2"}},
		{"On", on, []domain.UserID{"U0REP1", "U0REP2", "U0MGR"}},
		{"OnAndListed", strings.Replace(on, "members: [U0REP1, U0REP2]", "members: [U0REP1, U0MGR]", 1), []domain.UserID{"U0REP1", "U0MGR"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("t.yaml", []byte(tc.yaml), testIDs)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Teams[0].Sellers(); !slices.Equal(got, tc.want) {
				t.Errorf("sellers %v, want %v", got, tc.want)
			}
		})
	}
}
