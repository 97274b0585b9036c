package i18n

import (
	"regexp"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	bare := func(name string) (string, bool) { return name, name != "api" }
	tests := []struct {
		name, in, want string
	}{
		{"Start", "/deal help lists them", "deal help lists them"},
		{"InText", "Create one with /deal new.", "Create one with deal new."},
		{"Several", "Try /forecast, /forecast @lea or /pipeline.", "Try forecast, forecast @lea or pipeline."},
		{"AfterParenthesis", "(/deal list)", "(deal list)"},
		{"AfterGuillemet", "« /deal plan D-12 »", "« deal plan D-12 »"},
		{"NotACommand", "POST /api/messages", "POST /api/messages"},
		{"NotInAWord", "and/or 2026/11 a//b", "and/or 2026/11 a//b"},
		{"Verbs", "Revise it with /deal discount %[6]s.", "Revise it with deal discount %[6]s."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Commands(tc.in, bare); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if got := Commands("Type /deal help", func(n string) (string, bool) { return "/" + n, true }); got != "Type /deal help" {
		t.Errorf("Slack's form changes the text: %q", got)
	}
}

// TestCatalogueNamesOnlyCommands: what Commands rewrites in the catalogue
// is a command each time (deal, forecast, pipeline, commission), in both languages,
// so that a transport rewrites no path or fraction by mistake.
func TestCatalogueNamesOnlyCommands(t *testing.T) {
	known := map[string]bool{"deal": true, "forecast": true, "pipeline": true, "commission": true}
	ref := regexp.MustCompile(commandRef.String())
	for _, key := range Keys() {
		for _, loc := range []Locale{EN, FR} {
			for _, m := range ref.FindAllStringSubmatch(T(loc, key), -1) {
				if !known[m[2]] {
					t.Errorf("%s %s: %q is not a command: %s", loc, key, "/"+m[2], strings.TrimSpace(T(loc, key)))
				}
			}
		}
	}
}
