package slack

// Rendering of the forecast: the /forecast reply, the Monday digest (split
// into as many messages as Slack's limits need) and the context shown above
// the call form. Pure: bot replies in, Block Kit out. The tables are drawn
// by bot/report inside code blocks, where mentions do not render, so reps
// are numbered there and a legend under each table mentions them.

import (
	"fmt"
	"strconv"
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/i18n"
)

const (
	// tableRowsPerBlock keeps a table's code block under a section's
	// 3000 characters with amounts up to hundreds of millions.
	tableRowsPerBlock = 20
	// changesPerList bounds each list of changes; the rest is counted.
	changesPerList = 8
	// Stable block ids of the digest.
	blockDigestFields = "forecast_headline"
	blockDigestAction = "forecast_actions"
)

func fcMoney(loc i18n.Locale, v int64, currency string) string {
	return i18n.FormatAmount(loc, v, currency)
}

// numbered relabels rep rows 1…n (code blocks cannot mention) and returns
// the legend that mentions them.
func numbered(rows []report.Row, from int) ([]report.Row, string) {
	out := make([]report.Row, len(rows))
	var legend []string
	n := from
	for i, r := range rows {
		out[i] = r
		if r.Line.User != "" {
			n++
			out[i].Label = strconv.Itoa(n)
			legend = append(legend, "`"+strconv.Itoa(n)+"` "+mentionOf(r.Line.User))
		} else {
			out[i].Label = truncate(r.Label, 24)
		}
	}
	return out, strings.Join(legend, " · ")
}

// tableBlocks draws rows as code blocks of at most tableRowsPerBlock rows,
// each followed by its legend.
func tableBlocks(loc i18n.Locale, currency string, rows []report.Row) []goslack.Block {
	var blocks []goslack.Block
	reps := 0
	for start := 0; start < len(rows); start += tableRowsPerBlock {
		chunk := rows[start:min(len(rows), start+tableRowsPerBlock)]
		labelled, legend := numbered(chunk, reps)
		for _, r := range chunk {
			if r.Line.User != "" {
				reps++
			}
		}
		blocks = append(blocks, section("```\n"+escape(report.Table(loc, currency, labelled))+"```"))
		if legend != "" {
			blocks = append(blocks, contextBlock(tf(loc, "forecast.legend", markup(legend))))
		}
	}
	return blocks
}

// headline is a line's figures as a section's fields (at most 10).
func headline(loc i18n.Locale, currency string, l forecast.Line, call *forecast.Call) *goslack.SectionBlock {
	field := func(key, value string) *goslack.TextBlockObject {
		return goslack.NewTextBlockObject(goslack.MarkdownType, truncate("*"+i18n.T(loc, key)+"*\n"+escape(value), maxFieldText), false, false)
	}
	none := "–"
	quota, gap, att, cov := none, none, none, none
	if l.HasQuota {
		quota, gap = fcMoney(loc, l.Quota, currency), fcMoney(loc, l.Gap, currency)
	}
	if bp, ok := l.Attainment(); ok {
		att = i18n.FormatPercent(loc, (bp+50)/100)
	}
	if bp, ok := l.Coverage(); ok {
		cov = report.Coverage(loc, bp)
	}
	fields := []*goslack.TextBlockObject{
		field("forecast.label.won", fcMoney(loc, l.Won, currency)),
		field("forecast.label.commit", fcMoney(loc, l.Commit, currency)),
		field("forecast.label.best_case", fcMoney(loc, l.BestCase, currency)),
		field("forecast.label.quota", quota),
		field("forecast.label.attainment", att),
		field("forecast.label.gap", gap),
		field("forecast.label.coverage", cov),
		field("forecast.label.pipeline", fcMoney(loc, l.Pipeline, currency)),
		field("forecast.label.weighted", fcMoney(loc, l.Weighted, currency)),
	}
	if call != nil {
		fields = append(fields, field("forecast.label.team_call", fcMoney(loc, call.Commit, currency)+" / "+fcMoney(loc, call.BestCase, currency)))
	} else {
		fields = append(fields, field("forecast.label.upside", fcMoney(loc, l.Upside, currency)))
	}
	s := goslack.NewSectionBlock(nil, fields, nil)
	s.BlockID = blockDigestFields
	return s
}

// renderForecastReport is the /forecast reply.
func renderForecastReport(loc i18n.Locale, r bot.ForecastReport) message {
	title := text(loc, r.Title)
	plainTitle := strings.NewReplacer("<@", "@", ">", "").Replace(title)
	blocks := []goslack.Block{header(plainTitle), headline(loc, r.Currency, r.Focus, nil)}
	if len(r.Rows) > 1 {
		blocks = append(blocks, tableBlocks(loc, r.Currency, r.Rows)...)
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
// Slack's limits; the last carries the Submit my call button.
func renderDigest(loc i18n.Locale, d bot.ForecastDigest) []message {
	cur := d.Currency
	var body []goslack.Block
	body = append(body, contextBlock(text(loc, bot.M("forecast.digest.week", d.Week, cur))))
	body = append(body, headline(loc, cur, d.Total, d.TeamCall))
	body = append(body, tableBlocks(loc, cur, d.Rows)...)
	body = append(body, goslack.NewDividerBlock())
	body = append(body, changeBlocks(loc, d)...)
	body = append(body, contextBlock(accuracyText(loc, d.Accuracy, cur)))
	btn := goslack.NewButtonBlockElement(bot.ActionSubmitCall, d.Period.Name, plain(text(loc, bot.M("forecast.button.submit")), maxButtonText))
	btn.Style = goslack.StylePrimary
	body = append(body, goslack.NewActionBlock(blockDigestAction, btn))

	title := text(loc, bot.M("forecast.digest.header", d.Team, d.Period.Name))
	room := maxMessageBlocks - 1 // each message opens with its header
	parts := (len(body) + room - 1) / room
	msgs := make([]message, 0, parts)
	for i := 0; i < parts; i++ {
		chunk := body[i*room : min(len(body), (i+1)*room)]
		h := title
		if parts > 1 {
			h = text(loc, bot.M("forecast.digest.header_part", d.Team, d.Period.Name, i+1, parts))
		}
		msgs = append(msgs, message{Text: h, Blocks: append([]goslack.Block{header(h)}, chunk...)})
	}
	return msgs
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
		{"forecast.changes.lost", ch.Lost, plainItem},
		{"forecast.changes.reopened", ch.Reopened, plainItem},
		{"forecast.changes.pulled_in", ch.PulledIn, func(it forecast.Item) string {
			return plainItem(it) + " · " + escape(date(loc, it.OldCloseDate)) + " → " + escape(date(loc, it.CloseDate))
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
	blocks := []goslack.Block{section(text(loc, bot.M("forecast.changes.title", ch.From)))}
	for _, l := range lists {
		if len(l.items) == 0 {
			continue
		}
		blocks = append(blocks, section(itemList(loc, "*"+escape(i18n.T(loc, l.key))+"*", l.items, l.line)))
	}
	if len(ch.Slipped) > 0 {
		title := text(loc, bot.M("forecast.slipped.title", d.Period.Name))
		blocks = append(blocks, section(itemList(loc, title, ch.Slipped, func(it forecast.Item) string {
			return tf(loc, "forecast.slipped.item", markup("*"+it.Deal.Ref()+"*"), it.Owner, markup(money(it.Amount)),
				markup(escape(date(loc, it.OldCloseDate))), markup(escape(date(loc, it.CloseDate))))
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

// accuracyText is the digest's accuracy line.
func accuracyText(loc i18n.Locale, a *bot.DigestAccuracy, currency string) string {
	if a == nil {
		return text(loc, bot.M("forecast.accuracy.none"))
	}
	pct := func(bp int) string { return i18n.FormatPercent(loc, (bp+50)/100) }
	point := func(p *forecast.Accuracy) (called, bottomUp string) {
		if p == nil {
			n := i18n.T(loc, "forecast.accuracy.no_point")
			return n, n
		}
		called = i18n.T(loc, "forecast.none")
		if p.HasCall {
			called = i18n.T(loc, "forecast.accuracy.point", fcMoney(loc, p.Called, currency), pct(p.ErrorBP))
		}
		return called, i18n.T(loc, "forecast.accuracy.point", fcMoney(loc, p.BottomUp, currency), pct(p.BottomUpErrorBP))
	}
	sc, sb := point(a.Start)
	mc, mb := point(a.M1)
	out := text(loc, bot.M("forecast.accuracy.line", a.Period, fcMoney(loc, a.Actual, currency), sc, sb, mc, mb))
	if len(a.Trend) > 1 {
		var ps []string
		for _, p := range a.Trend {
			v := "–"
			if p.HasCall {
				v = pct(p.ErrorBP)
			}
			ps = append(ps, p.Period+" "+v)
		}
		out += "\n" + text(loc, bot.M("forecast.accuracy.trend", strings.Join(ps, " · ")))
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
		first = tf(loc, "forecast.context.team", c.Team, c.Period.Name, money(c.Line.Won), money(c.Line.Commit), money(c.Line.BestCase), quota)
	} else {
		first = tf(loc, "forecast.context.mine", c.Period.Name, money(c.Line.Won), money(c.Line.Commit), money(c.Line.BestCase), quota)
	}
	blocks := []goslack.Block{section(first)}
	if p := c.Previous; p != nil {
		blocks = append(blocks, contextBlock(tf(loc, "forecast.context.previous", domain.DateOf(p.At), money(p.Commit), money(p.BestCase))))
	}
	if len(c.Reps) > 0 {
		lines := []string{text(loc, bot.M("forecast.context.reps"))}
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
