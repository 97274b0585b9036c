package slack

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestEveryCatalogueMessageIsEscapedOnce renders every catalogue key, in en
// and fr, through text (the path of every reply): the only <…> in the mrkdwn
// are the mention and channel link the renderer made of its arguments; the
// catalogue's own "<reason>" and a user's "<b> & c" arrive as &lt;…&gt; and
// &amp;, escaped once, never twice.
func TestEveryCatalogueMessageIsEscapedOnce(t *testing.T) {
	const typed = "R&D <b>"
	args := []any{bot.Mention("U0REP1"), typed, bot.ChannelRef("C0DESK"), typed, typed, typed}
	made := []string{"<@U0REP1>", "<#C0DESK>"}
	markup := regexp.MustCompile(`<[^<>]*>`)
	keys := i18n.Keys()
	slices.Sort(keys)
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for _, key := range keys {
			plain := i18n.T(loc, key)
			for _, out := range []string{text(loc, bot.M(key)), text(loc, bot.M(key, args...))} {
				if bad := slacktest.BadMarkup(out); len(bad) > 0 {
					t.Errorf("%s %s: Slack would not show %q as written: %q", loc, key, bad, out)
				}
				for _, m := range markup.FindAllString(out, -1) {
					if !slices.Contains(made, m) {
						t.Errorf("%s %s: markup %q the renderer did not make: %q", loc, key, m, out)
					}
				}
				if strings.Contains(out, "&amp;amp;") || strings.Contains(out, "&amp;lt;") || strings.Contains(out, "&amp;gt;") {
					t.Errorf("%s %s: escaped twice: %q", loc, key, out)
				}
			}
			// Without arguments the message is the catalogue's text, escaped
			// once: read back as Slack decodes it, it is what was written.
			if got := unescapeEntities(text(loc, bot.M(key))); got != plain {
				t.Errorf("%s %s: reads %q, catalogue says %q", loc, key, got, plain)
			}
		}
	}
	// The typed value itself is escaped once, not left raw nor doubled.
	if got, want := text(i18n.EN, bot.M("deal.lost_usage", typed)), "R&amp;D &lt;b&gt;"; !strings.Contains(got, want) {
		t.Errorf("deal.lost_usage: %q does not hold %q", got, want)
	}
	if got := text(i18n.EN, bot.M("deal.lost_usage", "x")); !strings.Contains(got, "/deal lost D-12 &lt;reason&gt;") {
		t.Errorf("deal.lost_usage: %q", got)
	}
}
