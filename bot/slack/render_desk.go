package slack

// Rendering of the deal desk: the request message in the deal-desk channel
// in each of its states, /deal approvals, the plan on the card and the
// request form's checkboxes. Pure: bot replies in, Block Kit out. User text
// is escaped; mentions come from validated user ids.

import (
	"strconv"
	"strings"
	"time"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// Stable block ids of a request message.
const (
	blockDeskTitle    = "desk_title"
	blockDeskStatus   = "desk_status"
	blockDeskFigures  = "desk_figures"
	blockDeskDeal     = "desk_deal"
	blockDeskQual     = "desk_qualification"
	blockDeskWhy      = "desk_why"
	blockDeskPlan     = "desk_plan"
	blockDeskChain    = "desk_chain"
	blockDeskActions  = "desk_actions"
	blockDeskHowTo    = "desk_howto"
	blockCardPlan     = "card_plan"
	planMilestonesMax = 15 // milestones listed in a message; the rest are counted
	deskTextMax       = 1000
)

// usersText renders users as mentions, "<@A>, <@B> or <@C>", "nobody" for none.
func usersText(loc i18n.Locale, us desk.Users) string {
	return i18n.JoinUsers(loc, us, mentionOf, escape)
}

// checkboxesElement is a checkbox group; Initial ticks the comma-joined values.
func checkboxesElement(loc i18n.Locale, id string, in bot.Input) *goslack.CheckboxGroupsBlockElement {
	ticked := map[string]bool{}
	for _, v := range strings.Split(in.Initial, ",") {
		ticked[strings.TrimSpace(v)] = true
	}
	opts := make([]*goslack.OptionBlockObject, len(in.Options))
	var initial []*goslack.OptionBlockObject
	for i, o := range in.Options {
		opts[i] = goslack.NewOptionBlockObject(o.Value, plain(text(loc, o.Label), maxOptionText), nil)
		if ticked[o.Value] {
			initial = append(initial, opts[i])
		}
	}
	el := goslack.NewCheckboxGroupsBlockElement(id, opts...)
	el.InitialOptions = initial
	return el
}

func deskMoney(loc i18n.Locale, minor int64, currency string) string {
	return escape(i18n.FormatAmount(loc, minor, currency))
}

func moment(loc i18n.Locale, t time.Time, tz *time.Location) string {
	if tz == nil {
		tz = time.UTC
	}
	return escape(i18n.Localize(loc, desk.Moment(t.In(tz))))
}

// renderDeskRequest is a request's message: title and state, figures, the
// deal's summary, why, the plan, the chain with each step's state and,
// while pending, the buttons.
func renderDeskRequest(loc i18n.Locale, v bot.DeskRequestView) message {
	r, d := v.Request, v.Deal
	title := tf(loc, "deskbot.msg.title", bot.Bold(bot.M("deskbot.msg.title.request", r.ID)), markup(dealTitle(d)), markup(escapeMax(d.Account, nameMax)))
	status := deskStatus(loc, r, v.Zone)
	blocks := []goslack.Block{
		sectionID(blockDeskTitle, title),
		sectionID(blockDeskStatus, status),
	}
	label := func(key string) string { return i18n.T(loc, key) }
	blocks = append(blocks, goslack.NewSectionBlock(nil, []*goslack.TextBlockObject{
		mrkdwnField(label("deskbot.msg.list"), deskMoney(loc, r.ListAmount, r.Currency)),
		mrkdwnField(label("deskbot.msg.discount"), escape(i18n.FormatBP(loc, r.DiscountBP))),
		mrkdwnField(label("deskbot.msg.net"), "*"+deskMoney(loc, r.NetAmount, r.Currency)+"*"),
		mrkdwnField(label("deskbot.msg.cost"), deskMoney(loc, r.Cost(), r.Currency)),
	}, nil, goslack.SectionBlockOptionBlockID(blockDeskFigures)))
	fl := func(f domain.Field) string { return i18n.Localize(loc, f) }
	blocks = append(blocks, goslack.NewSectionBlock(nil, []*goslack.TextBlockObject{
		mrkdwnField(fl(domain.FieldStage), orDash(d.Stage, 200)),
		mrkdwnField(fl(domain.FieldCloseDate), escape(i18n.Localize(loc, d.CloseDate))),
		mrkdwnField(label("deskbot.msg.requester"), mentionOf(r.Requester)),
		mrkdwnField(fl(domain.FieldOwner), mentionOf(d.Owner)),
	}, nil, goslack.SectionBlockOptionBlockID(blockDeskDeal)))
	qual := []domain.Field{domain.FieldNeed, domain.FieldDecisionMakers, domain.FieldBudget, domain.FieldTimeline, domain.FieldRisk}
	qf := make([]*goslack.TextBlockObject, len(qual))
	for i, f := range qual {
		qf[i] = mrkdwnField(fl(f), orDash(d.Get(f), 300))
	}
	blocks = append(blocks, goslack.NewSectionBlock(nil, qf, nil, goslack.SectionBlockOptionBlockID(blockDeskQual)))

	var why []string
	why = append(why, "*"+escape(label("desk.field.justification"))+"*\n"+orDash(r.Justification, deskTextMax))
	if r.Competitor != "" {
		why = append(why, "*"+escape(label("desk.field.competitor"))+"*: "+escapeMax(r.Competitor, 200))
	}
	if len(r.Terms) > 0 {
		ts := make([]string, 0, len(r.Terms))
		for _, t := range r.Terms {
			s := escape(i18n.Localize(loc, t))
			if t == desk.TermOther && r.OtherTerms != "" {
				s += " (" + escapeMax(r.OtherTerms, desk.MaxOtherTermsLen) + ")"
			}
			ts = append(ts, s)
		}
		why = append(why, "*"+escape(label("desk.field.terms"))+"*: "+strings.Join(ts, " · "))
	}
	blocks = append(blocks, sectionID(blockDeskWhy, strings.Join(why, "\n")))
	blocks = append(blocks, sectionID(blockDeskPlan, planText(loc, v.Plan)))
	blocks = append(blocks, sectionID(blockDeskChain, chainText(loc, r, v.Zone)))
	if r.Status == desk.StatusPending && len(r.Steps) > 0 {
		val := bot.TurnValue(r)
		btn := func(id, key string) *goslack.ButtonBlockElement {
			return goslack.NewButtonBlockElement(id, val, plain(i18n.T(loc, key), maxButtonText))
		}
		blocks = append(blocks, goslack.NewActionBlock(blockDeskActions,
			btn(bot.ActionDeskApprove, "deskbot.button.approve").WithStyle(goslack.StylePrimary),
			btn(bot.ActionDeskReject, "deskbot.button.reject").WithStyle(goslack.StyleDanger),
			btn(bot.ActionDeskChanges, "deskbot.button.changes")))
		blocks = append(blocks, contextID(blockDeskHowTo, text(loc, bot.M("deskbot.msg.howto"))))
	}
	fallback := tf(loc, "deskbot.msg.fallback", r.ID, d.ID.Ref(), markup(escape(i18n.FormatBP(loc, r.DiscountBP))), markup(status))
	return message{Text: truncate(fallback, maxSectionText), Blocks: blocks}
}

// deskStatus is the request's state in one line.
func deskStatus(loc i18n.Locale, r *desk.Request, tz *time.Location) string {
	// Each line opens with its title in bold: "deskbot.status.<key>.title".
	title := func(key string, args ...any) bot.Strong {
		return bot.Bold(bot.M("deskbot.status."+key+".title", args...))
	}
	switch r.Status {
	case desk.StatusPending:
		return withIcon(bot.IconWaiting, tf(loc, "deskbot.status.pending", title("pending", r.Current+1, len(r.Steps)), string(r.Steps[r.Current].Role), r.Waiting(),
			markup(moment(loc, r.ExpiresAt, tz))))
	case desk.StatusApproved:
		if r.AutoApproved() {
			return withIcon(bot.IconApproved, tf(loc, "deskbot.status.auto_approved", title("auto_approved"), markup(moment(loc, r.ClosedAt, tz))))
		}
		return withIcon(bot.IconApproved, tf(loc, "deskbot.status.approved", title("approved"), r.ClosedBy, markup(moment(loc, r.ClosedAt, tz))))
	case desk.StatusRejected:
		return withIcon(bot.IconRejected, tf(loc, "deskbot.status.rejected", title("rejected"), r.ClosedBy, markup(moment(loc, r.ClosedAt, tz))))
	case desk.StatusChangesRequested:
		return withIcon(bot.IconChangesRequested, tf(loc, "deskbot.status.changes", title("changes"), r.ClosedBy, markup(moment(loc, r.ClosedAt, tz)), r.Requester))
	case desk.StatusExpired:
		return withIcon(bot.IconExpired, tf(loc, "deskbot.status.expired", title("expired"), markup(moment(loc, r.ExpiresAt, tz))))
	case desk.StatusWithdrawn:
		return tf(loc, "deskbot.status.withdrawn", title("withdrawn"), r.ClosedBy, markup(moment(loc, r.ClosedAt, tz)))
	}
	return escape(string(r.Status))
}

// chainText lists the chain's steps, each with its state; a revised
// request notes its revision.
func chainText(loc i18n.Locale, r *desk.Request, tz *time.Location) string {
	lines := []string{"*" + escape(i18n.T(loc, "deskbot.msg.chain")) + "*"}
	if r.Revision > 1 {
		lines[0] += " · " + escape(i18n.T(loc, "deskbot.msg.revision", r.Revision))
	}
	if len(r.Steps) == 0 {
		lines = append(lines, text(loc, bot.M("deskbot.step.none")))
	}
	for i, s := range r.Steps {
		head := strconv.Itoa(i+1) + ". *" + escape(string(s.Role)) + "* · " + usersText(loc, desk.Users(s.Approvers))
		var state string
		if dec, ok := r.StepDecision(i); ok {
			comment := ""
			if dec.Comment != "" {
				comment = " — _" + escapeMax(strings.Join(strings.Fields(dec.Comment), " "), 300) + "_"
			}
			state = tf(loc, "deskbot.step."+string(dec.Verdict), dec.By, markup(moment(loc, dec.At, tz))) + comment
		} else {
			switch {
			case r.Status == desk.StatusPending && i == r.Current:
				state = bold(text(loc, bot.M("deskbot.step.waiting")))
			case r.Status == desk.StatusExpired && i == r.Current:
				state = text(loc, bot.M("deskbot.step.expired"))
			default:
				state = text(loc, bot.M("deskbot.step.later"))
			}
		}
		lines = append(lines, head+" — "+state)
	}
	return truncate(strings.Join(lines, "\n"), maxSectionText)
}

// planText is a plan in a few lines: progress, then milestones by due date.
func planText(loc i18n.Locale, p desk.Plan) string {
	head := "*" + escape(i18n.T(loc, "desk.field.plan")) + "*"
	if len(p.Milestones) == 0 {
		return head + "\n" + text(loc, bot.M("deskbot.plan.none"))
	}
	done, total := p.Progress()
	lines := []string{head + " · " + escape(i18n.T(loc, "deskbot.plan.progress", done, total))}
	ms := p.Sorted()
	for i, m := range ms {
		if i == planMilestonesMax {
			lines = append(lines, escape(i18n.T(loc, "deskbot.plan.more", len(ms)-i)))
			break
		}
		box := "☐"
		if m.Done {
			box = "☑"
		}
		lines = append(lines, box+" "+escape(i18n.Localize(loc, m.Due))+" · "+escape(i18n.Localize(loc, m.Side))+" · "+escapeMax(m.What, 200))
	}
	return truncate(strings.Join(lines, "\n"), maxSectionText)
}

// planBlocks is the plan on the deal card: nothing when there is none.
func planBlocks(loc i18n.Locale, p desk.Plan) []goslack.Block {
	if len(p.Milestones) == 0 {
		return nil
	}
	return []goslack.Block{sectionID(blockCardPlan, planText(loc, p))}
}

// netSuffix follows the card's amount when a discount was approved:
// " · net €36,000 (−25%)".
func netSuffix(loc i18n.Locale, d *domain.Deal) string {
	if d.Discount <= 0 {
		return ""
	}
	return "\n" + escape(i18n.T(loc, "deskbot.card.net", i18n.FormatAmount(loc, d.NetAmount(), d.Currency), i18n.FormatBP(loc, d.Discount)))
}

// permalink is a Slack link to a message.
func permalink(t desk.Thread) string {
	return "https://slack.com/archives/" + t.Channel + "/p" + strings.ReplaceAll(t.Ref, ".", "")
}

// renderDeskApprovals lists the requests waiting on the reader.
func renderDeskApprovals(loc i18n.Locale, a bot.DeskApprovals) message {
	if len(a.Items) == 0 {
		t := text(loc, bot.M("deskbot.approvals.none"))
		return message{Text: t, Blocks: []goslack.Block{sectionID("approvals_none", t)}}
	}
	title := text(loc, bot.M("deskbot.approvals.title", len(a.Items)))
	lines := make([]string, len(a.Items))
	for i, it := range a.Items {
		r := it.Request
		line := "• *#" + strconv.FormatUint(r.ID, 10) + "* " + dealTitle(it.Deal) + " · " +
			escape(i18n.FormatBP(loc, r.DiscountBP)) + " · " +
			tf(loc, "deskbot.approvals.item", r.Requester, string(r.Steps[r.Current].Role), markup(moment(loc, r.WaitingSince(), a.Zone)))
		if it.Thread.Posted() {
			line += " · <" + permalink(it.Thread) + "|" + escape(i18n.T(loc, "deskbot.approvals.open")) + ">"
		}
		lines[i] = line
	}
	blocks := []goslack.Block{header(title)}
	secs := packLines(lines, maxSectionText)
	for i, s := range secs {
		if len(blocks) == maxMessageBlocks-1 {
			blocks = append(blocks, contextID("approvals_more", text(loc, bot.M("list.more", len(secs)-i))))
			break
		}
		blocks = append(blocks, sectionID("approvals_"+strconv.Itoa(i+1), s))
	}
	return message{Text: title, Blocks: blocks}
}
