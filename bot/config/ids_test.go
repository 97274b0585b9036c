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
