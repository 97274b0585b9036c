package teams

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// An Adaptive Card, as JSON: built as maps so that what is sent is exactly
// what the goldens show and the 1.5 schema validates.
type card = map[string]any

// cardVersion is the Adaptive Cards version Teams renders on every client.
const cardVersion = "1.5"

// maxListed bounds the items a card lists (deals, history entries): a card
// stays far below the connector's 100 KB.
const maxListed = 40

// renderer turns bot replies into Adaptive Cards in one locale; name shows
// a person (their Teams display name when the transport knows it).
type renderer struct {
	loc  i18n.Locale
	name func(domain.UserID) string
	// typed is a command as a Teams user types it (typedIn): the
	// catalogue's hints ("/deal new") and the help's usages are rewritten
	// with it (i18n.Commands).
	typed func(name string) (string, bool)
	// self is the bot's name as installed (App.botName): how users
	// mention it; "dealpilot" when nil.
	self func() string
}

// typedIn is how a Teams user types the bot's commands: a command's name,
// without a slash (the manifest's commandLists titles), so that a hint on
// Teams reads "deal new" where Slack's reads "/deal new".
func typedIn(commands map[string]*bot.Command) func(name string) (string, bool) {
	return func(name string) (string, bool) {
		c := commands["/"+name]
		if c == nil {
			return "", false
		}
		return strings.TrimPrefix(c.Name, "/"), true
	}
}

// commands names the commands of s as typed on Teams.
func (r renderer) commands(s string) string {
	if r.typed == nil {
		return s
	}
	return i18n.Commands(s, r.typed)
}

func (r renderer) person(u domain.UserID) string {
	if s, ok := i18n.Author(r.loc, u); ok { // the CRM import: words, not a person
		return md(s)
	}
	if r.name != nil {
		if n := r.name(u); n != "" {
			return md(n)
		}
	}
	return "@" + md(string(u))
}

// mentionFirst maps the catalogue's hints on deciding by a reply in a
// deal-desk request's thread to their form for a Teams reader: in a
// channel, Teams hands the bot only the messages that mention it (the
// manifest asks no ChannelMessage.Read.Group consent, see the README), so
// the hint shows each reply after the bot's mention, "@dealpilot reject
// <reason>" (bot.Self, by the bot's name as installed). A reply that follows Slack's hint would be lost
// without a word.
var mentionFirst = map[string]string{
	"deskbot.msg.howto":       "deskbot.msg.howto_mention",
	"deskbot.reply.not_taken": "deskbot.reply.not_taken_mention",
}

// text renders a catalogue message, people by name: no platform markup
// reaches Teams from the bot.
func (r renderer) text(m bot.Msg) string {
	if k, ok := mentionFirst[m.Key]; ok {
		m = bot.Msg{Key: k, Args: append([]any{bot.Self{}}, m.Args...), Icon: m.Icon}
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = r.arg(a)
	}
	return withGlyph(m.Icon, r.catalogue(m.Key, args...))
}

// catalogue is the message key as Teams Markdown: the catalogue is plain
// text, so its own *, _, [ ] (a config key "next_step", a usage "[period]")
// are escaped like user text before args, Markdown already, fill it.
func (r renderer) catalogue(key string, args ...any) string {
	format := i18n.T(r.loc, key) // without args, T is the message as written
	format = r.commands(format)
	if len(args) == 0 || !i18n.Has(key) {
		return md(format)
	}
	// Escape the text between verbs only: a verb's "%[2]s" is not markup.
	var b strings.Builder
	last := 0
	for _, v := range fmtVerb.FindAllStringIndex(format, -1) {
		b.WriteString(md(format[last:v[0]]) + format[v[0]:v[1]])
		last = v[1]
	}
	b.WriteString(md(format[last:]))
	return fmt.Sprintf(b.String(), args...)
}

// fmtVerb is a fmt verb of the catalogue: %s, %d, %[2]s, %%…
var fmtVerb = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

func (r renderer) arg(a any) any {
	switch v := a.(type) {
	case bot.Mention:
		return r.person(domain.UserID(v))
	case domain.UserID:
		return r.person(v)
	case desk.Users:
		return i18n.JoinUsers(r.loc, v, r.person, func(s string) string { return s })
	case domain.UserList:
		ns := make([]string, len(v))
		for i, u := range v {
			ns[i] = r.person(u)
		}
		return strings.Join(ns, ", ")
	case domain.SplitList:
		return i18n.JoinSplits(r.loc, v, r.person)
	case bot.Msg:
		return r.text(v)
	case bot.Strong:
		return r.strong(v)
	case bot.ChannelRef:
		return string(v)
	case bot.Self:
		if r.self != nil {
			if n := r.self(); n != "" {
				return "@" + md(n)
			}
		}
		return "@dealpilot"
	case bot.InviteHow:
		return i18n.T(r.loc, "help.intro") // never asked in Teams: the app is added to a team, not invited
	case string:
		return md(v)
	}
	if s, ok := i18n.Value(r.loc, a); ok { // an amount, a date, a field…
		return md(s)
	}
	if v, ok := a.(fmt.Stringer); ok {
		return md(v.String())
	}
	return a
}

// mdEscaper escapes what Teams' Markdown would read as markup in text
// people typed: emphasis, links, code and strikethrough (Adaptive Cards
// read no HTML). Slack's renderer escapes its markup the same way.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "~", `\~`)

// md is user text for a TextBlock or a Fact: shown as typed.
func md(s string) string { return mdEscaper.Replace(s) }

func (r renderer) msgs(ms []bot.Msg) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = r.text(m)
	}
	return out
}

// Card elements.

func textBlock(s string) map[string]any {
	return map[string]any{"type": "TextBlock", "text": s, "wrap": true}
}

func title(s string) map[string]any {
	return map[string]any{"type": "TextBlock", "text": s, "wrap": true, "weight": "Bolder", "size": "Medium"}
}

func subtle(s string) map[string]any {
	return map[string]any{"type": "TextBlock", "text": s, "wrap": true, "isSubtle": true, "spacing": "None"}
}

func facts(pairs [][2]string) map[string]any {
	fs := make([]any, 0, len(pairs))
	for _, p := range pairs {
		fs = append(fs, map[string]any{"title": p[0], "value": orDash(p[1])})
	}
	return map[string]any{"type": "FactSet", "facts": fs}
}

// table is an Adaptive Cards 1.5 Table: a header row then rows of text.
func table(header []string, rows [][]string) map[string]any {
	cols := make([]any, len(header))
	for i := range header {
		cols[i] = map[string]any{"width": 1}
	}
	row := func(cells []string, head bool) map[string]any {
		cs := make([]any, len(cells))
		for i, c := range cells {
			tb := map[string]any{"type": "TextBlock", "text": orDash(c), "wrap": true}
			if head {
				tb["weight"] = "Bolder"
			}
			cs[i] = map[string]any{"type": "TableCell", "items": []any{tb}}
		}
		return map[string]any{"type": "TableRow", "cells": cs}
	}
	rs := []any{row(header, true)}
	for _, c := range rows {
		rs = append(rs, row(c, false))
	}
	return map[string]any{"type": "Table", "columns": cols, "rows": rs, "firstRowAsHeader": true, "gridStyle": "default"}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// command is a button that runs a command as if typed (Action.Submit: a
// message with the value comes back, see App.onMessage).
func command(label, cmd string) map[string]any {
	return map[string]any{"type": "Action.Submit", "title": label, "data": map[string]any{commandKey: cmd}}
}

// Keys of a button's data: the command it types (commandKey); a bot
// button's action id (actionKey) and value (buttonKey, sealed by the App
// before the card is sent).
const (
	commandKey = "dealpilot_command"
	actionKey  = "dealpilot_action"
	buttonKey  = "dealpilot_value"
)

func newCard(body []any, actions []any) card {
	c := card{"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": cardVersion, "body": body}
	if len(actions) > 0 {
		c["actions"] = actions
	}
	return c
}

// plainCard is a card of lines of text (notices, refusals).
func plainCard(lines ...string) card {
	body := make([]any, 0, len(lines))
	for _, l := range lines {
		body = append(body, textBlock(l))
	}
	return newCard(body, nil)
}

// render turns a reply into a card and its summary (the notification text).
// ok is false for a reply type the renderer does not know: the card then
// says only that something went wrong.
func (r renderer) render(rep bot.Reply) (c card, summary string, ok bool) {
	switch v := rep.(type) {
	case bot.Notice:
		lines := r.msgs(v.Msgs)
		return plainCard(lines...), strings.Join(lines, " "), true
	case bot.Help:
		intro := r.text(v.Intro)
		var fs [][2]string
		for _, h := range v.Commands {
			fs = append(fs, [2]string{r.commands(h.Usage), r.text(h.What)})
		}
		return newCard([]any{textBlock(intro), facts(fs)}, nil), intro, true
	case bot.DealList:
		if len(v.Deals) == 0 {
			t := r.text(v.Empty)
			return plainCard(t), t, true
		}
		t := r.text(v.Title)
		return newCard(append([]any{title(t)}, r.dealLines(v.Deals, v.Count())...), nil), t, true
	case bot.Created:
		d := v.Deal
		t := r.text(bot.M("deal.created", d.ID.Ref(), d.Name, d.Account, i18n.FormatAmount(r.loc, d.Amount, d.Currency), i18n.Localize(r.loc, d.CloseDate)))
		return newCard([]any{textBlock(t)}, r.dealActions(d)), t, true
	case bot.Card:
		return r.dealCard(v), v.Deal.ID.Ref() + " · " + v.Deal.Name, true
	case bot.HistoryList:
		return r.history(v), r.text(bot.M("history.title", v.Deal.ID.Ref())), true
	case bot.Candidates:
		t := r.text(bot.M("candidates.intro", v.Words))
		body := append([]any{textBlock(t)}, r.dealLines(v.Deals, len(v.Deals))...)
		if len(v.Deals) > 0 {
			body = append(body, subtle(r.text(bot.M("candidates.hint", v.Deals[0].ID.Ref()))))
		}
		return newCard(body, nil), t, true
	case bot.Home:
		if v.Refusal.Key != "" {
			t := r.text(v.Refusal)
			return plainCard(t), t, true
		}
		t := r.text(bot.M("list.header"))
		var renewals []any
		if len(v.Renewals) > 0 {
			renewals = append(renewals, title(r.text(bot.M("home.renewals"))))
			for _, rn := range v.Renewals {
				renewals = append(renewals, textBlock(r.text(rn.Msg())))
			}
		}
		if len(v.Deals) == 0 {
			e := r.text(bot.M("home.empty"))
			if len(renewals) > 0 {
				return newCard(append([]any{textBlock(e)}, renewals...), nil), e, true
			}
			return plainCard(e), e, true
		}
		return newCard(append(append([]any{title(t)}, r.dealLines(v.Deals, v.Count())...), renewals...), nil), t, true
	case bot.WithPosts:
		return r.render(v.Reply)
	case bot.Announcement:
		lines := r.msgs(v.Msgs)
		return plainCard(lines...), strings.Join(lines, " "), true
	case bot.DeskRequestView:
		return r.deskRequest(v), v.Deal.ID.Ref() + " · " + v.Deal.Name, true
	case bot.DeskApprovals:
		t := r.text(bot.M("deskbot.approvals.title", len(v.Items)))
		body := []any{title(t)}
		for _, it := range v.Items {
			body = append(body, textBlock(fmt.Sprintf("%s %s · %s · %s", it.Deal.ID.Ref(), md(it.Deal.Name),
				i18n.FormatBP(r.loc, it.Request.DiscountBP), r.person(it.Request.Requester))))
		}
		return newCard(body, nil), t, true
	case bot.Reminder:
		return r.reminder(v), r.person(v.Rep), true
	case bot.CoachSummary:
		return r.coachSummary(v), r.text(bot.M("coach.summary.title", v.Team)), true
	case bot.Pipeline:
		return r.pipeline(v), r.text(bot.M("pipeline.title", v.Scope)), true
	case bot.SegmentsReport:
		t := r.text(bot.M("segment.title", domain.AttrField(v.Table.Attribute), v.Scope))
		rows := report.SegmentRows(r.loc, v.Currency, v.Table)
		for _, row := range rows {
			for i := range row {
				row[i] = md(row[i])
			}
		}
		var tail []any
		for _, line := range report.SegmentFit(r.loc, v.Table, v.HasICP) {
			tail = append(tail, textBlock(md(line)))
		}
		if v.Skipped > 0 {
			tail = append(tail, subtle(r.text(bot.M("pipeline.skipped", v.Skipped))))
		}
		tail = append(tail, subtle(r.text(bot.M("segment.rule", v.MinDeals))))
		// As many values as a card holds (fitRows), the total always; the
		// values left out are counted, with where to see them all.
		values, total := rows[:len(rows)-1], rows[len(rows)-1]
		build := func(n int) card {
			body := []any{title(t), subtle(r.text(bot.M("segment.period", coaching.Day(v.Table.Period.From), coaching.Day(v.Table.Period.To)))),
				table(report.SegmentColumns(r.loc), append(slices.Clone(values[:n]), total))}
			if left := len(values) - n; left > 0 {
				body = append(body, subtle(r.text(bot.M("segment.rows_left_card", left, v.Table.Attribute))))
			}
			return newCard(append(body, tail...), nil)
		}
		if len(values) == 0 {
			return build(0), t, true
		}
		return fitRows(len(values), build), t, true
	case bot.ICPReview:
		return r.review(v), r.text(v.Title), true
	case bot.Retention:
		lines := r.msgs(v.Lines())
		body := []any{title(lines[0])}
		for _, l := range lines[1:] {
			body = append(body, textBlock(l))
		}
		return newCard(body, nil), lines[0], true
	case bot.PipelineLosses:
		return r.losses(v), r.text(bot.M("losses.title", v.Scope)), true
	case bot.ForecastReport:
		return r.forecastReport(v), r.text(v.Title), true
	case bot.ForecastDigest:
		d := r.digest(v)
		return d.card, d.summary, true
	case bot.ForecastAccuracy:
		return r.forecastAccuracy(v), r.text(v.Title), true
	case bot.CallContext:
		t := md(v.Period.Name)
		if v.Team != "" {
			t = md(v.Team) + " · " + t
		}
		return r.callContext(v), t, true
	case bot.CommissionStatement:
		t := r.text(v.Title)
		body := []any{title(t)}
		for _, sec := range v.Sections {
			body = append(body, textBlock("**"+r.text(sec.Heading)+"**"))
			for _, l := range sec.Lines {
				body = append(body, textBlock(r.text(l)))
			}
		}
		return newCard(body, nil), t, true
	case bot.ImportSummary:
		// Files are imported from Slack only (issue 19 point 3): shown
		// here, a dry run is its text, without Import or Cancel.
		lines := r.msgs([]bot.Msg{bot.M("import.summary.title", v.File, v.Format, v.Rows), bot.M("import.summary.counts",
			v.Counts[crm.Create], v.Counts[crm.Update], v.Counts[crm.Unchanged], v.Counts[crm.Conflict], v.Counts[crm.Invalid])})
		for _, p := range v.Problems {
			lines = append(lines, "• "+md(p))
		}
		return plainCard(lines...), lines[0], true
	case bot.OpenForm:
		return r.formCard(v.Form, nil), r.text(v.Form.Title), true
	}
	t := i18n.T(r.loc, "error.internal")
	return plainCard(t), t, false
}

// dealLines lists deals, the first of total, and how many more there are.
func (r renderer) dealLines(deals []*domain.Deal, total int) []any {
	var out []any
	for i, d := range deals {
		if i == maxListed {
			break
		}
		line := fmt.Sprintf("%s %s · %s · %s · %s · %s", d.ID.Ref(), md(d.Name), md(d.Account), i18n.Localize(r.loc, bot.LineAmount(d)), md(d.Stage),
			r.text(bot.M("list.closing", i18n.Localize(r.loc, d.CloseDate))))
		if d.NextStep != "" {
			line += "\n" + r.text(bot.M("list.due", d.NextStep, i18n.Localize(r.loc, d.NextStepDue)))
		}
		out = append(out, textBlock(line))
	}
	if more := total - min(len(deals), maxListed); more > 0 {
		out = append(out, subtle(r.text(bot.M("list.more", more))))
	}
	return out
}

func (r renderer) dealActions(d *domain.Deal) []any {
	if d.Status != domain.Open {
		return nil
	}
	ref := d.ID.Ref()
	return []any{
		command(i18n.T(r.loc, "card.button.update"), "deal update "+ref),
		command(i18n.T(r.loc, "card.button.next_step"), "deal next "+ref),
		command(i18n.T(r.loc, "card.button.history"), "deal history "+ref),
	}
}

func (r renderer) label(f domain.Field) string { return i18n.FieldName(r.loc, f) }

// review is the quarterly ICP review: each proposal with its numbers and
// Accept / Dismiss (Action.Execute, answered at once), or its decision.
func (r renderer) review(v bot.ICPReview) card {
	body := []any{title(r.text(v.Title)), textBlock(r.text(v.Intro))}
	for _, it := range v.Items {
		body = append(body, map[string]any{"type": "TextBlock", "text": r.text(it.Text), "wrap": true, "separator": true})
		body = append(body, subtle(r.text(bot.M("review.quarters"))+" "+strings.Join(r.msgs(it.Quarters), " · ")))
		if it.Decided != nil {
			body = append(body, subtle(r.text(*it.Decided)))
			continue
		}
		body = append(body, map[string]any{"type": "ActionSet", "actions": []any{
			execute(r.text(bot.M("review.accept")), bot.ActionICPAccept, it.Value),
			execute(r.text(bot.M("review.dismiss")), bot.ActionICPDismiss, it.Value),
		}})
	}
	if v.None.Key != "" {
		body = append(body, textBlock(r.text(v.None)))
	}
	if len(v.Last) > 0 {
		lines := r.msgs(v.Last)
		for i := 1; i < len(lines); i++ {
			lines[i] = "- " + lines[i]
		}
		body = append(body, map[string]any{"type": "TextBlock", "text": strings.Join(lines, "\n"), "wrap": true, "separator": true})
	}
	return newCard(body, nil)
}

// net is what the customer pays once a discount is approved, after the list
// amount on the deal card (issue 14: the card shows list and net, as Slack's
// does); "" without a discount.
func (r renderer) net(d *domain.Deal) string {
	if d.Discount <= 0 {
		return ""
	}
	return " · " + i18n.T(r.loc, "deskbot.card.net", i18n.FormatAmount(r.loc, d.NetAmount(), d.Currency), i18n.FormatBP(r.loc, d.Discount))
}

func (r renderer) change(e domain.HistoryEntry, currency string) string {
	val := func(v string) string {
		x := domain.DisplayValue(e.Field, v, currency)
		if sl, ok := x.(domain.SplitList); ok { // people, by name
			return i18n.JoinSplits(r.loc, sl, r.person)
		}
		if s, ok := i18n.Value(r.loc, x); ok { // money, a date, a category…
			return md(s)
		}
		switch x := x.(type) {
		case domain.UserID:
			return r.person(x)
		case string:
			return md(strings.Join(strings.Fields(x), " "))
		}
		return md(v)
	}
	if e.Old == "" {
		return i18n.T(r.loc, "history.set", e.Field, val(e.New))
	}
	return i18n.T(r.loc, "history.change", e.Field, val(e.Old), val(e.New))
}

func (r renderer) history(h bot.HistoryList) card {
	d := h.Deal
	tz := h.TZ
	if tz == nil {
		tz = time.UTC
	}
	body := []any{title(r.text(bot.M("history.title", d.ID.Ref()))), subtle(md(d.Name) + " · " + md(d.Account))}
	if len(h.Entries) == 0 {
		return newCard(append(body, textBlock(r.text(bot.M("history.empty", d.ID.Ref())))), nil)
	}
	es := append([]domain.HistoryEntry(nil), h.Entries...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].At.After(es[j].At) })
	var fs [][2]string
	for i, e := range es {
		if i == maxListed {
			break
		}
		at := e.At.In(tz)
		fs = append(fs, [2]string{r.text(bot.M("history.at", domain.DateOf(at), at.Format("15:04"))) + " · " + r.person(e.By), r.change(e, d.Currency)})
	}
	body = append(body, facts(fs))
	if older := len(es) - len(fs); older > 0 {
		body = append(body, subtle(r.text(bot.M("history.more", older))))
	}
	return newCard(body, nil)
}

func (r renderer) deskRequest(v bot.DeskRequestView) card {
	q, d := v.Request, v.Deal
	money := func(minor int64) string { return i18n.FormatAmount(r.loc, minor, q.Currency) }
	body := []any{
		title(r.text(bot.M("deskbot.msg.title.request", q.ID)) + " · " + d.ID.Ref() + " · " + md(d.Name)),
		subtle(md(d.Account)),
		facts([][2]string{
			{i18n.T(r.loc, "deskbot.msg.list"), money(q.ListAmount)},
			{i18n.T(r.loc, "deskbot.msg.discount"), i18n.FormatBP(r.loc, q.DiscountBP)},
			{i18n.T(r.loc, "deskbot.msg.net"), money(q.NetAmount)},
			{i18n.T(r.loc, "deskbot.msg.cost"), money(q.Cost())},
			{r.label(domain.FieldStage), md(d.Stage)},
			{r.label(domain.FieldCloseDate), i18n.Localize(r.loc, d.CloseDate)},
			{i18n.T(r.loc, "deskbot.msg.requester"), r.person(q.Requester)},
			{r.label(domain.FieldOwner), r.person(d.Owner)},
			{i18n.T(r.loc, "desk.field.justification"), md(q.Justification)},
		}),
		textBlock(r.deskChain(q)),
	}
	var actions []any
	if q.Status == desk.StatusPending && len(q.Steps) > 0 {
		val := bot.TurnValue(q)
		// Approve decides at once, in place, for everyone (Action.Execute);
		// Reject and Request changes ask a reason in a dialog.
		actions = []any{
			withStyle(execute(i18n.T(r.loc, "deskbot.button.approve"), bot.ActionDeskApprove, val), "positive"),
			r.dialogButton(i18n.T(r.loc, "deskbot.button.reject"), bot.ActionDeskReject, val),
			r.dialogButton(i18n.T(r.loc, "deskbot.button.changes"), bot.ActionDeskChanges, val),
		}
		body = append(body, subtle(r.text(bot.M("deskbot.msg.howto"))))
	}
	return newCard(body, actions)
}

// dialogButton opens a dialog for a bot button (actionID) with value.
func (r renderer) dialogButton(label, actionID, value string) map[string]any {
	return map[string]any{"type": "Action.Submit", "title": label,
		"data": map[string]any{"msteams": map[string]any{"type": "task/fetch"}, actionKey: actionID, buttonKey: value}}
}

// deskChain is the request's status and approval chain in one line.
func (r renderer) deskChain(q *desk.Request) string {
	parts := []string{i18n.T(r.loc, "deskbot.msg.chain") + ": " + string(q.Status)}
	for i, st := range q.Steps {
		who := make([]string, len(st.Approvers))
		for j, u := range st.Approvers {
			who[j] = r.person(u)
		}
		s := fmt.Sprintf("%d. %s (%s)", i+1, strings.Join(who, ", "), st.Role)
		if dec, ok := q.StepDecision(i); ok {
			s += " · " + string(dec.Verdict) + " · " + r.person(dec.By)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n")
}

func withStyle(m map[string]any, style string) map[string]any { m["style"] = style; return m }

// execute is a bot button that acts at once (Action.Execute): Teams sends
// an adaptiveCard/action invoke and shows the bot's answer.
func execute(label, actionID, value string) map[string]any {
	return map[string]any{"type": "Action.Execute", "title": label, "verb": actionID, "data": map[string]any{buttonKey: value}}
}

// attachment wraps a card for an activity.
func attachment(c card) (Attachment, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return Attachment{}, err
	}
	return Attachment{ContentType: AdaptiveCardType, Content: raw}, nil
}
