package domain

import (
	"context"
	"time"
)

// DealStore is what the conversation layer needs of storage. store.DB
// implements it on bbolt; every method is one transaction, and nothing it
// returns as saved is saved before that transaction has committed.
type DealStore interface {
	// CreateDeal gives d the next id, version 1 and its creation time (from
	// the store's clock), saves it and writes one history entry per field set.
	// When key is not empty and a deal was already created with the same
	// key (a retried request), it returns that deal and saves nothing.
	CreateDeal(ctx context.Context, d *Deal, by UserID, key string) (*Deal, error)

	// CreateDealForm creates the deal a new-deal form describes: in one
	// transaction, f.Apply returns the deal, saved as CreateDeal saves
	// one, by f.By, or why not (then nothing is saved); at most once per
	// key, as CreateDeal: a submission already saved under key gets the
	// deal it created, before the form is held to anything again.
	CreateDealForm(ctx context.Context, f NewDealForm, key string) (*Deal, error)

	// UpdateDeal loads deal id, checks that it is still at version (0 skips
	// the check, for quick commands only; a mismatch is refused by
	// CheckOpened, a *Conflict naming who changed what and when),
	// lets fn change a copy, and saves the copy with version+1 and one history
	// entry per changed field, all in one transaction. When fn returns an
	// error nothing is saved and that error is returned. When fn changes
	// nothing, nothing is saved and the deal is returned as it was.
	UpdateDeal(ctx context.Context, id DealID, version uint64, by UserID, fn func(*Deal) error) (*Deal, []Change, error)

	// UpdateDealForm saves a form's submission about deal id: in one
	// transaction, form.Apply gets the deal as stored (and its history
	// when it asks) and returns the deal to save, saved as UpdateDeal
	// saves fn's, or why not (then nothing is saved); at most once per
	// key (the submission's): a submission already saved under key gets
	// the answer it got then and changes nothing.
	UpdateDealForm(ctx context.Context, id DealID, by UserID, key string, form DealForm) (*Deal, []Change, error)

	// Deal returns one deal, or ENOTFOUND.
	Deal(ctx context.Context, id DealID) (*Deal, error)

	// Deals returns the deals matching f, ordered by close date then id.
	Deals(ctx context.Context, f DealFilter) ([]*Deal, error)

	// History returns a deal's history, oldest first.
	History(ctx context.Context, id DealID) ([]HistoryEntry, error)

	// LastChange returns a deal's newest history entry (nil when it has
	// none), at a cost that does not grow with the deal's history.
	LastChange(ctx context.Context, id DealID) (*HistoryEntry, error)
}

// DealFilter selects deals. Zero fields select everything.
type DealFilter struct {
	Owners   []UserID // any of these owners
	Status   Status   // "" for any status
	Words    []string // every word is a prefix of a word of the deal's name or account (case- and accent-insensitive)
	DueTo    Date     // next step due on or before this date
	Limit    int      // at most this many; 0 means no limit
	Category Category
	Stage    string
	// CloseFrom and CloseBefore, when set, keep the deals whose close date
	// is on or after CloseFrom and before CloseBefore: a forecast period's
	// deals, read from the close-date index instead of every deal.
	CloseFrom, CloseBefore Date
}

// Meta describes a stored change for conflict messages.
type Meta struct {
	By UserID
	At time.Time
}
