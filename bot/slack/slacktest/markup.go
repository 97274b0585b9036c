package slacktest

import (
	"regexp"
	"strings"
)

// Slack reads &, < and > in mrkdwn as control characters: text that means
// them as characters must send &amp;, &lt; and &gt;
// (https://api.slack.com/reference/surfaces/formatting#escaping). An
// unescaped <…> that is not one of Slack's control sequences is not shown
// as typed: Slack parses it as a link or command and the reader gets a
// broken line. The transcript shows such a sequence as BrokenMarkup around
// it, so a golden or a test that reads the conversation sees the bug.

// controlSequence matches the inside of a <…> Slack reads as markup: a user
// or channel mention, a broadcast, a user group, a date, a link.
var controlSequence = regexp.MustCompile(`^(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+|!date\^[0-9]+\^[^|]+|(?:https?://|mailto:)[^|\s]+)(?:\|[^<>]*)?$`)

// BrokenMarkup opens and closes, in the transcript, an unescaped <…> of
// mrkdwn text that is not a Slack control sequence.
const (
	BrokenMarkupOpen  = "⟦broken mrkdwn: "
	BrokenMarkupClose = "⟧"
)

// BadMarkup lists the unescaped <…> sequences of mrkdwn text that are not
// Slack control sequences: what a real Slack would show broken.
func BadMarkup(text string) []string {
	var bad []string
	for s := text; ; {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			return bad
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			return bad
		}
		seq := s[open : open+end+1]
		if !controlSequence.MatchString(seq[1 : len(seq)-1]) {
			bad = append(bad, seq)
		}
		s = s[open+end+1:]
	}
}

// shownMrkdwn is mrkdwn text as the transcript shows it: as sent, each
// sequence Slack would not read as typed set apart by BrokenMarkup.
func shownMrkdwn(text string) string {
	bad := BadMarkup(text)
	if len(bad) == 0 {
		return text
	}
	var b strings.Builder
	for _, seq := range bad {
		i := strings.Index(text, seq)
		b.WriteString(text[:i])
		b.WriteString(BrokenMarkupOpen + seq + BrokenMarkupClose)
		text = text[i+len(seq):]
	}
	b.WriteString(text)
	return b.String()
}
