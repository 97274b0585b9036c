package bot_test

import (
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestFailedPostNoticesSayWhatToDo: the person told of a refused post (or
// of a digest's refused files) reads what to do about that reason: how to
// invite the bot when it is not in the channel or cannot see it, that the
// channel is archived, that a scope is missing, else that it is retried.
// Each names the channel, and the invitation names the bot and how to
// invite it on the transport's platform; every message is in the catalogue.
func TestFailedPostNoticesSayWhatToDo(t *testing.T) {
	ch := bot.ChannelRef("C0DESK")
	for _, tc := range []struct {
		reason bot.PostReason
		suffix string
		invite bool
	}{
		{bot.PostNotInChannel, "not_in_channel", true},
		{bot.PostNoChannel, "no_channel", true},
		{bot.PostArchived, "archived", false},
		{bot.PostNoScope, "missing_scope", false},
		{bot.PostFailed, "retry", false},
		{bot.PostUncertain, "retry", false},
		{bot.PostNoRecipient, "retry", false},
		{"", "retry", false},
	} {
		for prefix, notice := range map[string]func(bot.PostReason, string) bot.Notice{
			"post.failed": bot.PostFailedNotice, "post.files": bot.FilesFailedNotice,
		} {
			n := notice(tc.reason, string(ch))
			want := prefix + "." + tc.suffix
			if len(n.Msgs) != 1 || n.Msgs[0].Key != want {
				t.Errorf("%s(%q) = %+v, want %s", prefix, tc.reason, n, want)
				continue
			}
			m := n.Msgs[0]
			if !i18n.Has(m.Key) {
				t.Errorf("%s is not in the catalogue", m.Key)
			}
			if !slices.Contains(m.Args, any(ch)) {
				t.Errorf("%s does not name the channel: %+v", m.Key, m.Args)
			}
			invites := slices.Contains(m.Args, any(bot.Self{})) && slices.Contains(m.Args, any(bot.InviteHow{Channel: ch}))
			if invites != tc.invite {
				t.Errorf("%s tells how to invite the bot: %v, want %v", m.Key, invites, tc.invite)
			}
		}
	}
}
