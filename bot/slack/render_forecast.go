package slack

// Rendering of the forecast: the /forecast reply, the Monday digest (split
// into as many messages as Slack's limits need) and the context shown above
// the call form. Pure: bot replies in, Block Kit out. The per-rep figures
// are a Block Kit table (one per message, at most 100 rows): each rep's
// row mentions them, and it reads on a phone, where a code block wraps.
// The full ten-column table is the report command's and the digest's CSV.

import (
	"fmt"
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

const (
	// maxTableRows is a table block's rows (header row included) and
	// maxTableBody the figures' rows under the header.
	maxTableRows = 100
	maxTableBody = maxTableRows - 1
	// changesPerList bounds each list of changes; the rest is counted.
	changesPerList = 8
	// Stable block ids of the digest.
	blockDigestFields = "forecast_headline"
	blockDigestAction = "forecast_actions"
	blockDigestTable  = "forecast_table"
)

// phoneColumns are the columns of report.Columns a table shows in Slack
// (report.PhoneColumns, as Teams' cards do).
var phoneColumns = report.PhoneColumns

func fcMoney(loc i18n.Locale, v int64, currency string) string {
	return i18n.FormatAmount(loc, v, currency)
}

// rawCell is a plain table cell; Slack refuses an empty one.
func rawCell(s string) goslack.TableCell {
	if s == "" {
		s = "–"
	}
	return goslack.NewTableRawTextCell(truncate(s, 200))
}

// userCell is a table cell mentioning user: Slack shows their name.
func userCell(user domain.UserID) goslack.TableCell {
	return goslack.NewTableRichTextCell(goslack.NewRichTextSection(goslack.NewRichTextSectionUserElement(string(user), nil)))
}

// forecastTables draws rows as table blocks of at most maxTableBody rows
// under a header row; a message may hold only one, so a caller puts each
// in a message of its own.
func forecastTables(loc i18n.Locale, currency string, rows []report.Row) []goslack.Block {
	head := report.Header(loc, currency)
	settings := make([]goslack.ColumnSetting, len(phoneColumns))
	headRow := make([]goslack.TableCell, len(phoneColumns))
	for i, c := range phoneColumns {
		settings[i] = goslack.ColumnSetting{Align: goslack.ColumnAlignmentRight}
		headRow[i] = rawCell(head[c])
	}
	settings[0] = goslack.ColumnSetting{Align: goslack.ColumnAlignmentLeft, IsWrapped: true}
	var blocks []goslack.Block
	for start := 0; start < len(rows); start += maxTableBody {
		chunk := rows[start:min(len(rows), start+maxTableBody)]
		t := &goslack.TableBlock{Type: goslack.MBTTable, Rows: [][]goslack.TableCell{headRow}, ColumnSettings: settings}
		if start == 0 {
			t.BlockID = blockDigestTable
		} else {
			t.BlockID = fmt.Sprintf("%s_%d", blockDigestTable, start/maxTableBody+1)
		}
		for _, r := range chunk {
			cells := report.Cells(loc, currency, r)
			row := make([]goslack.TableCell, len(phoneColumns))
			for i, c := range phoneColumns {
				row[i] = rawCell(cells[c])
			}
			if r.Line.User != "" {
				row[0] = userCell(r.Line.User)
			}
			t.Rows = append(t.Rows, row)
		}
		blocks = append(blocks, t)
	}
	return blocks
}

// headline is a line's figures as a section's fields (at most 10: the ten
// figures of a line, so a call goes on a line of its own, teamCallBlock).
func headline(loc i18n.Locale, currency string, l forecast.Line) *goslack.SectionBlock {
	var fields []*goslack.TextBlockObject
	for _, f := range report.Figures(loc, currency, l) {
		fields = append(fields, goslack.NewTextBlockObject(goslack.MarkdownType, truncate(bold(escape(f[0]))+"\n"+escape(f[1]), maxFieldText), false, false))
	}
	s := goslack.NewSectionBlock(nil, fields, nil)
	s.BlockID = blockDigestFields
	return s
}

// teamCallBlock is the team call standing, on a context line under the
// headline (nothing when the manager has made none).
func teamCallBlock(loc i18n.Locale, currency string, call *forecast.Call) []goslack.Block {
	if call == nil {
		return nil
	}
	return []goslack.Block{contextBlock(escape(i18n.T(loc, "forecast.digest.team_call",
		fcMoney(loc, call.Commit, currency), fcMoney(loc, call.BestCase, currency))))}
}

// noQuotaBlocks names a team's members without a quota, under its
// headline, so no one reads the team's coverage as everyone's.
func noQuotaBlocks(loc i18n.Locale, total forecast.Line, none domain.UserList) []goslack.Block {
	if len(none) == 0 {
		return nil
	}
	key := "forecast.no_quota"
	if !total.HasQuota {
		key = "forecast.no_quota_any"
	}
	return []goslack.Block{contextBlock(text(loc, bot.M(key, none)))}
}

// renderForecastReport is the /forecast reply: one message, so one table;
// rows past its 99 are counted (the report command has them all).
func renderForecastReport(loc i18n.Locale, r bot.ForecastReport) message {
	title := text(loc, r.Title)
	blocks := titleBlocks(loc, r.Title, bot.M("forecast.title_header", r.Period.Name))
	blocks = append(blocks, headline(loc, r.Currency, r.Focus))
	blocks = append(blocks, noQuotaBlocks(loc, r.Focus, r.NoQuota)...)
	if len(r.Rows) > 1 {
		rows := r.Rows
		if len(rows) > maxTableBody {
			rows = rows[:maxTableBody]
		}
		blocks = append(blocks, forecastTables(loc, r.Currency, rows)...)
		if more := len(r.Rows) - len(rows); more > 0 {
			blocks = append(blocks, contextBlock(text(loc, bot.M("forecast.rows_more", more))))
		}
	}
	if r.Skipped > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("forecast.skipped", r.Skipped))))
	}
	if len(blocks) > maxMessageBlocks {
		blocks = blocks[:maxMessageBlocks]
	}
	return message{Text: title, Blocks: blocks}
}

// renderDigest renders a team's digest as one or more messages, each within
// Slack's limits (50 blocks, one table): a team of up to 98 reps takes one
// message, a larger one a message per table of 99 rows; the last carries
// the Submit my call button.
func renderDigest(loc i18n.Locale, d bot.ForecastDigest) []message {
	cur := d.Currency
	var body []goslack.Block
	body = append(body, contextBlock(text(loc, bot.M("forecast.digest.week", d.Week, cur))))
	body = append(body, headline(loc, cur, d.Total))
	body = append(body, teamCallBlock(loc, cur, d.TeamCall)...)
	body = append(body, noQuotaBlocks(loc, d.Total, d.NoQuota)...)
	body = append(body, forecastTables(loc, cur, d.Rows)...)
	body = append(body, goslack.NewDividerBlock())
	body = append(body, changeBlocks(loc, d)...)
	body = append(body, contextBlock(accuracyText(loc, d.Accuracy, cur)))
	btn := goslack.NewButtonBlockElement(bot.ActionSubmitCall, d.Period.Name, plain(text(loc, bot.M("forecast.button.submit")), maxButtonText))
	btn.Style = goslack.StylePrimary
	body = append(body, goslack.NewActionBlock(blockDigestAction, btn))

	chunks := splitMessages(body, maxMessageBlocks-1) // each message opens with its header
	title := text(loc, bot.M("forecast.digest.header", d.Team, d.Period.Name))
	msgs := make([]message, 0, len(chunks))
	for i, chunk := range chunks {
		h := title
		if len(chunks) > 1 {
			h = text(loc, bot.M("forecast.digest.header_part", d.Team, d.Period.Name, i+1, len(chunks)))
		}
		msgs = append(msgs, message{Text: h, Blocks: append([]goslack.Block{header(h)}, chunk...)})
	}
	return msgs
}

// splitMessages cuts blocks into messages of at most room blocks, starting
// a new message where a second table would join one (Slack takes one table
// per message).
func splitMessages(blocks []goslack.Block, room int) [][]goslack.Block {
	var out [][]goslack.Block
	var cur []goslack.Block
	hasTable := false
	for _, b := range blocks {
		isTable := b.BlockType() == goslack.MBTTable
		if len(cur) == room || (isTable && hasTable) {
			out = append(out, cur)
			cur, hasTable = nil, false
		}
		cur = append(cur, b)
		hasTable = hasTable || isTable
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// changeBlocks lists what changed since the previous digest, slipped deals
// apart with their owners mentioned.
func changeBlocks(loc i18n.Locale, d bot.ForecastDigest) []goslack.Block {
	cur := d.Currency
	if d.Changes == nil {
		return []goslack.Block{section(text(loc, bot.M("forecast.changes.first")))}
	}
	ch := d.Changes
	if ch.Len() == 0 {
		return []goslack.Block{section(text(loc, bot.M("forecast.changes.none", ch.From)))}
	}
	money := func(v int64) string { return escape(fcMoney(loc, v, cur)) }
	delta := func(v int64) string {
		if v > 0 {
			return "+" + money(v)
		}
		return money(v)
	}
	plainItem := func(it forecast.Item) string {
		return fmt.Sprintf("*%s* · %s · %s", it.Deal.Ref(), mentionOf(it.Owner), money(it.Amount))
	}
	lists := []struct {
		key   string
		items []forecast.Item
		line  func(forecast.Item) string
	}{
		{"forecast.changes.new", ch.New, plainItem},
		{"forecast.changes.won", ch.Won, plainItem},
		{"forecast.changes.lost", ch.Lost, func(it forecast.Item) string {
			if c := d.LostTo[it.Deal]; c != "" {
				return plainItem(it) + " · " + escape(i18n.T(loc, "forecast.changes.lost_to", c))
			}
			return plainItem(it)
		}},
		{"forecast.changes.reopened", ch.Reopened, plainItem},
		{"forecast.changes.pulled_in", ch.PulledIn, func(it forecast.Item) string {
			return plainItem(it) + " · " + escape(i18n.Localize(loc, it.OldCloseDate)) + " → " + escape(i18n.Localize(loc, it.CloseDate))
		}},
		{"forecast.changes.amount_up", ch.AmountUp, func(it forecast.Item) string {
			return fmt.Sprintf("*%s* · %s · %s → %s (%s)", it.Deal.Ref(), mentionOf(it.Owner), money(it.OldAmount), money(it.Amount), delta(it.Delta))
		}},
		{"forecast.changes.amount_down", ch.AmountDown, func(it forecast.Item) string {
			return fmt.Sprintf("*%s* · %s · %s → %s (%s)", it.Deal.Ref(), mentionOf(it.Owner), money(it.OldAmount), money(it.Amount), delta(it.Delta))
		}},
		{"forecast.changes.category", ch.CategoryMoves, func(it forecast.Item) string {
			return plainItem(it) + " · " + escape(i18n.T(loc, "category."+string(it.OldCategory))) + " → " + escape(i18n.T(loc, "category."+string(it.Category)))
		}},
		{"forecast.changes.reassigned", ch.Reassigned, func(it forecast.Item) string {
			return fmt.Sprintf("*%s* · %s → %s · %s", it.Deal.Ref(), mentionOf(it.OldOwner), mentionOf(it.Owner), money(it.Amount))
		}},
		{"forecast.changes.gone", ch.Gone, plainItem},
	}
	blocks := []goslack.Block{section(bold(text(loc, bot.M("forecast.changes.title", ch.From))))}
	for _, l := range lists {
		if len(l.items) == 0 {
			continue
		}
		blocks = append(blocks, section(itemList(loc, "*"+escape(i18n.T(loc, l.key))+"*", l.items, l.line)))
	}
	if len(ch.Slipped) > 0 {
		title := bold(text(loc, bot.M("forecast.slipped.title", d.Period.Name)))
		blocks = append(blocks, section(itemList(loc, title, ch.Slipped, func(it forecast.Item) string {
			return tf(loc, "forecast.slipped.item", markup("*"+it.Deal.Ref()+"*"), it.Owner, markup(money(it.Amount)),
				markup(escape(i18n.Localize(loc, it.OldCloseDate))), markup(escape(i18n.Localize(loc, it.CloseDate))))
		})))
	}
	return blocks
}

// itemList is a title and up to changesPerList lines, counting the rest.
func itemList(loc i18n.Locale, title string, items []forecast.Item, line func(forecast.Item) string) string {
	lines := []string{title}
	for i, it := range items {
		if i == changesPerList {
			lines = append(lines, text(loc, bot.M("forecast.changes.more", len(items)-changesPerList)))
			break
		}
		lines = append(lines, "• "+line(it))
	}
	return truncate(strings.Join(lines, "\n"), maxSectionText)
}

// accuracyText is the digest's accuracy lines: the last closed quarter's
// signed errors, the trend at the start with the team's label, and the reps
// who over-call or sandbag.
func accuracyText(loc i18n.Locale, a *bot.DigestAccuracy, currency string) string {
	if a == nil {
		return text(loc, bot.M("forecast.accuracy.none"))
	}
	sc, sb := report.AccuracyPoint(loc, currency, a.Start)
	mc, mb := report.AccuracyPoint(loc, currency, a.M1)
	out := text(loc, bot.M("forecast.accuracy.line", a.Period, fcMoney(loc, a.Actual, currency), sc, sb, mc, mb))
	if trend := report.AccuracyTrend(loc, a.Trend); trend != "" {
		if a.Bias != forecast.BiasUnknown {
			out += "\n" + text(loc, bot.M("forecast.accuracy.trend_bias", trend, report.Bias(loc, a.Bias)))
		} else {
			out += "\n" + text(loc, bot.M("forecast.accuracy.trend", trend))
		}
	}
	if len(a.Over) > 0 {
		out += "\n" + text(loc, bot.M("forecast.accuracy.over", a.Over))
	}
	if len(a.Under) > 0 {
		out += "\n" + text(loc, bot.M("forecast.accuracy.under", a.Under))
	}
	return truncate(out, 2000)
}

// renderCallContext is shown above the call form's inputs.
func renderCallContext(loc i18n.Locale, c bot.CallContext) message {
	cur := c.Currency
	money := func(v int64) markup { return markup(escape(fcMoney(loc, v, cur))) }
	quota := markup("–")
	if c.Line.HasQuota {
		quota = money(c.Line.Quota)
	}
	var first string
	if c.Team != "" {
		first = tf(loc, "forecast.context.team", bot.Bold(bot.M("forecast.context.team.title", c.Team, c.Period.Name)), money(c.Line.Won), money(c.Line.Commit), money(c.Line.BestCase), quota)
	} else {
		first = tf(loc, "forecast.context.mine", bot.Bold(bot.M("forecast.context.mine.title", c.Period.Name)), money(c.Line.Won), money(c.Line.Commit), money(c.Line.BestCase), quota)
	}
	blocks := []goslack.Block{section(first)}
	if p := c.Previous; p != nil {
		blocks = append(blocks, contextBlock(tf(loc, "forecast.context.previous", domain.DateOf(p.At), money(p.Commit), money(p.BestCase))))
	}
	if len(c.Reps) > 0 {
		lines := []string{bold(text(loc, bot.M("forecast.context.reps")))}
		for _, r := range c.Reps {
			if r.Call != nil {
				lines = append(lines, tf(loc, "forecast.context.rep", r.User, money(r.Line.Commit), money(r.Line.BestCase), money(r.Call.Commit), money(r.Call.BestCase)))
			} else {
				lines = append(lines, tf(loc, "forecast.context.rep_none", r.User, money(r.Line.Commit), money(r.Line.BestCase)))
			}
		}
		for _, s := range packLines(lines, maxSectionText) {
			blocks = append(blocks, section(s))
		}
	}
	blocks = append(blocks, goslack.NewDividerBlock())
	return message{Text: first, Blocks: blocks}
}
