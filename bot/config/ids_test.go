package config

import (
	"errors"
	"strings"
	"testing"
)

// TestIDsFromTheTransport: the file's ids are checked by the rules passed
// in, each refusal saying what the transport's ids look like; a rule left
// out refuses every id instead of letting any through.
func TestIDsFromTheTransport(t *testing.T) {
	content := strings.Replace(strings.Replace(base, "admins: [U0ADMIN]", `admins: ["@marie"]`, 1),
		"  channel: C0DESK", "  channel: \"#deal-desk\"", 1)
	_, err := Parse("dealpilot.yaml", []byte(content), testIDs)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v, want Errors", err)
	}
	want := []string{
		`dealpilot.yaml:5: admins[0]: "@marie" is not a test user id (U0 then more)`,
		`dealpilot.yaml:12: deal_desk.channel: "#deal-desk" is not a test channel id (C0 then more)`,
	}
	if got := strings.Split(es.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", es.Error(), strings.Join(want, "\n"))
	}

	// Another transport's rules refuse this file's ids.
	other := IDs{
		User:    IDRule{Match: func(s string) bool { return strings.HasPrefix(s, "29:") }, What: "another platform's user id"},
		Channel: IDRule{Match: func(s string) bool { return strings.HasPrefix(s, "19:") }, What: "another platform's channel id"},
	}
	if _, err := Parse("dealpilot.yaml", []byte(base), other); err == nil || !strings.Contains(err.Error(), `"U0ADMIN" is not another platform's user id`) {
		t.Errorf("base under other rules: %v", err)
	}

	_, err = Parse("dealpilot.yaml", []byte(base), IDs{})
	if !errors.As(err, &es) || !strings.Contains(err.Error(), `admins[0]: "U0ADMIN" is not`) || !strings.Contains(err.Error(), `deal_desk.channel: "C0DESK" is not`) {
		t.Errorf("no rules: %v, want every id refused", err)
	}
}

// TestEither: a file checked by two platforms' rules takes either's ids,
// and a refusal names both forms; a rule left out does not widen the other.
func TestEither(t *testing.T) {
	teams := IDs{
		User:    IDRule{Match: func(s string) bool { return strings.HasPrefix(s, "g-") }, What: "a guid"},
		Channel: IDRule{Match: func(s string) bool { return strings.HasPrefix(s, "19:") }, What: "a 19: id"},
	}
	both := Either(testIDs, teams)
	tests := []struct {
		id            string
		user, channel bool
	}{
		{"U0REP1", true, false},
		{"g-1", true, false},
		{"C0DESK", false, true},
		{"19:x", false, true},
		{"#desk", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := both.User.ok(tt.id); got != tt.user {
			t.Errorf("User(%q) = %v, want %v", tt.id, got, tt.user)
		}
		if got := both.Channel.ok(tt.id); got != tt.channel {
			t.Errorf("Channel(%q) = %v, want %v", tt.id, got, tt.channel)
		}
	}
	content := strings.Replace(strings.Replace(base, "admins: [U0ADMIN]", "admins: [U0ADMIN, g-7, \"@marie\"]", 1),
		"  channel: C0DESK", "  channel: \"19:desk\"", 1)
	_, err := Parse("dealpilot.yaml", []byte(content), both)
	if want := `dealpilot.yaml:5: admins[2]: "@marie" is not a test user id (U0 then more) or a guid`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if one := Either(testIDs, IDs{}); one.User.What != testIDs.User.What || one.User.ok("g-1") {
		t.Errorf("Either with an empty rule: %q", one.User.What)
	}
	if one := Either(IDs{}, teams); !one.Channel.ok("19:x") || one.Channel.ok("C0DESK") {
		t.Error("Either(empty, teams) is not teams")
	}
}

// TestMSTeams: the Teams platform's settings live under msteams:, apart
// from teams: (sales teams), and a service_url must be an http(s) URL.
func TestMSTeams(t *testing.T) {
	cfg, err := Parse("dealpilot.yaml", []byte(base+"msteams:\n  service_url: https://smba.trafficmanager.net/emea/\n"), testIDs)
	if err != nil || cfg.MSTeams.ServiceURL != "https://smba.trafficmanager.net/emea/" || len(cfg.Teams) != 1 {
		t.Fatalf("msteams: %+v, %v", cfg, err)
	}
	if cfg, err := Parse("dealpilot.yaml", []byte(base), testIDs); err != nil || cfg.MSTeams.ServiceURL != "" {
		t.Errorf("no msteams: %+v, %v", cfg.MSTeams, err)
	}
	for _, tt := range []struct{ name, yaml, want string }{
		{"NotURL", "msteams:\n  service_url: smba.trafficmanager.net\n", `dealpilot.yaml:24: msteams.service_url: "smba.trafficmanager.net" is not a Bot Framework service URL; write the https URL Teams sends as serviceUrl, such as https://smba.trafficmanager.net/emea/`},
		{"Ftp", "msteams:\n  service_url: ftp://x/\n", `msteams.service_url: "ftp://x/" is not a Bot Framework service URL`},
		{"Query", "msteams:\n  service_url: https://x/?a=1\n", `is not a Bot Framework service URL`},
		{"Empty", "msteams:\n  service_url:\n", "msteams.service_url: missing value"},
		{"UnknownKey", "msteams:\n  app_password: x\n", "msteams.app_password: unknown key; the keys here are service_url"},
		{"List", "msteams: [x]\n", "msteams: want a mapping of service_url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("dealpilot.yaml", []byte(base+tt.yaml), testIDs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
		})
	}
}
