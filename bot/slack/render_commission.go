package slack

import (
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/i18n"
)

// maxCommissionBlocks keeps a statement within Slack's 50 blocks: the
// title's two, and one section a heading with its lines.
const maxCommissionBlocks = 48

// renderCommission renders a commission statement: the title, then one
// section per heading with its lines, one a line. A section longer than a
// block holds is cut, marked by truncate.
func renderCommission(loc i18n.Locale, r bot.CommissionStatement) message {
	blocks := titleBlocks(loc, r.Title, bot.M("commission.h.statement"))
	for _, s := range r.Sections {
		if len(blocks) >= maxCommissionBlocks {
			break
		}
		var b strings.Builder
		b.WriteString("*" + text(loc, s.Heading) + "*")
		for _, l := range s.Lines {
			b.WriteString("\n" + text(loc, l))
		}
		blocks = append(blocks, goslack.Block(section(b.String())))
	}
	return message{Text: text(loc, r.Title), Blocks: blocks}
}
