package slack

// Rendering of segments (issue 21): the deal card's segment line, /pipeline
// segments as one Block Kit table, and the quarterly ICP review with its
// Accept / Dismiss buttons.

import (
	"strconv"
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

const (
	blockCardSegments   = "card_segments"
	blockSegmentsTable  = "segments_table"
	blockReviewActions  = "review_actions_"
	maxReviewProposals  = 10 // 4 blocks each, within Slack's 50 with the title and last quarter's
	maxSegmentTableRows = maxTableRows
)

// cardSegments is the card's segment line: "Industry: retail · Size band:
// not set · ICP fit 50% (1 of 2) · not set: Size band"; nil when empty.
func cardSegments(loc i18n.Locale, s bot.CardSegments) goslack.Block {
	lines := s.Lines()
	if len(lines) == 0 {
		return nil
	}
	parts := make([]string, len(lines))
	for i, m := range lines {
		parts[i] = text(loc, m)
	}
	return contextID(blockCardSegments, strings.Join(parts, " · "))
}

// renderSegments is /pipeline segments' ephemeral answer.
func renderSegments(loc i18n.Locale, r bot.SegmentsReport) message {
	t := r.Table
	title := bot.M("segment.title", domain.AttrField(t.Attribute), r.Scope)
	blocks := titleBlocks(loc, title, bot.M("segment.title_header"))
	from, to := coaching.Day(t.Period.From), coaching.Day(t.Period.To)
	table, left := segmentsTable(loc, r)
	blocks = append(blocks, contextBlock(text(loc, bot.M("segment.period", from, to))), table)
	if left > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("segment.rows_left", left, maxSegmentTableRows, t.Attribute))))
	}
	for _, line := range report.SegmentFit(loc, t, r.HasICP) {
		blocks = append(blocks, section(escape(line)))
	}
	if r.Skipped > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("pipeline.skipped", r.Skipped))))
	}
	blocks = append(blocks, contextBlock(text(loc, bot.M("segment.rule", r.MinDeals))))
	return message{Text: text(loc, title), Blocks: blocks}
}

// segmentsTable is the values' rows and the total under the column titles;
// left counts the values a table's rows could not hold (the last ones: the
// total always shows).
func segmentsTable(loc i18n.Locale, r bot.SegmentsReport) (tb *goslack.TableBlock, left int) {
	cols := report.SegmentColumns(loc)
	tb = &goslack.TableBlock{Type: goslack.MBTTable, BlockID: blockSegmentsTable}
	tb.ColumnSettings = []goslack.ColumnSetting{{Align: goslack.ColumnAlignmentLeft, IsWrapped: true}}
	for range len(cols) - 2 {
		tb.ColumnSettings = append(tb.ColumnSettings, goslack.ColumnSetting{Align: goslack.ColumnAlignmentRight})
	}
	tb.ColumnSettings = append(tb.ColumnSettings, goslack.ColumnSetting{Align: goslack.ColumnAlignmentLeft, IsWrapped: true})
	head := make([]goslack.TableCell, len(cols))
	for i, c := range cols {
		head[i] = boldCell(c)
	}
	tb.Rows = append(tb.Rows, head)
	rows := report.SegmentRows(loc, r.Currency, r.Table)
	for i, row := range rows {
		if len(tb.Rows) == maxSegmentTableRows-1 && i < len(rows)-1 {
			left++ // the total always shows
			continue
		}
		cells := make([]goslack.TableCell, len(row))
		for j, s := range row {
			cells[j] = rawCell(s)
		}
		tb.Rows = append(tb.Rows, cells)
	}
	return tb, left
}

// renderReview is the quarterly ICP review's DM.
func renderReview(loc i18n.Locale, r bot.ICPReview) message {
	title := text(loc, r.Title)
	blocks := []goslack.Block{header(i18n.T(loc, r.Title.Key, r.Title.Args...)), section(text(loc, r.Intro))}
	for i, it := range r.Items {
		if i == maxReviewProposals {
			break
		}
		blocks = append(blocks, goslack.NewDividerBlock(), section(text(loc, it.Text)))
		q := []string{text(loc, bot.M("review.quarters"))}
		for _, m := range it.Quarters {
			q = append(q, text(loc, m))
		}
		blocks = append(blocks, contextBlock(q[0]+" "+strings.Join(q[1:], " · ")))
		if it.Decided != nil {
			blocks = append(blocks, contextBlock(text(loc, *it.Decided)))
			continue
		}
		accept := goslack.NewButtonBlockElement(bot.ActionICPAccept, it.Value, plain(text(loc, bot.M("review.accept")), maxButtonText))
		accept.Style = goslack.StylePrimary
		dismiss := goslack.NewButtonBlockElement(bot.ActionICPDismiss, it.Value, plain(text(loc, bot.M("review.dismiss")), maxButtonText))
		blocks = append(blocks, goslack.NewActionBlock(blockReviewActions+strconv.Itoa(i), accept, dismiss))
	}
	if r.None.Key != "" {
		blocks = append(blocks, section(text(loc, r.None)))
	}
	if len(r.Last) > 0 {
		lines := []string{text(loc, r.Last[0])}
		for _, m := range r.Last[1:] {
			lines = append(lines, "• "+text(loc, m))
		}
		blocks = append(blocks, goslack.NewDividerBlock(), section(strings.Join(lines, "\n")))
	}
	return message{Text: title, Blocks: blocks}
}
