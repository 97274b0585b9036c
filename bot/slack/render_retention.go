package slack

import (
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/i18n"
)

// renderRetention is /pipeline retention's ephemeral answer: the lines of
// bot.Retention, the title in bold, each scope's figures a section, the
// hollow wins one section, the definitions in a context line.
func renderRetention(loc i18n.Locale, r bot.Retention) message {
	lines := r.Lines()
	title := text(loc, lines[0])
	blocks := []goslack.Block{section(bold(title))}
	body := lines[1 : len(lines)-1]
	var rest []string
	for _, m := range body {
		if len(blocks) < maxRetentionSections {
			blocks = append(blocks, section(truncate(text(loc, m), maxSectionText)))
			continue
		}
		rest = append(rest, text(loc, m))
	}
	if len(rest) > 0 {
		blocks = append(blocks, section(truncate(strings.Join(rest, "\n"), maxSectionText)))
	}
	blocks = append(blocks, contextBlock(text(loc, lines[len(lines)-1])))
	return message{Text: title, Blocks: blocks}
}

// maxRetentionSections keeps the answer well under Slack's 50 blocks of a
// message: lines past it share one section.
const maxRetentionSections = 40
