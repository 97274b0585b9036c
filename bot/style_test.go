package bot_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestStrongIsPlainWithoutATransport: where no transport draws the style,
// a Strong argument reads as its plain words, never as a Go value.
func TestStrongIsPlainWithoutATransport(t *testing.T) {
	money := domain.Money{Minor: 4_800_000, Currency: "EUR"}
	for _, c := range []struct {
		loc  i18n.Locale
		key  string
		args []any
		want string
	}{
		{i18n.EN, "deal.won_announce", []any{"Léa", bot.Bold("Acme renewal"), "Acme", money}, "Léa won Acme renewal (Acme), €48,000!"},
		{i18n.FR, "card.lost", []any{bot.Bold(bot.M("card.lost.title")), "prix"}, "Perdue : prix"},
		{i18n.EN, "deskbot.form.list", []any{bot.Bold("D-12"), "Acme", bot.Bold(money)}, "D-12 Acme · list amount €48,000"},
	} {
		if got := i18n.T(c.loc, c.key, c.args...); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.loc, c.key, got, c.want)
		}
	}
}
