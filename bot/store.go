package bot

import (
	"context"
	"iter"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// The storage the bot needs, in one place: Store embeds domain.DealStore
// (deals, the rules' own service interface) and each feature's interface
// below; store.DB implements them all on bbolt. The optional ones
// (DiscountSource, SetupStore, Backuper) are what a store may offer
// besides: the bot asks for them with a type assertion and does without.

// Store is what the bot needs of storage: deals, and a record of work done
// exactly once. Each feature embeds the store interface of its domain
// package here; store.DB implements them all.
type Store interface {
	domain.DealStore
	PageStore
	CoachingStore
	ForecastStore
	DeskStore
	PostStore
	AccountStore
	CommissionStore
	// MarkDone records key as done and reports whether it already was.
	MarkDone(key string) (already bool, err error)
	// Done reports whether key is recorded as done.
	Done(key string) bool
	// SigningKey is the random key, kept with the data, that signs what
	// the bot hands to the platform and must get back unchanged.
	SigningKey() []byte
	// ForgetDone forgets that key was done.
	ForgetDone(key string) error
	// PruneDone forgets the work marked done before olderThan.
	PruneDone(olderThan time.Time) (int, error)
	// PruneSubmissions forgets the form submissions' keys recorded before
	// olderThan.
	PruneSubmissions(olderThan time.Time) (int, error)
}

// PageStore reads the deals a list shows, not every deal of its scope.
type PageStore interface {
	// DealPage returns the first f.Limit deals Deals(f) returns (all when
	// 0) and how many match f in all; one owner's open deals cost the
	// deals returned, the others only counted.
	DealPage(ctx context.Context, f domain.DealFilter) ([]*domain.Deal, int, error)
	// HomeDeals returns owner's open deals in App Home's order (next step
	// due before today, or none, first; then by close date), at most limit
	// (all when 0), and how many there are.
	HomeDeals(ctx context.Context, owner domain.UserID, today domain.Date, limit int) ([]*domain.Deal, int, error)
	// SearchDeals returns Deals(f) for a search by f.Words decoding at most
	// walk deals and walking at most 8×walk index keys a word: when the
	// words leave more candidates than that (a search over everyone's
	// deals), only walk of them are read, and capped says so.
	SearchDeals(ctx context.Context, f domain.DealFilter, walk int) (deals []*domain.Deal, capped bool, err error)
}

// CoachingStore is what coaching needs of storage; store.DB implements it.
type CoachingStore interface {
	// CoachingDeals returns the deals of owners (all deals when empty),
	// any status, with their history.
	CoachingDeals(ctx context.Context, owners []domain.UserID) ([]coaching.DealInput, error)
	// PipelineView calls fn, in one read transaction, with the same deals
	// as the KPIs read them, from digests the store keeps in every write:
	// their figures and the history entries the rules read, free text only
	// as filled or not, with what the deal desk knows of their discounts
	// (DiscountSource's); in id order, chunk deals at a time (the store's
	// own size when chunk ≤ 0), each chunk valid until the next; ranging
	// again reads them afresh. For figures (/pipeline, /pipeline losses),
	// never to show a deal.
	PipelineView(ctx context.Context, owners []domain.UserID, chunk int, fn func(iter.Seq[[]coaching.DealInput]) error) error
	// PipelineViewSince is PipelineView of the deals touched at or after
	// since alone (updated, or with a history entry the rules read, then
	// or later); every deal when since is zero.
	PipelineViewSince(ctx context.Context, owners []domain.UserID, since time.Time, chunk int, fn func(iter.Seq[[]coaching.DealInput]) error) error
	// NudgeLog returns the items sent to user, their snoozes and prefs.
	NudgeLog(ctx context.Context, user domain.UserID) ([]coaching.Sent, []coaching.Snooze, coaching.Prefs, error)
	// RecordReminder records the reminder doneKey sent to user with the
	// items keys, in one transaction; already when doneKey was recorded.
	RecordReminder(ctx context.Context, user domain.UserID, doneKey string, keys []string) (already bool, err error)
	// Snooze holds back user's items (one key, or a whole deal).
	Snooze(ctx context.Context, user domain.UserID, z coaching.Snooze) error
	// SetNudgePrefs saves /deal nudges.
	SetNudgePrefs(ctx context.Context, user domain.UserID, p coaching.Prefs) error
}

// DiscountSource is what the deal desk's store may tell the rules about
// discounts; when the bot's store does not implement it, the discount rules
// (discount_unqualified, hollow_win) and the average discount see none.
type DiscountSource interface {
	DiscountInfo(ctx context.Context, ids []domain.DealID) (map[domain.DealID]coaching.DiscountInfo, error)
}

// DeskStore is what the deal desk needs of storage; store.DB implements it.
type DeskStore interface {
	// DeskRequest returns a request and where it was posted, or ENOTFOUND.
	DeskRequest(ctx context.Context, id uint64) (*desk.Request, desk.Thread, error)
	// DeskRequestByThread returns the request posted as a thread's root.
	DeskRequestByThread(ctx context.Context, channel, ref string) (*desk.Request, desk.Thread, error)
	// SetDeskThread records where a request was posted.
	SetDeskThread(ctx context.Context, id uint64, t desk.Thread) error
	// UpdateDeskRequest changes a request in one transaction (version 0:
	// whatever its version); an approval sets its deal's discount there too.
	UpdateDeskRequest(ctx context.Context, id, version uint64, fn func(*desk.Request) error) (*desk.Request, desk.Thread, error)
	// SaveDeskDecision saves an approver's decision: f.Apply runs in the
	// write transaction on the request as stored; it returns the request
	// as saved and the steps whose approvers changed. With a key (a form),
	// once per key: the same submission again saves nothing and gets the
	// request as the first one saved it, with again set.
	SaveDeskDecision(ctx context.Context, id uint64, f desk.DecisionForm, key string) (r *desk.Request, th desk.Thread, changes []desk.StepChange, again bool, err error)
	// SaveDeskRequestForm saves what the discount request form f leaves:
	// f.Apply runs once, in the write transaction, on the deal (and the
	// request revised) as stored. A new request (f.Revises 0) replaces the
	// unposted ones in replace, and another pending request of the deal is
	// an ECONFLICT; an approved one also sets the deal's discount. Once per
	// key: the same submission again saves nothing and gets the request as
	// the first one saved it (with again set, for a revision).
	SaveDeskRequestForm(ctx context.Context, f desk.RequestForm, key string, replace ...uint64) (r *desk.Request, th desk.Thread, again bool, err error)
	// DeskRequests lists a deal's requests (all deals for 0), oldest first.
	DeskRequests(ctx context.Context, deal domain.DealID, open bool) ([]desk.Posted, error)
	// Plan returns a deal's mutual action plan.
	Plan(ctx context.Context, deal domain.DealID) (desk.Plan, error)
	// PlanVersion returns a deal's plan and its version (1 for a plan
	// never saved), for a form to be opened on.
	PlanVersion(ctx context.Context, deal domain.DealID) (desk.Plan, uint64, error)
	// SavePlanForm saves the plan form f: f.Apply runs once, in the write
	// transaction, on the deal and its plan as stored, and the plan it
	// returns is saved. Once per key: the same submission again saves
	// nothing and gets the plan that submission saved. It returns the
	// plan saved and the deal as stored.
	SavePlanForm(ctx context.Context, f desk.PlanForm, key string) (desk.Plan, *domain.Deal, error)
}

// ForecastStore is what the forecast needs of storage; store.DB implements
// it (store/forecast.go).
type ForecastStore interface {
	// SetQuota records a rep's quota for one named period, replacing any.
	SetQuota(ctx context.Context, q forecast.Quota, by domain.UserID) error
	// Quotas returns the quotas set with SetQuota.
	Quotas(ctx context.Context) ([]forecast.Quota, error)
	// SaveCallForm saves the forecast call form f: f.Apply runs once, in
	// the write transaction, on the calls as stored; the period's call and
	// the month's (nil for none) it returns are saved there, stamped with
	// the transaction's time and week. It returns the period's call saved
	// and the call it replaces, and the month's call. Once per key: the
	// same submission again saves nothing and gets the calls it saved.
	SaveCallForm(ctx context.Context, f forecast.CallForm, key string) (saved, prev forecast.Call, hadPrev bool, month *forecast.Call, err error)
	// Calls returns the calls of a period ("" for all).
	Calls(ctx context.Context, period string) ([]forecast.Call, error)
	// ForecastSums reads the forecast of the deals closing from..before:
	// sum gets the sums the store keeps per close month, owner, currency,
	// status, category and stage, updated with every write of a deal;
	// deal gets the deals of the range's days that are not whole months,
	// with only the fields a rollup reads.
	ForecastSums(ctx context.Context, from, before domain.Date, sum func(*forecast.Sum), deal func(*forecast.SnapshotDeal)) error
	// SaveSnapshot stores a week's snapshot unless it has one, and returns
	// the week's stored snapshot.
	SaveSnapshot(ctx context.Context, s forecast.Snapshot) (forecast.Snapshot, bool, error)
	// SnapshotBefore returns the latest snapshot of a week before week.
	SnapshotBefore(ctx context.Context, week string) (forecast.Snapshot, bool, error)
	// Snapshots returns the snapshots of the weeks from..to, oldest first.
	Snapshots(ctx context.Context, from, to string) ([]forecast.Snapshot, error)
}

// AccountStore keeps customers as records, one per folded account name
// (domain.AccountKey); the store makes one when a deal names a new account.
type AccountStore interface {
	// Account returns the account name folds to; ok false when none.
	Account(ctx context.Context, name string) (a *domain.Account, ok bool, err error)
	// Accounts returns every account, by key.
	Accounts(ctx context.Context) ([]*domain.Account, error)
	// UpdateAccount changes the account name folds to in one
	// transaction (fn changes a copy; its error writes nothing);
	// ENOTFOUND when there is none.
	UpdateAccount(ctx context.Context, name string, fn func(*domain.Account) error) (*domain.Account, error)
	// AddAccountEvent appends e to the account, stamped with the
	// transaction's time.
	AddAccountEvent(ctx context.Context, name string, e domain.AccountEvent) (*domain.Account, error)
	// WithdrawAccountEvent withdraws the account's last recorded event of
	// kind, kept on its record as withdrawn by by (domain.Account.Withdraw);
	// none: ENOTFOUND, nothing written.
	WithdrawAccountEvent(ctx context.Context, name string, kind domain.AccountEventKind, by domain.UserID) (*domain.Account, domain.AccountEvent, error)
	// RenewingDeals returns owner's won deals whose contract term ends
	// from from to to (both included), by term end: an index, so a rep's
	// other won deals are not read.
	RenewingDeals(ctx context.Context, owner domain.UserID, from, to domain.Date) ([]*domain.Deal, error)
}

// PostStore records what was posted of each channel message and what failed.
type PostStore interface {
	// Post returns what is recorded of the message key.
	Post(ctx context.Context, key string) (domain.PostState, error)
	// PostedPart records part i of key posted in channel as ref.
	PostedPart(ctx context.Context, key, channel string, i int, ref string) error
	// PostFailed records a failed attempt and returns the state.
	PostFailed(ctx context.Context, key, channel string, actor domain.UserID, reason, cause string) (domain.PostState, error)
	// PostMarker returns key's marker, recording draw() first when it has none.
	PostMarker(ctx context.Context, key string, draw func() string) (string, error)
	// PostTold records that the actor was told of the current failure.
	PostTold(ctx context.Context, key string) error
	// PostDone clears key's failure.
	PostDone(ctx context.Context, key string) error
	// ForgetPost removes key's record.
	ForgetPost(ctx context.Context, key string) error
	// FailedPosts lists the failed messages of channel ("" for all).
	FailedPosts(ctx context.Context, channel string) ([]domain.PostState, error)
}

// SetupStore is what a store may offer so that reports stand alone
// (store.DB): the configuration the bot runs with, and people's names as
// the platform last showed them.
type SetupStore interface {
	// SaveSetup keeps s when it differs from the one kept, and says so.
	SaveSetup(ctx context.Context, s domain.Setup) (changed bool, err error)
	// SeePeople keeps display names, each when it differs, in one write.
	SeePeople(ctx context.Context, names map[domain.UserID]string) error
	// People are the names kept, by user.
	People(ctx context.Context) (map[domain.UserID]string, error)
}

// Backuper writes hot copies of the file; store.DB implements it.
type Backuper interface {
	// BackupToDir writes a hot copy into dir and keeps the newest keep.
	BackupToDir(dir string, keep int) (string, error)
}
