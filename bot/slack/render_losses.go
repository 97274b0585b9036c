package slack

// Rendering of /pipeline losses: the four breakdowns in one Block Kit table
// (Slack takes one table per message), each under a row of its own column
// titles, and the stages' loss rates and the rules in context lines.

import (
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

const (
	blockLossesTable = "losses_table"
	// maxLossRows bounds each breakdown's rows in the table; the rest is
	// one "N more" row. 4 × (1 title + 20 + 1) = 88 rows, under Slack's 100.
	maxLossRows = 20
)

// renderLosses is /pipeline losses' ephemeral answer.
func renderLosses(loc i18n.Locale, p bot.PipelineLosses) message {
	title := text(loc, bot.M("losses.title", p.Scope))
	// The header is plain text, where a mention would show as markup: a
	// rep's losses are headed "Losses", and the context line under it
	// mentions them.
	blocks := []goslack.Block{header(strings.TrimSpace(lossesPlainTitle(loc, p.Scope)))}
	if namesPerson(bot.M("losses.title", p.Scope)) {
		blocks = []goslack.Block{header(i18n.T(loc, "losses.title_header")), contextBlock(title)}
	}
	l := p.Losses
	from, to := coaching.Day(l.Period.From), coaching.Day(l.Period.To)
	if l.Deals == 0 {
		blocks = append(blocks, section(text(loc, bot.M("losses.none", from, to))))
		return message{Text: title, Blocks: blocks}
	}
	blocks = append(blocks, section(text(loc, bot.M("losses.total", l.Deals, money(loc, l.Amount, p.Currency), from, to))),
		lossesTable(loc, p.Currency, l))
	if rates := lossRates(loc, l); rates != "" {
		blocks = append(blocks, contextBlock(escape(rates)))
	}
	blocks = append(blocks, contextBlock(escape(i18n.T(loc, "losses.rule"))))
	return message{Text: title, Blocks: blocks}
}

// lossesPlainTitle is the header's text: the scope without markup.
func lossesPlainTitle(loc i18n.Locale, scope bot.Msg) string {
	if scope.Key == "raw" && len(scope.Args) == 1 {
		if u, ok := scope.Args[0].(domain.UserID); ok {
			return i18n.T(loc, "losses.title", string(u))
		}
	}
	return i18n.T(loc, "losses.title", i18n.T(loc, scope.Key, scope.Args...))
}

// lossesTable is the four breakdowns in one table: each opens with a row
// of titles (its own, bold, then the figures'), reps are mentions.
func lossesTable(loc i18n.Locale, currency string, l coaching.Losses) *goslack.TableBlock {
	t := &goslack.TableBlock{Type: goslack.MBTTable, BlockID: blockLossesTable}
	t.ColumnSettings = []goslack.ColumnSetting{{Align: goslack.ColumnAlignmentLeft, IsWrapped: true}}
	for range 4 {
		t.ColumnSettings = append(t.ColumnSettings, goslack.ColumnSetting{Align: goslack.ColumnAlignmentRight})
	}
	cols := report.LossColumns(loc)[:4]
	for _, g := range report.LossGroups(l) {
		titles := []goslack.TableCell{boldCell(g.Title(loc))}
		for _, c := range cols {
			titles = append(titles, rawCell(c))
		}
		t.Rows = append(t.Rows, titles)
		rows := g.Rows
		var rest []coaching.LossRow
		if len(rows) > maxLossRows {
			rows, rest = rows[:maxLossRows-1], rows[maxLossRows-1:]
		}
		for _, r := range rows {
			first := rawCell(report.LossLabel(loc, g.Kind, r))
			if g.Kind == report.LossByRep {
				first = userCell(domain.UserID(r.Key))
			}
			t.Rows = append(t.Rows, append([]goslack.TableCell{first}, lossCells(loc, currency, r)...))
		}
		if len(rest) > 0 {
			sum := l.Sum("", rest)
			t.Rows = append(t.Rows, append([]goslack.TableCell{rawCell(i18n.T(loc, "losses.more", len(rest)))}, lossCells(loc, currency, sum)...))
		}
	}
	return t
}

func lossCells(loc i18n.Locale, currency string, r coaching.LossRow) []goslack.TableCell {
	var out []goslack.TableCell
	for _, c := range report.LossCells(loc, currency, r) {
		out = append(out, rawCell(c))
	}
	return out
}

// boldCell is a table cell of bold text.
func boldCell(s string) goslack.TableCell {
	if s == "" {
		s = "–"
	}
	return goslack.NewTableRichTextCell(goslack.NewRichTextSection(
		goslack.NewRichTextSectionTextElement(truncate(s, 200), &goslack.RichTextSectionTextStyle{Bold: true})))
}

// lossRates is the loss rate of each stage with exits in the period's
// cohorts: "Loss rate: Qualification 9.09% (1 of 11) · …"; empty when no
// stage has any.
func lossRates(loc i18n.Locale, l coaching.Losses) string {
	var parts []string
	for _, s := range l.ByStage {
		if s.Cohort.Exits() == 0 {
			continue
		}
		parts = append(parts, s.Key+" "+report.LossRate(loc, s.Cohort))
	}
	if len(parts) == 0 {
		return ""
	}
	return i18n.T(loc, "losses.loss_rates", strings.Join(parts, " · "))
}
