package slack

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

func TestRenderPostFailedGolden(t *testing.T) {
	id := "U0DEALBOT"
	prev := self.Swap(&id)
	t.Cleanup(func() { self.Store(prev) })
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			for _, r := range []bot.PostReason{bot.PostNotInChannel, bot.PostNoChannel, bot.PostArchived, bot.PostFailed} {
				golden(t, "post_failed_"+string(r)+"_"+string(loc), renderReply(loc, bot.PostFailedNotice(r, "C0DESK")))
			}
		})
	}
}
