package teams

// The forecast as Adaptive Cards: the /forecast reply, the Monday digest
// (one card, or as many as its rows take when it would weigh more than a
// card may) and the context shown above the call form. They carry what
// Slack's do (bot/slack/render_forecast.go): the headline figures, the
// week line and the team's call, who has no quota, the per-rep table (the
// same six columns, report.PhoneColumns), the changes and slips since the
// last digest, the forecast's accuracy and the Submit my call button.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// maxCard is the most a card the bot sends may weigh, counted as Teams
// counts a message (UTF-16, base64 images left out, messageSize): 28 KB,
// the card limit Teams documents for cards posted by webhooks and
// connectors. A bot's message may take 100 KB (MaxPayload), but a card
// that heavy is slow to render on a phone; 28 KB keeps every card well
// inside both.
const maxCard = 28 << 10

// sealRoom is room kept under maxCard for what the App adds to a card
// after it is rendered: the seals on its buttons' values (sealButtons), a
// few dozen characters each.
const sealRoom = 1 << 10

// changesPerList bounds each list of the digest's changes; the rest is
// counted (as Slack's digest does).
const changesPerList = 8

// cardFits reports whether c, its buttons once sealed, weighs at most
// maxCard.
func cardFits(c card) bool {
	raw, err := json.Marshal(c)
	return err == nil && messageSize(raw) <= maxCard-sealRoom
}

// rendered is a card and its summary (the notification's text).
type rendered struct {
	card    card
	summary string
}

// figures is a line's ten headline figures, as Slack's digest shows them.
func (r renderer) figures(currency string, l forecast.Line) map[string]any {
	fs := report.Figures(r.loc, currency, l)
	for i := range fs {
		fs[i] = [2]string{md(fs[i][0]), md(fs[i][1])}
	}
	return facts(fs)
}

// noQuota names the members without a quota, under the headline, so no
// one reads the team's coverage as everyone's.
func (r renderer) noQuota(total forecast.Line, none domain.UserList) []any {
	if len(none) == 0 {
		return nil
	}
	key := "forecast.no_quota"
	if !total.HasQuota {
		key = "forecast.no_quota_any"
	}
	return []any{subtle(r.text(bot.M(key, none)))}
}

// forecastTable is rows as a Table of the six columns a phone shows, each
// rep by name.
func (r renderer) forecastTable(currency string, rows []report.Row) map[string]any {
	head := report.Header(r.loc, currency)
	header := make([]string, len(report.PhoneColumns))
	for i, c := range report.PhoneColumns {
		header[i] = md(head[c])
	}
	var cells [][]string
	for _, row := range rows {
		all := report.Cells(r.loc, currency, row)
		cs := make([]string, len(report.PhoneColumns))
		for i, c := range report.PhoneColumns {
			cs[i] = md(all[c])
		}
		if row.Line.User != "" {
			cs[0] = r.person(row.Line.User)
		}
		cells = append(cells, cs)
	}
	return table(header, cells)
}

// forecastReport is /forecast's answer: the figures of the line asked for,
// who has no quota, then the table (when there is more than that line) of
// as many rows as a card takes, the rest counted.
func (r renderer) forecastReport(v bot.ForecastReport) card {
	head := []any{title(r.text(v.Title)), r.figures(v.Currency, v.Focus)}
	head = append(head, r.noQuota(v.Focus, v.NoQuota)...)
	var tail []any
	if v.Skipped > 0 {
		tail = append(tail, subtle(r.text(bot.M("forecast.skipped", v.Skipped))))
	}
	if len(v.Rows) <= 1 {
		return newCard(append(head, tail...), nil)
	}
	build := func(n int) card {
		body := append(append([]any{}, head...), r.forecastTable(v.Currency, v.Rows[:n]))
		if more := len(v.Rows) - n; more > 0 {
			body = append(body, subtle(r.text(bot.M("forecast.rows_more", more))))
		}
		return newCard(append(body, tail...), nil)
	}
	return fitRows(len(v.Rows), build)
}

// fitRows is build(n) for the largest n of at most total rows whose card
// fits (one row at least).
func fitRows(total int, build func(n int) card) card {
	if c := build(total); cardFits(c) {
		return c
	}
	lo, hi := 1, total-1 // build(lo) is taken even when it does not fit
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if cardFits(build(mid)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return build(lo)
}

// digest is a team's digest as one card, whatever it weighs (what a reply
// shows; posting it goes through digestCards).
func (r renderer) digest(d bot.ForecastDigest) rendered {
	return r.digestPart(d, d.Rows, 1, 1)
}

// digestCards is a team's digest as the cards it is posted as: one when it
// fits, else its rows cut in as few even slices as make every card fit,
// each card under the digest's title numbered "(2/3)"; the first opens
// with the week, the figures and the calls, the last ends with the
// changes, the accuracy and the Submit my call button.
func (r renderer) digestCards(d bot.ForecastDigest) []rendered {
	one := r.digest(d)
	if cardFits(one.card) || len(d.Rows) < 2 {
		return []rendered{one}
	}
	for n := 2; n <= len(d.Rows); n++ {
		size := (len(d.Rows) + n - 1) / n
		parts := (len(d.Rows) + size - 1) / size
		var out []rendered
		for i := range parts {
			p := r.digestPart(d, d.Rows[i*size:min((i+1)*size, len(d.Rows))], i+1, parts)
			if !cardFits(p.card) {
				out = nil
				break
			}
			out = append(out, p)
		}
		if out != nil {
			return out
		}
	}
	return []rendered{one} // one row over the limit: refused as it is, and said
}

// digestPart is part i of n of a digest, holding rows.
func (r renderer) digestPart(d bot.ForecastDigest, rows []report.Row, i, n int) rendered {
	cur := d.Currency
	t := r.text(bot.M("forecast.digest.header", d.Team, d.Period.Name))
	if n > 1 {
		t = r.text(bot.M("forecast.digest.header_part", d.Team, d.Period.Name, i, n))
	}
	body := []any{title(t)}
	if i == 1 {
		body = append(body, subtle(r.text(bot.M("forecast.digest.week", d.Week, cur))), r.figures(cur, d.Total))
		if c := d.TeamCall; c != nil {
			body = append(body, subtle(r.text(bot.M("forecast.digest.team_call", domain.Money{Minor: c.Commit, Currency: cur}, domain.Money{Minor: c.BestCase, Currency: cur}))))
		}
		body = append(body, r.noQuota(d.Total, d.NoQuota)...)
	}
	if len(rows) > 0 {
		body = append(body, r.forecastTable(cur, rows))
	}
	var actions []any
	if i == n {
		changes := r.changes(d)
		changes[0].(map[string]any)["separator"] = true
		body = append(body, changes...)
		body = append(body, subtle(r.accuracy(d.Accuracy, cur)))
		actions = []any{withStyle(r.dialogButton(r.text(bot.M("forecast.button.submit")), bot.ActionSubmitCall, d.Period.Name), "positive")}
	}
	return rendered{card: newCard(body, actions), summary: t}
}

// changes lists what changed since the previous digest, the deals that
// slipped out of the period apart, each with its owner.
func (r renderer) changes(d bot.ForecastDigest) []any {
	if d.Changes == nil {
		return []any{textBlock(r.text(bot.M("forecast.changes.first")))}
	}
	ch := d.Changes
	if ch.Len() == 0 {
		return []any{textBlock(r.text(bot.M("forecast.changes.none", ch.From)))}
	}
	money := func(v int64) string { return md(i18n.FormatAmount(r.loc, v, d.Currency)) }
	delta := func(v int64) string {
		if v > 0 {
			return "+" + money(v)
		}
		return money(v)
	}
	ref := func(it forecast.Item) string { return "**" + it.Deal.Ref() + "**" }
	plainItem := func(it forecast.Item) string {
		return fmt.Sprintf("%s · %s · %s", ref(it), r.person(it.Owner), money(it.Amount))
	}
	amount := func(it forecast.Item) string {
		return fmt.Sprintf("%s · %s · %s → %s (%s)", ref(it), r.person(it.Owner), money(it.OldAmount), money(it.Amount), delta(it.Delta))
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
				return plainItem(it) + " · " + md(i18n.T(r.loc, "forecast.changes.lost_to", c))
			}
			return plainItem(it)
		}},
		{"forecast.changes.reopened", ch.Reopened, plainItem},
		{"forecast.changes.pulled_in", ch.PulledIn, func(it forecast.Item) string {
			return plainItem(it) + " · " + md(i18n.Localize(r.loc, it.OldCloseDate)) + " → " + md(i18n.Localize(r.loc, it.CloseDate))
		}},
		{"forecast.changes.amount_up", ch.AmountUp, amount},
		{"forecast.changes.amount_down", ch.AmountDown, amount},
		{"forecast.changes.category", ch.CategoryMoves, func(it forecast.Item) string {
			return plainItem(it) + " · " + md(i18n.T(r.loc, "category."+string(it.OldCategory))) + " → " + md(i18n.T(r.loc, "category."+string(it.Category)))
		}},
		{"forecast.changes.reassigned", ch.Reassigned, func(it forecast.Item) string {
			return fmt.Sprintf("%s · %s → %s · %s", ref(it), r.person(it.OldOwner), r.person(it.Owner), money(it.Amount))
		}},
		{"forecast.changes.gone", ch.Gone, plainItem},
	}
	out := []any{textBlock("**" + r.text(bot.M("forecast.changes.title", ch.From)) + "**")}
	for _, l := range lists {
		if len(l.items) > 0 {
			out = append(out, textBlock(r.itemList("**"+md(i18n.T(r.loc, l.key))+"**", l.items, l.line)))
		}
	}
	if len(ch.Slipped) > 0 {
		t := "**" + r.text(bot.M("forecast.slipped.title", d.Period.Name)) + "**"
		out = append(out, textBlock(r.itemList(t, ch.Slipped, func(it forecast.Item) string {
			return r.text(bot.M("forecast.slipped.item", bot.Bold(it.Deal.Ref()), it.Owner,
				domain.Money{Minor: it.Amount, Currency: d.Currency}, it.OldCloseDate, it.CloseDate))
		})))
	}
	return out
}

// itemList is a title and up to changesPerList lines, the rest counted.
func (r renderer) itemList(title string, items []forecast.Item, line func(forecast.Item) string) string {
	lines := []string{title}
	for i, it := range items {
		if i == changesPerList {
			lines = append(lines, r.text(bot.M("forecast.changes.more", len(items)-changesPerList)))
			break
		}
		lines = append(lines, "• "+line(it))
	}
	return strings.Join(lines, "\n")
}

// accuracy is the digest's accuracy lines: the last closed quarter's
// signed errors, the trend at the start with the team's label, and the
// reps who over-call or sandbag.
func (r renderer) accuracy(a *bot.DigestAccuracy, currency string) string {
	if a == nil {
		return r.text(bot.M("forecast.accuracy.none"))
	}
	sc, sb := report.AccuracyPoint(r.loc, currency, a.Start)
	mc, mb := report.AccuracyPoint(r.loc, currency, a.M1)
	lines := []string{r.text(bot.M("forecast.accuracy.line", a.Period, domain.Money{Minor: a.Actual, Currency: currency}, sc, sb, mc, mb))}
	if trend := report.AccuracyTrend(r.loc, a.Trend); trend != "" {
		if a.Bias != forecast.BiasUnknown {
			lines = append(lines, r.text(bot.M("forecast.accuracy.trend_bias", trend, report.Bias(r.loc, a.Bias))))
		} else {
			lines = append(lines, r.text(bot.M("forecast.accuracy.trend", trend)))
		}
	}
	if len(a.Over) > 0 {
		lines = append(lines, r.text(bot.M("forecast.accuracy.over", a.Over)))
	}
	if len(a.Under) > 0 {
		lines = append(lines, r.text(bot.M("forecast.accuracy.under", a.Under)))
	}
	return strings.Join(lines, "\n")
}

// callContext is shown above the call form's inputs: the bottom-up figures
// the call is made against, the call standing, and for a team's call each
// rep's figures and call.
func (r renderer) callContext(c bot.CallContext) card {
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: c.Currency} }
	var quota any = "–"
	if c.Line.HasQuota {
		quota = money(c.Line.Quota)
	}
	var first string
	if c.Team != "" {
		first = r.text(bot.M("forecast.context.team", bot.Bold(bot.M("forecast.context.team.title", c.Team, c.Period.Name)), money(c.Line.Won), money(c.Line.Commit), money(c.Line.BestCase), quota))
	} else {
		first = r.text(bot.M("forecast.context.mine", bot.Bold(bot.M("forecast.context.mine.title", c.Period.Name)), money(c.Line.Won), money(c.Line.Commit), money(c.Line.BestCase), quota))
	}
	body := []any{textBlock(first)}
	if p := c.Previous; p != nil {
		body = append(body, subtle(r.text(bot.M("forecast.context.previous", domain.DateOf(p.At), money(p.Commit), money(p.BestCase)))))
	}
	if len(c.Reps) > 0 {
		lines := []string{"**" + r.text(bot.M("forecast.context.reps")) + "**"}
		for _, rc := range c.Reps {
			if rc.Call != nil {
				lines = append(lines, r.text(bot.M("forecast.context.rep", rc.User, money(rc.Line.Commit), money(rc.Line.BestCase), money(rc.Call.Commit), money(rc.Call.BestCase))))
			} else {
				lines = append(lines, r.text(bot.M("forecast.context.rep_none", rc.User, money(rc.Line.Commit), money(rc.Line.BestCase))))
			}
		}
		body = append(body, textBlock(strings.Join(lines, "\n")))
	}
	return newCard(body, nil)
}

// forecastAccuracy is /forecast accuracy's answer, as Slack's: the
// definition, the table (reps by name, then the team) of as many rows as a
// card takes, and the reps whose calls lean one way.
func (r renderer) forecastAccuracy(a bot.ForecastAccuracy) card {
	head := []any{title(r.text(a.Title)), subtle(r.text(bot.M("forecast.accuracy.definition")))}
	if len(a.Periods) == 0 || len(a.Rows) == 0 {
		return newCard(append(head, textBlock(r.text(bot.M("forecast.accuracy.none_closed", bot.M("forecast.accuracy.kind."+a.Kind.String()))))), nil)
	}
	var over, under domain.UserList
	reps := 0
	for _, row := range a.Rows {
		if u := row.Row.User; u != "" {
			reps++
			switch row.Row.StartBias {
			case forecast.BiasOver:
				over = append(over, u)
			case forecast.BiasUnder:
				under = append(under, u)
			}
		}
	}
	var tail []any
	switch {
	case len(over) > 0 || len(under) > 0:
		var lines []string
		if len(over) > 0 {
			lines = append(lines, r.text(bot.M("forecast.accuracy.over", over)))
		}
		if len(under) > 0 {
			lines = append(lines, r.text(bot.M("forecast.accuracy.under", under)))
		}
		tail = append(tail, textBlock(strings.Join(lines, "\n")))
	case reps > 0:
		tail = append(tail, subtle(r.text(bot.M("forecast.accuracy.nobody"))))
	}
	header := mdAll(report.AccuracyHeader(r.loc, a.Periods))
	build := func(n int) card {
		var cells [][]string
		for _, row := range a.Rows[:n] {
			cs := mdAll(report.AccuracyCells(r.loc, a.Currency, row))
			if row.Row.User != "" {
				cs[0] = r.person(row.Row.User)
			}
			cells = append(cells, cs)
		}
		body := append(append([]any{}, head...), table(header, cells))
		if more := len(a.Rows) - n; more > 0 {
			body = append(body, subtle(r.text(bot.M("forecast.rows_more", more))))
		}
		return newCard(append(body, tail...), nil)
	}
	return fitRows(len(a.Rows), build)
}
