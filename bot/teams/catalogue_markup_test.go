package teams

import (
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestCatalogueIsNotMarkup renders every catalogue key, in en and fr,
// through the renderer's text: the catalogue is plain, so no *, _, [, ], `
// or ~ of its own (a config key "next_step", a usage "[period]") reaches a
// TextBlock unescaped, and read back it is the catalogue's text. A verb
// such as %[2]s still takes its argument.
func TestCatalogueIsNotMarkup(t *testing.T) {
	keys := i18n.Keys()
	slices.Sort(keys)
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		r := renderer{loc: loc}
		for _, key := range keys {
			plain := i18n.T(loc, key)
			if k, ok := mentionFirst[key]; ok { // a thread hint, in its Teams form
				plain = i18n.T(loc, k, "@dealpilot")
			}
			got := r.text(bot.M(key))
			if bare := strings.NewReplacer(`\\`, "", `\*`, "", `\_`, "", `\[`, "", `\]`, "", "\\`", "", `\~`, "").Replace(got); strings.ContainsAny(bare, "*_[]`~") {
				t.Errorf("%s %s: Markdown of the catalogue's own reaches Teams: %q", loc, key, got)
			}
			if back := unmd(got); back != plain {
				t.Errorf("%s %s: reads %q, catalogue says %q", loc, key, back, plain)
			}
		}
	}
	got := renderer{loc: i18n.EN}.text(bot.M("deal.forbidden", "D-12", domain.UserList{"U0MGR"}))
	if want := "Only @U0MGR can change D-12:"; !strings.HasPrefix(got, want) {
		t.Errorf("deal.forbidden: %q, want it to start %q", got, want)
	}
}

// unmd reads Markdown escaped by md back as its characters.
func unmd(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestHintsNameCommandsAsTypedOnTeams: every catalogue text the App
// renders names the bot's commands as a Teams user types them ("deal
// new"), never with Slack's slash ("/deal new").
func TestHintsNameCommandsAsTypedOnTeams(t *testing.T) {
	e := newE2E(t)
	keys := i18n.Keys()
	slices.Sort(keys)
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		r := e.app.r
		r.loc = loc
		for _, key := range keys {
			got := r.text(bot.M(key))
			for name := range e.app.commands {
				if strings.Contains(got, name+" ") || strings.HasSuffix(got, name) || strings.Contains(got, name+",") || strings.Contains(got, name+".") {
					t.Errorf("%s %s names %s as on Slack: %q", loc, key, name, got)
				}
			}
		}
	}
	if got, want := e.app.r.text(bot.M("list.mine_empty")), "Create one with deal new."; !strings.Contains(got, want) {
		t.Errorf("list.mine_empty: %q, want %q", got, want)
	}
}
