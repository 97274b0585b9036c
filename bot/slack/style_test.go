package slack

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestEveryIconHasAnEmoji: an icon bot uses but Slack cannot draw would
// silently drop from the message.
func TestEveryIconHasAnEmoji(t *testing.T) {
	for _, icon := range bot.Icons() {
		if emoji(icon) == "" {
			t.Errorf("icon %q has no Slack emoji", icon)
		}
	}
}

// TestStylesInMrkdwn: the neutral styles become mrkdwn and emoji codes, and
// the text they set apart is escaped as any argument is.
func TestStylesInMrkdwn(t *testing.T) {
	money := domain.Money{Minor: 4_800_000, Currency: "EUR"}
	cases := []struct {
		name string
		loc  i18n.Locale
		msg  bot.Msg
		want string
	}{
		{"icon and bold user text", i18n.EN,
			bot.M("deal.won_announce", domain.UserID("U0REP1"), bot.Bold("<!channel> & co"), "Acme", money).WithIcon(bot.IconWon),
			":trophy: <@U0REP1> won *&lt;!channel&gt; &amp; co* (Acme), €48,000!"},
		{"bold nested message", i18n.FR,
			bot.M("card.no_next_step", bot.Bold(bot.M("card.no_next_step.title"))),
			"*Pas encore de prochaine étape* : ajoutez-en une avec le bouton Prochaine étape."},
		{"bold amount", i18n.FR,
			bot.M("deskbot.form.list", bot.Bold("D-12"), "Acme", bot.Bold(money)),
			"*D-12* Acme · montant catalogue *48\u202f000\u00a0€*"},
		{"no icon, no style", i18n.EN, bot.M("home.no_next"), "No next step"},
		{"unknown icon adds nothing", i18n.EN, bot.M("home.no_next").WithIcon("sparkles"), "No next step"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := text(c.loc, c.msg); got != c.want {
				t.Errorf("text = %q, want %q", got, c.want)
			}
			if got := msgText(c.loc, c.msg); got != c.want {
				t.Errorf("msgText = %q, want %q", got, c.want)
			}
		})
	}
}
