package slack

import (
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/i18n"
)

// blockImportActions holds an import summary's buttons.
const blockImportActions = "import_actions"

// maxProblemLine bounds one listed line: ten of them, the title and the
// counts stay within a section's 3,000 characters.
const maxProblemLine = 250

// renderImportSummary is an import's dry run: the file, the counts, the
// first lines to look at, and Import (or, with invalid rows, Import the
// valid rows) and Cancel; when nothing could be written, why, and no button.
func renderImportSummary(loc i18n.Locale, s bot.ImportSummary) message {
	title := text(loc, bot.M("import.summary.title", s.File, s.Format, s.Rows))
	blocks := []goslack.Block{
		section(title),
		section(text(loc, bot.M("import.summary.counts", s.Counts[crm.Create], s.Counts[crm.Update], s.Counts[crm.Unchanged],
			s.Counts[crm.Conflict], s.Counts[crm.Invalid]))),
	}
	if len(s.Problems) > 0 {
		var b strings.Builder
		b.WriteString(text(loc, bot.M("import.summary.problems")))
		for _, p := range s.Problems {
			b.WriteString("\n• " + escape(truncate(p, maxProblemLine)))
		}
		blocks = append(blocks, section(b.String()))
	}
	if s.More > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("import.summary.more", s.More))))
	}
	if s.Closed {
		key := "import.summary.nothing"
		if s.Counts[crm.Invalid] > 0 {
			key = "import.summary.fix"
		}
		return message{Text: title, Blocks: append(blocks, contextBlock(text(loc, bot.M(key))))}
	}
	apply := goslack.NewButtonBlockElement(bot.ActionImportApply, s.ID, plain(text(loc, bot.M("import.button.apply")), maxButtonText))
	if s.Counts[crm.Invalid] > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("import.summary.invalid"))))
		apply = goslack.NewButtonBlockElement(bot.ActionImportApplyValid, s.ID, plain(text(loc, bot.M("import.button.apply_valid")), maxButtonText))
	}
	apply.Style = goslack.StylePrimary
	cancel := goslack.NewButtonBlockElement(bot.ActionImportCancel, s.ID, plain(text(loc, bot.M("import.button.cancel")), maxButtonText))
	blocks = append(blocks, goslack.NewActionBlock(blockImportActions, apply, cancel))
	return message{Text: title, Blocks: blocks}
}
