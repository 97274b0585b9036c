package slack

// Rendering of the deal views: the card, a deal's history, the candidates
// for ambiguous words, App Home, announcements and the deal picker's
// options. Everything here is pure: bot replies in, Block Kit out. User text
// is escaped (escape, escapeMax) or passed through text(); mrkdwn this file
// builds itself travels as markup so it is not escaped twice.

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// More of Slack's limits (docs.slack.dev, Block Kit reference).
const (
	maxViewBlocks    = 100 // modal or App Home
	maxFieldText     = 2000
	maxButtonText    = 75
	maxSelectOptions = 100
	maxViewBytes     = 250 * 1024 // a view's JSON
)

// How much of a user's text the compact views show; the card and the update
// form show it all (within Slack's limits).
const (
	historyValueMax = 300 // one history value
	homeNextStepMax = 200 // a next step on App Home
	// A deal or account name, escaped: names are at most 150 characters
	// and each becomes at most 5 ("&amp;"), so this only guards data that
	// skipped validation.
	nameMax = 5 * domain.MaxNameLen
)

// Stable block ids of the card, so handlers and tests can find its parts.
const (
	blockCardNote          = "card_note"
	blockCardTitle         = "card_title"
	blockCardStatus        = "card_status"
	blockCardFields        = "card_fields"
	blockCardQualification = "card_qualification"
	blockCardNextStep      = "card_next_step"
	blockCardLastChange    = "card_last_change"
	blockCardContract      = "card_contract"
	blockCardActions       = "card_actions"
)

// markup is mrkdwn built here with every piece of user text already escaped;
// tf passes it into a message as is.
type markup string

// tf renders a catalogue message like text does, except that markup
// arguments are kept as they are and user ids (domain.UserID, UserList)
// become mentions.
func tf(loc i18n.Locale, key string, args ...any) string {
	out := make([]any, len(args))
	for i, a := range args {
		if v, ok := a.(markup); ok {
			out[i] = string(v)
		} else {
			out[i] = arg(loc, a)
		}
	}
	return catalogue(loc, key, out...)
}

// msgText is text for messages the bot composed (card notes,
// announcements), whose arguments may name users as domain ids.
func msgText(loc i18n.Locale, m bot.Msg) string { return withIcon(m.Icon, tf(loc, m.Key, m.Args...)) }

// escapeMax escapes s and keeps at most max runes of the result, marking a
// cut with "…". It cuts between characters of s, never inside an entity
// such as "&amp;".
func escapeMax(s string, max int) string {
	e := escape(s)
	if utf8.RuneCountInString(e) <= max {
		return e
	}
	var b strings.Builder
	n := 0
	var one [utf8.UTFMax]byte
	for _, r := range s {
		piece := escape(string(one[:utf8.EncodeRune(one[:], r)]))
		k := utf8.RuneCountInString(piece)
		if n+k > max-1 {
			break
		}
		b.WriteString(piece)
		n += k
	}
	b.WriteString("…")
	return b.String()
}

// orDash is v escaped, or "—" when v is blank.
func orDash(v string, max int) string {
	if strings.TrimSpace(v) == "" {
		return "—"
	}
	return escapeMax(v, max)
}

func sectionID(id, mrkdwn string) *goslack.SectionBlock {
	s := section(mrkdwn)
	s.BlockID = id
	return s
}

func contextID(id, mrkdwn string) *goslack.ContextBlock {
	c := contextBlock(mrkdwn)
	c.BlockID = id
	return c
}

// mrkdwnField is a section field: label, plain catalogue text, escaped
// and in bold over value, which is mrkdwn already.
func mrkdwnField(label, value string) *goslack.TextBlockObject {
	return goslack.NewTextBlockObject(goslack.MarkdownType, truncate(bold(escape(label))+"\n"+value, maxFieldText), false, false)
}

func button(loc i18n.Locale, actionID, key string, id domain.DealID) *goslack.ButtonBlockElement {
	return goslack.NewButtonBlockElement(actionID, strconv.FormatUint(uint64(id), 10), plain(text(loc, bot.M(key)), maxButtonText))
}

// dealTitle is "*D-12 · name*", the way every deal view names a deal.
func dealTitle(d *domain.Deal) string {
	return "*" + d.ID.Ref() + " · " + escapeMax(d.Name, nameMax) + "*"
}

// dueState says when a next step is due, seen from today: in bold when it
// is overdue. A zero today (unknown) gives the plain date.
func dueState(loc i18n.Locale, due, today domain.Date) string {
	switch {
	case due.IsZero():
		return text(loc, bot.M("due.none"))
	case today.IsZero():
		return text(loc, bot.M("due.on", due))
	case due.Before(today):
		return bold(text(loc, bot.M("due.overdue", due)))
	}
	switch n := today.DaysUntil(due); n {
	case 0:
		return text(loc, bot.M("due.today"))
	case 1:
		return text(loc, bot.M("due.tomorrow"))
	default:
		return text(loc, bot.M("due.in_days", n, due))
	}
}

// renderCard shows one deal: notes, title, status, key figures,
// qualification, next step, last change and buttons.
func renderCard(loc i18n.Locale, c bot.Card) message {
	d := c.Deal
	var blocks []goslack.Block
	var fallback string
	if len(c.Note) > 0 {
		notes := make([]string, len(c.Note))
		for i, m := range c.Note {
			notes[i] = msgText(loc, m)
		}
		fallback = strings.Join(notes, "\n")
		blocks = append(blocks, sectionID(blockCardNote, fallback))
	}
	title := dealTitle(d) + "\n" + escapeMax(d.Account, nameMax)
	if fallback == "" {
		fallback = d.ID.Ref() + " · " + escapeMax(d.Name, nameMax)
	}
	blocks = append(blocks, sectionID(blockCardTitle, title))

	switch d.Status {
	case domain.Won:
		blocks = append(blocks, sectionID(blockCardStatus, bold(text(loc, bot.M("card.won")))+" "+emoji(bot.IconWon)))
	case domain.Lost:
		status := tf(loc, "card.lost", bot.Bold(bot.M("card.lost.title")), markup(orDash(d.LossReason, maxSectionText-400)))
		if d.Competitor != "" {
			status += " · " + tf(loc, "card.competitor", markup(escapeMax(d.Competitor, 200)))
		}
		blocks = append(blocks, sectionID(blockCardStatus, status))
	}

	label := func(f domain.Field) string { return i18n.Localize(loc, f) }
	blocks = append(blocks, goslack.NewSectionBlock(nil, []*goslack.TextBlockObject{
		mrkdwnField(label(domain.FieldAmount), escape(i18n.FormatAmount(loc, d.Amount, d.Currency))+netSuffix(loc, d)),
		mrkdwnField(label(domain.FieldStage), orDash(d.Stage, 200)),
		mrkdwnField(label(domain.FieldCategory), escape(i18n.Localize(loc, d.Category))),
		mrkdwnField(label(domain.FieldCloseDate), escape(i18n.Localize(loc, d.CloseDate))),
		mrkdwnField(label(domain.FieldOwner), mentionOf(d.Owner)),
	}, nil, goslack.SectionBlockOptionBlockID(blockCardFields)))

	if m, ok := bot.ContractMsg(d); ok {
		blocks = append(blocks, contextID(blockCardContract, text(loc, m)))
	}

	// Each field's text may be 2000 characters: keep room for its label.
	qual := []domain.Field{domain.FieldNeed, domain.FieldDecisionMakers, domain.FieldBudget, domain.FieldTimeline, domain.FieldRisk}
	fields := make([]*goslack.TextBlockObject, len(qual))
	for i, f := range qual {
		l := label(f)
		fields[i] = mrkdwnField(l, orDash(d.Get(f), maxFieldText-utf8.RuneCountInString(l)-4))
	}
	blocks = append(blocks, goslack.NewSectionBlock(nil, fields, nil, goslack.SectionBlockOptionBlockID(blockCardQualification)))
	if seg := cardSegments(loc, c.Segments); seg != nil {
		blocks = append(blocks, seg)
	}

	if d.Status == domain.Open {
		if strings.TrimSpace(d.NextStep) == "" {
			blocks = append(blocks, sectionID(blockCardNextStep, text(loc, bot.M("card.no_next_step", bot.Bold(bot.M("card.no_next_step.title"))))))
		} else {
			head := tf(loc, "card.next_step", bot.Bold(bot.M("card.next_step.title")), markup(dueState(loc, d.NextStepDue, c.Today)))
			// The due state comes first so that a cut only shortens the rep's text.
			blocks = append(blocks, sectionID(blockCardNextStep, head+"\n"+escapeMax(d.NextStep, maxSectionText-utf8.RuneCountInString(head)-1)))
		}
	}

	blocks = append(blocks, planBlocks(loc, c.Plan)...)
	if e := c.LastChange; e != nil {
		blocks = append(blocks, contextID(blockCardLastChange, tf(loc, "card.last_change",
			markup(changeText(loc, *e, d.Currency)), e.By, domain.DateOf(e.At))))
	}

	update := button(loc, bot.ActionUpdate, "card.button.update", d.ID).WithStyle(goslack.StylePrimary)
	actions := []goslack.BlockElement{update}
	if d.Status == domain.Open {
		actions = append(actions,
			button(loc, bot.ActionNextStep, "card.button.next_step", d.ID),
			button(loc, bot.ActionDiscount, "card.button.discount", d.ID))
	}
	actions = append(actions, button(loc, bot.ActionHistory, "card.button.history", d.ID))
	blocks = append(blocks, goslack.NewActionBlock(blockCardActions, actions...))
	return message{Text: fallback, Blocks: blocks}
}

// displayValue renders a history value (Deal.Get's text form) for a reader:
// amounts as money, dates as dates, categories as labels, owners as
// mentions, anything else as escaped text of at most max characters.
func displayValue(loc i18n.Locale, f domain.Field, v, currency string, max int) string {
	x := domain.DisplayValue(f, v, currency)
	if sl, ok := x.(domain.SplitList); ok { // people, as mentions
		return i18n.JoinSplits(loc, sl, mentionOf)
	}
	if s, ok := i18n.Value(loc, x); ok { // money, a date, a category…
		return escapeMax(s, max)
	}
	switch x := x.(type) {
	case domain.UserID:
		return mentionOf(x)
	case string:
		if x == "—" {
			return x
		}
		// One line per change: a multi-line text is joined.
		return escapeMax(strings.Join(strings.Fields(x), " "), max)
	}
	return escapeMax(v, max)
}

// changeText is one change in a line: "Stage: Proposal → Negotiation", or
// "Stage set to Proposal" when the field had no value.
func changeText(loc i18n.Locale, e domain.HistoryEntry, currency string) string {
	nv := markup(displayValue(loc, e.Field, e.New, currency, historyValueMax))
	if e.Old == "" {
		return tf(loc, "history.set", e.Field, nv)
	}
	return tf(loc, "history.change", e.Field, markup(displayValue(loc, e.Field, e.Old, currency, historyValueMax)), nv)
}

// renderHistory lists a deal's changes newest first, one section per
// (minute, author) group, within the message's block limit; what does not
// fit is counted in a last line.
func renderHistory(loc i18n.Locale, h bot.HistoryList) message {
	d := h.Deal
	tz := h.TZ
	if tz == nil {
		tz = time.UTC
	}
	title := text(loc, bot.M("history.title", d.ID.Ref()))
	blocks := []goslack.Block{
		header(title),
		contextID("history_deal", dealTitle(d)+" · "+escapeMax(d.Account, nameMax)),
	}
	if len(h.Entries) == 0 {
		blocks = append(blocks, sectionID("history_empty", text(loc, bot.M("history.empty", d.ID.Ref()))))
		return message{Text: title, Blocks: blocks}
	}
	entries := make([]domain.HistoryEntry, len(h.Entries))
	copy(entries, h.Entries)
	// Newest first; the changes of one moment keep their order.
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].At.After(entries[j].At) })

	room := maxMessageBlocks - len(blocks) - 1 // keep one for the "older" line
	var (
		sections []string
		cur      []string
		curLen   int
		curN     int // entries in cur
		shown    int
		full     bool
	)
	flush := func() {
		if len(cur) == 0 {
			return
		}
		if len(sections) == room {
			full = true
			return
		}
		sections = append(sections, strings.Join(cur, "\n"))
		shown += curN
		cur, curLen, curN = nil, 0, 0
	}
	add := func(line string, entry bool) {
		n := utf8.RuneCountInString(line) + 1
		if len(cur) > 0 && curLen+n > maxSectionText {
			flush()
		}
		if full {
			return
		}
		cur = append(cur, line)
		curLen += n
		if entry {
			curN++
		}
	}
	for i := 0; i < len(entries) && !full; {
		at := entries[i].At.In(tz).Truncate(time.Minute)
		by := entries[i].By
		when := text(loc, bot.M("history.at", domain.DateOf(at), at.Format("15:04")))
		add("*"+when+"* · "+person(loc, by), false)
		for ; i < len(entries) && !full; i++ {
			e := entries[i]
			if !e.At.In(tz).Truncate(time.Minute).Equal(at) || e.By != by {
				break
			}
			add(changeText(loc, e, d.Currency), true)
		}
		flush()
	}
	for i, s := range sections {
		blocks = append(blocks, sectionID("history_"+strconv.Itoa(i+1), s))
	}
	switch older := len(entries) - shown; {
	case older == 1:
		blocks = append(blocks, contextID("history_more", text(loc, bot.M("history.more_one"))))
	case older > 1:
		blocks = append(blocks, contextID("history_more", text(loc, bot.M("history.more", older))))
	}
	return message{Text: title, Blocks: blocks}
}

// packLines joins lines into as few mrkdwn texts of at most max runes as
// keep every line whole (a longer line is cut on its own).
func packLines(lines []string, max int) []string {
	var out []string
	var b strings.Builder
	n := 0
	for _, l := range lines {
		l = truncate(l, max)
		k := utf8.RuneCountInString(l)
		if n > 0 && n+1+k > max {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
		if n > 0 {
			b.WriteByte('\n')
			n++
		}
		b.WriteString(l)
		n += k
	}
	if n > 0 {
		out = append(out, b.String())
	}
	return out
}

// maxCandidates is how many matching deals a reply lists: more would not
// help anyone pick.
const maxCandidates = 20

// renderCandidates lists the deals that match ambiguous words and how to
// pick one.
func renderCandidates(loc i18n.Locale, c bot.Candidates) message {
	if len(c.Deals) == 0 {
		t := text(loc, bot.M("deal.no_match", c.Words))
		return message{Text: t, Blocks: []goslack.Block{sectionID("candidates_none", t)}}
	}
	intro := text(loc, bot.M("candidates.intro", c.Words))
	blocks := []goslack.Block{sectionID("candidates_intro", intro)}
	deals := c.Deals
	if len(deals) > maxCandidates {
		deals = deals[:maxCandidates]
	}
	lines := make([]string, len(deals))
	for i, d := range deals {
		lines[i] = "• " + dealTitle(d) + " · " + escapeMax(d.Account, nameMax) + " · " + mentionOf(d.Owner)
	}
	for i, s := range packLines(lines, maxSectionText) {
		blocks = append(blocks, sectionID("candidates_"+strconv.Itoa(i+1), s))
	}
	if more := len(c.Deals) - len(deals); more > 0 {
		blocks = append(blocks, contextID("candidates_more", text(loc, bot.M("candidates.more", more))))
	}
	blocks = append(blocks, contextID("candidates_hint", text(loc, bot.M("candidates.hint", c.Deals[0].ID.Ref()))))
	return message{Text: intro, Blocks: blocks}
}

// renderAnnouncement renders a channel message as plain sections.
func renderAnnouncement(loc i18n.Locale, a bot.Announcement) message {
	lines := make([]string, len(a.Msgs))
	for i, m := range a.Msgs {
		lines[i] = msgText(loc, m)
	}
	secs := packLines(lines, maxSectionText)
	if len(secs) > maxMessageBlocks {
		secs = secs[:maxMessageBlocks]
	}
	blocks := make([]goslack.Block, len(secs))
	for i, s := range secs {
		blocks[i] = section(s)
	}
	return message{Text: truncate(strings.Join(lines, "\n"), maxSectionText), Blocks: blocks}
}

// renderHome is a user's App Home: their open deals in the order given
// (the bot puts overdue next steps first, then sorts by close date), each
// with an Update button, within the view's block and size limits.
func renderHome(loc i18n.Locale, h bot.Home) goslack.HomeTabViewRequest {
	if h.Refusal.Key != "" {
		blocks := []goslack.Block{sectionID("home_refused", text(loc, h.Refusal))}
		return goslack.HomeTabViewRequest{Type: goslack.VTHomeTab, Blocks: goslack.Blocks{BlockSet: blocks}}
	}
	blocks := []goslack.Block{header(text(loc, bot.M("list.mine", h.Count())))}
	blocks = append(blocks, homeRenewals(loc, h.Renewals)...)
	if len(h.Deals) == 0 {
		blocks = append(blocks, sectionID("home_empty", text(loc, bot.M("home.empty"))))
	} else {
		blocks = append(blocks, contextID("home_order", text(loc, bot.M("home.order"))))
		// Keep a block and a kilobyte for the "more" line; 64 bytes for
		// the view's own fields.
		room := maxViewBlocks - len(blocks) - 1
		size := 64 + 1024
		for _, b := range blocks {
			size += jsonSize(b)
		}
		shown := 0
		for i, d := range h.Deals {
			s := sectionID("home_deal_"+strconv.FormatUint(uint64(d.ID), 10), homeLine(loc, d, h.Today))
			s.Accessory = goslack.NewAccessory(button(loc, bot.ActionUpdate, "card.button.update", d.ID))
			size += jsonSize(s)
			if i == room || size > maxViewBytes {
				break
			}
			blocks = append(blocks, s)
			shown++
		}
		// The bot read the first of the user's deals: the others are more too.
		if more := h.Count() - shown; more > 0 {
			blocks = append(blocks, contextID("home_more", text(loc, bot.M("list.more", more))))
		}
	}
	return goslack.HomeTabViewRequest{Type: goslack.VTHomeTab, Blocks: goslack.Blocks{BlockSet: blocks}}
}

// homeRenewals are App Home's renewals due, above the open deals: a
// header and one section of lines (none without renewals), within a
// section's text limit.
func homeRenewals(loc i18n.Locale, rs []bot.RenewalDue) []goslack.Block {
	if len(rs) == 0 {
		return nil
	}
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = text(loc, r.Msg())
	}
	return []goslack.Block{
		sectionID("home_renewals_title", bold(text(loc, bot.M("home.renewals")))),
		sectionID("home_renewals", truncate(strings.Join(lines, "\n"), maxSectionText)),
	}
}

// jsonSize is how many bytes b adds to a view's JSON, its comma included.
func jsonSize(b goslack.Block) int {
	raw, err := json.Marshal(b)
	if err != nil {
		return maxViewBytes // unreachable for blocks built here; never fits
	}
	return len(raw) + 1
}

// homeLine is a deal on App Home: title and account, figures, next step.
func homeLine(loc i18n.Locale, d *domain.Deal, today domain.Date) string {
	var b strings.Builder
	b.WriteString(dealTitle(d) + " · " + escapeMax(d.Account, nameMax) + "\n")
	b.WriteString(escape(i18n.FormatAmount(loc, d.Amount, d.Currency)) + " · " + orDash(d.Stage, 200) + " · " + text(loc, bot.M("list.closing", i18n.Localize(loc, d.CloseDate))) + "\n")
	if strings.TrimSpace(d.NextStep) == "" {
		b.WriteString(bold(text(loc, bot.M("home.no_next"))))
	} else {
		b.WriteString(tf(loc, "home.next", markup(escapeMax(d.NextStep, homeNextStepMax)), markup(dueState(loc, d.NextStepDue, today))))
	}
	return truncate(b.String(), maxSectionText)
}

// dealPickerElement is the deal picker: a select whose options the bot
// suggests as the user types (block_suggestion), offered from the first
// keystroke.
func dealPickerElement(loc i18n.Locale, actionID string, placeholder *goslack.TextBlockObject) *goslack.SelectBlockElement {
	if placeholder == nil {
		placeholder = plain(text(loc, bot.M("form.pick.placeholder")), 150)
	}
	sel := goslack.NewOptionsSelectBlockElement(goslack.OptTypeExternal, placeholder, actionID)
	minQuery := 0
	sel.MinQueryLength = &minQuery
	return sel
}

// renderDealOptions answers the deal picker's block_suggestion: at most 100
// options "D-12 · Acme renewal · €48,000" whose values are deal ids. The
// list is never nil, so it encodes as [] when nothing matches.
func renderDealOptions(loc i18n.Locale, deals []*domain.Deal) []*goslack.OptionBlockObject {
	if len(deals) > maxSelectOptions {
		deals = deals[:maxSelectOptions]
	}
	opts := make([]*goslack.OptionBlockObject, 0, len(deals))
	for _, d := range deals {
		head := d.ID.Ref() + " · "
		tail := " · " + escape(i18n.FormatAmount(loc, d.Amount, d.Currency))
		room := maxOptionText - utf8.RuneCountInString(head) - utf8.RuneCountInString(tail)
		label := head + escapeMax(d.Name, max(room, 1)) + tail
		opts = append(opts, goslack.NewOptionBlockObject(strconv.FormatUint(uint64(d.ID), 10), plain(label, maxOptionText), nil))
	}
	return opts
}
