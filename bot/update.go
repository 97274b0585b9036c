package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// change applies fn to the deal as it is now on the caller's behalf (a
// quick command, which names the one change it makes), holding it to the
// permission rule and Validate, and answers with its new state. A deal
// moved to won is announced.
func (b *Bot) change(ctx context.Context, c Caller, d *domain.Deal, version uint64, fn func(*domain.Deal) error) (Reply, error) {
	updated, changes, err := b.store.UpdateDeal(ctx, d.ID, version, c.User, b.checked(c, fn))
	if err != nil {
		return nil, err
	}
	return b.changed(c, updated, changes), nil
}

// changeOpened applies a form's fn like change, but only on the version
// the form was opened on (meta.Version: any later change by anyone, or no
// version, refuses it, naming who changed what) and once per submission:
// the same submission again (a double submit, a redelivery) changes nothing
// and gets the same answer.
func (b *Bot) changeOpened(ctx context.Context, c Caller, meta FormMeta, key string, v Values, fn func(*domain.Deal) error) (Reply, error) {
	updated, changes, err := b.store.UpdateDealOpened(ctx, meta.Deal, meta.Version, c.User, submissionKey(key, v), b.checked(c, fn))
	if err != nil {
		return nil, err
	}
	return b.changed(c, updated, changes), nil
}

// submissionKey names one submission: the transport's key of the form
// (Slack's view id) and what was submitted in it.
func submissionKey(key string, v Values) string {
	if key == "" {
		return "" // refused by the store: a form without a key cannot be told from its redelivery
	}
	fields := make([]string, 0, len(v))
	for f := range v {
		fields = append(fields, string(f))
	}
	slices.Sort(fields)
	h := sha256.New()
	for _, f := range fields {
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write([]byte(v[domain.Field(f)]))
		h.Write([]byte{0})
	}
	return key + "/" + hex.EncodeToString(h.Sum(nil)[:12])
}

// checked is fn held to the permission rule and Validate.
func (b *Bot) checked(c Caller, fn func(*domain.Deal) error) func(*domain.Deal) error {
	return func(x *domain.Deal) error {
		if err := domain.CanEdit(b.cfg, c.User, x); err != nil {
			return err
		}
		if err := fn(x); err != nil {
			return err
		}
		return x.Validate()
	}
}

// changed answers a change: the deal's card with what changed, and a win
// announced.
func (b *Bot) changed(c Caller, updated *domain.Deal, changes []domain.Change) Reply {
	card := Card{Deal: updated, Today: b.Today(c), Note: b.changeMsgs(updated, changes)}
	for _, ch := range changes {
		if ch.Field == domain.FieldStatus && ch.New == string(domain.Won) {
			return WithPosts{Reply: card, Posts: b.winPosts(c, updated)}
		}
	}
	return card
}

// changeMsgs says what changed, one line per field.
func (b *Bot) changeMsgs(d *domain.Deal, changes []domain.Change) []Msg {
	if len(changes) == 0 {
		return []Msg{M("deal.unchanged", d.ID.Ref())}
	}
	msgs := []Msg{M("deal.updated", d.ID.Ref())}
	for _, ch := range changes {
		msgs = append(msgs, M("deal.change", ch.Field,
			domain.DisplayValue(ch.Field, ch.Old, d.Currency), domain.DisplayValue(ch.Field, ch.New, d.Currency)))
	}
	return msgs
}

// winPosts announces a win in the owner's team's wins channel; who marked
// it won is told if the channel refuses it.
func (b *Bot) winPosts(c Caller, d *domain.Deal) []Post {
	t, ok := b.cfg.TeamOf(d.Owner)
	if !ok || t.WinsChannel == "" {
		return nil
	}
	return []Post{{Run: func(ctx context.Context, m Messenger) error {
		// A new win: an announcement of an earlier one (won, reopened,
		// won again) is no reason to stay silent.
		_ = b.store.ForgetPost(ctx, winPostKey(d.ID))
		_ = b.postWin(ctx, m, d, c.User) // a refusal is recorded, told and retried
		return nil
	}}}
}

// postWin posts d's win announcement, or records why not (and it is
// retried); a retry finding the deal no longer won forgets it.
func (b *Bot) postWin(ctx context.Context, m Messenger, d *domain.Deal, actor domain.UserID) error {
	t, ok := b.cfg.TeamOf(d.Owner)
	if !ok || t.WinsChannel == "" {
		return nil
	}
	key := winPostKey(d.ID)
	mctx, err := b.marked(ctx, key)
	if err != nil {
		return err
	}
	_, err = m.Post(mctx, t.WinsChannel, "", Announcement{Msgs: []Msg{
		M("deal.won_announce", d.Owner, d.Name, d.Account, domain.Money{Minor: d.NetAmount(), Currency: d.Currency}),
	}})
	if err != nil {
		return b.postFailed(ctx, m, key, t.WinsChannel, actor, err)
	}
	// Out: nothing to remember (a failure recorded before is cleared).
	return b.store.ForgetPost(ctx, key)
}

func (b *Bot) dealShow(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeAll)
	if err != nil || cands != nil {
		return cands, err
	}
	return b.card(ctx, c, d, nil)
}

func (b *Bot) card(ctx context.Context, c Caller, d *domain.Deal, note []Msg) (Reply, error) {
	hist, err := b.store.History(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	card := Card{Deal: d, Today: b.Today(c), Note: note}
	if card.Plan, err = b.store.Plan(ctx, d.ID); err != nil {
		return nil, err
	}
	if len(hist) > 0 {
		last := hist[len(hist)-1]
		card.LastChange = &last
	}
	return card, nil
}

func (b *Bot) dealHistory(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeAll)
	if err != nil || cands != nil {
		return cands, err
	}
	return b.history(ctx, c, d)
}

func (b *Bot) history(ctx context.Context, c Caller, d *domain.Deal) (Reply, error) {
	hist, err := b.store.History(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	tz := c.TZ
	if tz == nil {
		tz = b.cfg.Location
	}
	return HistoryList{Deal: d, Entries: hist, TZ: tz}, nil
}

// byKeyword splits "Send proposal by fri" into the text and the date words.
var byKeyword = regexp.MustCompile(`(?i)^(.*?)\s+(?:by|before|due|pour|avant|d'ici|le)\s+(\S.*)$`)

func (b *Bot) dealNext(ctx context.Context, c Caller, args string) (Reply, error) {
	now := b.Now(c)
	parse := func(rest string) (string, domain.Date, error) {
		m := byKeyword.FindStringSubmatch(rest)
		if m == nil {
			return "", domain.Date{}, domain.Errorf(domain.EINVALID, "deal.next_usage")
		}
		due, err := domain.ParseDateField(domain.FieldNextStepDue, m[2], b.cfg.Locale, now)
		return strings.TrimSpace(m[1]), due, err
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	text, due, err := parse(rest)
	if err != nil {
		return nil, err
	}
	if due.Before(b.Today(c)) {
		return nil, domain.FieldErrorf(domain.FieldNextStepDue, "deal.next_step_due_past", due)
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		x.NextStep, x.NextStepDue = text, due
		return nil
	})
}

func (b *Bot) dealStage(ctx context.Context, c Caller, args string) (Reply, error) {
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, ok := b.cfg.Stages.Lookup(rest); return ok })
	if err != nil || cands != nil {
		return cands, err
	}
	st, ok := b.cfg.Stages.Lookup(rest)
	if !ok {
		return nil, domain.FieldErrorf(domain.FieldStage, "stage.unknown", rest, stageNames(b.cfg.Stages))
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		if x.Status != domain.Open {
			return domain.Errorf(domain.EINVALID, "deal.closed", x.ID.Ref(), x.Status)
		}
		b.cfg.Stages.Move(x, st)
		return st.Summary(st.CheckEntry(x))
	})
}

func stageNames(s domain.Stages) string {
	names := make([]string, len(s))
	for i, st := range s {
		names[i] = st.Name
	}
	return strings.Join(names, ", ")
}

func (b *Bot) dealAmount(ctx context.Context, c Caller, args string) (Reply, error) {
	parse := func(rest string) (int64, error) { return domain.ParseAmount(rest, b.cfg.Locale, b.cfg.Currency) }
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	amount, err := parse(rest)
	if err != nil {
		return nil, err
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.Amount = amount; return nil })
}

func (b *Bot) dealClose(ctx context.Context, c Caller, args string) (Reply, error) {
	now := b.Now(c)
	parse := func(rest string) (domain.Date, error) {
		return domain.ParseDateField(domain.FieldCloseDate, rest, b.cfg.Locale, now)
	}
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, err := parse(rest); return err == nil })
	if err != nil || cands != nil {
		return cands, err
	}
	date, err := parse(rest)
	if err != nil {
		return nil, err
	}
	if date.Before(b.Today(c)) {
		return nil, domain.FieldErrorf(domain.FieldCloseDate, "deal.close_date_past", date)
	}
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.CloseDate = date; return nil })
}

// dealCategory returns the handler of /deal commit, bestcase, upside…
func (b *Bot) dealCategory(cat domain.Category) Handler {
	return func(ctx context.Context, c Caller, args string) (Reply, error) {
		d, cands, err := b.find(ctx, c, args, scopeEditable)
		if err != nil || cands != nil {
			return cands, err
		}
		return b.change(ctx, c, d, 0, func(x *domain.Deal) error { x.Category = cat; return nil })
	}
}

func (b *Bot) dealWon(ctx context.Context, c Caller, args string) (Reply, error) {
	d, cands, err := b.find(ctx, c, args, scopeEditable)
	if err != nil || cands != nil {
		return cands, err
	}
	today := b.Today(c)
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		if x.Status == domain.Won {
			return domain.Errorf(domain.EINVALID, "deal.already", x.ID.Ref(), x.Status)
		}
		x.Status, x.LossReason, x.Competitor, x.CloseDate = domain.Won, "", "", today
		return nil
	})
}

func (b *Bot) dealLost(ctx context.Context, c Caller, args string) (Reply, error) {
	d, reason, cands, err := b.findThen(ctx, c, args, scopeEditable, func(string) bool { return true })
	if _, isRef := domain.ParseRef(strings.TrimSpace(args)); isRef || (err == nil && cands == nil && strings.TrimSpace(reason) == "") {
		return nil, domain.FieldErrorf(domain.FieldLossReason, "deal.lost_usage", strings.Join(b.cfg.LossReasons, ", "))
	}
	if err != nil || cands != nil {
		return cands, err
	}
	reason, competitor, err := splitCompetitor(reason)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, domain.FieldErrorf(domain.FieldLossReason, "deal.lost_usage", strings.Join(b.cfg.LossReasons, ", "))
	}
	reason = domain.MatchLossReason(b.cfg.LossReasons, reason)
	today := b.Today(c)
	return b.change(ctx, c, d, 0, func(x *domain.Deal) error {
		if x.Status == domain.Lost {
			return domain.Errorf(domain.EINVALID, "deal.already", x.ID.Ref(), x.Status)
		}
		x.Status, x.LossReason, x.Competitor, x.CloseDate = domain.Lost, reason, competitor, today
		return nil
	})
}

// competitorWord marks the competitor who won a lost deal in /deal lost's
// text ("price competitor: Acme"); the French word is understood in any
// locale, with or without the space French puts before a colon.
var competitorWord = regexp.MustCompile(`(?i)(^|\s)(competitor|concurrent)\s*:`)

// splitCompetitor splits what follows the deal in /deal lost into the
// reason and the competitor (empty when not given), both trimmed, the
// competitor's inner spaces collapsed. A marker with no name after it is
// refused with a message saying so rather than ignored.
func splitCompetitor(text string) (reason, competitor string, err error) {
	loc := competitorWord.FindStringSubmatchIndex(text)
	if loc == nil {
		return strings.TrimSpace(text), "", nil
	}
	reason = strings.TrimSpace(text[:loc[0]])
	competitor = strings.Join(strings.Fields(text[loc[1]:]), " ")
	if competitor == "" {
		return "", "", domain.FieldErrorf(domain.FieldCompetitor, "deal.competitor_usage")
	}
	// Its length is Deal.Validate's to check, as for every field.
	return reason, competitor, nil
}

func (b *Bot) dealOwner(ctx context.Context, c Caller, args string) (Reply, error) {
	d, rest, cands, err := b.findThen(ctx, c, args, scopeEditable, func(rest string) bool { _, ok := c.Mentioned(rest); return ok })
	if err != nil || cands != nil {
		return cands, err
	}
	owner, ok := c.Mentioned(rest)
	if !ok {
		return nil, domain.FieldErrorf(domain.FieldOwner, "deal.owner_usage")
	}
	if !b.cfg.Knows(owner) {
		return nil, domain.FieldErrorf(domain.FieldOwner, "deal.owner_unknown", owner)
	}
	updated, changes, err := b.store.UpdateDeal(ctx, d.ID, 0, c.User, func(x *domain.Deal) error {
		if err := domain.CanReassign(b.cfg, c.User, x); err != nil {
			return err
		}
		x.Owner = owner
		return nil
	})
	if err != nil {
		return nil, err
	}
	return Card{Deal: updated, Today: b.Today(c), Note: b.changeMsgs(updated, changes)}, nil
}

// dealList lists open deals: the caller's, or another user's (managers and
// admins), filtered by stage or category.
func (b *Bot) dealList(ctx context.Context, c Caller, args string) (Reply, error) {
	f := domain.DealFilter{Owners: []domain.UserID{c.User}, Status: domain.Open}
	whose := c.User
	var filterWord string
	for _, tok := range strings.Fields(args) {
		if u, ok := c.Mentioned(tok); ok {
			whose = u
			continue
		}
		if st, ok := b.cfg.Stages.Lookup(tok); ok {
			f.Stage, filterWord = st.Name, st.Name
			continue
		}
		if cat, ok := domain.ParseCategory(tok); ok {
			f.Category, filterWord = cat, tok
			continue
		}
		return nil, domain.Errorf(domain.EINVALID, "list.usage", tok, stageNames(b.cfg.Stages))
	}
	if err := b.sight(c.User).Check(domain.Read{Path: domain.ReadList, Owner: whose}); err != nil {
		return nil, err
	}
	f.Owners = []domain.UserID{whose}
	deals, err := b.store.Deals(ctx, f)
	if err != nil {
		return nil, err
	}
	title := M("list.mine", len(deals))
	empty := M("list.mine_empty")
	if whose != c.User {
		title, empty = M("list.theirs", whose, len(deals)), M("list.theirs_empty", whose)
	}
	if filterWord != "" {
		title = M("list.filtered", title, filterWord)
	}
	return DealList{Title: title, Empty: empty, Deals: deals}, nil
}

// --- forms --------------------------------------------------------------------

func (b *Bot) dealUpdate(ctx context.Context, c Caller, args string) (Reply, error) {
	// The picker is a read path: someone unknown gets the refusal, not a form.
	if err := b.sight(c.User).Check(domain.Read{Path: domain.ReadPicker, Owner: c.User}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(args) != "" {
		d, _, err := b.find(ctx, c, args, scopeEditable)
		if err == nil && d != nil {
			if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
				return nil, err
			}
			return OpenForm{Form: b.updateForm(c, d)}, nil
		}
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
	}
	return OpenForm{Form: b.pickForm(c, args)}, nil
}

func (b *Bot) pickForm(c Caller, query string) Form {
	return Form{
		Kind: FormPickDeal, Title: M("form.pick.title"), Submit: M("form.pick.submit"),
		Meta: FormMeta{Channel: c.Channel},
		Inputs: []Input{{Field: PickField, Kind: DealPicker, Label: M("form.pick.label"),
			Placeholder: M("form.pick.placeholder"), Initial: strings.TrimSpace(query)}},
	}
}

func (b *Bot) stageOptions() []Option {
	opts := make([]Option, len(b.cfg.Stages))
	for i, st := range b.cfg.Stages {
		opts[i] = Option{Value: st.Name, Label: M("raw", st.Name)}
	}
	return opts
}

func categoryOptions() []Option {
	opts := make([]Option, len(domain.Categories))
	for i, cat := range domain.Categories {
		opts[i] = Option{Value: string(cat), Label: M("category." + string(cat))}
	}
	return opts
}

func label(f domain.Field) Msg { return M("field." + string(f)) }

// updateForm is the update modal, prefilled with the deal as it is.
func (b *Bot) updateForm(c Caller, d *domain.Deal) Form {
	long := func(f domain.Field) Input {
		return Input{Field: f, Kind: LongTextInput, Label: label(f), Optional: true, Initial: d.Get(f), MaxLen: domain.MaxTextLen}
	}
	return Form{
		Kind: FormUpdateDeal, Title: M("form.update.title", d.ID.Ref()), Submit: M("form.update.submit"),
		Meta: FormMeta{Deal: d.ID, Version: d.Version, Channel: c.Channel},
		Inputs: []Input{
			{Field: domain.FieldStage, Kind: SelectInput, Label: label(domain.FieldStage), Options: b.stageOptions(), Initial: d.Stage},
			{Field: domain.FieldAmount, Kind: TextInput, Label: label(domain.FieldAmount), Initial: domain.FormatAmountInput(d.Amount, d.Currency, b.cfg.Locale), MaxLen: 40},
			{Field: domain.FieldCloseDate, Kind: DateInput, Label: label(domain.FieldCloseDate), Initial: d.CloseDate.String()},
			{Field: domain.FieldCategory, Kind: SelectInput, Label: label(domain.FieldCategory), Options: categoryOptions(), Initial: string(d.Category)},
			long(domain.FieldNeed), long(domain.FieldDecisionMakers), long(domain.FieldBudget), long(domain.FieldTimeline), long(domain.FieldRisk),
			{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), Initial: d.NextStep, MaxLen: domain.MaxTextLen},
			{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue), Initial: d.NextStepDue.String()},
		},
	}
}

// nextStepForm asks only for the next step and its due date.
func (b *Bot) nextStepForm(c Caller, d *domain.Deal) Form {
	return Form{
		Kind: FormNextStep, Title: M("form.next.title", d.ID.Ref()), Submit: M("form.update.submit"),
		Meta: FormMeta{Deal: d.ID, Version: d.Version, Channel: c.Channel},
		Inputs: []Input{
			{Field: domain.FieldNextStep, Kind: TextInput, Label: label(domain.FieldNextStep), MaxLen: domain.MaxTextLen},
			{Field: domain.FieldNextStepDue, Kind: DateInput, Label: label(domain.FieldNextStepDue)},
		},
	}
}

// SubmitPick answers the deal picker: the chosen deal's update form.
func (b *Bot) SubmitPick(ctx context.Context, c Caller, _ FormMeta, v Values, _ string) (Reply, error) {
	id, err := strconv.ParseUint(v[PickField], 10, 64)
	if err != nil {
		return nil, domain.FieldErrorf(PickField, "form.pick.required")
	}
	d, err := b.store.Deal(ctx, domain.DealID(id))
	if err != nil {
		return nil, err
	}
	if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
		return nil, err
	}
	return OpenForm{Form: b.updateForm(c, d)}, nil
}

// SubmitUpdate applies the update modal: every field at once, held to the
// stage's entry criteria and a dated next step, on the version the modal
// was opened on and once per submission (key).
func (b *Bot) SubmitUpdate(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	today := b.Today(c)
	var es domain.Errors
	amount, err := domain.ParseAmount(v[domain.FieldAmount], b.cfg.Locale, b.cfg.Currency)
	if err != nil {
		es = appendErr(es, err)
	}
	st, ok := b.cfg.Stages.Lookup(v[domain.FieldStage])
	if !ok {
		es = append(es, domain.FieldErrorf(domain.FieldStage, "stage.unknown", v[domain.FieldStage], stageNames(b.cfg.Stages)))
	}
	closeDate, _ := domain.ParseISODate(v[domain.FieldCloseDate])
	due, _ := domain.ParseISODate(v[domain.FieldNextStepDue])
	if len(es) > 0 {
		return nil, es
	}
	// A later change, the caller's own included, refuses the form: it
	// holds every field as it was, so saving it would revert that change.
	// The same submission again is recognised by its key, not by who made
	// the last change.
	return b.changeOpened(ctx, c, meta, key, v, b.applyUpdate(v, st, amount, closeDate, due, today))
}

func (b *Bot) applyUpdate(v Values, st domain.StageDef, amount int64, closeDate, due, today domain.Date) func(*domain.Deal) error {
	return func(x *domain.Deal) error {
		var es domain.Errors
		if x.Status != domain.Open {
			return domain.Errorf(domain.EINVALID, "deal.closed", x.ID.Ref(), x.Status)
		}
		if closeDate != x.CloseDate && closeDate.Before(today) {
			es = append(es, domain.FieldErrorf(domain.FieldCloseDate, "deal.close_date_past", closeDate))
		}
		// A category the rep changed in the form wins; one left as it was
		// follows the stage like a quick stage move does.
		chosen, picked := domain.ParseCategory(v[domain.FieldCategory])
		picked = picked && chosen != x.Category
		b.cfg.Stages.Move(x, st)
		if picked {
			x.Category = chosen
		}
		x.Amount, x.CloseDate = amount, closeDate
		x.Need = strings.TrimSpace(v[domain.FieldNeed])
		x.DecisionMakers = strings.TrimSpace(v[domain.FieldDecisionMakers])
		x.Budget = strings.TrimSpace(v[domain.FieldBudget])
		x.Timeline = strings.TrimSpace(v[domain.FieldTimeline])
		x.Risk = strings.TrimSpace(v[domain.FieldRisk])
		x.NextStep = strings.TrimSpace(v[domain.FieldNextStep])
		x.NextStepDue = due
		if err := b.cfg.Stages.CheckOpenDeal(x, today); err != nil {
			es = appendErr(es, err)
		}
		if err := x.Validate(); err != nil {
			es = appendErr(es, err)
		}
		return dedupeFieldErrors(es).Err()
	}
}

// SubmitNextStep applies the next-step modal, on the version it was opened
// on and once per submission (key).
func (b *Bot) SubmitNextStep(ctx context.Context, c Caller, meta FormMeta, v Values, key string) (Reply, error) {
	today := b.Today(c)
	text := strings.TrimSpace(v[domain.FieldNextStep])
	due, _ := domain.ParseISODate(v[domain.FieldNextStepDue])
	var es domain.Errors
	if text == "" {
		es = append(es, domain.FieldErrorf(domain.FieldNextStep, "deal.next_step_required"))
	}
	if due.IsZero() {
		es = append(es, domain.FieldErrorf(domain.FieldNextStepDue, "deal.next_step_needs_due"))
	} else if due.Before(today) {
		es = append(es, domain.FieldErrorf(domain.FieldNextStepDue, "deal.next_step_due_past", due))
	}
	if len(es) > 0 {
		return nil, es
	}
	return b.changeOpened(ctx, c, meta, key, v, func(x *domain.Deal) error {
		x.NextStep, x.NextStepDue = text, due
		return nil
	})
}

func appendErr(es domain.Errors, err error) domain.Errors {
	var list domain.Errors
	var one *domain.Error
	switch {
	case asErrors(err, &list):
		return append(es, list...)
	case asError(err, &one):
		return append(es, one)
	}
	return es
}

// --- buttons, suggestions, home ---------------------------------------------

// Action answers a button on a card or in App Home; value is the deal id.
func (b *Bot) Action(ctx context.Context, c Caller, actionID, value string) (Reply, error) {
	if actionID == ActionSubmitCall {
		return b.forecastAction(ctx, c, value)
	}
	if isCoachAction(actionID) {
		return b.coachAction(ctx, c, actionID, value) // coaching.go
	}
	if isDeskAction(actionID) {
		return b.deskAction(ctx, c, actionID, value) // desk.go
	}
	id, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "deal.which")
	}
	sight := b.sight(c.User)
	if _, err := sight.Filter(); err != nil {
		return nil, err // someone unknown, told before anything is looked up
	}
	d, err := b.store.Deal(ctx, domain.DealID(id))
	if err != nil {
		return nil, err
	}
	path := domain.ReadButton
	if actionID == ActionHistory {
		path = domain.ReadHistory
	}
	// A button that reveals a deal the caller may not read (a forwarded
	// message, a forged value) answers as for a deal that does not exist.
	if err := sight.Check(domain.Read{Path: path, Deal: d.ID, Owner: d.Owner}); err != nil {
		return nil, err
	}
	switch actionID {
	case ActionUpdate, ActionNextStep:
		if err := domain.CanEdit(b.cfg, c.User, d); err != nil {
			return nil, err
		}
		if actionID == ActionNextStep {
			return OpenForm{Form: b.nextStepForm(c, d)}, nil
		}
		return OpenForm{Form: b.updateForm(c, d)}, nil
	case ActionHistory:
		return b.history(ctx, c, d)
	case ActionDiscount:
		return b.discountForm(ctx, c, d, 0)
	}
	return nil, domain.Errorf(domain.EINVALID, "deal.unknown_action", actionID)
}

// HasAction reports whether the bot answers a button with this action id.
func HasAction(actionID string) bool {
	switch actionID {
	case ActionUpdate, ActionNextStep, ActionHistory, ActionDiscount, ActionSubmitCall:
		return true
	}
	return isCoachAction(actionID) || isDeskAction(actionID)
}

// SuggestDeals answers the deal picker as the user types: the caller's deals
// first, then their teams' for a manager (everyone's for an admin), best
// matches first, at most 100. A query of more than maxRefWords words or
// maxQueryRunes characters is an EINVALID error whose message (short enough
// for a picker option) says so.
func (b *Bot) SuggestDeals(ctx context.Context, c Caller, query string) ([]*domain.Deal, error) {
	sight := b.sight(c.User)
	owners, err := b.owners(c, sight, scopeEditable)
	if err != nil {
		return nil, err // someone unknown
	}
	// A query beyond the bounds is refused before any read: the picker
	// asks again at every keystroke.
	if err := checkQuery(query, "pick.query_too_long"); err != nil {
		return nil, err
	}
	f := domain.DealFilter{Owners: owners, Words: strings.Fields(query), Status: domain.Open, Limit: 500}
	if id, ok := domain.ParseRef(query); ok {
		if d, err := b.store.Deal(ctx, id); err == nil && domain.CanEdit(b.cfg, c.User, d) == nil &&
			sight.Check(domain.Read{Path: domain.ReadPicker, Deal: d.ID, Owner: d.Owner}) == nil {
			return []*domain.Deal{d}, nil
		}
	}
	deals, err := b.store.Deals(ctx, f)
	if err != nil {
		return nil, err
	}
	ranked := domain.RankDeals(query, deals, 0)
	// The caller's own deals come first, keeping the ranking within each group.
	slices.SortStableFunc(ranked, func(x, y *domain.Deal) int {
		return boolRank(x.Owner == c.User) - boolRank(y.Owner == c.User)
	})
	if len(ranked) > 100 {
		ranked = ranked[:100]
	}
	return ranked, nil
}

func boolRank(mine bool) int {
	if mine {
		return 0
	}
	return 1
}

// Home is the caller's App Home: open deals, overdue next steps first, then
// by close date.
func (b *Bot) Home(ctx context.Context, c Caller) (Reply, error) {
	if err := b.sight(c.User).Check(domain.Read{Path: domain.ReadHome, Owner: c.User}); err != nil {
		var e *domain.Error
		if asError(err, &e) {
			// Home is a view, not an answer: the refusal is shown in it.
			return Home{User: c.User, Today: b.Today(c), Refusal: M(e.Key, e.Args...)}, nil
		}
		return nil, err
	}
	deals, err := b.store.Deals(ctx, domain.DealFilter{Owners: []domain.UserID{c.User}, Status: domain.Open})
	if err != nil {
		return nil, err
	}
	today := b.Today(c)
	slices.SortStableFunc(deals, func(x, y *domain.Deal) int {
		ox, oy := x.NextStepDue.Before(today), y.NextStepDue.Before(today)
		if ox != oy {
			if ox {
				return -1
			}
			return 1
		}
		return x.CloseDate.Compare(y.CloseDate)
	})
	return Home{User: c.User, Today: today, Deals: deals}, nil
}
