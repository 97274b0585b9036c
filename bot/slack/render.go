package slack

import (
	"encoding/json"
	"fmt"
	"strings"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// Slack's limits that rendering must respect (docs.slack.dev, Block Kit reference).
const (
	maxMessageBlocks = 50
	maxSectionText   = 3000
	maxModalTitle    = 24
	maxOptionText    = 75
)

// message is a rendered reply: the fallback text notifications show, and blocks.
type message struct {
	Text   string
	Blocks []goslack.Block
	// unknown, never shown, is the Go type of a reply the renderer does
	// not know: the message says only that something went wrong.
	unknown string
}

// render is renderReply for what the app sends: a reply type the renderer
// does not know is logged (a bug to fix), and the user reads the generic
// "something went wrong", never a Go type name.
func (a *App) render(r bot.Reply) message {
	m := renderReply(a.loc, withSelf(r, a.selfID(), a.name))
	if m.unknown != "" {
		a.log.Error().Str("reply_type", m.unknown).Msg("the Slack renderer does not know this reply type; the user was shown a generic error")
	}
	return m
}

// renderReply turns a bot reply into a Slack message. OpenForm is not a
// message: it is rendered by renderModal.
func renderReply(loc i18n.Locale, r bot.Reply) message {
	switch r := r.(type) {
	case bot.Notice:
		lines := make([]string, len(r.Msgs))
		for i, m := range r.Msgs {
			lines[i] = text(loc, m)
		}
		return plainMessage(strings.Join(lines, "\n"))
	case bot.Help:
		intro := text(loc, r.Intro)
		var b strings.Builder
		for _, c := range r.Commands {
			fmt.Fprintf(&b, "`%s`  %s\n", escape(c.Usage), text(loc, c.What)) // a usage is plain: "<reason>"
		}
		return message{Text: intro, Blocks: []goslack.Block{section(intro), section(strings.TrimSpace(b.String()))}}
	case bot.DealList:
		return renderDealList(loc, r)
	case bot.Created:
		d := r.Deal
		return plainMessage(text(loc, bot.M("deal.created", d.ID.Ref(), d.Name, d.Account, i18n.FormatAmount(loc, d.Amount, d.Currency), i18n.Localize(loc, d.CloseDate))))
	case bot.Card:
		return renderCard(loc, r)
	case bot.HistoryList:
		return renderHistory(loc, r)
	case bot.Candidates:
		return renderCandidates(loc, r)
	case bot.Announcement:
		return renderAnnouncement(loc, r)
	case bot.DeskRequestView:
		return renderDeskRequest(loc, r)
	case bot.DeskApprovals:
		return renderDeskApprovals(loc, r)
	case bot.Reminder:
		return renderReminder(loc, r) // render_coaching.go
	case bot.CoachSummary:
		return renderCoachSummary(loc, r)
	case bot.Pipeline:
		return renderPipeline(loc, r)
	case bot.SegmentsReport:
		return renderSegments(loc, r) // render_segment.go
	case bot.ICPReview:
		return renderReview(loc, r)
	case bot.PipelineLosses:
		return renderLosses(loc, r)
	case bot.Retention:
		return renderRetention(loc, r)
	case bot.ForecastReport:
		return renderForecastReport(loc, r)
	case bot.ForecastAccuracy:
		return renderForecastAccuracy(loc, r)
	case bot.ForecastDigest:
		// Messenger.Post sends every part; alone, the first one stands.
		return renderDigest(loc, r)[0]
	case bot.CallContext:
		return renderCallContext(loc, r)
	case bot.ImportSummary:
		return renderImportSummary(loc, r) // render_import.go
	case bot.CommissionStatement:
		return renderCommission(loc, r) // render_commission.go
	case bot.WithPosts:
		// The transport runs the posts once the reply is out.
		return renderReply(loc, r.Reply)
	}
	// Home and OpenForm are views (renderHome, renderModal), not messages.
	m := plainMessage(text(loc, bot.M("error.internal")))
	m.unknown = fmt.Sprintf("%T", r)
	return m
}

// plainMessage is the one message of a single section: its text, also the
// notification's.
func plainMessage(t string) message {
	return message{Text: t, Blocks: []goslack.Block{section(t)}}
}

func renderDealList(loc i18n.Locale, r bot.DealList) message {
	title := text(loc, r.Title)
	if len(r.Deals) == 0 {
		return plainMessage(text(loc, r.Empty))
	}
	blocks := titleBlocks(loc, r.Title, bot.M("list.header"))
	// One section per deal, keeping room for the header and a last line
	// saying how many were left out (the bot read the first of them).
	room := maxMessageBlocks - len(blocks) - 1
	shown := r.Deals[:min(room, len(r.Deals))]
	for _, d := range shown {
		blocks = append(blocks, section(dealLine(loc, d)))
	}
	if more := r.Count() - len(shown); more > 0 {
		blocks = append(blocks, contextBlock(text(loc, bot.M("list.more", more))))
	}
	return message{Text: title, Blocks: blocks}
}

// dealLine is a deal in one mrkdwn paragraph.
func dealLine(loc i18n.Locale, d *domain.Deal) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* %s · %s · *%s* · %s · %s",
		d.ID.Ref(), escape(d.Name), escape(d.Account), escape(i18n.Localize(loc, bot.LineAmount(d))), escape(d.Stage),
		text(loc, bot.M("list.closing", i18n.Localize(loc, d.CloseDate))))
	if d.NextStep != "" {
		fmt.Fprintf(&b, "\n%s", text(loc, bot.M("list.due", d.NextStep, i18n.Localize(loc, d.NextStepDue))))
	}
	return truncate(b.String(), maxSectionText)
}

func section(mrkdwn string) *goslack.SectionBlock {
	return goslack.NewSectionBlock(goslack.NewTextBlockObject(goslack.MarkdownType, truncate(mrkdwn, maxSectionText), false, false), nil, nil)
}

// titleBlocks opens a message titled m. A header is plain text, where a
// mention would show as markup ("<@U0REP1>") or a raw id: when m names a
// person, the header says generic and the title, with its mention, is the
// context line under it.
func titleBlocks(loc i18n.Locale, m, generic bot.Msg) []goslack.Block {
	if !namesPerson(m) {
		return []goslack.Block{header(text(loc, m))}
	}
	return []goslack.Block{header(text(loc, generic)), contextBlock(text(loc, m))}
}

// namesPerson reports whether m has a person among its arguments.
func namesPerson(m bot.Msg) bool {
	for _, a := range m.Args {
		switch v := a.(type) {
		case domain.UserID, bot.Mention, desk.Users, domain.UserList, domain.SplitList:
			return true
		case bot.Msg:
			if namesPerson(v) {
				return true
			}
		}
	}
	return false
}

func header(plain string) *goslack.HeaderBlock {
	return goslack.NewHeaderBlock(goslack.NewTextBlockObject(goslack.PlainTextType, truncate(plain, 150), false, false))
}

func contextBlock(mrkdwn string) *goslack.ContextBlock {
	return goslack.NewContextBlock("", goslack.NewTextBlockObject(goslack.MarkdownType, truncate(mrkdwn, 2000), false, false))
}

func plain(s string, max int) *goslack.TextBlockObject {
	return goslack.NewTextBlockObject(goslack.PlainTextType, truncate(s, max), false, false)
}

// truncate cuts s to at most max characters (runes), marking the cut.
func truncate(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}

// renderModal turns a bot form into a modal. Each input's block id and
// action id is its field name, so submitted values and inline errors map
// back to fields.
func renderModal(loc i18n.Locale, f bot.Form) (goslack.ModalViewRequest, error) {
	meta, err := json.Marshal(f.Meta)
	if err != nil {
		return goslack.ModalViewRequest{}, err
	}
	blocks := make([]goslack.Block, 0, len(f.Inputs))
	if f.Intro != nil {
		blocks = append(blocks, renderReply(loc, f.Intro).Blocks...)
	}
	for _, in := range f.Inputs {
		blocks = append(blocks, inputBlock(loc, in))
	}
	return goslack.ModalViewRequest{
		Type:            goslack.VTModal,
		CallbackID:      string(f.Kind),
		Title:           plain(text(loc, f.Title), maxModalTitle),
		Submit:          plain(text(loc, f.Submit), maxModalTitle),
		Close:           plain(text(loc, bot.M("form.cancel")), maxModalTitle),
		Blocks:          goslack.Blocks{BlockSet: blocks},
		PrivateMetadata: string(meta),
	}, nil
}

func inputBlock(loc i18n.Locale, in bot.Input) *goslack.InputBlock {
	id := string(in.Field)
	var hint *goslack.TextBlockObject
	if in.Hint.Key != "" {
		hint = plain(text(loc, in.Hint), 2000)
	}
	var placeholder *goslack.TextBlockObject
	if in.Placeholder.Key != "" {
		placeholder = plain(text(loc, in.Placeholder), 150)
	}
	var el goslack.BlockElement
	switch in.Kind {
	case bot.DealPicker:
		el = dealPickerElement(loc, id, placeholder)
	case bot.DateInput:
		dp := goslack.NewDatePickerBlockElement(id)
		dp.InitialDate = in.Initial
		el = dp
	case bot.CheckboxesInput:
		el = checkboxesElement(loc, id, in)
	case bot.SelectInput:
		opts := make([]*goslack.OptionBlockObject, len(in.Options))
		var initial *goslack.OptionBlockObject
		for i, o := range in.Options {
			opts[i] = goslack.NewOptionBlockObject(o.Value, plain(text(loc, o.Label), maxOptionText), nil)
			if o.Value == in.Initial {
				initial = opts[i]
			}
		}
		sel := goslack.NewOptionsSelectBlockElement(goslack.OptTypeStatic, placeholder, id, opts...)
		sel.InitialOption = initial
		el = sel
	default:
		ti := goslack.NewPlainTextInputBlockElement(placeholder, id)
		ti.InitialValue = in.Initial
		ti.Multiline = in.Kind == bot.LongTextInput
		if in.MaxLen > 0 {
			ti.MaxLength = in.MaxLen
		}
		if in.Live {
			ti.DispatchActionConfig = &goslack.DispatchActionConfig{TriggerActionsOn: []string{"on_character_entered"}}
		}
		el = ti
	}
	b := goslack.NewInputBlock(id, plain(text(loc, in.Label), 2000), hint, el)
	b.Optional = in.Optional
	// A live input sends block_actions as it changes (a select or a
	// checkbox when picked, a text input per its dispatch_action_config).
	b.DispatchAction = in.Live
	return b
}

// formValues reads a submitted modal's state back into field values.
func formValues(state *goslack.ViewState) bot.Values {
	v := bot.Values{}
	if state == nil {
		return v
	}
	for blockID, actions := range state.Values {
		for _, a := range actions {
			var s string
			switch {
			case a.SelectedDate != "":
				s = a.SelectedDate
			case a.SelectedOption.Value != "":
				s = a.SelectedOption.Value
			case a.SelectedUser != "":
				s = a.SelectedUser
			case a.Type == goslack.ActionType(goslack.METCheckboxGroups) || len(a.SelectedOptions) > 0:
				vals := make([]string, len(a.SelectedOptions))
				for i, o := range a.SelectedOptions {
					vals[i] = o.Value
				}
				s = strings.Join(vals, ",")
			default:
				s = a.Value
			}
			v[domain.Field(blockID)] = s
		}
	}
	return v
}

// fieldErrors maps errors to the modal's block ids for response_action
// "errors". An error about a field the form does not show is put on the
// fallback block (the stage, or the first input) so it is never lost.
func fieldErrors(loc i18n.Locale, view goslack.View, es domain.Errors) map[string]string {
	shown := map[domain.Field]bool{}
	var first domain.Field
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*goslack.InputBlock); ok {
			shown[domain.Field(in.BlockID)] = true
			if first == "" {
				first = domain.Field(in.BlockID)
			}
		}
	}
	fallback := domain.FieldStage
	if !shown[fallback] {
		fallback = first
	}
	out := map[string]string{}
	for _, e := range es {
		field := e.Field
		if !shown[field] {
			field = fallback
		}
		msg := text(loc, bot.Msg{Key: e.Key, Args: e.Args})
		if prev, ok := out[string(field)]; ok {
			msg = prev + " " + msg
		}
		out[string(field)] = truncate(msg, 2000)
	}
	return out
}
