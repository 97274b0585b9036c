package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"

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

// submitForm saves form, submitted about meta.Deal: the store applies it
// in its write transaction, once per submission: the same submission
// again (a double submit, a redelivery) changes nothing and gets the same
// answer. A later change of the deal, the caller's own included, refuses
// the form (form.Apply says so): it holds every field as it was, so
// saving it would revert that change.
func (b *Bot) submitForm(ctx context.Context, c Caller, meta FormMeta, key string, v Values, form domain.DealForm) (Reply, error) {
	updated, changes, err := b.store.UpdateDealForm(ctx, meta.Deal, c.User, submissionKey(key, v), form)
	if err != nil {
		return nil, err
	}
	return b.changed(c, updated, changes), nil
}

// submission is what the caller submitted in a form opened as meta.
func (b *Bot) submission(c Caller, meta FormMeta, v Values) domain.Submission {
	return domain.Submission{Values: v, Opened: meta.Version, By: c.User, Today: b.Today(c)}
}

// formRules are the configuration's rules a submitted form is held to; its
// Org knows everyone on a first install (directory).
func (b *Bot) formRules() domain.FormRules {
	return domain.FormRules{Org: directory{b.cfg}, Stages: b.cfg.Stages, Locale: b.cfg.Locale, Currency: b.cfg.Currency, Attrs: b.attrRules()}
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

// checked is fn held to the permission rules (CanEdit; on a won deal,
// CanChangeWon for what it pays) and Validate.
func (b *Bot) checked(c Caller, fn func(*domain.Deal) error) func(*domain.Deal) error {
	return func(x *domain.Deal) error {
		if err := domain.CanEdit(b.cfg, c.User, x); err != nil {
			return err
		}
		before := *x // the fields CanChangeWon compares are values
		if err := fn(x); err != nil {
			return err
		}
		if err := domain.CanChangeWon(b.cfg, c.User, &before, x); err != nil {
			return err
		}
		return x.Validate()
	}
}

// changed answers a change: the deal's card with what changed, and a win
// announced.
func (b *Bot) changed(c Caller, updated *domain.Deal, changes []domain.Change) Reply {
	card := Card{Deal: updated, Today: b.Today(c), Note: b.changeMsgs(updated, changes), Segments: b.cardSegments(updated)}
	for _, ch := range changes {
		if ch.Field == domain.FieldStatus && ch.New == string(domain.Won) {
			return WithPosts{Reply: card, Posts: append(b.winPosts(c, updated), b.commissionWinPosts(updated)...)}
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
		M("deal.won_announce", d.Owner, Bold(d.Name), d.Account, domain.Money{Minor: d.NetAmount(), Currency: d.Currency}).WithIcon(IconWon),
	}})
	if err != nil {
		return b.postFailed(ctx, m, key, t.WinsChannel, actor, err)
	}
	// Out: nothing to remember (a failure recorded before is cleared).
	return b.store.ForgetPost(ctx, key)
}
