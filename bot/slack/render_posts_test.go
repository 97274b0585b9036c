package slack

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/manifests"
)

func TestRenderPostFailedGolden(t *testing.T) {
	const id = "U0DEALBOT"
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			for _, r := range []bot.PostReason{bot.PostNotInChannel, bot.PostNoChannel, bot.PostArchived, bot.PostNoScope, bot.PostFailed} {
				golden(t, "post_failed_"+string(r)+"_"+string(loc), renderReply(loc, withSelf(bot.PostFailedNotice(r, "C0DESK"), id, "Pilot")))
				golden(t, "files_failed_"+string(r)+"_"+string(loc), renderReply(loc, withSelf(bot.FilesFailedNotice(r, "C0FORECAST"), id, "Pilot")))
			}
		})
	}
}

// TestRenderPostFailedBeforeTheBotKnowsItself: until auth.test has told
// the app its user id, a notice names the bot as people see it (the
// name it was given, "Pilot" here), never a hard-coded @dealpilot; once
// known, the mention <@U…> (Slack shows the installed name).
func TestRenderPostFailedBeforeTheBotKnowsItself(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			golden(t, "post_failed_not_in_channel_unknown_id_"+string(loc), renderReply(loc, withSelf(bot.PostFailedNotice(bot.PostNotInChannel, "C0DESK"), "", "Pilot")))
		})
	}
	// Without withSelf, the shipped manifest's name.
	got := renderReply(i18n.EN, bot.PostFailedNotice(bot.PostNotInChannel, "C0DESK")).Text
	if want := "@" + manifests.SlackBotName() + " there (/invite @" + manifests.SlackBotName() + ")"; !strings.Contains(got, want) {
		t.Errorf("rendered without withSelf: %q, want %q in it", got, want)
	}
}

// The rep's answer to a discount request comes before its post is tried:
// it says the request is recorded and being sent, never that it is sent
// (a refused post is told next, by DM).
func TestRenderDeskSentGolden(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			note := bot.Notice{Msgs: []bot.Msg{bot.M("deskbot.sent", uint64(1), "D-1", domain.Percent(1500), desk.Users{"U0MGR"}, "manager")}}
			golden(t, "desk_sent_"+string(loc), renderReply(loc, note))
		})
	}
}
