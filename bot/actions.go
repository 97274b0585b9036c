package bot

import (
	"context"
	"strconv"

	"github.com/dealpilot/dealpilot/domain"
)

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
	if isImportAction(actionID) {
		return b.importAction(ctx, c, actionID, value) // import.go
	}
	if isReviewAction(actionID) {
		return b.reviewAction(ctx, c, actionID, value) // icp_review.go
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
		return OpenForm{Form: b.updateForm(ctx, c, d)}, nil
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
	return isCoachAction(actionID) || isDeskAction(actionID) || isImportAction(actionID) || isReviewAction(actionID)
}
