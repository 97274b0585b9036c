package i18n

import (
	"regexp"
	"sort"
	"testing"
)

// platformMarkup is what one chat platform reads as formatting and another
// shows as typed: Slack mrkdwn (*bold*, _italic_, ~strike~, `code`, > quote,
// <@U…>, <#C…>, <!here>, <url|label>), Markdown (**bold**) and emoji codes
// (:trophy:). The catalogue is plain text; emphasis and icons are values of
// the reply types, which each transport renders in its own syntax.
var platformMarkup = []struct {
	name string
	re   *regexp.Regexp
}{
	{"bold (*…*)", regexp.MustCompile(`\*`)},
	{"italic (_…_)", regexp.MustCompile(`(^|[^\pL\pN_])_[^_\s][^_]*_($|[^\pL\pN_])`)},
	{"strike (~…~)", regexp.MustCompile(`~[^~\s][^~]*~`)},
	{"code (`…`)", regexp.MustCompile("`")},
	{"quote (> …)", regexp.MustCompile(`(^|\n)>`)},
	{"link or mention (<@U…>, <#C…>, <!here>, <url|label>)", regexp.MustCompile(`<([@#!]|[a-z]+:)[^>]*>|<[^>]*\|[^>]*>`)},
	{"emoji code (:name:)", regexp.MustCompile(`:[a-z0-9_+-]+:`)},
}

// TestCatalogueHasNoPlatformMarkup fails on any platform markup in either
// language of any message.
func TestCatalogueHasNoPlatformMarkup(t *testing.T) {
	keys := Keys()
	sort.Strings(keys)
	for _, k := range keys {
		m := catalog[k]
		for lang, s := range map[Locale]string{EN: m.en, FR: m.fr} {
			for _, p := range platformMarkup {
				if p.re.MatchString(s) {
					t.Errorf("%s (%s) holds %s: %q", k, lang, p.name, s)
				}
			}
		}
	}
}

// TestPlatformMarkupIsCaught checks each pattern of the scan against an
// example, so a pattern that matches nothing cannot pass the test above.
func TestPlatformMarkupIsCaught(t *testing.T) {
	examples := []string{"*Won*", "_soon_", "~gone~", "`code`", "> quoted", "<https://x|here>", ":trophy:"}
	for i, p := range platformMarkup {
		if !p.re.MatchString(examples[i]) {
			t.Errorf("%s does not catch %q", p.name, examples[i])
		}
	}
	for _, plain := range []string{"Won", "forecast_category", "D-12: 10:30", "a < b", "reject <reason>", "Échéance : 15 déc."} {
		for _, p := range platformMarkup {
			if p.re.MatchString(plain) {
				t.Errorf("%s flags plain text %q", p.name, plain)
			}
		}
	}
}
